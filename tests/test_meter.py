"""The threshold meter is a pure function of the tally and the clock."""

from __future__ import annotations

from datetime import timedelta

import pendulum
import pytest

from tests.conftest import Zone
from tests.factories import T0, roster, session
from tvm_vote_tui.app.widgets.meter import MeterInput, bar, render_meter

NO_SHIFT = pendulum.duration()


def meter_text(
    votes: list[tuple[str, str]],
    *,
    closed: bool = False,
    rule: str = "lazy-two-thirds",
    members: int = 5,
    shift: pendulum.Duration = NO_SHIFT,
) -> str:
    """The meter a minute before the last hour of the week (one second more, in fact)."""
    s = session(votes, members=roster(members), rule=rule, opens_at=T0 + shift)
    data = MeterInput(s.tally(), s.proposal.closes_at, closed, {m.id: m.name for m in s.roster})
    return render_meter(data, T0 + shift + timedelta(days=6, hours=23, seconds=1), 40).plain


@pytest.mark.parametrize(
    ("votes", "closed", "word"),
    [
        ([], False, "FAILING"),
        ([("m0", "+1"), ("m1", "+1"), ("m2", "+1")], False, "PASSING"),
        # Decided by the votes still out, but not final: votes already cast can still change.
        ([("m0", "+1"), ("m1", "+1"), ("m2", "+1"), ("m3", "+1")], False, "PASSING"),
        ([("m0", "-1"), ("m1", "-1"), ("m2", "-1")], False, "FAILING"),
        ([("m0", "+1")], True, "CLOSED: FAILED"),
    ],
)
def test_status_word(votes: list[tuple[str, str]], closed: bool, word: str) -> None:
    s = session(votes, members=roster(5))
    assert s.tally().verdict(closed).text.split(" — ")[0] == word
    assert meter_text(votes, closed=closed).startswith(f" {word} ")


def test_open_vote_never_reads_final() -> None:
    s = session([("m0", "+1"), ("m1", "+1"), ("m2", "+1"), ("m3", "+1")], members=roster(5))
    verdict = s.tally().verdict(closed=False)
    assert verdict.text == "PASSING — cannot fail on the votes still out"
    assert "PASSED" not in meter_text([("m0", "+1"), ("m1", "+1"), ("m2", "+1"), ("m3", "+1")])
    assert "votes already cast can still change" in meter_text(
        [("m0", "+1"), ("m1", "+1"), ("m2", "+1"), ("m3", "+1")]
    )


def test_meter_shows_everything_from_the_tally(zone: Zone) -> None:
    """In any zone, across a daylight saving change too: the countdown counts hours of the clock,
    and the end of the window is shown as the zone writes it."""
    text = meter_text([("m0", "+1"), ("m1", "-1"), ("guest", "+1"), ("m2", "0")], shift=zone.shift)
    assert "needs 2 more binding +1" in text  # max(3, 2 x 1) - 1
    assert "Lazy 2/3 majority (usual reading)" in text
    assert "Binding     +1 1   0 1   -1 1" in text
    assert "Non-binding +1 1   0 0   -1 0" in text
    assert " 1/3 +1" in text
    assert "Not voted (2): Member 3, Member 4" in text
    assert "Closes in 00:59:59" in text
    assert text.rstrip().endswith(zone.closes), text


def test_meter_names_the_literal_reading_and_vetoes() -> None:
    assert "(literal reading)" in meter_text([], rule="lazy-two-thirds-literal")
    assert "cannot pass while a binding -1 (veto) stands" in meter_text([("m0", "-1")], rule="consensus")
    assert "Result: FAILED" in meter_text([("m0", "+1")], closed=True)


def test_bar_fills_to_the_target() -> None:
    assert bar(0, 3, 6).plain == "░░░░░░"
    assert bar(3, 3, 6).plain == "██████"
    assert bar(1, 4, 8).plain == "██░░░░░░"
    assert bar(9, 4, 8).plain == "████████"


def test_a_vetoed_vote_never_shows_a_full_green_bar() -> None:
    text = meter_text([("m0", "+1"), ("m1", "+1"), ("m2", "+1"), ("m3", "-1")], rule="consensus")
    assert "vetoed" in text and "3/3 +1" not in text


def test_an_empty_roster_and_an_ended_window_read_as_they_are() -> None:
    s = session([], members=[])
    data = MeterInput(s.tally(), s.proposal.closes_at, False, {})
    text = render_meter(data, T0.add(days=30), 40).plain
    assert "no binding members on the roster" in text and "every binding member has voted" not in text
    assert "The window ended 23 days ago" in text and "Closes in window" not in text


def test_big_figures_are_seven_rows_of_blocks() -> None:
    from tvm_vote_tui.app.widgets.big_figure import figure_lines

    lines = figure_lines("10")
    assert len(lines) == 7 and len({len(line) for line in lines}) == 1
    assert lines[0] == "    ██    " + "  " + "  ██████  "
    assert lines[6] == "  ██████  " + "  " + "  ██████  "


async def test_the_meter_uses_a_big_screen(isolated_data_dir) -> None:
    from textual.widgets import Digits, Static

    from tests.app_helpers import running
    from tvm_vote_tui.app.widgets.big_figure import BigFigure
    from tvm_vote_tui.app.widgets.meter import ThresholdMeter
    from tvm_vote_tui.demo import sample_session
    from tvm_vote_tui.domain.model import Member

    s = sample_session()
    for i in range(30):
        s.add_member(Member(f"p{i}", f"Person {i}"), s.proposal.opens_at)
    async with running(isolated_data_dir, s, size=(120, 40)) as r:
        meter = r.app.screen.query_one(ThresholdMeter)
        assert meter.name_lines == 7 and "Person 7" in str(meter.render())  # more names beside the table
        await r.press("f5")
        screen = r.app.screen
        assert screen.has_class("big")
        figure = screen.query_one("#huge-plus", BigFigure)
        assert figure.display and figure.size.height == 7 and figure.value == "8"
        assert not screen.query_one("#big-plus", Digits).display
        waiting = str(screen.query_one("#big-waiting", Static).render())
        assert "Not voted (34):" in waiting and "Person 29" in waiting and "more" not in waiting
    async with running(isolated_data_dir, s, size=(80, 24), screen="meter") as r:
        assert not r.app.screen.has_class("big")
        assert r.app.screen.query_one("#big-plus", Digits).display
        assert not r.app.screen.query_one("#huge-plus", BigFigure).display
        waiting = str(r.app.screen.query_one("#big-waiting", Static).render())
        assert "Not voted (34):" in waiting and "and 4 more" in waiting  # 30 names at most


def test_no_votes_still_out_is_said_as_such() -> None:
    everyone = [("m0", "+1"), ("m1", "+1"), ("m2", "+1"), ("m3", "0"), ("m4", "-1")]
    s = session(everyone, members=roster(5))
    assert s.tally().verdict(closed=False).text == "PASSING — every binding member has voted"
    text = meter_text(everyone)
    assert "votes still out" not in text
    assert "every binding member has voted, but votes already cast can still change" in text


def test_the_big_bar_never_reads_4_of_3() -> None:
    from tvm_vote_tui.app.screens.meter import plus_words

    assert plus_words(2, 3) == "2 of 3 binding +1 needed"
    assert plus_words(4, 3) == "4 binding +1 (3 needed)"
