"""The ballot screen: one-key votes, jump by name, guests, vetoes, notes, history and undo."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import DataTable, Input, Static

from tests.app_helpers import app_for, demo_store
from tests.factories import roster, session
from tvm_vote_tui.app.screens.ballots import BallotsScreen
from tvm_vote_tui.app.widgets.meter import ThresholdMeter
from tvm_vote_tui.app.widgets.modals import TextPrompt
from tvm_vote_tui.demo import sample_session
from tvm_vote_tui.store.sessions import Store


def highlighted(app) -> str:
    table = app.screen.query_one("#ballots", DataTable)
    return str(table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value)


async def test_keys_record_withdraw_and_the_file_follows(isolated_data_dir: Path) -> None:
    store, path = demo_store(isolated_data_dir, sample_session(ballots=0))
    app = app_for(isolated_data_dir, open_path=path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, BallotsScreen)
        await pilot.press("plus")
        assert store.load(path).current_votes()["ada"].vote.text == "+1"
        await pilot.press("0")
        await pilot.press("minus")
        await pilot.press("backspace")
        saved = store.load(path)
        assert [b.vote.text if b.vote else None for b in saved.history("ada")] == ["+1", "0", "-1", None]
        assert "ada" not in saved.current_votes()
        assert "ada" in app.screen.query_one(ThresholdMeter).data.tally.not_voted


async def test_typing_a_name_fragment_jumps_to_the_member(isolated_data_dir: Path) -> None:
    _, path = demo_store(isolated_data_dir, sample_session(ballots=0))
    app = app_for(isolated_data_dir, open_path=path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press(*"lena")
        assert highlighted(app) == "lena"
        await pilot.press("plus")
        await pilot.press(*"kof")  # a new name starts after a vote
        assert highlighted(app) == "kofi"
        await pilot.press(*"rahm")  # matches inside a name too
        assert highlighted(app) == "noor"
        assert app.current is not None
        assert app.current.session.current_votes()["lena"].vote.text == "+1"


async def test_guest_vote_is_non_binding(isolated_data_dir: Path) -> None:
    _, path = demo_store(isolated_data_dir, sample_session(ballots=0))
    app = app_for(isolated_data_dir, open_path=path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+n")
        await pilot.pause()
        app.screen.query_one("#voter", Input).value = "Zoë | <script>"
        app.screen.query_one("#vote", Input).value = "n"
        await pilot.press("enter")
        await pilot.pause()
        tally = app.screen.query_one(ThresholdMeter).data.tally
        assert tally.non_binding.minus == 1 and tally.binding.minus == 0
        assert highlighted(app) == "Zoë | <script>"


async def test_bad_vote_value_is_explained_not_recorded(isolated_data_dir: Path) -> None:
    _, path = demo_store(isolated_data_dir, sample_session(ballots=0))
    app = app_for(isolated_data_dir, open_path=path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter")
        await pilot.pause()
        app.screen.query_one("#vote", Input).value = "+2"
        await pilot.press("enter")
        await pilot.pause()
        assert "+1, 1, +0, 0, -0, -1" in str(app.screen.query_one("#error", Static).render())
        app.screen.query_one("#vote", Input).value = "+0.5"
        app.screen.query_one("#note", Input).value = "lukewarm"
        await pilot.press("enter")
        await pilot.pause()
        assert app.current is not None
        ballot = app.current.session.current_votes()["ada"]
        assert (ballot.vote.text, ballot.note) == ("+0.5", "lukewarm")
        assert "+0.5 (lukewarm)" in str(app.screen.query_one("#detail").render())


async def test_binding_minus_one_under_consensus_asks_for_justification(isolated_data_dir: Path) -> None:
    s = session(members=roster(4), rule="consensus")
    _, path = demo_store(isolated_data_dir, s)
    app = app_for(isolated_data_dir, open_path=path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("minus")
        await pilot.pause()
        assert isinstance(app.screen, TextPrompt)
        await pilot.press("enter")  # empty: refused
        assert isinstance(app.screen, TextPrompt)
        await pilot.press("escape")  # cancelled: nothing recorded
        assert app.current is not None and not app.current.session.ballots
        await pilot.press("minus")
        await pilot.pause()
        await pilot.press(*"breaks the ABI", "enter")
        await pilot.pause()
        ballot = app.current.session.current_votes()["m0"]
        assert ballot.justification == "breaks the ABI"
        assert app.screen.query_one(ThresholdMeter).data.tally.votes_needed is None


async def test_release_vote_minus_one_is_not_a_veto(isolated_data_dir: Path) -> None:
    from tvm_vote_tui.domain.model import Kind

    s = session(members=roster(4), rule="consensus", kind=Kind.RELEASE)
    _, path = demo_store(isolated_data_dir, s)
    app = app_for(isolated_data_dir, open_path=path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("minus")
        await pilot.pause()
        assert isinstance(app.screen, BallotsScreen)  # no justification asked
        assert app.current is not None and app.current.session.current_votes()["m0"].vote.text == "-1"


async def test_undo_takes_back_the_last_ballot_actions(isolated_data_dir: Path) -> None:
    store, path = demo_store(isolated_data_dir, sample_session(ballots=0))
    app = app_for(isolated_data_dir, open_path=path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("plus", "down", "minus")
        await pilot.press("ctrl+z")
        saved = store.load(path)
        assert [b.voter for b in saved.ballots] == ["ada"]
        assert saved.log[-1].action == "undo"
        await pilot.press("ctrl+z")
        assert store.load(path).ballots == []
        assert app.screen.query_one(ThresholdMeter).data.tally.binding.plus == 0


async def test_history_of_a_changed_vote_is_shown(isolated_data_dir: Path) -> None:
    _, path = demo_store(isolated_data_dir)
    app = app_for(isolated_data_dir, open_path=path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press(*"dmi")
        detail = str(app.screen.query_one("#detail").render())
        assert "-1" in detail and "+0.5" in detail and "→" in detail


async def test_meter_shows_status_and_what_is_missing(isolated_data_dir: Path) -> None:
    _, path = demo_store(isolated_data_dir, sample_session(ballots=0))
    app = app_for(isolated_data_dir, open_path=path)
    async with app.run_test(size=(100, 30)) as pilot:
        meter = app.screen.query_one(ThresholdMeter)
        text = str(meter.render())
        assert "FAILING" in text and "needs 3 more binding +1" in text
        assert "Lazy 2/3 majority (usual reading)" in text
        assert "Not voted (15)" in text and "Closes in 5d 21:56:56" in text
        await pilot.press("plus", "down", "plus", "down", "plus")
        text = str(meter.render())
        assert "PASSING" in text and "can absorb 1 more binding -1" in text
        assert Store(isolated_data_dir).load(path).tally().passes
