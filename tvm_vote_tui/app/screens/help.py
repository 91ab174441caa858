"""`?`: every key of the screen underneath, read from its live bindings; it scrolls at 80x24."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Static

from tvm_vote_tui.app.screens.base import VoteScreen
from tvm_vote_tui.app.widgets.modals import Dialog

GENERIC = {"focus_next", "focus_previous", "copy_text"}
"""Textual's own keys (Tab between fields, copying selected text): listed last."""


def key_lines(screen: Screen[object]) -> list[tuple[str, str]]:
    """(keys, what they do): the screen's own keys first (its bindings, then keys it handles by
    hand), then the app's (screens, close, quit), then Textual's generic ones."""
    extra = screen.EXTRA_KEYS if isinstance(screen, VoteScreen) else ()
    explained = {key for keys, _ in extra for key in keys.split(" / ")}
    seen: dict[tuple[int, str], list[str]] = {}
    for active in screen.active_bindings.values():
        binding = active.binding
        if not binding.description or binding.system or active.node not in (screen, screen.app):
            continue  # widget-level keys (cursor moves and the like) are not worth listing
        if binding.key in explained:
            continue  # the screen explains this key in its own words below: once is enough
        generic = binding.action.rpartition(".")[2] in GENERIC
        rank = 2 if generic else 0 if active.node is screen else 1
        what = binding.description + (f": {binding.tooltip}" if binding.tooltip else "")
        seen.setdefault((rank, what), []).append(screen.app.get_key_display(binding))
    lines = [(rank, " / ".join(dict.fromkeys(keys)), what) for (rank, what), keys in seen.items()]
    if isinstance(screen, VoteScreen):
        lines += [(0, keys, what) for keys, what in screen.EXTRA_KEYS]
    if not any("palette" in what.lower() for _, _, what in lines):
        lines.append((1, "ctrl+p", "command palette: every action"))
    return [(keys, what) for _, keys, what in sorted(lines, key=lambda line: line[0])]


def help_text(lines: list[tuple[str, str]]) -> Table:
    """Two columns, what each key does wrapping beside its key."""
    table = Table.grid(padding=(0, 2))
    table.add_column(justify="right", style="bold", no_wrap=True)
    table.add_column()
    for keys, what in lines:
        table.add_row(Text(keys), Text(what))
    return table


class HelpScreen(Dialog[None]):
    DEFAULT_CSS = """
    HelpScreen > Vertical { width: 90; height: 90%; }
    HelpScreen #keys { height: 1fr; }
    """
    BINDINGS = [Binding("escape,question_mark,q", "close", "Close")]

    def __init__(self, screen: Screen[object]) -> None:
        super().__init__()
        self.lines = key_lines(screen)
        self.screen_name = getattr(screen, "NAME", "") or type(screen).__name__

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(
                f"Keys: {self.screen_name} screen (↑/↓ scroll, escape closes)", classes="title", markup=False
            )
            with VerticalScroll(id="keys"):
                yield Static(help_text(self.lines))

    def on_mount(self) -> None:
        self.query_one("#keys").focus()

    def action_close(self) -> None:
        self.dismiss(None)
