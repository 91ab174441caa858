"""The ballot screen: one-key votes, jump by name, guests, vetoes, notes, history and undo."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input, Static

from tests.app_helpers import running, sample_session_moved
from tests.conftest import Zone
from tests.factories import roster, session
from tvm_vote_tui.app.screens.ballots import BallotsScreen
from tvm_vote_tui.app.widgets.ballot_table import BallotTable
from tvm_vote_tui.app.widgets.meter import ThresholdMeter
from tvm_vote_tui.app.widgets.modals import TextPrompt
from tvm_vote_tui.demo import sample_session
from tvm_vote_tui.domain.model import Member
from tvm_vote_tui.domain.votes import parse_vote
from tvm_vote_tui.store.sessions import Store


def highlighted(app) -> str:
    key = app.screen.query_one("#ballots", BallotTable).cursor_key
    assert key is not None
    return key


async def test_keys_record_withdraw_and_the_file_follows(isolated_data_dir: Path) -> None:
    async with running(isolated_data_dir, sample_session(ballots=0), size=(80, 24)) as r:
        app, pilot, path = r.app, r.pilot, r.path
        store = r.store
        await pilot.pause()
        assert isinstance(app.screen, BallotsScreen)
        await pilot.press("plus")
        assert store.load(path).current_votes()["ada"].vote.text == "+1"
        await pilot.press("0")
        await pilot.press("minus")
        await pilot.press("backspace")  # nothing typed: it corrects nothing and withdraws nothing
        assert store.load(path).current_votes()["ada"].vote.text == "-1"
        await pilot.press("delete")
        saved = store.load(path)
        assert [b.vote.text if b.vote else None for b in saved.history("ada")] == ["+1", "0", "-1", None]
        assert "ada" not in saved.current_votes()
        assert "ada" in app.screen.query_one(ThresholdMeter).data.tally.not_voted


async def test_typing_a_name_fragment_jumps_to_the_member(isolated_data_dir: Path) -> None:
    async with running(isolated_data_dir, sample_session(ballots=0)) as r:
        app = r.app
        await r.press(*"lena")
        assert highlighted(app) == "lena"
        await r.press("plus")
        await r.press(*"kof")  # a new name starts after a vote
        assert highlighted(app) == "kofi"
        await r.press("escape", *"rahm")  # matches inside a name too
        assert highlighted(app) == "noor"
        await r.press("escape", *"cwei")  # and GitHub handles
        assert highlighted(app) == "chenwei"
        assert r.session.current_votes()["lena"].vote.text == "+1"


async def test_jump_ignores_accents_and_case(isolated_data_dir: Path) -> None:
    s = sample_session(ballots=0)
    s.add_member(Member("zoe", "Zoë Ångström"))
    async with running(isolated_data_dir, s) as r:
        await r.press(*"ZOE")
        assert highlighted(r.app) == "zoe"
        await r.press("escape", *"angst")
        assert highlighted(r.app) == "zoe"
        await r.press("escape", *"muller")  # Lena Müller
        assert highlighted(r.app) == "lena"
        await r.press("plus")
        assert r.saved().current_votes()["lena"].vote.text == "+1"


async def test_a_name_that_matches_no_one_never_records_for_someone_else(isolated_data_dir: Path) -> None:
    """Typing 'zoe' when there is no Zoë must not land a vote on whoever was highlighted."""
    async with running(isolated_data_dir, sample_session(ballots=0)) as r:
        await r.press(*"eli")
        assert highlighted(r.app) == "elif"
        await r.press(*"zzz")
        assert highlighted(r.app) == "elif"  # the highlight does not move on a miss
        assert "matches no one" in str(r.app.screen.query_one("#detail").render())
        await r.press("plus", "minus", "0", "enter")
        assert r.saved().ballots == []  # vote keys do nothing until it is corrected
        assert isinstance(r.app.screen, BallotsScreen)
        await r.press("backspace", "backspace", "backspace")  # corrected: back to "eli"
        assert "matches no one" not in str(r.app.screen.query_one("#detail").render())
        await r.press("plus")
        assert [(b.voter, b.vote.text) for b in r.saved().ballots] == [("elif", "+1")]
        await r.press(*"xxx", "escape", "minus")  # cleared: the vote goes to the highlighted row
        assert [b.voter for b in r.saved().ballots] == ["elif", "elif"]


async def test_guest_vote_is_non_binding(isolated_data_dir: Path) -> None:
    async with running(isolated_data_dir, sample_session(ballots=0), size=(80, 24)) as r:
        app, pilot, _path = r.app, r.pilot, r.path
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
    async with running(isolated_data_dir, sample_session(ballots=0), size=(80, 24)) as r:
        app, pilot, _path = r.app, r.pilot, r.path
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
        assert app.meeting.current is not None
        ballot = app.meeting.current.session.current_votes()["ada"]
        assert (ballot.vote.text, ballot.note) == ("+0.5", "lukewarm")
        assert "+0.5 (lukewarm)" in str(app.screen.query_one("#detail").render())


async def test_binding_minus_one_under_consensus_asks_for_justification(isolated_data_dir: Path) -> None:
    s = session(members=roster(4), rule="consensus")
    async with running(isolated_data_dir, s, size=(80, 24)) as r:
        app, pilot, _path = r.app, r.pilot, r.path
        await pilot.press("minus")
        await pilot.pause()
        assert isinstance(app.screen, TextPrompt)
        await pilot.press("enter")  # empty: refused
        assert isinstance(app.screen, TextPrompt)
        await pilot.press("escape")  # cancelled: nothing recorded
        assert app.meeting.current is not None and not app.meeting.current.session.ballots
        await pilot.press("minus")
        await pilot.pause()
        await pilot.press(*"breaks the ABI", "enter")
        await pilot.pause()
        ballot = app.meeting.current.session.current_votes()["m0"]
        assert ballot.justification == "breaks the ABI"
        assert app.screen.query_one(ThresholdMeter).data.tally.votes_needed is None


async def test_release_vote_minus_one_is_not_a_veto(isolated_data_dir: Path) -> None:
    from tvm_vote_tui.domain.model import Kind

    s = session(members=roster(4), rule="consensus", kind=Kind.RELEASE)
    async with running(isolated_data_dir, s, size=(80, 24)) as r:
        app, pilot, _path = r.app, r.pilot, r.path
        await pilot.press("minus")
        await pilot.pause()
        assert isinstance(app.screen, BallotsScreen)  # no justification asked
        assert (
            app.meeting.current is not None
            and app.meeting.current.session.current_votes()["m0"].vote.text == "-1"
        )


async def test_undo_takes_back_the_last_ballot_actions(isolated_data_dir: Path) -> None:
    async with running(isolated_data_dir, sample_session(ballots=0), size=(80, 24)) as r:
        app, pilot, path = r.app, r.pilot, r.path
        store = r.store
        await pilot.press("plus", "down", "minus")
        await pilot.press("ctrl+z")
        saved = store.load(path)
        assert [b.voter for b in saved.ballots] == ["ada"]
        assert saved.log[-1].action == "undo"
        await pilot.press("ctrl+z")
        assert store.load(path).ballots == []
        assert app.screen.query_one(ThresholdMeter).data.tally.binding.plus == 0


async def test_history_of_a_changed_vote_is_shown(isolated_data_dir: Path) -> None:
    async with running(isolated_data_dir, size=(80, 24)) as r:
        app, pilot, _path = r.app, r.pilot, r.path
        await pilot.press(*"dmi")
        detail = str(app.screen.query_one("#detail").render())
        assert "-1" in detail and "+0.5" in detail and "→" in detail


async def test_meter_shows_status_and_what_is_missing(isolated_data_dir: Path, zone: Zone) -> None:
    """The countdown counts hours of the clock (across a daylight saving change too) and the end
    of the window is written as the local zone writes it."""
    session = sample_session_moved(zone.shift, ballots=0)
    async with running(isolated_data_dir, session, size=(100, 30), shift=zone.shift) as r:
        app, pilot, path = r.app, r.pilot, r.path
        meter = app.screen.query_one(ThresholdMeter)
        text = str(meter.render())
        assert "FAILING" in text and "needs 3 more binding +1" in text
        assert "Lazy 2/3 majority (usual reading)" in text
        assert "Not voted (15)" in text and "Closes in 5d 21:56:56" in text
        assert zone.closes in text
        await pilot.press("plus", "down", "plus", "down", "plus")
        text = str(meter.render())
        assert "PASSING" in text and "can absorb 1 more binding -1" in text
        assert Store(isolated_data_dir).load(path).tally().passes


async def test_backspace_corrects_a_typed_name_and_delete_withdraws(isolated_data_dir: Path) -> None:
    async with running(isolated_data_dir) as r:  # the sample vote: Jia Li voted +1
        await r.press(*"jiax")
        await r.press("backspace")  # corrects the name, never withdraws Jia Li's vote
        assert highlighted(r.app) == "jiali"
        assert r.saved().current_votes()["jiali"].vote.text == "+1"
        await r.press("space", "l", "i")  # a space between first and last name
        assert highlighted(r.app) == "jiali" and "Jump: jia li" in str(
            r.app.screen.query_one("#detail").render()
        )
        await r.press("delete")  # withdraws the highlighted member's vote
        assert "jiali" not in r.saved().current_votes()
        assert any("Withdrew the vote of Jia Li" in n.message for n in r.app._notifications)


async def test_a_guest_name_close_to_a_member_asks_first(isolated_data_dir: Path) -> None:
    from tvm_vote_tui.app.widgets.modals import ChoiceModal

    async with running(isolated_data_dir, sample_session(ballots=0)) as r:
        await r.press("ctrl+n")
        r.app.screen.query_one("#voter", Input).value = "Gustavo Ruis"  # a typo of Gustavo Ruiz
        await r.press("enter")
        assert isinstance(r.app.screen, ChoiceModal)
        assert "Did you mean" in r.app.screen.question
        assert r.app.screen.choices[0] == (
            "gruiz",
            "Gustavo Ruiz (gruiz, binding): has not voted: records +1",
        )
        await r.press("enter")  # the member, highlighted first
        assert r.saved().current_votes()["gruiz"].vote.text == "+1"
        await r.press("ctrl+n")
        r.app.screen.query_one("#voter", Input).value = "Gustavo Ruis"
        await r.press("enter", "down", "enter")  # a guest after all
        assert r.saved().current_votes()["Gustavo Ruis"].vote.text == "+1"
        await r.press("ctrl+n")
        r.app.screen.query_one("#voter", Input).value = "Hana Sato"  # a member's own name asks too
        await r.press("enter")
        assert isinstance(r.app.screen, ChoiceModal)
        await r.press("escape")  # records nothing
        assert "hsato" not in r.saved().current_votes()


async def test_a_guest_name_that_is_a_member_s_id_and_another_s_first_name_lists_both(
    isolated_data_dir: Path,
) -> None:
    """The meeting that found it: `Mal` typed as a guest went to the member whose id is `mal` (their
    0 became +1), though `Mal` is another member's first name too."""
    from tvm_vote_tui.app.screens.ballots import GUEST
    from tvm_vote_tui.app.widgets.modals import ChoiceModal
    from tvm_vote_tui.domain.model import Member

    members = [
        Member("mal", "Malik Osei"),
        Member("mreyes", "Mal Reyes", github="malr"),
        Member("zed", "Zed"),
    ]
    s = session([("mal", "0")], members=members)
    async with running(isolated_data_dir, s) as r:
        await r.press("ctrl+n")
        r.app.screen.query_one("#voter", Input).value = "Mal"
        await r.press("enter")
        assert isinstance(r.app.screen, ChoiceModal)
        assert r.app.screen.question.startswith(
            "'Mal' may stand for 2 members on the roster: Malik Osei, Mal Reyes."
        )
        assert [label for _, label in r.app.screen.choices] == [
            "Malik Osei (mal, binding): their 0 becomes +1",
            "Mal Reyes (mreyes, binding): has not voted: records +1",
        ]  # no guest: 'Mal' is the id of Malik Osei, so a guest 'Mal' would be counted as him
        assert "'Mal' is the id of Malik Osei" in str(r.app.screen.query_one(".hint").render())
        await r.press("down", "enter")
        votes = r.saved().current_votes()
        assert votes["mal"].vote.text == "0" and votes["mreyes"].vote.text == "+1"
        await r.press("ctrl+n")  # a first-time guest close to no one: recorded at once
        r.app.screen.query_one("#voter", Input).value = "Quinn Arbor"
        r.app.screen.query_one("#vote", Input).value = "-1"
        await r.press("enter")
        assert r.saved().current_votes()["Quinn Arbor"].vote.text == "-1"
        await r.press("ctrl+n")  # the same guest again: said before it replaces their vote
        r.app.screen.query_one("#voter", Input).value = "quinn arbor"
        await r.press("enter")
        assert isinstance(r.app.screen, ChoiceModal)
        assert r.app.screen.choices == [
            (GUEST, "'quinn arbor', not on the roster (non-binding): their -1 becomes +1")
        ]
        await r.press("enter")
        assert r.saved().current_votes()["Quinn Arbor"].vote.text == "+1"


async def test_a_closed_vote_refuses_forms_before_they_are_filled(isolated_data_dir: Path) -> None:
    from tests.app_helpers import NOW

    s = sample_session()
    s.close(NOW, "agreed")
    async with running(isolated_data_dir, s) as r:
        for key in ("ctrl+n", "enter"):
            await r.press(key)
            assert isinstance(r.app.screen, BallotsScreen)  # no form opened
        assert any("The vote is closed" in n.message for n in r.app._notifications)


async def test_an_exact_name_wins_over_a_prefix_and_several_matches_are_said(isolated_data_dir: Path) -> None:
    """The newcomer typed `mateo` for the guest Mateo and landed on Mateo Rossi without a word."""
    s = sample_session(ballots=0)
    s.add_member(Member("alice", "Alice Anders"))
    s.record("Mateo", parse_vote("+1"))
    s.record("Alice Baker", parse_vote("0"))
    async with running(isolated_data_dir, s) as r:

        def line() -> str:
            return str(r.app.screen.query_one("#detail").render())

        await r.press(*"mateo")
        assert highlighted(r.app) == "Mateo"  # the guest's full name, exactly
        assert "Jump: mateo▏ → Mateo (1 of 2: type more, or down/up for the next)" in line()
        await r.press("down")  # the next match, not the next row
        assert highlighted(r.app) == "mrossi"
        assert "→ Mateo Rossi (2 of 2: type more" in line()
        await r.press("down")
        assert highlighted(r.app) == "Mateo"
        await r.press("escape", *"ali")
        assert highlighted(r.app) == "alice"
        assert "→ Alice Anders (1 of 3: type more, or down/up for the next)" in line()  # and jiali
        await r.press("down")
        assert highlighted(r.app) == "Alice Baker" and "(2 of 3: type more" in line()
        await r.press("up", "up")  # round to the last
        assert highlighted(r.app) == "jiali"
        await r.press("down")
        assert highlighted(r.app) == "alice"
        await r.press("down")
        await r.press("minus")  # the vote goes to the row the line named
        assert r.saved().current_votes()["Alice Baker"].vote.text == "-1"
        await r.press(*"lena")  # one match: the line is as it was
        assert "Jump: lena▏ → Lena Müller" in line() and "of 2" not in line()
        await r.press("down")  # and down picks the row by hand, as before
        assert highlighted(r.app) == "mrossi"
