from __future__ import annotations

import pendulum
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tvm_vote_tui.domain.times import TimeInputError, countdown, parse_when, relative_words, span_words

BASE = pendulum.datetime(2026, 11, 24, 17, 0, tz="UTC")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("+7d", BASE.add(days=7)),
        ("+72h", BASE.add(hours=72)),
        ("+1w2d", BASE.add(days=9)),
        ("+3d 12h", BASE.add(days=3, hours=12)),
        ("+90m", BASE.add(minutes=90)),
        ("now", BASE),
    ],
)
def test_relative_input(text: str, expected: pendulum.DateTime) -> None:
    assert parse_when(text, BASE) == expected


def test_absolute_input_in_local_zone(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("tvm_vote_tui.domain.times.local_zone", lambda: pendulum.timezone("Europe/Berlin"))
    when = parse_when("2026-12-01 17:00")
    assert when == pendulum.datetime(2026, 12, 1, 16, 0, tz="UTC")
    offset = when.utcoffset()
    assert offset is not None and offset.total_seconds() == 3600


@pytest.mark.parametrize("text", ["", "soon", "2026-13-01", "+7x", "+"])
def test_bad_input_explains(text: str) -> None:
    with pytest.raises(TimeInputError, match=r"\+7d"):
        parse_when(text, BASE)


def test_words_and_countdown() -> None:
    target = BASE.add(days=6, hours=23)
    assert relative_words(target, BASE) == "in 6 days 23 hours"
    assert relative_words(BASE, target) == "6 days 23 hours ago"
    assert span_words(pendulum.duration(hours=1, minutes=1)) == "1 hour 1 minute"
    assert countdown(BASE.add(days=1, seconds=61), BASE) == "1d 00:01:01"
    assert countdown(BASE, BASE.add(hours=2)).startswith("window ended 2 hours")


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
