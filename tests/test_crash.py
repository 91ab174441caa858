"""A crash: one line for the user, the traceback in a private file, and a non-zero exit status."""

from __future__ import annotations

import io
import os
import stat
import tempfile
from datetime import UTC, datetime
from pathlib import Path

import pytest
from textual.app import ComposeResult
from textual.widgets import Static
from textual.worker import WorkerFailed

from tvm_vote_tui.app.app import VoteApp
from tvm_vote_tui.app.crash import (
    CRASHED,
    CrashReportingApp,
    cause,
    crash_line,
    exit_status,
    report,
    run_app,
    summary,
    write_report,
)

WHEN = datetime(2026, 11, 25, 17, 0, 5, tzinfo=UTC)


def raised(error: BaseException) -> BaseException:
    """`error` with a traceback, as the app would have it."""
    try:
        raise error
    except BaseException as caught:
        return caught


def test_the_line_is_one_line_and_names_the_error_and_the_file() -> None:
    error = RuntimeError("boom\nsecond line\x1b[2J")
    line = crash_line(error, Path("/data/crashes/crash-1.txt"))
    assert "\n" not in line and "\x1b" not in line
    assert line == (
        "tvm-vote-tui: crashed: RuntimeError: boom second line␛[2J — details in /data/crashes/crash-1.txt; "
        "recorded ballots are on disk"
    )


def test_the_line_without_a_message_or_a_file() -> None:
    assert summary(KeyError()) == "KeyError"
    assert crash_line(ValueError(""), None) == (
        "tvm-vote-tui: crashed: ValueError — no crash file could be written; recorded ballots are on disk"
    )


def test_a_long_message_is_cut() -> None:
    text = summary(RuntimeError("x" * 1000))
    assert len(text) < 200 and text.endswith("…")


def test_a_failed_worker_is_reported_by_its_own_error() -> None:
    inner = ValueError("bad row")
    assert cause(WorkerFailed(inner)) is inner
    assert summary(WorkerFailed(inner)) == "ValueError: bad row"


def test_the_crash_file_holds_the_traceback_and_only_its_owner_reads_it(tmp_path: Path) -> None:
    path = write_report(raised(RuntimeError("boom")), tmp_path, WHEN)
    assert path == tmp_path / "crashes" / f"crash-20261125-170005-{os.getpid()}.txt"
    text = path.read_text(encoding="utf-8")
    assert text.startswith("tvm-vote-tui ")
    assert "Traceback (most recent call last)" in text and "RuntimeError: boom" in text
    assert "in raised" in text
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_the_crash_file_goes_to_the_state_dir_when_the_data_dir_cannot_hold_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "tmp"))
    (tmp_path / "tmp").mkdir()
    not_a_folder = tmp_path / "data"
    not_a_folder.write_text("a file where the data dir should be")
    path = write_report(raised(RuntimeError("boom")), not_a_folder, WHEN)
    assert path is not None and path.parent == tmp_path / "xdg-state" / "tvm-vote-tui" / "crashes"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert list((tmp_path / "tmp").iterdir()) == []  # never the shared temp folder


def test_report_prints_one_line_and_returns_the_crash_status(tmp_path: Path) -> None:
    err = io.StringIO()
    assert report(raised(RuntimeError("boom")), tmp_path, err) == CRASHED != 0
    lines = err.getvalue().splitlines()
    assert len(lines) == 1 and lines[0].startswith("tvm-vote-tui: crashed: RuntimeError: boom — details in ")


class Breaks(CrashReportingApp[None]):
    """Raises on mount ("mount"), in a thread worker ("worker"), or not at all."""

    def __init__(self, where: str) -> None:
        super().__init__()
        self.where = where

    def compose(self) -> ComposeResult:
        yield Static("hello")

    def on_mount(self) -> None:
        if self.where == "mount":
            raise RuntimeError("boom on mount")
        if self.where == "worker":
            self.run_worker(self._work, thread=True)

    def _work(self) -> None:
        raise ValueError("boom in a thread")


async def test_an_exception_in_the_app_is_kept_and_textuals_traceback_dropped(tmp_path: Path) -> None:
    app = Breaks("mount")
    with pytest.raises(RuntimeError):  # Pilot still re-raises it, so app tests see crashes
        async with app.run_test() as pilot:
            await pilot.pause()
    assert isinstance(app.crash, RuntimeError)
    assert app.return_code == 1
    assert not app._exit_renderables  # nothing left for Textual to print over the terminal
    err = io.StringIO()
    assert exit_status(app, tmp_path, err) == CRASHED
    assert err.getvalue().count("\n") == 1 and "RuntimeError: boom on mount" in err.getvalue()


async def test_an_exception_in_a_thread_worker_counts_too(tmp_path: Path) -> None:
    app = Breaks("worker")
    with pytest.raises(WorkerFailed):
        async with app.run_test() as pilot:
            await pilot.pause()
            await app.workers.wait_for_complete()
            await pilot.pause()
    assert isinstance(app.crash, ValueError)
    err = io.StringIO()
    assert exit_status(app, tmp_path, err) == CRASHED
    assert "ValueError: boom in a thread" in err.getvalue()


async def test_a_clean_exit_is_status_zero(tmp_path: Path) -> None:
    app = Breaks("nowhere")
    async with app.run_test() as pilot:
        await pilot.pause()
        app.exit()
    assert app.crash is None
    assert exit_status(app, tmp_path, io.StringIO()) == 0


def test_an_exception_outside_textuals_handling_is_reported(tmp_path: Path) -> None:
    class WontStart(CrashReportingApp[None]):
        def run(self, **kwargs: object) -> None:
            raise OSError("no terminal")

    err = io.StringIO()
    assert run_app(WontStart(), tmp_path, err) == CRASHED
    assert "OSError: no terminal" in err.getvalue()


def test_the_vote_app_reports_its_crashes() -> None:
    assert issubclass(VoteApp, CrashReportingApp)


def _planted_link(folder: Path, victim: Path) -> None:
    folder.mkdir(parents=True)
    name = f"crash-20261125-170005-{os.getpid()}.txt"
    (folder / name).symlink_to(victim)


@pytest.mark.parametrize(
    "plant", ["link in the folder", "folder is a link", "file already there", "open folder"]
)
def test_a_crash_file_is_never_written_through_what_was_planted(tmp_path: Path, plant: str) -> None:
    """A crash file is a new file of its own, 0600, in a folder only its owner may write to: a
    link, an existing (world-writable) file or a folder others may write to are never used."""
    victim = tmp_path / "home" / ".profile"
    victim.parent.mkdir(parents=True)
    victim.write_text("export PATH=/usr/bin\n")
    data = tmp_path / "data"
    crashes = data / "crashes"
    name = f"crash-20261125-170005-{os.getpid()}.txt"
    if plant == "link in the folder":
        _planted_link(crashes, victim)
    elif plant == "folder is a link":
        data.mkdir()
        shared = tmp_path / "shared"
        shared.mkdir()
        crashes.symlink_to(shared)
    elif plant == "file already there":
        crashes.mkdir(parents=True)
        (crashes / name).write_text("planted")
        (crashes / name).chmod(0o666)
    else:
        crashes.mkdir(parents=True)
        crashes.chmod(0o777)
    path = write_report(raised(RuntimeError("boom")), data, WHEN)
    assert path is not None
    assert victim.read_text() == "export PATH=/usr/bin\n"
    assert not path.is_symlink() and stat.S_IMODE(os.lstat(path).st_mode) == 0o600
    assert "RuntimeError: boom" in path.read_text()
    if plant == "file already there":
        assert path == crashes / name.replace(".txt", "-1.txt")
        assert (crashes / name).read_text() == "planted"
    elif plant == "link in the folder":
        assert path.parent == crashes and path.name != name
    else:  # not a folder of the user's alone: the state dir instead
        assert path.parent == tmp_path / "xdg-state" / "tvm-vote-tui" / "crashes"
    if plant == "folder is a link":
        assert list((tmp_path / "shared").iterdir()) == []


def test_the_crash_line_shows_the_path_made_visible() -> None:
    line = crash_line(RuntimeError("boom"), Path("/data\x1b]0;pwned\x07/crashes/crash\u202e.txt"))
    assert "\x1b" not in line and "\u202e" not in line and "\x07" not in line
    assert "details in /data␛]0;pwned␇/crashes/crash<U+202E>.txt;" in line
