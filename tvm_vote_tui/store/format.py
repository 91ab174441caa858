"""TOML <-> Session. Validation errors name the file, the field and, where known, the line."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from tvm_vote_tui.domain.model import (
    SCHEMA_VERSION,
    Ballot,
    Kind,
    LogEntry,
    Member,
    Proposal,
    Session,
    Status,
)
from tvm_vote_tui.domain.rules import RULES
from tvm_vote_tui.domain.votes import VoteError, parse_vote

if TYPE_CHECKING:  # tomllib and pendulum are imported where used: the app's start needs neither
    from pendulum import DateTime

T = TypeVar("T")


class SessionFileError(ValueError):
    """A session or roster file that cannot be read; the file is never touched."""

    def __init__(self, path: Path | str, message: str, *, field: str = "", line: int | None = None):
        self.path = str(path)
        self.field = field
        self.line = line
        self.message = message
        where = self.path
        if line is not None:
            where += f", line {line}"
        if field:
            where += f", field {field}"
        super().__init__(f"{where}: {message}")


_TOML_POSITION = re.compile(r"\(at line (\d+), column \d+\)")


class _Reader:
    """Walks a parsed TOML document with typed getters that raise SessionFileError."""

    def __init__(self, path: Path | str, text: str):
        self.path = path
        self.lines = text.splitlines()

    def fail(self, field: str, message: str) -> SessionFileError:
        return SessionFileError(self.path, message, field=field, line=self.locate(field))

    def locate(self, field: str) -> int | None:
        """Best-effort line of `key`, `table.key` or `table[index].key` in the source text."""
        match = re.fullmatch(r"(\w+)(?:\[(\d+)\])?(?:\.(\w+))?", field)
        if not match:
            return None
        table, index, key = match.groups()
        if key is None and index is None:  # a top-level key, or a table's own header
            key, table = table, None
        start = 0
        if table is not None:
            header = re.compile(rf"\s*\[\[?\s*{table}\s*\]\]?\s*(#.*)?$")
            headers = [n for n, line in enumerate(self.lines) if header.match(line)]
            wanted = int(index) if index is not None else 0
            if wanted >= len(headers):
                return None
            start = headers[wanted]
            if key is None:
                return start + 1
        key_line = re.compile(rf"\s*\"?{re.escape(key)}\"?\s*=")
        for number in range(start, len(self.lines)):
            line = self.lines[number]
            if key_line.match(line):
                return number + 1
            if number > start and line.lstrip().startswith("["):
                break
        return start + 1 if table is not None else None

    def get(self, table: dict[str, Any], key: str, where: str, kind: type[T], default: Any = ...) -> T:
        field = f"{where}.{key}" if where else key
        if key not in table:
            if default is ...:
                raise self.fail(field, f"required field {key!r} is missing")
            return default
        value = table[key]
        if kind is bool and not isinstance(value, bool):
            raise self.fail(field, f"expected true or false, found {_describe(value)}")
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            raise self.fail(
                field, f"expected {_KIND_NAMES.get(kind, kind.__name__)}, found {_describe(value)}"
            )
        return value

    def text(self, table: dict[str, Any], key: str, where: str, default: Any = ...) -> str:
        return self.get(table, key, where, str, default)

    def when(self, table: dict[str, Any], key: str, where: str, default: Any = ...) -> DateTime:
        field = f"{where}.{key}" if where else key
        value = self.get(table, key, where, object, default)
        if value is None:
            return value  # type: ignore[return-value]
        if not isinstance(value, dt.datetime):
            raise self.fail(
                field,
                f"expected a date-time with offset such as 2026-12-01T17:00:00Z, found {_describe(value)}",
            )
        if value.tzinfo is None:
            raise self.fail(
                field, "date-time has no UTC offset; write it as 2026-12-01T17:00:00Z or with +01:00"
            )
        import pendulum

        return pendulum.instance(value)

    def choice(
        self,
        table: dict[str, Any],
        key: str,
        where: str,
        choices: Callable[[str], T],
        allowed: str,
        default: Any = ...,
    ) -> T:
        value = self.text(table, key, where, default)
        try:
            return choices(value)
        except ValueError:
            raise self.fail(f"{where}.{key}", f"unknown value {value!r}: use one of {allowed}") from None

    def tables(self, doc: dict[str, Any], key: str) -> list[dict[str, Any]]:
        value = doc.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            raise self.fail(key, f"expected a list of tables written as [[{key}]]")
        return value


_KIND_NAMES: dict[type, str] = {str: "a string", int: "an integer", bool: "true or false", list: "a list"}


def _describe(value: object) -> str:
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, str):
        return f"the string {value!r}"
    if isinstance(value, int | float):
        return f"the number {value}"
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return f"the date/time {value.isoformat()}"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a table"
    return type(value).__name__


def parse_toml(text: str, path: Path | str) -> dict[str, Any]:
    import tomllib

    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        message = str(err)
        found = _TOML_POSITION.search(message)
        line = int(found.group(1)) if found else None
        raise SessionFileError(
            path, f"not valid TOML: {_TOML_POSITION.sub('', message).strip()}", line=line
        ) from None


def _check_version(reader: _Reader, doc: dict[str, Any]) -> None:
    version = reader.get(doc, "schema_version", "", int)
    if version > SCHEMA_VERSION:
        raise reader.fail(
            "schema_version",
            f"written by a newer tvm-vote-tui (schema_version {version}); "
            f"this version reads up to {SCHEMA_VERSION}",
        )
    if version < 1:
        raise reader.fail("schema_version", f"schema_version must be 1 or more, found {version}")


def _members(reader: _Reader, doc: dict[str, Any]) -> list[Member]:
    members: list[Member] = []
    seen: set[str] = set()
    for i, table in enumerate(reader.tables(doc, "roster")):
        where = f"roster[{i}]"
        member = Member(
            id=reader.text(table, "id", where).strip(),
            name=reader.text(table, "name", where).strip(),
            email=reader.text(table, "email", where, ""),
            binding=reader.get(table, "binding", where, bool, True),
            github=reader.text(table, "github", where, ""),
            recused=reader.get(table, "recused", where, bool, False),
            emails=tuple(_strings(reader, table, "emails", where)),
        )
        if not member.id:
            raise reader.fail(f"{where}.id", "member id is empty")
        if member.id in seen:
            raise reader.fail(f"{where}.id", f"member id {member.id!r} appears twice in the roster")
        seen.add(member.id)
        members.append(member)
    return members


def _strings(reader: _Reader, table: dict[str, Any], key: str, where: str) -> list[str]:
    values = reader.get(table, key, where, list, [])
    if not all(isinstance(value, str) for value in values):
        raise reader.fail(f"{where}.{key}", "expected a list of strings")
    return list(values)


def _ballots(reader: _Reader, doc: dict[str, Any]) -> list[Ballot]:
    return [
        ballot_from_dict(reader, table, f"ballots[{i}]")
        for i, table in enumerate(reader.tables(doc, "ballots"))
    ]


def ballot_from_dict(reader: _Reader, table: dict[str, Any], where: str) -> Ballot:
    withdrawn = reader.get(table, "withdrawn", where, bool, False)
    vote = None
    if not withdrawn:
        raw = reader.text(table, "vote", where)
        try:
            vote = parse_vote(raw)
        except VoteError as err:
            raise reader.fail(f"{where}.vote", str(err)) from None
    voter = reader.text(table, "voter", where).strip()
    if not voter:
        raise reader.fail(f"{where}.voter", "voter is empty")
    return Ballot(
        voter=voter,
        vote=vote,
        cast_at=reader.when(table, "cast_at", where),
        note=reader.text(table, "note", where, ""),
        justification=reader.text(table, "justification", where, ""),
        source=reader.text(table, "source", where, "live"),
    )


def _log(reader: _Reader, doc: dict[str, Any]) -> list[LogEntry]:
    return [log_from_dict(reader, table, f"log[{i}]") for i, table in enumerate(reader.tables(doc, "log"))]


def log_from_dict(reader: _Reader, table: dict[str, Any], where: str) -> LogEntry:
    return LogEntry(
        at=reader.when(table, "at", where),
        action=reader.text(table, "action", where),
        detail=reader.text(table, "detail", where, ""),
    )


def members_from_list(reader: _Reader, tables: list[Any]) -> list[Member]:
    return _members(reader, {"roster": tables})


def session_from_toml(text: str, path: Path | str = "<session>") -> Session:
    """Parse and validate a session file's text."""
    doc = parse_toml(text, path)
    reader = _Reader(path, text)
    _check_version(reader, doc)
    session = session_from_doc(reader, doc)
    session.revision = reader.get(doc, "journal_seq", "", int, 0)
    session.session_id = reader.text(doc, "session_id", "", "")
    return session


def session_from_doc(reader: _Reader, doc: dict[str, Any]) -> Session:
    if not isinstance(doc.get("proposal"), dict):
        raise reader.fail("proposal", "required table [proposal] is missing")
    table = doc["proposal"]
    kind = reader.choice(table, "kind", "proposal", Kind, ", ".join(Kind), Kind.OTHER.value)
    rule = reader.text(table, "rule", "proposal", kind.default_rule)
    if rule not in RULES:
        raise reader.fail("proposal.rule", f"unknown rule {rule!r}: use one of {', '.join(RULES)}")
    links = _strings(reader, table, "links", "proposal")
    title = reader.text(table, "title", "proposal").strip()
    if not title:
        raise reader.fail("proposal.title", "title is empty")
    proposal = Proposal(
        title=title,
        kind=kind,
        rule=rule,
        summary=reader.text(table, "summary", "proposal", ""),
        links=tuple(links),
        opens_at=reader.when(table, "opens_at", "proposal"),
        closes_at=reader.when(table, "closes_at", "proposal"),
        status=reader.choice(table, "status", "proposal", Status, "open, closed", Status.OPEN.value),
        closed_at=reader.when(table, "closed_at", "proposal", None),
        thread=reader.text(table, "thread", "proposal", ""),
    )
    return Session(proposal, _members(reader, doc), _ballots(reader, doc), _log(reader, doc))


def proposal_from_dict(reader: _Reader, table: dict[str, Any]) -> Proposal:
    """A [proposal] table (also used for journal entries, which carry the same shape)."""
    doc = {"schema_version": SCHEMA_VERSION, "proposal": table}
    return session_from_doc(reader, doc).proposal


def reader_for(path: Path | str, text: str = "") -> _Reader:
    return _Reader(path, text)


def roster_from_toml(text: str, path: Path | str = "<roster>") -> list[Member]:
    doc = parse_toml(text, path)
    reader = _Reader(path, text)
    if "schema_version" in doc:
        _check_version(reader, doc)
    return _members(reader, doc)


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


def member_to_dict(member: Member) -> dict[str, Any]:
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
    return data


def ballot_to_dict(ballot: Ballot) -> dict[str, Any]:
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
    return data


def log_to_dict(entry: LogEntry) -> dict[str, Any]:
    return {"at": _when(entry.at), "action": entry.action, "detail": entry.detail}


def proposal_to_dict(p: Proposal) -> dict[str, Any]:
    proposal: dict[str, Any] = {
        "title": p.title,
        "kind": p.kind.value,
        "rule": p.rule,
        "summary": p.summary,
        "links": list(p.links),
        "opens_at": _when(p.opens_at),
        "closes_at": _when(p.closes_at),
        "status": p.status.value,
    }
    if p.closed_at is not None:
        proposal["closed_at"] = _when(p.closed_at)
    if p.thread:
        proposal["thread"] = p.thread
    return proposal


def session_to_dict(session: Session) -> dict[str, Any]:
    doc: dict[str, Any] = {"schema_version": SCHEMA_VERSION}
    if session.session_id:
        doc["session_id"] = session.session_id  # its journal carries the same id
    if session.revision:
        doc["journal_seq"] = session.revision  # journal entries up to here are in this file
    doc["proposal"] = proposal_to_dict(session.proposal)
    doc["roster"] = [member_to_dict(m) for m in session.roster]
    doc["ballots"] = [ballot_to_dict(b) for b in session.ballots]
    doc["log"] = [log_to_dict(e) for e in session.log]
    return doc


def session_to_toml(session: Session) -> str:
    import tomli_w  # only writers need it

    return tomli_w.dumps(session_to_dict(session), multiline_strings=True)


def roster_to_toml(members: Sequence[Member]) -> str:
    import tomli_w

    return tomli_w.dumps({"schema_version": SCHEMA_VERSION, "roster": [member_to_dict(m) for m in members]})
