"""Recording ballots live: one key per vote, with the threshold meter always in view."""

from __future__ import annotations

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical

from tvm_vote_tui.app import messages as msg
from tvm_vote_tui.app.screens.base import VoteScreen
from tvm_vote_tui.app.widgets.ballot_form import BallotEntry, BallotForm
from tvm_vote_tui.app.widgets.ballot_rows import JumpIndex, history_text, row_cells, voter_order
from tvm_vote_tui.app.widgets.ballot_table import BallotTable, Cells
from tvm_vote_tui.app.widgets.line import Line
from tvm_vote_tui.app.widgets.meter import MeterInput, ThresholdMeter
from tvm_vote_tui.app.widgets.modals import ChoiceModal, TextPrompt
from tvm_vote_tui.domain.model import DRAFT_REFUSED, Member, Session
from tvm_vote_tui.domain.roster import members_named
from tvm_vote_tui.domain.text import one_line
from tvm_vote_tui.domain.times import span_words
from tvm_vote_tui.domain.votes import MINUS_ONE, PLUS_ONE, ZERO, Counted, Vote

TALL = 30
"""From this height on, the meter lists more names of those not voted (7 lines at 40 rows)."""
GUEST = "\x00guest"
"""The guest dialog's answer for "not on the roster" (no id can hold a control character)."""


def meter_input(session: Session, names: dict[str, str] | None = None) -> MeterInput:
    return MeterInput(
        tally=session.tally(),
        closes_at=session.proposal.closes_at,
        closed=session.is_closed,
        names=names if names is not None else {m.id: m.name for m in session.roster},
        window=span_words(session.proposal.window),
        unjustified=tuple(session.unjustified_vetoes()),
    )


class BallotsScreen(VoteScreen):
    NAME = "ballots"
    BINDINGS = [
        Binding("plus", "vote('+1')", "+1", key_display="+"),
        Binding("equals_sign", "vote('+1')", "+1", key_display="=", show=False),  # + without shift
        Binding("0", "vote('0')", "0"),
        Binding("minus", "vote('-1')", "-1", key_display="-"),
        Binding("delete", "withdraw", "Withdraw", key_display="del"),
        Binding("backspace", "backspace", "Correct name", show=False),
        Binding("enter", "ballot_form", "Vote/note", show=False),
        Binding("ctrl+n", "free_voter", "Guest vote", tooltip="Record a voter not on the roster"),
        Binding("ctrl+z", "undo", "Undo"),
        Binding("escape", "clear_jump", "Clear jump", show=False),
    ]
    EXTRA_KEYS = (
        ("letters", "type part of a name, id or GitHub handle to jump to that member (accents ignored)"),
        ("digits", "after letters, go on with an id or handle (mal2); 0 still records +0 when no one's does"),
        ("backspace", "correct a typed name (it never withdraws a vote: del does)"),
        ("escape", "clear what was typed"),
        ("enter", "record any value (e.g. +0.5) and a note for the highlighted member"),
    )

    def __init__(self) -> None:
        super().__init__()
        self._jump = ""
        self._jump_missed = False
        self._jump_count = 0
        """How many voters the typed name matches (more than one: the line says so)."""
        self._jump_pick = 0
        """Which of them is highlighted (down/up go through them), the best first."""
        self._order: list[str] = []
        self._members: dict[str, Member] = {}
        self._names: dict[str, str] = {}
        self._binding: frozenset[str] = frozenset()
        self._index: JumpIndex | None = None
        """Folded names for type-to-jump, built once per rebuild."""
        self._follow: str | None = None
        """A voter to highlight once their row appears (a guest just recorded)."""

    def compose_body(self) -> ComposeResult:
        with Horizontal():
            with Vertical(id="left"):
                yield BallotTable(self._cells, id="ballots")
                yield Line(id="detail")
            yield ThresholdMeter(self.shell.clock, id="meter")

    @property
    def table(self) -> BallotTable:
        return self.query_one("#ballots", BallotTable)

    def on_mount(self) -> None:
        self.on_resize()
        self.refresh_view()
        self.table.focus()

    def on_resize(self) -> None:
        """A tall screen lists more of the binding members who have not voted beside the table."""
        height = self.app.size.height
        self.query_one("#meter", ThresholdMeter).name_lines = 2 if height < TALL else 2 + (height - TALL) // 2

    def refresh_view(self, voter: str | None = None) -> None:
        """Redraw the meter, and the one row a ballot touched (or every row)."""
        if voter is not None and self.table.has_row(voter):
            self.table.update_row(voter)
        else:
            self._rebuild()
        self.query_one("#meter", ThresholdMeter).data = meter_input(self.session, self._names)
        if self._follow is not None:
            self.table.move_to(self._follow)
            self._follow = None
        self._show_detail()

    def _rebuild(self) -> None:
        """Recompute the caches and give the table its rows; it draws only those on screen."""
        session = self.session
        self._members = {m.id: m for m in session.roster}
        self._names = {m.id: m.name for m in session.roster}
        for key, ballot in session.latest().items():
            self._names.setdefault(key, ballot.voter)
        self._binding = session.keys.binding
        self._order = voter_order(session)
        self._index = None
        self.table.set_rows(self._order)

    def _cells(self, voter: str) -> Cells:
        """A row's cells, asked for by the table when it draws the row."""
        latest = self.session.latest().get(voter)
        return row_cells(self._members.get(voter), voter, latest, self._binding)

    def _highlighted(self) -> str | None:
        return self.table.cursor_key

    def _show_detail(self) -> None:
        voter = self._highlighted()
        if voter is None:
            text = "The roster is empty: add members (F3), or ctrl+n records a guest's vote."
        else:
            text = history_text(self.session, voter, self._names.get(voter, voter))
        if self._jump and self._jump_missed:
            text = f"Jump: {self._jump}▏ matches no one — backspace corrects it, escape clears it."
        elif self._jump and self._jump_count > 1 and voter is not None:
            name = self._names.get(voter, voter)
            text = (
                f"Jump: {self._jump}▏ → {name} ({self._jump_pick + 1} of {self._jump_count}: type more, "
                f"or down/up for the next) · {text}"
            )
        elif self._jump:
            text = f"Jump: {self._jump}▏ → {text}"
        self.query_one("#detail", Line).text = one_line(text)

    @on(BallotTable.Highlighted)
    def _highlight(self) -> None:
        self._show_detail()

    # -- recording -------------------------------------------------------------------------

    def _refuse_draft(self) -> bool:
        """A draft takes no ballots: say so in the one line every screen and command uses."""
        if self.session.is_draft and not self.current.read_only:
            self.notify(DRAFT_REFUSED, severity="warning")
            return True
        return False

    def _target(self) -> str | None:
        """The voter a vote key records for; None (and why) while the typed name matches no one."""
        if self._refuse_draft():
            return None
        if self._jump_missed:
            self.notify(
                f"No one matches {self._jump!r}: correct it (backspace) or clear it (escape) first.",
                severity="warning",
            )
            return None
        return self._highlighted()

    def action_vote(self, text: str) -> None:
        voter = self._target()
        if voter is not None:
            self._record(voter, {"+1": PLUS_ONE, "0": ZERO, "-1": MINUS_ONE}[text], "")

    def _record(self, voter: str, vote: Vote, note: str) -> None:
        self._clear_jump()
        self._show_detail()
        session = self.session
        is_veto = vote.counted is Counted.MINUS and session.proposal.veto_applies and voter in self._binding
        if not is_veto or self.locked:
            self.request(msg.RecordBallot(voter, vote, note))
            return

        def justified(reason: str | None) -> None:
            if reason:
                self.request(msg.RecordBallot(voter, vote, note, reason))

        self.app.push_screen(
            TextPrompt(
                f"A binding -1 is a veto under {session.rule.name}. Justification from "
                f"{session.display_name(voter)}:",
                hint="A veto without a justification is not valid; escape records nothing.",
                validate=lambda t: None if t.strip() else "A veto needs a justification.",
            ),
            justified,
        )

    def action_backspace(self) -> None:
        """Backspace corrects a typed name, and only that: right after a vote it is the key fingers
        reach for to fix a typo, so it never withdraws (del does)."""
        if self._jump:
            self._jump = self._jump[:-1]
            self._jump_to()
            return
        self.notify("Nothing typed to correct. To withdraw the highlighted member's vote, press del.")

    def action_withdraw(self) -> None:
        voter = self._target()
        if voter is None:
            return
        self._clear_jump()
        self._show_detail()
        self.request(msg.RecordBallot(voter, None))

    @on(BallotTable.Selected)
    def action_ballot_form(self) -> None:
        voter = self._target()
        if voter is None or self.refuse_if_locked():
            return
        latest = self.session.latest().get(voter)

        def entered(entry: BallotEntry | None) -> None:
            if entry is not None:
                self._record(voter, entry.vote, entry.note)

        self.app.push_screen(
            BallotForm(
                f"Ballot of {self.session.display_name(voter)}",
                voter=voter,
                vote=latest.vote.text if latest and latest.vote else "+1",
                note=latest.note if latest else "",
                ask_name=False,
            ),
            entered,
        )

    def action_free_voter(self) -> None:
        if self.refuse_if_locked() or self._refuse_draft():
            return
        self.app.push_screen(
            BallotForm("Vote of someone not on the roster (non-binding)", ask_name=True), self._guest_entered
        )

    def _guest_entered(self, entry: BallotEntry | None) -> None:
        """A name typed for someone not on the roster. When it may stand for members (their id,
        handle, name, first name, or a near miss) or for a guest who already voted, it asks who is
        meant, listing every one with what the vote does to theirs: a member is never recorded
        silently, and a recorded vote is never replaced without saying whose, from what to what."""
        if entry is None:
            return
        session = self.session
        typed = entry.voter.strip()
        members = members_named(typed, session.roster)
        earlier = None if session.member(typed) else session.current_votes().get(session.voter_key(typed))
        if not members and earlier is None:
            self._record_guest(typed, entry)
            return
        vote = entry.vote.text
        choices = [
            (m.id, f"{m.name} ({m.id}, {self._standing(m)}): {self._effect(m.id, vote)}") for m in members
        ]
        taken = session.member(typed)  # a roster id: no one else can be recorded under it
        if taken is None:
            choices.append(
                (GUEST, f"{typed!r}, not on the roster (non-binding): {self._effect(typed, vote)}")
            )
        if len(members) == 1:
            question = f"{typed!r} may stand for {members[0].name}, on the roster. Did you mean …?"
        elif members:
            named = ", ".join(m.name for m in members)
            question = (
                f"{typed!r} may stand for {len(members)} members on the roster: {named}. Did you mean …?"
            )
        else:
            question = f"{typed!r} has voted before, as someone not on the roster. Record this vote for them?"

        def chosen(choice: str | None) -> None:
            if choice is not None:
                self._record_guest(typed if choice == GUEST else choice, entry)

        hint = "↑/↓ and enter record the vote for the one chosen; escape records nothing."
        if taken is not None:
            hint += f" {typed!r} is the id of {taken.name}: type a guest's full name to record someone else."
        self.app.push_screen(
            ChoiceModal(question, choices, hint=hint),
            chosen,
        )

    def _standing(self, member: Member) -> str:
        return "recused" if member.recused else "binding" if member.id in self._binding else "non-binding"

    def _effect(self, voter: str, vote: str) -> str:
        """What recording `vote` for `voter` does: 'has not voted: records +1', 'their 0 becomes +1'."""
        current = self.session.current_votes().get(self.session.voter_key(voter))
        if current is None or current.vote is None:
            return f"has not voted: records {vote}"
        if current.vote.text == vote:
            return f"already voted {vote}: nothing changes"
        return f"their {current.vote.text} becomes {vote}"

    def _record_guest(self, voter: str, entry: BallotEntry) -> None:
        self._follow = self.session.voter_key(voter)
        self._record(voter, entry.vote, entry.note)

    def action_undo(self) -> None:
        self.request(msg.UndoBallot())

    # -- type to jump ----------------------------------------------------------------------

    def on_key(self, event: events.Key) -> None:
        if event.key in ("up", "down") and self._jump and self._jump_count > 1 and not self._jump_missed:
            event.stop()
            event.prevent_default()
            self._next_match(1 if event.key == "down" else -1)
            return
        if event.key in ("up", "down", "pageup", "pagedown", "home", "end") and self._jump:
            self._clear_jump()  # the manager picks the row by hand now
            return
        char = event.character or ""
        if not (len(char) == 1 and (char.isalpha() or self._goes_on(char))):
            return
        event.stop()
        self._jump += char
        self._jump_to()

    def _goes_on(self, char: str) -> bool:
        """Whether `char` continues a typed name: a space ("hao z"), a digit, `.` or `_` ("mal2",
        "junrushao1994"). `0` is also the +0 key: it continues the name only when someone's name,
        id or handle goes on with it, so "dave" then 0 records +0 for Dave."""
        if not self._jump or not (char in " ._" or char.isdigit()):
            return False
        if char != "0":
            return True
        return self._jump_index().find(self._jump + char) is not None

    def _jump_to(self) -> None:
        index = self._jump_index()
        found = index.find(self._jump) if self._jump else None
        self._jump_missed = bool(self._jump) and found is None
        self._jump_count = index.count(self._jump) if found is not None else 0
        self._jump_pick = 0
        if found is not None:
            self.table.move_to(found)
        self._show_detail()

    def _next_match(self, step: int) -> None:
        """Down/up while a typed name matches several: the next (or previous) of them, in turn."""
        ranked = self._jump_index().ranked(self._jump)
        if not ranked:
            return
        self._jump_count = len(ranked)
        self._jump_pick = (self._jump_pick + step) % len(ranked)
        self.table.move_to(ranked[self._jump_pick])
        self._show_detail()

    def _jump_index(self) -> JumpIndex:
        if self._index is None:
            self._index = JumpIndex(self._order, self._members, self._names)
        return self._index

    def _clear_jump(self) -> None:
        self._jump, self._jump_missed, self._jump_count, self._jump_pick = "", False, 0, 0

    def action_clear_jump(self) -> None:
        self._clear_jump()
        self._show_detail()
