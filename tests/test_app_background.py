"""The production path: files are read in worker threads after the first frame."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import DataTable

from tests.app_helpers import app_for, demo_store
from tests.factories import roster, session
from tvm_vote_tui.app.screens.ballots import BallotsScreen
from tvm_vote_tui.cli import main
from tvm_vote_tui.domain.votes import parse_vote


async def test_open_in_background_shows_ballots_when_loaded(isolated_data_dir: Path) -> None:
    _, path = demo_store(isolated_data_dir)
    app = app_for(isolated_data_dir, open_path=path, background=True)
    async with app.run_test(size=(80, 24)) as pilot:
        for _ in range(1000):  # the file is read in a thread; the screen switches when it is done
            if isinstance(app.screen, BallotsScreen):
                break
            await pilot.pause(0.02)
        assert isinstance(app.screen, BallotsScreen)
        assert app.current is not None and not app.current.read_only


async def test_big_table_fills_in_chunks(isolated_data_dir: Path) -> None:
    members = roster(700)
    s = session([(f"m{i}", "+1") for i in range(0, 700, 7)], members=members)
    _, path = demo_store(isolated_data_dir, s)
    app = app_for(isolated_data_dir, open_path=path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        assert isinstance(screen, BallotsScreen)
        table = screen.query_one("#ballots", DataTable)
        assert table.row_count < 700  # a first screenful, the rest behind
        for _ in range(1000):
            if table.row_count == 700:
                break
            await pilot.pause(0.02)
        assert table.row_count == 700
        app.record("m699", parse_vote("-1"))
        assert str(table.get_row("m699")[1]) == "-1"


async def test_sessions_listed_in_background(isolated_data_dir: Path) -> None:
    demo_store(isolated_data_dir)
    app = app_for(isolated_data_dir, background=True)
    async with app.run_test(size=(80, 24)) as pilot:
        table = app.screen.query_one("#sessions", DataTable)
        for _ in range(1000):
            if table.row_count:
                break
            await pilot.pause(0.02)
        assert table.row_count == 1


def test_open_command_rejects_a_missing_session(capsys) -> None:
    assert main(["open", "no-such-vote"]) == 2
    assert "no session file" in capsys.readouterr().err
