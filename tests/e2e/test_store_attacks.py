"""Attacks on the files beside a session, through the installed app and command line: a forged
mirror or sessions-list cache is believed by nothing (tally, list, export, the [RESULT] mail, the
meter, the next fold); a writer whose lock is deleted stops and says so; a session another
instance holds is not deleted from the list."""

from __future__ import annotations

import json
import os
import re
import stat
import subprocess
from pathlib import Path

from tests.e2e.conftest import Cli, StartTui
from tests.e2e.harness import CliResult, script_path
from tests.factories import roster, session
from tests.mirrors import forge, parts
from tvm_vote_tui.store.format import session_from_toml
from tvm_vote_tui.store.journal import journal_path
from tvm_vote_tui.store.mirror import mirror_path
from tvm_vote_tui.store.sessions import OpenSession, Store, lock_path
from tvm_vote_tui.store.summaries import CACHE_NAME, read_summary, remember, scan

FORGED_NOTICE = "does not check against this user's cache key"
THREAD = Path(__file__).parent.parent / "threads" / "github_ffi.md"


def two_plus_ones(root: Path) -> tuple[Store, Path]:
    """A session whose file says binding +1 = 2 (of 8 members), its mirror written by the app."""
    store = Store(root)
    return store, store.create(session([("m0", "+1"), ("m1", "+1"), ("m2", "-1")], members=roster(8)))


def forge_eight(path: Path) -> None:
    """The mirror says all eight members voted +1; its header is the real one (stamp, digest,
    key id and MAC all copied): what anyone who can write the folder can do."""
    mirror = mirror_path(path)
    _, body = parts(mirror)
    doc = json.loads(body)
    ballot = doc["ballots"][0]
    doc["ballots"] = [{**ballot, "voter": f"m{i}", "vote": "+1"} for i in range(8)]
    forge(mirror, json.dumps(doc, separators=(",", ":")))


def test_a_forged_mirror_is_believed_by_no_command_and_no_screen(
    cli: Cli, start_tui: StartTui, isolated_data_dir: Path
) -> None:
    store, path = two_plus_ones(isolated_data_dir)
    forge_eight(path)
    name = path.stem

    tally = cli("tally", name, "--json")
    assert tally.status == 0, tally.stderr
    assert json.loads(tally.stdout)["binding"] == {"plus": 2, "zero": 0, "minus": 1}
    assert FORGED_NOTICE in tally.stderr and tally.stderr.count("\n") == 1  # said, on one line

    listed = cli("list")
    assert listed.status == 0 and "+1:2 0:0 -1:1" in listed.stdout, listed.stdout
    result = cli("export", name, "-f", "result")  # the [RESULT] mail
    assert result.status == 0 and "with 2 binding +1, 0 binding 0 and 1 binding -1" in result.stdout
    exported = json.loads(cli("export", name, "-f", "json").stdout)
    assert len(exported["ballots"]) == 3

    tui = start_tui("open", name)
    tui.wait_for("Member 7")
    tui.wait_for("Ignored", "forged")  # the app says it too (a notice)
    tui.press("f5")
    tui.wait_for_regex(r"\b2 of \d+ binding \+1")
    assert "8 of" not in tui.screen()
    tui.press("f4")
    tui.wait_for("Voter", "Standing", "Member 7")  # the ballots table (the meter names Member 7 too)
    tui.press("down", "down", "down")  # Member 3
    tui.wait_for("Member 3: no ballot yet")
    tui.press("+")
    tui.wait_for_regex(r"Member 3\s+\+1")
    tui.press("ctrl+q")  # lets the session go: the journal is folded into the file
    assert tui.wait_exit() == 0
    folded = session_from_toml(path.read_text(), path)
    assert [b.voter for b in folded.ballots] == ["m0", "m1", "m2", "m3"]  # never the forged eight
    assert folded.tally().binding.plus == 3


def test_a_forged_sessions_list_is_not_shown(start_tui: StartTui, isolated_data_dir: Path) -> None:
    store, path = two_plus_ones(isolated_data_dir)
    found = scan(store)
    remember(store, [read_summary(p, store.key) for p in found.changed], found.stamps)
    cache = store.sessions_dir / CACHE_NAME
    header, _, body = cache.read_text().partition("\n")
    data = json.loads(body)
    data["sessions"][path.name].update(
        title="\x1b]0;pwned\x07Forged title", verdict="passed", binding="+1:8 0:0 -1:0", closed=True
    )
    cache.write_text(header + "\n" + json.dumps(data))  # the real header (key id and MAC) kept
    tui = start_tui(size=(100, 24))
    screen = tui.wait_for("Adopt the new codebase", "+1:2 0:0 -1:1")
    assert "Forged" not in screen and "+8" not in screen and "passed" not in screen
    tui.wait_for("forged")  # said in a notice
    assert b"\x1b]0;pwned" not in tui.raw_output()
    tui.press("ctrl+q")
    assert tui.wait_exit() == 0


def test_a_writer_whose_lock_is_deleted_stops_and_says_so(
    cli: Cli, start_tui: StartTui, isolated_data_dir: Path
) -> None:
    """The issue's attack: the lock deleted while the app records, a second instance opens the
    session and may write; the first records nothing more and says so, and the session stays
    readable with what each wrote in turn."""
    store, path = two_plus_ones(isolated_data_dir)
    first = start_tui("open", path.stem)
    first.wait_for("Member 7")
    first.press("down", "down", "down")  # Member 3
    first.wait_for("Member 3: no ballot yet")
    first.press("+")
    first.wait_for_regex(r"Member 3\s+\+1")

    lock_path(path).unlink()
    second = start_tui("open", path.stem)
    second.wait_for("Member 7")
    assert "READ-ONLY" not in second.screen()  # the lock was gone: it is the writer now
    second.press("down", "down", "down", "down")  # Member 4
    second.wait_for("Member 4: no ballot yet")
    second.press("-")
    second.wait_for_regex(r"Member 4\s+-1")

    first.press("down")  # Member 4 in the first instance
    first.press("+")
    screen = first.wait_for("NOT recorded:", "NOT SAVING: this session's lock was taken away")
    assert not re.search(r"Member 4\s+\+1", screen)
    first.press("ctrl+q")
    assert first.wait_exit() == 0
    second.press("ctrl+q")
    assert second.wait_exit() == 0

    tally = cli("tally", path.stem, "--json")
    assert tally.status == 0, tally.stderr
    assert json.loads(tally.stdout)["binding"] == {"plus": 3, "zero": 0, "minus": 2}


def test_a_session_another_instance_holds_is_not_deleted_from_the_list(
    cli: Cli, start_tui: StartTui, isolated_data_dir: Path
) -> None:
    store, path = two_plus_ones(isolated_data_dir)
    holder = start_tui("open", path.stem)
    holder.wait_for("Member 7")

    other = start_tui()
    other.wait_for("Adopt the new codebase")
    other.press("x")
    other.wait_for("Delete the session")
    other.press("y")  # yes, delete it
    other.wait_for("Could not delete", "not deleted")
    assert re.search(rf"\bpid\s+{holder.process.pid}\b", other.screen()), other.describe()
    assert path.exists()
    other.press("ctrl+q")
    assert other.wait_exit() == 0

    holder.press("down", "down", "down")  # still recording, on disk
    holder.wait_for("Member 3: no ballot yet")
    holder.press("+")
    holder.wait_for_regex(r"Member 3\s+\+1")
    holder.press("ctrl+q")
    assert holder.wait_exit() == 0
    tally = cli("tally", path.stem, "--json")
    assert json.loads(tally.stdout)["binding"]["plus"] == 3


def test_a_cache_that_is_a_fifo_or_nested_never_stops_the_app(
    start_tui: StartTui, isolated_data_dir: Path, tmp_path: Path
) -> None:
    """A FIFO `.summaries.json` hung the app at start (ctrl+q dead), a deeply nested one crashed it
    at every start: now each is ignored with a notice, and the app starts, lists and quits."""
    store, path = two_plus_ones(isolated_data_dir)
    cache = store.sessions_dir / CACHE_NAME
    for plant in ("fifo", "nested", "sparse"):
        cache.unlink(missing_ok=True)
        mirror_path(path).unlink(missing_ok=True)
        if plant == "fifo":
            os.mkfifo(cache)
            os.mkfifo(mirror_path(path))
        elif plant == "nested":
            cache.write_bytes(b"[" * 1_000_000 + b"]" * 1_000_000)
            mirror_path(path).write_bytes(b"{" * 1_000 + b"}" * 1_000)
        else:
            for file in (cache, mirror_path(path)):
                with open(file, "wb") as f:
                    f.truncate(3 << 30)
        tui = start_tui()
        tui.wait_for("Adopt the new codebase", "+1:2 0:0 -1:1")
        if plant != "nested":  # a nested cache is torn or not ours: silently every file is read
            tui.wait_for("ignored")
        tui.press("enter")  # open it: its mirror is not a file to read either
        tui.wait_for("Member 7")
        tui.press("ctrl+q")
        assert tui.wait_exit() == 0, plant


def _one_line(result: CliResult, *words: str) -> None:
    assert result.status == 2, (result.stdout, result.stderr)
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr, result.stderr
    for word in words:
        assert word in result.stderr, result.stderr


def test_export_force_onto_the_sessions_own_files_is_refused(cli: Cli, isolated_data_dir: Path) -> None:
    """`export -o FILE --force` onto the session's file or journal destroyed the session."""
    store, path = two_plus_ones(isolated_data_dir)
    OpenSession.open(store, path).close()  # a journal beside it
    before = {p.name: p.read_bytes() for p in store.sessions_dir.iterdir() if p.is_file()}
    for target in (path, journal_path(path), store.sessions_dir / ".." / "sessions" / path.name):
        _one_line(cli("export", path.stem, "-o", str(target), "--force"), "never replaces it")
    after = {p.name: p.read_bytes() for p in store.sessions_dir.iterdir() if p.is_file()}
    assert after == before
    assert json.loads(cli("tally", path.stem, "--json").stdout)["binding"]["plus"] == 2


def test_an_export_under_umask_077_is_private(isolated_data_dir: Path, tmp_path: Path) -> None:
    store, path = two_plus_ones(isolated_data_dir)
    out = tmp_path / "result.txt"
    done = subprocess.run(
        [
            "sh",
            "-c",
            'umask 077 && exec "$0" --data-dir "$1" export "$2" -o "$3"',
            str(script_path()),
            str(isolated_data_dir),
            path.stem,
            str(out),
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert stat.S_IMODE(out.stat().st_mode) == 0o600


def test_a_planted_lock_link_never_has_its_target_written(
    start_tui: StartTui, cli: Cli, isolated_data_dir: Path, tmp_path: Path
) -> None:
    """A symlinked lock file had its target (a shell profile) overwritten with `pid N on host`."""
    store, path = two_plus_ones(isolated_data_dir)
    profile = tmp_path / "home" / ".profile"
    profile.parent.mkdir(parents=True, exist_ok=True)
    profile.write_text("export PATH=/usr/bin\n")
    lock_path(path).symlink_to(profile)
    tui = start_tui("open", path.stem)
    assert tui.wait_exit() == 2, tui.describe()
    printed = [line for line in tui.output_after_exit().splitlines() if line.strip()]
    assert len(printed) == 1 and "symbolic link" in printed[0] and "lock" in printed[0], printed
    _one_line(cli("import-thread", path.stem, str(THREAD), "--yes"), "symbolic link")  # --yes: it writes
    assert profile.read_text() == "export PATH=/usr/bin\n"
    assert cli("tally", path.stem).status == 0  # reading needs no lock


def test_a_symlinked_journal_or_session_file_is_refused_by_every_command(
    cli: Cli, isolated_data_dir: Path, tmp_path: Path
) -> None:
    store, path = two_plus_ones(isolated_data_dir)
    OpenSession.open(store, path).close()
    outside = tmp_path / "outside.journal"
    os.replace(journal_path(path), outside)
    journal_path(path).symlink_to(outside)
    for args in (
        ["tally", path.stem],
        ["export", path.stem],
        ["import-thread", path.stem, str(THREAD), "--yes"],
    ):
        _one_line(cli(*args), journal_path(path).name, "symbolic link")
    os.replace(outside, journal_path(path))
    real = tmp_path / "real.toml"
    os.replace(path, real)
    path.symlink_to(real)
    for args in (
        ["tally", str(path)],
        ["export", str(path)],
        ["import-thread", str(path), str(THREAD), "--yes"],
    ):
        _one_line(cli(*args), path.name, "symbolic link")
    assert path.is_symlink()
