"""Match a post's author to a roster member: GitHub handle, id, e-mail, then name.

A display name is the weakest evidence: anyone can send mail as "Gustavo Ruiz". A match by name
alone, from an address the roster does not list for that member, is a match a person must
confirm; once they do, the address can be remembered (`Member.emails`)."""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import dataclass

from tvm_vote_tui.domain.model import Member
from tvm_vote_tui.domain.text import fold, one_line
from tvm_vote_tui.votethread.posts import Post

# Mail that GitHub (or a list) sends on someone's behalf: the address is the relay's, never theirs.
RELAY_DOMAINS = ("github.com", "reply.github.com", "noreply.github.com", "users.noreply.github.com")


@dataclass(frozen=True)
class Match:
    member: Member | None
    how: str
    """'github handle', 'id', 'e-mail', 'name', or '' when unmatched."""
    candidates: tuple[str, ...] = ()
    """Closest roster ids for an unmatched author, for the manager to pick."""
    doubt: str = ""
    """Why the match needs a person's eye ('' when it does not)."""
    new_address: str = ""
    """The sender's address, when a person may want it remembered for this member."""


def is_relay(address: str) -> bool:
    domain = address.rpartition("@")[2].lower()
    return domain in RELAY_DOMAINS or domain.startswith("noreply.") or address.lower().startswith("noreply@")


def match_author(post: Post, roster: Sequence[Member]) -> Match:
    handle, email, name = fold(post.handle), fold(post.email), fold(post.name)
    checks = (
        ("github handle", handle, lambda m: (fold(m.handle),)),
        ("id", handle, lambda m: (fold(m.id),)),
        ("e-mail", email, lambda m: tuple(fold(a) for a in m.addresses)),
        ("id", fold(email.split("@")[0]) if email.endswith("@apache.org") else "", lambda m: (fold(m.id),)),
        ("name", name, lambda m: (fold(m.name),)),
    )
    for how, key, fields in checks:
        if key:
            found = [m for m in roster if key in fields(m)]
            if len(found) == 1:
                return _checked(Match(found[0], how), post)
    return Match(None, "", candidates(post, roster))


def _checked(match: Match, post: Post) -> Match:
    member = match.member
    assert member is not None
    if match.how == "id" and post.handle and member.github and fold(member.github) != fold(post.handle):
        doubt = (
            f"GitHub user @{one_line(post.handle)} has the id {member.id}, but the roster gives "
            f"@{one_line(member.github)} as {one_line(member.name)}'s GitHub handle"
        )
        return Match(member, match.how, doubt=doubt)
    if match.how != "name":
        return match
    address = post.email
    if not address:
        return Match(member, "name", doubt="matched by name only; the mail gives no address")
    if is_relay(address):
        doubt = f"matched by name only; sent through a relay ({one_line(address)}) that hides the address"
        return Match(member, "name", doubt=doubt)
    doubt = f"matched by name only; address not on the roster ({one_line(address)})"
    return Match(member, "name", doubt=doubt, new_address=address)


def candidates(post: Post, roster: Sequence[Member], limit: int = 3) -> tuple[str, ...]:
    """Roster ids that look like the author: close spellings, or the same first name or nickname."""
    keys = {fold(k) for k in (post.handle, post.name, post.email.split("@")[0]) if k}
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
