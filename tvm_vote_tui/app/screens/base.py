"""What every main screen shares: the chrome (title, nav, banner, footer), typed access to the
open session, and a redraw whenever the session changes."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import ClassVar, Protocol, cast

from textual.app import ComposeResult
from textual.message import Message
from textual.screen import Screen
from textual.signal import Signal
from textual.widgets import Footer, Static

from tvm_vote_tui.app.controller import Clock, Meeting
from tvm_vote_tui.app.messages import Changed, SessionRequest
from tvm_vote_tui.app.registry import BY_NAME
from tvm_vote_tui.app.widgets.nav import ScreenNav
from tvm_vote_tui.app.widgets.title_bar import TitleBar
from tvm_vote_tui.domain.model import Session
from tvm_vote_tui.domain.text import visible
from tvm_vote_tui.domain.thread_ref import Repo
from tvm_vote_tui.store.sessions import OpenSession


class Shell(Protocol):
    """What screens need of the app (so they never import it)."""

    meeting: Meeting
    changed: Signal[Changed]
    clock: Clock

    def now_seconds(self) -> float:
        """The clock's time in seconds since the epoch, read without importing pendulum."""
        ...

    def copy_text(self, text: str, what: str, save_hint: str) -> None:
        """Copy through the terminal and the system's clipboard command, and say which way."""
        ...

    def post_vote(self, repo: Repo) -> None:
        """Show the [VOTE] as a new GitHub issue in `repo`; ctrl+s posts it and the draft opens."""
        ...


class VoteScreen(Screen[None]):
    """A main screen: composes its body between the common chrome and redraws on every change."""

    NAME: ClassVar[str] = ""
    """The screen's row in the registry (tvm_vote_tui.app.registry)."""
    EXTRA_KEYS: ClassVar[tuple[tuple[str, str], ...]] = ()
    """Keys handled outside bindings (e.g. type-to-jump), listed on the help screen."""
    shown_path: Path | None = None
    """The session file this screen was made for (set on mount): its requests are meant for it."""

    def __init_subclass__(cls, **kwargs: object) -> None:
        """A screen's styles are the .tcss file beside its module, when there is one: adding a
        screen is one module (and its styles) and one row in the registry."""
        super().__init_subclass__(**kwargs)  # type: ignore[arg-type]
        module = sys.modules.get(cls.__module__)
        styles = Path(module.__file__).with_suffix(".tcss") if module and module.__file__ else None
        if styles is not None and styles.exists() and "CSS_PATH" not in cls.__dict__:
            cls.CSS_PATH = styles

    def compose(self) -> ComposeResult:
        yield TitleBar()
        yield ScreenNav(self.NAME)
        yield Static(id="banner", classes="banner", markup=False)
        yield from self.compose_body()
        # The palette (ctrl+p) is listed by `?`; without its hint the footer never overlaps itself.
        yield Footer(compact=True, show_command_palette=False)

    def compose_body(self) -> ComposeResult:
        """The screen's own widgets, between the nav bar and the footer."""
        yield from ()

    @property
    def can_draw(self) -> bool:
        """The screen has its widgets and the app is not on its way out. Textual still sends Mount
        to a screen whose widgets it did not mount (the app exiting, or the screen removed before
        its first turn), and a worker's result can land after the app began to exit and let the
        session go: such a screen has nothing to draw."""
        return self.is_attached and bool(self.children)

    def on_mount(self) -> None:
        if not self.can_draw:
            return
        self.shown_path = self.meeting.current.path if self.meeting.current else None
        self.shell.changed.subscribe(self, self._session_changed)
        self.show_banner()

    def _session_changed(self, change: Changed) -> None:
        if not self.can_draw:
            return
        if self.meeting.current is None and BY_NAME[self.NAME].needs_session:
            return  # the session was let go (quitting, deleted): this screen is on its way out
        self.show_banner()
        self.refresh_view(change.voter)

    @property
    def shell(self) -> Shell:
        return cast(Shell, self.app)

    @property
    def meeting(self) -> Meeting:
        return self.shell.meeting

    @property
    def current(self) -> OpenSession:
        current = self.meeting.current
        assert current is not None, "this screen needs an open session"
        return current

    @property
    def session(self) -> Session:
        return self.current.session

    @property
    def locked(self) -> bool:
        """The open session cannot change here: it is closed, or another instance holds it."""
        return self.meeting.why_locked() is not None

    def refuse_if_locked(self) -> bool:
        """Before a form that would change the session: say why it cannot, rather than let the
        manager fill it in for nothing."""
        why = self.meeting.why_locked()
        if why is None:
            return False
        self.notify(why, severity="warning")
        return True

    def notice(self) -> str:
        """A one-line banner about the session's state, or '' when there is nothing to say."""
        current = self.meeting.current
        if current is None:
            return ""
        # One line at 80 columns each, so the meter beside the ballots keeps its last lines.
        if current.read_only and current.writer_gone:
            return "READ-ONLY: its writer quit. F1, then enter, opens it for writing here."
        if current.read_only:
            holder = (current.holder or "another tvm-vote-tui")[:32]
            return f"READ-ONLY: {holder} holds this vote; nothing is saved here."
        if current.lost:
            return "NOT SAVING: this session's lock was taken away; close it and open it again (F1)."
        session = current.session
        if session.is_closed:
            word = session.tally().verdict(closed=True).word
            return f"CLOSED: the vote {word}. It is read-only; F8 reopens it (with a reason)."
        closes_at = session.proposal.closes_at
        if closes_at is None:
            return "DRAFT: not open yet, so no ballots. When its [VOTE] is out, open it: F2, o."
        if self.shell.clock() >= closes_at:
            return "The vote window has ended: F8 closes the vote, F6 publishes the result."
        return ""

    def shared_keys(self) -> tuple[tuple[str, str], ...]:
        """The keys of every screen, on the title line: F8 as it acts now, help and quit."""
        current = self.meeting.current
        f8: tuple[tuple[str, str], ...] = ()
        if current is not None and not current.read_only and not current.session.is_draft:
            f8 = (("F8", "Reopen" if current.session.is_closed else "Close"),)  # a draft cannot close
        return (*f8, ("?", "Help"), ("^q", "Quit"))  # ctrl+q gives way first at 80 columns

    def show_banner(self) -> None:
        title_bar = self.query(TitleBar).first()
        keys = self.shared_keys()
        if title_bar.keys != keys:
            title_bar.keys = keys
        banner = self.query("#banner").first(Static)
        text = visible(self.notice())
        if str(banner.content) != text or banner.display != bool(text):
            banner.update(text)
            banner.display = bool(text)

    def request(self, message: Message) -> None:
        """Ask the app for a change. Posted to the app itself, so requests are handled in the order
        they are made, before anything the app queues after them (such as quitting)."""
        if isinstance(message, SessionRequest):
            message.session_path = self.shown_path
        self.app.post_message(message)

    def refresh_view(self, voter: str | None = None) -> None:
        """Redraw from the session after a change; `voter` is the one voter a ballot touched."""

    def flush(self) -> None:
        """Apply edits still held in fields (called before leaving the screen or quitting)."""
