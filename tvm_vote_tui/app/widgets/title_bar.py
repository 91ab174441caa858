"""The title line: the app, the open session and whether it is saved, and on the right the keys
every screen shares (F8 close/reopen, ? help, ctrl+q quit), so they show at any width.

Textual's Header updates its title from a scheduled callback that fails when its screen is
switched away in the same moment the title changes (as when a session finishes loading); this
bar only repaints, so it cannot fail that way.
"""

from __future__ import annotations

from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget

from tvm_vote_tui.domain.text import one_line

Keys = tuple[tuple[str, str], ...]


def keys_text(keys: Keys) -> Text:
    text = Text()
    for key, label in keys:
        text.append(f" {key}", style="bold reverse")
        text.append(f" {label} ")
    return text


def title_text(title: str, sub_title: str, keys: Keys, width: int) -> Text:
    """The title on the left, the shared keys on the right: the keys stay (the last ones give way
    first when even they do not fit), the title is cut with an ellipsis."""
    width = max(width, 1)
    while keys and keys_text(keys).cell_len > width // 2:
        keys = keys[:-1]
    right = keys_text(keys)
    left = Text(f" {title}", style="bold")
    if sub_title:
        left.append(f" — {one_line(sub_title)}")
    room = width - right.cell_len - 1
    if left.cell_len > room and sub_title:  # the app's name gives way to the vote's
        left = Text(f" {one_line(sub_title)}")
    left.truncate(max(room, 1), overflow="ellipsis", pad=True)
    return Text.assemble(left, " ", right) if keys else left


class TitleBar(Widget):
    DEFAULT_CSS = """
    TitleBar { dock: top; height: 1; background: $panel-darken-1; color: $foreground; }
    """

    keys: reactive[Keys] = reactive((), layout=False)
    """The shared keys shown on the right, as (key, what): set by the screen from the session's state."""

    def on_mount(self) -> None:
        self.watch(self.app, "title", self._changed, init=False)
        self.watch(self.app, "sub_title", self._changed, init=False)

    def _changed(self) -> None:
        self.refresh()

    def render(self) -> Text:
        return title_text(self.app.title, self.app.sub_title, self.keys, self.size.width)
