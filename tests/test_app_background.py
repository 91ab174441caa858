"""Files are read in worker threads after the first frame, as users get them; tests wait for them."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import DataTable, Static

from tests.app_helpers import app_for, demo_store, running, settle
from tests.factories import roster, session
from tvm_vote_tui.app.messages import OpenSessionFile, RecordBallot
from tvm_vote_tui.app.screens.ballots import BallotsScreen
from tvm_vote_tui.app.screens.opening import OpeningScreen
from tvm_vote_tui.app.screens.proposal import ProposalScreen
from tvm_vote_tui.app.screens.sessions import SessionsScreen
from tvm_vote_tui.app.widgets.ballot_table import BallotTable
from tvm_vote_tui.cli import main
from tvm_vote_tui.domain.votes import parse_vote
from tvm_vote_tui.store.sessions import OpenSession, Store


async def test_open_in_background_shows_ballots_when_loaded(
    isolated_data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _, path = demo_store(isolated_data_dir)
    reading = threading.Event()
    opened = OpenSession.open

    def slow_open(*args: Any, **kwargs: Any) -> OpenSession:
        assert reading.wait(10)  # the file is still being read...
        return opened(*args, **kwargs)

    monkeypatch.setattr(OpenSession, "open", slow_open)
    app = app_for(isolated_data_dir, open_path=path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, OpeningScreen)  # ...and the first frame did not wait for it
        assert "Opening " in str(app.screen.query_one(Static).render())
        reading.set()
        await settle(pilot)
        assert isinstance(app.screen, BallotsScreen)
        assert app.meeting.current is not None and not app.meeting.current.read_only


async def test_new_session_while_the_list_is_still_being_read(isolated_data_dir: Path) -> None:
    """The crash users met: `n`, a title, enter, while the sessions list was read in a thread."""
    for i in range(20):
        demo_store(isolated_data_dir, session(title=f"Vote {i}"))
    app = app_for(isolated_data_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("n", *"Fresh vote", "enter")  # before the listing worker has finished
        await settle(pilot)
        assert isinstance(app.screen, ProposalScreen)
        assert app.meeting.current is not None
        assert app.meeting.current.session.proposal.title == "Fresh vote"
        await pilot.press("f1", "r", "f2", "f1")  # switching away while reading, again and again
        await settle(pilot)
        assert isinstance(app.screen, SessionsScreen)
        assert app.screen.query_one("#sessions", DataTable).row_count == 21
    assert app.return_code is None and app.crash is None  # still running when the test ends: no crash


async def test_a_big_vote_opens_with_every_row_at_once(isolated_data_dir: Path) -> None:
    members = roster(700)
    s = session([(f"m{i}", "+1") for i in range(0, 700, 7)], members=members)
    _, path = demo_store(isolated_data_dir, s)
    app = app_for(isolated_data_dir, open_path=path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, BallotsScreen)
        table = screen.query_one("#ballots", BallotTable)
        assert table.row_count == 700  # drawn on demand: nothing is filled in behind
        await pilot.press("end")
        assert table.cursor_key == "m699"
        app.post_message(RecordBallot("m699", parse_vote("-1")))
        await settle(pilot)
        assert str(table.row("m699")[1]) == "-1"


async def test_sessions_listed_in_background(isolated_data_dir: Path) -> None:
    async with running(isolated_data_dir, screen="sessions") as r:
        assert r.app.screen.query_one("#sessions", DataTable).row_count == 1


def test_open_command_rejects_a_missing_session(capsys) -> None:
    assert main(["open", "no-such-vote"]) == 2
    assert "no session file" in capsys.readouterr().err


async def test_a_vote_opened_while_the_command_line_one_is_read_stays_open(
    isolated_data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`open A` is slow; meanwhile the manager opens B from the list and edits it. When A is read,
    B stays the open vote, and nothing of B's is written into A."""
    store, slow = demo_store(isolated_data_dir, session(title="Slow vote"))
    _, other = demo_store(isolated_data_dir, session(title="Other vote"))
    before = slow.read_bytes()
    reading = threading.Event()
    opened = OpenSession.open

    def slow_open(cls_store: Any, path: Path, **kwargs: Any) -> OpenSession:
        if path == slow:
            assert reading.wait(10)
        return opened(cls_store, path, **kwargs)

    monkeypatch.setattr(OpenSession, "open", slow_open)
    app = app_for(isolated_data_dir, open_path=slow)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("f1")
        await pilot.pause()
        table = app.screen.query_one("#sessions", DataTable)
        titles = [str(table.get_row_at(i)[0]) for i in range(table.row_count)]
        await pilot.press(*["down"] * titles.index("Other vote"), "enter")
        await pilot.pause()
        await pilot.press("f2", "tab", "ctrl+u", *"Other vote, renamed")  # still in the field
        reading.set()
        await settle(pilot)
        assert app.meeting.session is not None
        assert app.meeting.session.proposal.title.startswith("Other vote")
        await pilot.press("tab")
        await settle(pilot)
    assert slow.read_bytes() == before and "renamed" not in Store(isolated_data_dir).load(slow).proposal.title
    assert Store(isolated_data_dir).load(other).proposal.title == "Other vote, renamed"


async def test_switching_votes_saves_the_field_being_edited_to_its_own_vote(isolated_data_dir: Path) -> None:
    _, first = demo_store(isolated_data_dir, session(title="First vote"))
    _, second = demo_store(isolated_data_dir, session(title="Second vote"))
    app = app_for(isolated_data_dir, open_path=second)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("f2", "tab", "ctrl+u", *"Second vote, renamed")  # not left yet
        app.post_message(OpenSessionFile(first))
        await settle(pilot)
        assert app.meeting.session is not None and app.meeting.session.proposal.title == "First vote", [
            n.message for n in app._notifications
        ]
    store = Store(isolated_data_dir)
    assert store.load(second).proposal.title == "Second vote, renamed"
    assert store.load(first).proposal.title == "First vote"
