"""Caches never outrank the file: a mirror or a sessions-list cache that this user's app did not
write (forged, planted, linked, a FIFO, gigabytes, nested) is never used, never hangs, never
crashes, and what is worth knowing is said; the next fold writes what the TOML file says."""

from __future__ import annotations

import json
import os
import stat
import threading
from pathlib import Path

import pytest

from tests.factories import T0, roster, session
from tests.mirrors import forge, parts, resign, resign_summaries, summaries_body
from tvm_vote_tui.domain.votes import parse_vote
from tvm_vote_tui.store import sessions as store_sessions
from tvm_vote_tui.store.cachekey import CacheKey
from tvm_vote_tui.store.format import SessionFileError, session_from_toml, session_to_toml
from tvm_vote_tui.store.journal import journal_path
from tvm_vote_tui.store.mirror import mirror_path
from tvm_vote_tui.store.sessions import COMPACT_EVERY, OpenSession, Store, load
from tvm_vote_tui.store.summaries import CACHE_NAME, read_summary, remember, scan

GIB = 1 << 30


@pytest.fixture
def toml_reads(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """The session files that were parsed as TOML (not taken from their mirror)."""
    reads: list[Path] = []

    def counted(text: str, path: Path | str = "<text>") -> object:
        reads.append(Path(path))
        return session_from_toml(text, path)

    monkeypatch.setattr(store_sessions, "session_from_toml", counted)
    return reads


def two_plus_ones(root: Path) -> tuple[Store, Path]:
    """A session whose file says +1 = 2 (binding), with the mirror the app wrote beside it."""
    store = Store(root)
    path = store.create(session([("m0", "+1"), ("m1", "+1"), ("m2", "-1")], members=roster(8)))
    return store, path


def eight_plus_ones(mirror: Path) -> str:
    """The mirror's body with every member voting +1: what a forger wants counted."""
    _, body = parts(mirror)
    doc = json.loads(body)
    ballot = doc["ballots"][0]
    doc["ballots"] = [{**ballot, "voter": f"m{i}", "vote": "+1"} for i in range(8)]
    return json.dumps(doc, separators=(",", ":"))


def binding_plus(store: Store, path: Path) -> int:
    return load(path, key=store.key).session.tally().binding.plus


@pytest.mark.parametrize(
    "how", ["header kept", "no mac", "signed with another key", "our key id, another key"]
)
def test_a_forged_mirror_with_the_right_stamp_and_digest_is_not_believed(
    isolated_data_dir: Path, tmp_path: Path, toml_reads: list[Path], how: str
) -> None:
    store, path = two_plus_ones(isolated_data_dir)
    mirror = mirror_path(path)
    forged = eight_plus_ones(mirror)
    head, _ = parts(mirror)
    if how == "header kept":
        forge(mirror, forged)
    elif how == "no mac":
        head.pop("mac")
        mirror.write_text(json.dumps(head) + "\n" + forged)
    elif how == "signed with another key":
        resign(mirror, CacheKey(tmp_path / "attacker.key"), forged)
    else:  # signed with another key, but naming ours
        resign(mirror, CacheKey(tmp_path / "attacker.key"), forged)
        head_after, _ = parts(mirror)
        head_after["key"] = head["key"]
        mirror.write_text(json.dumps(head_after) + "\n" + forged)
    assert parts(mirror)[0]["sha256"] == head["sha256"]  # the TOML's digest, as an attacker can copy
    loaded = load(path, key=store.key)
    assert loaded.session.tally().binding.plus == 2
    assert toml_reads == [path]
    if how in ("header kept", "no mac", "our key id, another key"):  # claims our key: worth a notice
        assert loaded.notices and "does not check against this user's cache key" in loaded.notices[0]
    else:  # another user's cache, or ours from before the key was replaced: silently stale
        assert loaded.notices == []


def test_the_next_fold_writes_what_the_toml_file_says_never_a_forged_mirror(isolated_data_dir: Path) -> None:
    store, path = two_plus_ones(isolated_data_dir)
    forge(mirror_path(path), eight_plus_ones(mirror_path(path)))
    opened = OpenSession.open(store, path)
    for minute in range(COMPACT_EVERY + 1):
        opened.session.record("m3", parse_vote("0" if minute % 2 else "+1"), at=T0.add(minutes=minute + 10))
    opened.compact()
    opened.close()
    in_file = session_from_toml(path.read_text(), path)
    assert in_file.tally().binding.plus == 3  # m0, m1 and m3: never the forged eight
    assert {b.voter for b in in_file.ballots} == {"m0", "m1", "m2", "m3"}


def test_a_forged_sessions_list_entry_is_not_shown(isolated_data_dir: Path, tmp_path: Path) -> None:
    store, path = two_plus_ones(isolated_data_dir)
    found = scan(store)
    remember(store, [read_summary(p, store.key) for p in found.changed], found.stamps)
    cache = store.sessions_dir / CACHE_NAME
    data = summaries_body(cache)
    entry = data["sessions"][path.name]
    entry.update(title="\x1b]0;pwned\x07Adopt", verdict="passed", binding="+1:8 0:0 -1:0", closed=True)
    forged = json.dumps(data)
    head = json.loads(cache.read_text().partition("\n")[0])
    cache.write_text(json.dumps(head) + "\n" + forged)  # our key's id and the old MAC, copied
    found = scan(store)
    assert found.known == [] and found.changed == [path]
    assert "does not check against this user's cache key" in found.notice
    resign_summaries(cache, CacheKey(tmp_path / "attacker.key"), forged)  # another key: silent
    found = scan(store)
    assert found.known == [] and found.changed == [path] and found.notice == ""


def test_a_summaries_cache_signed_with_our_key_is_still_checked(isolated_data_dir: Path) -> None:
    """Were the key ever read by someone else, the entries are still typed and nest no deeper
    than the app writes them."""
    store, path = two_plus_ones(isolated_data_dir)
    found = scan(store)
    remember(store, [read_summary(p, store.key) for p in found.changed], found.stamps)
    cache = store.sessions_dir / CACHE_NAME
    data = summaries_body(cache)
    data["sessions"][path.name]["title"] = [[[["deep"]]]]
    resign_summaries(cache, store.key, json.dumps(data))
    found = scan(store)
    assert found.known == [] and "nested more deeply" in found.notice
    data["sessions"][path.name]["title"] = 7
    resign_summaries(cache, store.key, json.dumps(data))
    found = scan(store)
    assert found.known == [] and "damaged" in found.notice


def _summarized(root: Path) -> tuple[Store, Path, Path]:
    store, path = two_plus_ones(root)
    found = scan(store)
    remember(store, [read_summary(p, store.key) for p in found.changed], found.stamps)
    return store, path, store.sessions_dir / CACHE_NAME


CACHE_KINDS = ["symlink", "fifo", "device", "folder", "sparse", "nested", "truncated", "empty", "binary"]


def _plant(target: Path, kind: str, elsewhere: Path) -> None:
    """Replace the cache at `target` by one of the wrong kind."""
    genuine = target.read_bytes() if target.is_file() else b""
    target.unlink(missing_ok=True)
    if kind == "symlink":  # to a copy of the genuine cache: even that is not followed
        elsewhere.write_bytes(genuine)
        target.symlink_to(elsewhere)
    elif kind == "fifo":
        os.mkfifo(target)
    elif kind == "device":
        try:
            os.mknod(target, stat.S_IFCHR | 0o600, os.makedev(1, 5))  # what /dev/zero is: endless
        except PermissionError:
            pytest.skip("making a device node needs root")
    elif kind == "folder":
        target.mkdir()
    elif kind == "sparse":
        with open(target, "wb") as f:
            f.truncate(3 * GIB)
    elif kind == "nested":
        target.write_bytes(b"[" * 200_000 + b"]" * 200_000)
    elif kind == "truncated":
        target.write_bytes(genuine[: len(genuine) // 2])
    elif kind == "empty":
        target.write_bytes(b"")
    elif kind == "binary":
        target.write_bytes(bytes(range(256)) * 64)


NOTICED = {
    "symlink": "symbolic link",
    "fifo": "not a regular file",
    "device": "not a regular file",
    "folder": "folder",
    "sparse": "GiB",
}


@pytest.mark.timeout(60)
@pytest.mark.parametrize("kind", CACHE_KINDS)
def test_a_mirror_of_the_wrong_kind_is_ignored_never_followed_nor_waited_on(
    isolated_data_dir: Path, tmp_path: Path, toml_reads: list[Path], kind: str
) -> None:
    store, path = two_plus_ones(isolated_data_dir)
    mirror = mirror_path(path)
    _plant(mirror, kind, tmp_path / "elsewhere.json")
    loaded = load(path, key=store.key)
    assert session_to_toml(loaded.session) == path.read_text()
    assert toml_reads == [path]
    if kind in NOTICED:
        assert len(loaded.notices) == 1 and NOTICED[kind] in loaded.notices[0], loaded.notices
        assert str(mirror) in loaded.notices[0]
    if kind == "symlink":
        assert mirror.is_symlink()  # a reader never writes
    opened = OpenSession.open(store, path)  # the writer replaces it with a genuine one
    opened.compact()
    opened.close()
    # A folder cannot be replaced by a file: it stays, ignored; any other kind is replaced.
    assert (stat.S_ISDIR if kind == "folder" else stat.S_ISREG)(os.lstat(mirror).st_mode)
    if kind == "device":
        mirror.unlink()  # not left for the temporary folder's clean-up to puzzle over


@pytest.mark.timeout(60)
@pytest.mark.parametrize("kind", CACHE_KINDS)
def test_a_sessions_list_cache_of_the_wrong_kind_is_ignored_and_replaced(
    isolated_data_dir: Path, tmp_path: Path, kind: str
) -> None:
    store, path, cache = _summarized(isolated_data_dir)
    _plant(cache, kind, tmp_path / "elsewhere.json")
    found = scan(store)
    assert found.known == [] and found.changed == [path]
    if kind in NOTICED:
        assert NOTICED[kind] in found.notice and str(cache) in found.notice
    remember(store, [read_summary(p, store.key) for p in found.changed], found.stamps)
    if kind != "folder":  # a folder cannot be replaced by a file: it stays ignored
        assert stat.S_ISREG(os.lstat(cache).st_mode)
        assert [s.title for s in scan(store).known] == ["Adopt the new codebase"]


def test_a_mirror_swapped_while_it_is_read_is_never_believed(isolated_data_dir: Path) -> None:
    """A thread swaps the genuine mirror and a forged one (same header) as fast as it can while
    the session is read again and again: every read gives the TOML file's tally."""
    store, path = two_plus_ones(isolated_data_dir)
    mirror = mirror_path(path)
    genuine = mirror.read_bytes()
    forge(mirror, eight_plus_ones(mirror))
    forged = mirror.read_bytes()
    stop = threading.Event()

    def swap() -> None:
        spare = mirror.with_name("spare")
        while not stop.is_set():
            for data in (genuine, forged):
                spare.write_bytes(data)
                os.replace(spare, mirror)

    swapper = threading.Thread(target=swap)
    swapper.start()
    try:
        counts = {binding_plus(store, path) for _ in range(300)}
    finally:
        stop.set()
        swapper.join()
    assert counts == {2}


def test_a_hard_linked_or_copied_mirror_of_another_file_is_not_used(
    isolated_data_dir: Path, toml_reads: list[Path]
) -> None:
    store, path = two_plus_ones(isolated_data_dir)
    other = store.create(session([("m5", "+1")], members=roster(8), title="Another vote"))
    mirror_path(path).unlink()
    os.link(mirror_path(other), mirror_path(path))
    assert binding_plus(store, path) == 2 and toml_reads == [path]


def test_the_mirrors_body_is_parsed_only_once_its_mac_checks(
    isolated_data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store, path = two_plus_ones(isolated_data_dir)
    forge(mirror_path(path), "[" * 30_000 + "]" * 30_000)  # within the size a mirror may have
    parsed: list[int] = []
    real = json.loads

    def loads(data: str | bytes, **kwargs: object) -> object:
        parsed.append(len(data))
        return real(data, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr("tvm_vote_tui.store.mirror.json.loads", loads)
    loaded = load(path, key=store.key)
    assert loaded.session.tally().binding.plus == 2
    assert max(parsed) < 4096  # the header line, never the body


def test_the_writer_replaces_a_mirror_it_could_not_use_when_it_opens_the_session(
    isolated_data_dir: Path, toml_reads: list[Path]
) -> None:
    """A forged (or stale, or older) mirror is not left to be ignored, with a notice, at every read
    until the next save: the instance that opens the session to write makes a new one, of the
    file as it is (its journal not applied); one that only reads, or fails to open, writes none."""
    store, path = two_plus_ones(isolated_data_dir)
    opened = OpenSession.open(store, path)
    opened.session.record("m3", parse_vote("+1"), at=T0.add(minutes=30))  # in the journal only
    opened.close()
    forge(mirror_path(path), eight_plus_ones(mirror_path(path)))
    holder = OpenSession.open(store, path)
    assert "does not check" in holder.notices[0]
    forge(mirror_path(path), eight_plus_ones(mirror_path(path)))  # forged again, meanwhile
    forged = mirror_path(path).read_bytes()
    reader = OpenSession.open(store, path)  # read-only: another instance holds it
    assert reader.read_only and "does not check" in reader.notices[0]
    assert mirror_path(path).read_bytes() == forged  # a reader writes nothing
    holder.close()
    reader.close()
    OpenSession.open(store, path).close()
    toml_reads.clear()
    loaded = load(path, key=store.key)
    assert loaded.notices == [] and toml_reads == []  # the new mirror is used
    assert loaded.session.tally().binding.plus == 3  # the file's two, and the journal's one
    assert [b.voter for b in session_from_toml(path.read_text(), path).ballots] == ["m0", "m1", "m2"]


def test_a_session_that_fails_to_open_gets_no_new_mirror(isolated_data_dir: Path) -> None:
    store, path = two_plus_ones(isolated_data_dir)
    mirror_path(path).unlink()
    journal_path(path).write_text('{"journal": 1, "session": "0000000000000000", "base": 0}\n{"seq": 1}\n')
    with pytest.raises(SessionFileError):
        OpenSession.open(store, path)
    assert not mirror_path(path).exists()
