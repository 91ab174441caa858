"""A JSON export read back into a Session, through the session file's own checks, so `verify`
derives the tally and the result texts with the very functions that published them."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tvm_vote_tui.domain.model import SCHEMA_VERSION, Session
from tvm_vote_tui.store.format import session_from_doc
from tvm_vote_tui.store.mirror import MirrorReader
from tvm_vote_tui.store.reader import SessionFileError

# What the export adds to each table that the session file does not hold: derived, and checked
# against what the session derives.
_DERIVED_BALLOT = ("counts_as", "current", "after_window")


@dataclass
class Export:
    """An export as read: the session it describes and the parts `verify` compares."""

    session: Session
    data: dict[str, Any]

    @property
    def chain(self) -> dict[str, Any] | None:
        chain = self.data.get("chain")
        return chain if isinstance(chain, dict) else None


def read_export(text: str, path: Path | str) -> Export:
    """The export in `text`, or SessionFileError naming the file and the field."""
    try:
        data = json.loads(text)
    except (ValueError, RecursionError) as err:
        raise SessionFileError(path, f"not a JSON export: {err}") from None
    if not isinstance(data, dict) or "export_version" not in data:
        raise SessionFileError(path, "not a tvm-vote-tui JSON export (no export_version)")
    version = data["export_version"]
    if type(version) is not int or version > 1:
        raise SessionFileError(
            path, f"export_version {version!r} is not one this version reads", field="export_version"
        )
    chain = data.get("chain")
    session_id = chain.get("session_id", "") if isinstance(chain, dict) else ""
    doc: dict[str, Any] = {
        "schema_version": SCHEMA_VERSION,
        "session_id": session_id if isinstance(session_id, str) else "",
        "proposal": _without_nulls(data.get("proposal")),
        "roster": data.get("roster", []),
        "ballots": [_ballot(b) for b in _list(data, "ballots", path)],
        "log": [_log(e) for e in _list(data, "log", path)],
    }
    try:
        session = session_from_doc(MirrorReader(path), doc)
    except (TypeError, AttributeError, RecursionError, OverflowError) as err:
        raise SessionFileError(path, f"not a tvm-vote-tui JSON export: {err}") from None
    return Export(session, data)


def _list(data: dict[str, Any], key: str, path: Path | str) -> list[Any]:
    value = data.get(key, [])
    if not isinstance(value, list):
        raise SessionFileError(path, "expected a list", field=key)
    return value


def _without_nulls(table: object) -> object:
    if not isinstance(table, dict):
        return table
    return {k: v for k, v in table.items() if v is not None}


def _ballot(table: object) -> object:
    if not isinstance(table, dict):
        return table
    out = {k: v for k, v in table.items() if k not in _DERIVED_BALLOT}
    if out.get("withdrawn") is True and out.get("vote") is None:
        out.pop("vote", None)
    if out.get("withdrawn") is False:
        out.pop("withdrawn")
    return out


def _log(table: object) -> object:
    if not isinstance(table, dict):
        return table
    return {k: v for k, v in table.items() if not (k == "prev" and v == "")}
