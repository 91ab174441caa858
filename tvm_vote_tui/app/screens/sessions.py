"""The screen the app opens on: saved sessions with their tally at a glance."""

from __future__ import annotations

from pendulum import DateTime
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Static
from textual.worker import Worker, WorkerState

from tvm_vote_tui.app import messages as msg
from tvm_vote_tui.app.controller import not_recorded
from tvm_vote_tui.app.screens.base import VoteScreen
from tvm_vote_tui.app.widgets.modals import ConfirmModal, TextPrompt
from tvm_vote_tui.domain.model import Session
from tvm_vote_tui.domain.text import one_line
from tvm_vote_tui.domain.times import local_zone, relative_words
from tvm_vote_tui.store.sessions import Listing

FIRST_RUN = """\
Welcome to tvm-vote-tui.

No votes here yet. Press n to draft your first proposal: give it a title, then fill in \
the proposal (F2), check the roster of binding voters (F3) and record ballots live (F4).

Sessions are saved as you go in:
  {where}

Press ? for the keys of any screen, ctrl+p for every command.
"""


def shorten(text: str, width: int = 24) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def tally_glance(session: Session) -> str:
    """`+7 0:1 -2 · passing` (binding votes)."""
    tally = session.tally()
    return f"{tally.binding.short()} · {tally.verdict(session.is_closed).short}"


def when_text(session: Session, now: DateTime) -> str:
    """'closes in 6 days', 'ended 2 hours ago', 'closed 2026-11-30': never cut mid-date."""
    p = session.proposal
    if session.is_closed:
        return f"closed {(p.closed_at or p.closes_at).in_timezone(local_zone()).format('YYYY-MM-DD')}"
    if p.closes_at <= now:
        return f"ended {relative_words(p.closes_at, now, parts=1)}"
    return f"closes {relative_words(p.closes_at, now, parts=1)}"


class SessionsScreen(VoteScreen):
    NAME = "sessions"
    BINDINGS = [
        Binding("n", "new", "New", tooltip="Draft a new proposal"),
        Binding("enter", "open", "Open", show=False),
        Binding("d", "duplicate", "Duplicate", tooltip="Copy the proposal and roster, without ballots"),
        Binding("delete,x", "delete", "Delete", tooltip="Delete the highlighted session (asks first)"),
        Binding("r", "reload", "Reload"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.listings: list[Listing] = []

    def compose_body(self) -> ComposeResult:
        yield Static(id="first-run", markup=False)
        table: DataTable[object] = DataTable(id="sessions", cursor_type="row", zebra_stripes=True)
        table.add_column("Title", key="title")
        table.add_column("Kind", key="kind", width=12)
        table.add_column("Binding tally", key="tally")
        table.add_column("When", key="when")
        yield table
        yield Static(id="problems", markup=False)

    def on_screen_resume(self) -> None:
        """Shown (the first time too): read the list again, it may have changed meanwhile."""
        self.refresh_view()

    def refresh_view(self, voter: str | None = None) -> None:
        """List the saved sessions: read in a thread, so the first frame never waits for disk."""
        if not self.listings:
            self.query_one("#first-run", Static).update("Reading saved sessions…")
        store = self.meeting.store  # taken here: the thread touches nothing of the app or screen
        self.run_worker(
            store.list_sessions, thread=True, exclusive=True, group="listings", exit_on_error=False
        )

    @on(Worker.StateChanged)
    def _listed(self, event: Worker.StateChanged) -> None:
        if event.worker.group != "listings":
            return
        if event.worker.state is WorkerState.SUCCESS:
            self._show_listings(event.worker.result)  # type: ignore[arg-type]
        elif event.worker.state is WorkerState.ERROR:
            error = event.worker.error
            if not isinstance(error, OSError):
                raise error  # type: ignore[misc]  # unexpected: the app stops and says so
            self.query_one("#first-run", Static).update(one_line(f"Cannot list the saved sessions: {error}"))

    def _show_listings(self, listings: list[Listing]) -> None:
        self.listings = listings
        table = self.query_one("#sessions", DataTable)
        cursor = table.cursor_row
        table.clear()
        now = self.shell.clock()
        room = max(24, self.size.width - 56)  # the other columns take about 56 cells
        for index, listing in enumerate(self.listings):
            if listing.session is None:
                table.add_row(Text(f"⚠ {one_line(listing.path.name)}"), "", "unreadable", "", key=str(index))
                continue
            s = listing.session
            title = f"⚠ {s.proposal.title}" if listing.warning else s.proposal.title
            table.add_row(
                Text(shorten(one_line(title), room)),
                s.proposal.kind.value,
                tally_glance(s),
                when_text(s, now),
                key=str(index),
            )
        if self.listings:
            table.move_cursor(row=min(max(cursor, 0), len(self.listings) - 1))
        empty = not self.listings
        first_run = self.query_one("#first-run", Static)
        first_run.update(
            FIRST_RUN.format(where=one_line(str(self.meeting.store.sessions_dir))) if empty else ""
        )
        first_run.display = empty
        table.display = not empty
        problems = [
            f"• {one_line(listing.error or listing.warning)}"
            for listing in self.listings
            if listing.session is None or listing.warning
        ]
        box = self.query_one("#problems", Static)
        box.display = bool(problems)
        box.update(
            "Some files could not be read, or not completely (left untouched; the rest work):\n"
            + "\n".join(problems)
        )
        if not empty:
            table.focus()

    def _highlighted(self) -> Listing | None:
        table = self.query_one("#sessions", DataTable)
        if not self.listings or not 0 <= table.cursor_row < len(self.listings):
            return None
        return self.listings[table.cursor_row]

    def action_new(self) -> None:
        self.app.push_screen(
            TextPrompt(
                "Title of the proposal",
                placeholder="e.g. Establish the TVM FFI module",
                hint="You can change it and everything else on the proposal screen.",
            ),
            lambda title: self.request(msg.CreateSession(title)) if title else None,
        )

    @on(DataTable.RowSelected)
    def action_open(self) -> None:
        listing = self._highlighted()
        if listing is None:
            return
        if listing.session is None:
            self.notify(listing.error, title="This file cannot be read", severity="error", timeout=10)
            return
        self.request(msg.OpenSessionFile(listing.path))

    def action_duplicate(self) -> None:
        listing = self._highlighted()
        if listing is None or listing.session is None:
            return
        try:
            self.meeting.duplicate(listing.session, listing.path)
        except OSError as err:
            self.notify(not_recorded(err).message, title="Cannot save the copy", severity="error")
            return
        self.notify(f"Duplicated as 'Copy of {listing.session.proposal.title}' (no ballots, no recusals).")
        self.refresh_view()

    def action_delete(self) -> None:
        listing = self._highlighted()
        if listing is None:
            return
        label = listing.session.proposal.title if listing.session else listing.path.name

        def confirmed(yes: bool | None) -> None:
            if not yes:
                return
            try:
                self.meeting.delete(listing.path)
            except OSError as err:
                self.notify(f"Could not delete {label!r}: {err.strerror or err}", severity="error")
                return
            self.app.sub_title = "" if self.meeting.current is None else self.app.sub_title
            self.notify(f"Deleted {label!r}.")
            self.refresh_view()

        self.app.push_screen(
            ConfirmModal(
                f"Delete the session {label!r} and all its ballots? This cannot be undone.", yes="Delete"
            ),
            confirmed,
        )

    def action_reload(self) -> None:
        self.refresh_view()
