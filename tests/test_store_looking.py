"""Looking never writes: listing, tallying and exporting create and change nothing, even with a
journal that has pending entries, a torn last line or another session's id; opening a file that
is not a session (or one whose journal cannot be started) leaves no lock file behind."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests import disk_faults
from tests.factories import roster, session
from tests.looking import every_reader_case, state
from tvm_vote_tui.cli import main
from tvm_vote_tui.store.sessions import OpenSession, Store, StoreError, lock_path

THREAD = Path(__file__).parent / "threads" / "github_ffi.md"


@pytest.fixture
def data(isolated_data_dir: Path, tmp_path: Path) -> Iterator[Path]:
    """A data dir with sessions in every state a reader may meet, copied read-only."""
    every_reader_case(isolated_data_dir)
    copy = tmp_path / "copy"
    shutil.copytree(isolated_data_dir, copy)
    for path in sorted(copy.rglob("*"), reverse=True):
        path.chmod(0o500 if path.is_dir() else 0o400)
    yield copy
    for path in copy.rglob("*"):
        path.chmod(0o700)


COMMANDS = [
    ["list"],
    ["tally", "pending"],
    ["tally", "pending", "--json"],
    ["tally", "from-before"],
    ["tally", "replaced"],
    ["tally", "broken"],
    ["export", "pending", "--format", "json"],
    ["export", "pending", "--format", "markdown"],
    ["export", "replaced", "--format", "result"],
    ["import-thread", "pending", str(THREAD), "--dry-run"],
]
BROKEN = ["tally", "broken"]
"""The one reading command that fails on its own: its file cannot be read (exit 2)."""


def expected_status(command: list[str]) -> int:
    return 2 if command == BROKEN else 0


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: "-".join(c[:2]))
def test_reading_commands_work_on_a_read_only_disk(
    command: list[str], data: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Any write would fail here (even as root) and exit 2: only the broken file may."""
    before = state(data)
    disk_faults.read_only(monkeypatch, data)
    status = main(["--data-dir", str(data), *command])
    out = capsys.readouterr()
    assert status == expected_status(command), out.err
    assert "Traceback" not in out.err
    if command[:2] == ["tally", "pending"]:
        assert "+1: 1" in out.out or '"plus": 1' in out.out
    monkeypatch.undo()
    assert state(data) == before


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: "-".join(c[:2]))
def test_reading_commands_change_nothing_in_a_normal_data_dir(
    command: list[str], isolated_data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Where writing would succeed, a reading command still creates, removes and touches
    nothing: the same names (hidden files too), sizes and mtimes before and after."""
    every_reader_case(isolated_data_dir)
    before = state(isolated_data_dir)
    status = main(["--data-dir", str(isolated_data_dir), *command])
    out = capsys.readouterr()
    assert status == expected_status(command), out.err
    assert state(isolated_data_dir) == before


def test_the_sessions_list_reads_everything_and_writes_nothing(data: Path, monkeypatch) -> None:
    before = state(data)
    disk_faults.read_only(monkeypatch, data)
    listings = Store(data).list_sessions()
    assert sorted(listing.path.name.split("-")[0] for listing in listings if listing.session) == [
        "from",
        "pending",
        "replaced",
    ]
    assert [listing.path.name for listing in listings if listing.error] == ["broken.toml"]
    assert any("not applied" in listing.warning for listing in listings)
    monkeypatch.undo()
    assert state(data) == before


@pytest.mark.parametrize("content", ["these are notes\n", "", "schema_version = 1\n"])
def test_opening_a_file_that_is_not_a_session_leaves_no_lock(
    content: str, tmp_path: Path, isolated_data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    notes = tmp_path / "notes.toml"
    notes.write_text(content)
    with pytest.raises(ValueError):
        OpenSession.open(Store(isolated_data_dir), notes)
    assert main(["import-thread", str(notes), str(THREAD)]) == 2
    assert "notes.toml" in capsys.readouterr().err
    assert [p.name for p in tmp_path.iterdir() if p.name != "data"] == ["notes.toml"]
    assert not lock_path(notes).exists()


def test_a_session_whose_journal_cannot_be_started_leaves_no_lock(
    isolated_data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = Store(isolated_data_dir)
    path = store.create(session(members=roster(3)))
    before = sorted(p.name for p in store.sessions_dir.iterdir())  # the file and its mirror
    disk_faults.full(monkeypatch, isolated_data_dir)
    with pytest.raises(StoreError, match="No space left on device"):
        OpenSession.open(store, path)
    monkeypatch.undo()
    assert sorted(p.name for p in store.sessions_dir.iterdir()) == before
    assert not lock_path(path).exists()
