"""An unexpected exception: one line for the user, the whole traceback in a file, a non-zero exit.

Left alone, Textual prints a screenful of traceback with local variables (voters' names, notes
and e-mail addresses among them) when the app crashes, and `App.run` returns normally, so the
process would exit 0 as if all went well. A vote manager in a meeting needs to know at a glance
that the app stopped, where the details are, and that the ballots recorded so far are safe (each
is fsync'd to the journal before it is shown). So a crash ends the process with status 1 and one
line on stderr; the traceback goes to a new file of its own, readable by its owner only, under the
data dir (or the user's state dir if that fails): never the shared temp folder, where anyone
could have planted a link or a file of that name.
"""

from __future__ import annotations

import os
import platform
import stat
import sys
import traceback
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TextIO, TypeVar

from textual.app import App
from textual.worker import WorkerFailed

from tvm_vote_tui import __version__
from tvm_vote_tui.domain.text import one_line, visible
from tvm_vote_tui.store import platform as osfiles
from tvm_vote_tui.store.paths import APP_AUTHOR, APP_NAME
from tvm_vote_tui.venues.token import scrub_secrets

CRASHED = 1
"""Exit status after an unexpected exception."""
REFUSED = 2
"""Exit status on bad input, as every command exits with it."""
SUMMARY_LIMIT = 160
"""Characters of the exception's message kept in the one-line report."""
CRASH_DIR = "crashes"

ReturnType = TypeVar("ReturnType")


class CrashReportingApp(App[ReturnType]):
    """An App whose crash is kept in `crash` for `run_app` to report, without Textual's traceback."""

    crash: BaseException | None = None
    """The first unexpected exception (a failed worker's own error), or None."""
    refusal: str = ""
    """Why the app stopped at once on bad input (a session file named on the command line that
    cannot be read): printed like any command's error, exit status 2."""

    def refuse(self, message: str) -> None:
        self.refusal = message
        self.exit(return_code=REFUSED)

    def _handle_exception(self, error: Exception) -> None:
        # Textual still ends the app and records the error (Pilot tests re-raise it); only its
        # long traceback on the terminal is dropped, for the one line `run_app` prints instead.
        if self.crash is None:
            self.crash = cause(error)
        super()._handle_exception(error)
        self._exit_renderables.clear()


def cause(error: BaseException) -> BaseException:
    """The exception that went wrong: a failed worker's own error rather than Textual's wrapper."""
    while isinstance(error, WorkerFailed) and isinstance(error.error, BaseException):
        error = error.error
    return error


def summary(error: BaseException) -> str:
    """`RuntimeError: boom`: the exception's type and first words, on one visible-safe line."""
    error = cause(error)
    message = scrub_secrets(one_line(str(error)).strip())
    if len(message) > SUMMARY_LIMIT:
        message = message[: SUMMARY_LIMIT - 1] + "…"
    name = type(error).__name__
    return f"{name}: {message}" if message else name


def crash_line(error: BaseException, report: Path | None) -> str:
    """The one line the user sees after a crash."""
    where = f"details in {visible(str(report))}" if report is not None else "no crash file could be written"
    return f"tvm-vote-tui: crashed: {summary(error)} — {where}; recorded ballots are on disk"


def report_text(error: BaseException, when: datetime) -> str:
    """What the crash file holds: versions, the command line and the full traceback."""
    from textual import __version__ as textual_version  # read from package metadata: not at start

    error = cause(error)
    lines = [
        f"tvm-vote-tui {__version__} crashed at {when.isoformat(timespec='seconds')}",
        f"Python {platform.python_version()} on {platform.platform()}, Textual {textual_version}",
        f"Command: {' '.join(sys.argv)}",
        "",
        *traceback.format_exception(error),
    ]
    # No token ever reaches an exception or a frame we show, but a crash file is the last place
    # to make sure: whatever the token variables hold is taken out, whole or in part.
    return scrub_secrets("\n".join(line.rstrip("\n") for line in lines) + "\n")


def crash_folders(data_dir: Path) -> list[Path]:
    """Where a crash file may go, in order: the data dir's `crashes`, then the user's state dir's."""
    folders = [data_dir / CRASH_DIR]
    try:
        import platformdirs

        folders.append(Path(platformdirs.user_state_dir(APP_NAME, appauthor=APP_AUTHOR)) / CRASH_DIR)
    except Exception:  # no state dir to be had: the data dir is all there is
        pass
    return folders


def write_report(error: BaseException, data_dir: Path, when: datetime | None = None) -> Path | None:
    """Write the crash file under `data_dir/crashes` (else the state dir); its path, or None.

    The traceback may quote names and e-mail addresses, so the file is readable by its owner only;
    it is a new file (never one already there, never through a link), in a folder of the user's
    own that nobody else may write to."""
    when = when or datetime.now(UTC)
    text = report_text(error, when).encode("utf-8", "backslashreplace")
    stem = f"crash-{when.strftime('%Y%m%d-%H%M%S')}-{os.getpid()}"
    for folder in crash_folders(data_dir):
        try:
            return _write_new(folder, stem, text)
        except OSError:
            continue
    return None


def _write_new(folder: Path, stem: str, text: bytes) -> Path:
    """Write `text` to a new file `stem[-N].txt` in `folder`, made 0700 if missing and refused if
    it is a link or others may write to it; the file is opened relative to the folder opened, so
    a link swapped in meanwhile is not followed either (where a folder can be opened: on Windows
    the folder is looked at and the file opened by its whole path, never through a link)."""
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    dir_fd = osfiles.open_folder(folder)
    try:
        info = os.fstat(dir_fd) if dir_fd is not None else os.lstat(folder)
        if not stat.S_ISDIR(info.st_mode) or stat.S_ISLNK(os.lstat(folder).st_mode):
            raise NotADirectoryError(folder)
        others_write = osfiles.modes_are_private() and stat.S_IMODE(info.st_mode) & 0o022
        if not osfiles.owned_by_me(info) or others_write:
            raise PermissionError(f"{folder}: not a folder of this user's alone")
        for attempt in range(100):
            name = f"{stem}.txt" if attempt == 0 else f"{stem}-{attempt}.txt"
            flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL
            try:
                if dir_fd is not None:
                    fd = osfiles.open_fd(name, flags, 0o600, follow=False, dir_fd=dir_fd)
                else:
                    fd = osfiles.open_fd(folder / name, flags, 0o600, follow=False)
            except FileExistsError:
                continue
            try:
                osfiles.set_mode(fd, 0o600)
                view = memoryview(text)
                while view:
                    view = view[os.write(fd, view) :]
            finally:
                os.close(fd)
            return folder / name
        raise FileExistsError(folder / stem)
    finally:
        if dir_fd is not None:
            os.close(dir_fd)


def report(error: BaseException, data_dir: Path, stderr: TextIO | None = None) -> int:
    """Write the crash file, print the one line, and return the exit status for a crash."""
    try:
        path = write_report(error, data_dir)
    except Exception:  # reporting must never hide the crash behind a second traceback
        path = None
    print(crash_line(error, path), file=stderr or sys.stderr, flush=True)
    return CRASHED


def exit_status(app: CrashReportingApp[Any], data_dir: Path, stderr: TextIO | None = None) -> int:
    """After `app` has run: report its crash if it had one; the process's exit status."""
    if app.crash is not None:
        return report(app.crash, data_dir, stderr)
    if app.refusal:
        print(f"tvm-vote-tui: {one_line(app.refusal)}", file=stderr or sys.stderr, flush=True)
    return app.return_code or 0


def run_app(app: CrashReportingApp[Any], data_dir: Path, stderr: TextIO | None = None) -> int:
    """Run `app` in the terminal; the exit status, non-zero after any unexpected exception."""
    try:
        app.run()
    except Exception as error:  # raised outside Textual's own handling, e.g. starting the driver
        return report(error, data_dir, stderr)
    return exit_status(app, data_dir, stderr)
