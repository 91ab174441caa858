"""The fingerprint a published result ends with: one SHA-256 over what the result is derived from
(the proposal with its life: status, window, opening and closing times, what was published where;
the roster, every ballot and the audit log's chain), so anyone holding the JSON
export can check that the result came from it (`tvm-vote-tui verify`)."""

from __future__ import annotations

from tvm_vote_tui.domain import chain
from tvm_vote_tui.domain.model import Session
from tvm_vote_tui.domain.proposal import DEFAULT_LIST, Published
from tvm_vote_tui.domain.times import format_span

FINGERPRINT_HEX = 32
"""128 bits of the SHA-256: short enough for one line of a mail, far beyond finding another
export with the same fingerprint."""
FINGERPRINT_LABEL = "Fingerprint"
VERIFY_HINT = "tvm-vote-tui verify"


def fingerprint_form(session: Session, head: str | None = None) -> dict[str, object]:
    """What the fingerprint covers; `head` is the chain's head (the session's own by default)."""
    p = session.proposal
    return {
        "session": session.session_id,
        "chain_head": session.chain_head if head is None else head,
        "proposal": {
            "title": p.title,
            "kind": p.kind.value,
            "rule": p.rule,
            "summary": p.summary,
            "links": list(p.links),
            "opens_at": None if p.opens_at is None else chain.utc_text(p.opens_at),
            "closes_at": None if p.closes_at is None else chain.utc_text(p.closes_at),
            # A draft's window is a length (an opened vote's is its two times): said only then, so
            # the fingerprints of opened votes are what they were before drafts existed.
            **({"window": format_span(p.window)} if p.opens_at is None else {}),
            "status": p.status.value,
            "closed_at": None if p.closed_at is None else chain.utc_text(p.closed_at),
            "thread": p.thread,
            # What was published where, and the list the vote is mirrored on: said only when there
            # is something to say, so the fingerprints of votes without them are what they were.
            **({"published": [_published(post) for post in p.published]} if p.published else {}),
            **({"mailing_list": p.mailing_list} if p.mailing_list != DEFAULT_LIST else {}),
        },
        "roster": [
            {
                "id": m.id,
                "name": m.name,
                "email": m.email,
                "github": m.github,
                "binding": m.binding,
                "recused": m.recused,
                "emails": list(m.emails),
            }
            for m in session.roster
        ],
        "ballots": [chain.ballot_digest(b) for b in session.ballots],
    }


def _published(post: Published) -> dict[str, object]:
    return {
        "step": post.step,
        "url": post.url,
        "at": chain.utc_text(post.at),
        "number": post.number,
        "message_id": post.message_id,
    }


def fingerprint(session: Session, head: str | None = None) -> str:
    """'sha256:' and the first 32 hex digits of the SHA-256 of `fingerprint_form`."""
    digest = chain.sha256(chain.canonical_json(fingerprint_form(session, head)))
    return f"sha256:{digest[:FINGERPRINT_HEX]}"


def fingerprint_line(session: Session) -> str:
    """The last line of the result text and the Markdown."""
    return f"{FINGERPRINT_LABEL} {fingerprint(session)} · {VERIFY_HINT}"
