"""The whole session as JSON (documented in docs/export-format.md)."""

from __future__ import annotations

import json
from typing import Any

from pendulum import DateTime

from tvm_vote_tui.domain.model import Ballot, Session
from tvm_vote_tui.domain.rules import latest_ballots
from tvm_vote_tui.publish.result import GROUPS, facts

EXPORT_VERSION = 1


def _time(moment: DateTime | None) -> str | None:
    return None if moment is None else moment.isoformat()


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


def session_json(session: Session) -> dict[str, Any]:
    f = facts(session)
    p = session.proposal
    latest = {id(b) for b in latest_ballots(session.ballots).values()}
    tally = f.tally.as_json()
    tally["voters"] = {
        counted.value: [
            {"voter": b.voter, "name": b.name, "vote": b.vote.text, "binding": b.binding}
            for b in f.voters(counted)
        ]
        for counted, _ in GROUPS
    }
    tally["outcome"] = (
        ("passed" if f.tally.passes else "failed")
        if session.is_closed
        else ("passing" if f.tally.passes else "failing")
    )
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
        },
        "roster": [
            {
                "id": m.id,
                "name": m.name,
                "email": m.email,
                "github": m.github,
                "binding": m.binding,
                "recused": m.recused,
            }
            for m in session.roster
        ],
        "ballots": [_ballot(b, id(b) in latest) for b in session.ballots],
        "tally": tally,
        "log": [{"at": _time(e.at), "action": e.action, "detail": e.detail} for e in session.log],
    }


def json_text(session: Session) -> str:
    return json.dumps(session_json(session), indent=2, ensure_ascii=False) + "\n"
