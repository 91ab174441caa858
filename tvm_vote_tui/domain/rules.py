"""The named vote rules and the tally that applies one of them to a set of ballots."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property

from tvm_vote_tui.domain.ballots import Ballot
from tvm_vote_tui.domain.roster import Member
from tvm_vote_tui.domain.text import fold, id_key
from tvm_vote_tui.domain.votes import Counted, Vote

HADOOP_BYLAWS = "Apache Hadoop bylaws, 'Decision Making' (followed by Apache TVM)"
ASF_VOTING = "ASF 'Voting' process (apache.org/foundation/voting.html)"


@dataclass(frozen=True, slots=True)
class Counts:
    """Numbers of +1, 0 (zeros and fractions) and -1 votes."""

    plus: int = 0
    zero: int = 0
    minus: int = 0

    @property
    def cast(self) -> int:
        return self.plus + self.zero + self.minus

    def short(self) -> str:
        """One-glance form used in lists: `+7 0:1 -2`."""
        return f"+{self.plus} 0:{self.zero} -{self.minus}"

    def as_dict(self) -> dict[str, int]:
        return {"plus": self.plus, "zero": self.zero, "minus": self.minus}


# Each rule is three small pure functions of the binding counts, so that the
# threshold, what is still needed and what can be absorbed always agree.
Passes = Callable[[Counts], bool]
Needed = Callable[[Counts], int | None]


@dataclass(frozen=True, slots=True)
class Rule:
    """A named decision rule with its description and where it comes from."""

    name: str
    title: str
    description: str
    bylaw: str
    veto: bool
    reading: str
    """For the 2/3 rules: which reading of the bylaws' "at least 3 votes" is applied."""
    reading_label: str
    """The reading in two words ("usual reading"), shown wherever the rule is named."""
    _passes: Passes = field(repr=False, compare=False)
    _needed: Needed = field(repr=False, compare=False)
    _absorbable: Callable[[Counts], int] = field(repr=False, compare=False)

    @property
    def label(self) -> str:
        """'Lazy 2/3 majority (usual reading)': the name people read."""
        return f"{self.title} ({self.reading_label})" if self.reading_label else self.title

    def passes(self, binding: Counts) -> bool:
        return self._passes(binding)

    def votes_needed(self, binding: Counts) -> int | None:
        """More binding +1 needed to pass; 0 if passing, None if no number of +1 can pass it."""
        return self._needed(binding)

    def minus_absorbable(self, binding: Counts) -> int:
        """More binding -1 the vote can take and still pass; 0 if it does not pass now."""
        return self._absorbable(binding) if self._passes(binding) else 0

    def plus_target(self, binding: Counts) -> int:
        """The binding +1 count the threshold asks for, given the 0s and -1s cast so far.

        For the default rule that is 3 or twice the -1s, whichever is larger. Under a veto no
        number of +1 is enough; the target is then the +1s there are (the status says why).
        """
        needed = self.votes_needed(Counts(0, binding.zero, binding.minus))
        return needed if needed is not None else binding.plus


def _pos(n: int) -> int:
    return max(n, 0)


RULES: dict[str, Rule] = {
    rule.name: rule
    for rule in (
        Rule(
            "lazy-two-thirds",
            "Lazy 2/3 majority",
            "At least 3 binding +1 votes and at least twice as many binding +1 as -1.",
            HADOOP_BYLAWS + "; the usual reading of 'at least 3 votes' as 3 binding +1",
            veto=False,
            reading="usual reading: 'at least 3 votes' means at least 3 binding +1",
            reading_label="usual reading",
            _passes=lambda c: c.plus >= 3 and c.plus >= 2 * c.minus,
            _needed=lambda c: _pos(max(3, 2 * c.minus) - c.plus),
            _absorbable=lambda c: c.plus // 2 - c.minus,
        ),
        Rule(
            "lazy-two-thirds-literal",
            "Lazy 2/3 majority",
            "At least 3 binding votes cast (any value) and at least twice as many binding +1 as -1.",
            HADOOP_BYLAWS + "; the literal reading of 'at least 3 votes' as 3 votes cast",
            veto=False,
            reading="literal reading: 'at least 3 votes' means at least 3 binding votes of any value",
            reading_label="literal reading",
            _passes=lambda c: c.cast >= 3 and c.plus >= 2 * c.minus,
            _needed=lambda c: _pos(max(2 * c.minus - c.plus, 3 - c.cast)),
            _absorbable=lambda c: c.plus // 2 - c.minus,
        ),
        Rule(
            "lazy-majority",
            "Lazy majority",
            "At least 3 binding +1 votes and more binding +1 than -1; a -1 is not a veto.",
            HADOOP_BYLAWS + "; " + ASF_VOTING + " for package releases",
            veto=False,
            reading="",
            reading_label="",
            _passes=lambda c: c.plus >= 3 and c.plus > c.minus,
            _needed=lambda c: _pos(max(3, c.minus + 1) - c.plus),
            _absorbable=lambda c: c.plus - c.minus - 1,
        ),
        Rule(
            "consensus",
            "Consensus approval",
            "At least 3 binding +1 votes and no binding -1; a -1 is a veto and needs a justification.",
            HADOOP_BYLAWS + "; " + ASF_VOTING + " for code modifications",
            veto=True,
            reading="",
            reading_label="",
            _passes=lambda c: c.plus >= 3 and c.minus == 0,
            _needed=lambda c: None if c.minus else _pos(3 - c.plus),
            _absorbable=lambda c: 0,
        ),
        Rule(
            "lazy-consensus",
            "Lazy consensus",
            "Passes unless there is a binding -1; a -1 is a veto and needs a justification.",
            HADOOP_BYLAWS + "; " + ASF_VOTING,
            veto=True,
            reading="",
            reading_label="",
            _passes=lambda c: c.minus == 0,
            _needed=lambda c: None if c.minus else 0,
            _absorbable=lambda c: 0,
        ),
    )
}
DEFAULT_RULE = "lazy-two-thirds"


class UnknownRuleError(ValueError):
    """A rule name that is not one of RULES."""


def get_rule(name: str) -> Rule:
    try:
        return RULES[name]
    except KeyError:
        raise UnknownRuleError(f"unknown rule {name!r}: choose one of {', '.join(RULES)}") from None


@dataclass(frozen=True, slots=True)
class CountedBallot:
    """A voter's current (latest) vote as the tally counted it."""

    voter: str
    name: str
    vote: Vote
    binding: bool
    note: str = ""


@dataclass(frozen=True, slots=True)
class Verdict:
    """How a tally reads: the one place the words PASSING, PASSED, FAILED ... are chosen."""

    word: str
    """PASSING or FAILING while the vote is open; PASSED or FAILED once it is closed."""
    note: str
    """While open: what the votes not yet cast can still do, when that is nothing."""
    closed: bool
    passes: bool

    @property
    def text(self) -> str:
        """'PASSING — cannot fail on the votes still out', 'CLOSED: PASSED'."""
        if self.closed:
            return f"CLOSED: {self.word}"
        return f"{self.word} — {self.note}" if self.note else self.word

    @property
    def short(self) -> str:
        """For lists: 'passing' or 'failing' while open (never final), 'passed' or 'failed'."""
        return self.word.lower()


@dataclass(frozen=True)
class Tally:
    """Everything a result needs, from one count of the ballots, so nothing can disagree."""

    rule: Rule
    binding: Counts
    non_binding: Counts
    passes: bool
    votes_needed: int | None
    minus_absorbable: int
    decided: bool
    not_voted_count: int
    _binding_order: tuple[str, ...] = field(repr=False, compare=False, default=())
    """Ids of binding members, in roster order."""
    _voted: frozenset[str] = field(repr=False, compare=False, default=frozenset())
    """Binding members who have a vote that counts."""
    _cast: tuple[tuple[str, Ballot], ...] = field(repr=False, compare=False, default=())
    """Each voter's key and latest ballot (withdrawals included), in the order voters first voted."""
    _roster: tuple[Member, ...] = field(repr=False, compare=False, default=())

    @cached_property
    def not_voted(self) -> tuple[str, ...]:
        """Binding members who have not voted, in roster order."""
        return tuple(i for i in self._binding_order if i not in self._voted)

    @cached_property
    def current(self) -> tuple[CountedBallot, ...]:
        """The counted ballots with names; built on demand (exports), not on every keypress."""
        names = {m.id: m.name for m in self._roster}
        binding = set(self._binding_order)
        return tuple(
            CountedBallot(key, names.get(key, b.voter), b.vote, key in binding, b.note)
            for key, b in self._cast
            if b.vote is not None
        )

    @property
    def plus_target(self) -> int:
        return self.rule.plus_target(self.binding)

    @property
    def margin(self) -> str:
        """'needs 2 more binding +1' or 'can absorb 1 more binding -1': the meter and the CLI say it."""
        if self.passes:
            return f"can absorb {self.minus_absorbable} more binding -1"
        if self.votes_needed is None:
            return "cannot pass while a binding -1 (veto) stands"
        return f"needs {self.votes_needed} more binding +1"

    def verdict(self, closed: bool) -> Verdict:
        """The outcome in words. Open votes never read as final: votes already cast may change."""
        if closed:
            return Verdict("PASSED" if self.passes else "FAILED", "", True, self.passes)
        note = ""
        if self.decided:
            note = f"cannot {'fail' if self.passes else 'pass'} on the votes still out"
        return Verdict("PASSING" if self.passes else "FAILING", note, False, self.passes)

    def voters(self, counted: Counted, *, binding: bool | None = None) -> list[CountedBallot]:
        """Current ballots that count as `counted`, in the order their voters first voted."""
        return [
            b for b in self.current if b.vote.counted is counted and (binding is None or b.binding is binding)
        ]

    def as_json(self) -> dict[str, object]:
        return {
            "rule": self.rule.name,
            "rule_description": self.rule.description,
            "passes": self.passes,
            "binding": self.binding.as_dict(),
            "non_binding": self.non_binding.as_dict(),
            "votes_needed": self.votes_needed,
            "minus_absorbable": self.minus_absorbable,
            "not_voted": list(self.not_voted),
            "decided": self.decided,
        }


def binding_ids(roster: Iterable[Member]) -> set[str]:
    """Ids whose vote is binding: on the roster, marked binding, not recused."""
    return {m.id for m in roster if m.binding and not m.recused}


class VoterKeys:
    """Who a ballot's `voter` is: a roster id, matched ignoring case and Unicode form, or a guest.

    A guest is known by the first spelling seen, so 'ren' and 'Ren' count as one voter."""

    def __init__(self, roster: Iterable[Member]):
        self.roster = tuple(roster)
        self._by_key = {id_key(m.id): m for m in self.roster}
        self.binding = frozenset(binding_ids(self.roster))
        self._cache: dict[str, str] = {m.id: m.id for m in self.roster}
        self._guests: dict[str, str] = {}

    def key(self, voter: str) -> str:
        found = self._cache.get(voter)
        if found is None:
            normal = id_key(voter)
            member = self._by_key.get(normal)
            found = member.id if member is not None else self._guests.setdefault(normal, voter)
            self._cache[voter] = found
        return found

    def member(self, voter: str) -> Member | None:
        return self._by_key.get(id_key(voter))

    def find(self, text: str) -> Member | None:
        """The member a person means by `text`: id, then GitHub handle, then full name."""
        text = text.strip()
        if not text:
            return None
        member = self.member(text)
        if member is not None:
            return member
        handle = id_key(text.lstrip("@"))
        by_handle = [m for m in self.roster if m.github and id_key(m.github) == handle]
        if len(by_handle) == 1:
            return by_handle[0]
        name = fold(text)
        by_name = [m for m in self.roster if fold(m.name) == name]
        return by_name[0] if len(by_name) == 1 else None

    def latest(self, ballots: Iterable[Ballot]) -> dict[str, Ballot]:
        """Each voter's latest ballot by key, in the order voters first voted (withdrawals included)."""
        latest: dict[str, Ballot] = {}
        key = self.key
        for ballot in ballots:
            latest[key(ballot.voter)] = ballot
        return latest


def latest_ballots(ballots: Iterable[Ballot], roster: Iterable[Member] = ()) -> dict[str, Ballot]:
    """Each voter's latest ballot, keyed by voter, in the order voters first voted."""
    return VoterKeys(roster).latest(ballots)


def decide(rule: Rule, binding: Counts, outstanding: int) -> bool:
    """True when no way the `outstanding` binding members could vote changes the outcome.

    Every rule is monotone: a +1 never hurts and a -1 never helps, and a 0 helps no more than
    a +1 and hurts no more than a -1. So the extremes (all +1, all -1) settle it.
    """
    if rule.passes(binding):
        worst = Counts(binding.plus, binding.zero, binding.minus + outstanding)
        return rule.passes(worst)
    best = Counts(binding.plus + outstanding, binding.zero, binding.minus)
    return not rule.passes(best)


def tally(ballots: Iterable[Ballot], roster: Sequence[Member], rule: Rule) -> Tally:
    """Apply `rule` to the latest ballot of each voter."""
    return tally_latest(latest_ballots(ballots, roster), roster, rule)


def tally_latest(latest: Mapping[str, Ballot], roster: Sequence[Member], rule: Rule) -> Tally:
    """Apply `rule` to each voter's latest ballot, given as {voter: ballot} in first-vote order."""
    return TallyState(latest, roster).tally(rule, latest, roster)


_KIND = {Counted.PLUS: 0, Counted.ZERO: 1, Counted.MINUS: 2}


class TallyState:
    """Running counts that one more ballot updates in O(1), so a live tally is cheap at any size.

    Built from the roster and each voter's latest ballot; whoever owns it must rebuild it when
    the roster changes (Session does, by watching the roster and its members)."""

    def __init__(self, latest: Mapping[str, Ballot], roster: Sequence[Member]):
        self.binding_order = tuple(m.id for m in roster if m.binding and not m.recused)
        self.binding_set = frozenset(self.binding_order)
        binding_set = self.binding_set
        cast = [(key, b) for key, b in latest.items() if b.vote is not None]
        flags = [key in binding_set for key, _ in cast]
        kinds = [_KIND[b.vote.counted] for _, b in cast]  # type: ignore[union-attr]
        binding_kinds = [k for k, flag in zip(kinds, flags, strict=True) if flag]
        self.counts = [binding_kinds.count(k) for k in range(3)] + [
            kinds.count(k) - binding_kinds.count(k) for k in range(3)
        ]
        """Binding +1/0/-1, then non-binding +1/0/-1."""
        self.voted = {key for (key, _), flag in zip(cast, flags, strict=True) if flag}

    def _slot(self, ballot: Ballot | None, key: str) -> int | None:
        if ballot is None or ballot.vote is None:
            return None
        return (0 if key in self.binding_set else 3) + _KIND[ballot.vote.counted]

    def replace(self, old: Ballot | None, new: Ballot, key: str) -> None:
        """`new` is now the latest ballot of voter `key`, in place of `old` (None if first)."""
        slot = self._slot(old, key)
        if slot is not None:
            self.counts[slot] -= 1
        slot = self._slot(new, key)
        if slot is not None:
            self.counts[slot] += 1
        if key in self.binding_set:
            if new.vote is None:
                self.voted.discard(key)
            else:
                self.voted.add(key)

    def tally(self, rule: Rule, latest: Mapping[str, Ballot], roster: Sequence[Member]) -> Tally:
        c = self.counts
        binding = Counts(c[0], c[1], c[2])
        outstanding = len(self.binding_order) - len(self.voted)
        return Tally(
            rule=rule,
            binding=binding,
            non_binding=Counts(c[3], c[4], c[5]),
            passes=rule.passes(binding),
            votes_needed=rule.votes_needed(binding),
            minus_absorbable=rule.minus_absorbable(binding),
            decided=decide(rule, binding, outstanding),
            not_voted_count=outstanding,
            _binding_order=self.binding_order,
            _voted=frozenset(self.voted),
            _cast=tuple(latest.items()),
            _roster=tuple(roster),
        )
