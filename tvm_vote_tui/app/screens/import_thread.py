"""Import ballots from a vote thread: fetch the GitHub issue (and follow it during the meeting), or
read a saved thread or pasted text; review each proposed ballot; record the accepted ones.

Fetching runs in a worker thread that is handed a `GitHubReader` and an `IssueRef` and touches
nothing of the app; its result comes back as a worker event, seen only while this screen is
mounted. Nothing is recorded without the manager's ctrl+s."""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from pathlib import Path

from pendulum import DateTime
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.timer import Timer
from textual.widgets import Input, Label, Select, Static, TextArea
from textual.worker import Worker, WorkerState

from tvm_vote_tui.app import messages as msg
from tvm_vote_tui.app.screens.base import VoteScreen
from tvm_vote_tui.app.widgets.ballot_form import BallotEntry, BallotForm
from tvm_vote_tui.app.widgets.modals import ConfirmModal
from tvm_vote_tui.app.widgets.review_table import ReviewTable, when
from tvm_vote_tui.domain.ballots import Ballot
from tvm_vote_tui.domain.roster import Member
from tvm_vote_tui.domain.text import one_line, plural
from tvm_vote_tui.domain.thread_ref import IssueRef, ThreadRefError, issue_ref_for
from tvm_vote_tui.domain.times import local_zone
from tvm_vote_tui.domain.votes import Vote
from tvm_vote_tui.store.sessions import StoreError, read_text
from tvm_vote_tui.venues.github import FetchedIssue, GitHubReader, token_from_env
from tvm_vote_tui.votethread.api_check import check_against_api, page_issue
from tvm_vote_tui.votethread.posts import Post, ThreadError
from tvm_vote_tui.votethread.proposals import UNVERIFIED, Proposed, ThreadReport, propose_posts
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
    """Follow mode: which issue, how often, and when the next read is due."""

    ref: IssueRef
    every: int
    next_at: DateTime
    last: str = ""
    """What the last read found, for the status line."""


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
        Binding("escape", "leave_field", "Leave field", show=False),
    ]
    EXTRA_KEYS = (
        ("letters / digits", "typed outside a field, they start a new issue or path in the field above"),
        ("escape", "leave a field, so ? and the table keys work"),
        ("tab", "move between the issue/path, the paste area, the options and the review table"),
        ("enter (issue/path)", "fetch the issue or read the file"),
    )

    def __init__(self) -> None:
        super().__init__()
        self.review = Review()
        self.reader: GitHubReader | None = None
        self.following: Following | None = None
        self.imports: list[RecordedImport] = []
        self._fetching: IssueRef | None = None
        self._focus_after_fetch = False
        self._timer: Timer | None = None
        self._taking = False
        """The issue field took text typed outside it, and has (or is getting) the focus."""
        self.pasted: Pasted | None = None
        """The pasted page (or saved file) last read: what ctrl+g checks against the API."""
        self._pasted_at: DateTime | None = None
        """When the text in the paste area last changed: a page's '5 minutes ago' is reckoned
        from it."""
        self._checking: tuple[IssueRef, Pasted] | None = None

    def compose_body(self) -> ComposeResult:
        yield Input(
            placeholder="GitHub issue (16368, apache/tvm#16368 or its URL) or a saved thread's path",
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
        path.value = self.session.proposal.thread
        if not path.value:  # nothing known yet: type the issue (a known one is read with ctrl+r)
            path.focus()
        self._show_follow()

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

    def action_leave_field(self) -> None:
        if isinstance(self.focused, Input | TextArea):
            self.set_focus(None)

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
        self.query_one("#thread-summary", Static).update(one_line(text))

    # -- reading -----------------------------------------------------------------------------

    @on(Input.Submitted, "#thread-path")
    def action_parse(self) -> None:
        """ctrl+r: fetch the GitHub issue named above, or read the file, or the pasted text."""
        raw = self.query_one("#thread-path", Input).value.strip()
        if raw and not Path(raw).expanduser().exists():
            try:
                ref = issue_ref_for(raw, self.session.proposal.thread)
            except ThreadRefError as err:
                self._say(f"{raw}: no such file, and {err}" if "pull request" not in str(err) else str(err))
                return
            if self.following is not None:
                self.following.ref = ref  # follow what was asked for last
            self._fetch(ref, focus=True)
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

    def _fetch(self, ref: IssueRef, *, focus: bool) -> None:
        """Read the issue in a worker thread; it is given all it needs and touches nothing else."""
        if self._fetching is not None:
            return  # one read at a time: the reader's ETags are not shared between threads
        try:
            reader = self._reader_for(ref)
        except ThreadError as err:
            self._say(str(err))
            return
        self._fetching, self._focus_after_fetch = ref, focus
        self._say(f"Reading {ref.short} from {reader.host} …")
        self.run_worker(partial(reader.fetch, ref), thread=True, group="fetch", exit_on_error=False)
        self._show_follow()

    def _reader_for(self, ref: IssueRef) -> GitHubReader:
        """The same reader for the same API (it remembers ETags); the token is read from the
        environment here, on the app's thread, and lives only in the reader."""
        if self.reader is None or self.reader.api_url != ref.api_url.rstrip("/"):
            self.reader = GitHubReader(api_url=ref.api_url, token=token_from_env(), clock=self.shell.clock)
        return self.reader

    @on(Worker.StateChanged)
    def _fetched(self, event: Worker.StateChanged) -> None:
        worker = event.worker
        if worker.group == "check" and worker.state in (WorkerState.SUCCESS, WorkerState.ERROR):
            self._checked(worker)
            return
        if worker.group != "fetch" or worker.state not in (WorkerState.SUCCESS, WorkerState.ERROR):
            return
        ref, self._fetching = self._fetching, None
        if worker.state is WorkerState.ERROR:
            error = worker.error
            problem = str(error) if isinstance(error, ThreadError) else f"reading failed ({error!r})"
            self._say(f"{ref.short if ref else 'The issue'}: {problem}. Nothing changed.")
            self._follow_read_done(f"failed: {problem}")
            return
        fetched = worker.result
        assert isinstance(fetched, FetchedIssue)
        self.pasted = None  # the table now holds the issue as GitHub serves it
        report = propose_posts(fetched.posts, self.session, self.shell.clock())
        source = fetched.ref.short
        if self.review.source == source:
            added = self.review.merge(report)
            marked = " (marked •)" if added else ""
            posts = plural(report.posts, "message")
            text = f"Read {source}: {posts}; {len(added)} new since the last read{marked}."
            text += f" {KEYS_HINT}"
        else:
            self.review.load(report, source)
            added = []
            text = self._read_summary(report, source)
        left = fetched.rate_left
        if left is not None and left < LOW_RATE and not (self.reader and self.reader.token):
            text += f" GitHub allows {left} more requests this hour without a token (GITHUB_TOKEN)."
        self._say(text)
        self._remember_thread(fetched)
        self._show_rows(focus=self._focus_after_fetch)
        self._follow_read_done(f"{len(added)} new" if self.review.rows else "no votes yet")

    def _remember_thread(self, fetched: FetchedIssue) -> None:
        if not self.locked and self.session.proposal.thread != fetched.stored:
            stored = fetched.stored
            self.request(msg.EditSession(lambda s, at: s.set_thread(stored, at)))

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
            return issue_ref_for(given, thread) if given else None
        except ThreadRefError:
            return None

    # -- checking a pasted page against the API ----------------------------------------------

    def action_check(self) -> None:
        """ctrl+g: read the issue the pasted page is of through the API, in a worker thread, and
        say which of the page's posts GitHub does not know."""
        if self.pasted is None or self.pasted.kind != "github":
            self._say("ctrl+g checks a pasted GitHub page: paste one (or give its file) and ctrl+r first.")
            return
        if self._checking is not None or self._fetching is not None:
            return
        ref = self._issue_to_check()
        if ref is None:
            self._say(
                "The page names no issue and this session has no thread: type the issue above "
                "(e.g. apache/tvm#16368) and ctrl+r reads it through the API instead."
            )
            return
        try:
            reader = self._reader_for(ref)
        except ThreadError as err:
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
            problem = str(error) if isinstance(error, ThreadError) else f"reading failed ({error!r})"
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
        raw = self.query_one("#thread-path", Input).value.strip() or self.session.proposal.thread
        try:
            ref = issue_ref_for(raw, self.session.proposal.thread)
        except ThreadRefError:
            self._say("Follow mode reads a GitHub issue: give its number, apache/tvm#16368 or its URL above.")
            return
        every = self._every()
        if every is None:
            return
        self.following = Following(ref, every, self.shell.clock())
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
        following = self.following
        if following is not None and self._fetching is None and self.shell.clock() >= following.next_at:
            self._fetch(following.ref, focus=False)
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
        if self._fetching is not None:
            due = "reading now"
        else:
            left = max(0, round((following.next_at - self.shell.clock()).total_seconds()))
            due = f"next in {left} s"
        last = f" · {following.last}" if following.last else ""
        status.update(one_line(f"Following {following.ref.short} every {following.every} s · {due}{last}"))

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
            self.review.remove(done.rows)
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
        if p.already_recorded:
            parts.append("Already recorded: nothing to do")
        elif p.why:
            parts.append(("Skipped: " if p.skipped else "Why: ") + "; ".join(p.why))
        parts.append(f"{p.author} on {when(p.date, p.day_only or p.slack[0] >= 24, p.approx)}: {p.line}")
        if member is not None and not p.skipped:
            parts.append(f"{member.name} ({member.id}), matched by {p.matched_by}")
        elif not p.skipped:
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
        count = plural(len(unverified), "ballot")
        question = (
            f"{count} of the {len(rows)} to record come from pasted text ({names}{more}): "
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
