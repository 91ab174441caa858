"""Recording ballots live: one key per vote, with the threshold meter always in view."""

from __future__ import annotations

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import DataTable

from tvm_vote_tui.app import messages as msg
from tvm_vote_tui.app.screens.base import VoteScreen
from tvm_vote_tui.app.widgets.ballot_form import BallotEntry, BallotForm
from tvm_vote_tui.app.widgets.ballot_table import BallotTable
from tvm_vote_tui.app.widgets.line import Line
from tvm_vote_tui.app.widgets.meter import MeterInput, ThresholdMeter
from tvm_vote_tui.app.widgets.modals import TextPrompt
from tvm_vote_tui.domain.model import Ballot, Member, Session
from tvm_vote_tui.domain.text import fold, one_line
from tvm_vote_tui.domain.times import local_zone
from tvm_vote_tui.domain.votes import MINUS_ONE, PLUS_ONE, ZERO, Counted, Vote

FIRST_ROWS = 200
FILL_CHUNK = 250
COLUMNS = ("name", "vote", "standing", "note", "at")
VOTE_STYLE = {Counted.PLUS: "bold green", Counted.ZERO: "bold yellow", Counted.MINUS: "bold red"}


def meter_input(session: Session, names: dict[str, str] | None = None) -> MeterInput:
    return MeterInput(
        tally=session.tally(),
        closes_at=session.proposal.closes_at,
        closed=session.is_closed,
        names=names if names is not None else {m.id: m.name for m in session.roster},
    )


def voter_order(session: Session) -> list[str]:
    """Roster members in roster order, then other voters in the order they first voted."""
    order = [m.id for m in session.roster]
    known = set(order)
    for voter in session.latest():
        if voter not in known:
            known.add(voter)
            order.append(voter)
    return order


def standing(member: Member | None, voter: str, binding: frozenset[str]) -> str:
    if member is None:
        return "guest"
    if member.recused:
        return "recused"
    return "binding" if voter in binding else "non-bind"


def row_cells(
    member: Member | None, voter: str, latest: Ballot | None, binding: frozenset[str]
) -> tuple[object, ...]:
    vote: Text | str = "·"
    note, at = "", ""
    if latest is not None:
        at = latest.cast_at.in_timezone(local_zone()).format("HH:mm")
        if latest.vote is None:
            vote = Text("w/d", style="dim")  # withdrawn; the detail line says it in full
        else:
            vote = Text(one_line(latest.vote.text), style=VOTE_STYLE[latest.vote.counted])
        note = latest.justification or latest.note
    name = member.name if member else voter
    return (Text(one_line(name)), vote, standing(member, voter, binding), Text(one_line(note)), at)


def history_text(session: Session, voter: str, name: str) -> str:
    ballots = session.history(voter)
    if not ballots:
        return f"{name}: no ballot yet."
    parts = []
    for ballot in ballots:
        when = ballot.cast_at.in_timezone(local_zone()).format("MMM D HH:mm")
        what = ballot.vote.text if ballot.vote else "withdrawn"
        extra = f" ({ballot.justification or ballot.note})" if (ballot.justification or ballot.note) else ""
        parts.append(f"{when} {what}{extra}")
    return f"{name} history: " + " → ".join(parts)


class JumpIndex:
    """Finds the voter a typed fragment means, ignoring case and accents ('zoe' finds Zoë),
    by name, id or GitHub handle: a name's start first, then a word's start, then anywhere."""

    def __init__(self, order: list[str], members: dict[str, Member], names: dict[str, str]):
        self.order = order
        self.names = {v: fold(names.get(v, v)) for v in order}
        self.handles = {
            v: " ".join(fold(x) for x in (v, members[v].github if v in members else "") if x) for v in order
        }

    def find(self, fragment: str) -> str | None:
        fragment = fold(fragment)
        if not fragment:
            return None
        names, handles = self.names, self.handles
        for test in (
            lambda v: names[v].startswith(fragment),
            lambda v: any(word.startswith(fragment) for word in names[v].split()),
            lambda v: any(h.startswith(fragment) for h in handles[v].split()),
            lambda v: fragment in names[v] or fragment in handles[v],
        ):
            found = next((v for v in self.order if test(v)), None)
            if found is not None:
                return found
        return None


class BallotsScreen(VoteScreen):
    NAME = "ballots"
    BINDINGS = [
        Binding("plus,equals_sign", "vote('+1')", "+1", key_display="+"),
        Binding("0", "vote('0')", "0"),
        Binding("minus", "vote('-1')", "-1", key_display="-"),
        Binding("backspace,delete", "withdraw", "Withdraw", key_display="⌫"),
        Binding("enter", "ballot_form", "Vote/note", show=False),
        Binding("ctrl+n", "free_voter", "Guest vote", tooltip="Record a voter not on the roster"),
        Binding("ctrl+z", "undo", "Undo"),
        Binding("escape", "clear_jump", "Clear jump", show=False),
    ]
    EXTRA_KEYS = (
        ("letters", "type part of a name, id or GitHub handle to jump to that member (accents ignored)"),
        ("backspace", "when the typed name matches no one: correct it (otherwise: withdraw)"),
        ("escape", "clear what was typed"),
        ("enter", "record any value (e.g. +0.5) and a note for the highlighted member"),
    )

    def __init__(self) -> None:
        super().__init__()
        self._jump = ""
        self._jump_missed = False
        self._rows: dict[str, tuple[object, ...]] = {}
        """What each shown row holds, so only changed cells are redrawn."""
        self._order: list[str] = []
        self._members: dict[str, Member] = {}
        self._names: dict[str, str] = {}
        self._binding: frozenset[str] = frozenset()
        self._filling = False
        self._index: JumpIndex | None = None
        """Folded names for type-to-jump, built once per rebuild."""
        self._follow: str | None = None
        """A voter to highlight once their row appears (a guest just recorded)."""

    def compose_body(self) -> ComposeResult:
        with Horizontal():
            with Vertical(id="left"):
                table = BallotTable(id="ballots", cursor_type="row", zebra_stripes=True)
                # Fixed widths: a row redraw never re-measures columns, so they fit the longest value.
                table.add_column("Voter", key="name", width=18)
                table.add_column("Vote", key="vote", width=6)
                table.add_column("Standing", key="standing", width=8)
                table.add_column("Note", key="note", width=14)
                table.add_column("At", key="at", width=5)
                yield table
                yield Line(id="detail")
            yield ThresholdMeter(self.shell.clock, id="meter")

    def on_mount(self) -> None:
        self.refresh_view()
        self.query_one("#ballots", DataTable).focus()

    def refresh_view(self, voter: str | None = None) -> None:
        """Redraw the meter, and the one row a ballot touched (or every row that changed)."""
        if voter is not None and voter in self._rows:
            self._update_row(voter)
        else:
            self._rebuild()
        self.query_one("#meter", ThresholdMeter).data = meter_input(self.session, self._names)
        if self._follow is not None and self._follow in self._rows:
            self._move_to(self._follow)
            self._follow = None
        self._show_detail()

    def _rebuild(self) -> None:
        """Recompute the caches and bring the table in line; rows beyond the first screenful are
        added a chunk at a time, so a 10,000-member vote shows at once and fills in behind."""
        session = self.session
        self._members = {m.id: m for m in session.roster}
        self._names = {m.id: m.name for m in session.roster}
        for key, ballot in session.latest().items():
            self._names.setdefault(key, ballot.voter)
        self._binding = session.keys.binding
        order = voter_order(session)
        if list(self._rows) != order[: len(self._rows)] or len(order) < len(self._rows):
            self.query_one("#ballots", DataTable).clear()
            self._rows = {}
        self._order = order
        self._index = None
        for voter in list(self._rows):
            self._update_row(voter)
        self._fill(FIRST_ROWS)

    def _fill(self, count: int) -> None:
        table = self.query_one("#ballots", DataTable)
        latest = self.session.latest()
        start = len(self._rows)
        for voter in self._order[start : start + count]:
            if voter in self._rows:
                continue
            cells = row_cells(self._members.get(voter), voter, latest.get(voter), self._binding)
            table.add_row(*cells, key=voter)
            self._rows[voter] = cells
        if len(self._rows) < len(self._order) and not self._filling:
            self._filling = True
            self.set_timer(0.01, self._fill_later)

    def _fill_later(self) -> None:
        self._filling = False
        self._fill(FILL_CHUNK)

    def _update_row(self, voter: str) -> None:
        latest = self.session.latest().get(voter)
        cells = row_cells(self._members.get(voter), voter, latest, self._binding)
        shown = self._rows[voter]
        if shown == cells:
            return
        changed = {column: new for column, old, new in zip(COLUMNS, shown, cells, strict=True) if old != new}
        self.query_one("#ballots", BallotTable).update_row(voter, changed)
        self._rows[voter] = cells

    def _highlighted(self) -> str | None:
        table = self.query_one("#ballots", DataTable)
        if not table.row_count:
            return None
        return str(table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value)

    def _show_detail(self) -> None:
        voter = self._highlighted()
        if voter is None:
            text = "The roster is empty: add members (F3), or ctrl+n records a guest's vote."
        else:
            text = history_text(self.session, voter, self._names.get(voter, voter))
        if self._jump and self._jump_missed:
            text = f"Jump: {self._jump}▏ matches no one — backspace corrects it, escape clears it."
        elif self._jump:
            text = f"Jump: {self._jump}▏ → {text}"
        self.query_one("#detail", Line).text = one_line(text)

    @on(DataTable.RowHighlighted)
    def _highlight(self) -> None:
        self._show_detail()

    # -- recording -------------------------------------------------------------------------

    def _target(self) -> str | None:
        """The voter a vote key records for; None (and why) while the typed name matches no one."""
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

    def action_withdraw(self) -> None:
        if self._jump_missed:  # backspace corrects a name that matches no one
            self._jump = self._jump[:-1]
            self._jump_to()
            return
        voter = self._highlighted()
        self._clear_jump()
        self._show_detail()
        if voter is not None:
            self.request(msg.RecordBallot(voter, None))

    @on(DataTable.RowSelected)
    def action_ballot_form(self) -> None:
        voter = self._target()
        if voter is None:
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
        def entered(entry: BallotEntry | None) -> None:
            if entry is None:
                return
            voter = self.session.find_voter(entry.voter) or entry.voter.strip()
            self._follow = self.session.voter_key(voter)
            self._record(voter, entry.vote, entry.note)

        self.app.push_screen(
            BallotForm("Vote of someone not on the roster (non-binding)", ask_name=True), entered
        )

    def action_undo(self) -> None:
        self.request(msg.UndoBallot())

    # -- type to jump ----------------------------------------------------------------------

    def _move_to(self, voter: str) -> None:
        table = self.query_one("#ballots", DataTable)
        if voter in self._rows:
            table.move_cursor(row=table.get_row_index(voter))

    def on_key(self, event: events.Key) -> None:
        if event.key in ("up", "down", "pageup", "pagedown", "home", "end") and self._jump:
            self._clear_jump()  # the manager picks the row by hand now
            return
        if not (event.character and len(event.character) == 1 and event.character.isalpha()):
            return
        event.stop()
        self._jump += event.character
        self._jump_to()

    def _jump_to(self) -> None:
        if self._index is None:
            self._index = JumpIndex(self._order, self._members, self._names)
        found = self._index.find(self._jump) if self._jump else None
        self._jump_missed = bool(self._jump) and found is None
        if found is not None:
            if found not in self._rows:
                self._fill(self._order.index(found) + 1 - len(self._rows))
            self._move_to(found)
        self._show_detail()

    def _clear_jump(self) -> None:
        self._jump, self._jump_missed = "", False

    def action_clear_jump(self) -> None:
        self._clear_jump()
        self._show_detail()
