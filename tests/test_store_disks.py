"""Disks that say no: a read-only data dir and a full disk give one clear line and exit status 2
(or a notice in the app), never a traceback, and leave the files as they were."""

from __future__ import annotations

import errno
import json
import os
from pathlib import Path

import pytest

from tests import disk_faults
from tests.factories import T0, roster, session
from tvm_vote_tui.cli import main
from tvm_vote_tui.demo import sample_session
from tvm_vote_tui.domain.votes import parse_vote
from tvm_vote_tui.store.journal import journal_path
from tvm_vote_tui.store.sessions import OpenSession, Store, StoreError, load

THREAD = Path(__file__).parent / "threads" / "github_ffi.md"


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def one_error_line(capsys: pytest.CaptureFixture[str], *words: str) -> None:
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err, err
    for word in words:
        assert word in err, err


@pytest.mark.parametrize("code", [errno.EROFS, errno.EACCES])
def test_opening_in_a_read_only_data_dir_says_so(
    code: int, isolated_data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = Store(isolated_data_dir)
    path = store.create(session(members=roster(3)))
    before = snapshot(isolated_data_dir)
    disk_faults.read_only(monkeypatch, isolated_data_dir, code)
    with pytest.raises(StoreError, match=f"cannot be opened for writing \\({os.strerror(code)}\\)"):
        OpenSession.open(store, path)
    assert load(path).session.proposal.title  # reading still works
    monkeypatch.undo()
    assert snapshot(isolated_data_dir) == before


@pytest.mark.parametrize("code", [errno.EROFS, errno.EACCES])
def test_import_thread_in_a_read_only_data_dir_exits_2(
    code: int, isolated_data_dir: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    path = Store(isolated_data_dir).create(sample_session(ballots=0))
    before = snapshot(isolated_data_dir)
    disk_faults.read_only(monkeypatch, isolated_data_dir, code)
    assert main(["import-thread", str(path), str(THREAD), "--yes"]) == 2
    one_error_line(capsys, path.name, os.strerror(code))
    assert main(["import-thread", str(path), str(THREAD), "--dry-run"]) == 0  # looking still works
    capsys.readouterr()
    monkeypatch.undo()
    assert snapshot(isolated_data_dir) == before


def test_a_read_only_data_dir_without_its_sessions_folder_exits_2(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "readonly"
    data.mkdir()
    disk_faults.read_only(monkeypatch, data)
    assert main(["--data-dir", str(data)]) == 2  # starting the app needs its folder
    one_error_line(capsys, "cannot create data folder", "Read-only file system")
    assert main(["--data-dir", str(data), "list"]) == 0


def test_import_thread_on_a_full_disk_records_nothing_and_exits_2(
    isolated_data_dir: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    store = Store(isolated_data_dir)
    path = store.create(sample_session(ballots=0))
    OpenSession.open(store, path).close()  # its journal exists: the failure is the ballots' own
    before = snapshot(isolated_data_dir)
    disk_faults.full(monkeypatch, isolated_data_dir)
    assert main(["import-thread", str(path), str(THREAD), "--yes"]) == 2
    one_error_line(capsys, "no ballots recorded", "No space left on device")
    monkeypatch.undo()
    assert load(path).session.ballots == []
    after = snapshot(isolated_data_dir)
    assert {k: v for k, v in after.items() if not k.endswith(".lock")} == {
        k: v for k, v in before.items() if not k.endswith(".lock")
    }


def test_import_thread_on_a_full_disk_without_a_journal_yet_exits_2(
    isolated_data_dir: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    path = Store(isolated_data_dir).create(sample_session(ballots=0))
    disk_faults.full(monkeypatch, isolated_data_dir)
    assert main(["import-thread", str(path), str(THREAD), "--yes"]) == 2
    one_error_line(capsys, "No space left on device")
    monkeypatch.undo()
    assert load(path).session.ballots == [] and not journal_path(path).exists()


def test_a_fold_whose_folder_fsync_fails_keeps_appending_to_the_live_journal(
    isolated_data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The journal was replaced before the folder's fsync failed: later ballots go to the new
    file, not the replaced one nobody reads."""
    store = Store(isolated_data_dir)
    path = store.create(session(members=roster(3)))
    opened = OpenSession.open(store, path)
    opened.session.record("m0", parse_vote("+1"), at=T0)
    real_fsync = os.fsync
    folder_syncs: list[int] = []

    def second_folder_sync_fails(fd: int) -> None:
        if os.path.isdir(os.readlink(f"/proc/self/fd/{fd}")):
            folder_syncs.append(fd)
            if len(folder_syncs) == 2:  # the TOML file's went through; the journal's does not
                raise OSError(errno.EIO, "Input/output error")
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", second_folder_sync_fails)
    with pytest.raises(OSError):
        opened.compact()
    monkeypatch.undo()
    opened.session.record("m1", parse_vote("+1"), at=T0)
    opened.close()
    lines = [json.loads(line) for line in journal_path(path).read_text().splitlines()]
    assert [line.get("seq") for line in lines] == [None, 2]
    assert [b.voter for b in load(path).session.ballots] == ["m0", "m1"]


def test_import_thread_whose_fold_fails_still_says_what_it_recorded(
    isolated_data_dir: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The ballots are in the journal, on disk, before the fold: saying 'nothing recorded' then
    would be untrue (and running it again would find them recorded)."""
    path = Store(isolated_data_dir).create(sample_session(ballots=0))

    def full(self: OpenSession, snapshot: object = None) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(OpenSession, "compact", full)
    assert main(["import-thread", str(path), str(THREAD), "--json", "--yes"]) == 0
    recorded = json.loads(capsys.readouterr().out)["recorded"]
    monkeypatch.undo()
    assert recorded and [b.voter for b in load(path).session.ballots] == recorded
