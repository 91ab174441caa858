"""The whole session as JSON (documented in docs/export-format.md)."""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING, Any

from tvm_vote_tui.domain.model import Ballot, LogEntry, Published, Session
from tvm_vote_tui.domain.rules import Tally
from tvm_vote_tui.domain.thread_ref import DEFAULT_REPO
from tvm_vote_tui.domain.times import format_span
from tvm_vote_tui.publish.proof import fingerprint
from tvm_vote_tui.publish.result import GROUPS, ResultFacts, facts

if TYPE_CHECKING:
    from pendulum import DateTime

EXPORT_VERSION = 1


def time_json(moment: DateTime | None) -> str | None:
    """A time as the JSON exports write it (ISO 8601, with its offset), or None."""
    return None if moment is None else moment.isoformat()


def _published(post: Published) -> dict[str, Any]:
    """A published step as the session file has it: a number and a Message-ID only when known."""
    data: dict[str, Any] = {"step": post.step, "url": post.url, "at": time_json(post.at)}
    if post.number is not None:
        data["number"] = post.number
    if post.message_id:
        data["message_id"] = post.message_id
    return data


def _ballot(ballot: Ballot, current: bool, ends: DateTime | None) -> dict[str, Any]:
    return {
        "voter": ballot.voter,
        "vote": None if ballot.vote is None else ballot.vote.text,
        "withdrawn": ballot.vote is None,
        "counts_as": None if ballot.vote is None else ballot.vote.counted.value,
        "cast_at": time_json(ballot.cast_at),
        "note": ballot.note,
        "justification": ballot.justification,
        "source": ballot.source,
        "current": current,
        "after_window": ends is not None and ballot.cast_at > ends,
    }


def tally_fields(session: Session, tally: Tally) -> dict[str, Any]:
    """What `tvm-vote-tui tally --json` says of a tally, and the JSON export's `tally` with it."""
    verdict = tally.verdict(session.is_closed)
    names = {m.id: m.name for m in session.roster}
    return {
        "status": session.proposal.status.value,
        "outcome": "draft" if session.is_draft else verdict.word.lower(),
        "final": verdict.closed,
        **tally.as_json(),
        "not_voted_names": [names.get(v, v) for v in tally.not_voted],
    }


def _log_entry(entry: LogEntry) -> dict[str, Any]:
    data: dict[str, Any] = {"at": time_json(entry.at), "action": entry.action, "detail": entry.detail}
    data["prev"] = entry.prev
    if entry.ballots:
        data["ballots"] = list(entry.ballots)
    if entry.undone:
        data["undone"] = list(entry.undone)
    return data


def session_json(session: Session) -> dict[str, Any]:
    f = facts(session)
    p = session.proposal
    latest = {id(b) for b in session.latest().values()}
    tally = tally_fields(session, f.tally)
    tally["voters"] = {
        counted.value: [
            {"voter": b.voter, "name": b.name, "vote": b.vote.text, "binding": b.binding}
            for b in f.voters(counted)
        ]
        for counted, _ in GROUPS
    }
    return {
        "export_version": EXPORT_VERSION,
        "proposal": {
            "title": p.title,
            "kind": p.kind.value,
            "rule": p.rule,
            "summary": p.summary,
            "links": list(p.links),
            "opens_at": time_json(p.opens_at),
            "closes_at": time_json(p.closes_at),
            "status": p.status.value,
            "closed_at": time_json(p.closed_at),
            **({"window": format_span(p.window)} if p.opens_at is None else {}),
            "mailing_list": p.mailing_list,
            **({"thread": p.thread} if p.thread else {}),
            **({"list_thread": p.list_thread} if p.list_thread else {}),
            **({"repo": p.repo} if p.repo != DEFAULT_REPO else {}),
            "published": [_published(post) for post in p.published],
        },
        "roster": [
            {
                "id": m.id,
                "name": m.name,
                "email": m.email,
                "github": m.github,
                "binding": m.binding,
                "recused": m.recused,
                **({"emails": list(m.emails)} if m.emails else {}),
            }
            for m in session.roster
        ],
        "ballots": [_ballot(b, id(b) in latest, p.closes_at) for b in session.ballots],
        "tally": tally,
        "after_window": _after_window(f),
        "log": [_log_entry(e) for e in session.log],
        "chain": {
            "session_id": session.session_id,
            "entries": len(session.log),
            "head": session.chain_head,
            "fingerprint": fingerprint(session),
        },
    }


def _after_window(f: ResultFacts) -> dict[str, Any]:
    """The ballots recorded after the window ended: how many, and whether the outcome depends on them."""
    word, depends, _ = f.late_verdict()
    return {
        "window_ended": time_json(f.session.proposal.closes_at),
        "ballots": len(f.late()),
        "outcome_without_them": word.lower(),
        "outcome_depends_on_them": depends,
    }


_UNSAFE = re.compile("[\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def json_text(session: Session) -> str:
    """The JSON export: every string exactly as recorded, safe to print (see `dumps`)."""
    return dumps(session_json(session)) + "\n"


def dumps(data: object) -> str:
    """JSON for a terminal or a file: strings exact, and safe to print. JSON escapes control
    characters; the ones it would leave raw (DEL, C1, bidi controls) are escaped too."""
    text = json.dumps(data, indent=2, ensure_ascii=False)
    return _UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
