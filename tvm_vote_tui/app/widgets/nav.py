"""One line under the title naming the screens and their F-keys, the current one marked (F8, ?
and ctrl+q are on the title line)."""

from __future__ import annotations

from rich.text import Text
from textual.widget import Widget

from tvm_vote_tui.app.registry import SCREENS


def nav_text(current: str, width: int = 200) -> Text:
    """Every screen with its key; at a narrow width the other screens' labels take their short
    words (every one a word: 'Draft', 'Export'), so all of them fit 80 columns."""
    for short in (False, True):
        text = Text()
        for entry in SCREENS:
            mine = entry.name == current
            label = entry.short if short and not mine else entry.label
            text.append(entry.key.upper(), style="bold " + ("reverse" if mine else "dim"))
            text.append(f" {label} ", style="bold reverse" if mine else "")
        if text.cell_len <= width + 1:  # the last entry's trailing space may go
            break
    text.truncate(max(width, 1))
    return text


class ScreenNav(Widget):
    DEFAULT_CSS = "ScreenNav { height: 1; background: $panel; }"

    def __init__(self, current: str) -> None:
        super().__init__()
        self.current = current

    def render(self) -> Text:
        return nav_text(self.current, self.size.width)
