"""A full disk: the fake one fails every way the store writes, and the store and its caches (the
JSON mirror, the sessions list's summaries) lose nothing and raise nothing they should not. A
cache that cannot be written is simply not written, and a stale one is never trusted.

Each test runs on two full disks: one out of inodes too (no file can be made) and one out of
blocks only (a file is made, its bytes are not: the temporary file of an atomic write must
then be removed again)."""

from __future__ import annotations

import errno
import os
import tempfile
from collections.abc import Callable
from pathlib import Path

import pytest
from textual.widgets import DataTable

from tests import disk_faults
from tests.app_helpers import app_for, demo_store, settle
from tests.factories import T0, roster, session
from tvm_vote_tui.app.screens.sessions import SessionsScreen
from tvm_vote_tui.domain.votes import parse_vote
from tvm_vote_tui.store.atomic import write_atomic
from tvm_vote_tui.store.format import session_to_toml
from tvm_vote_tui.store.mirror import mirror_path, write_mirror
from tvm_vote_tui.store.sessions import OpenSession, Store, load_session
from tvm_vote_tui.store.summaries import CACHE_NAME, read_summary, remember, scan


@pytest.fixture(params=[False, True], ids=["no-inodes", "no-blocks"])
def empty_files_fit(request: pytest.FixtureRequest) -> bool:
    return bool(request.param)


def files(folder: Path) -> dict[str, bytes]:
    """Every file under `folder`, hidden ones included, with its bytes."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def leftovers(folder: Path) -> list[str]:
    return [p.name for p in folder.rglob("*.tmp")]


def _write_text(path: Path) -> None:
    path.write_text("x")


def _append(path: Path) -> None:
    with open(path, "a", encoding="utf-8") as handle:
        handle.write("more")


def _os_write(path: Path) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_APPEND)
    try:
        while True:  # as the journal does: on until every byte is written, or an error
            os.write(fd, b"0123456789")
    finally:
        os.close(fd)


def _fdopen(path: Path) -> None:
    fd = os.open(path, os.O_WRONLY)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write("text")


def _mkstemp(path: Path) -> None:
    fd, name = tempfile.mkstemp(dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(b"bytes")
    finally:
        os.unlink(name)


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


WRITES: dict[str, Callable[[Path], object]] = {
    "Path.write_text": _write_text,
    "open-append": _append,
    "os.write": _os_write,
    "os.fdopen": _fdopen,
    "mkstemp": _mkstemp,
    "fsync": _fsync,
    "replace-into": lambda path: os.replace(path.with_name("outside").resolve(), path),
    "link-into": lambda path: os.link(path.with_name("outside"), path.with_name("linked")),
    "mkdir": lambda path: path.with_name("new-folder").mkdir(),
    "new-file": lambda path: path.with_name("new.txt").write_text(""),
    "atomic": lambda path: write_atomic(path, "new"),
    "atomic-not-durable": lambda path: write_atomic(path, "new", durable=False),
}


@pytest.mark.parametrize("how", WRITES)
def test_the_fake_full_disk_refuses_every_way_of_writing(
    how: str, empty_files_fit: bool, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    disk = tmp_path / "disk"
    disk.mkdir()
    path = disk / "file.txt"
    path.write_text("as it was")
    (disk / "outside").write_text("from elsewhere")
    (disk / "kept.txt").write_text("kept")
    outside = tmp_path / "elsewhere.txt"
    disk_faults.full(monkeypatch, disk, empty_files_fit=empty_files_fit)
    if how == "new-file" and empty_files_fit:  # made, empty: writing its bytes is what fails
        path.with_name("new.txt").touch()
        how = "Path.write_text"
    with pytest.raises(OSError) as raised:
        WRITES[how](path)
    assert raised.value.errno == errno.ENOSPC
    assert (disk / "kept.txt").read_text() == "kept"  # reading works
    outside.write_text("fine")  # and writing elsewhere
    monkeypatch.undo()
    assert outside.read_text() == "fine"
    assert leftovers(disk) == []


def test_the_fake_full_disk_still_truncates_and_removes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "file.txt"
    path.write_text("0123456789")
    disk_faults.full(monkeypatch, tmp_path)
    fd = os.open(path, os.O_RDWR)
    os.ftruncate(fd, 4)
    os.close(fd)
    assert path.read_text() == "0123"
    path.unlink()
    assert not path.exists()


def test_a_mirror_that_cannot_be_written_is_not_written_and_the_stale_one_goes(
    empty_files_fit: bool, isolated_data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The disk fills between the TOML file and its mirror: the save stands, the old mirror
    (of the file just replaced) is removed, and the next read is of the TOML file."""
    store = Store(isolated_data_dir)
    s = session([("m0", "+1")], members=roster(3))
    path = store.create(s)
    assert mirror_path(path).exists()
    s.record("m1", parse_vote("-1"), at=T0)
    text = session_to_toml(s)
    write_atomic(path, text)
    disk_faults.full(monkeypatch, isolated_data_dir, empty_files_fit=empty_files_fit)
    write_mirror(path, s, text, store.key)  # never raises
    monkeypatch.undo()
    assert not mirror_path(path).exists()
    assert leftovers(isolated_data_dir) == []
    assert session_to_toml(load_session(path)) == text


def test_a_fold_on_a_full_disk_loses_no_ballot_and_changes_no_file(
    empty_files_fit: bool, isolated_data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = Store(isolated_data_dir)
    path = store.create(session(members=roster(3)))
    opened = OpenSession.open(store, path)
    for voter, vote in (("m0", "+1"), ("m1", "-1"), ("m2", "0")):
        opened.session.record(voter, parse_vote(vote), at=T0)
    before = files(isolated_data_dir)
    disk_faults.full(monkeypatch, isolated_data_dir, empty_files_fit=empty_files_fit)
    with pytest.raises(OSError, match="No space left on device"):
        opened.compact()
    with pytest.raises(OSError, match="No space left on device"):
        opened.session.record("m0", parse_vote("-1"), at=T0)  # not recorded, and not applied
    monkeypatch.undo()
    assert files(isolated_data_dir) == before
    assert [(b.voter, b.vote and b.vote.text) for b in opened.session.ballots] == [
        ("m0", "+1"),
        ("m1", "-1"),
        ("m2", "0"),
    ]
    opened.close()
    assert load_session(path) == opened.session


def test_summaries_that_cannot_be_remembered_are_read_again_and_never_stale(
    empty_files_fit: bool, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = Store(tmp_path / "data")
    paths = [store.create(session([("m0", "+1")], title=f"Vote {i}")) for i in range(2)]
    found = scan(store)
    remember(store, [read_summary(p) for p in found.changed], found.stamps)
    cache = store.sessions_dir / CACHE_NAME
    remembered = cache.read_bytes()
    opened = OpenSession.open(store, paths[0])
    opened.session.record("m1", parse_vote("+1"), at=T0)
    opened.close()
    disk_faults.full(monkeypatch, store.root, empty_files_fit=empty_files_fit)
    found = scan(store)
    assert found.changed == [paths[0]]
    remember(store, found.known + [read_summary(p) for p in found.changed], found.stamps)  # never raises
    monkeypatch.undo()
    assert cache.read_bytes() == remembered and leftovers(store.root) == []
    again = scan(store)
    assert again.changed == [paths[0]]  # the old summary is not taken for the changed file
    assert read_summary(paths[0]).binding == "+1:2 0:0 -1:0"


@pytest.mark.parametrize("key", [True, False], ids=["cache-key", "no-cache-key-yet"])
async def test_the_app_on_a_full_disk_lists_every_session_and_opens_none(
    key: bool, empty_files_fit: bool, isolated_data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Nothing can be remembered or opened for writing, nor the caches' key made: the list is
    read from the files, and opening says why it cannot; afterwards every file is as it was."""
    store, path = demo_store(isolated_data_dir)
    store.create(session([("m0", "+1")], title="Another vote"))
    if not key:  # the caches beside the files are then not this user's: never used
        store.key.path.unlink()
    before = files(isolated_data_dir)
    disk_faults.full(monkeypatch, isolated_data_dir, empty_files_fit=empty_files_fit)
    app = app_for(isolated_data_dir)
    async with app.run_test(size=(160, 30)) as pilot:  # wide enough for whole titles
        await settle(pilot)
        assert isinstance(app.screen, SessionsScreen)
        table = app.screen.query_one("#sessions", DataTable)
        rows = sorted([str(cell) for cell in table.get_row_at(i)][::2] for i in range(table.row_count))
        assert [title for title, _ in rows] == ["Another vote", "Establish the TVM FFI module"]
        assert all("·" in tally for _, tally in rows), rows  # read from their files, not pending
        await pilot.press("enter")
        await settle(pilot)
        assert app.meeting.current is None and isinstance(app.screen, SessionsScreen)
        notices = [n.message for n in app._notifications]
        assert any("cannot be opened for writing (No space left on device)" in m for m in notices), notices
    monkeypatch.undo()
    assert files(isolated_data_dir) == before
    assert not (store.sessions_dir / CACHE_NAME).exists()
    assert path.exists()
