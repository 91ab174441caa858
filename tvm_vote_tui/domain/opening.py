"""How a draft opens: the ways a vote manager opens a vote, as what `Session.open_vote` needs.

A vote opens when its [VOTE] is out: posted elsewhere (the manager gives the GitHub issue or the
lists.apache.org thread and when it was posted), or now, for a vote called in a meeting; or the
app posts the [VOTE] as a new GitHub issue (`PostVote`, a request: the issue's own number, URL and
`created_at` make the `Opening` once GitHub has created it)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from tvm_vote_tui.domain.errors import ChangeRefused
from tvm_vote_tui.domain.proposal import Published
from tvm_vote_tui.domain.text import problem
from tvm_vote_tui.domain.thread_ref import IssueRef, Repo, ThreadRefError, parse_issue_ref, parse_repo

if TYPE_CHECKING:
    from pendulum import DateTime

WHERE_HELP = (
    "give the [VOTE]'s GitHub issue (https://github.com/apache/tvm/issues/16368 or apache/tvm#16368) "
    "or its dev@ thread (https://lists.apache.org/thread/...)"
)
_MAIL_THREAD = re.compile(r"/thread/[A-Za-z0-9._~-]+/?")
"""The path of a Pony Mail thread, as lists.apache.org shows one (`/thread/ID`)."""


@dataclass(frozen=True)
class Opening:
    """When a draft opens, how (for the audit log), where its thread lives, and the [VOTE] post
    to record with it."""

    opens_at: DateTime
    venue: str
    """How it opened, for the log: 'posted elsewhere: GitHub issue apache/tvm#16368', 'now'."""
    thread: str = ""
    """Stored as the session's thread: thread import reads it, the result links to it."""
    posted: Published | None = None


@dataclass(frozen=True)
class PostVote:
    """A request to post the [VOTE] as a new issue in `repo`: the vote opens once it is posted."""

    repo: Repo


def post_vote(repo: str) -> PostVote:
    """The request for `repo` (owner/name), or ChangeRefused naming what is wrong with it."""
    try:
        return PostVote(parse_repo(repo))
    except ThreadRefError as err:
        raise ChangeRefused(str(err)) from None


def posted_to_github(ref: IssueRef, created_at: DateTime) -> Opening:
    """The [VOTE] this app posted as issue `ref`: the vote opens at the issue's own `created_at`."""
    return Opening(
        created_at,
        f"posted to GitHub: issue {ref.short}",
        ref.stored,
        Published("vote", ref.url, created_at, ref.number),
    )


def opened_now(at: DateTime) -> Opening:
    """A vote called in a meeting: it opens now, with no thread yet."""
    return Opening(at, "now, called in a meeting")


def posted_elsewhere(where: str, posted_at: DateTime) -> Opening:
    """A [VOTE] the manager posted by hand: a GitHub issue (its URL, or apache/tvm#16368) or a
    lists.apache.org thread URL, posted at `posted_at`. Anything else is ChangeRefused."""
    given = where.strip()
    if not given:
        raise ChangeRefused(f"where was it posted? {WHERE_HELP}")
    found = problem(given)
    if found:
        raise ChangeRefused(f"the address {found}")
    mail = _mail_thread(given if "://" in given else f"https://{given}")
    if mail is not None:
        # No step is recorded: the `vote-mail` step carries the mail's Message-ID, which only
        # reading the thread tells (the result mail answers it).
        return Opening(posted_at, "posted elsewhere: dev@ thread", mail)
    try:
        ref = parse_issue_ref(given)
    except ThreadRefError as err:
        if "pull request" in str(err):
            raise ChangeRefused(str(err)) from None
        raise ChangeRefused(f"{given!r} is neither a GitHub issue nor a dev@ thread: {WHERE_HELP}") from None
    if given.isdigit() or given.startswith("#"):
        raise ChangeRefused(f"a number alone does not say which repository: {WHERE_HELP}")
    return Opening(
        posted_at,
        f"posted elsewhere: GitHub issue {ref.short}",
        ref.stored,
        Published("vote", ref.url, posted_at, ref.number),
    )


def _mail_thread(given: str) -> str | None:
    """The thread URL when `given` is a Pony Mail thread (lists.apache.org/thread/ID), else None."""
    try:
        parts = urlsplit(given)
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
        return None
    return given if _MAIL_THREAD.fullmatch(parts.path) else None
