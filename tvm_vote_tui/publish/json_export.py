"""The whole session as JSON (documented in docs/export-format.md)."""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING, Any

from tvm_vote_tui.domain.model import Ballot, LogEntry, Published, Session
from tvm_vote_tui.domain.thread_ref import DEFAULT_REPO
from tvm_vote_tui.domain.times import format_span
from tvm_vote_tui.publish.proof import fingerprint
from tvm_vote_tui.publish.result import GROUPS, facts

if TYPE_CHECKING:
    from pendulum import DateTime

EXPORT_VERSION = 1


def _time(moment: DateTime | None) -> str | None:
    return None if moment is None else moment.isoformat()


def _published(post: Published) -> dict[str, Any]:
    """A published step as the session file has it: a number and a Message-ID only when known."""
    data: dict[str, Any] = {"step": post.step, "url": post.url, "at": _time(post.at)}
    if post.number is not None:
        data["number"] = post.number
    if post.message_id:
        data["message_id"] = post.message_id
    return data


def _ballot(ballot: Ballot, current: bool) -> dict[str, Any]:
    return {
        "voter": ballot.voter,
        "vote": None if ballot.vote is None else ballot.vote.text,
        "withdrawn": ballot.vote is None,
        "counts_as": None if ballot.vote is None else ballot.vote.counted.value,
        "cast_at": _time(ballot.cast_at),
        "note": ballot.note,
        "justification": ballot.justification,
        "source": ballot.source,
        "current": current,
    }


def _log_entry(entry: LogEntry) -> dict[str, Any]:
    data: dict[str, Any] = {"at": _time(entry.at), "action": entry.action, "detail": entry.detail}
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
    tally = f.tally.as_json()
    tally["voters"] = {
        counted.value: [
            {"voter": b.voter, "name": b.name, "vote": b.vote.text, "binding": b.binding}
            for b in f.voters(counted)
        ]
        for counted, _ in GROUPS
    }
    tally["outcome"] = f.tally.verdict(session.is_closed).word.lower()
    return {
        "export_version": EXPORT_VERSION,
        "proposal": {
            "title": p.title,
            "kind": p.kind.value,
            "rule": p.rule,
            "summary": p.summary,
            "links": list(p.links),
            "opens_at": _time(p.opens_at),
            "closes_at": _time(p.closes_at),
            "status": p.status.value,
            "closed_at": _time(p.closed_at),
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
        "ballots": [_ballot(b, id(b) in latest) for b in session.ballots],
        "tally": tally,
        "log": [_log_entry(e) for e in session.log],
        "chain": {
            "session_id": session.session_id,
            "entries": len(session.log),
            "head": session.chain_head,
            "fingerprint": fingerprint(session),
        },
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
