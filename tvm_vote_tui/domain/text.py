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


# Default-ignorable code points (Unicode's DerivedCoreProperties) that are not format characters:
# they draw nothing, or the same as a space, so 'olu' and 'o<U+3164>lu' would look alike.
_IGNORABLE = frozenset(
    (0x034F, 0x115F, 0x1160, 0x17B4, 0x17B5, 0x2800, 0x3164, 0xFFA0, *range(0x180B, 0x1810))
)
_SELECTORS = ((0xFE00, 0xFE0F), (0xE0100, 0xE01EF))
_JOINERS = frozenset("\u200c\u200d")


def is_hidden(char: str) -> bool:
    """A character that draws nothing (or a blank) yet changes what text is: zero-width and format
    characters (Cf: ZWSP, soft hyphen, LRM/RLM/ALM, tags, BOM, bidi), separators other than the
    plain space, variation selectors, fillers, private-use characters."""
    code = ord(char)
    if code < 0x80:
        return False
    if code in _IGNORABLE or any(low <= code <= high for low, high in _SELECTORS):
        return True
    return unicodedata.category(char) in ("Cf", "Co", "Cs", "Zl", "Zp", "Zs")


def _joiner_in_word(text: str, index: int) -> bool:
    """ZWNJ/ZWJ between two letters (or marks) of a script that spells with them (Persian,
    Devanagari, ...: anything from Hebrew on), never beside Latin, Greek or Cyrillic letters."""

    def script_letter(char: str) -> bool:
        return ord(char) >= 0x0590 and unicodedata.category(char)[0] in "LM"

    return 0 < index < len(text) - 1 and script_letter(text[index - 1]) and script_letter(text[index + 1])


def hidden_problem(text: str) -> str | None:
    """Why `text` may not be a name, address or handle: a control or bidi character (`problem`),
    or one that draws nothing (`is_hidden`); names keep every script and its own joiners."""
    found = problem(text)
    if found:
        return found
    if text.isascii():
        return None  # the usual case
    for index, char in enumerate(text):
        if is_hidden(char) and not (char in _JOINERS and _joiner_in_word(text, index)):
            name = unicodedata.name(char, "an unnamed character").lower()
            return f"holds an invisible character, U+{ord(char):04X} ({name}), at position {index + 1}"
    return None


PLAIN_ID_CHARS = "ASCII letters, digits, '.', '_' and '-'"
_PLAIN_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")
_GITHUB_LOGIN = re.compile(r"[A-Za-z0-9][A-Za-z0-9-]{0,38}")


def is_plain_id(text: str) -> bool:
    """An id made of PLAIN_ID_CHARS only, starting with a letter or digit, at most 64 long: what an
    ASF id (and any id a person can tell from another at a glance) is."""
    return _PLAIN_ID.fullmatch(text) is not None


def is_github_login(text: str) -> bool:
    """GitHub's rules for a user name: ASCII letters, digits and hyphens, not first, at most 39."""
    return _GITHUB_LOGIN.fullmatch(text) is not None


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
