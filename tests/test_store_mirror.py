"""The JSON mirror beside a session file: read only while it mirrors exactly the TOML file and
this user's app wrote it, and never the source of a different session than the TOML file holds."""

from __future__ import annotations

import json
import os
import stat
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.factories import T0, roster, session
from tests.mirrors import resign
from tests.test_store_fuzz import sessions
from tvm_vote_tui.domain.votes import parse_vote
from tvm_vote_tui.store import sessions as store_sessions
from tvm_vote_tui.store.format import session_from_toml, session_to_toml
from tvm_vote_tui.store.mirror import mirror_path
from tvm_vote_tui.store.sessions import COMPACT_EVERY, OpenSession, Store, load_session


@pytest.fixture
def toml_reads(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """The session files that were parsed as TOML (not taken from their mirror)."""
    reads: list[Path] = []

    def counted(text: str, path: Path | str = "<text>") -> object:
        reads.append(Path(path))
        return session_from_toml(text, path)

    monkeypatch.setattr(store_sessions, "session_from_toml", counted)
    return reads


def saved(isolated_data_dir: Path) -> tuple[Store, Path]:
    store = Store(isolated_data_dir)
    s = session([("m0", "+1"), ("m1", "-1"), ("Zoë Outsider", "+0.5")], members=roster(3))
    return store, store.create(s)


def test_a_save_writes_a_private_mirror_that_the_next_read_uses(
    isolated_data_dir: Path, toml_reads: list[Path]
) -> None:
    store, path = saved(isolated_data_dir)
    mirror = mirror_path(path)
    assert mirror.name == f".{path.name}.mirror.json"
    assert stat.S_IMODE(mirror.stat().st_mode) == 0o600  # it holds the roster's e-mail addresses
    loaded = load_session(path, store.key)
    assert toml_reads == []
    assert session_to_toml(loaded) == path.read_text()


def test_a_session_file_edited_by_hand_is_read_as_toml(
    isolated_data_dir: Path, toml_reads: list[Path]
) -> None:
    store, path = saved(isolated_data_dir)
    text = path.read_text()
    edited = text.replace("Adopt the new codebase", "Adopt the old codebase")  # same size
    assert len(edited) == len(text) and edited != text
    stamp = path.stat()
    path.write_text(edited)
    os.utime(path, ns=(stamp.st_atime_ns, stamp.st_mtime_ns))  # even with its old mtime
    assert load_session(path, store.key).proposal.title == "Adopt the old codebase"
    assert toml_reads == [path]


def test_a_file_replaced_by_a_copy_of_another_session_is_read_as_toml(
    isolated_data_dir: Path, toml_reads: list[Path]
) -> None:
    store, path = saved(isolated_data_dir)
    other = store.create(session([("m2", "+1")], members=roster(3), title="Another vote"))
    path.write_bytes(other.read_bytes())
    assert load_session(path, store.key).proposal.title == "Another vote"
    assert toml_reads == [path]


@pytest.mark.parametrize(
    "damage",
    [
        "missing",
        "empty",
        "garbage",
        "body changed",
        "header of another version",
        "folder",
        "not an object",
        "wrong times",
        "another session id",
    ],
)
def test_a_mirror_that_cannot_be_used_is_ignored_and_left_alone(
    isolated_data_dir: Path, toml_reads: list[Path], damage: str
) -> None:
    store, path = saved(isolated_data_dir)
    mirror = mirror_path(path)
    header_line, _, body = mirror.read_text().partition("\n")
    header = json.loads(header_line)
    if damage == "missing":
        mirror.unlink()
    elif damage == "empty":
        mirror.write_text("")
    elif damage == "garbage":
        mirror.write_bytes(b"\xff\x00[[[" * 100)
    elif damage == "body changed":
        mirror.write_text(header_line + "\n" + body.replace("Member 1", "Mallory"))
    elif damage == "header of another version":
        header["mirror"] = 99
        mirror.write_text(json.dumps(header) + "\n" + body)
    elif damage == "folder":
        mirror.unlink()
        mirror.mkdir()
    elif damage == "not an object":  # signed with our own key: the reader's checks still hold
        resign(mirror, store.key, "[1, 2]")
    elif damage == "wrong times":
        resign(mirror, store.key, body.replace("2026-11-24T17:00:00+00:00", "yesterday"))
    elif damage == "another session id":
        resign(mirror, store.key, body.replace(json.loads(body)["session_id"], "0" * 16))
    before = (
        (mirror.stat().st_mtime_ns, mirror.read_bytes() if mirror.is_file() else b"")
        if mirror.exists()
        else None
    )
    loaded = load_session(path, store.key)
    assert session_to_toml(loaded) == path.read_text()
    assert toml_reads == [path]
    after = (
        (mirror.stat().st_mtime_ns, mirror.read_bytes() if mirror.is_file() else b"")
        if mirror.exists()
        else None
    )
    assert after == before  # a reader never writes


def _seen(mirror: Path) -> tuple[int, bytes] | None:
    if not mirror.exists():
        return None
    return mirror.stat().st_mtime_ns, mirror.read_bytes() if mirror.is_file() else b""


def test_a_mirror_copied_along_with_its_file_is_not_trusted(
    isolated_data_dir: Path, tmp_path: Path, toml_reads: list[Path]
) -> None:
    """A folder copied from elsewhere (a backup, another machine) brings files with new inodes and
    change times: their mirrors are stale and the TOML files are read."""
    store, path = saved(isolated_data_dir)
    copy = tmp_path / "copy.toml"
    copy.write_bytes(path.read_bytes())
    mirror_path(copy).write_bytes(mirror_path(path).read_bytes())
    load_session(copy, store.key)
    assert toml_reads == [copy]


def test_folding_the_journal_writes_a_mirror_of_the_folded_file(
    isolated_data_dir: Path, toml_reads: list[Path]
) -> None:
    store = Store(isolated_data_dir)
    path = store.create(session(members=roster(3)))
    opened = OpenSession.open(store, path)
    for minute in range(COMPACT_EVERY + 5):
        opened.session.record(f"m{minute % 3}", parse_vote("+1"), at=T0.add(minutes=minute))
    opened.compact()
    expected = session_to_toml(opened.session)
    opened.close()
    toml_reads.clear()
    assert session_to_toml(load_session(path, store.key)) == expected
    assert toml_reads == []


def test_a_mirror_that_cannot_be_written_costs_only_speed(
    isolated_data_dir: Path, monkeypatch: pytest.MonkeyPatch, toml_reads: list[Path]
) -> None:
    store, path = saved(isolated_data_dir)
    old = mirror_path(path)
    assert old.exists()
    monkeypatch.setattr("tvm_vote_tui.store.mirror.write_atomic", _fail)
    s = load_session(path, store.key)
    s.set_title("A new title", T0)
    store.save(s, path)  # the TOML file is written; the mirror is not, and the old one goes
    assert not old.exists()
    toml_reads.clear()
    assert load_session(path, store.key).proposal.title == "A new title"
    assert toml_reads == [path]


def _fail(*args: object, **kwargs: object) -> None:
    raise OSError(28, "No space left on device")


def test_deleting_a_session_deletes_its_mirror(isolated_data_dir: Path) -> None:
    store, path = saved(isolated_data_dir)
    store.delete(path)
    assert sorted(store.sessions_dir.iterdir()) == []


def test_the_sessions_list_does_not_show_mirrors(isolated_data_dir: Path) -> None:
    store, path = saved(isolated_data_dir)
    assert [listing.path for listing in store.list_sessions()] == [path]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_a_session_read_from_its_mirror_is_the_session_in_its_file(data: st.DataObject) -> None:
    """Any session (odd Unicode, unknown fields kept, offsets, guests): what the mirror gives
    back is exactly what parsing the TOML file gives."""
    built = data.draw(sessions())
    if not built.toml:
        return
    original = session_from_toml(built.toml)
    with tempfile.TemporaryDirectory() as root:
        store = Store(Path(root))
        store.ensure()
        path = store.sessions_dir / "mirrored.toml"
        store.save(original, path)
        assert mirror_path(path).exists()
        notices: list[str] = []
        from_mirror = store_sessions.read_session(path, store.key, notices)
        from_toml = session_from_toml(path.read_text(), path)
        assert notices == []
        assert session_to_toml(from_mirror) == session_to_toml(from_toml)
        assert from_mirror.session_id == from_toml.session_id
        assert from_mirror.revision == from_toml.revision


def test_a_carriage_return_survives_the_file_and_its_mirror_alike(isolated_data_dir: Path) -> None:
    """TOML reads a carriage return inside a multi-line string back as a newline: a session that
    holds one (a title someone else wrote, a field of a newer version) is written so that the
    file, and so its mirror, give back exactly the same session."""
    store, path = saved(isolated_data_dir)
    text = path.read_text().replace('title = "Adopt the new codebase"', 'title = "Vote\\r\\nnow"')
    text = text.replace("[proposal]\n", '[proposal]\nfuture = "x\\r\\ny"\n', 1)
    loaded = session_from_toml(text, path)
    assert loaded.proposal.title == "Vote\r\nnow" and loaded.proposal.extra == {"future": "x\r\ny"}
    loaded.set_summary("first line\nsecond line", T0)
    store.save(loaded, path)
    from_toml = session_from_toml(path.read_text(), path)
    from_mirror = store_sessions.read_session(path, store.key)
    assert from_toml.proposal.title == from_mirror.proposal.title == "Vote\r\nnow"
    assert from_toml.proposal.extra == from_mirror.proposal.extra == {"future": "x\r\ny"}
    assert from_toml == from_mirror
