"""Copying text where a terminal alone may not: the system's clipboard command, beside OSC 52.

Many terminals ignore OSC 52 (the escape sequence the app also sends), and nothing says so: the
paste just comes out empty. So the text also goes through the clipboard command of the system
when there is one (pbcopy on macOS, wl-copy under Wayland, xclip or xsel under X11, clip.exe on
Windows and WSL), found on PATH, and the manager is told which way it went. No Textual here: it
runs in a worker thread."""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass

TIMEOUT = 5.0
"""Seconds a clipboard command may take before it counts as failed."""


@dataclass(frozen=True)
class Command:
    """A clipboard command: its name on PATH, its arguments, and when it can work here."""

    name: str
    args: tuple[str, ...] = ()
    needs: str = ""
    """An environment variable that must be set for it to reach a clipboard (DISPLAY for X11)."""
    utf16: bool = False
    """clip.exe reads UTF-16 (with its byte-order mark); the others UTF-8."""


COMMANDS: tuple[Command, ...] = (
    Command("pbcopy"),
    Command("wl-copy", needs="WAYLAND_DISPLAY"),
    Command("xclip", ("-selection", "clipboard"), needs="DISPLAY"),
    Command("xsel", ("--clipboard", "--input"), needs="DISPLAY"),
    Command("clip.exe", utf16=True),
)
"""In the order tried: the first found on PATH whose display is there is used."""


@dataclass(frozen=True)
class Copied:
    """How a copy went through the system: `via` names the command ('' when none was used)."""

    via: str = ""
    problem: str = ""
    """Why the command that was found did not copy ('' when it did, or none was found)."""


def find_command() -> tuple[Command, str] | None:
    """The clipboard command to use here and its path, or None."""
    for command in COMMANDS:
        if command.needs and not os.environ.get(command.needs):
            continue
        found = shutil.which(command.name)
        if found:
            return command, found
    return None


def copy_text(text: str) -> Copied:
    """Put `text` on the system clipboard through its command (blocking: call it from a thread)."""
    found = find_command()
    if found is None:
        return Copied()
    command, path = found
    data = ("\ufeff" + text).encode("utf-16-le") if command.utf16 else text.encode()
    try:
        # No pipes kept open: xclip and wl-copy leave a child behind to serve the clipboard,
        # which would hold a captured stdout or stderr open past the command's own exit.
        done = subprocess.run(
            [path, *command.args],
            input=data,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            timeout=TIMEOUT,
            check=False,
            close_fds=True,
            start_new_session=True,  # (POSIX: its own session; Windows' subprocess ignores it)
        )
    except subprocess.TimeoutExpired:
        return Copied(problem=f"{command.name} did not finish within {TIMEOUT:g} seconds")
    except OSError as err:
        return Copied(problem=f"{command.name} could not run ({err.strerror or err})")
    if done.returncode != 0:
        return Copied(problem=f"{command.name} failed (exit status {done.returncode})")
    return Copied(via=command.name)


def copy_words(what: str, copied: Copied, save_hint: str) -> tuple[str, bool]:
    """(what to tell the manager, whether it surely reached a clipboard)."""
    if copied.via:
        return f"Copied the {what} with {copied.via} (and through the terminal, OSC 52). {save_hint}", True
    names = ", ".join(c.name for c in COMMANDS)
    why = copied.problem or f"no clipboard command ({names}) was found"
    return (
        f"Sent the {what} through the terminal only (OSC 52), which many terminals ignore: {why}. "
        f"If nothing pastes, {save_hint[0].lower()}{save_hint[1:]}",
        False,
    )
