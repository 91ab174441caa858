"""Reading untrusted TOML (and journal) tables: typed getters whose every failure is one
SessionFileError naming the file, the field and, where known, the line."""

from __future__ import annotations

import datetime as dt
import os
import re
import stat
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from tvm_vote_tui.domain.text import problem
from tvm_vote_tui.domain.times import CALENDAR, in_calendar
from tvm_vote_tui.store import platform

if TYPE_CHECKING:  # tomllib and pendulum are imported where used: the app's start needs neither
    from pendulum import DateTime

T = TypeVar("T")


class _Missing:
    """What a table holds under a key it lacks (never a value a file can hold)."""


_MISSING: Any = _Missing()

MAX_DEPTH = 16
"""How deeply a field this version does not know may nest (it is written back as it is)."""

BOM = "\ufeff"


class NotAFile(OSError):
    """A path that cannot be read or written as the file it should be: a FIFO, a device or a socket
    (reading could block or never end), a symbolic link where none is followed, a file far larger
    than it could be. `reason` says which, without the path; `str()` is one line with the path."""

    def __init__(self, path: Path | str, reason: str):
        super().__init__(f"{path}: {reason}")
        self.path = str(path)
        self.reason = reason


class TooLarge(NotAFile):
    """A file larger than it could be: never read whole."""

    def __init__(self, path: Path | str, size: int, limit: int):
        super().__init__(
            path, f"is {size_text(size)}, more than such a file can hold ({size_text(limit)}); not read"
        )
        self.size = size
        self.limit = limit


LINK = "is a symbolic link, which is never followed here"

MiB = 1 << 20
FILE_LIMIT = 256 * MiB
"""The most a session file, a journal or a roster may hold: a session of 10,000 ballots takes
about 3 MiB. Anything larger (a sparse file of gigabytes) is refused before it is read."""


def open_no_link(path: Path, flags: int, mode: int = 0o600) -> int:
    """`os.open` (binary) that never follows a symbolic link at `path` itself (O_NOFOLLOW, or a
    look first and a check after where the platform has no such flag: see store/platform.py), nor
    blocks on a FIFO: NotAFile if a link."""
    try:
        return platform.open_fd(path, flags | platform.no_wait(), mode, follow=False)
    except platform.LinkRefused:
        raise NotAFile(path, LINK) from None


def kind_problem(info: os.stat_result) -> str:
    """Why a file with this (f)stat is not a regular file ('' when it is)."""
    mode = info.st_mode
    if stat.S_ISREG(mode):
        return ""
    if stat.S_ISLNK(mode):
        return LINK
    if stat.S_ISDIR(mode):
        return "is a folder, not a file"
    return "is not a regular file (a FIFO, device or socket)"


def read_regular(path: Path, *, limit: int = FILE_LIMIT, follow: bool = False) -> bytes:
    """The bytes of a regular file; a FIFO or device raises NotAFile instead of blocking."""
    return read_regular_stat(path, limit=limit, follow=follow)[0]


def read_regular_stat(
    path: Path, *, limit: int = FILE_LIMIT, follow: bool = False
) -> tuple[bytes, os.stat_result]:
    """The bytes of a regular file and what fstat said of the file they were read from.

    A symbolic link is refused (NotAFile) unless `follow`; so is a file of more than `limit`
    bytes, which is never read whole (at most `limit` + 1 bytes are, should it grow meanwhile)."""
    try:
        fd = platform.open_read(path, follow=follow)
    except platform.LinkRefused:
        raise NotAFile(path, LINK) from None
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise IsADirectoryError(21, "Is a directory", str(path))
        problem = kind_problem(info)
        if problem:
            raise NotAFile(path, problem)
        if info.st_size > limit:
            raise TooLarge(path, info.st_size, limit)
        with os.fdopen(fd, "rb", closefd=False) as handle:
            data = handle.read(limit + 1)
        if len(data) > limit:
            raise TooLarge(path, len(data), limit)
        return data, info
    finally:
        os.close(fd)


def size_text(count: int) -> str:
    if count >= 1 << 30:
        return f"{count / (1 << 30):.1f} GiB"
    if count >= MiB:
        return f"{count / MiB:.1f} MiB"
    if count >= 1024:
        return f"{count / 1024:.1f} KiB"
    return f"{count} bytes"


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


def parse_toml(text: str, path: Path | str) -> dict[str, Any]:
    """The TOML document in `text` (a leading BOM is fine), or SessionFileError."""
    import tomllib

    try:
        return tomllib.loads(text.removeprefix(BOM))
    except tomllib.TOMLDecodeError as err:
        message = str(err)
        found = _TOML_POSITION.search(message)
        line = int(found.group(1)) if found else None
        raise SessionFileError(
            path, f"not valid TOML: {_TOML_POSITION.sub('', message).strip()}", line=line
        ) from None
    except RecursionError:
        raise SessionFileError(path, "not valid TOML: nested too deeply") from None
    except ValueError as err:  # a number too long to convert
        raise SessionFileError(path, f"not valid TOML: {err}") from None


class Reader:
    """Walks a parsed document with typed getters that raise SessionFileError."""

    def __init__(self, path: Path | str, text: str = ""):
        self.path = path
        self._text = text
        self._lines: list[str] | None = None
        self._zones: dict[dt.tzinfo, tuple[type[DateTime], dt.tzinfo | None]] = {}
        """pendulum's class and zone for each fixed offset met (see `moment`)."""
        self.votes: dict[str, Any] = {}
        """Votes already parsed, by their text as written (a session holds a handful of spellings)."""

    @property
    def lines(self) -> list[str]:
        """The source's lines, split only when an error is located (splitting costs a few ms)."""
        if self._lines is None:
            self._lines = self._text.splitlines()
        return self._lines

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
            wanted = int(index) if index is not None else 0
            found = self._table_start(table, wanted)
            if found is None:
                return None
            start, inline = found
            if key is None or inline:
                return start + 1
        key_line = re.compile(rf"\s*\"?{re.escape(key)}\"?\s*=")
        for number in range(start, len(self.lines)):
            line = self.lines[number]
            if key_line.match(line):
                return number + 1
            if number > start and line.lstrip().startswith("["):
                break
        return start + 1 if table is not None else None

    def _table_start(self, table: str, wanted: int) -> tuple[int, bool] | None:
        """(line index, written inline) of the `wanted`-th `[[table]]`, or of the `wanted`-th
        `{ ... }` line of `table = [` (how the app writes short tables)."""
        header = re.compile(rf"\s*\[\[?\s*{re.escape(table)}\s*\]\]?\s*(#.*)?$")
        headers = [n for n, line in enumerate(self.lines) if header.match(line)]
        if wanted < len(headers):
            return headers[wanted], False
        opening = re.compile(rf"\s*{re.escape(table)}\s*=\s*\[")
        for n, line in enumerate(self.lines):
            if opening.match(line):
                rows = [m for m in range(n + 1, len(self.lines)) if self.lines[m].lstrip().startswith("{")]
                return (rows[wanted], True) if wanted < len(rows) else None
        return None

    def get(self, table: dict[str, Any], key: str, where: str, kind: type[T], default: Any = ...) -> T:
        value = table.get(key, _MISSING)
        if type(value) is kind:  # the usual case, checked once (a bool is never an int here)
            return value
        field = f"{where}.{key}" if where else key
        if value is _MISSING:
            if default is ...:
                raise self.fail(field, f"required field {key!r} is missing")
            return default
        if kind is bool and not isinstance(value, bool):
            raise self.fail(field, f"expected true or false, found {describe(value)}")
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            raise self.fail(
                field, f"expected {_KIND_NAMES.get(kind, kind.__name__)}, found {describe(value)}"
            )
        return value

    def text(self, table: dict[str, Any], key: str, where: str, default: Any = ..., keep: str = "") -> str:
        """A string without control or bidi characters (but those in `keep`: newlines, tabs)."""
        value = self.get(table, key, where, str, default)
        found = problem(value, keep)
        if found:
            raise self.fail(f"{where}.{key}" if where else key, f"the {key.replace('_', ' ')} {found}")
        return value

    def strings(self, table: dict[str, Any], key: str, where: str) -> list[str]:
        values = self.get(table, key, where, list, [])
        if not all(isinstance(value, str) for value in values):
            raise self.fail(f"{where}.{key}", "expected a list of strings")
        for value in values:
            found = problem(value)
            if found:
                raise self.fail(f"{where}.{key}", f"an entry {found}")
        return list(values)

    def when(self, table: dict[str, Any], key: str, where: str, default: Any = ...) -> DateTime:
        value = self.time_of(table.get(key, _MISSING))
        if type(value) is dt.datetime and value.tzinfo is not None and in_calendar(value):
            return self.moment(value)  # the usual case
        field = f"{where}.{key}" if where else key
        if value is _MISSING:
            if default is ...:
                raise self.fail(field, f"required field {key!r} is missing")
            return default
        if value is None:
            return value  # type: ignore[return-value]
        if not isinstance(value, dt.datetime):
            raise self.fail(
                field,
                f"expected a date-time with offset such as 2026-12-01T17:00:00Z, found {describe(value)}",
            )
        if value.tzinfo is None:
            raise self.fail(
                field, "date-time has no UTC offset; write it as 2026-12-01T17:00:00Z or with +01:00"
            )
        if not in_calendar(value):
            raise self.fail(field, f"the time {value.isoformat()} is not {CALENDAR}")
        return self.moment(value)

    def time_of(self, value: Any) -> Any:
        """A time as the document holds it: TOML has date-times of its own, so as it is."""
        return value

    def moment(self, value: dt.datetime) -> DateTime:
        """`pendulum.instance(value)`, made once per offset: a session holds thousands of times in
        a few offsets, and pendulum.instance costs ~7 µs where the constructor costs ~0.6 µs."""
        zone = value.tzinfo
        if type(zone) is not dt.timezone or value.fold:  # not what TOML or isoformat give: as is
            import pendulum

            return pendulum.instance(value)
        made = self._zones.get(zone)
        if made is None:
            import pendulum

            first = pendulum.instance(value)
            # A fixed offset's pendulum zone does not depend on the time: reuse it (and its class).
            self._zones[zone] = (type(first), first.tzinfo)
            return first
        cls, tzinfo = made
        return cls(
            value.year,
            value.month,
            value.day,
            value.hour,
            value.minute,
            value.second,
            value.microsecond,
            tzinfo=tzinfo,
        )

    def choice(
        self,
        table: dict[str, Any],
        key: str,
        where: str,
        choices: Callable[[str], T],
        allowed: str,
        default: Any = ...,
    ) -> T:
        value = self.get(table, key, where, str, default)
        try:
            return choices(value)
        except ValueError:
            raise self.fail(f"{where}.{key}", f"unknown value {value!r}: use one of {allowed}") from None

    def tables(self, doc: dict[str, Any], key: str) -> list[dict[str, Any]]:
        value = doc.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            raise self.fail(key, f"expected a list of tables written as [[{key}]]")
        return value

    def extra(self, table: dict[str, Any], known: frozenset[str], where: str) -> dict[str, Any]:
        """The fields of `table` this version does not know, to be written back as they are."""
        if known.issuperset(table):
            return {}  # the usual case: nothing unknown
        unknown = {key: value for key, value in table.items() if key not in known}
        for key, value in unknown.items():
            if _depth(value) > MAX_DEPTH:
                raise self.fail(f"{where}.{key}" if where else key, "nested too deeply")
        return unknown


_KIND_NAMES: dict[type, str] = {str: "a string", int: "an integer", bool: "true or false", list: "a list"}


def _depth(value: object, limit: int = MAX_DEPTH + 1) -> int:
    """How deeply lists and tables nest in `value`, counted up to `limit`."""
    if limit <= 0 or not isinstance(value, list | dict):
        return 0
    items = value.values() if isinstance(value, dict) else value
    return 1 + max((_depth(item, limit - 1) for item in items), default=0)


def describe(value: object) -> str:
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, str):
        return f"the string {value[:60]!r}" + ("…" if len(value) > 60 else "")
    if isinstance(value, int | float):
        return f"the number {value}"
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return f"the date/time {value.isoformat()}"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a table"
    return type(value).__name__
