"""The baseline program for the start-up benchmarks: a bare Textual app (Header, a 30-row
DataTable, Footer), started and quit as a user would (ctrl+q is Textual's own quit key).

    python benchmarks/bare_app.py
"""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.widgets import DataTable, Footer, Header


class Bare(App[None]):
    def compose(self) -> ComposeResult:
        yield Header()
        table: DataTable[str] = DataTable()
        table.add_columns("Voter", "Vote", "Standing", "Note", "At")
        for i in range(30):
            table.add_row(f"Member {i}", "+1", "binding", "", "12:00")
        yield table
        yield Footer()


if __name__ == "__main__":
    Bare().run()
