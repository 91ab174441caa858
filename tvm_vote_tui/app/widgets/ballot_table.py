"""A DataTable that redraws one row when one row changes.

Textual's DataTable keys all its render caches by an update counter, so `update_cell` re-renders
every visible row. During a live vote only one row changes per key; this table updates that
row's cells, drops that row's cached renders and refreshes just its region. It relies on the
cache attributes of Textual 8's DataTable; if they are missing it falls back to `update_cell`.
A snapshot test (ballots after votes) checks that the changed rows are drawn.
"""

from __future__ import annotations

from typing import Any

from textual.widgets import DataTable
from textual.widgets.data_table import ColumnKey, RowKey

_INTERNALS = ("_data", "_row_render_cache", "_cell_render_cache", "_row_renderable_cache", "_line_cache")


class BallotTable(DataTable[Any]):
    def update_row(self, row_key: str, values: dict[str, Any]) -> None:
        """Set some cells of one row and redraw only that row."""
        if not all(hasattr(self, name) for name in _INTERNALS):
            for column, value in values.items():
                self.update_cell(row_key, column, value)
            return
        key = RowKey(row_key)
        for column, value in values.items():
            self._data[key][ColumnKey(column)] = value
        index = self.get_row_index(row_key)
        for row_cache_key in [k for k in self._row_render_cache.keys() if k[0] == key]:
            self._row_render_cache.discard(row_cache_key)
        for cell_cache_key in [k for k in self._cell_render_cache.keys() if k[0] == key]:
            self._cell_render_cache.discard(cell_cache_key)
        for renderable_key in [k for k in self._row_renderable_cache.keys() if k[1] == index]:
            self._row_renderable_cache.discard(renderable_key)
        self._line_cache.clear()  # keyed by screen line, not row; other rows come back from the row cache
        self.refresh_row(index)
