"""The newcomer's path: create a proposal, set up a roster, record ballots, quit, restart."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import DataTable, Input, Static

from tests.app_helpers import NOW, app_for, running
from tvm_vote_tui.app.screens.ballots import BallotsScreen
from tvm_vote_tui.app.screens.open_vote import OpenVoteDialog
from tvm_vote_tui.app.screens.proposal import ProposalScreen
from tvm_vote_tui.app.screens.roster import RosterScreen
from tvm_vote_tui.app.screens.sessions import SessionsScreen
from tvm_vote_tui.app.widgets.meter import ThresholdMeter
from tvm_vote_tui.store.sessions import Store


def meter_counts(app) -> tuple[int, int, int]:
    data = app.screen.query_one(ThresholdMeter).data
    b = data.tally.binding
    return (b.plus, b.zero, b.minus)


async def test_first_run_shows_a_welcome(isolated_data_dir: Path) -> None:
    app = app_for(isolated_data_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, SessionsScreen)
        welcome = str(app.screen.query_one("#first-run", Static).render())
        assert "No votes here yet" in welcome
        assert "Press n" in welcome


async def test_newcomer_creates_votes_quits_and_finds_it_all_again(isolated_data_dir: Path) -> None:
    app = app_for(isolated_data_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("n")
        await pilot.press(*"Adopt Relax")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ProposalScreen)
        assert app.meeting.current is not None
        assert app.meeting.current.session.proposal.title == "Adopt Relax"

        # The roster: add twelve binding members through the form.
        await pilot.press("f3")
        await pilot.pause()
        assert isinstance(app.screen, RosterScreen)
        for i in range(12):
            await pilot.press("a")
            await pilot.pause()
            await pilot.press(*f"m{i}", "tab", *f"Member {i}", "enter")
            await pilot.pause()
        assert [m.id for m in app.meeting.current.session.roster] == [f"m{i}" for i in range(12)]

        # A draft takes no ballots: it opens first (F2, o: a vote called in the meeting).
        await pilot.press("f4")
        await pilot.pause()
        assert isinstance(app.screen, BallotsScreen)
        await pilot.press("plus")
        assert meter_counts(app) == (0, 0, 0) and app.meeting.current.session.ballots == []
        await pilot.press("f2", "o")
        await pilot.pause()
        assert isinstance(app.screen, OpenVoteDialog)
        await pilot.press("down", "enter", "ctrl+s")
        await pilot.pause()
        assert app.meeting.current.session.proposal.opens_at == NOW
        await pilot.press("f4")
        await pilot.pause()

        # A dozen ballots by keyboard, watching the meter after each.
        keys = ["plus"] * 8 + ["0", "minus", "minus", "plus"]
        expected = [0, 0, 0]
        for key in keys:
            await pilot.press(key, "down")
            expected[{"plus": 0, "0": 1, "minus": 2}[key]] += 1
            assert meter_counts(app) == tuple(expected)
        assert app.screen.query_one(ThresholdMeter).data.tally.passes
        path = app.meeting.current.path

    # Restart on the same data dir: everything is there.
    store = Store(isolated_data_dir)
    saved = store.load(path)
    assert saved.proposal.title == "Adopt Relax"
    assert len(saved.roster) == 12 and len(saved.ballots) == 12
    assert saved.tally().binding.as_dict() == {"plus": 9, "zero": 1, "minus": 2}
    app = app_for(isolated_data_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        table = app.screen.query_one("#sessions", DataTable)
        assert table.row_count == 1
        assert "+1:9 0:1 -1:2 · passing" in [str(c) for c in table.get_row_at(0)]
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, BallotsScreen)
        assert meter_counts(app) == (9, 1, 2)


async def test_quit_saves_a_field_still_being_edited(isolated_data_dir: Path) -> None:
    async with running(isolated_data_dir, size=(80, 24)) as r:
        app, pilot, path = r.app, r.pilot, r.path
        store = r.store
        await pilot.press("f2")
        await pilot.pause()
        title = app.screen.query_one("#title", Input)
        title.value = "A better title"
        await pilot.press("ctrl+q")
    assert store.load(path).proposal.title == "A better title"
    assert any("A better title" in e.detail for e in store.load(path).log)
