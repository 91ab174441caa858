"""When two e-mail addresses are one: compared exactly, never with accents folded.

`olu@apáche.org` is another, registrable domain than `olu@apache.org`: a match that folds accents
hands a member's vote to whoever registers it. So the domain is compared as DNS sees it (IDNA,
the standard library's codec: `APACHE.org` and `apache.org` are one, `apáche.org` is
`xn--apche-yqa.org`), and the local part exactly but for the case of ASCII letters (what every
mail host does in practice; RFC 5321 leaves it to the host). An address that holds an invisible
character, or whose domain cannot be encoded, matches nothing; nor does one whose domain the
codec would rewrite into another (IDNA 2003 maps `straße` to `strasse` and fullwidth letters to
ASCII, which IDNA 2008 does not): only a domain already written as it is encoded matches."""

from __future__ import annotations

import unicodedata

from tvm_vote_tui.domain.text import hidden_problem


def address_key(address: str) -> str | None:
    """The form two addresses are compared in ('Olu@APACHE.org' -> 'olu@apache.org'), or None
    for text that is not an address that can be matched."""
    local, at, domain = address.strip().rpartition("@")
    if not at or not local or not domain or hidden_problem(address.strip()):
        return None
    domain = unicodedata.normalize("NFC", domain.removesuffix(".").lower())
    try:
        ascii_domain = domain.encode("idna").decode("ascii").lower()
        if not ascii_domain or domain not in (ascii_domain, ascii_domain.encode("ascii").decode("idna")):
            return None  # the codec mapped it to another name (ß -> ss, ｏ -> o)
    except UnicodeError:
        return None
    return "".join(c.lower() if c.isascii() else c for c in local) + "@" + ascii_domain


def same_address(a: str, b: str) -> bool:
    key = address_key(a)
    return key is not None and key == address_key(b)


def domain_of(address: str) -> str:
    """The domain of an address as DNS sees it ('' when it has none that can be matched)."""
    key = address_key(address)
    return key.rpartition("@")[2] if key else ""
