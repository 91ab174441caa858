"""Small messages that travel up from the screens to the app, and the change signal's payload."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from textual.message import Message

from tvm_vote_tui.app.controller import Edit
from tvm_vote_tui.domain.ballots import Ballot
from tvm_vote_tui.domain.votes import Vote


@dataclass
class RecordBallot(Message):
    """Record a ballot for `voter`; a `vote` of None withdraws their vote."""

    voter: str
    vote: Vote | None
    note: str = ""
    justification: str = ""


@dataclass
class UndoBallot(Message):
    """Take back the last ballot action of this run."""


@dataclass
class ImportBallots(Message):
    """Record ballots accepted from a vote thread, as one change."""

    ballots: tuple[Ballot, ...]
    description: str


@dataclass
class EditSession(Message):
    """Any other change to the open session: one Session method, called with the time."""

    what: Edit
    done: str = ""
    """What to say when it worked ('' says nothing)."""


@dataclass
class CloseVote(Message):
    """Close the vote now; `reason` is required when it is early (the session checks)."""

    reason: str


@dataclass
class ReopenVote(Message):
    """Reopen a closed vote, with the reason for the audit log."""

    reason: str


@dataclass
class OpenSessionFile(Message):
    """Open a saved session and show its ballots."""

    path: Path


@dataclass
class CreateSession(Message):
    """Save a new session with this title, open it and show the proposal."""

    title: str


@dataclass(frozen=True)
class Changed:
    """Published on the app's `changed` signal after the open session changed (or was opened)."""

    voter: str | None = None
    """The one voter a ballot change touched, so a screen can redraw just that row."""
