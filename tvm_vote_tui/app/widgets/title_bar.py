"""The title line: the app, the open session and whether it is saved.

Textual's Header updates its title from a scheduled callback that fails when its screen is
switched away in the same moment the title changes (as when a session finishes loading); this
bar only repaints, so it cannot fail that way.
"""

from __future__ import annotations

from rich.text import Text
from textual.widget import Widget

from tvm_vote_tui.domain.text import one_line


class TitleBar(Widget):
    DEFAULT_CSS = """
    TitleBar { dock: top; height: 1; background: $panel-darken-1; color: $foreground; }
    """

    def on_mount(self) -> None:
        self.watch(self.app, "title", self._changed, init=False)
        self.watch(self.app, "sub_title", self._changed, init=False)

    def _changed(self) -> None:
        self.refresh()

    def render(self) -> Text:
        text = Text(f" {self.app.title}", style="bold")
        if self.app.sub_title:
            text.append(f" — {one_line(self.app.sub_title)}")
        text.truncate(max(self.size.width, 1), overflow="ellipsis")
        return text
