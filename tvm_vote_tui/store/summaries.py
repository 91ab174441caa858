"""What the sessions list shows of each session file, remembered while the file is unchanged.

Reading a session file means parsing its TOML and replaying its journal: about a millisecond a
file, plus 30 ms to import the TOML and time libraries. The list only needs a title, a kind, the
binding counts and the window, so those are kept in `.summaries.json` beside the sessions, each
with a stamp of its file and journal (size, times, inode). A file whose stamp differs is read
again; the rest are shown at once, without importing anything heavy. The stamp is taken before
a file is read, so a change made while it is read only makes it read once more next time.

The cache never outranks the files: its first line names the cache key and carries an HMAC made
with it (store/cachekey.py) over the rest, which is parsed only once that checks, so a cache
written by anyone else (another outcome, an escape in a title) is never shown. It is opened
without following a link or blocking on a FIFO, read only when it is a regular file below
LIMIT, and its entries may nest no deeper than the app writes them; any other cache is ignored
(every file is read) with a notice, and is replaced by the next list.
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tvm_vote_tui.store.atomic import PRIVATE, write_atomic
from tvm_vote_tui.store.journal import journal_path
from tvm_vote_tui.store.reader import MiB, NotAFile, read_regular

if TYPE_CHECKING:
    from tvm_vote_tui.domain.model import Session
    from tvm_vote_tui.store.cachekey import CacheKey
    from tvm_vote_tui.store.sessions import Listing, Store

CACHE_NAME = ".summaries.json"
VERSION = 3
"""2: signed (a header with the key id and an HMAC); a session may be a draft (status, window).
3: the window's end and the closing time with their hour (`closes_local`, `closed_local`), and
the counts each after its vote (`+1:7 0:1 -1:2`)."""
LIMIT = 32 * MiB
"""The most the cache may take: a summary takes a few hundred bytes."""
HEADER_LIMIT = 512
MAX_DEPTH = 4
"""How deeply the cache nests as the app writes it: {"sessions": {name: {"stamp": [...]}}}."""

Stamp = list[int]


@dataclass(frozen=True)
class Summary:
    """One session file as the list shows it, or why it cannot be read."""

    path: Path
    title: str = ""
    kind: str = ""
    binding: str = ""
    """The binding counts, each after its vote: `+1:7 0:1 -1:2`."""
    verdict: str = ""
    """`passing`, `passed`, `failing (cannot pass)` ..."""
    closed: bool = False
    status: str = "open"
    """draft, open or closed."""
    closes_at: float = 0.0
    """End of the window, in seconds since the epoch (0 for a draft, which has none yet)."""
    window: str = ""
    """A draft's window as a length (`+7d`)."""
    closes_local: str = ""
    """The end of the window in the local zone, to the minute (2026-12-01 17:00); '' for a draft."""
    closed_local: str = ""
    """When closed: when it closed, in the local zone, to the minute (2026-11-30 17:05)."""
    warning: str = ""
    error: str = ""
    order: tuple[int, float] = (2, 0.0)
    """Open sessions first, then by most recent activity (as Store.list_sessions sorts)."""

    @property
    def name(self) -> str:
        return self.path.stem

    @property
    def readable(self) -> bool:
        return not self.error


def summarize(listing: Listing) -> Summary:
    """The summary of a listing read from disk."""
    from tvm_vote_tui.domain.times import local_zone
    from tvm_vote_tui.store.sessions import _listing_order

    session = listing.session
    if session is None:
        return Summary(listing.path, error=listing.error)
    from tvm_vote_tui.domain.times import format_span

    p = session.proposal
    tally = session.tally()
    minute = "YYYY-MM-DD HH:mm"
    closed_local = ""
    ended = p.closed_at or p.closes_at
    if session.is_closed and ended is not None:
        closed_local = ended.in_timezone(local_zone()).format(minute)
    return Summary(
        listing.path,
        title=p.title,
        kind=p.kind.value,
        binding=tally.binding.labelled(),
        verdict="draft" if session.is_draft else tally.verdict(session.is_closed).short,
        closed=session.is_closed,
        status=p.status.value,
        closes_at=p.closes_at.timestamp() if p.closes_at is not None else 0.0,
        closes_local=p.closes_at.in_timezone(local_zone()).format(minute) if p.closes_at is not None else "",
        window=format_span(p.window) if session.is_draft else "",
        closed_local=closed_local,
        warning=listing.warning,
        order=_listing_order(listing),
    )


def read_summary(path: Path, key: CacheKey | None = None) -> Summary:
    """Read one session file (and its journal) and summarize it; slow: call it from a worker."""
    from tvm_vote_tui.store.format import SessionFileError
    from tvm_vote_tui.store.sessions import Listing, StoreError, load

    try:
        loaded = load(path, key=key)
    except (SessionFileError, StoreError) as err:
        return summarize(Listing(path, error=str(err)))
    return summarize(Listing(path, loaded.session, warning=loaded.warning))


def stamp(path: Path) -> Stamp | None:
    """Changes whenever the session file or its journal is written; None if the file is gone."""
    try:
        st = path.stat()
    except OSError:
        return None
    try:
        js = journal_path(path).stat()
        rest = [js.st_size, js.st_mtime_ns, js.st_ctime_ns, js.st_ino]
    except OSError:
        rest = []
    return [st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino, *rest]


@dataclass
class Scan:
    """The session files as they are now: those summarized before, and those to read again."""

    known: list[Summary]
    changed: list[Path]
    """New or changed files (or ones never summarized): read them with `read_summary`."""
    stale: list[Summary]
    """The earlier summaries of changed files, to show until they are read again."""
    stamps: dict[str, Stamp]
    unremembered: bool = False
    """Some of `known` is not in the cache yet (see `use`)."""
    notice: str = ""
    """Why the cache was not used, when worth saying ('' when it was, or there was none)."""

    def use(self, path: Path, session: Session) -> None:
        """Summarize `path` from `session` instead of reading it again: the session this process
        holds open (and alone writes) has every change of the file and its journal."""
        from tvm_vote_tui.store.sessions import Listing

        if path in self.changed:
            self.changed.remove(path)
            self.stale = [s for s in self.stale if s.path != path]
            self.known.append(summarize(Listing(path, session)))
            self.unremembered = True

    def defer(self, path: Path) -> None:
        """Leave `path` unread for now: it is being opened (and read) in another thread, and the
        list will summarize it from that session when shown again."""
        if path in self.changed:
            self.changed.remove(path)


def scan(store: Store) -> Scan:
    """Stat every session file and take the remembered summary of each unchanged one (fast)."""
    notices: list[str] = []
    remembered = _load(store.sessions_dir / CACHE_NAME, store.key, notices)
    result = Scan([], [], [], {}, notice="; ".join(notices))
    for path in store.session_paths():
        now = stamp(path)
        if now is None:
            continue
        result.stamps[path.name] = now
        entry = remembered.get(path.name)
        if entry is not None and entry[0] == now:
            result.known.append(entry[1])
        else:
            result.changed.append(path)
            if entry is not None:
                result.stale.append(entry[1])
    return result


def remember(store: Store, summaries: list[Summary], stamps: dict[str, Stamp]) -> None:
    """Keep `summaries` for the next scan; a cache that cannot be written is only slower later."""
    entries = {
        s.path.name: {"stamp": stamps[s.path.name], **_as_json(s)} for s in summaries if s.path.name in stamps
    }
    body = json.dumps({"sessions": entries}, ensure_ascii=False)
    signed = store.key.sign(*_signed(body.encode()))
    try:
        if signed is None:  # no key to sign with: a cache that would not be used is not left either
            forget(store)
            return
        header = json.dumps({"summaries": VERSION, "key": signed[0], "mac": signed[1]})
        # Not fsync'd: a cache torn by a power cut fails its MAC and every file is read instead.
        write_atomic(store.sessions_dir / CACHE_NAME, header + "\n" + body, mode=PRIVATE, durable=False)
    except OSError:
        pass


def _signed(body: bytes) -> tuple[bytes, ...]:
    return (f"summaries {VERSION}".encode(), body)


def forget(store: Store) -> None:
    """Drop every remembered summary: the next scan reads every file."""
    (store.sessions_dir / CACHE_NAME).unlink(missing_ok=True)


def ordered(summaries: list[Summary]) -> list[Summary]:
    return sorted(summaries, key=lambda s: (s.order, s.path.name))


_TYPES: dict[str, type | tuple[type, ...]] = {
    "title": str,
    "kind": str,
    "binding": str,
    "verdict": str,
    "closed": bool,
    "status": str,
    "closes_at": (int, float),
    "window": str,
    "closes_local": str,
    "closed_local": str,
    "warning": str,
    "error": str,
}


def _as_json(summary: Summary) -> dict[str, Any]:
    data = asdict(summary)
    data.pop("path")
    data["order"] = list(summary.order)
    return data


def _load(cache: Path, key: CacheKey, notices: list[str]) -> dict[str, tuple[Stamp, Summary]]:
    """The remembered summaries by file name; anything unexpected in the file means none (and
    what is worth knowing, a cache of the wrong kind, size or signature, goes to `notices`)."""
    try:
        raw = read_regular(cache, limit=LIMIT)
    except FileNotFoundError:
        return {}
    except NotAFile as err:
        return _ignored(notices, cache, err.reason)
    except IsADirectoryError:
        return _ignored(notices, cache, "is a folder, not a file")
    except OSError as err:
        return _ignored(notices, cache, f"cannot be read ({err.strerror or err})")
    first, _, body = raw.partition(b"\n")
    try:
        header = json.loads(first) if len(first) <= HEADER_LIMIT else None
    except (ValueError, RecursionError):
        header = None
    if not isinstance(header, dict) or header.get("summaries") != VERSION:
        return {}  # another version's, or torn: silently read every file, as with none
    checked = key.check(header.get("key"), header.get("mac"), *_signed(body))
    if checked is None:
        return {}  # made with another key: another user's, or ours before it was replaced
    if not checked:
        return _ignored(notices, cache, "does not check against this user's cache key (forged or damaged)")
    if _deeper_than(body, MAX_DEPTH):
        return _ignored(notices, cache, "is nested more deeply than the app writes it")
    try:
        data = json.loads(body)
        return {name: _entry(cache.parent / name, entry) for name, entry in data["sessions"].items()}
    except (ValueError, TypeError, KeyError, AttributeError, RecursionError) as err:
        return _ignored(notices, cache, f"is damaged ({type(err).__name__})")


def _ignored(notices: list[str], cache: Path, why: str) -> dict[str, tuple[Stamp, Summary]]:
    notices.append(f"{cache}: {why}; ignored, every session file was read instead")
    return {}


_JSON_STRING = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"')
_NOT_BRACKETS = bytes(b for b in range(256) if b not in b"[]{}")
_INNERMOST = re.compile(rb"\[\]|\{\}")


def _deeper_than(data: bytes, limit: int) -> bool:
    """Whether the arrays and objects of JSON `data` nest more than `limit` deep: its strings
    dropped (whole, since only a cache whose MAC checks, which json.dumps wrote, is measured),
    then the innermost pairs of brackets removed `limit` times, which leaves none unless deeper."""
    brackets = _JSON_STRING.sub(b"", data).translate(None, _NOT_BRACKETS)
    for _ in range(limit):
        if not brackets:
            return False
        brackets = _INNERMOST.sub(b"", brackets)
    return bool(brackets)


def _entry(path: Path, entry: dict[str, Any]) -> tuple[Stamp, Summary]:
    """One remembered summary, checked: the cache is a file like any other, so it is not trusted."""
    stamp, (rank, when) = entry["stamp"], entry["order"]
    if not (isinstance(stamp, list) and all(type(n) is int for n in stamp)):
        raise TypeError("stamp")
    if type(rank) is not int or not isinstance(when, int | float):
        raise TypeError("order")
    values = {key: entry[key] for key in _TYPES}
    for key, kind in _TYPES.items():
        if not isinstance(values[key], kind) or (kind is not bool and isinstance(values[key], bool)):
            raise TypeError(key)
    return stamp, Summary(path, order=(rank, float(when)), **values)
