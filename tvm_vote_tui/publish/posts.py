"""What the app posts to GitHub, exactly as it is shown before it is posted: the [VOTE] issue, the
[RESULT] issue, the comment on the vote issue linking it, and the status comments.

Every body ends with a marker naming the session and the step, an HTML comment GitHub does not
show (`<!-- tvm-vote-tui session=3f9c0a1b2c3d4e5f step=vote -->`): the app finds its own post by
it when an answer was lost, so no post is ever made twice. Every text passes through
`quiet_mentions` once (the announcement and the result already do), so nothing posted pings
anyone."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from tvm_vote_tui.domain.errors import ChangeRefused
from tvm_vote_tui.domain.text import one_line
from tvm_vote_tui.domain.times import format_utc
from tvm_vote_tui.publish.announce import announcement, announcement_subject
from tvm_vote_tui.publish.mentions import quiet_mentions
from tvm_vote_tui.publish.result import GROUPS, facts, result_text

if TYPE_CHECKING:
    from pendulum import DateTime

    from tvm_vote_tui.domain.model import Session

MAX_TITLE = 256
"""GitHub's longest issue title."""
MAX_BODY = 65_536
"""GitHub's longest issue or comment body, in characters."""
_SESSION_ID = re.compile(r"[A-Za-z0-9_-]{1,64}")
_STEP = re.compile(r"[a-z0-9-]{1,40}")


@dataclass(frozen=True)
class IssueText:
    """A new issue: its title and body (the marker included)."""

    title: str
    body: str


def marker(session_id: str, step: str) -> str:
    """The HTML comment that marks a post as this session's `step`. An id that could not sit in
    one (a session file written by hand) is refused: such a post could not be found again."""
    if not _SESSION_ID.fullmatch(session_id):
        raise ChangeRefused(
            "this session has no plain id to mark its posts with (open it in the app once to give it one)"
        )
    if not _STEP.fullmatch(step):
        raise ChangeRefused(f"not a publishing step: {step!r}")
    return f"<!-- tvm-vote-tui session={session_id} step={step} -->"


def _marked(body: str, session_id: str, step: str) -> str:
    return f"{body.rstrip()}\n\n{marker(session_id, step)}\n"


def _split_subject(text: str) -> tuple[str, str]:
    """('[VOTE] title', body) of a text that starts with its `Subject:` line."""
    first, _, rest = text.partition("\n")
    return first.removeprefix("Subject:").strip(), rest.lstrip("\n")


def vote_issue(session: Session, at: DateTime) -> IssueText:
    """The [VOTE] as a new issue: the announcement's subject as the title, the announcement as the
    body, its window given as if it opens at `at` (the issue's own creation time opens it)."""
    title, body = announcement_subject(session.proposal), announcement(session.proposal, at)
    return IssueText(title, _marked(body, session.session_id, "vote"))


def result_issue(session: Session) -> IssueText:
    """The [RESULT][VOTE] issue: the result text, as TVM posts it."""
    title, body = _split_subject(result_text(session))
    return IssueText(title, _marked(body, session.session_id, "result-issue"))


RESULT_PENDING = "<the [RESULT] issue's address, once it is posted>"


def link_comment(session: Session, result_url: str = "") -> str:
    """The comment on the vote issue that links the [RESULT] issue (its address shown as pending
    until the issue is posted)."""
    f = facts(session)
    text = f"{f.outcome_sentence()}\n\nThe result: {result_url or RESULT_PENDING}\n"
    return _marked(quiet_mentions(text), session.session_id, "link-comment")


def status_comment(session: Session, at: DateTime, step: str) -> str:
    """The tally as it stands at `at`, posted on request (never a result): counts, the voters by
    name, who has not voted, and when the vote closes."""
    f = facts(session)
    verdict = f.tally.verdict(session.is_closed)
    b = f.tally.binding
    lines = [f"Tally so far, at {format_utc(at)} (not a result):", ""]
    lines.append(
        f"As it stands the vote is {verdict.text}, with {b.plus} binding +1, {b.zero} binding 0 "
        f"and {b.minus} binding -1 ({f.tally.rule.name})."
    )
    lines += ["", *(f.count_line(counted, label) for counted, label in GROUPS)]
    for counted, label in GROUPS:
        voters = f.voters(counted)
        if voters:
            lines += ["", f"{label}: " + ", ".join(one_line(f.label(v)) for v in voters)]
    missing = f.not_voted()
    if missing:
        lines += ["", f"Binding members who have not voted yet: {one_line(', '.join(missing))}"]
    closes = session.proposal.closes_at
    if closes is not None and not session.is_closed:
        lines += [
            "",
            f"The vote is open until {format_utc(closes)}. Reply here to vote or to correct a ballot.",
        ]
    return _marked(quiet_mentions("\n".join(lines) + "\n"), session.session_id, step)


def too_long(title: str, body: str) -> str:
    """Why GitHub would refuse this title or body for its length ('' when it would not)."""
    if len(title) > MAX_TITLE:
        return f"the title is {len(title):,} characters long; GitHub takes {MAX_TITLE} at most"
    if len(body) > MAX_BODY:
        return f"the text is {len(body):,} characters long; GitHub takes {MAX_BODY:,} at most"
    return ""
