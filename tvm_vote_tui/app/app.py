"""The Textual app: owns the open session, saves every change, switches screens."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from importlib import import_module
from pathlib import Path

import pendulum
from pendulum import DateTime
from textual.app import SystemCommand
from textual.binding import Binding
from textual.notifications import SeverityLevel
from textual.screen import ModalScreen, Screen

from tvm_vote_tui.app.crash import CrashReportingApp
from tvm_vote_tui.app.screens.base import VoteScreen
from tvm_vote_tui.domain.model import Ballot, Proposal, Session
from tvm_vote_tui.domain.times import local_zone
from tvm_vote_tui.domain.votes import Vote
from tvm_vote_tui.store.format import SessionFileError
from tvm_vote_tui.store.sessions import COMPACT_EVERY, OpenSession, Store, StoreError

Clock = Callable[[], DateTime]

# Screens are imported when first shown: start-up pays only for the one it opens on.
MAIN_SCREENS: dict[str, tuple[str, str]] = {
    "sessions": ("sessions", "SessionsScreen"),
    "proposal": ("proposal", "ProposalScreen"),
    "roster": ("roster", "RosterScreen"),
    "ballots": ("ballots", "BallotsScreen"),
    "meter": ("meter", "MeterScreen"),
    "export": ("export", "ExportScreen"),
    "log": ("log", "LogScreen"),
    "import": ("import_thread", "ImportThreadScreen"),
}


def screen_class(name: str) -> type[VoteScreen]:
    module, cls = MAIN_SCREENS[name]
    screen: type[VoteScreen] = getattr(import_module(f"tvm_vote_tui.app.screens.{module}"), cls)
    return screen


NEEDS_SESSION = {"proposal", "ballots", "meter", "export", "log", "import"}


class VoteApp(CrashReportingApp[None]):
    """Run a vote: sessions, proposal, roster, ballots and the threshold meter."""

    CSS_PATH = Path(__file__).parent / "app.tcss"  # absolute, so subclasses elsewhere find it
    TITLE = "tvm-vote-tui"
    ENABLE_COMMAND_PALETTE = True
    BINDINGS = [
        Binding("f1", "show('sessions')", "Sessions", id="screen.sessions"),
        Binding("f2", "show('proposal')", "Proposal", id="screen.proposal"),
        Binding("f3", "show('roster')", "Roster", id="screen.roster"),
        Binding("f4", "show('ballots')", "Ballots", id="screen.ballots"),
        Binding("f5", "show('meter')", "Meter", id="screen.meter"),
        Binding("f6", "show('export')", "Export", id="screen.export"),
        Binding("f7", "show('log')", "Log", id="screen.log"),
        Binding("f9", "show('import')", "Import thread", id="screen.import"),
        Binding("f8", "close_vote", "Close/reopen", id="close_vote", tooltip="Close the vote, or reopen it"),
        Binding("question_mark", "help", "Help", id="help"),
        Binding("ctrl+q", "quit", "Quit", priority=True, id="quit"),
    ]

    def __init__(
        self,
        store: Store,
        *,
        clock: Clock | None = None,
        open_path: Path | None = None,
        background: bool = True,
    ) -> None:
        super().__init__()
        self.background = background
        """Read files in worker threads after the first frame (False: at once, for tests)."""
        self.store = store
        self.clock: Clock = clock or (lambda: pendulum.now("UTC"))
        self.current: OpenSession | None = None
        self.undo_stack: list[list[Ballot]] = []
        """Ballot actions of this run (one ballot, or one thread import), most recent last, for ctrl+z."""
        self._open_path = open_path

    # -- lifecycle -------------------------------------------------------------------------

    def on_mount(self) -> None:
        path = self._open_path
        if path is not None and not self.background:
            if self.open_session(path):
                self.push_screen(screen_class("ballots")())
                return
        self.push_screen(screen_class("sessions")())
        if path is not None and self.background:
            self.notify(f"Opening {path.name}…", timeout=3)
            # Start once the first screen is drawn: switching away from a screen whose Header has
            # not finished mounting makes Textual's Header fail to find its title.
            self.call_after_refresh(
                lambda: self.run_worker(lambda: self._load_then_show(path), thread=True, group="open")
            )

    def _load_then_show(self, path: Path) -> None:
        """Worker thread: parse a (possibly large) session, then show its ballots."""
        try:
            opened: OpenSession | Exception = OpenSession.open(self.store, path)
        except (SessionFileError, StoreError) as err:
            opened = err
        self.call_from_thread(self._show_opened, opened)

    def _show_opened(self, opened: OpenSession | Exception) -> None:
        if isinstance(opened, Exception):
            self.notify(str(opened), title="Cannot open this session", severity="error", timeout=10)
        else:
            self._adopt(opened)
            self.call_after_refresh(self.action_show, "ballots")

    def open_session(self, path: Path) -> bool:
        # Let go of the session we hold first: reopening the same file must not find it locked.
        self.close_session()
        try:
            opened = OpenSession.open(self.store, path)
        except (SessionFileError, StoreError) as err:
            self.notify(str(err), title="Cannot open this session", severity="error", timeout=10)
            return False
        self._adopt(opened)
        return True

    def _adopt(self, opened: OpenSession) -> None:
        """Make `opened` the current session, with a notice when it is read-only."""
        if self.current is not None and self.current is not opened:
            self.close_session()
        self.current = opened
        if opened.read_only:
            self.sub_title = f"{opened.session.proposal.title} · READ-ONLY"
            self.notify(
                f"Another tvm-vote-tui ({opened.holder or 'another process'}) has this session open, so it "
                "is shown read-only here and nothing you do is saved. Close the other one to record ballots.",
                title="Read-only",
                severity="warning",
                timeout=15,
            )
        else:
            self._show_saved("opened")

    def create_session(self, title: str) -> bool:
        """A new session with a snapshot of the shared roster, saved at once."""
        try:
            roster = self.store.load_roster()
        except (SessionFileError, StoreError) as err:
            self.notify(f"{err}. Starting with an empty roster.", severity="warning", timeout=10)
            roster = []
        now = self.clock().replace(microsecond=0)
        session = Session.new(Proposal(title, opens_at=now, closes_at=now.add(days=7)), roster, at=now)
        try:
            path = self.store.create(session)
        except OSError as err:
            self.notify(f"Cannot save the new session: {err}", severity="error", timeout=10)
            return False
        return self.open_session(path)

    def close_session(self) -> None:
        if self.current is not None:
            if not self.current.read_only and self.current.pending:
                try:
                    self.current.compact()  # leave a tidy TOML file behind; the journal was durable anyway
                except OSError:
                    pass
            self.current.close()
        self.current = None
        self.undo_stack.clear()
        self.sub_title = ""

    # -- changes ---------------------------------------------------------------------------

    def commit(self, voter: str | None = None, *, journaled: bool = False) -> bool:
        """Make the change just made durable, then let every screen redraw from the session.

        `voter` names the one voter a ballot change touched, so screens can redraw just that row.
        Ballots were journalled by `record`/`undo` already; other changes are journalled here.
        """
        if self.current is None:
            return False
        ok = True
        try:
            if voter is None and not journaled:
                self.current.save()
        except OSError as err:
            ok = False
            self._save_failed(err)
        if ok:
            self._show_saved("saved")
            self._compact_if_due()
        self.refresh_views(voter)
        return ok

    def _save_failed(self, err: OSError) -> None:
        assert self.current is not None
        self.sub_title = f"{self.current.session.proposal.title} · NOT SAVED"
        self.notify(
            f"Could not save: {err}. Your change is kept in memory; it will be retried.",
            severity="error",
            timeout=10,
        )

    def _compact_if_due(self, force: bool = False) -> None:
        """Fold the journal into the TOML file in a thread, so the screen never waits for it."""
        current = self.current
        if current is None or current.read_only or not (force or current.pending >= COMPACT_EVERY):
            return
        snapshot = current.snapshot()
        self.run_worker(lambda: current.compact(snapshot), thread=True, group="compact", exit_on_error=False)

    def refresh_views(self, voter: str | None = None) -> None:
        for screen in self.screen_stack:
            if isinstance(screen, VoteScreen):
                screen.refresh_view(voter)

    def _show_saved(self, verb: str) -> None:
        if self.current is not None:
            stamp = self.clock().in_timezone(local_zone()).format("HH:mm:ss")
            self.sub_title = f"{self.current.session.proposal.title} · {verb} {stamp}"

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = False,
    ) -> None:
        """Notifications show names, titles and paths, so they are never read as markup."""
        super().notify(message, title=title, severity=severity, timeout=timeout, markup=False)

    def editable(self) -> bool:
        """True when the open session may change; otherwise say why (read-only, or closed)."""
        if self.current is None:
            return False
        if self.current.read_only:
            self.notify("This session is open read-only (another instance holds it).", severity="warning")
            return False
        if self.current.session.is_closed:
            self.notify("The vote is closed. Reopen it (F8) to change it.", severity="warning")
            return False
        return True

    def record(
        self, voter: str, vote: Vote | None, *, note: str = "", justification: str = ""
    ) -> Ballot | None:
        """Record a ballot (None withdraws), make it durable and remember it for undo."""
        if self.current is None or not self.editable():
            return None
        try:
            ballot = self.current.record(
                voter, vote, note=note, justification=justification, at=self.clock().replace(microsecond=0)
            )
        except ValueError as err:
            self.notify(str(err), severity="warning")
            return None
        except OSError as err:
            self._save_failed(err)
            self.refresh_views(voter.strip())
            return None
        self.undo_stack.append([ballot])
        self.commit(ballot.voter)
        return ballot

    def import_ballots(self, ballots: list[Ballot], description: str) -> bool:
        """Record ballots accepted from a vote thread as one change and one undo step."""
        if self.current is None or not self.editable() or not ballots:
            return False
        try:
            self.current.import_ballots(ballots, description, self.clock().replace(microsecond=0))
        except ValueError as err:
            self.notify(str(err), severity="warning")
            return False
        except OSError as err:
            self._save_failed(err)
            self.refresh_views()
            return False
        self.undo_stack.append(list(ballots))
        self.commit(journaled=True)
        return True

    def undo(self) -> None:
        if self.current is None or not self.editable():
            return
        if not self.undo_stack:
            self.notify("Nothing to undo.", severity="warning")
            return
        ballots = self.undo_stack.pop()
        try:
            self.current.undo(ballots)
        except ValueError as err:
            self.notify(str(err), severity="warning")
            return
        except OSError as err:
            self._save_failed(err)
        if len(ballots) == 1:
            ballot = ballots[0]
            name = self.current.session.display_name(ballot.voter)
            self.notify(f"Undone: {name} {ballot.vote.text if ballot.vote else 'withdrawal'}")
            self.commit(ballot.voter)
        else:
            self.notify(f"Undone: the import of {len(ballots)} ballots")
            self.commit(journaled=True)

    # -- screens and commands --------------------------------------------------------------

    def action_show(self, name: str) -> None:
        if isinstance(self.screen, ModalScreen):
            return
        if name in NEEDS_SESSION and self.current is None:
            self.notify("Open or create a session first (F1: sessions).", severity="warning")
            return
        if isinstance(self.screen, VoteScreen):
            if self.screen.NAME == name:
                return
            self.screen.flush()
        self.switch_screen(screen_class(name)())

    def action_help(self) -> None:
        if not isinstance(self.screen, ModalScreen):
            from tvm_vote_tui.app.screens.help import HelpScreen

            self.push_screen(HelpScreen(self.screen))

    async def action_quit(self) -> None:
        if isinstance(self.screen, VoteScreen):
            self.screen.flush()
        self.close_session()
        self.exit()

    def action_close_vote(self) -> None:
        """Close the vote (asking for a reason when early), or reopen a closed one (with a reason)."""
        from tvm_vote_tui.app.widgets.modals import ConfirmModal, TextPrompt

        current = self.current
        if current is None:
            self.notify("Open a session first.", severity="warning")
            return
        if current.read_only:
            self.editable()
            return
        session = current.session
        now = self.clock().replace(microsecond=0)
        if session.is_closed:

            def reopen(reason: str | None) -> None:
                if reason:
                    session.reopen(now, reason)
                    self.commit()
                    self.notify("The vote is open again.")

            self.push_screen(TextPrompt("Reopen the vote: why? (goes into the audit log)"), reopen)
            return
        outcome = "PASSES" if session.tally().passes else "FAILS"
        early = session.early_close_reasons(now)

        def close(reason: str | None) -> None:
            if reason is None:
                return
            session.close(now, reason)
            self.commit()
            self.notify(f"The vote is closed: it {'PASSED' if session.tally().passes else 'FAILED'}.")

        if early:
            self.push_screen(
                TextPrompt(
                    f"Close early? {'; and '.join(early)}. As it stands the vote {outcome}. "
                    "Give the reason (it goes into the audit log):",
                    hint="escape keeps the vote open",
                ),
                close,
            )
        else:
            self.push_screen(
                ConfirmModal(
                    f"Close the vote now? As it stands it {outcome}. A closed vote is read-only.",
                    yes="Close vote",
                ),
                lambda yes: close("") if yes else None,
            )

    def action_new_session(self) -> None:
        self.action_show("sessions")
        self.call_after_refresh(lambda: self.screen.run_action("new"))

    def action_change_rule(self) -> None:
        if self.current is None:
            self.notify("Open or create a session first.", severity="warning")
            return
        if not self.editable():
            return
        proposal = self.current.session.proposal

        def chosen(rule: str | None) -> None:
            if rule and self.current is not None and rule != proposal.rule:
                old = proposal.rule
                proposal.rule = rule
                self.current.session.append_log("proposal", f"rule: {old} -> {rule}")
                self.commit()
                self.notify(f"Rule is now {rule}.")

        from tvm_vote_tui.app.screens.rule_picker import RulePicker

        self.push_screen(RulePicker(proposal.rule), chosen)

    def action_copy_announcement(self) -> None:
        if self.current is None:
            self.notify("Open or create a session first.", severity="warning")
            return
        from tvm_vote_tui.publish.announce import announcement

        self.copy_to_clipboard(announcement(self.current.session.proposal))
        self.notify("[VOTE] announcement copied to the clipboard.")

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        yield SystemCommand("New session", "Draft a new proposal", self.action_new_session)
        yield SystemCommand("Open session", "Pick a saved session", lambda: self.action_show("sessions"))
        for name in MAIN_SCREENS:
            yield SystemCommand(
                f"Switch to {name} screen",
                f"Show the {name} screen",
                lambda name=name: self.action_show(name),
            )
        yield SystemCommand("Change rule", "Pick the vote rule of this session", self.action_change_rule)
        yield SystemCommand(
            "Close or reopen the vote", "Close the vote, or reopen a closed one", self.action_close_vote
        )
        yield SystemCommand(
            "Import ballots from a vote thread",
            "GitHub issue text or mails: review, then record",
            lambda: self.action_show("import"),
        )
        yield SystemCommand(
            "Export the result",
            "Result text, Markdown, JSON or announcement",
            lambda: self.action_show("export"),
        )
        yield SystemCommand(
            "Export: copy \\[VOTE] announcement",
            "Copy the announcement to the clipboard",
            self.action_copy_announcement,
        )


def make_app(
    store: Store, *, clock: Clock | None = None, open_path: Path | None = None, background: bool = True
) -> VoteApp:
    """The one factory the command line, the tests and the screenshot script use."""
    return VoteApp(store, clock=clock, open_path=open_path, background=background)
