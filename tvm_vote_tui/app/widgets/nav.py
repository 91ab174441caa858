"""One line under the header naming the screens and their F-keys, the current one marked."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

SCREENS = (
    ("f1", "sessions", "Sessions"),
    ("f2", "proposal", "Proposal"),
    ("f3", "roster", "Roster"),
    ("f4", "ballots", "Ballots"),
    ("f5", "meter", "Meter"),
    ("f6", "export", "Export"),
    ("f7", "log", "Log"),
)


def nav_text(current: str) -> Text:
    text = Text()
    for key, name, label in SCREENS:
        style = "bold reverse" if name == current else ""
        text.append(f"{key.upper()}", style="bold " + ("reverse" if name == current else "dim"))
        text.append(f" {label} ", style=style)
    text.append(" ? Help", style="dim")
    return text


class ScreenNav(Static):
    DEFAULT_CSS = "ScreenNav { height: 1; background: $panel; }"

    def __init__(self, current: str) -> None:
        super().__init__(nav_text(current))
