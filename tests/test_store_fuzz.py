"""Fuzzing the store: valid session files and journals, mutated (cut, nested, wrong types, odd
Unicode, duplicated keys, BOMs, flipped bytes), must either load or raise the store's own
error, never anything else, and never be modified. What loads must also tally and export.
The caches beside them (the mirror, the sessions list's), forged, cut, nested, flipped, made
gigabytes large or signed with another key, are never believed, never fatal, never written by
a reader.

The short run is part of every test run; `python -m pytest -m fuzz` runs the long one."""

from __future__ import annotations

import atexit
import json
import os
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

import pendulum
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tvm_vote_tui.domain.errors import ChangeRefused
from tvm_vote_tui.domain.model import Kind, Member, Proposal, Session
from tvm_vote_tui.domain.rules import RULES
from tvm_vote_tui.domain.votes import parse_vote
from tvm_vote_tui.publish.formats import EXPORT_FORMATS
from tvm_vote_tui.store.cachekey import CacheKey
from tvm_vote_tui.store.format import SessionFileError, session_from_toml, session_to_toml
from tvm_vote_tui.store.journal import encode, entry_for, header_line, journal_path
from tvm_vote_tui.store.mirror import mirror_path, write_mirror
from tvm_vote_tui.store.sessions import Store, StoreError, load
from tvm_vote_tui.store.summaries import CACHE_NAME, read_summary, remember, scan

T0 = pendulum.datetime(2026, 11, 24, 17, 0, tz="UTC")
ODD = (
    "\x00\x1b\x07\x7f\x85\x9b\u202e\u2066\ufeff\u200b\u0301\u05d0\u0661\uff11"
    "\U0001f600\ud7ff\ue000\ufffd\"'\\[]{}=#\n\r\t "
)
VOTES = ["+1", "1", "+0", "0", "-0", "-1", "+0.5", "-0.9", "\u22121"]

names = st.text(st.characters(codec="utf-8") | st.sampled_from(ODD), max_size=12)
ids = st.from_regex(r"[a-zA-Z][a-zA-Z0-9._-]{0,8}", fullmatch=True)


@dataclass
class Built:
    """A valid session file, the journal of the changes made after it was written, and the
    number of ballots the two hold together."""

    toml: str
    journal: str
    ballots: int


@st.composite
def sessions(draw: st.DrawFn) -> Built:
    """A session built through its own methods: its file at some point, then a journal."""
    opens_at = T0.add(minutes=draw(st.integers(-(10**6), 10**6)))
    proposal = Proposal(
        title=draw(names.filter(str.strip)) or "x",
        kind=draw(st.sampled_from(list(Kind))),
        rule=draw(st.sampled_from(list(RULES))),
        summary=draw(names),
        opens_at=opens_at,
        closes_at=T0.add(days=7),
    )
    members = [Member(i, draw(names.filter(str.strip)) or "n") for i in draw(st.lists(ids, max_size=6))]
    session = Session.new(Proposal("placeholder", opens_at=T0, closes_at=T0.add(days=1)), (), at=T0)
    session.open_vote(T0, at=T0)
    lines: list[bytes] = []
    session.journal = lambda s, change: lines.append(encode(entry_for(s, change, s.revision + 1)))
    changes: list[Callable[[], object]] = [
        lambda: session.set_title(proposal.title, T0),
        lambda: session.set_summary(proposal.summary, T0),
        lambda: session.set_rule(proposal.rule, T0),
        lambda: session.set_window(opens_at, opens_at.add(days=7), T0),
        *(lambda m=m: session.add_member(m, T0) for m in members),
    ]
    for step in range(draw(st.integers(0, 12))):
        voter = draw(st.sampled_from([m.id for m in members] + ["guest", "Zoë Outsider"]))
        vote = draw(st.sampled_from([*VOTES, None]))
        note = draw(names)
        changes.append(partial(_cast, session, voter, vote, note, step))
    split = draw(st.integers(0, len(changes)))
    toml = ""
    for index, change in enumerate(changes):
        if index == split:
            toml, base, lines[:] = session_to_toml(session), session.revision, []
        try:
            change()
        except (ChangeRefused, ValueError):
            pass  # refused input never reaches the file, as in the app
    if split == len(changes):
        toml, base, lines[:] = session_to_toml(session), session.revision, []
    journal = header_line(session.session_id, base) + b"".join(lines).decode()
    return Built(toml, journal, len(session.ballots))


def _cast(session: Session, voter: str, vote: str | None, note: str, minute: int) -> object:
    return session.record(voter, parse_vote(vote) if vote else None, note=note, at=T0.add(minutes=minute))


def _nest(text: str, at: int, depth: int) -> str:
    line_end = text.find("\n", at)
    line_end = len(text) if line_end < 0 else line_end
    return text[:line_end] + "\nzz = " + "[" * depth + "]" * depth + text[line_end:]


MUTATIONS = st.sampled_from(
    ["cut", "nest", "type", "odd", "duplicate", "bom", "flip", "number", "swap", "none"]
)


def mutate(text: str, how: str, data: st.DataObject) -> str:
    if not text:
        return text
    at = data.draw(st.integers(0, len(text)))
    if how == "cut":
        return text[:at]
    if how == "nest":
        return _nest(text, at, data.draw(st.sampled_from([3, 40, 900, 3000])))
    if how == "type":
        start = text.find("= ", at)
        end = text.find("\n", start) if start >= 0 else -1
        if start < 0 or end < 0:
            return text
        value = data.draw(st.sampled_from(["1", '"x"', "[]", "{}", "true", "1979-05-27", "-1.5e9", "[[1]]"]))
        return text[: start + 2] + value + text[end:]
    if how == "odd":
        return text[:at] + data.draw(st.text(st.sampled_from(ODD), min_size=1, max_size=3)) + text[at:]
    if how == "duplicate":
        lines = text.splitlines(keepends=True)
        i = data.draw(st.integers(0, len(lines) - 1))
        return "".join([*lines[: i + 1], lines[i], *lines[i + 1 :]])
    if how == "bom":
        return "\ufeff" + text
    if how == "flip":
        return text[:at] + chr(data.draw(st.integers(0, 0x2FFF))) + text[at + 1 :]
    if how == "number":
        return text[:at] + data.draw(st.sampled_from(["9" * 5000, "-0", "1e400", "0x1F"])) + text[at:]
    if how == "swap":
        lines = text.splitlines(keepends=True)
        i, j = data.draw(st.integers(0, len(lines) - 1)), data.draw(st.integers(0, len(lines) - 1))
        lines[i], lines[j] = lines[j], lines[i]
        return "".join(lines)
    return text


WRONG = [[], {}, "x", 1, -1, None, True, 1.5, [[0]], [0, "m0", 2], "9999-12-31T23:59:59-23:59"]
WRONG += [{"+toml": "a = ["}, {"+toml": 1}, "deep"]


def retype_json(journal: str, data: st.DataObject) -> str:
    """One value somewhere in one journal line replaced by one of the wrong type or shape."""
    lines = journal.splitlines(keepends=True)
    index = data.draw(st.integers(0, len(lines) - 1))
    value = json.loads(lines[index])
    holder: Any = value
    while True:
        keys = list(holder) if isinstance(holder, dict) else list(range(len(holder)))
        if not keys:
            return journal
        key = data.draw(st.sampled_from(keys))
        if not isinstance(holder[key], dict | list) or data.draw(st.booleans()):
            break
        holder = holder[key]
    holder[key] = data.draw(st.sampled_from(WRONG))
    text = json.dumps(value)
    if holder[key] == "deep":
        text = text.replace('"deep"', "[" * 100_000 + "]" * 100_000, 1)
    lines[index] = text + "\n"
    return "".join(lines)


def _files(folder: Path) -> dict[str, tuple[bytes, int]]:
    return {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in sorted(folder.iterdir())}


def write(root: Path, toml: str, journal: str) -> tuple[Store, Path]:
    store = Store(root)
    store.ensure()
    path = store.sessions_dir / "fuzzed.toml"
    path.write_bytes(toml.encode("utf-8", "surrogatepass"))
    journal_path(path).write_bytes(journal.encode("utf-8", "surrogatepass"))
    return store, path


def check(data: st.DataObject) -> None:
    built = data.draw(sessions())
    toml = mutate(built.toml, data.draw(MUTATIONS), data)
    journal = built.journal
    how = data.draw(st.sampled_from(["text", "json", "none"]))
    if how == "text":
        journal = mutate(journal, data.draw(MUTATIONS), data)
    elif how == "json":
        journal = retype_json(journal, data)
    with tempfile.TemporaryDirectory() as root:
        store, path = write(Path(root), toml, journal)
        before = _files(store.sessions_dir)
        try:
            loaded = load(path).session
        except (SessionFileError, StoreError):
            loaded = None
        listed = store.list_sessions()
        assert len(listed) == 1 and (listed[0].session is None) == (loaded is None)
        if loaded is not None:  # what loads can be shown and published
            for rule in RULES.values():
                loaded.tally(rule).verdict(loaded.is_closed)
            for fmt in EXPORT_FORMATS.values():
                fmt.render(loaded)
        assert _files(store.sessions_dir) == before


SHORT = settings(
    max_examples=int(os.environ.get("TVM_FUZZ_EXAMPLES", "500")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@SHORT
@given(st.data())
def test_mutated_files_load_or_fail_with_the_store_error(data: st.DataObject) -> None:
    check(data)


@pytest.mark.fuzz
@settings(SHORT, max_examples=10_000)
@given(st.data())
def test_mutated_files_load_or_fail_with_the_store_error_long(data: st.DataObject) -> None:
    check(data)


@settings(SHORT, max_examples=30)
@given(sessions())
def test_the_files_fuzzed_are_valid_before_they_are_mutated(built: Built) -> None:
    """The generator makes real sessions and journals, so mutations start from valid files."""
    with tempfile.TemporaryDirectory() as root:
        _, path = write(Path(root), built.toml, built.journal)
        assert len(load(path).session.ballots) == built.ballots


# -- the caches beside the files ------------------------------------------------------------------

CACHE_MUTATIONS = st.sampled_from(
    ["forged body", "cut", "flip", "nest", "huge", "header field", "swap lines", "other key", "none"]
)


def mutate_cache(raw: bytes, how: str, data: st.DataObject, other: CacheKey) -> bytes | None:
    """A cache file changed as an attacker or a crash might: None to make it a 3 GiB sparse file."""
    head, _, body = raw.partition(b"\n")
    at = data.draw(st.integers(0, max(len(raw) - 1, 0)))
    if how == "forged body":  # the header kept, the body another one (a different tally)
        replaced = body.replace(b'"+1"', b'"-1"').replace(b'"-1"', b'"+1"', 1)
        return head + b"\n" + (replaced if replaced != body else body + b" ")
    if how == "cut":
        return raw[:at]
    if how == "flip":
        return (
            raw[:at] + bytes([raw[at] ^ (1 << data.draw(st.integers(0, 7)))]) + raw[at + 1 :] if raw else raw
        )
    if how == "nest":
        depth = data.draw(st.sampled_from([50, 5000, 200_000]))
        return head + b"\n" + b"[" * depth + body + b"]" * depth
    if how == "huge":
        return None
    if how == "header field":
        try:
            fields = json.loads(head)
        except ValueError:
            return raw
        key = data.draw(st.sampled_from(sorted(fields)))
        fields[key] = data.draw(st.sampled_from(WRONG))
        return json.dumps(fields).encode() + b"\n" + body
    if how == "swap lines":
        return body + b"\n" + head
    if how == "other key":  # signed as the app signs, with a key that is not this user's
        fields = json.loads(head)
        if "mirror" in fields:
            from tvm_vote_tui.store.mirror import _signed

            signed = other.sign(*_signed(fields, body))
        else:
            from tvm_vote_tui.store.summaries import _signed as _summary_signed

            signed = other.sign(*_summary_signed(body))
        assert signed is not None
        fields["key"], fields["mac"] = signed
        return json.dumps(fields).encode() + b"\n" + body
    return raw


def _plant_cache(path: Path, content: bytes | None) -> None:
    if content is None:
        with open(path, "wb") as f:
            f.truncate(3 << 30)
    else:
        path.write_bytes(content)


KEYS = Path(tempfile.mkdtemp(prefix="tvm-vote-tui-fuzz-keys-"))
"""The keys of the cache fuzz, made once for the whole run (each costs an fsync)."""
atexit.register(shutil.rmtree, KEYS, True)


def check_caches(data: st.DataObject) -> None:
    built = data.draw(sessions())
    if not built.toml:
        return
    with tempfile.TemporaryDirectory() as root:
        store = Store(Path(root) / "data", KEYS / "ours")
        store.ensure()
        path = store.sessions_dir / "fuzzed.toml"
        path.write_text(built.toml, encoding="utf-8", newline="\n")  # as Store.save, without its fsyncs
        write_mirror(path, session_from_toml(built.toml), built.toml, store.key)
        assert mirror_path(path).exists()
        found = scan(store)
        remember(store, [read_summary(p, store.key) for p in found.changed], found.stamps)
        truth = load(path).session  # no key: the TOML file alone
        summary = read_summary(path)
        other = CacheKey(KEYS / "theirs")
        mirror, cache = mirror_path(path), store.sessions_dir / CACHE_NAME
        _plant_cache(mirror, mutate_cache(mirror.read_bytes(), data.draw(CACHE_MUTATIONS), data, other))
        _plant_cache(cache, mutate_cache(cache.read_bytes(), data.draw(CACHE_MUTATIONS), data, other))
        before = _stats(store.sessions_dir)
        loaded = load(path, key=store.key)
        assert session_to_toml(loaded.session) == session_to_toml(truth)
        assert loaded.session.tally().binding == truth.tally().binding
        assert all("\n" not in notice for notice in loaded.notices)
        found = scan(store)
        for known in found.known:  # whatever the cache still gives is exactly what the file says
            assert (known.title, known.binding, known.verdict) == (
                summary.title,
                summary.binding,
                summary.verdict,
            )
        assert "\n" not in found.notice
        assert _stats(store.sessions_dir) == before  # readers never write


def _stats(folder: Path) -> dict[str, tuple[int, ...]]:
    """What would change if a file were written (never reading a file of gigabytes of holes)."""
    return {
        p.name: (s.st_mode, s.st_size, s.st_mtime_ns, s.st_ino)
        for p in sorted(folder.iterdir())
        for s in [os.lstat(p)]
    }


@SHORT
@given(st.data())
def test_mutated_caches_are_never_believed_nor_fatal(data: st.DataObject) -> None:
    check_caches(data)


@pytest.mark.fuzz
@settings(SHORT, max_examples=5_000)
@given(st.data())
def test_mutated_caches_are_never_believed_nor_fatal_long(data: st.DataObject) -> None:
    check_caches(data)
