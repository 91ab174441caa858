"""Prove or disprove a result we published from the JSON export it came from.

Everything is derived again from the export's ballots, roster and log with the same functions
that published it: the chain of the audit log (every link, and the head it states), the ballots
the log recorded against the ballots the export holds, the tally under the stated rule, the
fingerprint, and (given the result text or Markdown) every line of the result: its counts, names,
outcome and fingerprint. The result text is never compared with a copy of its wording here, only
with what `publish` makes of the export, so a later wording is checked as it is."""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from tvm_vote_tui.audit.export_reader import Export
from tvm_vote_tui.audit.findings import Report
from tvm_vote_tui.domain import chain
from tvm_vote_tui.domain.ballots import Ballot, LogEntry
from tvm_vote_tui.domain.model import Session
from tvm_vote_tui.domain.text import MULTILINE, one_line, plural, visible
from tvm_vote_tui.domain.times import format_utc
from tvm_vote_tui.publish.json_export import session_json
from tvm_vote_tui.publish.markdown import result_markdown
from tvm_vote_tui.publish.proof import fingerprint
from tvm_vote_tui.publish.result import result_text
from tvm_vote_tui.votethread.result_text import read_result

BALLOT_ACTIONS = frozenset({"ballot", "withdraw", "import", "undo"})
"""Log actions that add or take back ballots: each records what it did, since the chain began."""


@dataclass
class Verified:
    report: Report
    head: str
    fingerprint: str
    ballots: int
    entries: int


def verify(export: Export, result: str | None = None) -> Verified:
    """Check `export` (and the result text or Markdown `result`, when given)."""
    report = Report()
    session = export.session
    walked = chain.check(session.log, session.session_id)
    if export.chain is None:
        report.add(
            "no-chain",
            "the export has no chain (written by a tvm-vote-tui from before the audit log was chained): "
            "its log and its fingerprint cannot be checked",
        )
    else:
        _check_chain(report, session.log, walked, export.chain)
        _check_ballots(report, session, walked)
    _check_tally(report, session, export.data)
    computed = fingerprint(session, walked.head)
    stated = (export.chain or {}).get("fingerprint")
    if export.chain is not None and stated != computed:
        report.add(
            "fingerprint",
            f"the export states the fingerprint {_shown(stated)}, but its contents give {computed}: "
            "the export was changed after it was written",
            stated=stated,
            computed=computed,
        )
    if result is not None:
        _check_result(report, session, result, computed)
    return Verified(report, walked.head, computed, len(session.ballots), len(session.log))


def _shown(value: object) -> str:
    return one_line(value) if isinstance(value, str) else repr(value)


def _entry(entries: Sequence[LogEntry], index: int) -> str:
    """'entry 7 (2026-11-24 18:03 UTC, ballot: Ada Lindqvist (ada) voted +1)'."""
    e = entries[index]
    detail = one_line(e.detail)
    detail = detail if len(detail) <= 60 else detail[:59] + "…"
    return f"log entry {index + 1} ({format_utc(e.at)}, {one_line(e.action)}: {detail})"


# -- the chain ---------------------------------------------------------------------------------


def _check_chain(
    report: Report, entries: Sequence[LogEntry], walked: chain.ChainCheck, stated: dict[str, Any]
) -> None:
    breaks = {b.index: b for b in walked.breaks}
    for index in sorted(breaks):
        brk = breaks.get(index)
        if brk is None:
            continue  # explained with the entry before it
        here = _entry(entries, index)
        if brk.follows is not None and brk.follows != index - 1:
            moved = breaks.get(index + 1)
            if brk.follows == index + 1 and moved is not None and moved.follows == index - 1:
                report.add(
                    "log-order",
                    f"{here} and the entry after it are in the wrong order: each records the other as "
                    "the one before it",
                    entry=index + 1,
                )
                breaks.pop(index + 2, None)  # the entry after the pair follows the moved one
                breaks.pop(index + 1, None)
                continue
            report.add(
                "log-order",
                f"{here} was written after {_entry(entries, brk.follows)}, not after the entry before "
                "it: entries were moved",
                entry=index + 1,
            )
        elif brk.first:
            report.add("log-order", f"{here} records itself as the first entry of the log", entry=index + 1)
        elif index == 0:
            report.add(
                "log-anchor",
                f"{here} is not anchored to this session's id ({one_line(walked_id(stated))}): "
                "another session's log, or a changed session id",
                entry=1,
            )
        else:
            report.add(
                "log-link",
                f"{here} does not follow the entry before it: {_entry(entries, index - 1)} was changed, "
                "or an entry between them was dropped",
                entry=index + 1,
            )
    for index in walked.unlinked_after_start:
        report.add(
            "log-unlinked",
            f"{_entry(entries, index)} records no link, after entries that do (written by an older "
            "version, or its link was removed)",
            entry=index + 1,
        )
    if walked.legacy:
        report.note(
            f"log entries 1 to {walked.legacy} were written before the log was chained; their links "
            "are computed from their contents"
        )
    count = stated.get("entries")
    if type(count) is int and count != len(entries):
        what = "dropped" if count > len(entries) else "added"
        report.add(
            "log-entries",
            f"the chain states {count} log entries but the log holds {len(entries)}: entries were {what}",
            stated=count,
            found=len(entries),
        )
    head = stated.get("head")
    if head != walked.head and not walked.breaks:
        report.add(
            "chain-head",
            f"the export states the chain head {_shown(head)}, but its log gives {walked.head}: "
            + (f"{_entry(entries, len(entries) - 1)} was changed" if entries else "the log is empty"),
            stated=head,
            computed=walked.head,
        )


def walked_id(stated: dict[str, Any] | None) -> str:
    value = (stated or {}).get("session_id", "")
    return value if isinstance(value, str) and value else "none"


# -- the ballots the log recorded ---------------------------------------------------------------


def _check_ballots(report: Report, session: Session, walked: chain.ChainCheck) -> None:
    entries = session.log
    # A linked entry records every ballot its change added or took back (none, for an undo of a
    # roster change): its link covers them, so only entries from before the chain lack them.
    legacy = [i for i in walked.entries_before_chain if entries[i].action in BALLOT_ACTIONS]
    if legacy:
        report.note(
            f"{plural(len(legacy), 'log entry', 'log entries')} that add or take back ballots "
            f"{'records' if len(legacy) == 1 else 'record'} no digests (written before the log was "
            "chained): the ballots are checked through the tally and the fingerprint only"
        )
        return
    recorded: list[tuple[str, int]] = []  # (digest, entry index)
    for index, entry in enumerate(entries):
        for position in sorted(entry.undone, reverse=True):
            if position < len(recorded):
                del recorded[position]
            else:
                report.add(
                    "ballot-log",
                    f"{_entry(entries, index)} takes back ballot {position + 1}, which the log never "
                    "recorded",
                    entry=index + 1,
                )
        recorded += [(digest, index) for digest in entry.ballots]
    held = [chain.ballot_digest(b) for b in session.ballots]
    wanted = [d for d, _ in recorded]
    matcher = difflib.SequenceMatcher(None, wanted, held, autojunk=False)
    where_held = {digest: j for j, digest in enumerate(held)}
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        missing = recorded[i1:i2]
        found = list(range(j1, j2))
        for k, (digest, origin) in enumerate(missing):
            if digest in where_held:
                report.add(
                    "ballot-order",
                    f"{_ballot(session, where_held[digest])} is out of order: the log recorded it as "
                    f"ballot {_position(recorded, digest) + 1}, at {_entry(entries, origin)}",
                    ballot=where_held[digest] + 1,
                )
                continue
            if k < len(found) and held[found[k]] not in wanted:
                report.add(
                    "ballot-changed",
                    f"{_ballot(session, found[k])} is not the ballot the log recorded at "
                    f"{_entry(entries, origin)}: it was changed",
                    ballot=found[k] + 1,
                    entry=origin + 1,
                )
                continue
            report.add(
                "ballot-missing",
                f"the ballot recorded at {_entry(entries, origin)} is not in the export: it was dropped",
                entry=origin + 1,
            )
        for j in found[len(missing) :]:
            if held[j] not in wanted:
                report.add(
                    "ballot-unrecorded",
                    f"{_ballot(session, j)} is in the export, but no log entry records it: it was added",
                    ballot=j + 1,
                )


def _position(recorded: list[tuple[str, int]], digest: str) -> int:
    return next(i for i, (d, _) in enumerate(recorded) if d == digest)


def _ballot(session: Session, index: int) -> str:
    b: Ballot = session.ballots[index]
    vote = "withdrawn" if b.vote is None else b.vote.text
    return f"ballot {index + 1} ({one_line(b.voter)} {vote}, {format_utc(b.cast_at)})"


# -- the tally ---------------------------------------------------------------------------------


def _check_tally(report: Report, session: Session, data: dict[str, Any]) -> None:
    derived = session_json(session)
    stated = data.get("tally")
    if not isinstance(stated, dict):
        report.add("tally", "the export has no tally")
        return
    mine = derived["tally"]
    for part in ("binding", "non_binding"):
        for value, label in (("plus", "+1"), ("zero", "0"), ("minus", "-1")):
            said = (stated.get(part) or {}).get(value) if isinstance(stated.get(part), dict) else None
            if said != mine[part][value]:
                words = "binding" if part == "binding" else "non-binding"
                report.add(
                    "tally",
                    f"the export's tally says {_shown(said)} {words} {label}, but its ballots give "
                    f"{mine[part][value]}",
                    value=label,
                    binding=part == "binding",
                    stated=said,
                    derived=mine[part][value],
                )
    for key in ("rule", "passes", "outcome"):
        if stated.get(key) != mine[key]:
            report.add(
                "tally",
                f"the export's tally says {key} {_shown(stated.get(key))}, but its ballots under "
                f"{session.rule.name} give {_shown(mine[key])}",
                field=key,
            )
    late = data.get("after_window")
    if late is not None and late != derived["after_window"]:
        report.add(
            "tally",
            f"the export says of the ballots after the window {_shown(late)}, but its ballots give "
            f"{_shown(derived['after_window'])}",
            field="after_window",
        )
    given = data.get("ballots")
    if isinstance(given, list):
        for index, (said_ballot, mine_ballot) in enumerate(zip(given, derived["ballots"], strict=False)):
            if not isinstance(said_ballot, dict):
                continue
            for key in ("current", "counts_as", "after_window"):
                if key == "after_window" and key not in said_ballot:
                    continue  # an export from before it was written
                if said_ballot.get(key) != mine_ballot[key]:
                    report.add(
                        "tally",
                        f"{_ballot(session, index)}: the export says {key} {_shown(said_ballot.get(key))}, "
                        f"but the ballots give {_shown(mine_ballot[key])}",
                        ballot=index + 1,
                    )


# -- the result text ---------------------------------------------------------------------------


def _normal(text: str) -> list[str]:
    lines = [visible(line, MULTILINE).rstrip() for line in text.replace("\r\n", "\n").split("\n")]
    while lines and not lines[-1]:
        lines.pop()
    while lines and not lines[0]:
        lines.pop(0)
    return lines


def _is_markdown(text: str) -> bool:
    first = next((line for line in text.splitlines() if line.strip()), "")
    return first.startswith("# ")


def _check_result(report: Report, session: Session, text: str, computed: str) -> None:
    made = result_markdown(session) if _is_markdown(text) else result_text(session)
    given_read, made_read = read_result(text), read_result(made)
    if not given_read.fingerprint:
        report.add("result-fingerprint", "the result carries no fingerprint line")
    elif given_read.fingerprint != computed:
        report.add(
            "result-fingerprint",
            f"the result's fingerprint {given_read.fingerprint} is not the export's ({computed}): the result "
            "was not made from this export, or the export was changed since",
            stated=given_read.fingerprint,
            computed=computed,
        )
    given = _normal(text)
    expected = _normal(made)
    if given and expected and expected[0].startswith("Subject:") and not given[0].startswith("Subject:"):
        expected = expected[1:]  # posted without its subject line (a GitHub comment): fine
        while expected and not expected[0]:
            expected.pop(0)
        shift = len(_normal(made)) - len(expected)
    else:
        shift = 0
    given_roles = _roles(text)
    made_roles = {n - shift: role for n, role in made_read.roles.items()}
    skip_given = {n for n, r in given_roles.items() if r == "fingerprint"}
    skip_made = {n for n, r in made_roles.items() if r == "fingerprint"}
    g = [(n, line) for n, line in enumerate(given, start=1) if n not in skip_given]
    m = [(n, line) for n, line in enumerate(expected, start=1) if n not in skip_made]
    matcher = difflib.SequenceMatcher(None, [x for _, x in m], [x for _, x in g], autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        theirs, ours = g[j1:j2], m[i1:i2]
        for k in range(max(len(theirs), len(ours))):
            t = theirs[k] if k < len(theirs) else None
            o = ours[k] if k < len(ours) else None
            role = made_roles.get(o[0], "") if o else given_roles.get(t[0], "") if t else ""
            _result_finding(report, role, t, o)


def _roles(text: str) -> dict[int, str]:
    """Line roles of `text` as `_normal` numbers its lines (leading blank lines dropped)."""
    lines = text.replace("\r\n", "\n").split("\n")
    lead = 0
    while lead < len(lines) and not lines[lead].strip():
        lead += 1
    return {n - lead: role for n, role in read_result(text).roles.items()}


_ROLE_WORDS = {"count": "the count of", "list": "a name under", "outcome": "the outcome"}


def _result_finding(
    report: Report, role: str, theirs: tuple[int, str] | None, ours: tuple[int, str] | None
) -> None:
    kind_word, _, value = role.partition(" ")
    what = f"{_ROLE_WORDS.get(kind_word, 'the text')}{' ' + value if value else ''}"
    kind = {"count": "result-count", "list": "result-name", "outcome": "result-outcome"}.get(
        kind_word, "result-text"
    )
    if theirs is not None and ours is not None:
        report.add(
            kind,
            f"line {theirs[0]} of the result, {what}: it says {theirs[1].strip()!r}, the export gives "
            f"{ours[1].strip()!r}",
            line=theirs[0],
            stated=theirs[1],
            derived=ours[1],
        )
    elif theirs is not None:
        report.add(
            kind,
            f"line {theirs[0]} of the result, {what}: {theirs[1].strip()!r} is not in what the export gives",
            line=theirs[0],
            stated=theirs[1],
        )
    elif ours is not None:
        report.add(
            kind,
            f"the result leaves out {what}: {ours[1].strip()!r} (line {ours[0]} of what the export gives)",
            derived=ours[1],
        )
