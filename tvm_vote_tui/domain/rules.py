"""The named vote rules and the tally that applies one of them to a set of ballots."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from itertools import compress, filterfalse, islice
from operator import attrgetter

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

    def labelled(self) -> str:
        """The form of lists and the log: `+1:7 0:1 -1:2`, each count after the vote it counts,
        so a count of -1 votes never reads as a vote of -2 (nor none as the ASF's -0)."""
        return f"+1:{self.plus} 0:{self.zero} -1:{self.minus}"

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


WAITING_HEAD = 30
"""How many binding members who have not voted a tally lists at once (the meter shows 12 or 30)."""


@dataclass(frozen=True)
class Tally:
    """Everything a result needs, from one count of the ballots, so nothing can disagree.

    Taking a tally copies nothing that grows with the vote: the counts are kept up to date as
    ballots come in, and the lists (who voted what, who has not voted) are read on demand from
    the ballots as they were when the tally was taken (`_log`), so an older tally never changes."""

    rule: Rule
    binding: Counts
    non_binding: Counts
    passes: bool
    votes_needed: int | None
    minus_absorbable: int
    decided: bool
    not_voted_count: int
    _waiting_head: tuple[str, ...] = field(repr=False, compare=False, default=())
    """The first binding members in roster order who have not voted (up to WAITING_HEAD)."""
    _log: _BallotLog | None = field(repr=False, compare=False, default=None)

    def waiting(self, limit: int) -> tuple[str, ...]:
        """The first `limit` binding members who have not voted, in roster order."""
        if limit <= len(self._waiting_head) or len(self._waiting_head) == self.not_voted_count:
            return self._waiting_head[:limit]
        return self.not_voted[:limit]

    @cached_property
    def not_voted(self) -> tuple[str, ...]:
        """Binding members who have not voted, in roster order."""
        if len(self._waiting_head) == self.not_voted_count or self._log is None:
            return self._waiting_head
        return waiting_in(self._log.keys.binding_order, self._log.latest(), self.not_voted_count)

    @cached_property
    def current(self) -> tuple[CountedBallot, ...]:
        """The counted ballots with names; built on demand (exports), not on every keypress."""
        if self._log is None:
            return ()
        keys = self._log.keys
        names = {m.id: m.name for m in keys.roster}
        binding = keys.binding
        return tuple(
            CountedBallot(key, names.get(key, b.voter), b.vote, key in binding, b.note)
            for key, b in self._log.latest().items()
            if b.vote is not None
        )

    @property
    def plus_target(self) -> int:
        return self.rule.plus_target(self.binding)

    @property
    def margin(self) -> str:
        """'needs 2 more binding +1', 'can absorb 1 more binding -1' (or, under a veto rule, 'a binding
        -1 would veto it'): the meter and the CLI say it."""
        if self.passes and self.rule.veto:
            return "a binding -1 would veto it"
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
        if self.decided and not self.not_voted_count:  # no votes are still out to speak of
            note = (
                "every binding member has voted"
                if self.binding.cast
                else "no binding member is on the roster"
            )
        elif self.decided:
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


_ID = attrgetter("id")
_BINDING = attrgetter("binding")
_RECUSED = attrgetter("recused")
_VOTER = attrgetter("voter")
_VOTE = attrgetter("vote")
_COUNTED = attrgetter("counted")


class VoterKeys:
    """Who a ballot's `voter` is: a roster id, matched ignoring case and Unicode form, or a guest.

    A guest is known by the first spelling seen, so 'ren' and 'Ren' count as one voter. Ballots
    name roster members by their exact id nearly always; the normalized forms of the ids are
    built only when one does not."""

    def __init__(self, roster: Iterable[Member]):
        self.roster = tuple(roster)
        ids = tuple(map(_ID, self.roster))
        self._ids = frozenset(ids)
        self.binding_order = ids
        """Ids of binding members (not recused), in roster order."""
        self.binding = self._ids
        if not all(map(_BINDING, self.roster)) or any(map(_RECUSED, self.roster)):
            flags = [m.binding and not m.recused for m in self.roster]
            self.binding_order = tuple(compress(ids, flags))
            self.binding = frozenset(self.binding_order)
        self._cache: dict[str, str] = {}
        """Voters written otherwise than as a roster id, and the key each stands for."""
        self._normal: dict[str, Member] | None = None
        self._guests: dict[str, str] = {}

    @property
    def _by_key(self) -> dict[str, Member]:
        if self._normal is None:
            self._normal = {id_key(m.id): m for m in self.roster}
        return self._normal

    def key(self, voter: str) -> str:
        if voter in self._ids:
            return voter
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
        ballots = ballots if isinstance(ballots, list | tuple) else list(ballots)
        # A later ballot replaces the value, not the place: the order is that of first votes.
        latest = dict(zip(map(_VOTER, ballots), ballots, strict=True))
        if self._ids.issuperset(latest):  # every voter named by a roster id: the usual case
            return latest
        ids, key = self._ids, self.key  # a guest, or an id written otherwise
        return dict(zip([v if v in ids else key(v) for v in map(_VOTER, ballots)], ballots, strict=True))


def latest_ballots(ballots: Iterable[Ballot], roster: Iterable[Member] = ()) -> dict[str, Ballot]:
    """Each voter's latest ballot, keyed by voter, in the order voters first voted."""
    return VoterKeys(roster).latest(ballots)


def waiting_in(binding_order: Iterable[str], latest: Mapping[str, Ballot], limit: int) -> tuple[str, ...]:
    """The first `limit` of `binding_order` with no vote in `latest` (none, or withdrawn)."""
    get = latest.get
    waiting = (key for key in binding_order if (b := get(key)) is None or b.vote is None)
    return tuple(islice(waiting, limit))


class _BallotLog:
    """The ballots as they were when a tally was taken: the first `count` of a list that is only
    ever appended to (Session replaces the list when ballots are taken back)."""

    def __init__(self, ballots: Sequence[Ballot], count: int, keys: VoterKeys):
        self.ballots = ballots
        self.count = count
        self.keys = keys

    def latest(self) -> dict[str, Ballot]:
        ballots = self.ballots
        return self.keys.latest(ballots if len(ballots) == self.count else ballots[: self.count])


def decide(rule: Rule, binding: Counts, outstanding: int) -> bool:
    """True when no way the `outstanding` binding members could vote changes the outcome.

    A +1 never hurts and, once a vote passes, a -1 hurts it most; a vote that fails is helped
    most by +1s (under the literal reading any vote, a -1 too, counts toward the 3 cast, but a
    +1 counts as much and helps the ratio more). So the extremes (all +1, all -1) settle it;
    a test checks this against every way the outstanding members could vote.
    """
    if rule.passes(binding):
        worst = Counts(binding.plus, binding.zero, binding.minus + outstanding)
        return rule.passes(worst)
    best = Counts(binding.plus + outstanding, binding.zero, binding.minus)
    return not rule.passes(best)


def count_change(before: Tally, after: Tally) -> str:
    """What changes between two tallies, in words: 'binding +1 6 → 5, non-binding +1 1 → 2;
    PASSING → FAILING'. Said before a roster change that moves votes in an open vote."""
    parts = []
    for standing, b, a in (
        ("binding", before.binding, after.binding),
        ("non-binding", before.non_binding, after.non_binding),
    ):
        for label, old, new in (("+1", b.plus, a.plus), ("0", b.zero, a.zero), ("-1", b.minus, a.minus)):
            if old != new:
                parts.append(f"{standing} {label} {old} → {new}")
    if before.not_voted_count != after.not_voted_count:
        parts.append(f"binding members not voted {before.not_voted_count} → {after.not_voted_count}")
    text = ", ".join(parts) or "the count does not change"
    was, will = before.verdict(closed=False).word, after.verdict(closed=False).word
    if was != will:
        text += f"; {was} → {will}"
    return text


def tally(ballots: Iterable[Ballot], roster: Sequence[Member], rule: Rule) -> Tally:
    """Apply `rule` to the latest ballot of each voter: a count from scratch."""
    ballots = list(ballots)
    keys = VoterKeys(roster)
    return TallyState(keys.latest(ballots), keys).tally(rule, ballots)


def _kind_counts(votes: list[Vote]) -> tuple[int, int, int]:
    counted = list(map(_COUNTED, votes))
    plus, minus = counted.count(Counted.PLUS), counted.count(Counted.MINUS)
    return plus, len(counted) - plus - minus, minus


_KIND = {Counted.PLUS: 0, Counted.ZERO: 1, Counted.MINUS: 2}


class TallyState:
    """Running counts that one more ballot updates in O(1), so a live tally is cheap at any size.

    Built from each voter's latest ballot (`latest`, which the owner keeps up to date and passes
    to `replace` as it changes) and the voter keys of the roster; the owner rebuilds it when the
    roster changes (a member's standing, a new id) or ballots are taken back."""

    def __init__(self, latest: Mapping[str, Ballot], keys: VoterKeys):
        self.latest = latest
        self.keys = keys
        # A few passes in C over the ballots, none in Python: 10,000 ballots take about 1 ms.
        every = _kind_counts(list(filter(None, map(_VOTE, latest.values()))))  # None: withdrawn
        others = (0, 0, 0)
        if not keys.binding.issuperset(latest):  # guests, non-binding members, recused members
            outside = filterfalse(keys.binding.__contains__, latest)
            others = _kind_counts(list(filter(None, (latest[key].vote for key in outside))))
        self.counts = [*(a - b for a, b in zip(every, others, strict=True)), *others]
        """Binding +1/0/-1, then non-binding +1/0/-1."""

    def _slot(self, ballot: Ballot | None, key: str) -> int | None:
        if ballot is None or ballot.vote is None:
            return None
        return (0 if key in self.keys.binding else 3) + _KIND[ballot.vote.counted]

    def replace(self, old: Ballot | None, new: Ballot, key: str) -> None:
        """`new` is now the latest ballot of voter `key`, in place of `old` (None if first)."""
        slot = self._slot(old, key)
        if slot is not None:
            self.counts[slot] -= 1
        slot = self._slot(new, key)
        if slot is not None:
            self.counts[slot] += 1

    def tally(self, rule: Rule, ballots: Sequence[Ballot]) -> Tally:
        """The tally now; `ballots` is the list `latest` was built from, as it is now."""
        c = self.counts
        binding = Counts(c[0], c[1], c[2])
        outstanding = len(self.keys.binding_order) - (c[0] + c[1] + c[2])
        return Tally(
            rule=rule,
            binding=binding,
            non_binding=Counts(c[3], c[4], c[5]),
            passes=rule.passes(binding),
            votes_needed=rule.votes_needed(binding),
            minus_absorbable=rule.minus_absorbable(binding),
            decided=decide(rule, binding, outstanding),
            not_voted_count=outstanding,
            _waiting_head=waiting_in(self.keys.binding_order, self.latest, min(outstanding, WAITING_HEAD)),
            _log=_BallotLog(ballots, len(ballots), self.keys),
        )
