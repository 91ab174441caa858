"""store/platform.py on each of its branches: POSIX as it runs here, Windows forced (its switch set,
a stand-in msvcrt from tests/fake_msvcrt.py, and `windows_files` below for Windows' refusal to
replace or delete a file that is open), and macOS's full sync with a stand-in fcntl."""

from __future__ import annotations

import errno
import os
import signal
import socket
import stat
import subprocess
import sys
import types
from pathlib import Path

import pytest

from tests import fake_msvcrt
from tests.factories import T0, roster, session
from tvm_vote_tui.domain.votes import parse_vote
from tvm_vote_tui.store import platform
from tvm_vote_tui.store.atomic import write_atomic
from tvm_vote_tui.store.journal import journal_path
from tvm_vote_tui.store.reader import LINK
from tvm_vote_tui.store.sessions import OpenSession, Store, StoreError, load, lock_path

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(params=["posix", "windows"])
def system(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Each test taking this runs twice: on the POSIX branch, and on the Windows branch."""
    if request.param == "windows":
        fake_msvcrt.install(monkeypatch)
        monkeypatch.setattr(platform, "REPLACE_WAITS", (0.001,) * 5)
    return str(request.param)


@pytest.fixture
def windows(monkeypatch: pytest.MonkeyPatch) -> None:
    fake_msvcrt.install(monkeypatch)
    monkeypatch.setattr(platform, "REPLACE_WAITS", (0.001,) * 5)


def _open_here(path: object) -> bool:
    target = os.path.realpath(os.fsdecode(path))  # type: ignore[arg-type]
    for entry in os.listdir("/proc/self/fd"):
        try:
            if os.readlink(f"/proc/self/fd/{entry}") == target:
                return True
        except OSError:
            continue
    return False


@pytest.fixture
def windows_files(windows: None, monkeypatch: pytest.MonkeyPatch) -> None:
    """Files as Windows treats them: a file that is open (here, in this process) can be neither
    replaced, nor renamed, nor deleted (Python opens files without FILE_SHARE_DELETE)."""
    real_replace, real_unlink = os.replace, os.unlink

    def replace(src: object, dst: object) -> None:
        for path in (src, dst):
            if _open_here(path):
                raise PermissionError(errno.EACCES, "Access is denied", os.fsdecode(path))  # type: ignore[arg-type]
        real_replace(src, dst)  # type: ignore[arg-type]

    def unlink(path: object, *args: object, **kwargs: object) -> None:
        if _open_here(path):
            raise PermissionError(errno.EACCES, "Access is denied", os.fsdecode(path))  # type: ignore[arg-type]
        real_unlink(path, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "replace", replace)
    monkeypatch.setattr(os, "unlink", unlink)


@pytest.fixture
def store(isolated_data_dir: Path) -> Store:
    return Store(isolated_data_dir)


def _record(opened: OpenSession, *voters: str) -> None:
    for voter in voters:
        opened.session.record(voter, parse_vote("+1"), at=T0)


def _voters(path: Path) -> list[str]:
    return [b.voter for b in load(path).session.ballots]


# -- the lock --------------------------------------------------------------------------------


def test_a_second_instance_is_read_only_and_says_who_holds_the_session(system: str, store: Store) -> None:
    path = store.create(session(members=roster(3)))
    first = OpenSession.open(store, path)
    second = OpenSession.open(store, path)
    assert not first.read_only
    assert second.read_only and second.holder == f"pid {os.getpid()} on {socket.gethostname()}"
    if system == "windows":  # Windows refuses reads of locked bytes: the lock lies past the text
        size = lock_path(path).stat().st_size
        assert fake_msvcrt.LOCKED and all(start >= size for start, _ in fake_msvcrt.LOCKED)
    second.close()
    first.close()
    third = OpenSession.open(store, path)
    assert not third.read_only, "the lock was not let go when its holder closed the session"
    third.close()


def test_readers_never_touch_the_lock(system: str, store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    """Listing, reading and following a session open no lock file, so a lock can never block
    them (a Windows lock stops even reads of the bytes it covers)."""
    path = store.create(session(members=roster(3)))
    holder = OpenSession.open(store, path)
    _record(holder, "m0")
    opened: list[str] = []
    real_open = os.open

    def spying_open(file: object, flags: int, *args: object, **kwargs: object) -> int:
        opened.append(os.fsdecode(file))  # type: ignore[arg-type]
        return real_open(file, flags, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "open", spying_open)
    assert [listing.session is not None for listing in store.list_sessions()] == [True]
    assert _voters(path) == ["m0"]
    monkeypatch.undo()
    assert opened and not [name for name in opened if name.endswith(".lock")]
    holder.close()


@pytest.mark.parametrize("branch", ["posix", "windows"])
def test_a_lock_left_by_a_killed_process_is_taken_over(
    branch: str, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    if branch == "windows":
        fake_msvcrt.install(monkeypatch)
    path = store.create(session(members=roster(3)))
    child = subprocess.Popen(
        [sys.executable, "-m", "tests.lock_child", branch, str(store.root), str(path)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    try:
        assert child.stdout is not None
        said = child.stdout.readline().strip()
        assert said == "held", child.stderr.read() if child.stderr else said
        second = OpenSession.open(store, path)
        assert second.read_only and second.holder.startswith(f"pid {child.pid} on ")
        second.close()
    finally:
        child.send_signal(signal.SIGKILL)
        child.communicate()
    taken = OpenSession.open(store, path)
    assert not taken.read_only, "the dead process's lock was not taken over"
    _record(taken, "m1")
    taken.close()
    assert _voters(path) == ["m1"]


# -- replacing -------------------------------------------------------------------------------


def _refuse(monkeypatch: pytest.MonkeyPatch, times: int | None) -> list[str]:
    """os.replace refuses (PermissionError, as Windows does while a scanner holds the file) the
    first `times` calls, or always when None; the list records every call."""
    calls: list[str] = []
    real_replace = os.replace

    def replace(src: str, dst: str) -> None:
        calls.append(dst)
        if times is None or len(calls) <= times:
            raise PermissionError(errno.EACCES, "Access is denied", dst)
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", replace)
    return calls


def test_a_replace_windows_refuses_twice_goes_through_on_the_third_try(
    windows: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "s.toml"
    target.write_text("old")
    calls = _refuse(monkeypatch, 2)
    write_atomic(target, "new")
    assert len(calls) == 3
    assert target.read_text() == "new" and os.listdir(tmp_path) == ["s.toml"]


def test_a_replace_windows_always_refuses_is_one_clear_error_and_loses_nothing(
    windows: None, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = store.create(session(members=roster(3)))
    opened = OpenSession.open(store, path)
    _record(opened, "m0", "m1")
    before = path.read_bytes()
    calls = _refuse(monkeypatch, None)
    with pytest.raises(platform.ReplaceRefused) as caught:
        opened.compact()
    assert len(calls) == len(platform.REPLACE_WAITS) + 1
    message = str(caught.value)
    assert message == (
        f"{path}: Windows would not let it be replaced (another program, such as an antivirus scanner "
        "or the search indexer, may have it open; or the folder is read-only); it is left as it was"
    )
    assert caught.value.strerror and "\n" not in message
    assert path.read_bytes() == before, "the session file changed"
    assert not [p for p in path.parent.iterdir() if p.name.endswith(".tmp")]
    _record(opened, "m2")  # the journal goes on: a ballot is still recorded, durably
    assert _voters(path) == ["m0", "m1", "m2"]
    monkeypatch.undo()
    opened.compact()
    opened.close()
    assert _voters(path) == ["m0", "m1", "m2"]


def test_on_posix_a_refused_replace_is_not_tried_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """There PermissionError means the folder's permissions, which waiting does not change."""
    target = tmp_path / "s.toml"
    target.write_text("old")
    calls = _refuse(monkeypatch, 2)
    with pytest.raises(PermissionError):
        write_atomic(target, "new")
    assert len(calls) == 1 and target.read_text() == "old"


def test_a_whole_session_on_windows_files(windows_files: None, store: Store, tmp_path: Path) -> None:
    """Windows replaces and deletes no open file: the journal is let go before it is folded, the
    lock file before it is removed, every temporary file before it is renamed."""
    held = tmp_path / "held"
    held.write_text("x")
    with open(held):  # the stand-in says no as Windows would
        with pytest.raises(PermissionError):
            os.replace(tmp_path / "nothing", held)
    path = store.create(session(members=roster(5)))
    opened = OpenSession.open(store, path)
    _record(opened, "m0", "m1", "m2")
    opened.compact()
    _record(opened, "m3")
    reader = OpenSession.open(store, path)
    assert reader.read_only and [b.voter for b in reader.session.ballots] == ["m0", "m1", "m2", "m3"]
    reader.close()
    opened.compact()
    opened.close()
    again = OpenSession.open(store, path)
    _record(again, "m4")
    again.close()
    assert _voters(path) == ["m0", "m1", "m2", "m3", "m4"]
    store.delete(path)
    assert not [p for p in path.parent.iterdir() if path.name in p.name]


def test_on_windows_a_session_another_instance_holds_is_not_deleted_at_all(
    windows_files: None, store: Store
) -> None:
    path = store.create(session(members=roster(3)))
    holder = OpenSession.open(store, path)
    _record(holder, "m0")
    with pytest.raises(StoreError, match="another tvm-vote-tui"):
        store.delete(path)
    holder.close()
    assert _voters(path) == ["m0"]


def test_on_windows_a_crash_file_is_written_without_opening_its_folder(
    windows: None, isolated_data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Windows cannot open a folder as a file: the crash file is opened by its whole path, new
    (O_EXCL) and never through a link, in a folder looked at first."""
    from tvm_vote_tui.app.crash import write_report

    real_open = os.open

    def no_folders(file: object, flags: int, *args: object, **kwargs: object) -> int:
        if os.path.isdir(os.fsdecode(file)) or kwargs.get("dir_fd") is not None:  # type: ignore[arg-type]
            raise PermissionError(errno.EACCES, "Access is denied", os.fsdecode(file))  # type: ignore[arg-type]
        return real_open(file, flags, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "open", no_folders)
    written = write_report(RuntimeError("boom"), isolated_data_dir)
    assert written is not None and written.parent == isolated_data_dir / "crashes"
    assert "RuntimeError: boom" in written.read_text()


# -- modes, syncs, binary files --------------------------------------------------------------


def test_modes_are_set_where_they_mean_something(
    system: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    set_to: list[int] = []
    real = platform._fchmod
    assert real is not None

    def fchmod(fd: int, mode: int) -> None:
        set_to.append(mode)
        real(fd, mode)

    monkeypatch.setattr(platform, "_fchmod", fchmod)
    target = tmp_path / "private.txt"
    old_umask = os.umask(0)  # a mode from the umask alone would be 0666 here
    try:
        write_atomic(target, "text")
    finally:
        os.umask(old_umask)
    if system == "posix":
        assert set_to == [0o600] and stat.S_IMODE(target.stat().st_mode) == 0o600
        assert platform.modes_are_private()
    else:
        assert set_to == [] and not platform.modes_are_private()


def test_the_folder_is_synced_after_a_rename_where_there_is_such_a_call(
    system: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    synced: list[str] = []
    real_fsync = os.fsync

    def fsync(fd: int) -> None:
        synced.append("folder" if stat.S_ISDIR(os.fstat(fd).st_mode) else "file")
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", fsync)
    write_atomic(tmp_path / "s.toml", "text")
    assert synced == (["file", "folder"] if system == "posix" else ["file"])


def test_on_macos_a_sync_asks_the_drive_to_write_its_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[tuple[str, int]] = []
    fails: list[int] = []

    def fcntl_call(fd: int, cmd: int, arg: int = 0, /) -> int:
        calls.append(("F_FULLFSYNC", fd))
        if fails:
            raise OSError(errno.ENOTSUP, "Operation not supported")
        return 0

    fake = types.ModuleType("fcntl")
    fake.F_FULLFSYNC = 51  # type: ignore[attr-defined]
    fake.fcntl = fcntl_call  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "fcntl", fake)
    monkeypatch.setattr(platform, "MACOS", True)
    monkeypatch.setattr(platform, "WINDOWS", False)
    real_fsync = os.fsync

    def fsync(fd: int) -> None:
        calls.append(("fsync", fd))
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", fsync)
    with open(tmp_path / "f", "wb") as handle:
        platform.sync(handle.fileno())
        assert calls == [("F_FULLFSYNC", handle.fileno())]
        calls.clear()
        fails.append(1)  # a filesystem that does not take it (some network shares): plain fsync
        platform.sync(handle.fileno())
        assert calls == [("F_FULLFSYNC", handle.fileno()), ("fsync", handle.fileno())]


def test_every_file_the_store_opens_is_opened_in_binary_mode(
    windows: None, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Windows' C runtime opens in text mode unless told otherwise, turning each "\\n" written
    into "\\r\\n" (the journal's byte counts would be wrong) and reading ctrl+z as the end."""
    marker = 1 << 30  # no open flag on Linux: stands for O_BINARY and is taken off again
    flags_seen: dict[str, int] = {}
    real_open = os.open

    def recording_open(file: object, flags: int, *args: object, **kwargs: object) -> int:
        name = os.fsdecode(file)  # type: ignore[arg-type]
        if Path(name).is_relative_to(store.root):
            flags_seen[Path(name).name] = flags_seen.get(Path(name).name, marker) & flags
        return real_open(file, flags & ~marker, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(platform, "O_BINARY", marker)
    monkeypatch.setattr(os, "open", recording_open)
    path = store.create(session(members=roster(3)))
    opened = OpenSession.open(store, path)
    _record(opened, "m0")
    opened.compact()
    _record(opened, "m1")
    opened.close()
    store.list_sessions()
    assert {f".{path.name}.lock", f".{path.name}.journal", path.name} <= flags_seen.keys()
    assert not [name for name, flags in flags_seen.items() if not flags & marker]


# -- links -----------------------------------------------------------------------------------


def test_a_link_where_the_lock_file_goes_is_refused_and_its_target_untouched(
    system: str, store: Store, tmp_path: Path
) -> None:
    path = store.create(session(members=roster(3)))
    target = tmp_path / "profile"
    target.write_text("export PATH=...\n")
    lock_path(path).symlink_to(target)
    with pytest.raises(StoreError) as caught:
        OpenSession.open(store, path)
    assert LINK in str(caught.value) and "\n" not in str(caught.value)
    assert target.read_text() == "export PATH=...\n"
    assert not journal_path(path).exists()


def test_without_o_nofollow_a_link_planted_after_the_look_is_refused(
    windows: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Windows has no O_NOFOLLOW: the path is looked at, opened, and what was opened compared
    with what is there; a link that came in between is refused and its file descriptor closed."""
    path, elsewhere = tmp_path / "journal", tmp_path / "elsewhere"
    path.write_text("mine")
    elsewhere.write_text("theirs")
    real_open = os.open
    opened: list[int] = []

    def planting_open(file: object, flags: int, *args: object, **kwargs: object) -> int:
        os.unlink(path)
        path.symlink_to(elsewhere)
        fd = real_open(file, flags, *args, **kwargs)  # type: ignore[arg-type]
        opened.append(fd)
        return fd

    monkeypatch.setattr(os, "open", planting_open)
    with pytest.raises(platform.LinkRefused):
        platform.open_fd(path, os.O_RDWR | os.O_APPEND, follow=False)
    monkeypatch.undo()
    with pytest.raises(OSError) as closed:
        os.fstat(opened[0])
    assert closed.value.errno == errno.EBADF
    assert elsewhere.read_text() == "theirs"


def test_file_identity_tells_a_replaced_file_from_the_one_held(tmp_path: Path) -> None:
    path = tmp_path / "lock"
    path.write_text("a")
    fd = platform.open_fd(path, os.O_RDWR)
    try:
        assert platform.same_file(fd, path)
        write_atomic(path, "b")
        assert not platform.same_file(fd, path)
        os.unlink(path)
        assert not platform.same_file(fd, path)
    finally:
        os.close(fd)


# -- only here -------------------------------------------------------------------------------


def _platform_questions(source: str) -> list[str]:
    import ast

    found: list[str] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import | ast.ImportFrom):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module or ""]
            found += [n for n in names if n.split(".")[0] in {"fcntl", "msvcrt", "winreg", "termios"}]
        elif isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
            asked = f"{node.value.id}.{node.attr}"
            if asked in {"sys.platform", "os.name", "platform.system", "sys.getwindowsversion"}:
                found.append(asked)
        elif isinstance(node, ast.Constant) and node.value in {"fcntl", "msvcrt"}:
            found.append(repr(node.value))
    return found


def test_no_module_but_the_platform_one_asks_which_system_it_runs_on() -> None:
    package = Path(platform.__file__).parent.parent
    asking = {
        str(path.relative_to(package)): questions
        for path in sorted(package.rglob("*.py"))
        if (questions := _platform_questions(path.read_text(encoding="utf-8")))
    }
    assert asking == {"store/platform.py": asking.get("store/platform.py")}
    assert _platform_questions("import fcntl\nimport sys\nsys.platform\n") == ["fcntl", "sys.platform"]
