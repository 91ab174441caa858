"""Roster members and the checks every roster (shared, session, imported) applies to them."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from tvm_vote_tui.domain.errors import ChangeRefused
from tvm_vote_tui.domain.text import (
    PLAIN_ID_CHARS,
    fold,
    hidden_problem,
    id_key,
    is_github_login,
    is_plain_id,
    one_line,
)


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
        return "id", f"the id {_shown_id(member.id)} contains spaces"
    found = hidden_problem(member.id)
    if found:
        return "id", f"the id of this member {found}"
    if not is_plain_id(member.id):
        return "id", (
            f"the id {_shown_id(member.id)} is not plain: an id is 1 to 64 of {PLAIN_ID_CHARS}, "
            "starting with a letter or digit (an Apache id, e.g. tqchen)"
        )
    if not member.name.strip():
        return "name", f"the name of {member.id!r} is required"
    for name in ("name", "email", "github"):
        found = hidden_problem(getattr(member, name))
        if found:
            return name, f"the {name} of {member.id} {found}"
    if member.github and not is_github_login(member.github):
        return "github", (
            f"the github of {member.id} ({one_line(member.github)!r}) is not a GitHub user name: "
            "ASCII letters, digits and hyphens, at most 39"
        )
    for address in member.emails:
        found = hidden_problem(address)
        if found:
            return "emails", f"an address of {member.id} {found}"
    key = id_key(member.id)
    if key in {id_key(other) for other in taken}:
        return "id", f"the id {member.id!r} is already on this roster"
    return None


def _shown_id(member_id: str) -> str:
    """An id as a message shows it: quoted, every character that is not plain spelled out."""
    return repr(one_line(member_id)) if member_id.isascii() else ascii(member_id)


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


def look_alike_warnings(roster: Iterable[Member], limit: int = 5) -> list[str]:
    """One line per pair of members a person could take for one (ids or names that look alike,
    a shared GitHub handle or address): each votes on their own, so one person listed twice would
    count twice. At most `limit` lines, the last saying how many more."""
    from tvm_vote_tui.domain.lookalike import look_alikes

    pairs = look_alikes(tuple(roster))
    lines = [f"roster members {pair.text()}: the same person twice? Check the roster" for pair in pairs]
    if len(lines) > limit:
        lines = [*lines[: limit - 1], f"and {len(lines) - limit + 1} more pairs of roster members look alike"]
    return lines


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
