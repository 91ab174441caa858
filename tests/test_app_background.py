"""Files are read in worker threads after the first frame, as users get them; tests wait for them."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import DataTable, Static

from tests.app_helpers import app_for, demo_store, running, settle
from tests.factories import roster, session
from tvm_vote_tui.app.messages import RecordBallot
from tvm_vote_tui.app.screens.ballots import BallotsScreen
from tvm_vote_tui.app.screens.opening import OpeningScreen
from tvm_vote_tui.app.screens.proposal import ProposalScreen
from tvm_vote_tui.app.screens.sessions import SessionsScreen
from tvm_vote_tui.app.widgets.ballot_table import BallotTable
from tvm_vote_tui.cli import main
from tvm_vote_tui.domain.votes import parse_vote
from tvm_vote_tui.store.sessions import OpenSession


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
    assert app.return_code in (None, 0)


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
