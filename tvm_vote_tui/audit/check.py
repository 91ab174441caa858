"""Check a published result: against itself, against its vote thread (and the dev@ thread), and
against a roster. Every finding names the people and the numbers; what cannot be read or matched
is said, never guessed. Pure: the result and threads come in as text and posts."""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

import pendulum
from pendulum import DateTime

from tvm_vote_tui.audit.findings import Report
from tvm_vote_tui.domain.addresses import address_key
from tvm_vote_tui.domain.model import Kind, Member, Proposal, Session
from tvm_vote_tui.domain.rules import Counts, get_rule
from tvm_vote_tui.domain.text import fold, one_line
from tvm_vote_tui.domain.times import format_utc
from tvm_vote_tui.domain.votes import Counted
from tvm_vote_tui.votethread.posts import Post, parse_date
from tvm_vote_tui.votethread.proposals import Proposed, propose_posts
from tvm_vote_tui.votethread.result_text import LABELS, VALUES, ListedVoter, ResultText, value_of

MISSPELT = 0.8
"""How alike two folded names must be to be one person written two ways (difflib's ratio)."""

_KIND_WORDS = (
    (Kind.RELEASE, re.compile(r"\brelease\b|\brc\s?\d\b|\bv?\d+\.\d+(?:\.\d+)?\b", re.I)),
    (Kind.NEW_CODEBASE, re.compile(r"\bcodebase\b|\bsub-?project\b", re.I)),
    (Kind.NEW_MODULE, re.compile(r"\bmodule\b", re.I)),
    (Kind.STRATEGY, re.compile(r"\bstrategy\b|\broadmap\b|\btransition\b", re.I)),
    (Kind.PROCEDURAL, re.compile(r"\bcommitter\b|\bPMC\b|\bbylaws?\b|\bprocess\b", re.I)),
)
_WINDOW = re.compile(r"\bopen from (?P<start>.+?) to (?P<end>\d{4}-\d\d-\d\d \d\d:\d\d(?: UTC)?)", re.I)


@dataclass
class ThreadBallot:
    """One author's latest ballot in a thread, with who they are as the thread shows them."""

    proposed: Proposed
    post: Post
    venue: str
    """'thread' (the vote issue or thread given) or 'list' (the dev@ thread)."""
    candidate: str = ""
    """The release candidate the ballot was cast for, when the thread tells ('rc0')."""

    @property
    def who(self) -> str:
        return self.proposed.short_author or self.proposed.author

    @property
    def value(self) -> Counted | None:
        vote = self.proposed.vote
        return None if vote is None else vote.counted

    def as_json(self) -> dict[str, object]:
        p = self.proposed
        return {
            "venue": self.venue,
            "author": p.author,
            "vote": p.vote.text if p.vote else None,
            "date": p.date.isoformat() if p.date else None,
            "line": p.line,
            **({"candidate": self.candidate} if self.candidate else {}),
            **({"doubts": p.reasons} if p.reasons else {}),
        }


@dataclass
class Identity:
    """Who a listed voter or a thread author is, as far as can be told."""

    key: str
    """'member:ID' through the roster, else 'handle:x', 'name:x' or 'email:x'."""
    shown: str
    member: Member | None = None
    how: str = ""
    doubt: str = ""


def guess_kind(text: str) -> Kind:
    for kind, words in _KIND_WORDS:
        if words.search(text):
            return kind
    return Kind.OTHER


def thread_session(
    posts: Sequence[Post], roster: Sequence[Member], result: ResultText, result_at: DateTime | None
) -> Session:
    """A stand-in session for reading the thread as `import-thread` does: its roster, and a window
    from the thread's opening to the close the result states (else the result's own time)."""
    dated = [p.date for p in posts if p.date is not None]
    opening = next((p.date for p in posts if p.opening and p.date is not None), None)
    opens_at = opening or (min(dated) if dated else pendulum.datetime(1970, 1, 1))
    closes_at = stated_close(result) or result_at or (max(dated) if dated else opens_at)
    if closes_at <= opens_at:
        closes_at = opens_at.add(seconds=1)
    kind = guess_kind(result.subject)
    proposal = Proposal(
        title=result.subject or "vote",
        kind=kind,
        rule=result.rule or kind.default_rule,
        opens_at=opens_at,
        closes_at=closes_at,
    )
    return Session(proposal, roster)


def stated_close(result: ResultText) -> DateTime | None:
    """The close the result states ('open from ... to 2026-12-01 17:00 UTC'), if any."""
    found = _WINDOW.search(result.window_text) if result.window_text else None
    return parse_date(found.group("end").removesuffix(" UTC")) if found else None


def thread_ballots(
    posts: Sequence[Post], session: Session, at: DateTime, venue: str, candidate: str = ""
) -> list[ThreadBallot]:
    """Each author's latest ballot, read with the same rules as `import-thread`."""
    report = propose_posts(posts, session, at)
    by_index = {(p.key, p.index): p for p in posts}
    switch = _candidate_switch(posts, candidate)
    ballots = []
    for proposed in report.proposed:
        if proposed.vote is None:
            continue
        post = by_index[(proposed.post_key, proposed.message)]
        ballots.append(ThreadBallot(proposed, post, venue, _candidate_of(post, proposed, switch)))
    return ballots


_RC = re.compile(r"\brc\s?(\d{1,2})\b", re.IGNORECASE)


def _candidate_switch(posts: Sequence[Post], candidate: str) -> tuple[int, str] | None:
    """(index of the post that called a new candidate, the candidate before it): a thread that held
    rc0 and then rc1 ("rc1 is out, please vote again")."""
    if not candidate:
        return None
    opening = next((p for p in posts if p.opening), None)
    before = _RC.findall(" ".join(opening.lines) + " " + opening.subject) if opening else []
    first = f"rc{before[0]}" if before else ""
    if not first or first == candidate:
        return None
    for post in posts:
        if post.opening:
            continue
        if f"rc{candidate[2:]}" in {f"rc{n}" for n in _RC.findall(" ".join(post.lines))}:
            return post.index, first
    return None


def _candidate_of(post: Post, proposed: Proposed, switch: tuple[int, str] | None) -> str:
    named = _RC.findall(proposed.line)
    if named:
        return f"rc{named[-1]}"
    if switch is not None and post.index < switch[0]:
        return switch[1]
    return ""


# -- who is who ----------------------------------------------------------------------------------


def identify_listed(voter: ListedVoter, roster: Sequence[Member]) -> Identity:
    shown = voter.shown
    if roster:
        member, how, doubt = _member_for(
            roster, voter.handle, voter.name, voter.email, first=voter.first_name_only
        )
        if member is not None:
            return Identity(f"member:{member.id}", shown, member, how, doubt)
        if doubt:
            return Identity(f"unknown:{fold(shown)}", shown, None, "", doubt)
    if voter.handle:
        return Identity(f"handle:{fold(voter.handle)}", shown)
    if voter.email:
        return Identity(f"email:{address_key(voter.email) or voter.email}", shown)
    return Identity(f"name:{fold(voter.name)}", shown)


def identify_author(ballot: ThreadBallot, roster: Sequence[Member]) -> Identity:
    post = ballot.post
    if roster:
        member, how, _ = _member_for(roster, post.handle, post.name, post.email, first=False)
        if member is not None:
            return Identity(f"member:{member.id}", ballot.who, member, how)
    if post.handle:
        return Identity(f"handle:{fold(post.handle)}", ballot.who)
    if post.email:
        return Identity(f"email:{address_key(post.email) or post.email}", ballot.who)
    return Identity(f"name:{fold(post.name)}", ballot.who)


def _member_for(
    roster: Sequence[Member], handle: str, name: str, email: str, *, first: bool
) -> tuple[Member | None, str, str]:
    handle, name, address = fold(handle.lstrip("@")), fold(name), address_key(email) if email else None
    checks = (
        ("GitHub handle", handle, lambda m: {fold(m.github), fold(m.id)}),
        # Compared exactly, never folded: olu@apáche.org is someone else's domain (as thread import).
        ("e-mail", address, lambda m: {address_key(a) for a in m.addresses}),
        ("name", name, lambda m: {fold(m.name), fold(m.id), fold(m.github)}),
    )
    for how, key, keys in checks:
        if key:
            found = [m for m in roster if key in keys(m) - {"", None}]
            if len(found) == 1:
                return found[0], how, ""
    if first and name:
        found = [m for m in roster if fold(m.name).split(" ")[:1] == [name]]
        if len(found) == 1:
            return found[0], "first name", ""
        if len(found) > 1:
            names = ", ".join(one_line(m.name) for m in found)
            return None, "", f"the first name {one_line(name)!r} fits several members ({names})"
    return None, "", ""


def _close_spelling(text: str, candidates: dict[str, str]) -> str | None:
    """The candidate key whose name is `text` misspelt, when exactly one is close."""
    folded = fold(text)
    if not folded:
        return None
    close = [
        key
        for key, name in candidates.items()
        if name and difflib.SequenceMatcher(None, folded, fold(name)).ratio() >= MISSPELT
    ]
    return close[0] if len(close) == 1 else None


# -- the checks ----------------------------------------------------------------------------------


@dataclass
class Audit:
    result: ResultText
    thread: list[ThreadBallot] | None = None
    mail: list[ThreadBallot] | None = None
    roster: Sequence[Member] = ()
    report: Report = field(default_factory=Report)

    def run(self) -> Report:
        self.check_self()
        if self.roster:
            self.check_roster()
        if self.thread is not None or self.mail is not None:
            self.check_thread()
        else:
            self.report.note("no thread given or found: only the result's own consistency was checked")
        return self.report

    # -- the result against itself -------------------------------------------------------------

    def check_self(self) -> None:
        r, report = self.result, self.report
        for line, text in r.unreadable:
            report.add(
                "unreadable", f"line {line} of the result cannot be read as a voter: {text!r}", line=line
            )
        if not r.counts and not r.listed:
            report.add("unreadable", "the result states no counts and lists no voters that can be read")
            return
        marked = any(v.binding is not None for v in r.voters)
        for value in VALUES:
            label = LABELS[value]
            listed = r.voters_of(value)
            unreadable = sum(1 for n, _ in r.unreadable if r.roles.get(n) == f"list {label}")
            binding = sum(1 for v in listed if v.binding)
            for stated in r.counts_of(value):
                where = f"line {stated.line}"
                if value not in r.listed and not listed:
                    if (stated.total or 0) > 0 and value not in r.empty:
                        report.add(
                            "count",
                            f"{where} says {stated.described()}, but the result lists no {label} voters",
                            value=label,
                            stated=stated.total,
                            listed=0,
                        )
                    continue
                if unreadable:
                    continue  # said once, with the line that cannot be read
                if stated.total is not None and stated.total != len(listed):
                    report.add(
                        "count",
                        f"{where} says {stated.total} {label}, but the result lists {len(listed)} "
                        f"names under {label}: {_names(listed)}",
                        value=label,
                        stated=stated.total,
                        listed=len(listed),
                    )
                if stated.binding is not None and marked and stated.binding != binding:
                    report.add(
                        "binding-count",
                        f"{where} says {stated.binding} binding {label}, but {binding} of the names under "
                        f"{label} are marked binding: {_names([v for v in listed if v.binding]) or 'none'}",
                        value=label,
                        stated=stated.binding,
                        listed=binding,
                    )
                if stated.non_binding is not None and marked and stated.non_binding != len(listed) - binding:
                    report.add(
                        "binding-count",
                        f"{where} says {stated.non_binding} non-binding {label}, but {len(listed) - binding} "
                        f"of the names under {label} are not marked binding",
                        value=label,
                        stated=stated.non_binding,
                        listed=len(listed) - binding,
                    )
            if value in r.empty and listed:
                report.add(
                    "count",
                    f"the result says there were no {label} votes, but lists {_names(listed)} under {label}",
                    value=label,
                )
        if r.voters and not marked:
            if self.roster:
                self._binding_through_roster()
            else:
                report.note(
                    "the result marks no one as binding: its binding counts are checked only with --roster"
                )
        self._check_twice()
        self._check_outcome(marked)

    def _binding_through_roster(self) -> None:
        """A result that marks no one: its stated binding counts against who the roster makes binding."""
        for value in VALUES:
            listed = self.result.voters_of(value)
            members = [identify_listed(v, self.roster).member for v in listed]
            binding = sum(1 for m in members if m is not None and m.binding and not m.recused)
            for stated in self.result.counts_of(value):
                if stated.binding is not None and stated.binding != binding:
                    label = LABELS[value]
                    self.report.add(
                        "binding-count",
                        f"line {stated.line} says {stated.binding} binding {label}, but {binding} of the "
                        f"names under {label} are binding on the roster",
                        value=label,
                        stated=stated.binding,
                        listed=binding,
                    )

    def _check_twice(self) -> None:
        seen: dict[str, ListedVoter] = {}
        for voter in self.result.voters:
            identity = identify_listed(voter, self.roster)
            if identity.key in seen:
                first = seen[identity.key]
                self.report.add(
                    "listed-twice",
                    f"{voter.shown} is listed twice: under {LABELS[first.value]} (line {first.line}) and "
                    f"under {LABELS[voter.value]} (line {voter.line})",
                    voter=voter.written,
                )
            seen[identity.key] = voter

    def binding_counts(self, marked: bool) -> tuple[Counts | None, str]:
        """The binding counts the outcome is judged on: the names marked binding, else the stated."""
        r = self.result
        if marked:
            plus, zero, minus = (sum(1 for v in r.voters_of(x) if v.binding) for x in VALUES)
            return Counts(plus, zero, minus), "the names marked binding"
        stated = {}
        for value in VALUES:
            found = [c.binding for c in r.counts_of(value) if c.binding is not None]
            if found:
                stated[value] = found[0]
            elif value in r.empty:
                stated[value] = 0
        if Counted.PLUS not in stated:
            return None, ""
        return (
            Counts(stated.get(Counted.PLUS, 0), stated.get(Counted.ZERO, 0), stated.get(Counted.MINUS, 0)),
            "the binding counts it states",
        )

    def _check_outcome(self, marked: bool) -> None:
        r = self.result
        if r.outcome is None:
            self.report.note("the result does not say whether the vote passed")
            return
        counts, basis = self.binding_counts(marked)
        if counts is None:
            self.report.note("the result gives no binding counts: its outcome cannot be checked")
            return
        kind = guess_kind(r.subject)
        rule = get_rule(r.rule or kind.default_rule)
        why = (
            "as the result states" if r.rule else f"the rule for a {kind.label.lower()} vote (it states none)"
        )
        passes = rule.passes(counts)
        if passes != (r.outcome == "passed"):
            self.report.add(
                "outcome",
                f"the result says the vote {r.outcome}, but {basis} (+1: {counts.plus}, 0: {counts.zero}, "
                f"-1: {counts.minus}) {'pass' if passes else 'do not pass'} under {rule.name} ({why}): "
                f"{rule.description}",
                stated=r.outcome,
                rule=rule.name,
            )

    # -- the result against the roster ---------------------------------------------------------

    def check_roster(self) -> None:
        marked = any(v.binding is not None for v in self.result.voters)
        for voter in self.result.voters:
            identity = identify_listed(voter, self.roster)
            member = identity.member
            if identity.doubt:
                self.report.add(
                    "unmatched", f"{voter.shown} (line {voter.line}): {identity.doubt}", line=voter.line
                )
                continue
            if member is None:
                if voter.binding:
                    self.report.add(
                        "binding-mark",
                        f"{voter.shown} (line {voter.line}) is marked binding but is not on the roster",
                        line=voter.line,
                    )
                continue
            binding = member.binding and not member.recused
            if voter.binding is True and not binding:
                why = "recused" if member.recused else "not binding"
                self.report.add(
                    "binding-mark",
                    f"{voter.shown} (line {voter.line}) is marked binding, but the roster has "
                    f"{one_line(member.name)} ({one_line(member.id)}) as {why}",
                    line=voter.line,
                )
            elif binding and (voter.binding is False or (marked and voter.binding is None)):
                self.report.add(
                    "binding-mark",
                    f"{voter.shown} (line {voter.line}) is not marked binding, but the roster has "
                    f"{one_line(member.name)} ({one_line(member.id)}) as binding",
                    line=voter.line,
                )

    # -- the result against the thread -----------------------------------------------------------

    def check_thread(self) -> None:
        listed = [(v, identify_listed(v, self.roster)) for v in self.result.voters]
        found: set[int] = set()
        by_list_matched: set[int] = set()
        mail_only: list[str] = []
        for source in (self.thread or [], self.mail or []):
            keyed = [(b, identify_author(b, self.roster)) for b in source]
            for i, (voter, identity) in enumerate(listed):
                if i in found:
                    continue
                match = next((b for b, who in keyed if who.key == identity.key), None)
                spelt = None
                if match is None:
                    names = {str(k): _author_name(b) for k, (b, _) in enumerate(keyed)}
                    close = _close_spelling(voter.name or voter.handle, names)
                    if close is not None:
                        match = keyed[int(close)][0]
                        if fold(_author_name(match)) != fold(voter.name or voter.handle):
                            spelt = _author_name(match)
                if match is None:
                    continue
                found.add(i)
                if spelt is not None:
                    self.report.add(
                        "misspelt",
                        f"{voter.shown} (line {voter.line}) is written {voter.name or voter.handle!r}; "
                        f"the {_venue(match)} has {spelt!r}",
                        line=voter.line,
                    )
                if match.venue == "list":
                    by_list_matched.add(i)
                    mail_only.append(voter.shown)
                self._compare(voter, match)
        for i, (voter, identity) in enumerate(listed):
            if i in found:
                continue
            if identity.doubt:
                continue  # said by the roster check
            if (
                self.thread is not None
                and not self.roster
                and not voter.handle
                and any(not identify_author(b, ()).key.startswith("name:") for b in self.thread)
            ):
                self.report.add(
                    "unmatched",
                    f"{voter.shown} (line {voter.line}): the result gives no GitHub handle and no roster "
                    "was given, so who this is in the thread cannot be told (give --roster)",
                    line=voter.line,
                )
                continue
            where = "the thread" if self.mail is None else "the thread or on the list"
            maybe = "" if self.mail is not None else " (a vote by mail? give --list to check)"
            self.report.add(
                "no-ballot",
                f"{voter.shown} is listed under {LABELS[voter.value]} (line {voter.line}) but has no ballot "
                f"in {where}{maybe}",
                line=voter.line,
            )
        if mail_only and not self.result.says_mail:
            self.report.add(
                "mail-unsaid",
                f"{len(mail_only)} of the voters listed voted only on the mailing list "
                f"({', '.join(mail_only)}), and the result does not say that some votes came by mail",
            )
        elif self.mail is None and self.thread is not None and not self.result.says_mail:
            missing = [
                v
                for i, (v, idn) in enumerate(listed)
                if i not in found and not idn.doubt and (v.handle or self.roster)
            ]
            if missing:
                self.report.note(
                    f"{len(missing)} listed voters have no ballot in the thread and the result does not say "
                    "any vote came by mail"
                )
        self._missing_from_result(listed)

    def _compare(self, voter: ListedVoter, ballot: ThreadBallot) -> None:
        p = ballot.proposed
        if ballot.value is not voter.value:
            self.report.add(
                "value",
                f"{voter.shown} is listed under {LABELS[voter.value]} (line {voter.line}), but their latest "
                f"ballot in the {_venue(ballot)} is {p.vote.text if p.vote else 'none'}: {p.line!r}",
                line=voter.line,
            )
        late = [r for r in p.reasons if r.startswith(("cast after the vote closed", "cast after the result"))]
        for reason in late:
            self.report.add(
                "late",
                f"{voter.shown} (line {voter.line}) is counted, but their ballot in the {_venue(ballot)} "
                f"was {reason}",
                line=voter.line,
            )
        candidate = self.result.candidate
        if candidate and ballot.candidate and ballot.candidate != candidate:
            self.report.add(
                "candidate",
                f"{voter.shown} (line {voter.line}) is counted for {candidate}, but their ballot in the "
                f"{_venue(ballot)} was for {ballot.candidate}: {p.line!r}",
                line=voter.line,
            )

    def _missing_from_result(self, listed: list[tuple[ListedVoter, Identity]]) -> None:
        keys = {identity.key for _, identity in listed}
        names = {str(i): (v.name or v.handle) for i, (v, _) in enumerate(listed)}
        for source in (self.thread or [], self.mail or []):
            for ballot in source:
                identity = identify_author(ballot, self.roster)
                if identity.key in keys:
                    continue
                if _close_spelling(_author_name(ballot), names) is not None:
                    continue  # listed under a misspelt name: said above
                p = ballot.proposed
                if any(
                    r.startswith(("cast after the vote closed", "cast after the result")) for r in p.reasons
                ):
                    continue  # a late ballot may rightly be left out
                if ballot.candidate and self.result.candidate and ballot.candidate != self.result.candidate:
                    continue
                if (
                    self.thread is not None
                    and not self.roster
                    and any(not v.handle and not v.email for v, _ in listed)
                    and ballot.post.handle
                ):
                    hint = " (the result lists names without handles: give --roster to match them)"
                else:
                    hint = ""
                when = f" on {format_utc(p.date)}" if p.date else ""
                self.report.add(
                    "missing",
                    f"{ballot.who} voted {p.vote.text if p.vote else '?'} in the {_venue(ballot)}{when} "
                    f"({p.line!r}), and the result does not list them{hint}",
                    author=ballot.who,
                    vote=p.vote.text if p.vote else None,
                )


def _venue(ballot: ThreadBallot) -> str:
    return "mailing list" if ballot.venue == "list" else "thread"


def _author_name(ballot: ThreadBallot) -> str:
    post = ballot.post
    return post.name or post.handle or post.email


def _names(voters: Sequence[ListedVoter]) -> str:
    return ", ".join(v.shown for v in voters)


__all__ = ["Audit", "ThreadBallot", "guess_kind", "thread_ballots", "thread_session", "value_of"]
