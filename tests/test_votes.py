from __future__ import annotations

import pytest

from tvm_vote_tui.domain.votes import Counted, VoteError, parse_vote


@pytest.mark.parametrize(
    ("text", "counted"),
    [
        ("+1", Counted.PLUS),
        ("1", Counted.PLUS),
        ("+1.0", Counted.PLUS),
        ("0", Counted.ZERO),
        ("+0", Counted.ZERO),
        ("-0", Counted.ZERO),
        ("+0.5", Counted.ZERO),
        ("-0.9", Counted.ZERO),
        ("0.99", Counted.ZERO),
        ("-1", Counted.MINUS),
        ("\u22121", Counted.MINUS),
        (" -1 ", Counted.MINUS),
    ],
)
def test_accepted_spellings(text: str, counted: Counted) -> None:
    vote = parse_vote(text)
    assert vote.counted is counted
    assert vote.text == text.strip()


def test_text_is_kept_verbatim() -> None:
    assert parse_vote("-0").text == "-0"
    assert parse_vote("+0").text == "+0"
    assert str(parse_vote("+0.5")) == "+0.5"


@pytest.mark.parametrize("text", ["yes", "+2", "-1.5", "", "+", "1/2", "+1 binding", "0x1", "nan", "1e0"])
def test_rejected_with_list_of_accepted(text: str) -> None:
    with pytest.raises(VoteError) as err:
        parse_vote(text)
    assert "+1, 1, +0, 0, -0, -1" in str(err.value)


@pytest.mark.parametrize("text", ["+\u0661", "\uff11", "-\u0661", "\u0660.\u0665", "+\U0001d7cf", "\u0967"])
def test_only_ascii_digits_make_a_vote(text: str) -> None:
    """'+١' (Arabic-Indic), '１' (fullwidth), '𝟏' and '१' are digits to Python, but not a +1."""
    with pytest.raises(VoteError):
        parse_vote(text)
