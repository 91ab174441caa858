"""A line of plain text that repaints without asking for a new layout (Static.update does)."""

from __future__ import annotations

from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget


class Line(Widget):
    """Plain text (never markup) whose changes cost a repaint, not a reflow of the screen."""

    DEFAULT_CSS = "Line { height: auto; }"

    text: reactive[str] = reactive("", layout=False)

    def render(self) -> Text:
        return Text(self.text)
