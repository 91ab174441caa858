"""The mirror of a session file: the same session as JSON, which parses about ten times faster.

`.NAME.toml.mirror.json` beside `NAME.toml` is written by the writer each time it writes the TOML
file anyway (a save, a fold of the journal), never by a reader. Its first line is a header: the
mirror's version, a stamp of the TOML file it mirrors (size, modified and changed times in ns,
inode), the SHA-256 of that file's bytes, the session id, and the id of the cache key and the
HMAC made with it (store/cachekey.py) over all of these and the rest; the rest is the session as
JSON, in the shape of the TOML document (times as ISO text, fields a newer version wrote packed
as TOML text under "+toml").

A reader uses the mirror only when the TOML file it has just read has exactly that stamp and
those bytes, and the MAC shows that this user's tvm-vote-tui wrote it: a file changed in any way
since (by hand, by a backup, by another version) is read as TOML, and so is one beside a mirror
that someone else wrote, whatever it claims. The stamp alone would not do: times are coarse and
inodes are reused, so two quick saves of the same size could share one; the digest of the bytes
read is what ties the two. The mirror is opened without following a link and read only when it
is a regular file of a size the TOML file could give (never a FIFO, a device or gigabytes of
holes); its body is parsed only once its MAC checks, and then goes through the same reader as
the TOML (every field checked the same way). When anything in it is wrong (missing, stale,
unreadable, malformed, refused by a check) it is ignored and the TOML file is read instead: the
TOML file is the truth, and its errors are the ones reported. What is worth knowing (a mirror
that is a link, not a file, far too large, or names our key but does not check) is said in a
notice. The mirror may be deleted at any time; the next save writes it again.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tvm_vote_tui.domain.model import SCHEMA_VERSION
from tvm_vote_tui.store.atomic import PRIVATE, write_atomic
from tvm_vote_tui.store.format import (
    EXTRA,
    ballot_to_dict,
    log_to_dict,
    member_to_dict,
    packed,
    plain_time,
    proposal_to_dict,
    session_from_doc,
)
from tvm_vote_tui.store.reader import NotAFile, Reader, read_regular

if TYPE_CHECKING:
    from tvm_vote_tui.domain.model import Session
    from tvm_vote_tui.store.cachekey import CacheKey

MIRROR_VERSION = 2
HEADER_LIMIT = 4096
"""The most a header line may take (the app writes about 300 bytes)."""
SIZE_SLACK = 64 * 1024


def size_limit(toml_size: int) -> int:
    """The most a mirror of a TOML file of `toml_size` bytes can take: JSON spells a newline in
    two bytes where a multi-line TOML string has one, and little else costs more."""
    return 3 * toml_size + SIZE_SLACK


_ISO_TIME = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d{6})?[+-]\d\d:\d\d")
"""How `datetime.isoformat` writes the times `format._when` makes, with an offset in whole minutes
(what TOML can hold): anything else in a mirror is not a time the TOML file could have held."""

_IGNORED = (
    OSError,
    ValueError,
    TypeError,
    KeyError,
    AttributeError,
    IndexError,
    RecursionError,
    OverflowError,
)
"""What a mirror that cannot be used raises; it is then read as TOML instead."""


def mirror_path(path: Path) -> Path:
    return path.with_name(f".{path.name}.mirror.json")


def stamp_of(info: os.stat_result) -> list[int]:
    """What changes whenever a file is written or replaced (and is read by one fstat)."""
    return [info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino]


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def mirror_doc(session: Session) -> dict[str, Any]:
    """The session as `format.session_to_dict` has it, in a shape JSON keeps exactly."""
    doc: dict[str, Any] = {"schema_version": SCHEMA_VERSION}
    if session.session_id:
        doc["session_id"] = session.session_id
    if session.revision:
        doc["journal_seq"] = session.revision
    packed(doc, session.extra)
    p = session.proposal
    doc["proposal"] = packed(proposal_to_dict(p, extra=False), p.extra)
    doc["roster"] = [packed(member_to_dict(m, extra=False), m.extra) for m in session.roster]
    doc["ballots"] = [packed(ballot_to_dict(b, extra=False), b.extra) for b in session.ballots]
    doc["log"] = [packed(log_to_dict(e, extra=False), e.extra) for e in session.log]
    return doc


def _signed(header: dict[str, Any], body: bytes) -> tuple[bytes, ...]:
    """What the MAC covers: everything the header says of the TOML file, and the body."""
    return (
        f"mirror {MIRROR_VERSION}".encode(),
        json.dumps([header["stamp"], header["sha256"], header["session_id"]]).encode(),
        body,
    )


def write_mirror(path: Path, session: Session, text: str | bytes, key: CacheKey) -> None:
    """Mirror `session`, whose TOML form `text` was just written to `path` by this process (or
    read from it, by the writer holding its lock).

    Never raises: a mirror that cannot be written (or signed) is only a slower next read, and an
    older one is removed (it would be ignored anyway: its stamp is that of the file just replaced)."""
    target = mirror_path(path)
    try:
        body = json.dumps(mirror_doc(session), ensure_ascii=False, separators=(",", ":"), default=plain_time)
        header: dict[str, Any] = {
            "mirror": MIRROR_VERSION,
            "stamp": stamp_of(os.lstat(path)),  # after the rename, which changes the ctime
            # what write_atomic wrote (UTF-8, "\n" kept), or the bytes read
            "sha256": digest(text.encode() if isinstance(text, str) else text),
            "session_id": session.session_id,
        }
        data = body.encode()
        signed = key.sign(*_signed(header, data))
        if signed is None:
            raise OSError(key.problem or "no cache key")
        header["key"], header["mac"] = signed
        # Not fsync'd: after a power cut a mirror that lost its bytes fails its MAC and is
        # ignored, and the TOML file (which is fsync'd) is read instead.
        write_atomic(target, json.dumps(header) + "\n" + body, PRIVATE, durable=False)
    except (OSError, ValueError, TypeError):
        try:
            target.unlink(missing_ok=True)
        except OSError:
            pass


def read_mirror(
    path: Path, data: bytes, info: os.stat_result, key: CacheKey | None, notices: list[str] | None = None
) -> Session | None:
    """The session in the mirror of `path`, when it mirrors exactly the file whose bytes (`data`)
    and fstat (`info`) were just read and this user's app wrote it; None when there is none, or
    it cannot be used (what is worth knowing about it is added to `notices`)."""
    if key is None:
        return None
    mirror = mirror_path(path)
    try:
        raw = read_regular(mirror, limit=size_limit(len(data)))
    except FileNotFoundError:
        return None
    except NotAFile as err:
        return _notice(notices, mirror, err.reason)
    except IsADirectoryError:
        return _notice(notices, mirror, "is a folder, not a file")
    except OSError as err:
        return _notice(notices, mirror, f"cannot be read ({err.strerror or err})")
    try:
        first, _, body = raw.partition(b"\n")
        if len(first) > HEADER_LIMIT:
            return _notice(notices, mirror, "is damaged (no header)")
        header = json.loads(first)
        if (
            not isinstance(header, dict)
            or header.get("mirror") != MIRROR_VERSION
            or header.get("stamp") != stamp_of(info)
            or header.get("sha256") != digest(data)
        ):
            return None  # another version's, stale (the TOML file changed since) or torn
        checked = key.check(header.get("key"), header.get("mac"), *_signed(header, body))
        if checked is None:
            return None  # made with another key: another user's, or ours before it was replaced
        if not checked:
            return _notice(
                notices, mirror, "does not check against this user's cache key (forged or damaged)"
            )
        doc = json.loads(body)
        if not isinstance(doc, dict):
            return _notice(notices, mirror, "is damaged (not a session)")
        session = session_from_doc(MirrorReader(path), doc)
        if session.session_id != header.get("session_id"):
            return _notice(notices, mirror, "is damaged (another session id)")
        return session
    except _IGNORED as err:
        return _notice(notices, mirror, f"is damaged ({type(err).__name__})")


def _notice(notices: list[str] | None, mirror: Path, why: str) -> Session | None:
    """Say why the mirror is not used; None, for the reader to return."""
    if notices is not None:
        notices.append(f"{mirror}: {why}; ignored, the session file was read instead")
    return None


class MirrorReader(Reader):
    """The store's reader, for a document that came through JSON: times are ISO text, and the
    fields a newer version wrote are packed as TOML text under "+toml"."""

    def time_of(self, value: Any) -> Any:
        if type(value) is str and _ISO_TIME.fullmatch(value):
            return dt.datetime.fromisoformat(value)
        return value  # anything else is reported by the reader as not a time

    def extra(self, table: dict[str, Any], known: frozenset[str], where: str) -> dict[str, Any]:
        if known.issuperset(table):
            return {}
        text = table.get(EXTRA)
        if not isinstance(text, str) or not known.union((EXTRA,)).issuperset(table):
            raise self.fail(where or "extra", "not a field the mirror writes")
        import tomllib

        unknown = tomllib.loads(text)
        if not unknown or not known.isdisjoint(unknown):
            raise self.fail(where or "extra", "the packed fields repeat a known one")
        return super().extra(unknown, frozenset(), where)
