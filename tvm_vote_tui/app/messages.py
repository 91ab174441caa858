"""Small messages that travel up from the screens to the app, and the change signal's payload."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from textual.message import Message

from tvm_vote_tui.app.controller import Edit
from tvm_vote_tui.domain.ballots import Ballot
from tvm_vote_tui.domain.opening import Opening
from tvm_vote_tui.domain.roster import Member
from tvm_vote_tui.domain.votes import Vote


@dataclass
class SessionRequest(Message):
    """A change asked for by a screen, for the session file that screen shows. The app applies it
    only to that session: a field that loses its focus as another vote takes its place changes
    nothing."""

    session_path: Path | None = field(default=None, init=False, compare=False)
    """Stamped by `VoteScreen.request`; None applies to whatever session is open."""


@dataclass
class RecordBallot(SessionRequest):
    """Record a ballot for `voter`; a `vote` of None withdraws their vote."""

    voter: str
    vote: Vote | None
    note: str = ""
    justification: str = ""


@dataclass
class UndoBallot(SessionRequest):
    """Take back the last ballot action (or roster change made by one key) of this run."""


@dataclass
class SetRosterFlag(SessionRequest):
    """Set a member's `binding` or `recused` flag in the session's roster (ctrl+z undoes it)."""

    member_id: str
    name: str
    value: bool


@dataclass
class ChangeMember(SessionRequest):
    """Add (`old` None), remove (`new` None) or edit a member of the session's roster (ctrl+z
    undoes it)."""

    old: Member | None
    new: Member | None


@dataclass
class ImportBallots(SessionRequest):
    """Record ballots accepted from a vote thread, as one change."""

    ballots: tuple[Ballot, ...]
    description: str


@dataclass
class EditSession(SessionRequest):
    """Any other change to the open session: one Session method, called with the time."""

    what: Edit
    done: str = ""
    """What to say when it worked ('' says nothing)."""


@dataclass
class CloseVote(SessionRequest):
    """Close the vote now; `reason` is required when it is early (the session checks)."""

    reason: str


@dataclass
class ReopenVote(SessionRequest):
    """Reopen a closed vote, with the reason for the audit log."""

    reason: str


@dataclass
class OpenVote(SessionRequest):
    """Open the draft: its [VOTE] was posted elsewhere, or it opens now (see domain/opening.py)."""

    opening: Opening


@dataclass
class OpenSessionFile(Message):
    """Open a saved session and show its ballots."""

    path: Path


@dataclass
class CreateSession(Message):
    """Save a new session with this title, open it and show the proposal."""

    title: str


@dataclass
class CreateSample(Message):
    """Save the sample vote (fictional people) as a session of its own and open it."""


@dataclass(frozen=True)
class Changed:
    """Published on the app's `changed` signal after the open session changed (or was opened)."""

    voter: str | None = None
    """The one voter a ballot change touched, so a screen can redraw just that row."""
