"""An export never replaces a file of the sessions (a session file, its journal, lock or mirror,
the sessions list's cache, the shared roster, the cache key), however its path is spelled, and
respects a stricter umask; the sessions folder is the owner's alone."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from textual.widgets import Input

from tests.app_helpers import running
from tests.factories import T0, roster, session
from tvm_vote_tui.cli import main
from tvm_vote_tui.domain.votes import parse_vote
from tvm_vote_tui.store.journal import journal_path
from tvm_vote_tui.store.mirror import mirror_path
from tvm_vote_tui.store.sessions import OpenSession, Store, load, lock_path
from tvm_vote_tui.store.summaries import CACHE_NAME, read_summary, remember, scan


def mode(path: Path) -> int:
    return stat.S_IMODE(os.lstat(path).st_mode)


@pytest.fixture
def store(isolated_data_dir: Path) -> Store:
    return Store(isolated_data_dir)


@pytest.fixture
def path(store: Store) -> Path:
    """A session with a journal, a lock, a mirror, a remembered summary and a shared roster."""
    made = store.create(session([("m0", "+1")], members=roster(3)))
    opened = OpenSession.open(store, made)
    opened.session.record("m1", parse_vote("+1"), at=T0)
    opened.close()
    store.save_roster(roster(2))
    found = scan(store)
    remember(store, [read_summary(p, store.key) for p in found.changed], found.stamps)
    return made


def contents(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


FILES = {
    "session file": lambda store, path: path,
    "journal": lambda store, path: journal_path(path),
    "lock": lambda store, path: lock_path(path),
    "mirror": lambda store, path: mirror_path(path),
    "summaries": lambda store, path: store.sessions_dir / CACHE_NAME,
    "shared roster": lambda store, path: store.roster_path,
    "cache key": lambda store, path: store.key.path,
    "new file in the sessions folder": lambda store, path: store.sessions_dir / "result.txt",
}


def spellings(target: Path, tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """The same file by other names: with `..`, through a linked folder, and a hard link."""
    yield "as is", target
    yield "with ..", target.parent / ".." / target.parent.name / target.name
    linked = tmp_path / "linked-folder"
    if not linked.exists():
        linked.symlink_to(target.parent)
    yield "through a linked folder", linked / target.name
    if target.exists():
        hard = tmp_path / f"hard-{target.name}"
        if not hard.exists():
            os.link(target, hard)
        yield "a hard link", hard


@pytest.mark.parametrize("what", list(FILES))
def test_export_force_never_replaces_a_file_of_the_sessions(
    what: str, store: Store, path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = FILES[what](store, path)
    before = contents(store.root)
    for spelling, name in spellings(target, tmp_path):
        status = main(["export", path.name, "-o", str(name), "--force"])
        err = capsys.readouterr().err
        assert status == 2, (spelling, err)
        assert err.count("\n") == 1 and "Traceback" not in err and "never replaces it" in err, (spelling, err)
        assert contents(store.root) == before, spelling
    assert load(path, key=store.key).session.tally().binding.plus == 2


def test_a_session_outside_the_data_dir_keeps_its_files_too(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    elsewhere = Store(tmp_path / "elsewhere")
    path = elsewhere.create(session([("m0", "+1")], members=roster(3)))
    OpenSession.open(elsewhere, path).close()  # a journal and a lock beside it
    set_aside = path.with_name(f".{path.name}.journal.unmatched-abc123")
    set_aside.write_text("kept")
    for target in (path, journal_path(path), lock_path(path), mirror_path(path), set_aside):
        assert main(["export", str(path), "-o", str(target), "--force"]) == 2
        assert "never replaces it" in capsys.readouterr().err
    assert set_aside.read_text() == "kept"
    out = tmp_path / "elsewhere" / "result.txt"  # beside it, any other name is fine
    assert main(["export", str(path), "-o", str(out)]) == 0 and out.exists()


@pytest.mark.parametrize(("umask", "wanted"), [(0o077, 0o600), (0o027, 0o640), (0o022, 0o644)])
def test_exports_respect_the_umask(umask: int, wanted: int, store: Store, path: Path, tmp_path: Path) -> None:
    old = os.umask(umask)
    try:
        out = tmp_path / f"result-{umask:o}.txt"
        assert main(["export", path.name, "-o", str(out)]) == 0
        private = tmp_path / f"json-{umask:o}.json"  # holds addresses: 0600 whatever the umask
        assert main(["export", path.name, "-f", "json", "-o", str(private)]) == 0
    finally:
        os.umask(old)
    assert mode(out) == wanted
    assert mode(private) == 0o600


def test_session_files_stay_0600_under_a_loose_umask(tmp_path: Path) -> None:
    old = os.umask(0)
    try:
        store = Store(tmp_path / "data")
        path = store.create(session())
    finally:
        os.umask(old)
    assert mode(path) == mode(mirror_path(path)) == 0o600


def test_the_sessions_folder_is_made_0700_and_an_older_0755_one_tightened(tmp_path: Path) -> None:
    store = Store(tmp_path / "new")
    store.ensure()
    assert mode(store.sessions_dir) == 0o700 and mode(store.root) == 0o700
    older = Store(tmp_path / "older")
    older.sessions_dir.mkdir(parents=True)
    older.sessions_dir.chmod(0o755)
    older.root.chmod(0o755)
    assert main(["--data-dir", str(older.root), "list"]) == 0  # reading changes nothing
    assert mode(older.sessions_dir) == 0o755
    older.ensure()  # as the app does when it starts, and every save
    assert mode(older.sessions_dir) == 0o700
    assert mode(older.root) == 0o755  # a folder the user gave is theirs to set


@pytest.mark.skipif(
    not hasattr(os, "geteuid") or os.geteuid() != 0, reason="needs root to give a folder away"
)
def test_a_sessions_folder_of_someone_else_is_not_changed(tmp_path: Path) -> None:
    store = Store(tmp_path / "shared")
    store.sessions_dir.mkdir(parents=True)
    store.sessions_dir.chmod(0o775)
    os.chown(store.sessions_dir, 4242, 4242)
    store.ensure()
    assert mode(store.sessions_dir) == 0o775


async def test_the_export_screen_never_replaces_the_session_file(isolated_data_dir: Path) -> None:
    async with running(isolated_data_dir, session([("m0", "+1")], members=roster(3))) as r:
        before = r.path.read_bytes()
        await r.press("f6", "s")
        r.app.screen.query_one(Input).value = str(r.path)
        await r.press("enter")
        await r.press("y")  # "Replace it?" - yes: still refused
        assert r.path.read_bytes() == before
        assert any("never replaces it" in n.message for n in r.app._notifications)
