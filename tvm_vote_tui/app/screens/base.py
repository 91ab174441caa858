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

    @property
    def locked(self) -> bool:
        """The open session cannot change here: it is closed, or another instance holds it."""
        current = self.vote_app.current
        return current is not None and (current.read_only or current.session.is_closed)

    def notice(self) -> str:
        """A one-line banner about the session's state, or '' when there is nothing to say."""
        current = self.vote_app.current
        if current is None:
            return ""
        if current.read_only:
            return (
                f"READ-ONLY: another tvm-vote-tui ({current.holder or 'another process'}) holds this session."
            )
        session = current.session
        if session.is_closed:
            outcome = "PASSED" if session.tally().passes else "FAILED"
            return f"CLOSED: the vote {outcome}. It is read-only; F8 reopens it (with a reason)."
        now = self.vote_app.clock()
        if now >= session.proposal.closes_at:
            return "The vote window has ended. Press F8 to close the vote and publish the result (F6)."
        return ""

    def refresh_view(self, voter: str | None = None) -> None:
        """Redraw from the session after a change; `voter` is the one voter a ballot touched."""

    def flush(self) -> None:
        """Apply edits still held in fields (called before leaving the screen or quitting)."""
