"""TOML <-> Session. Validation errors name the file, the field and, where known, the line.

Loading is strict where silence would lose or invent data: fields this version does not know
are kept and written back as they are, and a value it cannot read is an error, never a guess."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tvm_vote_tui.domain.model import (
    SCHEMA_VERSION,
    Ballot,
    Kind,
    LogEntry,
    Member,
    Proposal,
    Published,
    Session,
    Status,
)
from tvm_vote_tui.domain.proposal import DEFAULT_LIST, MAIL_ADDRESS, USUAL_WINDOW, whole_minutes
from tvm_vote_tui.domain.roster import member_fault
from tvm_vote_tui.domain.rules import RULES
from tvm_vote_tui.domain.text import MULTILINE, id_key
from tvm_vote_tui.domain.thread_ref import DEFAULT_REPO, ThreadRefError, parse_list_thread, parse_repo
from tvm_vote_tui.domain.times import TimeInputError, format_span, parse_span
from tvm_vote_tui.domain.votes import VoteError, parse_vote
from tvm_vote_tui.store.reader import Reader, SessionFileError, parse_toml

if TYPE_CHECKING:  # pendulum is imported where used: the app's start needs none of it
    from pendulum import DateTime

__all__ = ["SessionFileError", "parse_toml", "session_from_toml", "session_to_toml"]

SESSION_KEYS = frozenset(
    {"schema_version", "session_id", "journal_seq", "proposal", "roster", "ballots", "log"}
)
ROSTER_FILE_KEYS = frozenset({"schema_version", "roster"})
PROPOSAL_KEYS = frozenset(
    {
        "title",
        "kind",
        "rule",
        "summary",
        "links",
        "opens_at",
        "closes_at",
        "window",
        "status",
        "closed_at",
        "thread",
        "list_thread",
        "repo",
        "mailing_list",
        "published",
    }
)
PUBLISHED_KEYS = frozenset({"step", "url", "at", "number", "message_id"})
MEMBER_KEYS = frozenset({"id", "name", "email", "binding", "github", "recused", "emails"})
BALLOT_KEYS = frozenset({"voter", "vote", "withdrawn", "cast_at", "note", "justification", "source"})
LOG_KEYS = frozenset({"at", "action", "detail", "prev", "ballots", "undone"})


def _check_version(reader: Reader, doc: dict[str, Any]) -> None:
    version = reader.get(doc, "schema_version", "", int)
    if version > SCHEMA_VERSION:
        raise reader.fail(
            "schema_version",
            f"written by a newer tvm-vote-tui (schema_version {version}); "
            f"this version reads up to {SCHEMA_VERSION}",
        )
    if version < 1:
        raise reader.fail("schema_version", f"schema_version must be 1 or more, found {version}")


def member_from_dict(reader: Reader, table: dict[str, Any], where: str) -> Member:
    """One [[roster]] table, checked like every roster member (domain.roster.member_fault)."""
    member = Member(
        id=reader.get(table, "id", where, str).strip(),
        name=reader.get(table, "name", where, str).strip(),
        email=reader.get(table, "email", where, str, ""),
        binding=reader.get(table, "binding", where, bool, True),
        github=reader.get(table, "github", where, str, ""),
        recused=reader.get(table, "recused", where, bool, False),
        emails=tuple(reader.strings(table, "emails", where)),
        extra=reader.extra(table, MEMBER_KEYS, where),
    )
    fault = member_fault(member, ())
    if fault:
        raise reader.fail(f"{where}.{fault[0]}", fault[1])
    return member


def members_from_list(reader: Reader, tables: list[Any], key: str = "roster") -> list[Member]:
    """Every member of a roster; ids are one id when they differ only in case or Unicode form."""
    members: list[Member] = []
    seen: dict[str, str] = {}
    for i, table in enumerate(reader.tables({key: tables}, key)):
        where = f"{key}[{i}]"
        member = member_from_dict(reader, table, where)
        same_id = id_key(member.id)
        if same_id in seen:
            first = seen[same_id]
            same = "" if first == member.id else f" (as {first!r}: case and Unicode form are ignored)"
            raise reader.fail(f"{where}.id", f"member id {member.id!r} appears twice in the roster{same}")
        seen[same_id] = member.id
        members.append(member)
    return members


def ballot_from_dict(reader: Reader, table: dict[str, Any], where: str) -> Ballot:
    withdrawn = reader.get(table, "withdrawn", where, bool, False)
    vote = None
    if withdrawn:
        if "vote" in table:
            raise reader.fail(
                f"{where}.vote", "a withdrawal (withdrawn = true) has no vote; remove one of them"
            )
    else:
        raw = reader.get(table, "vote", where, str)
        vote = reader.votes.get(raw)
        if vote is None:
            try:
                vote = reader.votes[raw] = parse_vote(raw)  # a Vote is immutable: shared
            except VoteError as err:
                raise reader.fail(f"{where}.vote", str(err)) from None
    voter = reader.text(table, "voter", where).strip()
    if not voter:
        raise reader.fail(f"{where}.voter", "voter is empty")
    return Ballot(
        voter=voter,
        vote=vote,
        cast_at=reader.when(table, "cast_at", where),
        note=reader.text(table, "note", where, "", keep=MULTILINE),
        justification=reader.text(table, "justification", where, "", keep=MULTILINE),
        source=reader.text(table, "source", where, "live"),
        extra=reader.extra(table, BALLOT_KEYS, where),
    )


def log_from_dict(reader: Reader, table: dict[str, Any], where: str) -> LogEntry:
    """A log entry. Its detail is the app's own sentence, quoting file names as they are: it is
    never refused (that would lose the whole vote over a word), and always shown made visible."""
    return LogEntry(
        at=reader.when(table, "at", where),
        action=reader.get(table, "action", where, str),
        detail=reader.get(table, "detail", where, str, ""),
        extra=reader.extra(table, LOG_KEYS, where),
        prev=reader.text(table, "prev", where, ""),
        ballots=tuple(reader.strings(table, "ballots", where)) if "ballots" in table else (),
        undone=_positions(reader, table, where) if "undone" in table else (),
    )


def _positions(reader: Reader, table: dict[str, Any], where: str) -> tuple[int, ...]:
    values = reader.get(table, "undone", where, list)
    if not all(type(value) is int and value >= 0 for value in values):
        raise reader.fail(f"{where}.undone", "expected a list of ballot positions (whole numbers, 0 or more)")
    return tuple(values)


def proposal_from_dict(reader: Reader, table: Any) -> Proposal:
    """The [proposal] table (journal entries carry the same shape)."""
    if not isinstance(table, dict):
        raise reader.fail("proposal", "required table [proposal] is missing")
    where = "proposal"
    kind = reader.choice(table, "kind", where, Kind, ", ".join(Kind), Kind.OTHER.value)
    rule = reader.get(table, "rule", where, str, kind.default_rule)
    if rule not in RULES:
        raise reader.fail("proposal.rule", f"unknown rule {rule!r}: use one of {', '.join(RULES)}")
    # Not refused: a title is the sender's words, like a log line, and every output shows it made
    # visible (`visible`/`one_line`); ids, names, addresses and handles are refused instead.
    title = reader.get(table, "title", where, str).strip()
    if not title:
        raise reader.fail("proposal.title", "title is empty")
    # Files from before drafts have no status, or `open`: read exactly as before.
    status = reader.choice(table, "status", where, Status, ", ".join(Status), Status.OPEN.value)
    if status is Status.DRAFT:
        opens_at = closes_at = closed_at = None
        for key in ("opens_at", "closes_at", "closed_at"):
            if key in table:
                raise reader.fail(
                    f"proposal.{key}", f"a draft has no {key}: it is set when the vote opens (or closes)"
                )
        window = _window(reader, table)
    else:
        if "window" in table:
            raise reader.fail("proposal.window", "only a draft has a window: an opened vote has closes_at")
        opens_at = reader.when(table, "opens_at", where)
        closes_at = reader.when(table, "closes_at", where)
        closed_at = reader.when(table, "closed_at", where, None)
        if closes_at <= opens_at:
            raise reader.fail(
                "proposal.closes_at", "the vote must close after it opens (closes_at after opens_at)"
            )
        if closed_at is not None and closed_at < opens_at:
            raise reader.fail(
                "proposal.closed_at",
                "the vote cannot have closed before it opened (closed_at before opens_at)",
            )
        window = closes_at - opens_at
    return Proposal(
        title=title,
        kind=kind,
        rule=rule,
        summary=reader.text(table, "summary", where, "", keep=MULTILINE),
        links=tuple(reader.strings(table, "links", where)),
        opens_at=opens_at,
        closes_at=closes_at,
        status=status,
        closed_at=closed_at,
        thread=reader.text(table, "thread", where, ""),
        list_thread=_list_thread(reader, table),
        repo=_repo(reader, table),
        window=window,
        mailing_list=_mailing_list(reader, table),
        published=_published(reader, table),
        extra=reader.extra(table, PROPOSAL_KEYS, where),
    )


def _window(reader: Reader, table: dict[str, Any]) -> timedelta:
    """A draft's window, written as the app writes it (`+7d`, `+3d12h`); the usual 7 days when absent."""
    text = reader.text(table, "window", "proposal", "")
    if not text:
        return USUAL_WINDOW
    try:
        return whole_minutes(parse_span(text))
    except TimeInputError as err:
        raise reader.fail("proposal.window", str(err)) from None


def _mailing_list(reader: Reader, table: dict[str, Any]) -> str:
    address = reader.text(table, "mailing_list", "proposal", DEFAULT_LIST).strip()
    if not MAIL_ADDRESS.fullmatch(address):
        raise reader.fail("proposal.mailing_list", f"not a mail address such as {DEFAULT_LIST}")
    return address


def _list_thread(reader: Reader, table: dict[str, Any]) -> str:
    url = reader.text(table, "list_thread", "proposal", "").strip()
    if not url:
        return ""
    try:
        return parse_list_thread(url).url
    except ThreadRefError as err:
        raise reader.fail("proposal.list_thread", str(err)) from None


def _repo(reader: Reader, table: dict[str, Any]) -> str:
    text = reader.text(table, "repo", "proposal", DEFAULT_REPO).strip()
    try:
        return str(parse_repo(text))
    except ThreadRefError as err:
        raise reader.fail("proposal.repo", str(err)) from None


def _published(reader: Reader, table: dict[str, Any]) -> tuple[Published, ...]:
    """What was published where: each step once. A step this version does not know (a newer
    one's) is kept as it is."""
    posts: list[Published] = []
    seen: set[str] = set()
    for i, entry in enumerate(reader.tables(table, "published")):
        where = f"published[{i}]"
        step = reader.text(entry, "step", where).strip()
        if not step:
            raise reader.fail(f"{where}.step", "step is empty")
        if step in seen:
            raise reader.fail(f"{where}.step", f"the step {step!r} is recorded twice")
        seen.add(step)
        number = reader.get(entry, "number", where, int, None)
        if number is not None and number < 1:
            raise reader.fail(f"{where}.number", f"expected a number of 1 or more, found {number}")
        posts.append(
            Published(
                step=step,
                url=reader.text(entry, "url", where, ""),
                at=reader.when(entry, "at", where),
                number=number,
                message_id=reader.text(entry, "message_id", where, ""),
                extra=reader.extra(entry, PUBLISHED_KEYS, where),
            )
        )
    return tuple(posts)


def session_from_toml(text: str, path: Path | str = "<session>") -> Session:
    """Parse and validate a session file's text."""
    return session_from_doc(Reader(path, text), parse_toml(text, path))


def session_from_doc(reader: Reader, doc: dict[str, Any]) -> Session:
    """Validate a parsed session document, every field through `reader`."""
    _check_version(reader, doc)
    proposal = proposal_from_dict(reader, doc.get("proposal"))
    roster = members_from_list(reader, doc.get("roster", []))
    ballots = [
        ballot_from_dict(reader, t, f"ballots[{i}]") for i, t in enumerate(reader.tables(doc, "ballots"))
    ]
    log = [log_from_dict(reader, t, f"log[{i}]") for i, t in enumerate(reader.tables(doc, "log"))]
    revision = reader.get(doc, "journal_seq", "", int, 0)
    if revision < 0:
        raise reader.fail("journal_seq", f"journal_seq must be 0 or more, found {revision}")
    return Session(
        proposal,
        roster,
        ballots,
        log,
        session_id=reader.text(doc, "session_id", "", ""),
        revision=revision,
        extra=reader.extra(doc, SESSION_KEYS, ""),
    )


def roster_from_toml(text: str, path: Path | str = "<roster>") -> list[Member]:
    doc = parse_toml(text, path)
    reader = Reader(path, text)
    if "schema_version" in doc:
        _check_version(reader, doc)
    return members_from_list(reader, doc.get("roster", []))


def roster_file_extra(text: str, path: Path | str = "<roster>") -> dict[str, Any]:
    """The top-level fields of a shared roster file this version does not know."""
    return Reader(path, text).extra(parse_toml(text, path), ROSTER_FILE_KEYS, "")


def _when(moment: DateTime) -> dt.datetime:
    """A plain datetime with a fixed offset, which tomli-w writes as a TOML offset date-time."""
    offset = moment.utcoffset() or dt.timedelta(0)
    return dt.datetime(
        moment.year,
        moment.month,
        moment.day,
        moment.hour,
        moment.minute,
        moment.second,
        moment.microsecond,
        tzinfo=dt.UTC if not offset else dt.timezone(offset),
    )


def _with_extra(data: dict[str, Any], extra: Mapping[str, object], keep: bool) -> dict[str, Any]:
    if keep:
        data.update(extra)
    return data


EXTRA = "+toml"
"""Key under which the JSON forms of a table (journal lines, the mirror) carry the fields a newer
version wrote, as TOML text: JSON would change their types."""


def packed(data: dict[str, Any], extra: Mapping[str, object]) -> dict[str, Any]:
    """`data` (a table without its unknown fields) with those fields packed under EXTRA."""
    if extra:
        import tomli_w  # only writers need it

        data[EXTRA] = tomli_w.dumps(dict(extra))
    return data


def plain_time(value: object) -> object:
    """json.dumps' `default`: a date-time as ISO text (the tables above hold plain datetimes)."""
    if isinstance(value, dt.datetime):
        return value.isoformat()
    raise TypeError(f"cannot write {type(value).__name__} as JSON")


def member_to_dict(member: Member, *, extra: bool = True) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": member.id,
        "name": member.name,
        "email": member.email,
        "binding": member.binding,
    }
    if member.github:
        data["github"] = member.github
    if member.recused:
        data["recused"] = True
    if member.emails:
        data["emails"] = list(member.emails)
    return _with_extra(data, member.extra, extra)


def ballot_to_dict(ballot: Ballot, *, extra: bool = True) -> dict[str, Any]:
    data: dict[str, Any] = {"voter": ballot.voter}
    if ballot.vote is None:
        data["withdrawn"] = True
    else:
        data["vote"] = ballot.vote.text
    data["cast_at"] = _when(ballot.cast_at)
    data["note"] = ballot.note
    if ballot.justification:
        data["justification"] = ballot.justification
    if ballot.source != "live":
        data["source"] = ballot.source
    return _with_extra(data, ballot.extra, extra)


def log_to_dict(entry: LogEntry, *, extra: bool = True) -> dict[str, Any]:
    data: dict[str, Any] = {"at": _when(entry.at), "action": entry.action, "detail": entry.detail}
    if entry.prev:
        data["prev"] = entry.prev
    if entry.ballots:
        data["ballots"] = list(entry.ballots)
    if entry.undone:
        data["undone"] = list(entry.undone)
    return _with_extra(data, entry.extra, extra)


def published_to_dict(post: Published, *, extra: bool = True) -> dict[str, Any]:
    """One published step; `extra=False` packs the fields a newer version wrote (the JSON forms)."""
    data: dict[str, Any] = {"step": post.step, "url": post.url, "at": _when(post.at)}
    if post.number is not None:
        data["number"] = post.number
    if post.message_id:
        data["message_id"] = post.message_id
    return _with_extra(data, post.extra, True) if extra else packed(data, post.extra)


def proposal_to_dict(p: Proposal, *, extra: bool = True) -> dict[str, Any]:
    proposal: dict[str, Any] = {
        "title": p.title,
        "kind": p.kind.value,
        "rule": p.rule,
        "summary": p.summary,
        "links": list(p.links),
    }
    if p.opens_at is not None and p.closes_at is not None:
        proposal["opens_at"] = _when(p.opens_at)
        proposal["closes_at"] = _when(p.closes_at)
    else:  # a draft: how long it will run, from when it opens
        proposal["window"] = format_span(p.window)
    proposal["status"] = p.status.value
    if p.closed_at is not None:
        proposal["closed_at"] = _when(p.closed_at)
    if p.thread:
        proposal["thread"] = p.thread
    if p.list_thread:
        proposal["list_thread"] = p.list_thread
    if p.repo != DEFAULT_REPO:
        proposal["repo"] = p.repo
    if p.mailing_list != DEFAULT_LIST:
        proposal["mailing_list"] = p.mailing_list
    if p.published:
        proposal["published"] = [published_to_dict(post, extra=extra) for post in p.published]
    return _with_extra(proposal, p.extra, extra)


def session_to_dict(session: Session) -> dict[str, Any]:
    doc: dict[str, Any] = {"schema_version": SCHEMA_VERSION}
    if session.session_id:
        doc["session_id"] = session.session_id  # its journal carries the same id
    if session.revision:
        doc["journal_seq"] = session.revision  # journal entries up to here are in this file
    doc.update(session.extra)
    doc["proposal"] = proposal_to_dict(session.proposal)
    doc["roster"] = [member_to_dict(m) for m in session.roster]
    doc["ballots"] = [ballot_to_dict(b) for b in session.ballots]
    doc["log"] = [log_to_dict(e) for e in session.log]
    return doc


def session_to_toml(session: Session) -> str:
    """The session file's text. Summaries and notes are written over several lines, as typed;
    but TOML reads a carriage return in such a string back as a plain newline, so a session
    holding one is written with escaped strings instead, and reads back exactly."""
    import tomli_w  # only writers need it

    doc = session_to_dict(session)
    return tomli_w.dumps(doc, multiline_strings=not _holds_carriage_return(doc))


def _holds_carriage_return(value: object) -> bool:
    if isinstance(value, str):
        return "\r" in value
    if isinstance(value, dict):
        return any(_holds_carriage_return(v) for v in value.values())
    if isinstance(value, list | tuple):
        return any(_holds_carriage_return(v) for v in value)
    return False


def roster_to_toml(members: Sequence[Member], extra: Mapping[str, object] | None = None) -> str:
    import tomli_w

    doc: dict[str, Any] = {"schema_version": SCHEMA_VERSION, **(extra or {})}
    doc["roster"] = [member_to_dict(m) for m in members]
    return tomli_w.dumps(doc)


def reader_for(path: Path | str, text: str = "") -> Reader:
    return Reader(path, text)
