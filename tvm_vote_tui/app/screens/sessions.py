"""The screen the app opens on: saved sessions with their tally at a glance."""

from __future__ import annotations

from functools import partial
from pathlib import Path

from rich.cells import cell_len
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Static
from textual.widgets.data_table import ColumnKey
from textual.worker import Worker, WorkerState

from tvm_vote_tui.app import messages as msg
from tvm_vote_tui.app.controller import not_recorded
from tvm_vote_tui.app.screens.base import VoteScreen
from tvm_vote_tui.app.widgets.fit import middle_cut, short_time
from tvm_vote_tui.domain.proposal import bare_title
from tvm_vote_tui.domain.text import one_line
from tvm_vote_tui.domain.times import relative_seconds
from tvm_vote_tui.store.format import SessionFileError
from tvm_vote_tui.store.sessions import Store, StoreError
from tvm_vote_tui.store.summaries import Scan, Summary, ordered, read_summary, remember, scan

KIND_WIDTH = 12

FIRST_RUN = """\
Welcome to tvm-vote-tui.

No votes here yet. Press n to draft your first proposal: give it a title, then fill in \
the proposal (F2), check the roster of binding voters (F3), open the vote when its [VOTE] \
is out (F2, o) and record ballots live (F4).

Or press s to open a sample vote to explore: fictional people, some ballots already \
recorded, in a file of its own that nothing else uses. Delete it here with del.

Sessions are saved as you go in:
  {where}

Press ? for the keys of any screen, ctrl+p for every command.
"""


WIDE = 100
"""From this width on, the list also shows the kind, and When the year and how long from now."""


def when_text(summary: Summary, now: float, *, wide: bool = False) -> str:
    """'closes Dec 8 17:00', 'ended Dec 1 17:00', 'closed Dec 1 17:05'; wide, an open vote's with
    how long from now ('closes Dec 8 17:00 (in 6 days)') and a closed one's with its year. Never
    cut mid-date."""
    if summary.closed:
        at = summary.closed_local
        return f"closed {at if wide else short_time(at)}"
    if summary.status == "draft":
        return f"draft, window {summary.window}"
    verb = "ended" if summary.closes_at <= now else "closes"
    at = short_time(summary.closes_local)
    if not wide:
        return f"{verb} {at}"
    return f"{verb} {at} ({relative_seconds(summary.closes_at - now, parts=1)})"


def _read_changed(store: Store, found: Scan) -> list[Summary]:
    """In a worker thread: read the new and changed files, and remember every summary."""
    fresh = [read_summary(path, store.key) for path in found.changed]
    remember(store, found.known + fresh, found.stamps)
    return fresh


class SessionsScreen(VoteScreen):
    NAME = "sessions"
    BINDINGS = [
        Binding("n", "new", "New", tooltip="Draft a new proposal"),
        Binding("enter", "open", "Open", show=False),
        Binding("d", "duplicate", "Duplicate", tooltip="Copy the proposal and roster, without ballots"),
        Binding("delete,x", "delete", "Delete", tooltip="Delete the highlighted session (asks first)"),
        Binding("r", "reload", "Reload"),
        Binding("s", "sample", "Sample vote", tooltip="Open a sample vote to explore (fictional people)"),
    ]
    EXTRA_KEYS = (("enter", "open the highlighted session on its ballots"),)

    def __init__(self) -> None:
        super().__init__()
        self.listings: list[Summary] = []
        """The rows shown, in order."""
        self._known: list[Summary] = []
        self._resumed = False
        self._placed = False
        """The highlight has been put on its first row (the vote that is open, if any)."""

    def compose_body(self) -> ComposeResult:
        yield Static(id="first-run", markup=False)
        table: DataTable[object] = DataTable(id="sessions", cursor_type="row", zebra_stripes=True)
        table.add_column("Title", key="title")
        table.add_column("Kind", key="kind", width=KIND_WIDTH)
        table.add_column("Binding votes", key="tally")
        table.add_column("When", key="when")
        yield table
        yield Static(id="problems", markup=False)

    def on_mount(self) -> None:
        if self.can_draw:
            self.refresh_view()  # before the first frame, so that it shows the list

    def on_resize(self) -> None:
        """The title takes the room the width gives; a screen on its way out (quitting) is left alone."""
        if self.listings and self.query("#sessions") and self.query("#problems"):
            self._show(self.listings, set(), still_reading=False)

    def on_screen_resume(self) -> None:
        if self._resumed and self.can_draw:  # the first resume comes right after mounting: the list is fresh
            self.refresh_view()
        self._resumed = True

    def refresh_view(self, voter: str | None = None) -> None:
        """List the saved sessions: unchanged files from their summaries at once (no file is
        parsed), new or changed ones read in a thread and shown when read."""
        store = self.meeting.store
        found = scan(store)
        current = self.meeting.current
        if current is not None and not current.read_only:  # held open here: it has every change
            found.use(current.path, current.session)
        if self.meeting.opening is not None:  # read once, by the thread opening it, not twice
            found.defer(self.meeting.opening)
        self._known = found.known
        if found.notice:
            self.notify(found.notice, title="Sessions list", severity="warning", timeout=10)
        reading = {s.path for s in found.stale}
        self._show(ordered(found.known + found.stale), reading, still_reading=bool(found.changed))
        if found.changed or found.unremembered:
            self.run_worker(
                partial(_read_changed, store, found),
                thread=True,
                exclusive=True,
                group="listings",
                exit_on_error=False,
            )

    @on(Worker.StateChanged)
    def _listed(self, event: Worker.StateChanged) -> None:
        if event.worker.group != "listings":
            return
        # Read for a screen since left, or for an app now quitting: there is nothing to show it on.
        if event.worker.state is WorkerState.SUCCESS and self.can_draw:
            fresh: list[Summary] = event.worker.result  # type: ignore[assignment]
            self._show(ordered(self._known + fresh), set(), still_reading=False)
        elif event.worker.state is WorkerState.ERROR:
            error = event.worker.error
            if not isinstance(error, OSError):
                raise error  # type: ignore[misc]  # unexpected: the app stops and says so
            if self.can_draw:
                self.query_one("#first-run", Static).update(
                    one_line(f"Cannot list the saved sessions: {error}")
                )

    def _show(self, rows: list[Summary], reading: set[Path], *, still_reading: bool) -> None:
        """Show `rows`; those in `reading` are being read again, so their tally is not shown yet."""
        highlighted = self._highlighted()
        was = highlighted.path if highlighted is not None else None
        if not self._placed and self.meeting.current is not None:
            was = self.meeting.current.path  # the list opens on the vote that is open
        self._placed = self._placed or bool(rows)
        self.listings = rows
        table = self.query_one("#sessions", DataTable)
        cursor = table.cursor_row
        table.clear()
        now = self.shell.now_seconds() if rows else 0.0
        wide = self.app.size.width >= WIDE
        cells = [self._cells(summary, reading, now, wide) for summary in rows]
        # The tally and When columns get the width of their longest cell, set here rather than
        # measured by the table as rows arrive (a list shown twice in a moment kept the width of
        # the first, cutting the date); the kind shows when there is room; the title gets the rest.
        widths = {"kind": KIND_WIDTH if wide else 0, "tally": 13, "when": 4}
        for cell in cells:
            widths["tally"] = max(widths["tally"], cell_len(cell[2]))
            widths["when"] = max(widths["when"], cell_len(cell[3]))
        for key, width in widths.items():
            column = table.columns[ColumnKey(key)]
            column.width, column.auto_width = width, False
        padding = 2 * table.cell_padding * 4 + 2  # the cells' padding (a hidden kind too), a scrollbar
        room = max(20, self.app.size.width - widths["kind"] - widths["tally"] - widths["when"] - padding)
        table.columns[ColumnKey("title")].width = room
        table.columns[ColumnKey("title")].auto_width = False
        for index, (title, kind, tally, when) in enumerate(cells):
            table.add_row(Text(middle_cut(title, room)), kind if wide else "", tally, when, key=str(index))
        paths = [summary.path for summary in rows]
        if was in paths:
            table.move_cursor(row=paths.index(was))
        elif rows:
            table.move_cursor(row=min(max(cursor, 0), len(rows) - 1))
        empty = not rows
        first_run = self.query_one("#first-run", Static)
        if empty and still_reading:
            first_run.update("Reading saved sessions…")
        else:
            where = one_line(str(self.meeting.store.sessions_dir))
            first_run.update(FIRST_RUN.format(where=where) if empty else "")
        first_run.display = empty
        table.display = not empty
        problems = [f"• {one_line(s.error or s.warning)}" for s in rows if s.error or s.warning]
        box = self.query_one("#problems", Static)
        box.display = bool(problems)
        box.update(
            "Some files could not be read, or not completely (left untouched; the rest work):\n"
            + "\n".join(problems)
        )
        if not empty:
            table.focus()

    @staticmethod
    def _cells(summary: Summary, reading: set[Path], now: float, wide: bool) -> tuple[str, str, str, str]:
        """A row's title (without a typed [VOTE]), kind, tally and when, each on one line and
        made visible."""
        if not summary.readable:
            return f"⚠ {one_line(summary.path.name)}", "", "unreadable", ""
        title = bare_title(summary.title)
        title = f"⚠ {title}" if summary.warning else title
        tally = "…" if summary.path in reading else f"{summary.binding} · {summary.verdict}"
        return one_line(title), one_line(summary.kind), one_line(tally), when_text(summary, now, wide=wide)

    def _highlighted(self) -> Summary | None:
        table = self.query_one("#sessions", DataTable)
        if not self.listings or not 0 <= table.cursor_row < len(self.listings):
            return None
        return self.listings[table.cursor_row]

    def action_new(self) -> None:
        from tvm_vote_tui.app.widgets.modals import TextPrompt  # not needed for the first frame

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
        if not listing.readable:
            self.notify(listing.error, title="This file cannot be read", severity="error", timeout=10)
            return
        self.request(msg.OpenSessionFile(listing.path))

    def action_duplicate(self) -> None:
        listing = self._highlighted()
        if listing is None or not listing.readable:
            return
        try:
            source = self.meeting.store.load(listing.path)
            self.meeting.duplicate(source, listing.path)
        except (SessionFileError, StoreError) as err:
            self.notify(str(err), title="Cannot read the session to copy", severity="error", timeout=10)
            return
        except OSError as err:
            self.notify(not_recorded(err).message, title="Cannot save the copy", severity="error")
            return
        self.notify(
            f"Duplicated as 'Copy of {bare_title(source.proposal.title)}': a draft, with no ballots and no "
            "recusals."
        )
        self.refresh_view()

    def action_delete(self) -> None:
        from tvm_vote_tui.app.widgets.modals import ConfirmModal

        listing = self._highlighted()
        if listing is None:
            return
        label = listing.title if listing.readable else listing.path.name
        current = self.meeting.current
        open_now = (
            " It is the session open now." if current is not None and current.path == listing.path else ""
        )

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
                f"Delete the session {label!r} and all its ballots? This cannot be undone.{open_now}",
                yes="Delete",
            ),
            confirmed,
        )

    def action_sample(self) -> None:
        self.request(msg.CreateSample())

    def action_reload(self) -> None:
        self.refresh_view()
