"""The session model: a proposal, a roster snapshot, the ballots in order and the audit log.

Every change is a `Session` method that checks it is allowed, builds one `Change` (what to apply
and its one audit-log line), hands it to the session's `journal` to make it durable, and only
then applies it. A change the journal cannot write is never applied, so nothing that is not on
disk ever looks recorded. Loading replays journalled changes through the same `apply`.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from tvm_vote_tui.domain import chain
from tvm_vote_tui.domain.addresses import same_address
from tvm_vote_tui.domain.ballots import Ballot, LogEntry
from tvm_vote_tui.domain.errors import ChangeRefused
from tvm_vote_tui.domain.proposal import (
    DEFAULT_LIST,
    KIND_DEFAULT_RULES,
    KIND_LABELS,
    MAIL_ADDRESS,
    MAIL_STEPS,
    MIN_WINDOW_HOURS,
    PUBLISH_STEPS,
    RESULT_STEPS,
    USUAL_WINDOW,
    USUAL_WINDOW_DAYS,
    Kind,
    Proposal,
    Published,
    Status,
    bad_links,
    bare_title,
    is_known_step,
    is_status_step,
    now,
    status_step,
    whole_minutes,
)
from tvm_vote_tui.domain.roster import (
    Member,
    member_problem,
    roster_adding,
    roster_replacing,
    roster_without,
    yes_no,
)
from tvm_vote_tui.domain.rules import Rule, Tally, TallyState, VoterKeys, count_change, get_rule
from tvm_vote_tui.domain.rules import tally as tally_of
from tvm_vote_tui.domain.text import MULTILINE, is_github_login, plural, problem
from tvm_vote_tui.domain.thread_ref import (
    DEFAULT_REPO,
    ThreadRefError,
    parse_list_thread,
    parse_repo,
    thread_url,
)
from tvm_vote_tui.domain.times import CALENDAR, format_span, format_utc, in_calendar, span_words
from tvm_vote_tui.domain.votes import Counted, Vote

if TYPE_CHECKING:
    from datetime import timedelta

    from pendulum import DateTime

SCHEMA_VERSION = 1

DRAFT_REFUSED = "This vote is a draft: open it first (F2, o)"
"""What a ballot on a draft is told, everywhere (the screens, the command line)."""
OPENING_SLACK_MINUTES = 10
"""How far in the future an opening time may be (a venue's clock ahead of ours), and no further."""


def new_session_id() -> str:
    """A random id written in the session file and its journal, so a journal finds its own file."""
    return secrets.token_hex(8)


@dataclass(frozen=True)
class Change:
    """One change to a session: what `Session.apply` does and the audit-log line(s) it adds.

    The journal stores changes; loading replays them through `apply`, the same path as live."""

    op: str
    """'ballot' (one ballot), 'import' (several), 'undo' (ballots taken back) or 'state'."""
    log: tuple[LogEntry, ...]
    add: tuple[Ballot, ...] = ()
    remove: tuple[tuple[int, str], ...] = ()
    """Ballots taken back, as (position, voter), so a replay can check what it removes."""
    proposal: Proposal | None = None
    """The proposal after the change, when it changed."""
    roster: tuple[Member, ...] | None = None
    """The roster after the change, when it changed."""


Journal = Callable[["Session", Change], None]
"""Makes a change durable before it is applied; raises OSError when it cannot."""


class Session:
    """A vote in progress or done. Read it through properties; change it through its methods."""

    def __init__(
        self,
        proposal: Proposal,
        roster: Iterable[Member] = (),
        ballots: Iterable[Ballot] = (),
        log: Iterable[LogEntry] = (),
        *,
        session_id: str = "",
        revision: int = 0,
        extra: Mapping[str, object] | None = None,
    ) -> None:
        self._proposal = proposal
        self._roster = tuple(roster)
        self._ballots = list(ballots)
        self._log = list(log)
        self._session_id = session_id
        self._head: str | None = None
        """The audit log's chain after its last entry (computed when first needed)."""
        self.revision = revision
        """How many changes have been applied since the file's base (the journal position)."""
        self.extra: Mapping[str, object] = extra or {}
        """Top-level fields of the file this version does not know: kept as they are."""
        self.journal: Journal | None = None
        """Set by the store: every change passes through it before it is applied."""
        self._keys: VoterKeys | None = None
        self._latest: dict[str, Ballot] | None = None
        """Each voter's latest ballot by voter key, kept up to date on record."""
        self._state: TallyState | None = None
        """Running counts for the live tally, valid until the roster or the history changes."""

    @classmethod
    def new(
        cls, proposal: Proposal, shared_roster: Iterable[Member], at: DateTime | None = None, by: str = ""
    ) -> Session:
        """Start a draft with a snapshot of the shared roster: a proposal given with times keeps
        only its length; the vote opens when it is announced (`open_vote`)."""
        roster = tuple(shared_roster)
        at = at or now()
        draft = proposal.as_draft()
        session = cls(draft, roster, session_id=new_session_id())
        session._append_log(
            LogEntry(
                at,
                "create",
                f"created {draft.title!r}{_by(by)} with {plural(len(roster), 'roster member')}, a draft "
                f"(window {format_span(draft.window)} once opened)",
            )
        )
        return session

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Session):
            return NotImplemented
        return (self._proposal, self._roster, self._ballots, self._log, self.session_id) == (
            other._proposal,
            other._roster,
            other._ballots,
            other._log,
            other.session_id,
        )

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return (
            f"<Session {self._proposal.title!r}: {len(self._roster)} members, {len(self._ballots)} ballots>"
        )

    # -- reading ---------------------------------------------------------------------------

    @property
    def session_id(self) -> str:
        """Shared by the session file and its journal; empty in files from before it existed.
        It anchors the audit log's chain."""
        return self._session_id

    @session_id.setter
    def session_id(self, value: str) -> None:
        self._session_id = value
        self._head = None

    @property
    def chain_head(self) -> str:
        """The link after the audit log's last entry: one hash to find, kept up to date on record."""
        if self._head is None:
            self._head = chain.head(self._log, self._session_id)
        return self._head

    @property
    def proposal(self) -> Proposal:
        return self._proposal

    @property
    def roster(self) -> tuple[Member, ...]:
        return self._roster

    @property
    def ballots(self) -> Sequence[Ballot]:
        return self._ballots

    @property
    def log(self) -> Sequence[LogEntry]:
        return self._log

    @property
    def rule(self) -> Rule:
        return self._proposal.rule_obj

    @property
    def is_closed(self) -> bool:
        return self._proposal.status is Status.CLOSED

    @property
    def is_draft(self) -> bool:
        return self._proposal.status is Status.DRAFT

    @property
    def status(self) -> Status:
        return self._proposal.status

    @property
    def opened_window(self) -> tuple[DateTime, DateTime]:
        """(opens_at, closes_at) of a vote that has opened; a draft has none (ValueError)."""
        p = self._proposal
        if p.opens_at is None or p.closes_at is None:
            raise ValueError("a draft has no window yet")
        return p.opens_at, p.closes_at

    @property
    def done_steps(self) -> frozenset[str]:
        """The publishing steps already done (see `record_post`), so none is done twice."""
        return frozenset(post.step for post in self._proposal.published)

    def missing_steps(self, steps: Iterable[str]) -> list[str]:
        """Of `steps`, those not done yet, in the order given."""
        done = self.done_steps
        return [step for step in steps if step not in done]

    def post(self, step: str) -> Published | None:
        """What was published for `step` (URL, time, number), or None."""
        return self._proposal.post(step)

    @property
    def status_comments(self) -> list[Published]:
        """The status comments posted so far, in order."""
        return [post for post in self._proposal.published if is_status_step(post.step)]

    def next_status_step(self) -> str:
        """The step of the next status comment: `status-comment`, then `status-comment-2` ..."""
        return status_step(len(self.status_comments))

    @property
    def keys(self) -> VoterKeys:
        """How ballots are matched to voters: roster ids first, case and Unicode form ignored."""
        if self._keys is None:
            self._keys = VoterKeys(self._roster)
        return self._keys

    def latest(self) -> dict[str, Ballot]:
        """Each voter's latest ballot (withdrawals included) by voter key, in first-vote order."""
        if self._latest is None:
            self._latest = self.keys.latest(self._ballots)
        return self._latest

    def tally(self, rule: Rule | None = None) -> Tally:
        """The tally as it stands: O(1) per ballot recorded since the roster last changed."""
        if self._state is None:
            self._state = TallyState(self.latest(), self.keys)
        return self._state.tally(rule or self.rule, self._ballots)

    def member(self, voter: str) -> Member | None:
        """The roster member a ballot's voter (or an id typed by a person) stands for."""
        return self.keys.member(voter)

    def voter_key(self, voter: str) -> str:
        """The one spelling under which `voter`'s ballots are counted."""
        return self.keys.key(voter)

    def display_name(self, voter: str) -> str:
        member = self.member(voter)
        return member.name if member else voter

    def find_voter(self, text: str) -> str | None:
        """A voter named by a person: a roster id, GitHub handle or name, or an earlier voter."""
        member = self.keys.find(text)
        if member is not None:
            return member.id
        key = self.keys.key(text.strip())
        return key if key in self.latest() else None

    def current_votes(self) -> dict[str, Ballot]:
        """Latest non-withdrawn ballot of each voter."""
        return {v: b for v, b in self.latest().items() if b.vote is not None}

    def history(self, voter: str) -> list[Ballot]:
        key = self.keys.key(voter)
        return [b for b in self._ballots if self.keys.key(b.voter) == key]

    def after_window(self) -> list[Ballot]:
        """Ballots recorded after the vote window ended (`closes_at`), in the order recorded; none
        in a draft, which has no window yet."""
        ends = self._proposal.closes_at
        return [] if ends is None else [b for b in self._ballots if b.cast_at > ends]

    def tally_in_window(self) -> Tally:
        """The tally of the ballots cast within the window only: whether the outcome depends on
        those that came after it."""
        ends = self._proposal.closes_at
        kept = self._ballots if ends is None else [b for b in self._ballots if b.cast_at <= ends]
        return tally_of(kept, self._roster, self.rule)

    def early_close_reasons(self, at: DateTime) -> list[str]:
        """Why closing at `at` needs a confirmation and a reason (empty when it does not, or for a
        draft, which cannot close)."""
        if self.is_draft:
            return []
        opens_at, closes_at = self.opened_window
        reasons = []
        if at < closes_at:
            reasons.append(f"the vote window runs until {format_utc(closes_at)}")
        if (at - opens_at).total_seconds() < MIN_WINDOW_HOURS * 3600:
            reasons.append(f"the vote has been open less than {MIN_WINDOW_HOURS} hours")
        return reasons

    @property
    def early_close_reason(self) -> str:
        """Why the vote was closed before its announced end ('' when it was not), from its log."""
        p = self._proposal
        if p.closed_at is None or p.closes_at is None or p.closed_at >= p.closes_at:
            return ""
        entry = next((e for e in reversed(self._log) if e.action == "close"), None)
        return entry.detail.partition("; reason: ")[2] if entry is not None else ""

    def describe_ballot(self, ballot: Ballot) -> str:
        member = self.member(ballot.voter)
        who = f"{member.name} ({member.id})" if member else f"{ballot.voter} (not on roster)"
        if ballot.vote is None:
            return f"{who} withdrew their vote"
        text = f"{who} voted {ballot.vote.text}"
        if ballot.note:
            text += f"; note: {ballot.note}"
        if ballot.justification:
            text += f"; justification: {ballot.justification}"
        return text

    # -- applying --------------------------------------------------------------------------

    def apply(self, change: Change) -> None:
        """Apply a checked change (live or replayed from the journal); raises ValueError if a
        replayed undo names a ballot that is not there."""
        if change.remove:
            for index, voter in change.remove:
                if not (0 <= index < len(self._ballots)) or self._ballots[index].voter != voter:
                    raise ValueError(f"it takes back ballot {index} of {voter!r}, which is not there")
            removed = {i for i, _ in change.remove}
            # A new list: tallies taken earlier read the old one (see rules.Tally).
            self._ballots = [b for i, b in enumerate(self._ballots) if i not in removed]
            self._latest = self._state = None
        if change.roster is not None:
            self._roster = change.roster
            self._keys = self._latest = self._state = None
        if change.proposal is not None:
            self._proposal = change.proposal
        for ballot in change.add:
            self._add_ballot(ballot)
        self._extend_log(change.log)
        self.revision += 1

    def _extend_log(self, entries: Iterable[LogEntry]) -> None:
        for entry in entries:
            if self._head is not None:  # else it is found when first needed
                self._head = chain.link(entry, entry.prev or self._head)
            self._log.append(entry)

    def _append_log(self, entry: LogEntry) -> None:
        """Add a log line that is not a journalled change (creating or duplicating), linked."""
        self._extend_log(self._linked((entry,)))

    def _linked(self, entries: Sequence[LogEntry], change: Change | None = None) -> tuple[LogEntry, ...]:
        """`entries` with their links in the chain, the first one also naming what `change` did to
        the ballots: one hash per entry, and one per ballot added."""
        prev = self.chain_head
        linked = []
        for i, entry in enumerate(entries):
            if i == 0 and change is not None:
                entry = replace(
                    entry,
                    ballots=tuple(chain.ballot_digest(b) for b in change.add),
                    undone=tuple(index for index, _ in change.remove),
                )
            entry = replace(entry, prev=prev)
            prev = chain.link(entry, prev)
            linked.append(entry)
        return tuple(linked)

    def _add_ballot(self, ballot: Ballot) -> None:
        self._ballots.append(ballot)
        if self._latest is None:
            self._state = None
            return
        key = self.keys.key(ballot.voter)
        old = self._latest.get(key)
        self._latest[key] = ballot
        if self._state is not None:
            self._state.replace(old, ballot, key)

    def _commit(self, change: Change) -> Change:
        """Link its log lines into the chain, make it durable (through the journal), then apply it."""
        change = replace(change, log=self._linked(change.log, change))
        if self.journal is not None:
            self.journal(self, change)
        self.apply(change)
        return change

    def _check_open(self) -> None:
        if self.is_closed:
            raise ChangeRefused("the vote is closed; reopen it (F8) to change it")

    def _check_ballots(self) -> None:
        """Ballots are for an open vote: a closed one is read-only, a draft has not opened."""
        self._check_open()
        if self.is_draft:
            raise ChangeRefused(DRAFT_REFUSED)

    # -- proposal --------------------------------------------------------------------------

    def _set_proposal(self, field_name: str, old: object, new: object, at: DateTime | None) -> Change | None:
        self._check_open()
        if old == new:
            return None
        proposal = replace(self._proposal, **{field_name: new})  # type: ignore[arg-type]
        detail = f"{field_name}: {_shown(old)} -> {_shown(new)}"
        return self._commit(Change("state", (LogEntry(at or now(), "proposal", detail),), proposal=proposal))

    def set_title(self, title: str, at: DateTime | None = None) -> Change | None:
        title = checked_title(title)
        return self._set_proposal("title", self._proposal.title, title, at)

    def set_kind(self, kind: Kind, at: DateTime | None = None) -> Change | None:
        """Change the kind; the rule follows when it was the old kind's default."""
        self._check_open()
        p = self._proposal
        if kind is p.kind:
            return None
        detail = f"kind: {_shown(p.kind.value)} -> {_shown(kind.value)}"
        rule = p.rule
        follows = p.rule == p.kind.default_rule or (kind is Kind.RELEASE and get_rule(p.rule).veto)
        if follows and p.rule != kind.default_rule:
            rule = kind.default_rule
            detail += f"; rule: {_shown(p.rule)} -> {_shown(rule)}"
        proposal = replace(p, kind=kind, rule=rule)
        return self._commit(Change("state", (LogEntry(at or now(), "proposal", detail),), proposal=proposal))

    def set_rule(self, rule: str, at: DateTime | None = None) -> Change | None:
        if get_rule(rule).veto and self._proposal.kind is Kind.RELEASE:
            raise ChangeRefused(
                f"a release vote cannot be vetoed, so {rule} does not fit it: releases use lazy-majority"
            )
        return self._set_proposal("rule", self._proposal.rule, rule, at)

    def set_summary(self, summary: str, at: DateTime | None = None) -> Change | None:
        _check_text("summary", summary, MULTILINE)
        return self._set_proposal("summary", self._proposal.summary, summary, at)

    def set_links(self, links: Iterable[str], at: DateTime | None = None) -> Change | None:
        cleaned = tuple(link.strip() for link in links if link.strip())
        wrong = bad_links(cleaned)
        if wrong:
            raise ChangeRefused(f"not a URL (http:// or https://): {', '.join(wrong)}")
        return self._set_proposal("links", self._proposal.links, cleaned, at)

    def set_thread(self, thread: str, at: DateTime | None = None) -> Change | None:
        thread = thread.strip()
        _check_text("thread", thread)
        return self._set_proposal("thread", self._proposal.thread, thread, at)

    def set_list_thread(self, url: str, at: DateTime | None = None) -> Change | None:
        """Remember the vote's dev@ thread (https://lists.apache.org/thread/ID) beside its GitHub
        issue, so F9 and import-thread read both without typing either."""
        url = url.strip()
        if url:
            try:
                url = parse_list_thread(url).url
            except ThreadRefError as err:
                raise ChangeRefused(str(err)) from None
        return self._set_proposal("list_thread", self._proposal.list_thread, url, at)

    def set_repo(self, repo: str, at: DateTime | None = None) -> Change | None:
        """The GitHub repository the [VOTE] is posted to (owner/name, GitHub's rules)."""
        try:
            checked = str(parse_repo(repo or DEFAULT_REPO))
        except ThreadRefError as err:
            raise ChangeRefused(str(err)) from None
        return self._set_proposal("repo", self._proposal.repo, checked, at)

    def set_window(
        self, opens_at: DateTime, closes_at: DateTime, at: DateTime | None = None
    ) -> Change | None:
        """Move the window of a vote that has opened (a draft has only a length: `set_window_length`)."""
        self._check_open()
        p = self._proposal
        if p.opens_at is None or p.closes_at is None:
            raise ChangeRefused(
                "a draft has no dates yet: set how long it runs; it opens when it is announced (F2, o)"
            )
        if closes_at <= opens_at:
            raise ChangeRefused("the vote must close after it opens")
        if not (in_calendar(opens_at) and in_calendar(closes_at)):
            raise ChangeRefused(f"the window must lie {CALENDAR}")
        if (opens_at, closes_at) == (p.opens_at, p.closes_at):
            return None
        detail = (
            f"window: {format_utc(p.opens_at)} to {format_utc(p.closes_at)} -> "
            f"{format_utc(opens_at)} to {format_utc(closes_at)}"
        )
        proposal = replace(p, opens_at=opens_at, closes_at=closes_at)
        return self._commit(Change("state", (LogEntry(at or now(), "proposal", detail),), proposal=proposal))

    def set_window_length(self, window: timedelta, at: DateTime | None = None) -> Change | None:
        """How long a draft will run once opened (whole minutes). Shorter than 72 hours is allowed:
        the screens warn about it."""
        self._check_open()
        p = self._proposal
        if not p.is_draft:
            raise ChangeRefused("the vote is open: change when it closes instead")
        if window.total_seconds() < 60:
            raise ChangeRefused("a vote needs a window of at least a minute")
        window = whole_minutes(window)
        if window == p.window:
            return None
        detail = f"window: {format_span(p.window)} -> {format_span(window)}"
        proposal = replace(p, window=window)
        return self._commit(Change("state", (LogEntry(at or now(), "proposal", detail),), proposal=proposal))

    def set_mailing_list(self, address: str, at: DateTime | None = None) -> Change | None:
        """The list the vote is mirrored on (the To of the mail files), `dev@tvm.apache.org` by
        default: one plain address, never anything a mail header could be made of."""
        address = address.strip() or DEFAULT_LIST
        if not MAIL_ADDRESS.fullmatch(address):
            raise ChangeRefused(f"not a mail address such as {DEFAULT_LIST}: {address!r}")
        return self._set_proposal("mailing_list", self._proposal.mailing_list, address, at)

    # -- roster ----------------------------------------------------------------------------

    def _set_roster(self, roster: tuple[Member, ...], detail: str, at: DateTime | None) -> Change:
        return self._commit(Change("state", (LogEntry(at or now(), "roster", detail),), roster=roster))

    def _roster_member(self, member_id: str) -> Member:
        member = self.keys.member(member_id)
        if member is None:
            raise ChangeRefused(f"{member_id!r} is not on this session's roster")
        return member

    def add_member(self, member: Member, at: DateTime | None = None) -> Change:
        self._check_open()
        roster = roster_adding(self._roster, member)
        return self._set_roster(
            roster, f"added {member.name} ({member.id}), binding {yes_no(member.binding)}", at
        )

    def add_members(
        self, members: Sequence[Member], source: str, at: DateTime | None = None
    ) -> Change | None:
        """Add members read from a file, as one change with one log line."""
        self._check_open()
        if not members:
            return None
        roster = self._roster
        for member in members:
            roster = roster_adding(roster, member)
        ids = ", ".join(m.id for m in members)
        return self._set_roster(roster, f"imported {plural(len(members), 'member')} from {source}: {ids}", at)

    def update_member(self, member_id: str, new: Member, at: DateTime | None = None) -> Change | None:
        self._check_open()
        old = self._roster_member(member_id)
        if new == old:
            return None
        new = replace(new, extra={**old.extra, **new.extra})  # fields a newer version wrote stay
        if self.keys.key(new.id) != self.keys.key(old.id) and self.history(old.id):
            raise ChangeRefused(f"{old.name} has ballots in this vote; their id cannot change")
        roster = roster_replacing(self._roster, old.id, new)
        changed = [
            f"{name}: {_shown(getattr(old, name))} -> {_shown(getattr(new, name))}"
            for name in ("id", "name", "email", "github", "binding", "recused", "emails")
            if getattr(old, name) != getattr(new, name)
        ]
        return self._set_roster(roster, f"edited {old.id}: {'; '.join(changed)}", at)

    def remove_member(self, member_id: str, at: DateTime | None = None) -> Change:
        self._check_open()
        old = self._roster_member(member_id)
        return self._set_roster(roster_without(self._roster, old.id), f"removed {old.name} ({old.id})", at)

    def set_binding(self, member_id: str, binding: bool, at: DateTime | None = None) -> Change | None:
        return self._set_flag(member_id, "binding", binding, at)

    def set_recused(self, member_id: str, recused: bool, at: DateTime | None = None) -> Change | None:
        return self._set_flag(member_id, "recused", recused, at)

    def _set_flag(self, member_id: str, name: str, value: bool, at: DateTime | None) -> Change | None:
        self._check_open()
        old = self._roster_member(member_id)
        if getattr(old, name) == value:
            return None
        roster = roster_with_flag(self._roster, old, name, value)
        return self._set_roster(roster, f"{old.id}: {name} {yes_no(not value)} -> {yes_no(value)}", at)

    def flag_effect(self, member_id: str, name: str, value: bool) -> str:
        """What setting a member's `binding` or `recused` flag to `value` does to the count, in
        words ("binding +1 6 → 5, non-binding +1 1 → 2"): asked before it is done in an open vote."""
        member = self._roster_member(member_id)
        return self.roster_effect(roster_with_flag(self._roster, member, name, value))[0]

    def roster_effect(self, roster: Sequence[Member]) -> tuple[str, bool]:
        """What making `roster` this vote's roster (a member removed, added, edited) does to the
        count, in words, and whether it moves a vote already cast (a ballot that counts otherwise,
        or the outcome), so the manager is asked first; who has not voted alone does not."""
        before, after = self.tally(), tally_of(self._ballots, roster, self.rule)
        moves = (before.binding, before.non_binding, before.passes) != (
            after.binding,
            after.non_binding,
            after.passes,
        )
        return count_change(before, after), moves

    def undo_roster(
        self, before: Sequence[Member], after: Sequence[Member], what: str, at: DateTime | None = None
    ) -> Change:
        """Take back one roster change (`what`, as its log line said it) that turned `before` into
        `after`: refused when the roster has changed since, so nothing else is taken back with it."""
        self._check_open()
        if self._roster != tuple(after):
            raise ChangeRefused("the roster has changed since; nothing to undo")
        detail = f"took back: {what}"
        return self._commit(Change("state", (LogEntry(at or now(), "undo", detail),), roster=tuple(before)))

    def unjustified_vetoes(self, rule: Rule | None = None) -> list[str]:
        """The names of binding voters whose current -1 is a veto under `rule` (the vote's own by
        default) but has no justification: a veto is not valid without one, so it is said
        wherever the veto is shown."""
        rule = rule or self.rule
        if not rule.veto or self._proposal.kind is Kind.RELEASE:
            return []
        binding = self.keys.binding
        return [
            self.display_name(key)
            for key, ballot in self.current_votes().items()
            if key in binding
            and ballot.vote is not None
            and ballot.vote.counted is Counted.MINUS
            and not ballot.justification
        ]

    def rule_effect(self, rule_name: str) -> str:
        """What changing the rule to `rule_name` does to the outcome, in words: 'PASSING → VETOED:
        Frank Fischer's -1 becomes a veto (no justification recorded: …)'. Asked before it is done
        in a vote with ballots."""
        rule = get_rule(rule_name)
        before, after = self.tally(), self.tally(rule)
        was, will = _outcome_word(before), _outcome_word(after)
        text = f"{was} → {will}" if was != will else f"still {was}"
        veto_applies = self._proposal.kind is not Kind.RELEASE
        vetoes = self.keys.binding.intersection(
            key for key, b in self.current_votes().items() if b.vote and b.vote.counted is Counted.MINUS
        )
        if vetoes and veto_applies and rule.veto != self.rule.veto:
            names = [self.display_name(key) for key in self.current_votes() if key in vetoes]
            who = _names(names)
            if rule.veto:
                text += (
                    f": {who}'s -1 becomes a veto" if len(names) == 1 else f": the -1s of {who} become vetoes"
                )
                missing = self.unjustified_vetoes(rule)
                if missing:
                    whose = "" if missing == names else f" for {_names(missing)}"
                    text += (
                        f" (no justification recorded{whose}: a veto is not valid "
                        "without one; enter on their row on F4 adds it)"
                    )
            else:
                text += (
                    f": {who}'s veto becomes a plain -1"
                    if len(names) == 1
                    else (f": the vetoes of {who} become plain -1s")
                )
        return text

    def undo_flag(self, member_id: str, name: str, value: bool, at: DateTime | None = None) -> Change:
        """Take back a change of a member's `binding` or `recused` flag to `value` (one undo step):
        the flag goes back, and the log says it was taken back."""
        self._check_open()
        old = self._roster_member(member_id)
        if getattr(old, name) != value:
            raise ChangeRefused(f"{old.name}'s {name} flag has changed since; nothing to undo")
        roster = roster_with_flag(self._roster, old, name, not value)
        detail = f"took back: {old.id}: {name} {yes_no(value)} -> {yes_no(not value)}"
        return self._commit(Change("state", (LogEntry(at or now(), "undo", detail),), roster=roster))

    def add_member_address(self, member_id: str, address: str, at: DateTime | None = None) -> Change | None:
        """Remember another address of a member (accepted from a thread), so the next vote matches it."""
        self._check_open()
        old = self._roster_member(member_id)
        address = address.strip()
        if not address or any(same_address(address, known) for known in old.addresses):
            return None
        new = replace(old, emails=(*old.emails, address))
        problem_text = member_problem(new, set())
        if problem_text:
            raise ChangeRefused(problem_text)
        roster = roster_replacing(self._roster, old.id, new)
        return self._set_roster(roster, f"{old.id}: known address {address} added", at)

    def set_member_github(self, member_id: str, handle: str, at: DateTime | None = None) -> Change | None:
        """Remember a member's GitHub handle, confirmed by the manager (a login that is the same
        as an ASF id proves nothing by itself), so the next vote matches it without review."""
        self._check_open()
        old = self._roster_member(member_id)
        handle = handle.strip().removeprefix("@")
        if not is_github_login(handle):
            raise ChangeRefused(f"{handle!r} is not a GitHub user name")
        if old.github.casefold() == handle.casefold():
            return None
        if old.github:
            raise ChangeRefused(
                f"the roster gives @{old.github} as {old.name}'s GitHub handle; change it on the roster (F3)"
            )
        taken = next((m for m in self._roster if m.github.casefold() == handle.casefold()), None)
        if taken is not None:
            raise ChangeRefused(f"@{handle} is already the GitHub handle of {taken.name} ({taken.id})")
        roster = roster_replacing(self._roster, old.id, replace(old, github=handle))
        return self._set_roster(roster, f"{old.id}: GitHub handle @{handle} confirmed", at)

    # -- ballots ---------------------------------------------------------------------------

    def check_ballot(self, ballot: Ballot) -> Ballot:
        """The ballot as it will be recorded (voter spelled as the roster does), or ChangeRefused."""
        voter = ballot.voter.strip()
        if not voter:
            raise ChangeRefused("a ballot needs a voter")
        _check_text("voter", voter)
        _check_text("note", ballot.note, MULTILINE)
        _check_text("justification", ballot.justification, MULTILINE)
        member = self.member(voter)
        voter = member.id if member is not None else self.keys.key(voter)
        return replace(ballot, voter=voter) if voter != ballot.voter else ballot

    def record(
        self,
        voter: str,
        vote: Vote | None,
        *,
        note: str = "",
        justification: str = "",
        source: str = "live",
        at: DateTime | None = None,
    ) -> Ballot:
        """Record a ballot (or a withdrawal when `vote` is None); earlier ones stay in history."""
        self._check_ballots()
        ballot = self.check_ballot(
            Ballot(voter, vote, at or now(), note.strip(), justification.strip(), source)
        )
        action = "withdraw" if vote is None else "ballot"
        self._commit(
            Change("ballot", (LogEntry(ballot.cast_at, action, self.describe_ballot(ballot)),), (ballot,))
        )
        return ballot

    def already_recorded(
        self, voter: str, vote: Vote, note: str = "", justification: str = ""
    ) -> Ballot | None:
        """The voter's current ballot when recording `vote` again would change nothing (the same
        vote, as written, and no other words), so nothing is appended; None otherwise."""
        current = self.latest().get(self.keys.key(voter.strip()))
        if current is None or current.vote is None or current.vote.text != vote.text:
            return None
        if note.strip() not in ("", current.note) or justification.strip() not in ("", current.justification):
            return None
        return current

    def withdraw(self, voter: str, at: DateTime | None = None) -> Ballot:
        """Withdraw the voter's current vote; refused when they have none."""
        self._check_ballots()
        current = self.latest().get(self.keys.key(voter))
        if current is None or current.vote is None:
            raise ChangeRefused(f"{self.display_name(voter)} has no vote to withdraw")
        return self.record(voter, None, at=at)

    def import_ballots(
        self, ballots: Sequence[Ballot], description: str, at: DateTime | None = None
    ) -> tuple[Ballot, ...]:
        """Add ballots taken from a vote thread, as one change with one entry in the log."""
        self._check_ballots()
        checked = tuple(self.check_ballot(b) for b in ballots)
        if not checked:
            return ()
        voters = ", ".join(
            f"{self.display_name(b.voter)} {b.vote.text if b.vote else 'withdrawn'}" for b in checked
        )
        detail = f"imported {plural(len(checked), 'ballot')} from {description}: {voters}"
        self._commit(Change("import", (LogEntry(at or now(), "import", detail),), checked))
        return checked

    def undo(self, ballots: Sequence[Ballot], at: DateTime | None = None) -> Change:
        """Take back ballots recorded by mistake (one undo step); the log keeps a record of both."""
        self._check_open()
        positions: list[int] = []
        for ballot in ballots:
            index = next(
                (i for i in range(len(self._ballots) - 1, -1, -1) if self._ballots[i] is ballot), None
            )
            if index is None:
                raise ChangeRefused("that ballot is no longer in the session")
            positions.append(index)
        what = "; ".join(self.describe_ballot(b) for b in ballots)
        remove = tuple((i, self._ballots[i].voter) for i in positions)
        return self._commit(
            Change("undo", (LogEntry(at or now(), "undo", f"took back: {what}"),), remove=remove)
        )

    # -- closing ---------------------------------------------------------------------------

    def open_vote(
        self,
        opens_at: DateTime,
        *,
        thread: str = "",
        venue: str = "",
        posted: Published | None = None,
        by: str = "",
        at: DateTime | None = None,
    ) -> Change:
        """Open a draft: its window runs from `opens_at` (when the [VOTE] was posted, or now) for
        the length the draft kept, so `closes_at = opens_at + window`.

        `thread` is where the vote lives (a GitHub issue such as apache/tvm#16368, or a
        lists.apache.org thread URL), stored for thread import and the result; `venue` says for
        the log how it opened ('GitHub issue', 'dev@ thread', 'now, in a meeting'); `posted`
        records the [VOTE] post in the same change, so an opened vote never lacks it."""
        at = at or now()
        p = self._proposal
        if self.is_closed:
            raise ChangeRefused("the vote is closed; it opened before")
        if not p.is_draft:
            raise ChangeRefused("the vote is already open")
        if not in_calendar(opens_at):
            raise ChangeRefused(f"the opening time must lie {CALENDAR}")
        if opens_at > at.add(minutes=OPENING_SLACK_MINUTES):
            raise ChangeRefused(
                f"the vote cannot open in the future ({format_utc(opens_at)}): give when the [VOTE] "
                "was posted, or open it now"
            )
        closes_at = _later(opens_at, p.window)
        if closes_at is None:
            raise ChangeRefused(f"the window must end {CALENDAR}")
        thread = thread.strip()
        _check_text("thread", thread)
        _check_text("venue", venue)
        published = p.published
        if posted is not None:
            published += (self._checked_post(posted, Status.OPEN),)
        where = posted.url if posted is not None else thread_url(thread) or ""
        detail = f"opened{_by(by)}: {venue or 'now'}" + (f", {where}" if where else "")
        detail += f"; window {format_utc(opens_at)} to {format_utc(closes_at)} ({span_words(p.window)})"
        proposal = replace(
            p,
            status=Status.OPEN,
            opens_at=opens_at,
            closes_at=closes_at,
            thread=thread or p.thread,
            published=published,
        )
        return self._commit(Change("state", (LogEntry(at, "open", detail),), proposal=proposal))

    def record_post(
        self,
        step: str,
        url: str,
        at: DateTime,
        number: int | None = None,
        *,
        message_id: str = "",
        by: str = "",
        logged_at: DateTime | None = None,
    ) -> Change:
        """Record that `step` (one of PUBLISH_STEPS) was published at `url` at `at` (the venue's
        time), once: a step already recorded is refused, never recorded twice. The result steps
        follow the close; `logged_at` is when this is recorded (default now)."""
        post = self._checked_post(Published(step, url.strip(), at, number, message_id.strip()), self.status)
        p = self._proposal
        detail = f"published {step}{_by(by)}: {post.url or post.message_id}"
        if number is not None:
            detail += f" (#{number})"
        if post.message_id and post.url:
            detail += f", message id {post.message_id}"
        detail += f", at {format_utc(at)}"
        proposal = replace(p, published=(*p.published, post))
        return self._commit(
            Change("state", (LogEntry(logged_at or now(), "publish", detail),), proposal=proposal)
        )

    def _checked_post(self, post: Published, status: Status) -> Published:
        """`post` as it may be recorded for a vote in `status`, or ChangeRefused."""
        if not is_known_step(post.step):
            raise ChangeRefused(
                f"unknown publishing step {post.step!r}: use one of {', '.join(PUBLISH_STEPS)}"
            )
        if is_status_step(post.step) and post.step != self.next_status_step():
            if self._proposal.post(post.step) is None:
                raise ChangeRefused(f"the next status comment is {self.next_status_step()}, not {post.step}")
        done = self._proposal.post(post.step)
        if done is not None:
            raise ChangeRefused(
                f"{post.step} was already published ({done.url or done.message_id}, {format_utc(done.at)}); "
                "a step is never done twice"
            )
        if post.step in RESULT_STEPS and status is not Status.CLOSED:
            raise ChangeRefused(f"{post.step} publishes the result: close the vote first (F8)")
        if is_status_step(post.step) and status is Status.DRAFT:
            raise ChangeRefused(DRAFT_REFUSED)
        if post.url or post.step not in MAIL_STEPS or not post.message_id:
            if bad_links([post.url]):
                raise ChangeRefused(f"not a URL (http:// or https://): {post.url!r}")
        if post.message_id and not _MESSAGE_ID.fullmatch(post.message_id):
            raise ChangeRefused(f"not a Message-ID such as <id@host>: {post.message_id!r}")
        if post.number is not None and (isinstance(post.number, bool) or post.number < 1):
            raise ChangeRefused(f"not an issue or comment number: {post.number!r}")
        if not in_calendar(post.at):
            raise ChangeRefused(f"the time it was published must lie {CALENDAR}")
        return post

    def close(self, at: DateTime, reason: str = "", *, by: str = "") -> Change:
        """Close the vote; closing early needs a reason, which goes into the log."""
        if self.is_closed:
            raise ChangeRefused("the vote is already closed")
        if self.is_draft:
            raise ChangeRefused("the vote is a draft: it has not opened, so it cannot close")
        opens_at, _ = self.opened_window
        if at < opens_at:  # a file saying so is refused on loading
            raise ChangeRefused(
                f"the vote opens at {format_utc(opens_at)}: it cannot close before it "
                "opens (change the window on the proposal screen first)"
            )
        early = self.early_close_reasons(at)
        reason = reason.strip()
        if early and not reason:
            raise ChangeRefused(f"closing now needs a reason: {'; and '.join(early)}")
        _check_text("reason", reason, MULTILINE)
        tally = self.tally()
        detail = (
            f"closed{_by(by)}; the vote {'passed' if tally.passes else 'failed'} "
            f"({tally.binding.labelled()} binding)"
        )
        if early:
            detail += f"; closed early ({'; '.join(early)}); reason: {reason}"
        elif reason:
            detail += f"; note: {reason}"
        proposal = replace(self._proposal, status=Status.CLOSED, closed_at=at)
        return self._commit(Change("state", (LogEntry(at, "close", detail),), proposal=proposal))

    def reopen(self, at: DateTime, reason: str, *, by: str = "") -> Change:
        if not self.is_closed:
            raise ChangeRefused("the vote is not closed")
        reason = reason.strip()
        if not reason:
            raise ChangeRefused("reopening a closed vote needs a reason")
        _check_text("reason", reason, MULTILINE)
        proposal = replace(self._proposal, status=Status.OPEN, closed_at=None)
        return self._commit(
            Change(
                "state", (LogEntry(at, "reopen", f"reopened{_by(by)}; reason: {reason}"),), proposal=proposal
            )
        )

    def duplicate(self, at: DateTime, source_name: str = "", by: str = "") -> Session:
        """A new draft with this proposal, its window's length and roster, and no ballots: it
        opens when it is announced, never from the time it was copied."""
        p = self._proposal
        # A window that would not fit again from now (millennia) is the kind's usual one instead.
        window = whole_minutes(p.window) if _later(at, p.window) is not None else p.kind.default_window
        proposal = Proposal(
            title=f"Copy of {bare_title(p.title)}",
            kind=p.kind,
            rule=p.rule,
            summary=p.summary,
            links=p.links,
            status=Status.DRAFT,
            opens_at=None,
            closes_at=None,
            window=window,
            mailing_list=p.mailing_list,
            repo=p.repo,
        )
        copy = Session.new(proposal, (replace(m, recused=False) for m in self._roster), at, by)
        origin = f"duplicated from {source_name or repr(p.title)}"
        copy._append_log(LogEntry(at, "create", origin))
        return copy


def roster_with_flag(
    roster: tuple[Member, ...], member: Member, name: str, value: bool
) -> tuple[Member, ...]:
    """The roster with `member`'s `binding` or `recused` flag set to `value`."""
    new = replace(member, binding=value) if name == "binding" else replace(member, recused=value)
    return roster_replacing(roster, member.id, new)


def _outcome_word(tally: Tally) -> str:
    """PASSING, FAILING or VETOED (failing because a binding -1 is a veto): the outcome an open
    vote's rule change is asked about."""
    if not tally.passes and tally.rule.veto and tally.binding.minus:
        return "VETOED"
    return tally.verdict(closed=False).word


def _names(names: Sequence[str]) -> str:
    """'Ada', 'Ada and Bo', 'Ada, Bo and Cy'."""
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def _later(at: DateTime, span: timedelta) -> DateTime | None:
    """`at + span`, or None when that leaves the calendar a session may hold (a window of
    millennia does not fit again from now)."""
    try:
        later = at + span
    except OverflowError:
        return None
    return later if in_calendar(later) else None


_MESSAGE_ID = re.compile(r"<[!-;=?-~]+@[!-;=?-~]+>")
"""`<left@right>` in printable ASCII, without `<`, `>` or spaces inside."""


def _by(by: str) -> str:
    """' by alice' for a log line, naming who did it ('' when not known)."""
    by = by.strip()
    _check_text("name of who did it", by)
    return f" by {by}" if by else ""


def _shown(value: object) -> str:
    """A value in a log line: strings quoted, flags as yes/no, lists as lists."""
    if isinstance(value, bool):
        return yes_no(value)
    if isinstance(value, tuple):
        return repr(list(value))
    return repr(value)


def checked_title(title: str) -> str:
    """The title as it will be stored, or ChangeRefused: required, one line, no control characters."""
    title = title.strip()
    if not title:
        raise ChangeRefused("a title is required")
    _check_text("title", title)
    return title


def _check_text(name: str, text: str, keep: str = "") -> None:
    found = problem(text, keep)
    if found:
        raise ChangeRefused(f"the {name} {found}")


__all__ = [
    "KIND_DEFAULT_RULES",
    "KIND_LABELS",
    "DEFAULT_LIST",
    "DRAFT_REFUSED",
    "MIN_WINDOW_HOURS",
    "PUBLISH_STEPS",
    "SCHEMA_VERSION",
    "USUAL_WINDOW",
    "USUAL_WINDOW_DAYS",
    "bad_links",
    "now",
    "Ballot",
    "Change",
    "ChangeRefused",
    "Counted",
    "Kind",
    "LogEntry",
    "Member",
    "Proposal",
    "Published",
    "Session",
    "Status",
]
