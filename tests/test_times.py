from __future__ import annotations

from datetime import timedelta

import pendulum
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import Zone
from tvm_vote_tui.domain.times import (
    TimeInputError,
    closes_in,
    countdown,
    format_local,
    parse_when,
    relative_words,
    span_words,
)

BASE = pendulum.datetime(2026, 11, 24, 17, 0, tz="UTC")


SPANS = {"+7d": 7 * 24, "+72h": 72, "+1w2d": 9 * 24, "+3d 12h": 3 * 24 + 12, "+90m": 1.5, "now": 0}


@pytest.mark.parametrize("local_base", [False, True], ids=["from-utc", "from-local"])
@pytest.mark.parametrize(("text", "hours"), SPANS.items(), ids=list(SPANS))
def test_a_span_is_that_many_hours_in_any_zone(text: str, hours: float, local_base: bool, zone: Zone) -> None:
    """`+7d` is 168 hours after its base even across a daylight saving change, whether the base
    is the clock (UTC) or a time typed in the local zone: a window of `+3d` is never 71 hours."""
    base = BASE + zone.shift
    if local_base:
        base = base.in_timezone(zone.name)
    when = parse_when(text, base)
    assert when - base == timedelta(hours=hours)
    assert format_local(BASE + zone.shift) == zone.opens


def test_the_sample_week_is_written_in_local_time(zone: Zone) -> None:
    """Opening and closing, typed as the zone writes them (without the offset), read back as the
    same moments; `+7d` from the opening is the closing."""
    opens = parse_when(zone.opens[:16])
    assert opens == BASE + zone.shift and format_local(opens) == zone.opens
    closes = parse_when("+7d", opens)
    assert format_local(closes) == zone.closes
    assert parse_when(zone.closes[:16]) == closes


@pytest.mark.parametrize("text", ["", "soon", "2026-13-01", "+7x", "+"])
def test_bad_input_explains(text: str) -> None:
    with pytest.raises(TimeInputError, match=r"\+7d"):
        parse_when(text, BASE)


def test_words_and_countdown(zone: Zone) -> None:
    """Counted in hours of the clock: across a daylight saving change too."""
    base = (BASE + zone.shift).in_timezone(zone.name)
    target = base + timedelta(days=6, hours=23)
    assert relative_words(target, base) == "in 6 days 23 hours"
    assert relative_words(base, target) == "6 days 23 hours ago"
    assert span_words(pendulum.duration(hours=1, minutes=1)) == "1 hour 1 minute"
    assert countdown(base + timedelta(days=1, seconds=61), base) == "1d 00:01:01"
    assert countdown(base + timedelta(days=6, hours=23, minutes=59, seconds=59), base) == "6d 23:59:59"
    assert countdown(base, base + timedelta(hours=2)).startswith("window ended 2 hours")
    assert closes_in(base + timedelta(days=7), base) == "Closes in 7d 00:00:00"


@settings(max_examples=300)
@given(
    st.one_of(
        st.text(max_size=40),
        st.from_regex(r"\d{4}-\d\d-\d\d( \d\d:\d\d)?( ?[+-]\d\d:?\d\d)?([+-]\d+[hdw])?", fullmatch=True),
        st.from_regex(r"\+\d{1,12}[wdhm]", fullmatch=True),
    )
)
def test_any_typed_time_is_a_usable_time_or_one_clear_error(text: str) -> None:
    """Whatever a person types (a time with '+72h' appended, a huge span): a time that compares
    and converts, or TimeInputError; never another exception later on."""
    try:
        moment = parse_when(text, BASE)
    except TimeInputError:
        return
    assert moment.in_timezone("UTC") <= moment.add(seconds=1)


def test_now_is_now_even_where_spans_count_from_another_time() -> None:
    """Closes at: `+7d` counts from the opening, but `now` is still now (a vote closed at once)."""
    opens = BASE.subtract(hours=1)
    assert parse_when("now", opens, now=BASE) == BASE.replace(microsecond=0)
    assert parse_when("+7d", opens, now=BASE) == opens.add(days=7).replace(microsecond=0)
