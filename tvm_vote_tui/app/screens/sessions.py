"""The screen the app opens on: saved sessions with their tally at a glance."""

from __future__ import annotations

from pendulum import DateTime
from rich.markup import escape
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Footer, Static

from tvm_vote_tui.app.screens.base import VoteScreen
from tvm_vote_tui.app.widgets.modals import ConfirmModal, TextPrompt
from tvm_vote_tui.app.widgets.nav import ScreenNav
from tvm_vote_tui.app.widgets.title_bar import TitleBar
from tvm_vote_tui.domain.model import Session
from tvm_vote_tui.domain.times import local_zone, relative_words
from tvm_vote_tui.store.sessions import Listing

FIRST_RUN = """\
[b]Welcome to tvm-vote-tui.[/b]

No votes here yet. Press [b]n[/b] to draft your first proposal: give it a title, then fill in \
the proposal (F2), check the roster of binding voters (F3) and record ballots live (F4).

Sessions are saved as you go in:
  {where}

Press [b]?[/b] for the keys of any screen, [b]ctrl+p[/b] for every command.
"""


def shorten(text: str, width: int = 28) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def tally_glance(session: Session) -> str:
    """`+7 0:1 -2 · passing` (binding votes)."""
    tally = session.tally()
    if session.is_closed:
        state = "passed" if tally.passes else "failed"
    else:
        state = "passing" if tally.passes else "failing"
    return f"{tally.binding.short()} · {state}"


def when_text(session: Session, now: DateTime) -> str:
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

    def compose(self) -> ComposeResult:
        yield TitleBar()
        yield ScreenNav(self.NAME)
        yield Static(id="first-run")
        table: DataTable[str] = DataTable(id="sessions", cursor_type="row", zebra_stripes=True)
        table.add_columns("Title", "Kind", "Status", "Binding tally", "When")
        yield table
        yield Static(id="problems")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.refresh_view()

    def on_screen_resume(self) -> None:
        self.refresh_view()

    def refresh_view(self, voter: str | None = None) -> None:
        """List the saved sessions: read in a thread, so the first frame never waits for disk."""
        if self.vote_app.background:
            self.query_one("#first-run", Static).update("Reading saved sessions…")
            # Start after the frame is drawn: the reading thread would otherwise compete with it.
            self.call_after_refresh(
                lambda: self.run_worker(self._read_listings, thread=True, exclusive=True, group="listings")
            )
        else:
            self._show_listings(self.vote_app.store.list_sessions())

    def _read_listings(self) -> None:
        listings = self.vote_app.store.list_sessions()
        self.app.call_from_thread(self._show_listings, listings)

    def _show_listings(self, listings: list[Listing]) -> None:
        self.listings = listings
        table = self.query_one("#sessions", DataTable)
        table.clear()
        now = self.vote_app.clock()
        for index, listing in enumerate(self.listings):
            if listing.session is None:
                table.add_row(Text(f"⚠ {listing.path.name}"), "", "unreadable", "", "", key=str(index))
                continue
            s = listing.session
            table.add_row(
                Text(shorten(s.proposal.title)),
                s.proposal.kind.value,
                s.proposal.status.value,
                tally_glance(s),
                when_text(s, now),
                key=str(index),
            )
        empty = not self.listings
        first_run = self.query_one("#first-run", Static)
        first_run.update(
            FIRST_RUN.format(where=escape(str(self.vote_app.store.sessions_dir))) if empty else ""
        )
        first_run.display = empty
        table.display = not empty
        broken = [listing for listing in self.listings if listing.session is None]
        problems = self.query_one("#problems", Static)
        problems.display = bool(broken)
        problems.update(
            "[b]Some files could not be read[/b] (left untouched; the other sessions work):\n"
            + "\n".join(f"• {escape(listing.error)}" for listing in broken)
        )
        if not empty:
            table.focus()

    def _highlighted(self) -> Listing | None:
        table = self.query_one("#sessions", DataTable)
        if not self.listings or table.cursor_row < 0 or table.cursor_row >= len(self.listings):
            return None
        return self.listings[table.cursor_row]

    def action_new(self) -> None:
        def created(title: str | None) -> None:
            if title and self.vote_app.create_session(title):
                self.vote_app.action_show("proposal")

        self.app.push_screen(
            TextPrompt(
                "Title of the proposal",
                placeholder="e.g. Establish the TVM FFI module",
                hint="You can change it and everything else on the proposal screen.",
            ),
            created,
        )

    @on(DataTable.RowSelected)
    def action_open(self) -> None:
        listing = self._highlighted()
        if listing is None:
            return
        if listing.session is None:
            self.notify(listing.error, title="This file cannot be read", severity="error", timeout=10)
            return
        if self.vote_app.open_session(listing.path):
            self.vote_app.action_show("ballots")

    def action_duplicate(self) -> None:
        listing = self._highlighted()
        if listing is None or listing.session is None:
            return
        source = listing.session.proposal
        now = self.vote_app.clock().replace(microsecond=0)
        proposal = type(source)(
            title=f"{source.title} (copy)",
            kind=source.kind,
            rule=source.rule,
            summary=source.summary,
            links=list(source.links),
            opens_at=now,
            closes_at=now + (source.closes_at - source.opens_at),
        )
        copy = Session.new(proposal, listing.session.roster, at=now)
        copy.append_log("create", f"duplicated from {listing.path.name}", now)
        try:
            self.vote_app.store.create(copy)
        except OSError as err:
            self.notify(f"Cannot save the copy: {err}", severity="error")
            return
        self.notify(f"Duplicated as {proposal.title!r}.")
        self.refresh_view()

    def action_delete(self) -> None:
        listing = self._highlighted()
        if listing is None:
            return
        label = listing.session.proposal.title if listing.session else listing.path.name

        def confirmed(yes: bool | None) -> None:
            if not yes:
                return
            current = self.vote_app.current
            if current is not None and current.path == listing.path:
                self.vote_app.close_session()
            self.vote_app.store.delete(listing.path)
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
