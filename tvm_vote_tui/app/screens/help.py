"""`?`: every key of the screen underneath, read from its live bindings; it scrolls at 80x24."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Static

from tvm_vote_tui.app.screens.base import VoteScreen
from tvm_vote_tui.app.widgets.modals import Dialog


def key_lines(screen: Screen[object]) -> list[tuple[str, str]]:
    """(keys, what they do) for every active binding, plus keys handled by hand."""
    seen: dict[str, list[str]] = {}
    for active in screen.active_bindings.values():
        binding = active.binding
        if not binding.description or binding.system or active.node not in (screen, screen.app):
            continue  # widget-level keys (cursor moves and the like) are not worth listing
        label = screen.app.get_key_display(binding)
        what = binding.description + (f": {binding.tooltip}" if binding.tooltip else "")
        seen.setdefault(what, []).append(label)
    lines = [(" / ".join(dict.fromkeys(keys)), what) for what, keys in seen.items()]
    if isinstance(screen, VoteScreen):
        lines += list(screen.EXTRA_KEYS)
    lines.append(("ctrl+p", "command palette: every action"))
    return lines


def help_text(lines: list[tuple[str, str]]) -> Text:
    text = Text()
    for keys, what in lines:
        text.append(f"{keys:>14}", style="bold")
        text.append(f"  {what}\n")
    return text


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
