"""Record any vote value with a note, or a named non-binding voter's vote."""

from __future__ import annotations

from dataclasses import dataclass

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Static

from tvm_vote_tui.app.widgets.modals import Dialog, field
from tvm_vote_tui.domain.text import visible
from tvm_vote_tui.domain.votes import ACCEPTED, Vote, VoteError, parse_vote

# The ballot table's one-key shortcuts also work in the vote field.
SHORTCUTS = {"+": "+1", "=": "+1", "y": "+1", "-": "-1", "n": "-1", "a": "0"}


@dataclass
class BallotEntry:
    voter: str
    vote: Vote
    note: str


class BallotForm(Dialog[BallotEntry | None]):
    """A vote (any accepted value, e.g. +0.5) and a note; with `ask_name`, also the voter."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(
        self,
        title: str,
        *,
        voter: str = "",
        vote: str = "+1",
        note: str = "",
        ask_name: bool,
        ok: str = "Record (enter)",
    ) -> None:
        super().__init__()
        self.title_text, self.voter, self.vote, self.note, self.ask_name = title, voter, vote, note, ask_name
        self.ok = ok
        """What enter does, on its button: 'Record', or 'Accept' where a row is only accepted."""

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(visible(self.title_text), classes="title", markup=False)
            if self.ask_name:
                yield field(
                    "Voter", self.voter, id="voter", placeholder="name (not on the roster: non-binding)"
                )
            yield field("Vote", self.vote, id="vote", placeholder="+1, 0, -1, +0.5 ...")
            yield field("Note", self.note, id="note", placeholder="optional")
            yield Static(f"Votes: {ACCEPTED}. Shortcuts: + / y, 0 / a, - / n.", classes="hint")
            yield Static("", classes="error", id="error", markup=False)
            with Horizontal(classes="buttons"):
                yield Button("Cancel (esc)", id="cancel", compact=True)
                yield Button(self.ok, id="ok", variant="primary", compact=True)

    @on(Input.Submitted)
    @on(Button.Pressed, "#ok")
    def _submit(self) -> None:
        voter = self.query_one("#voter", Input).value.strip() if self.ask_name else self.voter
        raw = self.query_one("#vote", Input).value.strip()
        error = self.query_one("#error", Static)
        if not voter:
            error.update("Enter the voter's name.")
            return
        try:
            vote = parse_vote(SHORTCUTS.get(raw.lower(), raw))
        except VoteError as err:
            error.update(str(err))
            return
        self.dismiss(BallotEntry(voter, vote, self.query_one("#note", Input).value.strip()))

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
