"""A multi-line field that keeps what it holds: reached with tab, its cursor goes to the end, so
what is typed is added after the existing text, not in front of it."""

from __future__ import annotations

from textual import events
from textual.widgets import TextArea


class TextBox(TextArea):
    def _on_focus(self, event: events.Focus) -> None:
        super()._on_focus(event)
        if not event.from_app_focus:  # not when the terminal window regains the focus
            # Handled in this widget's own queue before a click's MouseDown, which then puts the
            # cursor where the click was.
            self.move_cursor(self.document.end)
