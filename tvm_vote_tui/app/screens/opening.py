"""The first frame of `tvm-vote-tui open FILE`: one line while the file is read in a thread.

Lighter than the sessions list (no table to fill, no files to scan), so the session's own screen
follows sooner; it is replaced by the ballots screen, or by the list if the file is not opened."""

from __future__ import annotations

from pathlib import Path

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Static

from tvm_vote_tui.domain.text import one_line


class OpeningScreen(Screen[None]):
    DEFAULT_CSS = """
    OpeningScreen { align: center middle; }
    OpeningScreen Static { width: auto; color: $text-muted; }
    """

    def __init__(self, path: Path) -> None:
        super().__init__()
        self.path = path

    def compose(self) -> ComposeResult:
        yield Static(one_line(f"Opening {self.path.name} …"), markup=False)
