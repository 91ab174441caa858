"""Read members from CSV, TOML or the ASF's committee-info.json, with a preview of problems."""

from __future__ import annotations

import csv
import io
import json
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tvm_vote_tui.domain.lookalike import look_alikes
from tvm_vote_tui.domain.roster import Member, member_problem
from tvm_vote_tui.domain.text import id_key, one_line

CSV_COLUMNS = "id, name, email, github, binding"
_TRUE = {"true", "yes", "y", "1", "binding", "pmc"}
_FALSE = {"false", "no", "n", "0", "non-binding", "committer", ""}


class RosterImportError(ValueError):
    """A file that cannot be read as members at all."""


@dataclass
class ImportPreview:
    """What an import would add, and what it would not (with reasons), before anything changes."""

    source: str
    new: list[Member] = field(default_factory=list)
    duplicates: list[tuple[Member, str]] = field(default_factory=list)
    bad_rows: list[tuple[str, str]] = field(default_factory=list)
    look_alikes: list[str] = field(default_factory=list)
    """New members a person could take for another (ids or names that look alike, a shared
    GitHub handle or address): imported if the manager says so, but flagged first."""

    def summary(self) -> str:
        text = (
            f"{len(self.new)} new, {len(self.duplicates)} already on the roster or repeated, "
            f"{len(self.bad_rows)} unreadable"
        )
        if self.look_alikes:
            text += f"; {len(self.look_alikes)} look like someone else (see below)"
        return text


def _flag(value: object, where: str) -> bool:
    if isinstance(value, bool):
        return value
    text = _text(value, "binding", where).lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise ValueError(f"{where}: binding must be yes or no, found {one_line(text)!r}")


def _text(value: object, name: str, where: str) -> str:
    """A cell as text: strings and whole numbers only (a list or table in a JSON or TOML file is
    not a name, and is never turned into one)."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    raise ValueError(f"{where}: the {name} is not text")


def _member(raw: dict[str, Any], where: str) -> Member:
    member_id = _text(raw.get("id"), "id", where)
    name = _text(raw.get("name"), "name", where)
    if not member_id:
        raise ValueError(f"{where}: no id")
    if not name:
        raise ValueError(f"{where}: no name for {one_line(member_id)!r}")
    member = Member(
        id=member_id,
        name=name,
        email=_text(raw.get("email"), "email", where),
        binding=_flag(raw.get("binding", True), where),
        github=_text(raw.get("github"), "github", where),
    )
    problem = member_problem(member, ())
    if problem:
        raise ValueError(f"{where}: {problem}")
    return member


def _rows_csv(text: str) -> list[tuple[str, dict[str, Any]]]:
    reader = csv.DictReader(io.StringIO(text.removeprefix("\ufeff")))
    try:
        return _csv_rows(reader)
    except csv.Error as err:
        # line_num counts the lines read whole: the one that failed is the next
        raise RosterImportError(f"line {reader.line_num + 1}: not readable as CSV ({err})") from None


def _csv_rows(reader: csv.DictReader[str]) -> list[tuple[str, dict[str, Any]]]:
    if not reader.fieldnames or not {"id", "name"} <= {f.strip().lower() for f in reader.fieldnames}:
        raise RosterImportError(
            f"a CSV roster needs a header row with at least id and name (columns: {CSV_COLUMNS})"
        )
    rows = []
    for row in reader:
        clean = {(k or "").strip().lower(): (v or "") for k, v in row.items() if k}
        rows.append((f"line {reader.line_num}", clean))
    return rows


def _rows_toml(text: str) -> list[tuple[str, dict[str, Any]]]:
    try:
        doc = tomllib.loads(text.removeprefix("\ufeff"))
    except tomllib.TOMLDecodeError as err:
        raise RosterImportError(f"not valid TOML: {err}") from None
    except RecursionError:
        raise RosterImportError("not valid TOML: nested too deeply") from None
    except ValueError as err:  # a number too long to read
        raise RosterImportError(f"not valid TOML: {err}") from None
    tables = doc.get("roster", doc.get("members"))
    if not isinstance(tables, list):
        raise RosterImportError("a TOML roster needs [[roster]] tables with id and name")
    return [(f"roster[{i}]", t if isinstance(t, dict) else {}) for i, t in enumerate(tables)]


def committees(text: str) -> dict[str, Any]:
    """The `committees` table of a committee-info.json file."""
    try:
        doc = json.loads(text.removeprefix("\ufeff"))
    except json.JSONDecodeError as err:
        raise RosterImportError(f"not valid JSON: {err.msg} at line {err.lineno}") from None
    except RecursionError:
        raise RosterImportError("not a committee-info.json file: nested too deeply") from None
    except ValueError as err:  # a number too long to read
        raise RosterImportError(f"not valid JSON: {err}") from None
    found = doc.get("committees") if isinstance(doc, dict) else None
    if not isinstance(found, dict):
        raise RosterImportError("not a committee-info.json file: no 'committees' object")
    return found


def _rows_committee(text: str, committee: str) -> list[tuple[str, dict[str, Any]]]:
    known = committees(text)
    entry = known.get(committee.strip().lower())
    if not isinstance(entry, dict) or not isinstance(entry.get("roster"), dict):
        some = ", ".join(sorted(known)[:8])
        raise RosterImportError(f"no committee {committee!r} in this file (it has {len(known)}, e.g. {some})")
    rows = []
    for availid, info in entry["roster"].items():
        name = info.get("name", "") if isinstance(info, dict) else ""
        # Everyone on a PMC roster votes binding; ASF ids have an @apache.org address.
        rows.append(
            (f"{committee}:{availid}", {"id": availid, "name": name, "email": f"{availid}@apache.org"})
        )
    return rows


def detect_format(path: Path, text: str) -> str:
    suffix = path.suffix.lower()
    if suffix == ".json" or text.lstrip().startswith("{"):
        return "committee-info"
    if suffix == ".toml":
        return "toml"
    return "csv"


def preview_import(
    text: str, fmt: str, existing: list[Member], *, committee: str = "tvm", source: str = ""
) -> ImportPreview:
    """Parse `text` as `fmt` (csv, toml, committee-info) against the `existing` roster."""
    if fmt == "csv":
        rows = _rows_csv(text)
    elif fmt == "toml":
        rows = _rows_toml(text)
    elif fmt == "committee-info":
        rows = _rows_committee(text, committee)
    else:
        raise RosterImportError(f"unknown format {fmt!r}: use csv, toml or committee-info")
    preview = ImportPreview(source)
    existing_ids = {id_key(m.id) for m in existing}
    taken = {id_key(m.id): m for m in existing}
    for where, raw in rows:
        try:
            member = _member(raw, where)
        except ValueError as err:
            preview.bad_rows.append((where, str(err)))
            continue
        key = id_key(member.id)
        if key in taken:
            first = taken[key]
            where_seen = "already on the roster" if key in existing_ids else "repeated in the file"
            preview.duplicates.append((member, f"{member.id}: {where_seen} as {first.name}"))
            continue
        taken[key] = member
        preview.new.append(member)
    preview.look_alikes = [
        f"{pair.text()}: the same person twice?" for pair in look_alikes(preview.new, existing)
    ]
    return preview
