"""Match a message's author to a roster member: GitHub handle, id, e-mail, then name."""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import dataclass

from tvm_vote_tui.domain.model import Member
from tvm_vote_tui.domain.text import fold
from tvm_vote_tui.votethread.posts import Post


@dataclass(frozen=True)
class Match:
    member: Member | None
    how: str
    """'github handle', 'id', 'e-mail', 'name', or '' when unmatched."""
    candidates: tuple[str, ...] = ()
    """Closest roster ids for an unmatched author, for the manager to pick."""


def match_author(message: Post, roster: Sequence[Member]) -> Match:
    handle, email, name = fold(message.handle), fold(message.email), fold(message.name)
    checks = (
        ("github handle", handle, lambda m: fold(m.handle)),
        ("id", handle, lambda m: fold(m.id)),
        ("e-mail", email, lambda m: fold(m.email)),
        ("id", fold(email.split("@")[0]) if email.endswith("@apache.org") else "", lambda m: fold(m.id)),
        ("name", name, lambda m: fold(m.name)),
    )
    for how, key, field in checks:
        if key:
            found = [m for m in roster if field(m) == key]
            if len(found) == 1:
                return Match(found[0], how)
    return Match(None, "", candidates(message, roster))


def candidates(message: Post, roster: Sequence[Member], limit: int = 3) -> tuple[str, ...]:
    """Roster ids that look like the author: close spellings, or the same first name or nickname."""
    keys = {fold(k) for k in (message.handle, message.name, message.email.split("@")[0]) if k}
    scored: dict[str, float] = {}
    for member in roster:
        names = {fold(member.name), fold(member.id), fold(member.github)} - {""}
        first = fold(member.name).split(" ")[0] if member.name else ""
        for key in keys:
            best = max((difflib.SequenceMatcher(None, key, n).ratio() for n in names), default=0.0)
            if first and (key == first or key.split(" ")[0] == first):
                best = max(best, 0.9)
            if any(key in n or n in key for n in names if len(n) >= 3 and len(key) >= 3):
                best = max(best, 0.8)
            scored[member.id] = max(scored.get(member.id, 0.0), best)
    ranked = sorted((s, i) for i, s in scored.items() if s >= 0.6)
    return tuple(i for _, i in sorted(ranked, key=lambda x: -x[0])[:limit])
