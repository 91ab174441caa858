"""The app's posts to GitHub: the [VOTE] (F2 `o`, the palette), the [RESULT] in three steps (F6
`p`, the palette) and a status comment (F9 ctrl+t, the palette).

Each post is shown first, exactly as it goes out (PostPreview), and made only on ctrl+s. The post
itself runs in a thread and touches nothing of the app; it is recorded in the session by the
meeting (through the session's methods) as soon as it comes back, before the next step is shown.
One post at a time: while one is in flight, another session is not opened and the app asks before
quitting. A step posted before (by a run whose answer was lost, or that stopped before recording
it) is found by its marker and recorded, never posted again (venues/github_post.py)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, cast

from textual.notifications import SeverityLevel

from tvm_vote_tui.app.controller import NO_SESSION, READ_ONLY, Clock, Meeting, Outcome
from tvm_vote_tui.app.widgets.post_preview import POST, SKIP, PostPreview
from tvm_vote_tui.app.widgets.publish_steps import PublishSteps, StepLine
from tvm_vote_tui.domain.errors import ChangeRefused
from tvm_vote_tui.domain.opening import posted_to_github
from tvm_vote_tui.domain.proposal import GITHUB_RESULT_STEPS
from tvm_vote_tui.domain.text import one_line
from tvm_vote_tui.domain.thread_ref import GitHubApi, Repo, ThreadRefError, parse_issue_ref
from tvm_vote_tui.store.config import ConfigError, load_config
from tvm_vote_tui.venues.github_post import GitHubPoster, Posted
from tvm_vote_tui.venues.http import FetchError, Progress
from tvm_vote_tui.venues.publishing import (
    LABELS,
    Step,
    do_step,
    result_step,
    result_steps,
    status_step,
    vote_step,
)
from tvm_vote_tui.venues.token import token_from_env
from tvm_vote_tui.votethread.posts import ThreadError

if TYPE_CHECKING:
    from textual.app import App

    from tvm_vote_tui.domain.model import Session

NOT_TWICE = "Nothing is posted twice: what was posted before is found and recorded."


class PostingApp(Protocol):
    """What posting needs of the app (so it never imports the app)."""

    meeting: Meeting
    clock: Clock

    def record_outcome(self, outcome: Outcome) -> None: ...

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = False,
    ) -> None: ...


class Posting:
    """The posts of one app, one at a time."""

    def __init__(self, app: PostingApp) -> None:
        self.app = app
        self.busy = ""
        """What is being posted now ('' when nothing is)."""
        self.progress: Progress | None = None

    # -- the three flows ------------------------------------------------------------------------

    def post_vote(self, repo: Repo) -> None:
        """Show the [VOTE] as an issue in `repo`; on ctrl+s post it, and the draft opens."""
        self._start(self._vote(repo))

    def publish_result(self) -> None:
        """Each result step not yet done, in order, shown and posted (or left out) one by one."""
        self._start(self._result())

    def post_status(self) -> None:
        """The tally as it stands, shown and posted as a comment on the vote issue."""
        self._start(self._status())

    def _start(self, flow: object) -> None:
        if self.busy:
            self.app.notify(f"Posting {self.busy} to GitHub now: one post at a time.", severity="warning")
            close = getattr(flow, "close", None)
            if close is not None:
                close()
            return
        self._textual.run_worker(flow, group="posting")  # type: ignore[arg-type]

    async def _vote(self, repo: Repo) -> None:
        ready = self._ready(draft=True)
        if ready is None:
            return
        path, session, api, poster = ready
        step = self._checked(partial(vote_step, session, repo, api, self.app.meeting.now()))
        if step is None:
            return
        note = "The vote opens when GitHub creates the issue, at its own time. " + NOT_TWICE
        if await self._preview("Post the [VOTE] to GitHub as a new issue?", step, note=note) != POST:
            return
        posted = await self._post(step, poster, "the [VOTE]")
        if posted is None or not self._still(path):
            return
        opening = posted_to_github(parse_issue_ref(posted.url), min(posted.at, self.app.meeting.now()))
        outcome = self.app.meeting.open_vote(opening)
        self.app.record_outcome(outcome)
        if outcome.ok:
            self._said(posted, "the [VOTE]")

    async def _result(self) -> None:
        ready = self._ready(closed=True)
        if ready is None:
            return
        path, session, api, poster = ready
        steps = self._checked_all(lambda: result_steps(session, api))
        if steps is None:
            return
        if all(step.done is not None for step in steps):
            self.app.notify("The result is published on GitHub already: every step is done (F7 lists them).")
            return
        lines = [
            StepLine(
                step.name,
                step.label,
                step.where,
                step.done.url if step.done is not None else "",
                step.blocked,
            )
            for step in steps
        ]
        chosen = await self._textual.push_screen_wait(PublishSteps("Publish the result on GitHub", lines))
        if not chosen:
            if chosen is not None:
                self.app.notify("No step chosen: nothing posted.")
            return
        done_now: list[str] = []
        for name in chosen:
            number = GITHUB_RESULT_STEPS.index(name) + 1
            now = self._session(path)  # as the last step left it
            if now is None:
                return
            step = self._checked(partial(result_step, now, name, api))
            if step is None:
                return
            if step.done is not None:
                continue
            if step.waits_for:
                why = f"it needs {LABELS[step.waits_for]}, which is not done"
                self.app.notify(one_line(f"{step.label}: not done: {why}."), severity="warning", timeout=10)
                continue
            heading = f"Publish the result, step {number} of {len(GITHUB_RESULT_STEPS)}: {step.label}?"
            answer = await self._preview(heading, step, leave_out=True, note=NOT_TWICE)
            if answer is None:
                self.app.notify("Publishing stopped: F6, p goes on with the steps not done.")
                return
            if answer == SKIP:
                continue
            posted = await self._post(step, poster, step.label)
            if posted is None or not self._still(path):
                return
            if not self._record(posted, step.label):
                return
            done_now.append(name)
        after = self._session(path)
        if after is not None:
            missing = after.missing_steps(GITHUB_RESULT_STEPS)
            left = f" Not done: {', '.join(missing)} (F6, p)." if missing else " Every step is done."
            self.app.notify(one_line(f"Result on GitHub: {len(done_now)} step(s) done now.{left}"))

    async def _status(self) -> None:
        ready = self._ready(opened=True)
        if ready is None:
            return
        path, session, api, poster = ready
        step = self._checked(partial(status_step, session, api, self.app.meeting.now()))
        if step is None:
            return
        note = "A status comment is never a result; post one whenever you wish. " + NOT_TWICE
        if await self._preview("Post the current tally as a comment?", step, note=note) != POST:
            return
        posted = await self._post(step, poster, "the status comment")
        if posted is not None and self._still(path):
            self._record(posted, "the status comment")

    # -- the pieces -------------------------------------------------------------------------------

    @property
    def _textual(self) -> App[None]:
        return cast("App[None]", self.app)

    def _ready(
        self, *, draft: bool = False, opened: bool = False, closed: bool = False
    ) -> tuple[Path, Session, GitHubApi, GitHubPoster] | None:
        """The open session, the API (the manager's configuration) and a poster with the token,
        or None after saying in one line why not."""
        current = self.app.meeting.current
        if current is None:
            self.app.notify(NO_SESSION, severity="warning")
            return None
        if current.read_only:
            self.app.notify(READ_ONLY, severity="warning")
            return None
        session = current.session
        state = "a draft" if session.is_draft else "closed" if session.is_closed else "open"
        if draft and not session.is_draft:
            self.app.notify(f"The vote is already {state}: only a draft is announced.", severity="warning")
            return None
        if opened and (session.is_draft or session.is_closed):
            hint = "open it first (F2, o)" if session.is_draft else "publish the result instead (F6, p)"
            self.app.notify(f"The vote is {state}: {hint}.", severity="warning")
            return None
        if closed and not session.is_closed:
            self.app.notify(
                f"The vote is {state}: the result is published once it is closed (F8).", severity="warning"
            )
            return None
        try:
            api = load_config().github_api
            poster = GitHubPoster(api, token_from_env(), repo=session.proposal.repo, clock=self.app.clock)
        except (ConfigError, ThreadError) as err:
            self.app.notify(str(err), title="Nothing posted", severity="error", timeout=15)
            return None
        return current.path, session, api, poster

    def _checked_all(self, make: Callable[[], list[Step]]) -> list[Step] | None:
        try:
            return make()
        except (ChangeRefused, ThreadRefError) as err:
            self.app.notify(str(err), title="Nothing posted", severity="warning", timeout=15)
            return None

    def _checked(self, make: Callable[[], Step]) -> Step | None:
        try:
            step = make()
        except (ChangeRefused, ThreadRefError) as err:
            self.app.notify(str(err), title="Nothing posted", severity="warning", timeout=15)
            return None
        if step.blocked and step.done is None:
            self.app.notify(one_line(f"{step.name}: {step.blocked}."), severity="warning", timeout=10)
            return None
        return step

    async def _preview(
        self, heading: str, step: Step, *, leave_out: bool = False, note: str = ""
    ) -> str | None:
        self._textual.clear_notifications()  # no notice covers the text to be posted
        answer: str | None = await self._textual.push_screen_wait(
            PostPreview(heading, step.where, step.preview(), leave_out=leave_out, note=note)
        )
        return answer

    async def _post(self, step: Step, poster: GitHubPoster, what: str) -> Posted | None:
        """Post in a thread (which is handed all it needs and touches nothing of the app)."""
        self.busy, self.progress = what, Progress()
        doing = f"Closing {step.issue.short}" if step.kind == "close" and step.issue else f"Posting {what}"
        self.app.notify(one_line(f"{doing} on GitHub ({step.where}) …"))
        try:
            return await asyncio.to_thread(do_step, poster, step, self.progress)
        except FetchError as err:
            said = one_line(f"{what[:1].upper()}{what[1:]}: {err}")
            self.app.notify(said, title="Not posted", severity="error", timeout=20)
            return None
        finally:
            self.busy, self.progress = "", None

    def _session(self, path: Path) -> Session | None:
        current = self.app.meeting.current
        if current is None or current.path != path:
            return None
        return current.session

    def _still(self, path: Path) -> bool:
        """The session posted for is still the open one (nothing else opens while a post is in flight)."""
        if self._session(path) is not None:
            return True
        self.app.notify(
            "The post was made, but its vote is no longer open here: do the same again on that vote and "
            "it is found by its marker and recorded, never posted twice.",
            severity="warning",
            timeout=20,
        )
        return False

    def _record(self, posted: Posted, what: str) -> bool:
        outcome = self.app.meeting.record_post(posted.published())
        self.app.record_outcome(outcome)
        if outcome.ok:
            self._said(posted, what)
        return outcome.ok

    def _said(self, posted: Posted, what: str) -> None:
        how = "Posted and recorded"
        if posted.found:
            how = "Found posted earlier (nothing posted again), and recorded"
        self.app.notify(one_line(f"{how}: {what}, {posted.url}"), timeout=15)
