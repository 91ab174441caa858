"""A scrolling box that is never a Tab stop of its own (Textual's VerticalScroll is one)."""

from __future__ import annotations

from textual.containers import VerticalScroll


class QuietScroll(VerticalScroll, can_focus=False):
    """Scrolls with the wheel, or as focus moves among its fields; Tab goes straight to them."""
