"""The thread-import review table: one row per proposed ballot, its "Why" wrapped to the width left,
so the reasons stay readable at 80 columns; wider terminals also show binding and the recorded vote."""

from __future__ import annotations

import textwrap

from rich.text import Text
from textual.binding import Binding
from textual.events import Resize
from textual.widgets import DataTable

from tvm_vote_tui.domain.model import Session
from tvm_vote_tui.domain.text import one_line
from tvm_vote_tui.domain.times import local_zone
from tvm_vote_tui.votethread.proposals import UNVERIFIED
from tvm_vote_tui.votethread.review import Row

WIDE = 110
"""From this width on, the table also shows the binding and recorded columns."""
NARROW = (("take", "✓", 1), ("author", "Author", 12), ("vote", "Vote", 5), ("member", "Member", 14))
WIDER = (("take", "✓", 1), ("author", "Author", 16), ("vote", "Vote", 5), ("member", "Member", 16))
EXTRA = (("binding", "Binding", 8), ("recorded", "Recorded", 15))
MIN_WHY = 20
WHY_LINES = 2


def when(moment: object, day_only: bool = False, approx: str = "") -> str:
    """'Nov 26 14:05', or 'Nov 26' when the thread gives no time (never an invented midnight), or
    '~Nov 26 14:05 (5 minutes ago)' when reckoned from a pasted page's relative time."""
    from pendulum import DateTime

    if not isinstance(moment, DateTime):
        return "?"
    shown = moment.in_timezone(local_zone()).format("MMM D" if day_only else "MMM D HH:mm")
    return f"~{shown} ({approx})" if approx else shown


class ReviewTable(DataTable[object]):
    """Proposed ballots for review; the rows themselves live in the screen's `Review`."""

    BINDINGS = [Binding("enter", "select_cursor", "Edit", tooltip="Change the voter or the vote of the row")]
    """Enter edits the row (the screen handles RowSelected): said in the footer."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=True)
        self._width = 0
        self._rows: list[Row] = []
        self._session: Session | None = None

    def show(self, rows: list[Row], session: Session) -> None:
        """Redraw every row, keeping the cursor where it was."""
        self._rows, self._session = rows, session
        cursor = self.cursor_row
        self.clear(columns=not self.columns or self._layout_changed())
        if not self.columns:
            self._add_columns()
        for index, row in enumerate(rows):
            self.add_row(*self._cells(row, session), key=str(index), height=None)
        if rows:
            self.move_cursor(row=min(max(cursor, 0), len(rows) - 1))

    def current(self) -> Row | None:
        if not self._rows or not 0 <= self.cursor_row < len(self._rows):
            return None
        return self._rows[self.cursor_row]

    def on_resize(self, event: Resize) -> None:
        if self._session is not None and self._layout_changed():
            self.show(self._rows, self._session)

    # -- layout ------------------------------------------------------------------------------

    def _columns(self) -> tuple[tuple[str, str, int], ...]:
        width = self.size.width or 80
        fixed = WIDER + EXTRA if width >= WIDE else NARROW
        used = sum(w + 2 * self.cell_padding for _, _, w in fixed) + 2  # + the scrollbar
        why = max(MIN_WHY, width - used - 2 * self.cell_padding)
        return (*fixed, ("why", "Why", why))

    def _layout_changed(self) -> bool:
        return tuple(c.width for c in self.ordered_columns) != tuple(w for _, _, w in self._columns())

    def _add_columns(self) -> None:
        for key, label, width in self._columns():
            self.add_column(Text(label), width=width, key=key)

    def _fit(self, text: str) -> str:
        """At most WHY_LINES lines of the Why column; the detail line under the table has it all."""
        width = next((c.width for c in self.ordered_columns if c.key.value == "why"), MIN_WHY)
        lines = textwrap.wrap(text, width)
        if len(lines) <= WHY_LINES:
            return "\n".join(lines)
        return "\n".join([*lines[: WHY_LINES - 1], lines[WHY_LINES - 1][: width - 1] + "…"])

    def _cells(self, row: Row, session: Session) -> list[Text]:
        p = row.proposed
        keys = [c.key.value for c in self.ordered_columns]
        author = _one_line(
            ("• " if row.new else "") + (p.short_author or p.author), "bold cyan" if row.new else ""
        )
        if p.skipped:
            cells = {
                "take": Text("–", style="dim"),
                "author": author,
                "vote": Text("—", style="dim"),
                "member": Text(""),
                "binding": Text(""),
                "recorded": Text(""),
                "why": Text(self._fit(one_line(p.skipped)), style="dim"),
            }
            return [cells[k or ""] for k in keys]
        member = session.member(p.voter)
        shown = member.name if member is not None else "guest"  # never the member it may be
        recorded = ""
        if p.recorded is not None:
            recorded = (
                f"{p.recorded.vote.text if p.recorded.vote else 'withdrawn'} {when(p.recorded.cast_at)}"
            )
        why = p.why if p.verified else [*p.why, UNVERIFIED]  # its own reasons first: they say more
        cells = {
            "take": Text("✓" if row.accepted else "·", style="bold green" if row.accepted else "dim"),
            "author": author,
            "vote": _one_line(p.vote.text if p.vote else "?"),
            "member": _one_line(shown, "" if member is not None else "dim"),
            "binding": Text("binding" if p.binding else "non-bind"),
            "recorded": _one_line(recorded),
            "why": Text(self._fit(one_line("; ".join(why))) or "clear", style="yellow" if why else "green"),
        }
        if p.already_recorded:  # nothing to decide: said apart from what needs review
            cells["take"] = Text("=", style="dim")
            cells["why"] = Text(self._fit("already recorded: nothing to record"), style="dim")
        return [cells[k or ""] for k in keys]


def _one_line(text: str, style: str = "") -> Text:
    """A cell that never wraps (the row stays one line): cut with an ellipsis instead."""
    return Text(one_line(text), style=style, no_wrap=True, overflow="ellipsis")


def pasted_share(pasted: int, total: int) -> str:
    """'2 of the 7 ballots to record come from pasted text', 'The ballot to record comes …',
    'All 3 ballots to record come …': how many of the ballots about to be recorded were pasted."""
    if pasted == total:
        if total == 1:
            return "The ballot to record comes from pasted text"
        return f"All {total} ballots to record come from pasted text"
    return f"{pasted} of the {total} ballots to record {'comes' if pasted == 1 else 'come'} from pasted text"
