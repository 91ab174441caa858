"""The title line: the app, the open session and whether it is saved, and on the right the keys
every screen shares (F8 close/reopen, ? help, ctrl+q quit), so they show at any width.

Textual's Header updates its title from a scheduled callback that fails when its screen is
switched away in the same moment the title changes (as when a session finishes loading); this
bar only repaints, so it cannot fail that way.
"""

from __future__ import annotations

import re

from rich.cells import cell_len
from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget

from tvm_vote_tui.app.widgets.fit import middle_cut, short_time
from tvm_vote_tui.domain.text import one_line

Keys = tuple[tuple[str, str], ...]


def keys_text(keys: Keys) -> Text:
    """'F8 Close  ? Help', the keys in bold."""
    text = Text()
    for index, (key, label) in enumerate(keys):
        text.append("  " if index else "")
        text.append(key, style="bold")
        text.append(f" {label}")
    return text


def title_text(title: str, sub_title: str, keys: Keys, width: int, keep: int = 2) -> Text:
    """The title on the left, the shared keys on the right. When both do not fit, the keys after
    the first `keep` give way, then the app's name, then what follows the vote's title gets
    shorter (a date without its year, a time without seconds), then the vote's title is cut in
    its middle: what follows it is never cut mid-word."""
    width = max(width, 1)
    left = Text(f" {title}", style="bold")
    if sub_title:
        left.append(f" — {one_line(sub_title)}")
    while len(keys) > keep and left.cell_len + 2 + keys_text(keys).cell_len > width:
        keys = keys[:-1]
    while keys and keys_text(keys).cell_len > width // 2:
        keys = keys[:-1]
    right = keys_text(keys)
    room = width - right.cell_len - 2
    if left.cell_len > room and sub_title:  # the app's name gives way to the vote's title and state
        left = Text(" " + _fitted(one_line(sub_title), room - 1))
    left.truncate(max(room, 1), overflow="ellipsis", pad=True)
    return Text.assemble(left, " ", right, " ") if keys else left


MIN_TITLE = 12
"""Cells the vote's title keeps before what follows it is left out rather than cut."""


def _fitted(sub_title: str, room: int) -> str:
    """'TITLE · STATE' in `room` cells: the state shortened first, then the title cut in its middle."""
    vote_title, dot, state = sub_title.rpartition(" · ")
    if not dot:
        return middle_cut(sub_title, room)
    states = _shorter_states(state)
    for shorter in states:
        if cell_len(f"{vote_title} · {shorter}") <= room:
            return f"{vote_title} · {shorter}"
    after = f" · {states[-1]}"
    if room - cell_len(after) >= MIN_TITLE:
        return middle_cut(vote_title, room - cell_len(after)) + after
    return middle_cut(vote_title, room)


def _shorter_states(state: str) -> list[str]:
    """'opened 2026-11-24 17:00' as it is, then 'opened Nov 24 17:00'; 'saved 18:57:12', then
    'saved 18:57': each one shorter and still whole words."""
    found = [state]
    dated = DATE_TIME.sub(lambda m: short_time(m.group(0)), state)
    found.append(dated)
    found.append(SECONDS.sub(r"\1", dated))
    return list(dict.fromkeys(found))


DATE_TIME = re.compile(r"\b\d{4}-\d{2}-\d{2} \d{2}:\d{2}\b")
SECONDS = re.compile(r"\b(\d{2}:\d{2}):\d{2}\b")


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
