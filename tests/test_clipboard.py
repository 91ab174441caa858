"""Copying through the system's clipboard command, faked by a script on PATH."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from tvm_vote_tui.app import clipboard
from tvm_vote_tui.app.clipboard import Copied, copy_text, copy_words, find_command


def fake(folder: Path, name: str, body: str = '/bin/cat > "$0.out"') -> Path:
    """A clipboard command that keeps what it is given beside itself (NAME.out)."""
    folder.mkdir(exist_ok=True)
    script = folder / name
    script.write_text(f"#!/bin/sh\n{body}\n")
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    return script


@pytest.fixture
def bin_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "bin"
    folder.mkdir()
    monkeypatch.setenv("PATH", str(folder))
    for name in ("DISPLAY", "WAYLAND_DISPLAY"):
        monkeypatch.delenv(name, raising=False)
    return folder


def test_the_first_command_that_can_reach_a_clipboard_is_used(
    bin_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert find_command() is None and copy_text("x") == Copied()
    xclip = fake(bin_dir, "xclip")
    fake(bin_dir, "wl-copy")
    assert find_command() is None  # neither an X11 nor a Wayland display here (over ssh, say)
    monkeypatch.setenv("DISPLAY", ":0")
    assert find_command() == (clipboard.COMMANDS[2], str(xclip))
    monkeypatch.setenv("WAYLAND_DISPLAY", "wayland-0")
    assert find_command()[0].name == "wl-copy"  # type: ignore[index]
    fake(bin_dir, "pbcopy")
    assert copy_text("Zoë +1\n") == Copied(via="pbcopy")
    assert (bin_dir / "pbcopy.out").read_text() == "Zoë +1\n"


def test_xclip_gets_the_text_and_its_arguments(bin_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DISPLAY", ":0")
    fake(bin_dir, "xclip", 'echo "$@" > "$0.args"; /bin/cat > "$0.out"')
    assert copy_text("[VOTE] Adopt it") == Copied(via="xclip")
    assert (bin_dir / "xclip.out").read_text() == "[VOTE] Adopt it"
    assert (bin_dir / "xclip.args").read_text() == "-selection clipboard\n"


def test_clip_exe_reads_utf16(bin_dir: Path) -> None:
    fake(bin_dir, "clip.exe")
    assert copy_text("Zoë") == Copied(via="clip.exe")
    assert (bin_dir / "clip.exe.out").read_bytes() == "\ufeffZoë".encode("utf-16-le")


def test_a_command_that_fails_or_hangs_says_so(bin_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fake(bin_dir, "pbcopy", "exit 3")
    assert copy_text("x") == Copied(problem="pbcopy failed (exit status 3)")
    monkeypatch.setattr(clipboard, "TIMEOUT", 0.3)
    fake(bin_dir, "pbcopy", "/bin/sleep 5")
    assert copy_text("x") == Copied(problem="pbcopy did not finish within 0.3 seconds")


def test_the_words_say_which_way_and_always_how_to_save() -> None:
    sure, ok = copy_words("Markdown", Copied(via="xclip"), "s saves it to a file.")
    assert (
        ok
        and sure == "Copied the Markdown with xclip (and through the terminal, OSC 52). s saves it to a file."
    )
    unsure, ok = copy_words("Markdown", Copied(), "s saves it to a file.")
    assert not ok and "through the terminal only (OSC 52)" in unsure
    assert "no clipboard command (pbcopy, wl-copy, xclip, xsel, clip.exe) was found" in unsure
    assert unsure.endswith("If nothing pastes, s saves it to a file.")
    failed, _ = copy_words("Markdown", Copied(problem="xsel failed (exit status 1)"), "s saves it to a file.")
    assert ": xsel failed (exit status 1). If nothing pastes" in failed
