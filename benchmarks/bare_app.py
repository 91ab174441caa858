"""The baseline program for the start-up and key benchmarks: a bare Textual app (Header, a
30-row DataTable, Footer), started and quit as a user would (ctrl+q is Textual's own quit key).

    python benchmarks/bare_app.py [--count]

With --count it also shows a line of counts that `+` and `-` change: the least a Textual app
does to show that a key changed a number (the table is left alone: updating one DataTable cell
costs about 20 ms, more than the app's whole ballot).
"""

from __future__ import annotations

import sys

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Footer, Header, Static


class Bare(App[None]):
    def compose(self) -> ComposeResult:
        yield Header()
        table: DataTable[str] = DataTable()
        table.add_columns("Voter", "Vote", "Standing", "Note", "At")
        for i in range(30):
            table.add_row(f"Member {i}", "+1", "binding", "", "12:00")
        yield table
        yield Footer()


class Counting(Bare):
    """Bare, plus a count line that + and - change, as a vote changes the meter's counts."""

    BINDINGS = [Binding("plus", "vote(1)", "+1"), Binding("minus", "vote(-1)", "-1")]
    CSS = "DataTable { height: 1fr; } #counts { height: 1; }"

    def __init__(self) -> None:
        super().__init__()
        self.plus, self.minus = 1, 0

    def compose(self) -> ComposeResult:
        yield from super().compose()
        yield Static(self.counts(), id="counts")

    def counts(self) -> str:
        return f"Binding     +1 {self.plus}   0 0   -1 {self.minus}"

    def action_vote(self, value: int) -> None:
        if value == 1:
            self.plus, self.minus = self.plus + 1, self.minus - 1
        else:
            self.plus, self.minus = self.plus - 1, self.minus + 1
        self.query_one("#counts", Static).update(self.counts(), layout=False)


if __name__ == "__main__":
    (Counting() if "--count" in sys.argv[1:] else Bare()).run()
