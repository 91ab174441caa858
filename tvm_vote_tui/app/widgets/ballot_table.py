"""The ballot rows, drawn on demand with Textual's line API: only the lines on screen are ever
rendered, so opening a 10,000-voter vote costs what opening a 20-voter one does.

The table holds the voters' keys in order and asks `cells(key)` for a row's cells when the row
is first drawn (and again after `update_row`). A ballot redraws one line; nothing is measured
again, because the columns take their widths from the table's width alone.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.cache import LRUCache
from textual.geometry import Region, Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

Cells = tuple[Text | str, ...]
"""A row's cells in column order: voter, vote, standing, note, time."""

HEADER = ("Voter", "Vote", "Standing", "Note", "At")


@dataclass(frozen=True)
class Column:
    cell: int
    """Which of the row's cells it shows."""
    width: int


WIDE = 70
"""From this width of the table on (beside the meter at 120 columns, not at 80), the vote and
standing columns have room for whole words."""
SHORT = {"withdrawn": "w/d", "non-binding": "non-bind"}
"""The short form a cell takes in a column too narrow for the word (at 80 columns)."""


def columns_for(width: int) -> tuple[Column, ...]:
    """The columns that fit `width` cells, each after one space, with a space at the end: the
    voter gets up to 24 cells, the note the rest; the time only where a useful note fits too."""
    vote, standing, at = (9, 11, 5) if width >= WIDE else (5, 8, 5)
    fixed = 1 + vote + 1 + standing + 3  # the gaps before the vote, standing, voter, note, and after
    show_at = width >= 64
    rest = width - fixed - (at + 1 if show_at else 0)
    voter = max(8, min(24, rest * 3 // 5))
    note = max(4, rest - voter)
    shown = [Column(0, voter), Column(1, vote), Column(2, standing), Column(3, note)]
    return (*shown, Column(4, at)) if show_at else tuple(shown)


class BallotTable(ScrollView, can_focus=True):
    """Voters and their ballots, one row each, with a highlighted row that vote keys act on."""

    BINDINGS = [
        Binding("up", "cursor(-1)", "Up", show=False),
        Binding("down", "cursor(1)", "Down", show=False),
        Binding("pageup", "page(-1)", "Page up", show=False),
        Binding("pagedown", "page(1)", "Page down", show=False),
        Binding("home", "edge(0)", "First", show=False),
        Binding("end", "edge(1)", "Last", show=False),
    ]
    COMPONENT_CLASSES = {"ballot-table--header", "ballot-table--cursor", "ballot-table--even-row"}
    DEFAULT_CSS = """
    BallotTable {
        background: $surface;
        color: $foreground;
        scrollbar-size-vertical: 1;
        &:focus {
            background-tint: $foreground 5%;
            & > .ballot-table--cursor {
                background: $block-cursor-background;
                color: $block-cursor-foreground;
                text-style: $block-cursor-text-style;
            }
        }
        & > .ballot-table--header { text-style: bold; background: $panel; color: $foreground; }
        & > .ballot-table--even-row { background: $surface-lighten-1 50%; }
        &:dark > .ballot-table--even-row { background: $surface-darken-1 40%; }
        & > .ballot-table--cursor {
            background: $block-cursor-blurred-background;
            color: $block-cursor-blurred-foreground;
            text-style: $block-cursor-blurred-text-style;
        }
    }
    """

    class Highlighted(Message):
        """The highlighted row changed."""

        def __init__(self, key: str | None) -> None:
            super().__init__()
            self.key = key

    class Selected(Message):
        """The highlighted row was clicked again."""

        def __init__(self, key: str) -> None:
            super().__init__()
            self.key = key

    def __init__(self, cells: Callable[[str], Cells], *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._cells = cells
        self._keys: list[str] = []
        self._index: dict[str, int] = {}
        self._row_cells: dict[str, Cells] = {}
        """Cells of the rows drawn so far; a row's entry is dropped when it changes."""
        self._lines: LRUCache[tuple[object, ...], Strip] = LRUCache(1024)
        """Drawn lines, so that repainting the screen (the title changes on every ballot) draws
        nothing again: keyed by row, its version, width and look (stripe, highlight, focus)."""
        self._versions: dict[str, int] = {}
        self.cursor = 0

    # -- rows --------------------------------------------------------------------------------

    @property
    def row_count(self) -> int:
        return len(self._keys)

    def has_row(self, key: str) -> bool:
        return key in self._index

    @property
    def cursor_key(self) -> str | None:
        return self._keys[self.cursor] if self._keys else None

    def row(self, key: str) -> Cells:
        """The cells of a row as the table draws it."""
        cells = self._row_cells.get(key)
        if cells is None:
            cells = self._row_cells[key] = self._cells(key)
        return cells

    def set_rows(self, keys: Sequence[str]) -> None:
        """Show these rows (every row's cells are asked for again); the highlight stays on the
        same key if it is still there."""
        current = self.cursor_key
        self._keys = list(keys)
        self._index = {key: i for i, key in enumerate(self._keys)}
        self._row_cells.clear()
        self._lines.clear()
        self.virtual_size = Size(0, len(self._keys) + 1)  # + the header line
        self._set_cursor(self._index.get(current, min(self.cursor, len(self._keys) - 1)) if current else 0)
        self.refresh()

    def update_row(self, key: str) -> None:
        """Draw one row again: its cells are asked for again, and only its line is repainted."""
        index = self._index.get(key)
        if index is None:
            return
        self._row_cells.pop(key, None)
        self._versions[key] = self._versions.get(key, 0) + 1
        self._refresh_row(index)

    def move_to(self, key: str) -> None:
        index = self._index.get(key)
        if index is not None:
            self._set_cursor(index)

    def _refresh_row(self, index: int) -> None:
        y = index - round(self.scroll_y) + 1
        if 1 <= y < self.size.height:
            self.refresh(Region(0, y, self.size.width, 1))

    # -- the highlight ---------------------------------------------------------------------------

    @property
    def _page(self) -> int:
        return max(1, self.scrollable_content_region.height - 1)

    def _set_cursor(self, index: int) -> None:
        index = max(0, min(index, len(self._keys) - 1))
        old, self.cursor = self.cursor, index
        if index < self.scroll_y:
            self.scroll_to(y=index, animate=False)
        elif index >= self.scroll_y + self._page:
            self.scroll_to(y=index - self._page + 1, animate=False)
        self._refresh_row(old)
        self._refresh_row(index)
        if old != index or not self._keys:
            self.post_message(self.Highlighted(self.cursor_key))

    def action_cursor(self, step: int) -> None:
        self._set_cursor(self.cursor + step)

    def action_page(self, direction: int) -> None:
        self._set_cursor(self.cursor + direction * self._page)

    def action_edge(self, end: int) -> None:
        self._set_cursor(len(self._keys) - 1 if end else 0)

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None or offset.y < 1:
            return
        index = round(self.scroll_y) + offset.y - 1
        if index == self.cursor and self._keys:
            self.post_message(self.Selected(self._keys[index]))
        elif index < len(self._keys):
            self._set_cursor(index)

    # -- drawing -------------------------------------------------------------------------------

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._lines.clear()

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        if y == 0:
            key: tuple[object, ...] = ("", width)
            line = self._lines.get(key)
            if line is None:
                style = self.rich_style + self.get_component_rich_style("ballot-table--header")
                line = self._lines[key] = self._strip(HEADER, width, style, None)
            return line
        index = round(self.scroll_y) + y - 1
        if index >= len(self._keys):
            return Strip.blank(width, self.rich_style)
        row = self._keys[index]
        highlighted = index == self.cursor
        key = (row, self._versions.get(row, 0), width, index % 2, highlighted, self.has_focus)
        line = self._lines.get(key)
        if line is None:
            style = self.rich_style
            if index % 2 == 0:  # rows 0, 2, 4 ... as DataTable stripes them
                style += self.get_component_rich_style("ballot-table--even-row", partial=True)
            cursor = self.get_component_rich_style("ballot-table--cursor") if highlighted else None
            line = self._lines[key] = self._strip(self.row(row), width, style, cursor)
        return line

    def _strip(self, cells: Cells, width: int, style: Style, cursor: Style | None) -> Strip:
        """One line: each cell cut or padded to its column; the row's style under the cells' own
        (a vote's colour), the highlight's over them."""
        line = Text(no_wrap=True, end="")
        for column in columns_for(width):
            cell = cells[column.cell]
            piece = cell.copy() if isinstance(cell, Text) else Text(cell)
            if piece.cell_len > column.width and piece.plain in SHORT:
                piece = Text(SHORT[piece.plain], style=piece.style)
            piece.truncate(column.width, overflow="ellipsis", pad=True)
            line.append(" ")
            line.append_text(piece)
        segments = Segment.apply_style(line.render(self.app.console), style, cursor)
        return Strip(segments, line.cell_len).adjust_cell_length(width, style + cursor if cursor else style)
