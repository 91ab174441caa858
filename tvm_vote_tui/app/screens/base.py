"""What every main screen shares: typed access to the app and a refresh hook."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from textual.screen import Screen

if TYPE_CHECKING:
    from tvm_vote_tui.app.app import VoteApp
    from tvm_vote_tui.store.sessions import OpenSession


class VoteScreen(Screen[None]):
    """A main screen. The app calls `refresh_view` after every change to the session."""

    NAME = ""
    """The key `VoteApp.action_show` uses for this screen."""
    EXTRA_KEYS: tuple[tuple[str, str], ...] = ()
    """Keys handled outside bindings (e.g. type-to-jump), listed on the help screen."""

    @property
    def vote_app(self) -> VoteApp:
        return cast("VoteApp", self.app)

    @property
    def current(self) -> OpenSession:
        current = self.vote_app.current
        assert current is not None, "this screen needs an open session"
        return current

    def refresh_view(self) -> None:
        """Redraw from the session; called after each change."""

    def flush(self) -> None:
        """Apply edits still held in fields (called before leaving the screen or quitting)."""
