"""The import screen (F9): paste or fetch a thread, follow the GitHub issue during a meeting, review
the proposals and record them as one undoable change. Nothing is recorded without ctrl+s."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

import pendulum
import pytest
from pendulum import DateTime
from pytest_httpserver import HTTPServer
from textual.pilot import Pilot
from textual.widgets import Button, Input, Static, TextArea

from tests.app_helpers import demo_store, running, settle
from tests.factories import sample_with_handles
from tests.github_fake import ISSUE_PATH, FakeGitHub, configure, recorded
from tvm_vote_tui.app.app import VoteApp, make_app
from tvm_vote_tui.app.screens.import_thread import ImportThreadScreen
from tvm_vote_tui.app.widgets.ballot_form import BallotForm
from tvm_vote_tui.app.widgets.modals import ConfirmModal
from tvm_vote_tui.app.widgets.review_table import ReviewTable
from tvm_vote_tui.demo import sample_session
from tvm_vote_tui.domain.model import Session
from tvm_vote_tui.store.sessions import Store

THREADS = Path(__file__).parent / "threads"
THREAD = (THREADS / "github_ffi.md").read_text()


@pytest.fixture(scope="session")
def httpserver_listen_address() -> tuple[str, int]:
    return ("127.0.0.1", 0)


@pytest.fixture(autouse=True)
def no_token(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("GITHUB_TOKEN", raising=False)
    monkeypatch.delenv("GH_TOKEN", raising=False)


def summary(screen: ImportThreadScreen) -> str:
    return str(screen.query_one("#thread-summary", Static).render())


def voters(screen: ImportThreadScreen) -> list[str]:
    return [row.proposed.voter for row in screen.review.rows]


async def test_paste_review_edit_record_and_undo(isolated_data_dir: Path) -> None:
    async with running(isolated_data_dir, sample_with_handles(), size=(120, 40), screen="import") as r:
        app, pilot, path, store = r.app, r.pilot, r.path, r.store
        screen = app.screen
        assert isinstance(screen, ImportThreadScreen)
        screen.query_one("#thread-text", TextArea).text = THREAD
        await r.press("ctrl+r")
        table = screen.query_one("#proposals", ReviewTable)
        assert table.row_count == 12 and table.has_focus
        # Only the clear ones, by default; the app's clock reads Nov 25, so noor's Nov 27 is flagged.
        assert sum(row.accepted for row in screen.review.rows) == 5
        noor = next(row.proposed for row in screen.review.rows if row.proposed.voter == "noor")
        assert any("dated in the future" in reason for reason in noor.why)
        assert store.load(path).ballots == []  # nothing recorded yet
        # Accept kofi's conditional +1 after reading it, drop elif's mixed message.
        table.move_cursor(row=voters(screen).index("kofi"))
        await pilot.press("space")
        table.move_cursor(row=voters(screen).index("elif"))
        await pilot.press("x")
        # The unknown author turns out to be Olu on another account: edit the row.
        table.move_cursor(row=voters(screen).index("newcontributor42"))
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, BallotForm)
        app.screen.query_one("#voter", Input).value = "olu"
        await pilot.press("enter")
        await r.press("ctrl+s")
        # Pasted text names its authors, nothing proves them: ctrl+s asks once, naming how many.
        assert isinstance(app.screen, ConfirmModal)
        assert "All 7 ballots to record come from pasted text" in app.screen.question
        assert "pasted: author not verified" in app.screen.question
        assert store.load(path).ballots == []
        await r.press("y")
        saved = store.load(path)
        recorded_voters = {"ada", "chenwei", "dorlov", "jiali", "farah", "kofi", "olu"}
        assert {b.voter for b in saved.ballots} == recorded_voters
        assert all(b.source == "thread" and "from thread" in b.note for b in saved.ballots)
        assert [e.action for e in saved.log].count("import") == 1
        assert len(screen.review.rows) == 4  # what was not recorded stays for review
        # The summary says what was recorded, once the app has recorded it.
        assert summary(screen).startswith("Recorded 7 ballots from pasted text: Ada Lindqvist, Chen Wei")
        await r.press("ctrl+z")  # one undo step takes the whole import back
        assert store.load(path).ballots == []
        assert "was undone; its rows are back" in summary(screen)
        assert set(voters(screen)) >= recorded_voters


async def test_focus_stays_on_the_review_table_after_ctrl_r(isolated_data_dir: Path) -> None:
    async with running(isolated_data_dir, sample_session(ballots=0), screen="import") as r:
        screen = r.app.screen
        assert isinstance(screen, ImportThreadScreen)
        screen.query_one("#thread-text", TextArea).text = THREAD
        await r.press("ctrl+r")
        table = screen.query_one("#proposals", ReviewTable)
        assert table.has_focus
        table.move_cursor(row=3)
        await r.press("ctrl+r")  # read again from the table
        assert table.has_focus and table.cursor_row == 3


async def test_bad_thread_input_is_explained(isolated_data_dir: Path, tmp_path: Path) -> None:
    async with running(isolated_data_dir, sample_session(ballots=0), size=(100, 30), screen="import") as r:
        screen = r.app.screen
        assert isinstance(screen, ImportThreadScreen)
        screen.query_one("#thread-path", Input).value = str(tmp_path / "missing.txt")
        screen.query_one("#thread-path", Input).focus()
        await r.press("enter")
        assert "no such file" in summary(screen)
        screen.query_one("#thread-path", Input).value = "https://github.com/apache/tvm/pull/16369"
        await r.press("ctrl+r")
        assert "is a pull request, not an issue" in summary(screen)
        screen.query_one("#thread-path", Input).value = ""
        screen.query_one("#thread-text", TextArea).text = "hello\nworld"
        await r.press("ctrl+r")
        assert "no messages found" in summary(screen)


async def test_hostile_names_show_visibly_and_an_accepted_new_address_can_be_remembered(
    isolated_data_dir: Path,
) -> None:
    async with running(isolated_data_dir, sample_session(ballots=0), size=(120, 40), screen="import") as r:
        screen = r.app.screen
        assert isinstance(screen, ImportThreadScreen)
        screen.query_one("#thread-text", TextArea).text = (THREADS / "dev_release.mbox").read_text()
        await r.press("ctrl+r")
        table = screen.query_one("#proposals", ReviewTable)
        cells = [str(cell) for index in range(table.row_count) for cell in table.get_row_at(index)]
        assert not any("\x1b" in cell or "\x07" in cell for cell in cells)
        assert any("Mallory␛]0;pwned␇" in cell for cell in cells)
        # Mail in Gustavo's name from an address the roster does not list: a guest's, never
        # pre-filled as his. The manager knows it is his other address and picks him (enter).
        spoof = "Gustavo Ruiz <totally-not-gustavo@evil.example>"
        table.move_cursor(row=voters(screen).index(spoof))
        assert str(table.get_row_at(table.cursor_row)[3]) == "guest"
        await r.press("enter")
        assert isinstance(r.app.screen, BallotForm)
        r.app.screen.query_one("#voter", Input).value = "gruiz"
        await r.press("enter")
        # His own +1 from gruiz@apache.org is in the table too: picking him says the later counts.
        assert isinstance(r.app.screen, ConfirmModal)
        assert "Gustavo Ruiz's +1 from this thread is accepted too" in r.app.screen.question
        await r.press("y")
        rows = [row for row in screen.review.rows if row.proposed.voter == "gruiz"]
        assert len(rows) == 2 and all(row.accepted for row in rows)
        await r.press("ctrl+s")
        assert isinstance(r.app.screen, ConfirmModal)  # pasted text: asked once
        assert "pasted: author not verified" in r.app.screen.question
        await r.press("y")
        assert isinstance(r.app.screen, ConfirmModal)  # then: remember the address?
        assert "totally-not-gustavo@evil.example" in r.app.screen.question
        await r.press("y")
        gustavo = r.saved().member("gruiz")
        assert gustavo is not None and gustavo.emails == ("totally-not-gustavo@evil.example",)
        assert r.saved().latest()["gruiz"].vote.text == "-1"


# -- fetching from GitHub and following the issue ---------------------------------------------


@dataclass
class Clock:
    """The app's clock, moved by the test (follow mode counts down on it)."""

    now: DateTime

    def __call__(self) -> DateTime:
        return self.now


@dataclass
class Fetching:
    app: VoteApp
    pilot: Pilot[None]
    screen: ImportThreadScreen
    store: Store
    path: Path
    clock: Clock
    fake: FakeGitHub

    @property
    def issue_url(self) -> str:
        """The issue's address on the stand-in server: its API is the Enterprise /api/v3 beside it."""
        return self.fake.server.url_for("/apache/tvm/issues/16368")

    async def press(self, *keys: str) -> None:
        await self.pilot.press(*keys)
        await settle(self.pilot)

    def saved(self) -> Session:
        return self.store.load(self.path)


@asynccontextmanager
async def fetching(
    data_dir: Path, server: HTTPServer, size: tuple[int, int] = (80, 24)
) -> AsyncIterator[Fetching]:
    fake = FakeGitHub(server, prefix="/api/v3")
    configure(fake.api_url)  # the manager's configuration names the API (GitHub Enterprise style)
    fake.comments = fake.comments[:-1]  # the meeting is on: no result comment yet
    clock = Clock(pendulum.datetime(2026, 11, 26, 12, 0))
    store, path = demo_store(data_dir, sample_with_handles())  # every member's GitHub handle known
    app = make_app(Store(data_dir), clock=clock, open_path=path)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        await pilot.press("f9")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ImportThreadScreen)
        yield Fetching(app, pilot, screen, store, path, clock, fake)


async def test_f9_fetches_the_issue_in_a_worker_and_records_nothing_by_itself(
    isolated_data_dir: Path, httpserver: HTTPServer
) -> None:
    async with fetching(isolated_data_dir, httpserver) as f:
        f.screen.query_one("#thread-path", Input).value = f.issue_url
        await f.press("ctrl+r")
        assert summary(f.screen).startswith("apache/tvm#16368: 8 messages, 7 voters with a vote: 5 clear")
        assert f.screen.query_one("#proposals", ReviewTable).has_focus
        assert [path for path, _, _ in f.fake.requests][0] == f"/api/v3{ISSUE_PATH}"
        assert f.saved().ballots == []  # read, proposed, not recorded
        assert f.saved().proposal.thread == f.issue_url  # remembered for the next fetch
        await f.press("ctrl+s")
        assert {b.voter for b in f.saved().ballots} == {"ada", "chenwei", "dorlov", "priya", "hsato"}


async def test_an_enterprise_issue_is_remembered_by_its_url_read_there_again_and_linked(
    isolated_data_dir: Path, httpserver: HTTPServer
) -> None:
    """On GitHub Enterprise the issue's pages are on the server's own host (html_url says so):
    the session keeps the whole URL, not `apache/tvm#16368` (which would mean github.com), so the
    next read, a bare number and the result all go to that host."""
    from tvm_vote_tui.publish.formats import EXPORT_FORMATS

    async with fetching(isolated_data_dir, httpserver) as f:
        f.screen.query_one("#thread-path", Input).value = f.issue_url
        await f.press("ctrl+r")
        assert f.saved().proposal.thread == f.issue_url
        await f.press("f4", "f9")  # another time: the field holds the remembered thread
        screen = f.app.screen
        assert isinstance(screen, ImportThreadScreen)
        field = screen.query_one("#thread-path", Input)
        assert field.value == f.issue_url
        for typed in (f.issue_url, "16368", "#16368"):  # a number: the same repository and host
            field.value = typed
            f.fake.requests.clear()
            await f.press("ctrl+r")
            assert "apache/tvm#16368: 8 messages" in summary(screen), typed
            assert f.fake.requests and all(
                p.startswith(f"/api/v3{ISSUE_PATH}") for p, _, _ in f.fake.requests
            )
        assert f.saved().proposal.thread == f.issue_url
        result = EXPORT_FORMATS["result"].render(f.saved())
        assert f"Vote thread: {f.issue_url}" in result and "github.com/apache/tvm/issues/16368" not in result


async def test_follow_mode_proposes_what_is_new_since_the_last_read(
    isolated_data_dir: Path, httpserver: HTTPServer
) -> None:
    async with fetching(isolated_data_dir, httpserver) as f:
        f.screen.query_one("#thread-path", Input).value = f.issue_url
        await f.press("ctrl+f")
        status = f.screen.query_one("#follow-status", Static)
        assert "Following apache/tvm#16368 every 30 s · next in 30 s" in str(status.render())
        assert len(f.screen.review.rows) == 7
        table = f.screen.query_one("#proposals", ReviewTable)
        table.focus()
        table.move_cursor(row=voters(f.screen).index("hsato"))
        await f.press("space")  # the manager skips hsato's clear +1 for now
        f.clock.now = f.clock.now.add(seconds=10)
        f.screen.follow_tick()
        assert "next in 20 s" in str(status.render())
        # During the meeting noor votes on the issue; the next read, 30 s after the first, finds it.
        f.fake.comments.append(recorded("comment_16368_late.json"))
        f.fake.requests.clear()
        f.clock.now = f.clock.now.add(seconds=21)
        f.screen.follow_tick()
        await settle(f.pilot)
        assert [status for _, _, status in f.fake.requests] == [304, 304, 200]  # only page 2 changed
        new = [row for row in f.screen.review.rows if row.new]
        assert [row.proposed.voter for row in new] == ["noor"] and new[0].accepted
        assert "1 new since the last read" in summary(f.screen)
        hsato = next(row for row in f.screen.review.rows if row.proposed.voter == "hsato")
        assert not hsato.accepted  # the manager's decision survives the read
        assert f.saved().ballots == []  # nothing recorded without the manager's say
        await f.press("ctrl+s")
        assert {b.voter for b in f.saved().ballots} == {"ada", "chenwei", "dorlov", "priya", "noor"}
        await f.press("ctrl+z")
        assert f.saved().ballots == []
        await f.press("ctrl+f")
        assert "Not following" in str(status.render())


async def test_a_failed_read_says_why_and_keeps_the_rows(
    isolated_data_dir: Path, httpserver: HTTPServer
) -> None:
    async with fetching(isolated_data_dir, httpserver) as f:
        f.screen.query_one("#thread-path", Input).value = f.issue_url
        await f.press("ctrl+r")
        rows = list(f.screen.review.rows)
        httpserver.clear_all_handlers()
        httpserver.expect_request(f"/api/v3{ISSUE_PATH}").respond_with_data("", status=502)
        await f.press("ctrl+r")
        assert "had a server error (502)" in summary(f.screen) and "Nothing changed" in summary(f.screen)
        assert f.screen.review.rows == rows


@pytest.mark.parametrize("thread", ["", "apache/tvm#16368"])
async def test_the_issue_field_takes_the_focus_only_when_there_is_one_to_type(
    isolated_data_dir: Path, thread: str
) -> None:
    from tvm_vote_tui.app.screens.help import HelpScreen

    session = sample_session()
    if thread:
        session.set_thread(thread, session.proposal.opens_at)
    async with running(isolated_data_dir, session, screen="import") as r:
        path = r.app.screen.query_one("#thread-path", Input)
        assert path.has_focus is not bool(thread)
        if thread:
            await r.press("question_mark")  # a screen key
            assert isinstance(r.app.screen, HelpScreen)
            await r.press("escape", *"17000")  # text: a new issue to read, in the field
            assert path.value == "17000" and path.has_focus
            assert r.session.proposal.thread == thread  # only a read changes the session's thread
        else:
            await r.press(*"123", "escape", "question_mark")  # escape leaves the field
            assert path.value == "123"
            assert isinstance(r.app.screen, HelpScreen)


async def test_votes_already_recorded_need_no_review_and_the_edit_dialog_accepts(
    isolated_data_dir: Path,
) -> None:
    async with running(isolated_data_dir, sample_session(ballots=0), size=(120, 40), screen="import") as r:
        screen = r.app.screen
        assert isinstance(screen, ImportThreadScreen)
        screen.query_one("#thread-text", TextArea).text = THREAD
        await r.press("ctrl+r", "ctrl+s", "y")  # the clear ones, recorded (pasted: asked once)
        recorded = len(r.saved().ballots)
        assert recorded > 0
        screen.query_one("#thread-path", Input).focus()
        screen.query_one("#thread-text", TextArea).text = THREAD
        await r.press("escape", "ctrl+r")  # the same thread again
        assert f"{recorded} already recorded" in summary(screen)
        table = screen.query_one("#proposals", ReviewTable)
        same = next(i for i, row in enumerate(screen.review.rows) if row.proposed.already_recorded)
        table.move_cursor(row=same)
        await r.press("space")
        assert not screen.review.rows[same].accepted
        assert any("already recorded" in n.message for n in r.app._notifications)
        await r.press("ctrl+s")
        assert len(r.saved().ballots) == recorded  # nothing appended
        await r.press("enter")
        assert isinstance(r.app.screen, BallotForm)
        assert str(r.app.screen.query_one("#ok", Button).label) == "Accept (enter)"


PASTED_PAGE = """\
[VOTE] Release Apache TVM v0.19.0.rc0 #16368
mrossi opened this issue on Nov 24, 2026

Dear TVM community,

ada-l commented on Nov 24, 2026

+1. I checked the signatures, the checksums and the LICENSE/NOTICE files.

hsato commented on Nov 26, 2026

+1! Great work

olu commented on Nov 26, 2026

-1 (binding)
"""


async def test_ctrl_g_checks_a_pasted_page_against_the_issue_through_the_api(
    isolated_data_dir: Path, httpserver: HTTPServer
) -> None:
    async with fetching(isolated_data_dir, httpserver, size=(120, 40)) as f:
        # The session knows its thread (on the stand-in's host): the page is checked against it.
        f.app.meeting.edit(lambda s, at: s.set_thread(f.issue_url, at))
        f.screen.query_one("#thread-text", TextArea).text = PASTED_PAGE
        await f.press("ctrl+r")
        assert "ctrl+g checks the page against apache/tvm#16368" in summary(f.screen)
        assert not any(row.proposed.verified for row in f.screen.review.rows)
        await f.press("ctrl+g")
        await settle(f.pilot)
        assert "apache/tvm#16368 does not know 1 of the 4 posts" in summary(f.screen)
        assert "@olu '-1 (binding)'" in summary(f.screen)
        rows = {row.proposed.voter: row for row in f.screen.review.rows}
        assert rows["ada"].proposed.verified and rows["ada"].accepted  # GitHub vouches for it
        olu = rows["olu"]
        assert not olu.proposed.verified and not olu.accepted
        assert any("has no such post by @olu" in reason for reason in olu.proposed.why)
        await f.press("ctrl+s")  # only verified rows are accepted: recorded without asking
        assert {b.voter for b in f.saved().ballots} == {"ada", "hsato"}


async def test_leaving_f9_and_coming_back_keeps_the_read_and_the_decisions(isolated_data_dir: Path) -> None:
    """A look at F4 in the middle of a review loses nothing: the rows, what was accepted or
    dropped, the pasted text and the summary are there on the way back."""
    async with running(isolated_data_dir, sample_with_handles(), size=(120, 40), screen="import") as r:
        app, pilot = r.app, r.pilot
        screen = app.screen
        assert isinstance(screen, ImportThreadScreen)
        screen.query_one("#thread-text", TextArea).text = THREAD
        await r.press("ctrl+r")
        screen.table.move_cursor(row=voters(screen).index("kofi"))
        await pilot.press("space")  # kofi's conditional +1 accepted after reading it
        accepted = [row.proposed.voter for row in screen.review.rows if row.accepted]
        said = summary(screen)
        await r.press("f4")
        assert not isinstance(app.screen, ImportThreadScreen)
        await r.press("f9")
        back = app.screen
        assert isinstance(back, ImportThreadScreen) and back is not screen
        assert [row.proposed.voter for row in back.review.rows if row.accepted] == accepted
        assert "kofi" in accepted and back.query_one("#proposals", ReviewTable).row_count == 12
        assert back.query_one("#thread-text", TextArea).text == THREAD and summary(back) == said


async def test_text_pasted_after_the_issue_is_what_ctrl_r_reads(isolated_data_dir: Path) -> None:
    """The issue field holds the vote's own thread (filled in by the app); the manager pastes the
    page below: ctrl+r reads the paste, says so first, and never goes to the network for it."""
    s = sample_with_handles()
    async with running(isolated_data_dir, s, size=(120, 40), screen="import") as r:
        screen = r.app.screen
        assert isinstance(screen, ImportThreadScreen)
        screen.query_one("#thread-path", Input).value = "apache/tvm#99999"
        await r.pilot.pause()
        screen.query_one("#thread-text", TextArea).text = THREAD
        await r.pilot.pause()
        assert "ctrl+r reads the text pasted here" in summary(screen)
        await r.press("ctrl+r")
        assert screen.query_one("#proposals", ReviewTable).row_count == 12
        assert "pasted text" in summary(screen)
        # Typing an issue again makes it the one read.
        screen.query_one("#thread-path", Input).value = "apache/tvm#1"
        await r.pilot.pause()
        assert "ctrl+r reads the issue" in summary(screen)


def test_how_many_pasted_ballots_is_said_in_plain_grammar() -> None:
    from tvm_vote_tui.app.widgets.review_table import pasted_share

    assert pasted_share(1, 1) == "The ballot to record comes from pasted text"
    assert pasted_share(3, 3) == "All 3 ballots to record come from pasted text"
    assert pasted_share(1, 4) == "1 of the 4 ballots to record comes from pasted text"
    assert pasted_share(2, 4) == "2 of the 4 ballots to record come from pasted text"
