"""The main screens in one table: bindings, the nav bar, help and the palette are all read from it.

Adding a screen means one new module and one row here."""

from __future__ import annotations

from dataclasses import dataclass
from importlib import import_module
from pathlib import Path

from textual.screen import Screen


@dataclass(frozen=True)
class ScreenEntry:
    name: str
    key: str
    label: str
    module: str
    """Module under tvm_vote_tui.app.screens; imported when the screen is first shown."""
    cls: str
    needs_session: bool
    about: str
    """What the screen is for, in the palette."""
    short: str = ""
    """A shorter word for the nav bar at 80 columns ('' keeps the label)."""

    @property
    def styles(self) -> Path:
        """The screen's .tcss beside its module (the base screen loads it when the screen shows)."""
        return Path(__file__).parent / "screens" / f"{self.module}.tcss"

    def __post_init__(self) -> None:
        if not self.short:
            object.__setattr__(self, "short", self.label)

    def load(self) -> type[Screen[None]]:
        screen: type[Screen[None]] = getattr(
            import_module(f"tvm_vote_tui.app.screens.{self.module}"), self.cls
        )
        return screen


SCREENS: tuple[ScreenEntry, ...] = (
    ScreenEntry(
        "sessions",
        "f1",
        "Sessions",
        "sessions",
        "SessionsScreen",
        False,
        "Saved votes: new, open, delete",
        "Votes",
    ),
    ScreenEntry(
        "proposal", "f2", "Proposal", "proposal", "ProposalScreen", True, "Title, kind, rule, window", "Draft"
    ),
    ScreenEntry(
        "roster", "f3", "Roster", "roster", "RosterScreen", False, "Binding voters: shared and session"
    ),
    ScreenEntry("ballots", "f4", "Ballots", "ballots", "BallotsScreen", True, "Record ballots live"),
    ScreenEntry("meter", "f5", "Meter", "meter", "MeterScreen", True, "The threshold in large type"),
    ScreenEntry("export", "f6", "Export", "export", "ExportScreen", True, "Result text, Markdown, JSON"),
    ScreenEntry("log", "f7", "Log", "log", "LogScreen", True, "Every change, in order"),
    ScreenEntry(
        "import", "f9", "Import", "import_thread", "ImportThreadScreen", True, "Ballots from a vote thread"
    ),
)
BY_NAME = {entry.name: entry for entry in SCREENS}
