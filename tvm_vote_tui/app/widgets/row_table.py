"""A DataTable of rows (a row cursor) whose Home and End go to the first and last row.

DataTable binds Home/End to the leftmost/rightmost column, so in a table wider than the screen
End scrolled the rows sideways until they looked empty; ctrl+home/ctrl+end still do the same."""

from __future__ import annotations

from textual.binding import Binding
from textual.widgets import DataTable


class RowTable(DataTable[object]):
    BINDINGS = [
        Binding("home", "scroll_top", "First row", show=False),
        Binding("end", "scroll_bottom", "Last row", show=False),
    ]
