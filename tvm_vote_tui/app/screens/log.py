"""The audit log of the session: every change, in order; read-only, as on disk."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.widgets import DataTable, Static

from tvm_vote_tui.app.screens.base import VoteScreen
from tvm_vote_tui.app.widgets.row_table import RowTable
from tvm_vote_tui.domain.text import one_line, visible
from tvm_vote_tui.domain.times import local_zone


class LogScreen(VoteScreen):
    NAME = "log"

    def compose_body(self) -> ComposeResult:
        table = RowTable(id="log", cursor_type="row", zebra_stripes=True)
        table.add_columns("When", "Action", "Detail")
        yield table
        yield Static(id="entry", classes="hint", markup=False)

    def on_mount(self) -> None:
        self.refresh_view()
        self.query_one("#log", DataTable).focus()

    def refresh_view(self, voter: str | None = None) -> None:
        table = self.query_one("#log", DataTable)
        log = self.session.log
        for entry in log[table.row_count :]:  # append-only: only new entries are added
            when = entry.at.in_timezone(local_zone()).format("YYYY-MM-DD HH:mm:ss")
            # Data, never markup: an action or detail is shown as the text it is.
            table.add_row(
                when, Text(one_line(entry.action)), Text(one_line(entry.detail)), key=str(table.row_count)
            )
        if table.row_count > len(log):  # an undo never removes log entries; a reload might
            table.clear()
            self.refresh_view()
        table.border_title = f"{len(log)} entries"
        table.move_cursor(row=table.row_count - 1)

    @on(DataTable.RowHighlighted)
    def _show_entry(self, event: DataTable.RowHighlighted) -> None:
        """The full detail of the highlighted entry, which the table may cut."""
        entry = self.session.log[event.cursor_row]
        self.query_one("#entry", Static).update(visible(f"{entry.action}: {entry.detail}", "\n"))
