"""A vote value as people write it on a mailing list: +1, +0, -0, -1 or a fraction."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum

ACCEPTED = "+1, 1, +0, 0, -0, -1 or a fraction between -1 and +1 such as +0.5 or -0.9"

# Mail clients and word processors turn "-" into a typographic minus or dash.
_MINUS_LOOKALIKES = str.maketrans({"\u2212": "-", "\u2013": "-", "\u2012": "-"})
# ASCII digits only: "+١" (Arabic-Indic one) or "１" (fullwidth) is not a +1 anyone typed on purpose.
_SHAPE = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)")


class VoteError(ValueError):
    """A vote value that is not one of the accepted spellings."""


class Counted(StrEnum):
    """What a vote counts as in a tally: only exactly +1 and -1 are for or against."""

    PLUS = "plus"
    ZERO = "zero"
    MINUS = "minus"


@dataclass(frozen=True, slots=True)
class Vote:
    """A vote: the text as given (kept verbatim), its numeric value and what it counts as."""

    text: str
    value: Decimal
    counted: Counted = field(init=False, compare=False)
    """Fixed at creation: a tally reads it for every ballot, so it is not recomputed."""

    def __post_init__(self) -> None:
        counted = Counted.PLUS if self.value == 1 else Counted.MINUS if self.value == -1 else Counted.ZERO
        object.__setattr__(self, "counted", counted)

    def __str__(self) -> str:
        return self.text


def parse_vote(text: str) -> Vote:
    """Parse a vote, keeping the spelling; raise VoteError listing what is accepted."""
    given = text.strip()
    normal = given.translate(_MINUS_LOOKALIKES)
    if not _SHAPE.fullmatch(normal):
        raise VoteError(f"unknown vote value {given!r}: use {ACCEPTED}")
    value = Decimal(normal)
    if not Decimal(-1) <= value <= Decimal(1):
        raise VoteError(f"vote value {given!r} is outside -1..+1: use {ACCEPTED}")
    return Vote(given, value)


PLUS_ONE = parse_vote("+1")
ZERO = parse_vote("0")
MINUS_ONE = parse_vote("-1")
