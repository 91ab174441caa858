"""Import ballots from a vote thread: paste or load it, review each proposed ballot, record."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import DataTable, Input, Select, Static, TextArea

from tvm_vote_tui.app import messages as msg
from tvm_vote_tui.app.screens.base import VoteScreen
from tvm_vote_tui.app.widgets.ballot_form import BallotEntry, BallotForm
from tvm_vote_tui.domain.times import local_zone
from tvm_vote_tui.store.sessions import StoreError, read_text
from tvm_vote_tui.votethread.posts import ThreadError
from tvm_vote_tui.votethread.proposals import Proposed, propose
from tvm_vote_tui.votethread.to_ballots import to_ballot

COLUMNS = ("take", "author", "member", "vote", "binding", "recorded", "why", "line")


@dataclass
class Row:
    """A proposed ballot and what the manager decided about it."""

    proposed: Proposed
    accepted: bool


def when(moment: object) -> str:
    from pendulum import DateTime

    return moment.in_timezone(local_zone()).format("MMM D HH:mm") if isinstance(moment, DateTime) else "?"


class ImportThreadScreen(VoteScreen):
    NAME = "import"
    BINDINGS = [
        Binding("ctrl+r", "parse", "Read thread", tooltip="Read the pasted text or the file"),
        Binding("space", "toggle_accept", "Accept/skip", tooltip="Accept or skip the highlighted ballot"),
        Binding("e", "edit", "Edit", tooltip="Change the voter or the vote of the highlighted row"),
        Binding("x,delete", "drop", "Drop", tooltip="Drop the highlighted row"),
        Binding("ctrl+s", "record", "Record accepted", tooltip="Record accepted rows as one change"),
        Binding("ctrl+z", "undo", "Undo"),
    ]
    EXTRA_KEYS = (
        ("tab", "move between the file path, the paste area and the review table"),
        ("enter (path)", "read the file"),
    )

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[Row] = []

    def compose_body(self) -> ComposeResult:
        with Horizontal(id="thread-source"):
            yield Input(placeholder="Path to a saved thread or mbox file (enter reads it)", id="thread-path")
            yield Select(
                [("Detect", "auto"), ("GitHub issue", "github"), ("Mail / mbox", "mail")],
                value="auto",
                allow_blank=False,
                id="thread-format",
            )
        yield TextArea(id="thread-text", soft_wrap=True)
        yield Static(
            "Paste the thread above (or give a file), then ctrl+r. Nothing is recorded until "
            "you press ctrl+s.",
            id="thread-summary",
            markup=False,
        )
        table: DataTable[object] = DataTable(id="proposals", cursor_type="row", zebra_stripes=True)
        for column in COLUMNS:
            table.add_column(column.capitalize() if column != "take" else "✓", key=column)
        yield table
        yield Static(id="proposal-detail", classes="hint", markup=False)

    def on_mount(self) -> None:
        self.query_one("#thread-path", Input).focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("toggle_accept", "edit", "drop"):
            return self.query_one("#proposals", DataTable).has_focus and bool(self.rows)
        if action == "record":
            return any(row.accepted for row in self.rows)
        return True

    # -- reading ---------------------------------------------------------------------------

    @on(Input.Submitted, "#thread-path")
    def action_parse(self) -> None:
        raw = self.query_one("#thread-path", Input).value.strip()
        summary = self.query_one("#thread-summary", Static)
        if raw:
            try:
                text = read_text(Path(raw).expanduser())
            except (StoreError, ValueError) as err:
                summary.update(str(err))
                return
        else:
            text = self.query_one("#thread-text", TextArea).text
        if not text.strip():
            summary.update("Nothing to read: paste the thread or give the path of a saved thread.")
            return
        fmt = str(self.query_one("#thread-format", Select).value)
        try:
            report = propose(text, self.session, fmt, self.shell.clock())
        except ThreadError as err:
            summary.update(str(err))
            return
        self.rows = [Row(p, p.clear) for p in report.proposed]
        summary.update(
            f"{report.posts} messages, {len(report.proposed)} voters with a vote: "
            f"{len(report.clear)} clear (accepted), {len(report.review)} to review. "
            "space accepts or skips, e edits, x drops, ctrl+s records the accepted ones."
        )
        self._fill()
        table = self.query_one("#proposals", DataTable)
        if self.rows:
            table.focus()
        self.refresh_bindings()

    def _cells(self, row: Row) -> tuple[object, ...]:
        p = row.proposed
        member = self.session.member(p.voter)
        recorded = ""
        if p.recorded is not None:
            recorded = (
                f"{p.recorded.vote.text if p.recorded.vote else 'withdrawn'} {when(p.recorded.cast_at)}"
            )
        return (
            Text("✓" if row.accepted else "·", style="bold green" if row.accepted else "dim"),
            Text(p.author),
            Text(
                f"{member.name} ({p.matched_by})"
                if member and p.matched_by
                else (member.name if member else "—")
            ),
            Text(p.vote.text if p.vote else "?"),
            "binding" if p.binding else "non-bind",
            Text(recorded),
            Text("; ".join(p.why) or "clear", style="yellow" if p.why else "green"),
            Text(p.line),
        )

    def _fill(self) -> None:
        table = self.query_one("#proposals", DataTable)
        cursor = table.cursor_row
        table.clear()
        for index, row in enumerate(self.rows):
            table.add_row(*self._cells(row), key=str(index))
        if self.rows:
            table.move_cursor(row=min(max(cursor, 0), len(self.rows) - 1))
        self._show_detail()

    def _current_row(self) -> Row | None:
        table = self.query_one("#proposals", DataTable)
        if not self.rows or table.cursor_row < 0 or table.cursor_row >= len(self.rows):
            return None
        return self.rows[table.cursor_row]

    @on(DataTable.RowHighlighted, "#proposals")
    def _show_detail(self) -> None:
        row = self._current_row()
        detail = self.query_one("#proposal-detail", Static)
        if row is None:
            detail.update("")
            return
        p = row.proposed
        parts = [f"{p.author} on {when(p.date)}: {p.line}"]
        if p.why:
            parts.append("Review: " + "; ".join(p.why))
        if p.candidates:
            parts.append("Closest roster ids: " + ", ".join(p.candidates))
        if p.history:
            parts.append("Earlier in the thread: " + ", ".join(h.vote.text for h in p.history if h.vote))
        detail.update("\n".join(parts))

    # -- deciding --------------------------------------------------------------------------

    def action_toggle_accept(self) -> None:
        row = self._current_row()
        if row is None:
            return
        if row.proposed.vote is None:
            self.notify("This row has no vote; edit it first (e).", severity="warning")
            return
        row.accepted = not row.accepted
        self._fill()
        self.refresh_bindings()

    def action_drop(self) -> None:
        row = self._current_row()
        if row is not None:
            self.rows.remove(row)
            self._fill()
            self.refresh_bindings()

    def action_edit(self) -> None:
        row = self._current_row()
        if row is None:
            return
        p = row.proposed
        hint = f" (closest: {', '.join(p.candidates)})" if p.candidates else ""

        def edited(entry: BallotEntry | None) -> None:
            if entry is None:
                return
            session = self.session
            member = session.member(session.find_voter(entry.voter) or entry.voter)
            p.voter = member.id if member else entry.voter
            p.matched_by = "chosen by you" if member else ""
            p.binding = member is not None and member.binding and not member.recused
            p.vote = entry.vote
            p.reasons = []
            p.recorded = session.latest().get(p.voter)
            row.accepted = True
            self._fill()
            self.refresh_bindings()

        self.app.push_screen(
            BallotForm(
                f"Ballot from {p.author}{hint}: roster id or name, and the vote",
                voter=p.voter,
                vote=p.vote.text if p.vote else "+1",
                ask_name=True,
            ),
            edited,
        )

    def action_record(self) -> None:
        accepted = [row.proposed for row in self.rows if row.accepted and row.proposed.vote is not None]
        if not accepted:
            return
        now = self.shell.clock()
        ballots = tuple(to_ballot(p, now) for p in accepted)
        source = self.query_one("#thread-path", Input).value.strip() or "pasted text"
        self.request(msg.ImportBallots(ballots, f"thread ({Path(source).name or source})"))
        self.rows = [row for row in self.rows if not row.accepted]
        self._fill()
        self.refresh_bindings()

    def action_undo(self) -> None:
        self.request(msg.UndoBallot())
