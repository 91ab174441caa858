"""Export files: readable by their owner only when they hold an e-mail address, and `--force`
replaces regular files only (never a FIFO, a device, a folder or a symbolic link)."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from textual.widgets import Input

from tests.app_helpers import running
from tvm_vote_tui.cli import main
from tvm_vote_tui.demo import sample_session
from tvm_vote_tui.domain.votes import parse_vote
from tvm_vote_tui.store.format import session_to_toml


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def plain(tmp_path: Path) -> Path:
    path = tmp_path / "plain.toml"
    path.write_text(session_to_toml(sample_session()))
    return path


@pytest.fixture
def with_address(tmp_path: Path) -> Path:
    s = sample_session()
    s.record("gruiz", parse_vote("+1"), note="reply to gruiz@apache.org if it fails", at=s.proposal.opens_at)
    s.record("jdoe@example.org", parse_vote("+1"), at=s.proposal.opens_at)  # a voter known by address
    path = tmp_path / "address.toml"
    path.write_text(session_to_toml(s))
    return path


@pytest.mark.parametrize(
    ("fmt", "plain_mode", "address_mode"),
    [
        ("json", 0o600, 0o600),
        ("result", 0o644, 0o600),
        ("markdown", 0o644, 0o600),
        ("announce", 0o644, 0o644),
    ],
)
def test_exports_holding_an_address_are_private(
    fmt: str, plain_mode: int, address_mode: int, plain: Path, with_address: Path, tmp_path: Path
) -> None:
    for source, wanted in ((plain, plain_mode), (with_address, address_mode)):
        out = tmp_path / f"{source.stem}.{fmt}"
        assert main(["export", str(source), "-f", fmt, "-o", str(out)]) == 0
        assert mode(out) == wanted, (source.name, fmt)
        # JSON always names the mailing list (dev@...); the other formats hold an @ only with an address.
        assert ("@" in out.read_text()) == (wanted == 0o600 or fmt == "json")


def _fifo(path: Path) -> None:
    os.mkfifo(path)


def _folder(path: Path) -> None:
    path.mkdir()


def _link(path: Path) -> None:
    target = path.with_name("target.txt")
    target.write_text("the link's target")
    path.symlink_to(target)


def _device(path: Path) -> None:
    try:
        os.mknod(path, stat.S_IFCHR | 0o600, os.makedev(1, 3))  # what /dev/null is
    except PermissionError:
        pytest.skip("making a device node needs root")


@pytest.mark.parametrize(
    ("make", "words"),
    [(_fifo, "FIFO"), (_folder, "folder"), (_link, "symbolic link"), (_device, "device")],
    ids=["fifo", "folder", "symlink", "device"],
)
@pytest.mark.parametrize("force", [True, False], ids=["force", "no-force"])
def test_force_replaces_only_regular_files(
    make, words: str, force: bool, plain: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    make(out)
    before = os.lstat(out)
    assert main(["export", str(plain), "-o", str(out), *(["--force"] if force else [])]) == 2
    err = capsys.readouterr().err
    assert words in err and err.count("\n") == 1 and "Traceback" not in err
    after = os.lstat(out)
    assert (after.st_ino, after.st_mode) == (before.st_ino, before.st_mode)
    if words == "symbolic link":
        assert (tmp_path / "target.txt").read_text() == "the link's target"


def test_force_replaces_a_regular_file(plain: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.txt"
    out.write_text("old")
    assert main(["export", str(plain), "-o", str(out), "--force"]) == 0
    assert out.read_text().startswith("Subject: [RESULT][VOTE]")


async def test_the_export_screen_saves_a_text_with_an_address_privately(
    isolated_data_dir: Path, tmp_path: Path
) -> None:
    s = sample_session()
    s.record("jdoe@example.org", parse_vote("+1"), at=s.proposal.opens_at)
    async with running(isolated_data_dir, s) as r:
        for name in ("with-address.txt", "fifo"):
            await r.press("f6", "s")
            r.app.screen.query_one(Input).value = str(tmp_path / name)
            if name == "fifo":
                os.mkfifo(tmp_path / name)
            await r.press("enter")
            if name == "fifo":
                await r.press("y")  # "Replace it?" - yes
    assert mode(tmp_path / "with-address.txt") == 0o600
    assert stat.S_ISFIFO(os.lstat(tmp_path / "fifo").st_mode)
    assert any("FIFO" in n.message for n in r.app._notifications)
