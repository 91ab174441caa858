"""Import ballots from a vote thread: fetch the GitHub issue (and follow it during the meeting), or
read a saved thread or pasted text; review each proposed ballot; record the accepted ones.

Fetching runs in a worker thread that is handed a `VenueReader`, the thread and a `Progress`,
and touches nothing of the app: the screen shows the progress on a timer and cancels through it
(escape). The result comes back as a worker event, taken only from the read still wanted, and
only while this screen is mounted. The API and the token come from the manager's configuration
and environment, never from the session file or a pasted page. Nothing is recorded without the
manager's ctrl+s."""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from pathlib import Path
from weakref import WeakKeyDictionary

from pendulum import DateTime
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.css.query import NoMatches
from textual.timer import Timer
from textual.widgets import Input, Label, Select, Static, TextArea
from textual.worker import Worker, WorkerState

from tvm_vote_tui.app import messages as msg
from tvm_vote_tui.app.screens.base import VoteScreen
from tvm_vote_tui.app.widgets.ballot_form import BallotEntry, BallotForm
from tvm_vote_tui.app.widgets.modals import ConfirmModal
from tvm_vote_tui.app.widgets.review_table import ReviewTable, pasted_share, when
from tvm_vote_tui.domain.ballots import Ballot
from tvm_vote_tui.domain.roster import Member
from tvm_vote_tui.domain.text import one_line, plural
from tvm_vote_tui.domain.thread_ref import IssueRef, ThreadRefError
from tvm_vote_tui.domain.times import local_zone
from tvm_vote_tui.domain.votes import Vote
from tvm_vote_tui.store.config import ConfigError, load_config
from tvm_vote_tui.store.sessions import StoreError, read_text
from tvm_vote_tui.venues.github import FetchedIssue, GitHubReader
from tvm_vote_tui.venues.http import Progress
from tvm_vote_tui.venues.threads import ThreadAt, ThreadRead, VenueReader, thread_at
from tvm_vote_tui.venues.token import token_from_env
from tvm_vote_tui.votethread.api_check import check_against_api, page_issue
from tvm_vote_tui.votethread.posts import Post, ThreadError
from tvm_vote_tui.votethread.proposals import (
    UNVERIFIED,
    Proposed,
    ThreadReport,
    propose_posts,
    recorded_from_post,
)
from tvm_vote_tui.votethread.review import Review, Row, recorded_last, still_recorded
from tvm_vote_tui.votethread.thread_text import detect, split
from tvm_vote_tui.votethread.to_ballots import to_ballot

FOLLOW_EVERY = 30
"""Seconds between reads of a followed issue (anonymous GitHub allows 60 requests an hour, but an
unchanged issue costs nothing: the reader sends its ETag)."""
MIN_EVERY, MAX_EVERY = 5, 3600
LOW_RATE = 10
"""Below this many GitHub requests left this hour, the summary says so."""
KEYS_HINT = "ctrl+s records the accepted (✓)."
PROGRESS_EVERY = 0.25
"""Seconds between two looks at a read's progress."""


@dataclass
class RecordedImport:
    """Ballots this screen asked the app to record, and the rows they came from."""

    ballots: tuple[Ballot, ...]
    rows: list[Row]
    done: bool = False


@dataclass
class Pasted:
    """A pasted page or saved file as read: its posts (authors only as the text names them)."""

    text: str
    posts: list[Post]
    source: str
    kind: str


@dataclass
class Following:
    """Follow mode: which thread, how often, and when the next read is due."""

    at: ThreadAt
    every: int
    next_at: DateTime
    last: str = ""
    """What the last read found, for the status line."""
    named: bool = False
    """The manager named this thread here (the session keeps it once read)."""


@dataclass
class Reading:
    """The read in flight: its thread, its progress (and cancel flag) and its worker."""

    at: ThreadAt
    progress: Progress
    named: bool
    focus: bool
    worker: Worker[ThreadRead] | None = None


@dataclass
class Kept:
    """What F9 held when the manager left it (a look at F4, say): shown again on return."""

    path: str
    text: str
    fmt: str
    said: str
    review: Review
    pasted: Pasted | None
    pasted_at: DateTime | None
    imports: list[RecordedImport]
    paste_last: bool


_KEPT: WeakKeyDictionary[object, Kept] = WeakKeyDictionary()
"""Per open session (gone with it): the read, the decisions, the typed issue and pasted text."""


class ImportThreadScreen(VoteScreen):
    NAME = "import"
    AUTO_FOCUS = ""  # on_mount focuses the issue field only when there is one to type
    BINDINGS = [
        Binding("ctrl+r", "parse", "Read", tooltip="Fetch the GitHub issue, or read the file or pasted text"),
        Binding("ctrl+f", "follow", "Follow", tooltip="Re-read the GitHub issue every N seconds"),
        Binding(
            "ctrl+g",
            "check",
            "Check",
            tooltip="Check a pasted GitHub page against the issue read through the API: which posts "
            "GitHub does not know",
        ),
        Binding("space", "toggle_accept", "Accept/skip", tooltip="Accept or skip the highlighted ballot"),
        Binding("enter", "edit", "Edit", tooltip="Change the voter or the vote of the highlighted row"),
        Binding("x,delete", "drop", "Drop", tooltip="Drop the highlighted row"),
        Binding("ctrl+s", "record", "Record", tooltip="Record accepted rows as one change"),
        Binding("ctrl+z", "undo", "Undo"),
        Binding(
            "ctrl+t",
            "app.post_status",
            "Post tally",
            show=False,  # the footer is full at 80 columns: help (?) and the palette list it
            tooltip="Post the current tally as a comment on the vote issue (shown first; never a result)",
        ),
        Binding("escape", "escape", "Cancel read / leave field", show=False),
    ]
    EXTRA_KEYS = (
        ("letters / digits", "typed outside a field, they start a new issue or path in the field above"),
        ("escape", "cancel a read in progress; else leave a field, so ? and the table keys work"),
        ("tab", "move between the issue/path, the paste area, the options and the review table"),
        ("enter (issue/path)", "fetch the issue or read the file"),
    )

    def __init__(self) -> None:
        super().__init__()
        self.review = Review()
        self.reader: VenueReader | None = None
        self.following: Following | None = None
        self.imports: list[RecordedImport] = []
        self.reading: Reading | None = None
        self._timer: Timer | None = None
        self._taking = False
        """The issue field took text typed outside it, and has (or is getting) the focus."""
        self._progress_timer: Timer | None = None
        self.pasted: Pasted | None = None
        """The pasted page (or saved file) last read: what ctrl+g checks against the API."""
        self._pasted_at: DateTime | None = None
        """When the text in the paste area last changed: a page's '5 minutes ago' is reckoned
        from it."""
        self._checking: tuple[IssueRef, Pasted] | None = None
        self._said = ""
        self._paste_last = False
        """The paste area changed after the issue field: ctrl+r reads what was pasted."""

    def compose_body(self) -> ComposeResult:
        yield Input(
            placeholder="GitHub issue (16368, apache/tvm#16368, URL), dev@ thread URL, both, or a file",
            id="thread-path",
            compact=True,
            select_on_focus=False,  # text typed outside the field starts it over (on_key), then goes on
        )
        yield TextArea(
            id="thread-text",
            soft_wrap=True,
            compact=True,
            placeholder="… or paste the thread here (ctrl+r reads it)",
        )
        with Horizontal(id="thread-options"):  # after the paste area: tab reaches it first
            yield Label("Read as", classes="label")
            yield Select(
                [("Detect", "auto"), ("GitHub page", "github"), ("Mail / mbox", "mail")],
                value="auto",
                allow_blank=False,
                id="thread-format",
                compact=True,
                tooltip="How to read a saved thread or pasted text",
            )
            yield Label("Follow every", classes="label")
            yield Input(
                str(FOLLOW_EVERY),
                id="follow-every",
                type="integer",
                compact=True,
                tooltip="Follow mode reads the issue every this many seconds",
            )
            yield Label("s", classes="unit")
        yield Static(id="follow-status", markup=False)
        yield Static(
            "Give a GitHub issue (or a file, or paste the thread above), then ctrl+r. "
            "Nothing is recorded until you press ctrl+s.",
            id="thread-summary",
            markup=False,
        )
        yield ReviewTable(id="proposals")
        yield Static(id="proposal-detail", classes="hint", markup=False)

    def on_mount(self) -> None:
        """(VoteScreen's own on_mount runs too: Textual calls the handler of every class.)"""
        path = self.query_one("#thread-path", Input)
        kept = _KEPT.pop(self.current, None)
        if kept is not None:
            self._restore(kept)
        else:
            path.value = known_threads(self.session.proposal.thread, self.session.proposal.list_thread)
        if not path.value and kept is None:  # nothing known yet: type the issue (ctrl+r reads a known one)
            path.focus()
        self._show_follow()

    def _restore(self, kept: Kept) -> None:
        """Back on F9: the read, the decisions and the fields as they were, each row beside the
        ballot the session holds now."""
        with self.prevent(Input.Changed, TextArea.Changed):
            self.query_one("#thread-path", Input).value = kept.path
            self.query_one("#thread-text", TextArea).text = kept.text
        self.query_one("#thread-format", Select).value = kept.fmt
        self.review, self.pasted, self._pasted_at = kept.review, kept.pasted, kept.pasted_at
        self.imports, self._paste_last = kept.imports, kept.paste_last
        self.review.refresh(self.session)
        if kept.said:
            self._say(kept.said)
        self._show_rows()

    def on_key(self, event: events.Key) -> None:
        """Printable text typed outside a field is a new issue (or path) to read: the field above
        takes it, starting over, so no letter ever lands in a form a command key opened. On the
        review table, space (accept) and x (drop) stay commands, and say what they did.

        A field stops the printable keys it takes, so one that reaches here went elsewhere: while
        the focus moves to the field (Textual moves it after the keys already on their way), the
        keys typed after the first go on the field's text too."""
        char = event.character or ""
        if len(char) != 1 or not char.isprintable() or self.app.screen is not self:
            return
        field = self.query_one("#thread-path", Input)
        if self._taking:
            event.stop()
            event.prevent_default()
            field.insert_text_at_cursor(char)
            return
        if char in " ?" or isinstance(self.focused, Input | TextArea):
            return  # a screen key, or a field that takes its own text
        if char == "x" and self.focused is self.table and self.review.rows:
            return
        event.stop()
        event.prevent_default()
        self._taking = True
        field.value = char
        field.cursor_position = len(char)
        field.focus()

    @on(Input.Blurred, "#thread-path")
    def _field_left(self) -> None:
        self._taking = False

    def action_escape(self) -> None:
        """escape: cancel the read in progress; else leave the field."""
        if self.reading is not None:
            self.cancel_reading()
            return
        if isinstance(self.focused, Input | TextArea):
            self.set_focus(None)

    def on_unmount(self) -> None:
        if self.reading is not None:
            self.reading.progress.cancel()

    def flush(self) -> None:
        """Leaving F9 (or quitting): keep the read and the decisions for the way back."""
        super().flush()
        current = self.meeting.current
        if current is None:
            return  # the session was let go: nothing to come back to
        try:
            path = self.query_one("#thread-path", Input).value
            text = self.query_one("#thread-text", TextArea).text
            fmt = str(self.query_one("#thread-format", Select).value)
        except NoMatches:
            return  # never composed (the app quitting)
        _KEPT[current] = Kept(
            path,
            text,
            fmt,
            self._said,
            self.review,
            self.pasted,
            self._pasted_at,
            self.imports,
            self._paste_last,
        )

    @property
    def table(self) -> ReviewTable:
        return self.query_one("#proposals", ReviewTable)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # None, not False: the keys stay listed (dimmed in the footer, and in help) while they
        # cannot act, so the manager learns them before the table has rows.
        if action in ("toggle_accept", "edit", "drop"):
            return True if self.table.has_focus and self.review.rows else None
        if action == "record":
            return True if self.review.accepted() else None
        if action == "check":
            return True if self.pasted is not None and self.pasted.kind == "github" else None
        return True

    def _say(self, text: str) -> None:
        self._said = text
        self.query_one("#thread-summary", Static).update(one_line(text))

    # -- reading -----------------------------------------------------------------------------

    @on(Input.Submitted, "#thread-path")
    def action_parse(self) -> None:
        """ctrl+r: fetch the GitHub issue named above, or read the file, or the pasted text."""
        raw = self.query_one("#thread-path", Input).value.strip()
        if self._paste_last and self.query_one("#thread-text", TextArea).text.strip():
            raw = ""  # pasted after the issue was given: the manager means what they pasted
        if raw and not Path(raw).expanduser().exists():
            found = self._thread_at(raw)
            if found is None:
                return
            at, named = found
            if self.following is not None:
                self.following.at, self.following.named = at, named  # follow what was asked for last
            self._fetch(at, named, focus=True)
            return
        if self.following is not None:
            self.action_follow()  # a file or pasted text cannot be followed: stop
        now = self.shell.clock()
        if raw:
            path = Path(raw).expanduser()
            try:
                text = read_text(path)
            except (StoreError, ValueError) as err:
                self._say(str(err))
                return
            source, pasted_at = path.name, _saved_at(path, now)
        else:
            text, source = self.query_one("#thread-text", TextArea).text, "pasted text"
            pasted_at = self._pasted_at or now
        if not text.strip():
            self._say("Nothing to read: give a GitHub issue or a file, or paste the thread.")
            return
        fmt = str(self.query_one("#thread-format", Select).value)
        try:
            kind = detect(text) if fmt == "auto" else fmt
            posts = split(text, kind, pasted_at)
        except ThreadError as err:
            self._say(str(err))
            return
        self.pasted = Pasted(text, posts, source, kind)
        report = propose_posts(posts, self.session, now)
        self.review.load(report, source)
        self._say(self._read_summary(report, source))
        self._show_rows(focus=True)

    @on(TextArea.Changed, "#thread-text")
    def _pasted_now(self) -> None:
        self._pasted_at = self.shell.clock()
        pasted = bool(self.query_one("#thread-text", TextArea).text.strip())
        if pasted and not self._paste_last and self.query_one("#thread-path", Input).value.strip():
            self._say("ctrl+r reads the text pasted here (not the issue above, until you change it).")
        self._paste_last = pasted

    @on(Input.Changed, "#thread-path")
    def _issue_given(self, event: Input.Changed) -> None:
        if event.value.strip() and self._paste_last:
            self._paste_last = False
            self._say("ctrl+r reads the issue, dev@ thread or file given above (not the pasted text).")

    def _thread_at(self, raw: str) -> tuple[ThreadAt, bool] | None:
        """The thread `raw` names, read at the API of the manager's configuration, and whether
        the manager named it here (not the session's own thread); None after saying why not."""
        thread = self.session.proposal.thread
        try:
            at = thread_at(raw, thread, load_config().github_api)
        except ConfigError as err:
            self._say(str(err))
            return None
        except ThreadRefError as err:
            text = str(err)
            self._say(
                text if "pull request" in text or " is on " in text else f"{raw}: no such file, and {text}"
            )
            return None
        known = known_threads(thread, self.session.proposal.list_thread)
        return at, raw.strip() not in (thread.strip(), known)

    def _fetch(self, at: ThreadAt, named: bool, *, focus: bool) -> None:
        """Read the thread in a worker thread; it is given all it needs and touches nothing else."""
        if self.reading is not None:
            return  # one read at a time: the reader's ETags are not shared between threads
        try:
            reader = self._venue_reader()
        except (ThreadError, ConfigError) as err:
            self._say(str(err))
            self._follow_read_done(f"failed: {err}")
            return
        reading = Reading(at, Progress(), named, focus)
        self.reading = reading
        self._say(f"Reading {at.label} from {reader.api.origin.netloc} … (escape cancels)")
        reading.worker = self.run_worker(
            partial(reader.read, at, reading.progress), thread=True, group="fetch", exit_on_error=False
        )
        self._progress_timer = self.set_interval(PROGRESS_EVERY, self._show_progress)
        self._show_follow()

    def _venue_reader(self) -> VenueReader:
        """The same reader for the same API (it remembers ETags); the API comes from the manager's
        configuration, the token from the environment, read here on the app's thread; the token
        lives only in the reader."""
        config = load_config()
        api, bridges = config.github_api, config.bridge_accounts
        if self.reader is None or self.reader.api != api or self.reader.bridges != bridges:
            self.reader = VenueReader(api, token_from_env(), bridges=bridges, clock=self.shell.clock)
        return self.reader

    def _show_progress(self) -> None:
        reading = self.reading
        if reading is not None and reading.progress.text:
            self._say(f"{reading.progress.text[:1].upper()}{reading.progress.text[1:]} (escape cancels)")

    def _end_reading(self) -> None:
        self.reading = None
        if self._progress_timer is not None:
            self._progress_timer.stop()
            self._progress_timer = None

    def cancel_reading(self) -> None:
        """Stop the read in flight: nothing it reads is used. Its worker ends on its own within a
        moment, with its reader, which is dropped so the next read starts afresh."""
        reading = self.reading
        if reading is None:
            return
        reading.progress.cancel()
        self.reader = None
        self._end_reading()
        following = " Following goes on (ctrl+f stops it)." if self.following is not None else ""
        self._say(f"Cancelled reading {reading.at.label}: nothing read, nothing changed.{following}")
        self._follow_read_done("cancelled")

    @on(Worker.StateChanged)
    def _fetched(self, event: Worker.StateChanged) -> None:
        if not self.can_draw:
            return  # the app is quitting (its session let go) or the screen is gone: nothing to show
        worker = event.worker
        if worker.group == "check" and worker.state in (WorkerState.SUCCESS, WorkerState.ERROR):
            self._checked(worker)
            return
        reading = self.reading
        if worker.group != "fetch" or worker.state not in (WorkerState.SUCCESS, WorkerState.ERROR):
            return
        if reading is None or worker is not reading.worker:
            return  # a cancelled read, ending late: nothing it found is used
        self._end_reading()
        if worker.state is WorkerState.ERROR:
            error = worker.error
            # Only our own one-line messages are shown: another exception's text might quote anything.
            problem = (
                str(error) if isinstance(error, ThreadError) else f"reading failed ({type(error).__name__})"
            )
            self._say(f"{reading.at.label}: {problem}. Nothing changed.")
            self._follow_read_done(f"failed: {problem}")
            return
        read = worker.result
        assert isinstance(read, ThreadRead)
        self.pasted = None  # the table now holds the thread as its venues serve it
        report = propose_posts(read.posts, self.session, self.shell.clock())
        source = read.at.label
        present = {post.key for post in read.posts if post.key}
        if self.review.source == source:
            added = self.review.merge(report, present)
            marked = " (marked •)" if added else ""
            posts = plural(report.posts, "message")
            text = f"Read {source}: {posts}; {len(added)} new since the last read{marked}."
            if self.review.changed:
                count = plural(len(self.review.changed), "ballot")
                text += f" {count} changed or gone since the last read: see •, none taken as read."
            text += f" {KEYS_HINT}"
        else:
            self.review.load(report, source)
            added = []
            text = self._read_summary(report, source)
        if read.mirrored:
            text += f" {plural(len(read.mirrored), 'post')} seen at both venues, counted once."
        if read.unmatched:
            text += f" {plural(len(read.unmatched), 'mail bridge post')} not matched to a mail: in review."
        if report.notices:
            text += " " + " ".join(report.notices)
        left = read.rate_left
        if left is not None and left < LOW_RATE and not (self.reader and self.reader.token):
            text += f" GitHub allows {left} more requests this hour without a token (GITHUB_TOKEN)."
        self._say(text)
        if reading.named:
            self._remember_thread(read.at)
        self._show_rows(focus=reading.focus)
        self._follow_read_done(f"{len(added)} new" if self.review.rows else "no votes yet")

    def _remember_thread(self, at: ThreadAt) -> None:
        """Keep the thread the manager named here (never what an answer says), for the next read:
        the issue (else the dev@ thread) as the session's thread, and the dev@ thread beside it."""
        if self.locked:
            return
        p = self.session.proposal
        if p.thread != at.stored and (at.issue is not None or not p.thread):
            stored = at.stored
            self.request(msg.EditSession(lambda s, when: s.set_thread(stored, when)))
        if at.mail is not None and p.list_thread != at.mail.url:
            url = at.mail.url
            self.request(msg.EditSession(lambda s, when: s.set_list_thread(url, when)))

    def _read_summary(self, report: ThreadReport, source: str) -> str:
        skipped = f", {len(report.skipped)} skipped (result posts)" if report.skipped else ""
        recorded = f", {len(report.recorded)} already recorded" if report.recorded else ""
        text = (
            f"{source}: {plural(report.posts, 'message')}, "
            f"{plural(len(report.proposed), 'voter')} with a vote: "
            f"{len(report.clear)} clear (accepted), {len(report.review)} to review{recorded}{skipped}."
        )
        if not report.proposed or all(p.verified for p in report.proposed):
            return f"{text} {KEYS_HINT}"
        text += (
            " Pasted text does not prove who wrote a post: ctrl+s asks before it records the accepted (✓)."
        )
        issue = self._issue_to_check()
        if issue is not None:
            text += f" ctrl+g checks the page against {issue.short} on GitHub."
        return text

    def _issue_to_check(self) -> IssueRef | None:
        """The issue a pasted GitHub page can be checked against: the one it names, else the
        session's thread; None when there is neither (or it is mail)."""
        pasted, thread = self.pasted, self.session.proposal.thread
        if pasted is None or pasted.kind != "github":
            return None
        given = page_issue(pasted.text) or thread
        try:
            return load_config().github_api.issue(given, thread) if given else None
        except (ThreadRefError, ConfigError):
            return None  # a page naming another host is not checked there (nor sent the token)

    # -- checking a pasted page against the API ----------------------------------------------

    def action_check(self) -> None:
        """ctrl+g: read the issue the pasted page is of through the API, in a worker thread, and
        say which of the page's posts GitHub does not know."""
        if self.pasted is None or self.pasted.kind != "github":
            self._say("ctrl+g checks a pasted GitHub page: paste one (or give its file) and ctrl+r first.")
            return
        if self._checking is not None or self.reading is not None:
            return
        ref = self._issue_to_check()
        if ref is None:
            self._say(
                "The page names no issue on the GitHub you read (your configuration's), and this session "
                "has no thread there: type the issue above (e.g. apache/tvm#16368) and ctrl+r reads it "
                "through the API instead."
            )
            return
        try:
            # Its own reader (no ETags shared with a read in another worker); the API and token the
            # manager's, never a host the page names.
            reader = GitHubReader(load_config().github_api, token_from_env(), clock=self.shell.clock)
        except (ThreadError, ConfigError) as err:
            self._say(str(err))
            return
        self._checking = (ref, self.pasted)
        self._say(f"Checking the pasted page against {ref.short} on {reader.host} …")
        self.run_worker(partial(reader.fetch, ref), thread=True, group="check", exit_on_error=False)

    def _checked(self, worker: Worker[object]) -> None:
        checking, self._checking = self._checking, None
        if checking is None or checking[1] is not self.pasted:
            return  # another thread was read meanwhile: this check is of a page no longer shown
        ref, pasted = checking
        if worker.state is WorkerState.ERROR:
            error = worker.error
            problem = (
                str(error) if isinstance(error, ThreadError) else f"reading failed ({type(error).__name__})"
            )
            self._say(f"{ref.short}: {problem}. The pasted page is unchanged: its authors are not verified.")
            return
        fetched = worker.result
        assert isinstance(fetched, FetchedIssue)
        check = check_against_api(pasted.posts, fetched.posts, ref.short)
        report = propose_posts(check.posts, self.session, self.shell.clock())
        self.review.load(report, f"{pasted.source}, checked against {ref.short}")
        self._say(check.summary())
        self._show_rows(focus=True)

    # -- follow mode -------------------------------------------------------------------------

    def action_follow(self) -> None:
        """ctrl+f: follow the GitHub issue (read it now, then every N seconds), or stop."""
        if self.following is not None:
            self.following = None
            if self._timer is not None:
                self._timer.stop()
                self._timer = None
            self._show_follow()
            return
        raw = self.query_one("#thread-path", Input).value.strip()
        if raw and Path(raw).expanduser().exists():
            self._say(
                "Follow mode reads a GitHub issue or a dev@ thread: give apache/tvm#16368, its URL or "
                "the lists.apache.org thread's address above."
            )
            return
        found = self._thread_at(raw)
        if found is None:
            return
        at, named = found
        every = self._every()
        if every is None:
            return
        self.following = Following(at, every, self.shell.clock(), named=named)
        self._timer = self.set_interval(1.0, self.follow_tick)
        self.follow_tick()

    def _every(self) -> int | None:
        raw = self.query_one("#follow-every", Input).value.strip()
        if not raw.isdigit() or not MIN_EVERY <= int(raw) <= MAX_EVERY:
            self._say(f"Read every how many seconds? Give a number from {MIN_EVERY} to {MAX_EVERY}.")
            return None
        return int(raw)

    @on(Input.Submitted, "#follow-every")
    def _every_changed(self) -> None:
        every = self._every()
        if every is not None and self.following is not None:
            self.following.every = every
            self.following.next_at = self.shell.clock().add(seconds=every)
            self._show_follow()

    def follow_tick(self) -> None:
        """Every second while following: read the issue when it is due, else count down."""
        if not self.can_draw:
            return  # the app is quitting: no new read
        following = self.following
        if following is not None and self.reading is None and self.shell.clock() >= following.next_at:
            self._fetch(following.at, following.named, focus=False)
        self._show_follow()

    def _follow_read_done(self, what: str) -> None:
        following = self.following
        if following is not None:
            stamp = self.shell.clock()
            following.next_at = stamp.add(seconds=following.every)
            following.last = f"read {stamp.in_timezone(local_zone()).format('HH:mm:ss')}: {what}"
        self._show_follow()

    def _show_follow(self) -> None:
        following = self.following
        status = self.query_one("#follow-status", Static)
        if following is None:
            status.update("Not following: ctrl+f re-reads the issue every N s (N above), for new ballots.")
            return
        if self.reading is not None:
            due = "reading now (escape cancels)"
        else:
            left = max(0, round((following.next_at - self.shell.clock()).total_seconds()))
            due = f"next in {left} s"
        last = f" · {following.last}" if following.last else ""
        status.update(one_line(f"Following {following.at.label} every {following.every} s · {due}{last}"))

    # -- the table ---------------------------------------------------------------------------

    def _show_rows(self, *, focus: bool = False) -> None:
        table = self.table
        table.show(self.review.rows, self.session)
        self._show_detail()
        if focus and self.review.rows:
            table.focus()
        self.refresh_bindings()

    def refresh_view(self, voter: str | None = None) -> None:
        """After any change: say what got recorded or undone, and show the recorded votes beside."""
        session = self.session
        for done in [i for i in self.imports if not i.done and recorded_last(session, i.ballots)]:
            done.done = True
            self.review.mark_recorded(done.rows)
            names = ", ".join(session.display_name(b.voter) for b in done.ballots)
            count = plural(len(done.ballots), "ballot")
            self._say(f"Recorded {count} from {self.review.source}: {names}. ctrl+z undoes it.")
            self._offer_addresses([row for row in done.rows if row.proposed.new_address])
            self._offer_handles([row for row in done.rows if row.proposed.new_handle])
        window = sum(len(i.ballots) for i in self.imports) + 1000
        for undone in [i for i in self.imports if i.done and not still_recorded(session, i.ballots, window)]:
            self.imports.remove(undone)
            self.review.restore(undone.rows)
            self._say(
                f"The import of {plural(len(undone.ballots), 'ballot')} was undone; "
                "its rows are back for review."
            )
        self.review.refresh(session)
        self._show_rows()

    @on(ReviewTable.RowHighlighted, "#proposals")
    def _show_detail(self) -> None:
        row = self.table.current()
        detail = self.query_one("#proposal-detail", Static)
        if row is None:
            detail.update("")
            return
        p = row.proposed
        member = self.session.member(p.voter)
        parts = []
        if not p.verified and not p.skipped:
            parts.append(UNVERIFIED)
        if p.already_recorded and p.recorded_as is not None:
            whose = self.session.display_name(p.recorded_as.voter)
            parts.append(f"Already recorded from this post as {whose}'s vote: nothing to do")
        elif p.already_recorded:
            parts.append("Already recorded: nothing to do")
        elif p.why:
            parts.append(("Skipped: " if p.skipped else "Why: ") + "; ".join(p.why))
        parts.append(f"{p.author} on {when(p.date, p.day_only or p.slack[0] >= 24, p.approx)}: {p.line}")
        if member is not None and not p.skipped:
            parts.append(f"{member.name} ({member.id}), matched by {p.matched_by}")
        elif not p.skipped and p.recorded_as is None:
            maybe = self.session.member(p.suggested) if p.suggested else None
            could = f"; could be {maybe.name} ({maybe.id}): enter picks them" if maybe is not None else ""
            parts.append(f"Recorded as the guest {p.voter!r} (non-binding){could}")
        if p.recorded is not None:
            parts.append(f"Recorded: {p.recorded.vote.text if p.recorded.vote else 'withdrawn'}")
        if p.candidates:
            parts.append("Closest roster ids: " + ", ".join(p.candidates))
        if p.history:
            parts.append("Earlier in the thread: " + ", ".join(h.vote.text for h in p.history if h.vote))
        detail.update(one_line(" · ".join(parts)))

    # -- deciding ----------------------------------------------------------------------------

    def action_toggle_accept(self) -> None:
        row = self.table.current()
        if row is None:
            return
        if not row.acceptable:
            p = row.proposed
            why = (
                "a skipped post is not a ballot"
                if p.skipped
                else "this vote is already recorded; recording it again changes nothing"
                if p.already_recorded
                else "this row has no vote; edit it (enter)"
            )
            self.notify(f"Cannot accept: {why}.", severity="warning")
            return
        row.accepted = not row.accepted
        self._show_rows()

    def action_drop(self) -> None:
        row = self.table.current()
        if row is not None:
            self.review.remove([row])
            self._show_rows()
            p = row.proposed
            vote = p.vote.text if p.vote else "no vote"
            self.notify(
                f"Dropped the row of {p.short_author or p.author} ({vote}); ctrl+r reads the thread again."
            )

    @on(ReviewTable.RowSelected, "#proposals")
    def _row_chosen(self) -> None:
        self.action_edit()

    def action_edit(self) -> None:
        """enter: change the vote, or the voter: a member is never taken for the author unless the
        manager names them here, and is then told what that does to the member's recorded vote."""
        row = self.table.current()
        if row is None or row.proposed.skipped:
            return
        p = row.proposed
        hint = f" (closest: {', '.join(p.candidates)})" if p.candidates else ""
        if p.suggested and not p.matched_by:
            hint = f" (not proven to be {p.suggested}: type {p.suggested} to pick them)"

        def edited(entry: BallotEntry | None) -> None:
            if entry is None:
                return
            session = self.session
            member = session.member(session.find_voter(entry.voter) or entry.voter)
            if member is None or member.id == p.voter:
                self._apply_edit(row, entry, member)
                return
            recorded = session.latest().get(session.voter_key(member.id))
            effect = _replacing(member.name, member.id, recorded, entry.vote)
            also = [
                other.proposed
                for other in self.review.rows
                if other is not row and other.accepted and other.proposed.voter == member.id
            ]
            if also:
                effect += (
                    f" {member.name}'s {_short_vote(also[0])} from this thread is accepted too: the later "
                    "post counts."
                )
            picked = f"Picked {member.name} ({member.id}) for {p.author}. {effect} ctrl+s records it."
            replaces = (
                recorded is not None and recorded.vote is not None and recorded.vote.text != entry.vote.text
            )
            if not replaces and not also:
                self._apply_edit(row, entry, member)
                self.notify(picked, timeout=10)
                return
            question = f"Record the ballot from {p.author} as {member.name}'s ({member.id})? {effect}"

            def answered(yes: bool | None) -> None:
                if yes:
                    self._apply_edit(row, entry, member)
                    self.notify(picked, timeout=10)

            self.app.push_screen(ConfirmModal(question, yes=f"Pick {member.id}", no="Keep as is"), answered)

        self.app.push_screen(
            BallotForm(
                f"Ballot from {p.author}{hint}: roster id or name, and the vote",
                voter=p.voter,
                vote=p.vote.text if p.vote else "+1",
                ask_name=True,
                ok="Accept (enter)",  # the row is accepted; ctrl+s records it
            ),
            edited,
        )

    def _apply_edit(self, row: Row, entry: BallotEntry, member: Member | None) -> None:
        p, session = row.proposed, self.session
        picked_suggested = member is not None and member.id == p.suggested
        p.voter = member.id if member else one_line(entry.voter)
        p.matched_by = "you" if member else ""
        p.binding = member is not None and member.binding and not member.recused
        p.vote = entry.vote
        p.reasons = []
        if not picked_suggested:  # an address or handle is remembered only for the member it suggested
            p.new_address, p.new_handle = "", ""
        p.suggested = ""
        p.recorded = session.latest().get(session.voter_key(p.voter))
        p.recorded_as = recorded_from_post(p, session, session.latest())
        row.accepted = True
        self._show_rows()

    def action_record(self) -> None:
        """ctrl+s: ask the app to record the accepted rows as one change (asking once first when
        some come from pasted text); the summary says what was recorded once the app has done it
        (refresh_view)."""
        rows = self.review.accepted()
        if not rows:
            return
        unverified = [row for row in rows if not row.proposed.verified]
        if not unverified:
            self._record(rows)
            return
        names = ", ".join(
            f"{r.proposed.short_author} {r.proposed.vote.text if r.proposed.vote else ''}"
            for r in unverified[:6]
        )
        more = f" and {len(unverified) - 6} more" if len(unverified) > 6 else ""
        question = (
            f"{pasted_share(len(unverified), len(rows))} ({names}{more}): "
            f"{UNVERIFIED}. A pasted page or mail cannot prove who wrote a post; anyone can type a "
            "header or a From: line."
        )
        issue = self._issue_to_check()
        if issue is not None:
            question += f" (ctrl+g checks the page against {issue.short} first.)"
        question += f" Record the {plural(len(rows), 'ballot')}?"

        def answered(yes: bool | None) -> None:
            if yes:
                self._record(rows)

        self.app.push_screen(ConfirmModal(question, yes=f"Record {len(rows)}", no="Not now"), answered)

    def _record(self, rows: list[Row]) -> None:
        now = self.shell.clock()
        ballots = tuple(to_ballot(row.proposed, now) for row in rows)
        self.imports.append(RecordedImport(ballots, rows))
        self.request(msg.ImportBallots(ballots, f"thread ({self.review.source or 'pasted text'})"))

    def _offer_addresses(self, rows: list[Row]) -> None:
        """Accepted ballots matched by name only: offer to remember each sender's address."""
        if not rows or self.locked:
            return
        row, rest = rows[0], rows[1:]
        p = row.proposed
        member = self.session.member(p.voter)
        if member is None:
            self._offer_addresses(rest)
            return
        address, member_id, name = p.new_address, member.id, member.name

        def answered(remember: bool | None) -> None:
            if remember:
                self.request(
                    msg.EditSession(
                        lambda s, at: s.add_member_address(member_id, address, at),
                        done=f"{address} is now a known address of {name}: mail from it matches by e-mail.",
                    )
                )
            self._offer_addresses(rest)

        self.app.push_screen(
            ConfirmModal(
                f"The ballot from {address} was matched to {name} ({member_id}) by name only. "
                f"Remember {address} as an address of {name}, so the next vote from it matches without "
                "review? (It is added to this session's roster.)",
                yes="Remember",
                no="Not now",
            ),
            answered,
        )

    def _offer_handles(self, rows: list[Row]) -> None:
        """Ballots from a GitHub login equal to a member's id, picked as that member: offer to
        remember the login as their GitHub handle, so it matches without review next time."""
        if not rows or self.locked:
            return
        row, rest = rows[0], rows[1:]
        p = row.proposed
        member = self.session.member(p.voter)
        if member is None or member.github:
            self._offer_handles(rest)
            return
        handle, member_id, name = p.new_handle, member.id, member.name

        def answered(remember: bool | None) -> None:
            if remember:
                self.request(
                    msg.EditSession(
                        lambda s, at: s.set_member_github(member_id, handle, at),
                        done=f"@{handle} is now {name}'s GitHub handle: their comments match without review.",
                    )
                )
            self._offer_handles(rest)

        self.app.push_screen(
            ConfirmModal(
                f"You picked {name} ({member_id}) for GitHub user @{handle}. Remember @{handle} as "
                f"{name}'s GitHub handle, so their comments match without review? Only if you know it "
                "is theirs: a login that is the same as an ASF id proves nothing. (It is added to this "
                "session's roster.)",
                yes="Remember",
                no="Not now",
            ),
            answered,
        )

    def action_undo(self) -> None:
        self.request(msg.UndoBallot())


def known_threads(thread: str, list_thread: str) -> str:
    """What F9 offers to read: the session's thread and its dev@ thread beside it, when known."""
    return " ".join(dict.fromkeys(t for t in (thread.strip(), list_thread.strip()) if t))


def _short_vote(p: Proposed) -> str:
    return p.vote.text if p.vote else "post"


def _short(p: Proposed) -> str:
    return f"{p.short_author} {p.vote.text}" if p.vote else p.short_author


def _replacing(name: str, member_id: str, recorded: Ballot | None, vote: Vote) -> str:
    """What picking a member does to their recorded vote, in one sentence."""
    if recorded is None or recorded.vote is None:
        return f"{name} has no recorded vote: this {vote.text} becomes their vote."
    if recorded.vote.text == vote.text:
        return f"It repeats {name}'s recorded {vote.text}."
    return f"It replaces {name}'s recorded {recorded.vote.text} with {vote.text}."


def _saved_at(path: Path, fallback: DateTime) -> DateTime:
    """When a saved page was written: its '5 minutes ago' is reckoned from then."""
    import pendulum

    try:
        return pendulum.from_timestamp(path.stat().st_mtime, tz="UTC")
    except (OSError, OverflowError, ValueError):
        return fallback
