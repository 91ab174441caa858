"""Where a vote's thread is read, and reading it there: the one entry point the CLI and the import
screen (F9) share, so both name a thread, pin the token and report a failure the same way."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from pendulum import DateTime

from tvm_vote_tui.domain.thread_ref import GitHubApi, IssueRef, ThreadRefError
from tvm_vote_tui.venues.github import READ_DEADLINE, GitHubReader
from tvm_vote_tui.venues.http import IDLE_TIMEOUT, Progress
from tvm_vote_tui.venues.token import Token
from tvm_vote_tui.votethread.posts import Post


@dataclass(frozen=True)
class ThreadAt:
    """A vote's thread at its venue: a GitHub issue."""

    issue: IssueRef

    @property
    def label(self) -> str:
        return self.issue.short

    @property
    def stored(self) -> str:
        """How the session remembers it."""
        return self.issue.stored


def thread_at(text: str, thread: str, api: GitHubApi) -> ThreadAt:
    """The thread `text` names (the session's own `thread` when `text` is empty), to be read at
    `api`; raises ThreadRefError with one line."""
    if not text.strip() and not thread.strip():
        raise ThreadRefError("this session has no thread yet: give the issue (e.g. apache/tvm#16368)")
    return ThreadAt(api.issue(text, thread))


@dataclass
class ThreadRead:
    """What one read found: every post, in order."""

    at: ThreadAt
    posts: list[Post]
    rate_left: int | None = None
    """GitHub requests left this hour, as GitHub last said."""


class VenueReader:
    """Reads threads at the venues (one per screen, used by one worker thread at a time: the
    GitHub reader remembers ETags between reads)."""

    def __init__(
        self,
        api: GitHubApi,
        token: Token | None = None,
        *,
        timeout: float = IDLE_TIMEOUT,
        deadline: float = READ_DEADLINE,
        clock: Callable[[], DateTime] | None = None,
    ) -> None:
        self.api = api
        self.github = GitHubReader(api, token, timeout=timeout, deadline=deadline, clock=clock)

    @property
    def token(self) -> Token | None:
        return self.github.token

    def read(self, at: ThreadAt, progress: Progress | None = None) -> ThreadRead:
        """Read the thread; raises FetchError (one line) when it cannot be read."""
        fetched = self.github.fetch(at.issue, progress)
        return ThreadRead(at, fetched.posts, fetched.rate_left)
