"""Roster members and the checks every roster (shared, session, imported) applies to them."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from tvm_vote_tui.domain.errors import ChangeRefused
from tvm_vote_tui.domain.text import fold, id_key, problem


@dataclass(frozen=True)
class Member:
    """A person on a roster. Binding members are PMC members who may cast binding votes."""

    id: str
    name: str
    email: str = ""
    binding: bool = True
    github: str = ""
    recused: bool = False
    emails: tuple[str, ...] = ()
    """Other addresses known to be this member's (a thread's mail from one of them matches)."""
    extra: Mapping[str, object] = field(default_factory=dict, compare=False, repr=False)
    """Fields this version does not know (written by a newer one): kept as they are."""

    def __post_init__(self) -> None:
        if not isinstance(self.emails, tuple):
            object.__setattr__(self, "emails", tuple(self.emails))

    @property
    def handle(self) -> str:
        return self.github or self.id

    @property
    def addresses(self) -> tuple[str, ...]:
        """Every address known for this member, the main one first."""
        return tuple(a for a in (self.email, *self.emails) if a)


def yes_no(flag: bool) -> str:
    return "yes" if flag else "no"


def member_problem(member: Member, taken: Iterable[str]) -> str | None:
    """Why `member` cannot be on a roster whose other ids are `taken`, or None.

    Ids are compared ignoring case and Unicode form: 'Ada' and 'ada' are one id."""
    fault = member_fault(member, taken)
    return fault[1] if fault else None


def member_fault(member: Member, taken: Iterable[str]) -> tuple[str, str] | None:
    """(the field at fault, why) when `member` cannot be on a roster whose other ids are `taken`."""
    if not member.id:
        return "id", "the id is required (the person's Apache id, e.g. tqchen)"
    if any(ch.isspace() for ch in member.id):
        return "id", f"the id {member.id!r} contains spaces"
    if not member.name.strip():
        return "name", f"the name of {member.id!r} is required"
    for name in ("id", "name", "email", "github"):
        found = problem(getattr(member, name))
        if found:
            return name, f"the {name} of {member.id if name != 'id' else 'this member'!s} {found}"
    for address in member.emails:
        found = problem(address)
        if found:
            return "emails", f"an address of {member.id} {found}"
    key = id_key(member.id)
    if key in {id_key(other) for other in taken}:
        return "id", f"the id {member.id!r} is already on this roster"
    return None


def _checked(roster: tuple[Member, ...], member: Member, skip: str | None = None) -> None:
    taken = [m.id for m in roster if skip is None or id_key(m.id) != id_key(skip)]
    found = member_problem(member, taken)
    if found:
        raise ChangeRefused(found)


def roster_adding(roster: tuple[Member, ...], member: Member) -> tuple[Member, ...]:
    _checked(roster, member)
    return (*roster, member)


def roster_replacing(roster: tuple[Member, ...], member_id: str, new: Member) -> tuple[Member, ...]:
    key = id_key(member_id)
    _checked(roster, new, skip=member_id)
    return tuple(new if id_key(m.id) == key else m for m in roster)


def roster_without(roster: tuple[Member, ...], member_id: str) -> tuple[Member, ...]:
    key = id_key(member_id)
    return tuple(m for m in roster if id_key(m.id) != key)


def closest_members(text: str, roster: Iterable[Member], *, cutoff: float = 0.8) -> list[Member]:
    """Members whose name, id or handle looks like `text` (a typo, a missing accent), closest first:
    what to suggest before recording a name the roster does not know as a guest."""
    import difflib

    wanted = fold(text)
    scored = []
    for member in roster:
        keys = {fold(member.name), fold(member.id), fold(member.github)} - {""}
        score = max(difflib.SequenceMatcher(None, wanted, key).ratio() for key in keys)
        if score >= cutoff:
            scored.append((-score, member.id, member))
    return [member for _, _, member in sorted(scored)]


def members_named(text: str, roster: Iterable[Member]) -> list[Member]:
    """Every member `text` may stand for: by id, GitHub handle, full name or one word of the name
    (a first name), case and accents ignored; then those whose name, id or handle merely looks
    like it (a typo). Asked about before a name is recorded as someone not on the roster."""
    roster = tuple(roster)
    text = text.strip()
    if not text:
        return []
    wanted, handle = fold(text), id_key(text.lstrip("@"))
    named = [
        m
        for m in roster
        if id_key(m.id) == id_key(text)
        or (m.github and id_key(m.github) == handle)
        or fold(m.name) == wanted
        or wanted in fold(m.name).split()
    ]
    return named + [m for m in closest_members(text, roster) if m not in named]
