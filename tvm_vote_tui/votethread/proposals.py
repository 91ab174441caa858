"""From a thread's posts to proposed ballots for review; nothing is recorded here."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from pendulum import DateTime

from tvm_vote_tui.domain.model import Ballot, Session, now
from tvm_vote_tui.domain.rules import binding_ids
from tvm_vote_tui.domain.text import MULTILINE, hidden_problem, one_line, problem, visible
from tvm_vote_tui.domain.votes import Counted, Vote
from tvm_vote_tui.votethread.authors import Guests, match_author
from tvm_vote_tui.votethread.ballot_lines import find_vote, own_lines
from tvm_vote_tui.votethread.posts import Post
from tvm_vote_tui.votethread.result_posts import result_reason
from tvm_vote_tui.votethread.thread_text import split
from tvm_vote_tui.votethread.timing import DAY_SLACK_HOURS, Window, timing_reasons

UNVERIFIED = "pasted: author not verified"
"""How a ballot is marked whose author only pasted text names (a copied page, saved mail): the
text cannot prove who wrote a post, so it is recorded only once the manager confirms."""


@dataclass
class Proposed:
    """One author's vote as found in the thread (their latest post with a vote), or a skipped post."""

    author: str
    """As shown: control and bidi characters made visible."""
    voter: str
    """Roster id when matched, else the author as written (a free, non-binding name)."""
    matched_by: str
    vote: Vote | None
    binding: bool
    claim: bool | None
    line: str
    date: DateTime | None
    message: int
    reasons: list[str] = field(default_factory=list)
    candidates: tuple[str, ...] = ()
    recorded: Ballot | None = None
    """The voter's ballot already in the session, shown beside this one."""
    recorded_as: Ballot | None = None
    """The ballot recorded from this very post for someone else (the manager picked a member for
    its author, or took the author as a guest): the post must not count a second time."""
    history: list[Proposed] = field(default_factory=list)
    """Earlier votes of the same author in the thread (the latest wins)."""
    skipped: str = ""
    """Why this post is not a ballot at all ('result post, skipped'); '' for a ballot."""
    new_address: str = ""
    """The sender's address, matched by name only: a person may remember it for the member."""
    post_key: str = ""
    post_version: str = ""
    short_author: str = ""
    """The handle, else the name: what a narrow column shows (`author` has the address too)."""
    day_only: bool = False
    """The thread gives the day of the post, not its time ('commented on Nov 26')."""
    reasoning: str = ""
    """The author's own words around the vote: the justification a veto needs."""
    veto: bool = False
    """A binding -1 under a rule where it is a veto: recorded with `reasoning` as justification."""
    verified: bool = False
    """The venue's API names the author (GitHub's login); False for a pasted page or saved mail,
    which anyone could have typed: recorded only once the manager confirms."""
    suggested: str = ""
    """The member the author may be (the same name, a login equal to their id), not proven: the
    row is a guest's unless the manager picks this member."""
    new_handle: str = ""
    """The author's GitHub login, to remember as the picked member's handle."""
    approx: str = ""
    """The page's relative time ('5 minutes ago'): `date` was reckoned from when it was pasted."""
    slack: tuple[float, float] = (0.0, 0.0)
    """With `approx`: hours before and after `date` the post may have been written."""

    @property
    def signature(self) -> tuple[str, str]:
        """Which post, in which version, this proposal comes from (follow mode's 'seen before')."""
        return (self.post_key or f"#{self.message}", self.post_version)

    @property
    def needs_review(self) -> bool:
        return bool(self.reasons)

    @property
    def newer_than_recorded(self) -> bool:
        if self.recorded is None or self.recorded.vote is None:
            return True
        return self.date is not None and self._span()[0] > self.recorded.cast_at

    def _span(self) -> tuple[DateTime, DateTime]:
        """When the post may have been written: its time, its whole day anywhere on Earth, or
        around the time reckoned from a relative one."""
        assert self.date is not None
        if self.approx:
            before, after = self.slack
            return self.date.subtract(seconds=round(before * 3600)), self.date.add(
                seconds=round(after * 3600)
            )
        if not self.day_only:
            return self.date, self.date
        return self.date.subtract(hours=DAY_SLACK_HOURS), self.date.add(hours=24 + DAY_SLACK_HOURS)

    @property
    def changes_anything(self) -> bool:
        recorded = self.recorded
        return (
            recorded is None
            or recorded.vote is None
            or self.vote is None
            or recorded.vote.text != self.vote.text
        )

    @property
    def already_recorded(self) -> bool:
        """The session already holds this very vote for this voter, or this post's vote for
        someone the manager chose: there is nothing to record and nothing to review."""
        if self.skipped or self.vote is None:
            return False
        elsewhere = self.recorded_as
        if elsewhere is not None and elsewhere.vote is not None:
            return elsewhere.vote.text == self.vote.text
        return not self.changes_anything

    @property
    def clear(self) -> bool:
        """Safe to record without a person: no doubts, newer than what is recorded, and a change."""
        return (
            not self.skipped
            and not self.needs_review
            and self.recorded_as is None
            and self.vote is not None
            and self.newer_than_recorded
            and self.changes_anything
        )

    @property
    def why(self) -> list[str]:
        """Everything that keeps this from being recorded without a person's say."""
        if self.skipped:
            return [self.skipped]
        why = list(self.reasons)
        if self.vote is None:
            why.append("no vote found")
        if self.recorded_as is not None and self.recorded_as.vote is not None:
            why.append(
                f"this post is already recorded as {self.recorded_as.voter}'s vote "
                f"({self.recorded_as.vote.text}): recording it again would count it twice"
            )
        if self.recorded is not None and self.recorded.vote is not None:
            if not self.changes_anything:
                why.append(f"same as the recorded vote ({self.recorded.vote.text})")
            elif not self.newer_than_recorded:
                recorded = self.recorded.vote.text
                if self.date is None:
                    why.append(f"undated: which of it and the recorded vote ({recorded}) is later is unknown")
                elif self.day_only and self._span()[1] > self.recorded.cast_at:
                    why.append(
                        f"the thread gives only the day of the post, not its time: which of it and the "
                        f"recorded vote ({recorded}) is later is unknown"
                    )
                elif self.approx and self._span()[1] > self.recorded.cast_at:
                    why.append(
                        f"the page gives only '{self.approx}': which of it and the recorded vote "
                        f"({recorded}) is later is unknown"
                    )
                else:
                    why.append(f"older than the recorded vote ({recorded}); the later one wins")
        return why

    def as_json(self) -> dict[str, Any]:
        return {
            "author": self.author,
            "voter": self.voter,
            "matched_by": self.matched_by,
            "vote": self.vote.text if self.vote else None,
            "binding": self.binding,
            "claim": self.claim,
            "line": self.line,
            "date": self.date.isoformat() if self.date else None,
            "reasons": self.why,
            "candidates": list(self.candidates),
            "recorded": self.recorded.vote.text if self.recorded and self.recorded.vote else None,
            "clear": self.clear,
            "history": [h.vote.text for h in self.history if h.vote],
            "verified": self.verified,
            "suggested": self.suggested or None,
            "approximate": self.approx or None,
        }


@dataclass
class ThreadReport:
    posts: int
    proposed: list[Proposed]
    skipped: list[Proposed] = field(default_factory=list)
    """Posts that are not ballots (result posts), for the manager to see."""
    notices: list[str] = field(default_factory=list)
    """What the manager should know about the reading itself (a post or page cut for its size)."""

    @property
    def clear(self) -> list[Proposed]:
        return [p for p in self.proposed if p.clear]

    @property
    def review(self) -> list[Proposed]:
        """What a person must decide: neither clear nor the vote already recorded."""
        return [p for p in self.proposed if not p.clear and not p.already_recorded]

    @property
    def recorded(self) -> list[Proposed]:
        """Votes the session already holds, as the thread has them: nothing to do."""
        return [p for p in self.proposed if p.already_recorded]

    @property
    def unverified(self) -> list[Proposed]:
        """Clear ballots whose authors only the pasted text names: recorded once confirmed."""
        return [p for p in self.clear if not p.verified]


def propose(
    text: str,
    session: Session,
    fmt: str = "auto",
    at: DateTime | None = None,
    pasted_at: DateTime | None = None,
) -> ThreadReport:
    """Read a thread's text and propose one ballot per author, flagged where a person must decide;
    `pasted_at` (default `at`) dates a page's relative times."""
    at = at or now()
    return propose_posts(split(text, fmt, pasted_at or at), session, at)


def propose_posts(posts: Sequence[Post], session: Session, at: DateTime) -> ThreadReport:
    """Propose one ballot per author from posts in thread order; `at` is now (for future dates)."""
    binding = binding_ids(session.roster)
    latest = session.latest()
    window = Window.of(session, at)
    guests = Guests(session.roster)
    by_voter: dict[str, Proposed] = {}
    skipped: list[Proposed] = []
    result: Post | None = None
    for post in posts:
        why_skipped = "" if post.opening else result_reason(post)
        if why_skipped:
            skipped.append(_skipped(post, why_skipped))
            result = result or post
            continue
        proposed = _from_post(post, session, binding, window, result, guests)
        if proposed is None:
            continue
        earlier = by_voter.get(proposed.voter)
        if earlier is not None:
            proposed.history = [*earlier.history, earlier]
            earlier.history = []
        proposed.recorded = latest.get(session.voter_key(proposed.voter))
        proposed.recorded_as = recorded_from_post(proposed, session, latest)
        by_voter[proposed.voter] = proposed
    notices = [f"{post.short_author}: {post.cut}" for post in posts if post.cut]
    return ThreadReport(len(posts), list(by_voter.values()), skipped, notices)


def thread_note(author: str, line: str) -> str:
    """How the note of a ballot taken from a thread starts: the post's author and its vote line
    (`to_ballot` writes it; a re-read finds the post by it)."""
    return one_line(f'from thread ({author}): "{line}"')


def recorded_from_post(proposed: Proposed, session: Session, latest: dict[str, Ballot]) -> Ballot | None:
    """The current ballot of another voter that was taken from this very post, if any: the
    manager picked a member for its author, or recorded the author under another name."""
    if proposed.skipped or proposed.vote is None:
        return None
    start = thread_note(proposed.author, proposed.line)
    own = session.voter_key(proposed.voter)
    for key, ballot in latest.items():
        if key == own or ballot.source != "thread" or ballot.vote is None:
            continue
        note = ballot.note
        if note == start or note.startswith((start + " (", start + ": ")):
            return ballot
    return None


def _skipped(post: Post, why: str) -> Proposed:
    first = next((line.strip() for line in post.lines if line.strip()), post.subject)
    return Proposed(
        author=post.author,
        voter=post.voter_name,
        matched_by="",
        vote=None,
        binding=False,
        claim=None,
        line=one_line(first),
        date=post.date,
        message=post.index,
        skipped=f"{why}, skipped",
        post_key=post.key,
        post_version=post.version,
        short_author=post.short_author,
    )


def _from_post(
    post: Post, session: Session, binding: set[str], window: Window, result: Post | None, guests: Guests
) -> Proposed | None:
    found = find_vote(post.lines, opening=post.opening)
    if found.vote is None and not found.reasons:
        return None
    match = match_author(post, session.roster)
    reasons = []
    if post.suspect:
        reasons.append(post.suspect)
    if post.cut:
        reasons.append(post.cut)
    reasons += _unsafe_text(post, found.line)
    reasons += found.reasons
    voter = match.member.id if match.member else guests.name(post)
    is_binding = match.member is not None and voter in binding
    if match.suggested is not None:
        reasons.append(f"{match.doubt}; a guest unless you pick {match.suggested.id}")
    elif match.member is None:
        hint = f"; closest: {', '.join(match.candidates)}" if match.candidates else ""
        never = f" ({match.doubt})" if match.doubt else ""
        reasons.append(f"author {post.author} is not on the roster{never}{hint}")
    if found.claim is True and not is_binding:
        reasons.append("says (binding) but the roster does not list them as binding")
    if found.claim is False and is_binding:
        reasons.append("says (non-binding) but the roster lists them as binding")
    reasons += timing_reasons(post, window, result)
    reasoning = _reasoning(post, found.line)
    veto = found.vote is not None and found.vote.counted is Counted.MINUS and session.proposal.veto_applies
    if veto and is_binding:
        reasons.append(
            f"a binding -1 is a veto under {session.rule.name}: check its justification "
            + ("(the post's words are kept with it)" if reasoning else "(the post gives none)")
        )
    return Proposed(
        author=post.author,
        voter=voter,
        matched_by=match.how,
        vote=found.vote,
        binding=is_binding,
        claim=found.claim,
        line=one_line(found.line),
        date=post.date,
        message=post.index,
        reasons=[one_line(reason) for reason in reasons],
        candidates=match.candidates,
        new_address=match.new_address,
        post_key=post.key,
        post_version=post.version,
        short_author=post.short_author,
        day_only=post.day_only,
        reasoning=reasoning,
        veto=veto and is_binding,
        verified=post.verified,
        suggested=match.suggested.id if match.suggested is not None else "",
        new_handle=match.new_handle,
        approx=post.approx,
        slack=post.slack,
    )


REASONING_LIMIT = 1000


def _reasoning(post: Post, vote_line: str) -> str:
    """The author's own lines but the vote line: what they said for their vote."""
    words = [
        line.strip() for line in own_lines(post.lines) if line.strip() and line.strip() != vote_line.strip()
    ]
    text = visible("\n".join(words), MULTILINE)
    return text[:REASONING_LIMIT]


def _unsafe_text(post: Post, line: str) -> list[str]:
    """Control or bidi characters in who wrote the post or in its vote line: never a clear ballot."""
    reasons = []
    for what, text in (("name", post.name), ("address", post.email), ("handle", post.handle)):
        found = hidden_problem(text)
        if found:
            reasons.append(f"the author's {what} {found}")
    found = problem(line)
    if found:
        reasons.append(f"the vote line {found}")
    return reasons
