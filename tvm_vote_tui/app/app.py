"""The Textual app: a thin shell around the meeting controller that switches screens and says
what became of each change."""

from __future__ import annotations

import asyncio
import gc
import time
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, cast, overload

from textual import on
from textual.app import ScreenResultCallbackType, ScreenResultType, SystemCommand
from textual.await_complete import AwaitComplete
from textual.binding import Binding
from textual.notifications import SeverityLevel
from textual.screen import ModalScreen, Screen
from textual.signal import Signal
from textual.widget import AwaitMount
from textual.worker import Worker, WorkerState

from tvm_vote_tui.app import messages as msg
from tvm_vote_tui.app.clipboard import Copied
from tvm_vote_tui.app.controller import Clock, Meeting, Outcome, not_recorded
from tvm_vote_tui.app.crash import CrashReportingApp
from tvm_vote_tui.app.registry import BY_NAME, SCREENS
from tvm_vote_tui.app.screens.base import VoteScreen
from tvm_vote_tui.domain.errors import ChangeRefused
from tvm_vote_tui.domain.text import visible
from tvm_vote_tui.domain.times import local_zone, utc_now
from tvm_vote_tui.store.format import SessionFileError
from tvm_vote_tui.store.journal import JournalMismatch
from tvm_vote_tui.store.sessions import OpenSession, Store, StoreError

if TYPE_CHECKING:
    from tvm_vote_tui.app.posting import Posting
    from tvm_vote_tui.domain.thread_ref import Repo

ANNOUNCEMENT_SAVE = "The export screen saves it to a file: F6, the [VOTE] text tab, s."
QUIT_AGAIN = 5.0
"""Seconds in which a second ctrl+q quits while a post to GitHub is in flight."""
READ_ONLY_CHECK = 2.0
"""Seconds between looks at a read-only session's files for the writer's changes."""


class VoteApp(CrashReportingApp[None]):
    """Run a vote: sessions, proposal, roster, ballots and the threshold meter."""

    # Absolute, so subclasses elsewhere find them. The first screen is Textual's default screen,
    # whose own styles Textual does not load: the app loads them with its own.
    CSS_PATH = [Path(__file__).parent / "app.tcss", Path(__file__).parent / "screens" / "sessions.tcss"]
    TITLE = "tvm-vote-tui"
    ENABLE_COMMAND_PALETTE = True
    BINDINGS = [
        # The nav bar under the title shows these; the footer keeps room for the screen's own keys.
        *(Binding(s.key, f"show('{s.name}')", s.label, id=f"screen.{s.name}", show=False) for s in SCREENS),
        # The title line shows these three on every screen; the footer keeps room for the screen's.
        Binding(
            "f8",
            "close_vote",
            "Close/reopen",
            id="close_vote",
            tooltip="Close the vote, or reopen it",
            show=False,
        ),
        Binding("question_mark", "help", "Help", id="help", show=False),
        Binding("ctrl+q", "quit", "Quit", priority=True, id="quit", show=False),
    ]

    def __init__(self, store: Store, *, clock: Clock | None = None, open_path: Path | None = None) -> None:
        super().__init__()
        self.clock: Clock = clock or utc_now
        self._given_clock = clock
        self.meeting = Meeting(store, self.clock)
        self.changed: Signal[msg.Changed] = Signal(self, "changed")
        """Published after every change to the open session; screens redraw from it."""
        self._open_path = open_path
        self._last_notice: tuple[str, str, str] = ("", "", "")
        self._last_notice_until = 0.0
        self.meeting.opening = open_path  # the first screen leaves it to the thread that opens it
        self._posting: Posting | None = None
        self._quit_asked = 0.0
        if open_path is not None and BY_NAME["ballots"].styles.exists():
            # Read with the app's own styles: added when the screen first shows, Textual would
            # parse every stylesheet again (~17 ms) just as the session appears.
            self.css_path.append(BY_NAME["ballots"].styles)

    @property
    def store(self) -> Store:
        return self.meeting.store

    @property
    def exiting(self) -> bool:
        """exit() was called (ctrl+q, a refusal, a crash): the app is on its way out."""
        return self.return_code is not None

    # -- showing screens -------------------------------------------------------------------
    # Once exit() is called Textual mounts no widget (Widget.mount_all), yet a screen shown then
    # still gets its Mount: an empty screen asked to draw, which crashed (NoMatches). A key
    # pressed just before ctrl+q reaches the bindings after it (keys bubble up on the widgets'
    # queues; ctrl+q is a priority binding), so a screen asked for while quitting is not shown.

    def switch_screen(self, screen: Screen[Any] | str) -> AwaitComplete:
        if self.exiting:
            return AwaitComplete.nothing()
        return super().switch_screen(screen)

    if TYPE_CHECKING:

        @overload
        def push_screen(
            self,
            screen: Screen[ScreenResultType] | str,
            callback: ScreenResultCallbackType[ScreenResultType] | None = None,
            wait_for_dismiss: Literal[False] = False,
            *,
            mode: str | None = None,
        ) -> AwaitMount: ...

        @overload
        def push_screen(
            self,
            screen: Screen[ScreenResultType] | str,
            callback: ScreenResultCallbackType[ScreenResultType] | None = None,
            wait_for_dismiss: Literal[True] = True,
            *,
            mode: str | None = None,
        ) -> asyncio.Future[ScreenResultType]: ...

    def push_screen(
        self,
        screen: Screen[ScreenResultType] | str,
        callback: ScreenResultCallbackType[ScreenResultType] | None = None,
        wait_for_dismiss: bool = False,
        *,
        mode: str | None = None,
    ) -> AwaitMount | asyncio.Future[ScreenResultType]:
        if self.exiting and not wait_for_dismiss:
            return AwaitMount(self.screen, [])
        return super().push_screen(screen, callback, wait_for_dismiss, mode=mode)  # type: ignore[call-overload]

    def now_seconds(self) -> float:
        """The clock in seconds since the epoch. The system clock is read without pendulum, whose
        import (about 30 ms) the first screen does without."""
        return self._given_clock().timestamp() if self._given_clock else time.time()

    # -- opening ---------------------------------------------------------------------------

    def get_default_screen(self) -> Screen[None]:
        """The sessions list is the first screen, composed with the app: pushed over Textual's
        blank default screen it cost a full render that was never shown (tests/test_startup.py).
        Given a session to open, the first screen is one line saying so, until it is open.

        The main screens replace each other (switch_screen). Textual's switch_screen takes back
        the result callback push_screen gave the screen it replaces, which the default screen
        never got: it is given one here, as push_screen would (test_first_screen_is_replaced)."""
        if self._open_path is not None:
            from tvm_vote_tui.app.screens.opening import OpeningScreen

            screen: Screen[None] = OpeningScreen(self._open_path)
        else:
            screen = BY_NAME["sessions"].load()()
        screen._push_result_callback(self, None)
        return screen

    def on_mount(self) -> None:
        if self._open_path is not None:  # read while the first frame is drawn: no idle wait between
            self._open_in_background(self._open_path)

    def on_ready(self) -> None:
        # What the first frame needed lives as long as the app: later collections need not walk it
        # again (a full collection of it costs ~15 ms, and opening a big session would pay one).
        gc.freeze()

    def _open_in_background(self, path: Path) -> None:
        """Parse a (possibly large) session in a thread; the result comes back as a worker event."""
        store = self.store  # taken here: the thread touches nothing of the app
        ballots = BY_NAME["ballots"]

        def open_session() -> OpenSession:
            opened = OpenSession.open(store, path)
            ballots.load()  # the screen it opens on, imported here while the main thread idles
            return opened

        self.run_worker(open_session, thread=True, group="open", exit_on_error=False)

    @on(Worker.StateChanged)
    def _worker_done(self, event: Worker.StateChanged) -> None:
        worker = event.worker
        wanted = worker.group == "open" and self.meeting.opening == self._open_path is not None
        if worker.group == "open" and worker.state is WorkerState.SUCCESS:
            assert isinstance(worker.result, OpenSession)
            if not wanted:  # the manager opened another vote meanwhile: that one stays
                worker.result.close()
                return
            self._adopt(worker.result)  # the "Opening …" line had nothing to save
            self.action_show("ballots")
        elif worker.group == "open" and worker.state is WorkerState.ERROR:
            if wanted:
                self.meeting.opening = None
                self._open_failed(worker.error, self._open_path, at_start=True)
            elif not isinstance(worker.error, SessionFileError | StoreError):
                raise worker.error  # type: ignore[misc]  # a bug, not a file: the app says so
            # else another vote was opened meanwhile: this file's trouble is moot
        elif worker.group == "reread" and worker.state is WorkerState.SUCCESS:
            self._reread_done(worker.result)
        elif worker.group == "copy" and worker.state is WorkerState.SUCCESS:
            self._copied(*cast(tuple[str, str, Copied], worker.result))
        elif worker.group == "copy" and worker.state is WorkerState.ERROR:
            raise worker.error  # type: ignore[misc]  # a bug: the app says so
        elif worker.group == "look-alike" and worker.state is WorkerState.SUCCESS:
            opened, lines = cast(tuple[OpenSession, list[str]], worker.result)
            if lines and self.meeting.current is opened:
                self.notify(
                    " · ".join(lines) + " (F3).",
                    title="Members who look alike",
                    severity="warning",
                    timeout=20,
                )
        elif worker.group == "compact" and worker.state is WorkerState.ERROR:
            if not isinstance(worker.error, OSError):
                raise worker.error  # type: ignore[misc]
            self.notify(
                f"Could not fold the journal into the session file ({worker.error}); every change is "
                "still in the journal and nothing is lost.",
                severity="warning",
                timeout=10,
            )

    def _open_failed(self, error: BaseException | None, path: Path | None, *, at_start: bool = False) -> None:
        """A session that could not be opened: its journal set aside if the manager says so; the
        file named on the command line stops the app with one line and status 2, as any command
        given a bad file does; one picked in the list is a notice."""
        if isinstance(error, JournalMismatch) and path is not None:
            self._ask_set_aside(path, error)
        elif isinstance(error, SessionFileError | StoreError) and at_start:
            self.refuse(str(error))
        elif isinstance(error, SessionFileError | StoreError):
            self.notify(str(error), title="Cannot open this session", severity="error", timeout=10)
        elif error is not None:
            raise error

    def _ask_set_aside(self, path: Path, error: JournalMismatch) -> None:
        from tvm_vote_tui.app.widgets.modals import ConfirmModal

        def answered(yes: bool | None) -> None:
            if yes:
                self.open_session(path, set_aside=True)
            elif not isinstance(self.screen, VoteScreen):  # still the "Opening …" line
                self.action_show("sessions")

        self.push_screen(
            ConfirmModal(
                f"{error}. Open the session without it? The journal is renamed beside the file, "
                "its contents untouched.",
                yes="Open without it",
            ),
            answered,
        )

    def open_session(
        self, path: Path, *, set_aside: bool = False, show: str = "ballots", then: str = ""
    ) -> None:
        """Open `path` as the current session and show its `show` screen (then say `then`).

        The screen's fields still being edited belong to the session open until now: they are
        saved first, and the new session is opened once those changes have been handled. Not
        while a post to GitHub is in flight: it is recorded in the session it was made for."""
        if self.posting_now:
            self.notify(
                f"Posting {self.posting_now} to GitHub: wait for it, then open the other vote.",
                severity="warning",
            )
            return
        self._flush_screen()
        self.meeting.opening = None  # a vote still being read from the command line is not wanted
        self.call_later(self._open_now, path, set_aside, show, then)

    def _open_now(self, path: Path, set_aside: bool, show: str, then: str) -> None:
        if self.exiting:  # picked just before ctrl+q: the session it let go stays let go
            return
        current = self.meeting.current
        try:
            opened = self.meeting.open(path, set_aside=set_aside)
        except (SessionFileError, StoreError) as err:
            self._open_failed(err, path)
            return
        if current is None or current.path != path:  # what was said of another vote goes
            self.clear_notifications()
            self._last_notice_until = 0.0
        self._adopt(opened)
        self._show_fresh(show)
        if then:
            self.notify(then, severity="warning", timeout=15)

    def _flush_screen(self) -> None:
        """Save what the screen shows (a field being edited) to the session it belongs to, before
        another session takes its place."""
        if isinstance(self.screen, VoteScreen):
            self.screen.flush()

    def _adopt(self, opened: OpenSession) -> None:
        """Make `opened` the current session, with a notice when it is read-only."""
        self.meeting.adopt(opened)
        if opened.read_only:
            self._follow_writer(opened)
            self.notify(
                f"Another tvm-vote-tui ({visible(opened.holder) or 'another process'}) has this session "
                "open, so it is shown read-only here and nothing you do is saved. Close the other one "
                "to record ballots.",
                title="Read-only",
                severity="warning",
                timeout=15,
            )
        for notice in opened.notices:  # a cache beside the file that was not used: the file was read
            self.notify(notice, title="Ignored", severity="warning", timeout=10)
        self._show_life()
        self.changed.publish(msg.Changed())
        self._check_look_alikes(opened)

    def _check_look_alikes(self, opened: OpenSession) -> None:
        """Members a person could take for one another are said once the session is open: the
        check runs in a thread (a roster of 10,000 takes a tenth of a second)."""
        from tvm_vote_tui.domain.roster import look_alike_warnings

        roster = opened.session.roster
        self.run_worker(lambda: (opened, look_alike_warnings(roster)), thread=True, group="look-alike")

    def _follow_writer(self, opened: OpenSession) -> None:
        """A read-only session shows what the instance that holds it records: its files are
        checked every READ_ONLY_CHECK seconds and read again (in a thread) when they change.
        When that instance lets go of the session (it quit), the app says so and offers to open
        the session for writing here."""
        from tvm_vote_tui.store.sessions import disk_stamp, load, lock_holder

        seen = [disk_stamp(opened.path)]
        key = opened.store.key

        def check() -> None:
            if self.meeting.current is not opened:
                timer.stop()
                return
            holder = lock_holder(opened.path)
            gone = holder is None
            if gone != opened.writer_gone or (holder and holder != opened.holder):
                opened.writer_gone, opened.holder = gone, holder or opened.holder
                self.changed.publish(msg.Changed())
                if gone:
                    self._offer_to_write(opened)
            stamp = disk_stamp(opened.path)
            if stamp != seen[0]:
                seen[0] = stamp
                path = opened.path
                self.run_worker(
                    lambda: (opened, load(path, key=key)), thread=True, group="reread", exit_on_error=False
                )

        timer = self.set_interval(READ_ONLY_CHECK, check, name="follow the writer")

    def _offer_to_write(self, opened: OpenSession) -> None:
        from tvm_vote_tui.app.widgets.modals import ConfirmModal

        def answered(yes: bool | None) -> None:
            if yes and self.meeting.current is opened:
                shown = self.screen.NAME if isinstance(self.screen, VoteScreen) else "ballots"
                self.open_session(opened.path, show=shown)

        self.push_screen(
            ConfirmModal(
                "The other tvm-vote-tui that held this vote has quit. Open the vote for writing here? "
                "(Later: F1, then enter on the vote.)",
                yes="Open for writing",
                no="Stay read-only",
            ),
            answered,
        )

    def _reread_done(self, result: object) -> None:
        from tvm_vote_tui.store.sessions import Loaded

        opened, loaded = cast(tuple[OpenSession, Loaded], result)
        if self.meeting.current is opened and opened.read_only:
            opened.session = loaded.session
            self.changed.publish(msg.Changed())

    @on(msg.OpenSessionFile)
    def _open_file(self, message: msg.OpenSessionFile) -> None:
        self.open_session(message.path)

    @on(msg.CreateSession)
    def _create(self, message: msg.CreateSession) -> None:
        try:
            path, warning = self.meeting.create(message.title)
        except ChangeRefused as err:
            self.notify(str(err), severity="warning")
            return
        except OSError as err:
            self.notify(not_recorded(err).message, title="Cannot save the new session", severity="error")
            return
        self.open_session(path, show="proposal", then=warning)

    @on(msg.CreateSample)
    def _create_sample(self, message: msg.CreateSample) -> None:
        try:
            path = self.meeting.create_sample()
        except OSError as err:
            self.notify(not_recorded(err).message, title="Cannot save the sample vote", severity="error")
            return
        self.open_session(
            path,
            then="A sample vote with fictional people, in its own file: record ballots, look around. "
            "F1, then del, deletes it.",
        )

    # -- changes ---------------------------------------------------------------------------

    @on(msg.RecordBallot)
    def _record(self, message: msg.RecordBallot) -> None:
        if not self._meant_for_open(message):
            return
        m = message
        self._done(self.meeting.record(m.voter, m.vote, note=m.note, justification=m.justification))

    @on(msg.UndoBallot)
    def _undo(self, message: msg.UndoBallot) -> None:
        if self._meant_for_open(message):
            self._done(self.meeting.undo())

    @on(msg.SetRosterFlag)
    def _set_flag(self, message: msg.SetRosterFlag) -> None:
        if self._meant_for_open(message):
            self._done(self.meeting.set_flag(message.member_id, message.name, message.value))

    @on(msg.ChangeMember)
    def _change_member(self, message: msg.ChangeMember) -> None:
        if self._meant_for_open(message):
            self._done(self.meeting.change_member(message.old, message.new))

    @on(msg.ImportBallots)
    def _import(self, message: msg.ImportBallots) -> None:
        if self._meant_for_open(message):
            self._done(self.meeting.import_ballots(message.ballots, message.description))

    @on(msg.EditSession)
    def _edit(self, message: msg.EditSession) -> None:
        if self._meant_for_open(message):
            self._done(self.meeting.edit(message.what, done=message.done))

    @on(msg.OpenVote)
    def _open_vote(self, message: msg.OpenVote) -> None:
        if self._meant_for_open(message):
            outcome = self.meeting.open_vote(message.opening)
            self._done(outcome)
            if outcome.ok:
                self._show_life()

    @on(msg.CloseVote)
    def _close_vote(self, message: msg.CloseVote) -> None:
        if self._meant_for_open(message):
            self._done(self.meeting.close_vote(message.reason))

    @on(msg.ReopenVote)
    def _reopen_vote(self, message: msg.ReopenVote) -> None:
        if self._meant_for_open(message):
            self._done(self.meeting.reopen(message.reason))

    def _meant_for_open(self, message: msg.SessionRequest) -> bool:
        """A request from a screen made for another session (a field left as a new vote opened)
        is not applied to the one open now."""
        current = self.meeting.current
        return message.session_path is None or (current is not None and message.session_path == current.path)

    def record_outcome(self, outcome: Outcome) -> None:
        """Say what became of a change made outside a message (a post recorded), and redraw."""
        self._done(outcome)
        if outcome.ok:
            self._show_life()

    def _done(self, outcome: Outcome) -> None:
        """Say what became of a change; after one that happened, redraw and maybe fold the journal."""
        if outcome.message:
            self.notify(outcome.message, severity=outcome.severity, timeout=10 if not outcome.ok else None)
        if not outcome.ok:
            if outcome.severity == "error":
                self._show_state("last change NOT recorded")
            if self.meeting.current is not None:  # fields that showed the refused value show the real one
                self.changed.publish(msg.Changed(outcome.voter))
            return
        self._show_state("saved")
        self.changed.publish(msg.Changed(outcome.voter))
        due = self.meeting.compaction_due()
        if due is not None:
            opened, snapshot = due
            self.run_worker(
                lambda: opened.compact(snapshot), thread=True, group="compact", exit_on_error=False
            )

    def _show_life(self) -> None:
        """The header says where the vote is in its life: a draft, or when it opened (or closed)."""
        current = self.meeting.current
        if current is None or current.read_only:
            self._show_state("")
            return
        p = current.session.proposal
        if p.opens_at is None:
            self.sub_title = f"{p.title} · draft"
            return
        moment, verb = (p.closed_at, "closed") if p.closed_at is not None else (p.opens_at, "opened")
        self.sub_title = f"{p.title} · {verb} {moment.in_timezone(local_zone()).format('YYYY-MM-DD HH:mm')}"

    def _show_state(self, verb: str) -> None:
        current = self.meeting.current
        if current is None:
            self.sub_title = ""
            return
        title = current.session.proposal.title
        if current.read_only:
            self.sub_title = f"{title} · READ-ONLY"
            return
        stamp = self.clock().in_timezone(local_zone()).format("HH:mm:ss")
        self.sub_title = f"{title} · {verb} {stamp}"

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = False,
    ) -> None:
        """Notifications show names, titles and paths: never markup, never control characters.
        The same words again while they are still on screen (a key pressed three times on a
        read-only vote) are not stacked a second time."""
        shown = (visible(message), visible(title), severity)
        now = time.monotonic()
        if shown == self._last_notice and now < self._last_notice_until:
            return
        seconds = timeout if timeout is not None else self.NOTIFICATION_TIMEOUT
        self._last_notice, self._last_notice_until = shown, now + seconds
        super().notify(shown[0], title=shown[1], severity=severity, timeout=timeout, markup=False)

    # -- screens and commands --------------------------------------------------------------

    def action_show(self, name: str) -> None:
        if isinstance(self.screen, ModalScreen):
            return
        entry = BY_NAME[name]
        if entry.needs_session and self.meeting.current is None:
            self.notify("Open or create a session first (F1: sessions).", severity="warning")
            return
        if isinstance(self.screen, VoteScreen):
            if self.screen.NAME == name:
                return
            self.screen.flush()
        self.switch_screen(entry.load()())

    def _show_fresh(self, name: str) -> None:
        """Show a new `name` screen for a session just opened, whatever was shown: the screen
        before was made for another session, whose edits were saved before it was let go."""
        while isinstance(self.screen, ModalScreen):
            self.pop_screen()
        self.switch_screen(BY_NAME[name].load()())

    def action_help(self) -> None:
        if not isinstance(self.screen, ModalScreen):
            from tvm_vote_tui.app.screens.help import HelpScreen

            self.push_screen(HelpScreen(self.screen))

    def action_help_quit(self) -> None:
        """ctrl+c (copy, in a field) says how to quit, in words: notifications here are never
        markup, so Textual's own "[b]ctrl+q[/b]" would show its brackets."""
        self.notify("Press ctrl+q to quit the app.", title="Do you want to quit?")

    async def action_quit(self) -> None:
        if self.posting_now and time.monotonic() - self._quit_asked > QUIT_AGAIN:
            self._quit_asked = time.monotonic()
            self.notify(
                f"Posting {self.posting_now} to GitHub: quit once it is done, or press ctrl+q again to quit "
                "now (a post made but not recorded is found by its marker next time).",
                severity="warning",
            )
            return
        if isinstance(self.screen, VoteScreen):
            self.screen.flush()  # its last edits are queued; quit after them
        self.call_later(self._quit_now)

    def _quit_now(self) -> None:
        self.meeting.release()
        self.exit()

    def action_close_vote(self) -> None:
        from tvm_vote_tui.app.screens.closing import ask_close_or_reopen

        if isinstance(self.screen, VoteScreen):
            self.screen.flush()
        ask_close_or_reopen(self)

    def action_open_vote(self) -> None:
        """The palette's way to F2 `o`: the proposal screen, then its opening dialog."""
        session = self.meeting.session
        if session is None:
            self.notify("Open or create a session first (F1: sessions).", severity="warning")
            return
        if not session.is_draft:
            state = "closed" if session.is_closed else "open"
            self.notify(f"The vote is already {state}: only a draft opens.", severity="warning")
            return
        self.action_show("proposal")
        self.call_after_refresh(lambda: self.screen.run_action("open_vote"))

    # -- posting to GitHub ------------------------------------------------------------------------

    @property
    def posting(self) -> Posting:
        """The app's posts to GitHub (imported when first used: the network code is not needed to start)."""
        if self._posting is None:
            from tvm_vote_tui.app.posting import Posting

            self._posting = Posting(self)
        return self._posting

    @property
    def posting_now(self) -> str:
        """What is being posted to GitHub now ('' when nothing is)."""
        return self._posting.busy if self._posting is not None else ""

    def post_vote(self, repo: Repo) -> None:
        """Show the [VOTE] as a new issue in `repo`; ctrl+s posts it and the draft opens."""
        self.posting.post_vote(repo)

    def action_post_vote(self) -> None:
        """The palette's way: the [VOTE] to the session's repository (F2 sets another)."""
        from tvm_vote_tui.domain.thread_ref import parse_repo

        session = self.meeting.session
        if session is None:
            self.notify("Open or create a session first (F1: sessions).", severity="warning")
            return
        if isinstance(self.screen, VoteScreen):
            self.screen.flush()
        self.call_later(lambda: self.post_vote(parse_repo(session.proposal.repo)))

    def action_publish_result(self) -> None:
        if isinstance(self.screen, VoteScreen):
            self.screen.flush()
        self.posting.publish_result()

    def action_post_status(self) -> None:
        self.posting.post_status()

    def action_new_session(self) -> None:
        self.action_show("sessions")
        self.call_after_refresh(lambda: self.screen.run_action("new"))

    def action_change_rule(self) -> None:
        from tvm_vote_tui.app.screens.rule_picker import RulePicker, confirm_rule_change

        session = self.meeting.session
        if session is None:
            self.notify("Open or create a session first.", severity="warning")
            return
        why = self.meeting.why_locked()
        if why is not None:
            self.notify(why, severity="warning")
            return

        def chosen(rule: str | None) -> None:
            if rule and session is self.meeting.session:
                confirm_rule_change(self, session, rule, lambda yes: self._set_rule(rule) if yes else None)

        self.push_screen(RulePicker(session.proposal.rule), chosen)

    def _set_rule(self, rule: str) -> None:
        self._done(self.meeting.edit(lambda s, at: s.set_rule(rule, at), done=f"Rule is now {rule}."))

    def action_copy_announcement(self) -> None:
        from tvm_vote_tui.publish.announce import announcement, announcement_subject

        session = self.meeting.session
        if session is None:
            self.notify("Open or create a session first.", severity="warning")
            return
        subject = announcement_subject(session.proposal)
        what = f"[VOTE] announcement (its subject, not in the text: {subject})"
        self.copy_text(announcement(session.proposal, self.clock()), what, ANNOUNCEMENT_SAVE)

    def copy_text(self, text: str, what: str, save_hint: str) -> None:
        """Copy `text` through the terminal (OSC 52) and the system's clipboard command (in a
        thread), then say which way it went and how to save it to a file instead."""
        from tvm_vote_tui.app.clipboard import copy_text

        self.copy_to_clipboard(text)
        self.run_worker(
            lambda: (what, save_hint, copy_text(text)), thread=True, group="copy", exit_on_error=False
        )

    def _copied(self, what: str, save_hint: str, copied: Copied) -> None:
        from tvm_vote_tui.app.clipboard import copy_words

        words, sure = copy_words(what, copied, save_hint)
        self.notify(words, severity="information" if sure else "warning", timeout=10)

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        yield SystemCommand("New session", "Draft a new proposal", self.action_new_session)
        yield SystemCommand("Open session", "Pick a saved session", lambda: self.action_show("sessions"))
        for entry in SCREENS:
            yield SystemCommand(
                f"{entry.label} ({entry.key.upper()})", entry.about, lambda n=entry.name: self.action_show(n)
            )
        yield SystemCommand("Change rule", "Pick the vote rule of this session", self.action_change_rule)
        yield SystemCommand(
            "Close or reopen the vote (F8)", "Close the vote, or reopen it", self.action_close_vote
        )
        yield SystemCommand(
            "Open the vote (F2, o)",
            "Open the draft: announced elsewhere, or now in a meeting",
            self.action_open_vote,
        )
        yield SystemCommand(
            "Post the \\[VOTE] to GitHub",
            "Open the draft by posting its [VOTE] as a new issue (shown first; F2, o)",
            self.action_post_vote,
        )
        yield SystemCommand(
            "Publish the result on GitHub (F6, p)",
            "The [RESULT] issue, a comment linking it, the vote issue closed: each shown first",
            self.action_publish_result,
        )
        yield SystemCommand(
            "Post the current tally to GitHub (F9, ctrl+t)",
            "A status comment on the vote issue, shown first; never a result",
            self.action_post_status,
        )
        yield SystemCommand(
            "Copy the \\[VOTE] announcement",
            "Copy the announcement to the clipboard",
            self.action_copy_announcement,
        )


def make_app(store: Store, *, clock: Clock | None = None, open_path: Path | None = None) -> VoteApp:
    """The one factory the command line, the tests and the screenshot script use."""
    return VoteApp(store, clock=clock, open_path=open_path)
