from __future__ import annotations

from dataclasses import dataclass

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.factories import roster, session
from tvm_vote_tui.domain.rules import RULES, Counts, Tally, UnknownRuleError, decide, get_rule
from tvm_vote_tui.domain.votes import parse_vote


@dataclass
class Case:
    rule: str
    votes: list[tuple[str, str]]
    passes: bool
    needed: int | None
    absorbable: int
    binding: tuple[int, int, int]
    non_binding: tuple[int, int, int] = (0, 0, 0)
    members: int = 9
    recused: tuple[str, ...] = ()


def plus(*ids: int) -> list[tuple[str, str]]:
    return [(f"m{i}", "+1") for i in ids]


def minus(*ids: int) -> list[tuple[str, str]]:
    return [(f"m{i}", "-1") for i in ids]


CASES = {
    # lazy-two-thirds: >= 3 binding +1 and +1 >= 2 x -1
    "2/3 nothing yet": Case("lazy-two-thirds", [], False, 3, 0, (0, 0, 0)),
    "2/3 exactly three +1": Case("lazy-two-thirds", plus(0, 1, 2), True, 0, 1, (3, 0, 0)),
    "2/3 two +1 is short": Case("lazy-two-thirds", plus(0, 1), False, 1, 0, (2, 0, 0)),
    "2/3 4 +1 vs 2 -1 passes": Case("lazy-two-thirds", plus(0, 1, 2, 3) + minus(4, 5), True, 0, 0, (4, 0, 2)),
    "2/3 4 +1 vs 3 -1 fails": Case(
        "lazy-two-thirds", plus(0, 1, 2, 3) + minus(4, 5, 6), False, 2, 0, (4, 0, 3)
    ),
    "2/3 3 +1 vs 2 -1 fails": Case("lazy-two-thirds", plus(0, 1, 2) + minus(3, 4), False, 1, 0, (3, 0, 2)),
    "2/3 zeros do not help": Case(
        "lazy-two-thirds", plus(0, 1) + [("m2", "0"), ("m3", "-0"), ("m4", "+0")], False, 1, 0, (2, 3, 0)
    ),
    "2/3 fractions are abstentions": Case(
        "lazy-two-thirds", plus(0, 1, 2) + [("m3", "+0.5"), ("m4", "-0.9")], True, 0, 1, (3, 2, 0)
    ),
    "2/3 changed vote: latest counts": Case(
        "lazy-two-thirds", plus(0, 1, 2) + [("m2", "-1")], False, 1, 0, (2, 0, 1)
    ),
    "2/3 changed to +1 counts": Case(
        "lazy-two-thirds", minus(0) + plus(1, 2) + plus(0), True, 0, 1, (3, 0, 0)
    ),
    "2/3 non-binding -1 is not counted": Case(
        "lazy-two-thirds", plus(0, 1, 2) + [("c0", "-1"), ("someone", "-1")], True, 0, 1, (3, 0, 0), (0, 0, 2)
    ),
    "2/3 non-binding +1 does not reach 3": Case(
        "lazy-two-thirds", plus(0, 1) + [("c0", "+1"), ("guest", "+1")], False, 1, 0, (2, 0, 0), (2, 0, 0)
    ),
    "2/3 recused member's vote is non-binding": Case(
        "lazy-two-thirds", plus(0, 1, 2), False, 1, 0, (2, 0, 0), (1, 0, 0), recused=("m2",)
    ),
    # literal reading: >= 3 binding votes cast
    "literal 2 +1 and a 0 passes": Case(
        "lazy-two-thirds-literal", plus(0, 1) + [("m2", "0")], True, 0, 1, (2, 1, 0)
    ),
    "literal 1 +1 and two 0 passes (usual reading fails)": Case(
        "lazy-two-thirds-literal", plus(0) + [("m1", "0"), ("m2", "0")], True, 0, 0, (1, 2, 0)
    ),
    "literal 2 +1 and 1 -1 passes": Case(
        "lazy-two-thirds-literal", plus(0, 1) + minus(2), True, 0, 0, (2, 0, 1)
    ),
    "literal 2 +1 2 -1 fails": Case(
        "lazy-two-thirds-literal", plus(0, 1) + minus(2, 3), False, 2, 0, (2, 0, 2)
    ),
    "literal two zeros need one +1": Case(
        "lazy-two-thirds-literal", [("m0", "0"), ("m1", "0")], False, 1, 0, (0, 2, 0)
    ),
    # lazy majority: >= 3 binding +1 and more +1 than -1
    "majority exactly three +1": Case("lazy-majority", plus(0, 1, 2), True, 0, 2, (3, 0, 0)),
    "majority 3 +1 vs 3 -1 fails": Case(
        "lazy-majority", plus(0, 1, 2) + minus(3, 4, 5), False, 1, 0, (3, 0, 3)
    ),
    "majority 4 +1 vs 3 -1 passes": Case(
        "lazy-majority", plus(0, 1, 2, 3) + minus(4, 5, 6), True, 0, 0, (4, 0, 3)
    ),
    # consensus: >= 3 binding +1 and no binding -1 (veto)
    "consensus three +1": Case("consensus", plus(0, 1, 2), True, 0, 0, (3, 0, 0)),
    "consensus veto": Case("consensus", plus(0, 1, 2, 3) + minus(4), False, None, 0, (4, 0, 1)),
    "consensus non-binding -1 is no veto": Case(
        "consensus", plus(0, 1, 2) + [("guest", "-1")], True, 0, 0, (3, 0, 0), (0, 0, 1)
    ),
    # lazy consensus: passes unless a binding -1
    "lazy consensus silence passes": Case("lazy-consensus", [], True, 0, 0, (0, 0, 0)),
    "lazy consensus veto": Case("lazy-consensus", minus(0), False, None, 0, (0, 0, 1)),
    "lazy consensus withdrawn veto": Case("lazy-consensus", minus(0) + [("m0", "+0")], True, 0, 0, (0, 1, 0)),
}


@pytest.mark.parametrize("case", CASES.values(), ids=list(CASES))
def test_worked_examples(case: Case) -> None:
    members = roster(case.members, non_binding=1, recused=case.recused)
    result = session(case.votes, members=members, rule=case.rule).tally()
    assert (result.binding.plus, result.binding.zero, result.binding.minus) == case.binding
    assert (result.non_binding.plus, result.non_binding.zero, result.non_binding.minus) == case.non_binding
    assert result.passes is case.passes
    assert result.votes_needed == case.needed
    assert result.minus_absorbable == case.absorbable


def test_not_voted_lists_binding_members_only_and_skips_recused() -> None:
    members = roster(5, non_binding=2, recused=("m4",))
    result = session(plus(0) + [("m1", "0"), ("c0", "+1")], members=members).tally()
    assert result.not_voted == ("m2", "m3")


def test_withdrawn_vote_counts_as_not_voted() -> None:
    s = session(plus(0, 1, 2, 3))
    s.record("m3", None)
    result = s.tally()
    assert result.binding.plus == 3
    assert "m3" in result.not_voted
    assert len(s.history("m3")) == 2


def test_changed_vote_keeps_history() -> None:
    s = session(plus(0) + minus(0) + [("m0", "+0.5")])
    assert [b.vote.text for b in s.history("m0") if b.vote] == ["+1", "-1", "+0.5"]
    assert s.tally().binding == Counts(0, 1, 0)


def test_decided_when_the_rest_cannot_change_it() -> None:
    members = roster(5)
    # 4 +1, one member left: even a -1 keeps 4 >= 2 x 1.
    assert session(plus(0, 1, 2, 3), members=members).tally().decided
    # 3 +1, two left: two -1 would make 3 < 4.
    assert not session(plus(0, 1, 2), members=members).tally().decided
    # 3 -1 of 5: even two more +1 cannot reach twice the -1s.
    result = session(minus(0, 1, 2), members=members).tally()
    assert not result.passes and result.decided
    # Everybody voted: decided either way.
    assert session(plus(0, 1) + minus(2, 3, 4), members=members).tally().decided


def test_tally_lists_voters_by_what_they_count_as() -> None:
    s = session(plus(0, 1) + minus(2) + [("guest", "+0.5")])
    result = s.tally()
    from tvm_vote_tui.domain.votes import Counted

    assert [b.voter for b in result.voters(Counted.PLUS)] == ["m0", "m1"]
    assert [b.name for b in result.voters(Counted.MINUS, binding=True)] == ["Member 2"]
    assert [b.vote.text for b in result.voters(Counted.ZERO, binding=False)] == ["+0.5"]


def test_unknown_rule_lists_the_known_ones() -> None:
    with pytest.raises(UnknownRuleError, match="lazy-two-thirds"):
        get_rule("simple-majority")


def test_every_rule_has_description_and_bylaw() -> None:
    for rule in RULES.values():
        assert rule.description and rule.bylaw and rule.title


# --- properties -------------------------------------------------------------------------

counts = st.builds(Counts, st.integers(0, 40), st.integers(0, 40), st.integers(0, 40))
rules = st.sampled_from(sorted(RULES))

BRUTE = {
    "lazy-two-thirds": lambda p, z, m: p >= 3 and 3 * p >= 2 * (p + m),
    "lazy-two-thirds-literal": lambda p, z, m: p + z + m >= 3 and p >= 2 * m,
    "lazy-majority": lambda p, z, m: p >= 3 and p > m,
    "consensus": lambda p, z, m: p >= 3 and m == 0,
    "lazy-consensus": lambda p, z, m: m == 0,
}


@given(rules, counts)
def test_extra_plus_never_turns_pass_into_fail(name: str, c: Counts) -> None:
    rule = RULES[name]
    if rule.passes(c):
        assert rule.passes(Counts(c.plus + 1, c.zero, c.minus))


@given(rules, counts)
def test_extra_minus_never_turns_fail_into_pass(name: str, c: Counts) -> None:
    """Except under the literal reading, where any vote cast, a -1 too, counts toward the 3 votes:
    2 +1 and then a -1 pass it (3 cast, 2 >= 2 x 1), as the bylaws read literally say."""
    rule = RULES[name]
    if not rule.passes(c) and rule.passes(Counts(c.plus, c.zero, c.minus + 1)):
        assert name == "lazy-two-thirds-literal" and c.cast == 2


@given(rules, counts)
def test_rule_equals_brute_force_statement(name: str, c: Counts) -> None:
    assert RULES[name].passes(c) is BRUTE[name](c.plus, c.zero, c.minus)


@given(rules, counts)
def test_votes_needed_is_the_least_number_of_plus_that_passes(name: str, c: Counts) -> None:
    brute = BRUTE[name]
    needed = RULES[name].votes_needed(c)
    search = next((k for k in range(0, 200) if brute(c.plus + k, c.zero, c.minus)), None)
    assert needed == search


@given(rules, counts)
def test_minus_absorbable_is_the_most_minus_that_still_passes(name: str, c: Counts) -> None:
    brute = BRUTE[name]
    absorbable = RULES[name].minus_absorbable(c)
    if not brute(c.plus, c.zero, c.minus):
        assert absorbable == 0
        return
    search = max(k for k in range(0, 200) if brute(c.plus, c.zero, c.minus + k))
    assert absorbable == search


@given(rules, counts, st.integers(0, 6))
def test_decided_matches_every_way_the_rest_could_vote(name: str, c: Counts, outstanding: int) -> None:
    brute = BRUTE[name]
    now = brute(c.plus, c.zero, c.minus)
    outcomes = {
        brute(c.plus + p, c.zero + z, c.minus + (k - p - z))
        for k in range(outstanding + 1)  # some may not vote at all
        for p in range(k + 1)
        for z in range(k - p + 1)
    }
    assert decide(RULES[name], c, outstanding) is (outcomes == {now})


@given(
    st.lists(
        st.tuples(
            st.sampled_from([f"m{i}" for i in range(7)] + ["guest"]),
            st.sampled_from(["+1", "0", "-1", "+0.5", "-0"]),
        ),
        max_size=30,
    )
)
def test_tally_counts_latest_vote_of_each_voter(ballots: list[tuple[str, str]]) -> None:
    s = session(ballots, members=roster(7))
    result = s.tally()
    latest = dict(ballots)
    binding = [parse_vote(v).counted.value for voter, v in latest.items() if voter != "guest"]
    assert result.binding.as_dict() == {k: binding.count(k) for k in ("plus", "zero", "minus")}
    assert result.binding.cast + result.non_binding.cast == len(latest)
    assert set(result.not_voted) == {f"m{i}" for i in range(7)} - set(latest)


@pytest.mark.parametrize(
    ("rule", "counts", "target"),
    [
        ("lazy-two-thirds", Counts(0, 0, 0), 3),
        ("lazy-two-thirds", Counts(5, 0, 1), 3),
        ("lazy-two-thirds", Counts(5, 0, 2), 4),
        ("lazy-two-thirds", Counts(1, 0, 3), 6),
        ("lazy-majority", Counts(1, 0, 4), 5),
        ("lazy-two-thirds-literal", Counts(0, 2, 0), 1),
        ("consensus", Counts(2, 0, 1), 2),
    ],
)
def test_plus_target_is_three_or_twice_the_minus(rule: str, counts: Counts, target: int) -> None:
    assert RULES[rule].plus_target(counts) == target


VOTERS = [f"m{i}" for i in range(6)] + ["M1", "m9", "guest", "Guest"]
"""Roster ids, one written otherwise, a guest who may join the roster (m9), a guest in two spellings."""

ops = st.lists(
    st.one_of(
        st.tuples(
            st.just("vote"), st.sampled_from(VOTERS), st.sampled_from(["+1", "0", "-1", "+0.5", "withdraw"])
        ),
        st.tuples(st.just("binding"), st.sampled_from([f"m{i}" for i in range(6)]), st.just("")),
        st.tuples(st.just("recuse"), st.sampled_from([f"m{i}" for i in range(6)]), st.just("")),
        st.tuples(st.just("undo"), st.just(""), st.just("")),
        st.tuples(st.just("add"), st.just("m9"), st.just("")),
        st.tuples(st.just("remove"), st.sampled_from(["m0", "m5", "m9"]), st.just("")),
    ),
    max_size=40,
)


# The ASF rules, written out as a person counting on paper would apply them: (+1, 0, -1) binding.
PASSES = {
    "lazy-two-thirds": lambda p, z, m: p >= 3 and p >= 2 * m,
    "lazy-two-thirds-literal": lambda p, z, m: p + z + m >= 3 and p >= 2 * m,
    "lazy-majority": lambda p, z, m: p >= 3 and p > m,
    "consensus": lambda p, z, m: p >= 3 and m == 0,
    "lazy-consensus": lambda p, z, m: m == 0,
}


@dataclass
class Paper:
    """The roster and the ballots as the property test changes them, kept apart from the app."""

    roster: list[list[object]]
    """[id, binding, recused] in roster order."""
    ballots: list[tuple[str, str | None]]
    """(voter as typed, vote as typed or None for a withdrawal), in the order recorded."""

    def count(self, rule: str) -> dict[str, object]:
        """Who counts and what the rule makes of it, by plain loops that share no code with the
        app: each voter's latest ballot (ids compared ignoring case), binding when on the roster,
        binding and not recused; +1 and -1 count as such, anything else as 0."""
        ids = {str(member_id).casefold(): str(member_id) for member_id, _, _ in self.roster}
        latest: dict[str, str | None] = {}
        for voter, vote in self.ballots:
            latest[ids.get(voter.casefold(), "guest " + voter.casefold())] = vote
        binding_ids = [str(i) for i, binding, recused in self.roster if binding and not recused]
        counts = {True: [0, 0, 0], False: [0, 0, 0]}
        current = []
        for key, vote in latest.items():
            if vote is None:
                continue
            slot = 0 if vote == "+1" else 2 if vote == "-1" else 1
            counts[key in binding_ids][slot] += 1
            current.append((key.removeprefix("guest ").casefold(), vote, key in binding_ids))
        p, z, m = counts[True]
        passes = PASSES[rule]
        out = [i for i in binding_ids if latest.get(i) is None]
        needed = next((k for k in range(0, 2 * m + 10) if passes(p + k, z, m)), None)
        absorbable = 0
        while passes(p, z, m) and passes(p, z, m + absorbable + 1) and absorbable <= p:
            absorbable += 1
        # Decided: no way the members who have not voted could vote (or not) changes the outcome.
        outcomes = {
            passes(p + a, z + b, m + c)
            for a in range(len(out) + 1)
            for b in range(len(out) + 1 - a)
            for c in range(len(out) + 1 - a - b)
        }
        return {
            "binding": (p, z, m),
            "non_binding": tuple(counts[False]),
            "passes": passes(p, z, m),
            "votes_needed": needed,
            "minus_absorbable": absorbable,
            "decided": len(outcomes) == 1,
            "not_voted": tuple(out),
            "current": current,
        }


def app_count(result: Tally) -> dict[str, object]:
    b, n = result.binding, result.non_binding
    return {
        "binding": (b.plus, b.zero, b.minus),
        "non_binding": (n.plus, n.zero, n.minus),
        "passes": result.passes,
        "votes_needed": result.votes_needed,
        "minus_absorbable": result.minus_absorbable,
        "decided": result.decided,
        "not_voted": result.not_voted,
        "current": [(c.voter.casefold(), c.vote.text, c.binding) for c in result.current],
    }


@given(ops)
def test_live_tally_always_equals_a_fresh_count_and_a_count_on_paper(
    steps: list[tuple[str, str, str]],
) -> None:
    """After any sequence of votes (ids written otherwise, guests, withdrawals), roster edits,
    recusals and undos: the live tally equals a count from scratch, and both equal an
    independent count of the same ballots under every rule."""
    from tvm_vote_tui.domain.errors import ChangeRefused
    from tvm_vote_tui.domain.model import Member
    from tvm_vote_tui.domain.rules import tally

    s = session(members=roster(6))
    paper = Paper([[f"m{i}", True, False] for i in range(6)], [])
    for op, who, value in steps:
        on_paper = next((m for m in paper.roster if m[0] == who), None)
        if op == "vote":
            vote = None if value == "withdraw" else value
            s.record(who, None if vote is None else parse_vote(vote))
            paper.ballots.append((who, vote))
        elif op in ("binding", "recuse") and on_paper is not None:
            member = s.member(who)
            assert member is not None
            if op == "binding":
                s.set_binding(who, not member.binding)
                on_paper[1] = not on_paper[1]
            else:
                s.set_recused(who, not member.recused)
                on_paper[2] = not on_paper[2]
        elif op == "undo" and s.ballots:
            s.undo([s.ballots[-1]])
            paper.ballots.pop()
        elif op == "add" and on_paper is None:
            s.add_member(Member("m9", "Nine"))
            paper.roster.append(["m9", True, False])
        elif op == "remove" and on_paper is not None:
            s.remove_member(who)
            paper.roster.remove(on_paper)
        elif op == "remove":
            with pytest.raises(ChangeRefused):
                s.remove_member(who)
        live, fresh = s.tally(), tally(s.ballots, s.roster, s.rule)
        assert (live.binding, live.non_binding, live.not_voted, live.decided, live.passes) == (
            fresh.binding,
            fresh.non_binding,
            fresh.not_voted,
            fresh.decided,
            fresh.passes,
        )
        assert live.current == fresh.current
        for name, rule in RULES.items():
            assert app_count(s.tally(rule)) == paper.count(name), name


def test_a_release_vote_never_takes_a_veto_rule() -> None:
    from tvm_vote_tui.domain.errors import ChangeRefused
    from tvm_vote_tui.domain.model import Kind

    s = session(rule="consensus")
    s.set_kind(Kind.RELEASE)  # a veto rule does not follow the vote into a release
    assert s.proposal.rule == "lazy-majority"
    assert "rule: 'consensus' -> 'lazy-majority'" in s.log[-1].detail
    with pytest.raises(ChangeRefused, match="cannot be vetoed"):
        s.set_rule("lazy-consensus")
    assert s.proposal.rule == "lazy-majority"


def test_a_tally_keeps_what_it_counted_when_more_ballots_come() -> None:
    s = session([("m0", "+1"), ("m1", "-1")], members=roster(40))
    before = s.tally()
    s.record("m2", parse_vote("+1"))
    s.record("M0", parse_vote("-1"))  # the same voter as m0, written otherwise
    s.undo([s.ballots[-1]])
    s.record("guest", parse_vote("+1"))
    assert [(b.voter, b.vote.text) for b in before.current] == [("m0", "+1"), ("m1", "-1")]
    assert before.not_voted == tuple(f"m{i}" for i in range(2, 40))
    assert before.waiting(3) == ("m2", "m3", "m4") and before.not_voted_count == 38
    after = s.tally()
    assert [(b.voter, b.vote.text) for b in after.current] == [
        ("m0", "+1"),
        ("m1", "-1"),
        ("m2", "+1"),
        ("guest", "+1"),
    ]
    assert after.not_voted[:2] == ("m3", "m4") and len(after.not_voted) == after.not_voted_count == 37


def test_waiting_lists_beyond_the_first_ones_kept_at_hand() -> None:
    from tvm_vote_tui.domain.rules import WAITING_HEAD

    s = session([("m1", "+1")], members=roster(WAITING_HEAD + 20))
    result = s.tally()
    expected = tuple(f"m{i}" for i in range(WAITING_HEAD + 20) if i != 1)
    assert result.waiting(WAITING_HEAD + 5) == expected[: WAITING_HEAD + 5]
    assert result.not_voted == expected


def test_count_change_names_every_count_that_moves() -> None:
    from tests.factories import session
    from tvm_vote_tui.domain.rules import count_change

    s = session([("m0", "+1"), ("m1", "+1"), ("m2", "+1"), ("m3", "-1")])
    assert s.flag_effect("m3", "binding", False) == "binding -1 1 → 0, non-binding -1 0 → 1"
    assert s.flag_effect("m4", "recused", True) == "binding members not voted 1 → 0"
    assert s.flag_effect("m0", "binding", False).endswith("; PASSING → FAILING")
    assert count_change(s.tally(), s.tally()) == "the count does not change"


def test_a_roster_change_says_what_it_does_to_the_count_and_whether_it_moves_a_vote() -> None:
    from tests.factories import session
    from tvm_vote_tui.domain.roster import Member, roster_adding, roster_without

    s = session([("m0", "+1"), ("m1", "+1"), ("m2", "+1"), ("dave", "-1")])
    assert s.roster_effect(roster_without(s.roster, "m0")) == (
        "binding +1 3 → 2, non-binding +1 0 → 1; PASSING → FAILING",
        True,
    )
    # the guest 'dave' becomes a member: his -1 counts as binding
    assert s.roster_effect(roster_adding(s.roster, Member("dave", "Dave Diaz"))) == (
        "binding -1 0 → 1, non-binding -1 1 → 0",
        True,
    )
    assert s.roster_effect(roster_without(s.roster, "m4")) == ("binding members not voted 2 → 1", False)


def test_a_roster_change_is_taken_back_only_while_the_roster_is_as_it_left_it() -> None:
    import pytest

    from tests.factories import session
    from tvm_vote_tui.domain.errors import ChangeRefused

    s = session([("m0", "+1")])
    before = s.roster
    s.remove_member("m0")
    after = s.roster
    s.set_binding("m1", False)
    with pytest.raises(ChangeRefused, match="changed since"):
        s.undo_roster(before, after, "removed Member 0 (m0)")
    s.set_binding("m1", True)  # back as the removal left it (a flag undone)
    s.undo_roster(before, after, "removed Member 0 (m0)")
    assert s.roster == before
    assert (s.log[-1].action, s.log[-1].detail) == ("undo", "took back: removed Member 0 (m0)")


def test_a_rule_change_says_what_it_does_to_the_outcome_and_names_a_veto_without_justification() -> None:
    from tests.factories import session
    from tvm_vote_tui.domain.roster import Member

    s = session([("m0", "+1"), ("m1", "+1"), ("m2", "+1"), ("m4", "+1"), ("m3", "-1")])
    s.add_member(Member("frank", "Frank Fischer"))
    s.record("frank", parse_vote("-1"), justification="breaks the build")
    assert s.rule_effect("consensus") == (
        "PASSING → VETOED: the -1s of Member 3 and Frank Fischer become vetoes (no justification "
        "recorded for Member 3: a veto is not valid without one; enter on their row on F4 adds it)"
    )
    assert s.rule_effect("lazy-majority") == "still PASSING"
    s.set_rule("consensus")
    assert s.unjustified_vetoes() == ["Member 3"]
    assert s.rule_effect("lazy-two-thirds") == (
        "VETOED → PASSING: the vetoes of Member 3 and Frank Fischer become plain -1s"
    )
