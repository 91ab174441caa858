"""Untrusted text: the one place that makes it safe to show, checks it on the way in, and folds it
for matching.

Names, notes, titles, rosters and threads come from other people. Anything that reaches a
terminal goes through `visible` first, which turns control characters (C0, DEL, C1) and bidi
controls into visible stand-ins, so data can never move the cursor, set the window title, write
the clipboard (OSC 52) or reorder the text around it. `problem` is the check imports and loading
use to refuse such characters in ids, names, e-mails and handles.
"""

from __future__ import annotations

import re
import unicodedata

BIDI_CONTROLS = frozenset(chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A)))
"""Embeddings, overrides and isolates: they reorder what follows them on screen."""

MULTILINE = "\n\t"
"""What a multi-line field (a summary, a note) may hold besides printable text."""

_C0_PICTURES = {c: chr(0x2400 + c) for c in range(0x20)}  # ␀ … ␟ (ESC shows as ␛)
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def is_unsafe(char: str) -> bool:
    """A control character (C0, DEL, C1) or a bidi control."""
    code = ord(char)
    return code < 0x20 or 0x7F <= code <= 0x9F or char in BIDI_CONTROLS


def _picture(char: str) -> str:
    code = ord(char)
    if code in _C0_PICTURES:
        return _C0_PICTURES[code]
    if code == 0x7F:
        return "\u2421"  # ␡
    return f"<U+{code:04X}>"


def visible(text: str, keep: str = "") -> str:
    """`text` with every control and bidi character shown as a visible stand-in (`␛`, `<U+202E>`).

    `keep` names the characters left as they are: MULTILINE for a summary or note shown over
    several lines. Everything the CLI prints and every widget shows from data goes through here.
    """
    if not _UNSAFE.search(text):
        return text  # the usual case: one regex scan, no copy
    return "".join(_picture(c) if is_unsafe(c) and c not in keep else c for c in text)


def one_line(text: str) -> str:
    """`visible`, on one line: newlines and tabs become spaces (names and notes in lists)."""
    return visible(" ".join(text.split()) if ("\n" in text or "\t" in text) else text)


def problem(text: str, keep: str = "") -> str | None:
    """Why `text` may not be stored (a control or bidi character, by position), or None."""
    if not _UNSAFE.search(text):
        return None  # the usual case: one regex scan (loading checks every text of a session)
    for index, char in enumerate(text):
        if is_unsafe(char) and char not in keep:
            return f"holds the control character {_picture(char)} (U+{ord(char):04X}) at position {index + 1}"
    return None


def fold(text: str) -> str:
    """Case- and accent-insensitive form for matching: 'Zoë  MÜLLER' -> 'zoe muller'."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(plain.casefold().split())


def id_key(member_id: str) -> str:
    """The form two ids are compared in: ids that differ only in case or Unicode form are one id."""
    return unicodedata.normalize("NFKC", member_id).casefold()


def plural(count: int, one: str, many: str | None = None) -> str:
    """`1 ballot`, `2 ballots`; `many` for the words that do not just take an s."""
    return f"{count} {one if count == 1 else (many or one + 's')}"
