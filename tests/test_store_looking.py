"""Looking never writes: listing, tallying and exporting create and change nothing, even with a
journal that has pending entries, a torn last line or another session's id; opening a file that
is not a session (or one whose journal cannot be started) leaves no lock file behind."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests import disk_faults
from tests.factories import T0, roster, session
from tvm_vote_tui.cli import main
from tvm_vote_tui.domain.votes import parse_vote
from tvm_vote_tui.store.journal import journal_path
from tvm_vote_tui.store.sessions import OpenSession, Store, StoreError, lock_path

THREAD = Path(__file__).parent / "threads" / "github_ffi.md"


def state(folder: Path) -> dict[str, tuple[bytes, int, int]]:
    """Every file and folder under `folder`: its bytes, mtime and mode."""
    return {
        str(p.relative_to(folder)): (
            p.read_bytes() if p.is_file() else b"",
            p.stat().st_mtime_ns,
            p.stat().st_mode,
        )
        for p in sorted(folder.rglob("*"))
    }


@pytest.fixture
def data(isolated_data_dir: Path, tmp_path: Path) -> Iterator[Path]:
    """A data dir with sessions in every state a reader may meet, copied read-only."""
    store = Store(isolated_data_dir)
    store.save_roster(roster(3))
    pending = store.create(session(members=roster(3), title="Pending ballots"))
    opened = OpenSession.open(store, pending)
    opened.session.record("m0", parse_vote("+1"), at=T0)
    opened.session.record("m1", parse_vote("-1"), note="mail me: m1@apache.org", at=T0)
    opened.close()
    with journal_path(pending).open("a") as handle:
        handle.write('{"seq": 3, "op": "ballot", "ballo')  # torn: a writer killed mid-line
    old = session(members=roster(3), title="From before session ids")
    old.session_id = ""
    store.create(old)
    grafted = store.create(session(members=roster(3), title="Replaced file"))
    shutil.copy(journal_path(pending), journal_path(grafted))
    (store.sessions_dir / "broken.toml").write_text("schema_version = 1\n[proposal\n")
    (store.sessions_dir / "notes.txt").write_text("not a session")
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


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: "-".join(c[:2]))
def test_reading_commands_create_and_change_nothing(
    command: list[str], data: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    before = state(data)
    disk_faults.read_only(monkeypatch, data)  # any write at all would fail, even as root
    assert main(["--data-dir", str(data), *command]) in (0, 2)
    out = capsys.readouterr()
    assert "Traceback" not in out.err
    if command[:2] == ["tally", "pending"]:
        assert "+1: 1" in out.out or '"plus": 1' in out.out
    monkeypatch.undo()
    assert state(data) == before


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
