"""Match a post's author to a roster member, only on evidence: a GitHub handle the roster gives
for the member, or an address the roster lists (compared exactly: domains as IDNA, never with
accents folded).

Everything weaker only *suggests* a member: a display name (anyone can send mail as "Gustavo
Ruiz"), or a GitHub login that is the same as an ASF id (nothing ties a GitHub account to an ASF
id: `olu` on GitHub may be anyone). Such an author is a guest, under their own name, unless the
manager picks the member; the address or handle can then be remembered. A deleted GitHub account
(`ghost`) and bots are never members."""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import dataclass

from tvm_vote_tui.domain.addresses import address_key, domain_of
from tvm_vote_tui.domain.lookalike import skeletons
from tvm_vote_tui.domain.model import Member
from tvm_vote_tui.domain.text import fold, id_key, one_line
from tvm_vote_tui.votethread.posts import Post

__all__ = ["Guests", "Match", "candidates", "fold", "is_relay", "match_author"]

# Mail that GitHub (or a list) sends on someone's behalf: the address is the relay's, never theirs.
RELAY_DOMAINS = ("github.com", "reply.github.com", "noreply.github.com", "users.noreply.github.com")
ASF_DOMAIN = "apache.org"
NEVER = {
    "deleted": "a deleted GitHub account (shown as ghost): never a roster member",
    "bot": "a bot account: never a roster member",
}


@dataclass(frozen=True)
class Match:
    member: Member | None
    """The member the author is proven to be; None for anyone else."""
    how: str
    """'github handle', 'e-mail', 'ASF address', or '' when not proven."""
    candidates: tuple[str, ...] = ()
    """Closest roster ids for an author who is not proven to be a member, for the manager to pick."""
    doubt: str = ""
    """Why the author is not taken as `suggested` (or as anyone): '' for a proven match."""
    new_address: str = ""
    """The sender's address, to remember for `suggested` once the manager picks them."""
    suggested: Member | None = None
    """Whom the author may be (the same name, or a login equal to their id): never pre-filled."""
    new_handle: str = ""
    """The GitHub login, to remember as `suggested`'s handle once the manager picks them."""


def is_relay(address: str) -> bool:
    domain = domain_of(address) or address.rpartition("@")[2].lower()
    return domain in RELAY_DOMAINS or domain.startswith("noreply.") or address.lower().startswith("noreply@")


def match_author(post: Post, roster: Sequence[Member]) -> Match:
    if post.account:
        return Match(None, "", doubt=NEVER.get(post.account, f"a {post.account} account: never a member"))
    handle = post.handle.casefold()
    if handle:
        found = [m for m in roster if m.github and m.github.casefold() == handle]
        if len(found) == 1:
            return Match(found[0], "github handle")
    address = address_key(post.email) if post.email else None
    if address:
        found = [m for m in roster if address in {address_key(a) for a in m.addresses}]
        if len(found) == 1:
            return Match(found[0], "e-mail")
        local, _, domain = address.rpartition("@")
        if domain == ASF_DOMAIN:
            found = [m for m in roster if id_key(m.id) == local]
            if len(found) == 1:
                return Match(found[0], "ASF address")
    if handle:
        found = [m for m in roster if id_key(m.id) == handle]
        if len(found) == 1:
            return _login_like_id(post, found[0], roster)
    name = fold(post.name)
    if name:
        found = [m for m in roster if fold(m.name) == name]
        if len(found) == 1:
            return _by_name(post, found[0], roster)
    return Match(None, "", candidates(post, roster))


def _login_like_id(post: Post, member: Member, roster: Sequence[Member]) -> Match:
    login, near = one_line(post.handle), _with(member, post, roster)
    if member.github:
        doubt = (
            f"GitHub user @{login} has the id {member.id}, but the roster gives @{one_line(member.github)} "
            f"as {one_line(member.name)}'s GitHub handle"
        )
        return Match(None, "", near, doubt, suggested=member)
    doubt = (
        f"only the login matches {member.id}: a GitHub login is no proof of an ASF id (the roster "
        f"gives no GitHub handle for {member.id})"
    )
    return Match(None, "", near, doubt, suggested=member, new_handle=post.handle)


def _by_name(post: Post, member: Member, roster: Sequence[Member]) -> Match:
    address, near = post.email, _with(member, post, roster)
    only = f"only the name matches {member.id}"
    if not address:
        return Match(None, "", near, f"{only}; the mail gives no address", suggested=member)
    if is_relay(address):
        doubt = f"{only}; sent through a relay ({one_line(address)}) that hides the address"
        return Match(None, "", near, doubt, suggested=member)
    doubt = f"{only}; address not on the roster ({one_line(address)})"
    return Match(None, "", near, doubt, new_address=address, suggested=member)


def _with(member: Member, post: Post, roster: Sequence[Member]) -> tuple[str, ...]:
    return (member.id, *(i for i in candidates(post, roster) if i != member.id))[:3]


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


class Guests:
    """How an author who is not a proven member is recorded: under their own name, made unlike
    any member's id, name or handle (else the guest 'OLU' would count as member olu, or read
    like them in the result): 'OLU <someone@evil.example>', 'olu (GitHub)', 'Olu (guest)'; a
    name that is a member's address (a From header whose only address is in an encoded word) is
    a guest's too: 'olu@apache.org (guest)'."""

    def __init__(self, roster: Sequence[Member]) -> None:
        self._ids = {id_key(m.id) for m in roster}
        self._forms: set[str] = set()
        for member in roster:
            for text in (member.id, member.name, member.github, *member.addresses):
                if text:
                    self._forms |= skeletons(text)

    def taken(self, name: str) -> bool:
        """Whether `name` would be read as (or look like) a roster member."""
        return id_key(name.strip()) in self._ids or bool(skeletons(name) & self._forms)

    def name(self, post: Post) -> str:
        base = post.voter_name
        if not self.taken(base):
            return base
        if post.handle:
            tries = [f"{post.handle} (GitHub)"]
        elif post.email and base != one_line(post.email):
            tries = [f"{base} <{post.email}>", f"{base} (guest)"]
        else:
            tries = [f"{base} (guest)"]
        for guest in tries:
            if not self.taken(guest):
                return one_line(guest)
        return one_line(f"{tries[-1]} #{post.index}")
