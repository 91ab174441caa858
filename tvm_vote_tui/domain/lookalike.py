"""Tell when two people on a roster would look like one: a compact confusable skeleton.

Unicode's skeleton (UTS #39) maps every character to the one it is drawn like, so `olu` with a
Cyrillic `о` and `olu` have one skeleton. The full table has thousands of rows; the cases that
matter for names and ids are Cyrillic and Greek letters drawn like Latin ones, `I`/`l`/`1`/`|`,
`0`/`O`, `rn`/`m`, `vv`/`w`, plus compatibility forms (NFKC: fullwidth `ｏｌｕ`, `ℓ`) and case.
Invisible characters are dropped first (names refuse them; a file written elsewhere may still
hold one)."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from tvm_vote_tui.domain.text import is_hidden, one_line

# Drawn like the Latin letter (or digit) on the right, in the common fonts.
# fmt: off
_LIKE = {
    # Cyrillic
    "А": "A", "В": "B", "Е": "E", "К": "K", "М": "M", "Н": "H", "О": "O", "Р": "P", "С": "C",
    "Т": "T", "Х": "X", "У": "Y", "Ѕ": "S", "І": "l", "Ј": "J", "Ԛ": "Q", "Ԝ": "W", "Һ": "H",
    "Ӏ": "l", "Ү": "Y", "З": "3", "Ь": "b",
    "а": "a", "е": "e", "о": "o", "р": "p", "с": "c", "у": "y", "х": "x", "ѕ": "s", "і": "i",
    "ј": "j", "ԁ": "d", "ԛ": "q", "ԝ": "w", "һ": "h", "ӏ": "l", "г": "r", "ү": "y",
    # Greek
    "Α": "A", "Β": "B", "Ε": "E", "Ζ": "Z", "Η": "H", "Ι": "l", "Κ": "K", "Μ": "M", "Ν": "N",
    "Ο": "O", "Ρ": "P", "Τ": "T", "Υ": "Y", "Χ": "X", "Ϲ": "C", "Ϳ": "J",
    "α": "a", "ο": "o", "ρ": "p", "ν": "v", "υ": "u", "ι": "i", "κ": "k", "χ": "x", "γ": "y",
    "ϲ": "c", "ϳ": "j", "ϱ": "p",
    # Latin letters drawn like other letters; digits and signs drawn like letters
    "ı": "i", "ȷ": "j", "ɑ": "a", "ɡ": "g", "ɩ": "i", "ǀ": "l", "ʟ": "L",
    "I": "l", "1": "l", "|": "l", "0": "o", "O": "o",
}
# fmt: on
_TABLE = str.maketrans(_LIKE)


def _finish(text: str) -> str:
    text = text.replace("rn", "m").replace("vv", "w")
    return " ".join((text if text.isascii() else unicodedata.normalize("NFC", text)).split())


def skeletons(text: str) -> frozenset[str]:
    """The forms `text` shares with any string drawn like it: two strings look alike when their
    skeletons meet. Two, because case and look-alikes cross: `I` is drawn like `l` (mapped
    before case is folded) and like a capital `i` (folded first)."""
    if text.isascii():  # the usual case, and ten times as fast: no normal form changes ASCII
        lower = _ascii_like(text.lower())
        return frozenset((_finish(_ascii_like(text).lower()), _finish(lower))) - {""}
    flat = unicodedata.normalize("NFKC", text)
    flat = unicodedata.normalize("NFD", "".join(c for c in flat if not is_hidden(c)))
    mapped_first = flat.translate(_TABLE).casefold().translate(_TABLE)
    folded_first = flat.casefold().translate(_TABLE)
    return frozenset((_finish(mapped_first), _finish(folded_first))) - {""}


def _ascii_like(text: str) -> str:
    """The ASCII rows of the table, as replacements (str.translate with a table is slow)."""
    return text.replace("I", "l").replace("1", "l").replace("|", "l").replace("0", "o").replace("O", "o")


def look_alike(a: str, b: str) -> bool:
    return bool(skeletons(a) & skeletons(b))


@dataclass(frozen=True)
class LookAlike:
    """Two members a person could take for one (and so one vote could count for both)."""

    first: str
    second: str
    why: str

    def text(self) -> str:
        return one_line(f"{self.first} and {self.second} {self.why}")


def look_alikes(members: Sequence[object], others: Sequence[object] = ()) -> list[LookAlike]:
    """Pairs among `members`, and between `members` and `others`, whose ids or names look alike
    or who share a GitHub handle or an address (one pair per member: the first it resembles).
    Members are read by attribute (id, name, github, addresses), which keeps this module below
    the roster's. Linear: every form goes into a table, so a roster of 10,000 costs milliseconds."""
    seen: dict[tuple[str, str], str] = {}
    found: list[LookAlike] = []
    for index, member in enumerate((*others, *members)):
        label = f"{getattr(member, 'id', '')} ({getattr(member, 'name', '')})"
        keys = _keys(member)
        if index >= len(others):
            hit = next(((why, seen[key]) for why, key in keys if key in seen), None)
            if hit is not None:
                found.append(LookAlike(hit[1], label, hit[0]))
        for _, key in keys:
            seen.setdefault(key, label)
    return found


def _keys(member: object) -> list[tuple[str, tuple[str, str]]]:
    """(why two members sharing it look alike, the key) for every form of the member."""
    member_id, name = str(getattr(member, "id", "")), str(getattr(member, "name", ""))
    github = str(getattr(member, "github", "")).strip().casefold()
    keys = [("have ids that look alike", ("id", form)) for form in skeletons(member_id)]
    keys += [("have names that look alike", ("name", form)) for form in skeletons(name)]
    if github:
        keys.append(("have the same GitHub handle", ("github", github)))
    for address in getattr(member, "addresses", ()):
        if str(address).strip():
            shared = str(address).strip().casefold()
            keys.append((f"share the address {shared}", ("address", shared)))
    return keys
