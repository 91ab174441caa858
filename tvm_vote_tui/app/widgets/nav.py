"""One line under the header naming the screens and their F-keys, the current one marked."""

from __future__ import annotations

from rich.text import Text
from textual.widget import Widget

SCREENS = (
    ("f1", "sessions", "Sessions"),
    ("f2", "proposal", "Proposal"),
    ("f3", "roster", "Roster"),
    ("f4", "ballots", "Ballots"),
    ("f5", "meter", "Meter"),
    ("f6", "export", "Export"),
    ("f7", "log", "Log"),
    ("f9", "import", "Import"),
)


def nav_text(current: str, width: int = 200) -> Text:
    text = Text()
    for key, name, label in SCREENS:
        style = "bold reverse" if name == current else ""
        text.append(f"{key.upper()}", style="bold " + ("reverse" if name == current else "dim"))
        text.append(f" {label} ", style=style)
    if len(text) + 7 <= width:
        text.append(" ? Help", style="dim")
    return text


class ScreenNav(Widget):
    DEFAULT_CSS = "ScreenNav { height: 1; background: $panel; }"

    def __init__(self, current: str) -> None:
        super().__init__()
        self.current = current

    def render(self) -> Text:
        return nav_text(self.current, self.size.width)
