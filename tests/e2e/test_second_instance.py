"""Two instances on one session: the second gets it read-only, says so, and writes nothing."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from tests.e2e.conftest import Cli, StartTui
from tests.e2e.harness import Tui
from tests.looking import every_reader_case, state
from tvm_vote_tui.store.sessions import OpenSession
from tvm_vote_tui.store.summaries import CACHE_NAME

TITLE = "Adopt the new RFC process"
ROSTER_CSV = """\
id,name,email,github,binding
ada,Ada Lovelace,ada@apache.org,ada-l,yes
bruno,Bruno Costa,bruno@apache.org,brunoc,yes
chenw,Chen Wei,chenw@apache.org,chenw,yes
"""


def row(name: str, vote: str) -> re.Pattern[str]:
    return re.compile(rf"^\s*{re.escape(name)}\s+{re.escape(vote)}\s+binding", re.MULTILINE)


def wait_row(tui: Tui, name: str, vote: str) -> None:
    pattern = row(name, vote)
    tui.wait_until(lambda s: pattern.search(s) is not None, f"the row {name} | {vote}")


def tally(cli: Cli, name: str) -> dict[str, Any]:
    result = cli("tally", name, "--json")
    assert result.status == 0, result.stderr
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def files(folder: Path) -> dict[str, bytes]:
    """Every file under `folder` with its bytes, but the sessions list's summaries: any instance
    may remember what it read there (store/summaries.py), which records nothing."""
    return {
        str(p.relative_to(folder)): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.name != CACHE_NAME
    }


def test_a_second_instance_is_read_only_and_records_nothing(
    start_tui: StartTui, cli: Cli, tmp_path: Path, isolated_data_dir: Path
) -> None:
    roster = tmp_path / "roster.csv"
    roster.write_text(ROSTER_CSV, encoding="utf-8")

    # The first instance: a session with a roster and one ballot.
    first = start_tui()
    first.wait_for("No votes here yet")
    first.press("n")
    first.wait_for("Title of the proposal")
    first.type_text(TITLE)
    first.press("enter")
    first.wait_for("Title (required)", f"tvm-vote-tui — {TITLE}")
    first.press("f3")
    first.wait_for("SESSION ROSTER")
    first.press("i")
    first.wait_for("Import members")
    first.type_text(str(roster))
    first.press("enter")
    first.wait_for("Add 3 members")
    first.press("ctrl+s")
    first.wait_gone("Import members")
    first.wait_for("which every new vote starts with")  # no shared roster yet: keep it? no
    first.press("n")
    first.wait_gone("which every new vote starts with")
    first.press("f2")
    first.wait_for("Title (required)")  # the proposal screen, before its own key
    first.press("o")  # a new vote is a draft: it opens now (called in a meeting)
    first.wait_for("Open now: a vote called in a meeting")
    first.press("down", "enter", "ctrl+s")
    first.wait_for_regex(r"· opened \d{4}-\d\d-\d\d")
    first.press("f4")
    first.wait_for("Voter", "Ada Lovelace", "Chen Wei")
    first.press("+")
    wait_row(first, "Ada Lovelace", "+1")

    listed = cli("list")
    assert listed.status == 0, listed.stderr
    name = listed.stdout.split()[0]
    before_files = files(isolated_data_dir)
    before_tally = tally(cli, name)

    # The second instance, on the same session.
    second = start_tui("open", name)
    second.wait_for("READ-ONLY", "Ada Lovelace", "Chen Wei")
    second.wait_for_regex(rf"pid {first.process.pid}\b")  # it names the instance holding the session
    wait_row(second, "Ada Lovelace", "+1")  # it shows what the first recorded
    second.press("down")  # Bruno Costa
    second.wait_for("Bruno Costa: no ballot yet")
    second.press("+")
    second.wait_for("open read-only")
    second.press("-", "up")  # Ada Lovelace, who voted in the first instance
    second.wait_for("Ada Lovelace history:")
    second.press("backspace")
    second.type_text("chen")
    second.wait_for("Jump: chen▏ → Chen Wei")
    second.press("0")
    second.press("ctrl+n")  # refused before a form is filled in for nothing
    second.wait_for("This session is open read-only")
    assert "Vote of someone not on the roster" not in second.screen()
    second.press("f8")  # close the vote: refused with the read-only notice, no dialog to fill in
    screen = second.wait_for("READ-ONLY")
    assert "Close the vote" not in screen, second.describe()
    for voter, shown in [("Ada Lovelace", "+1"), ("Bruno Costa", "·"), ("Chen Wei", "·")]:
        assert row(voter, shown).search(screen), second.describe()
    assert "Kofi Mensah" not in screen and "CLOSED" not in screen, second.describe()
    second.press("ctrl+q")
    assert second.wait_exit() == 0

    assert files(isolated_data_dir) == before_files
    assert tally(cli, name) == before_tally

    # The first instance still holds the session and records.
    first.type_text("bru")
    first.wait_for("Jump: bru▏ → Bruno Costa")
    first.press("+")
    wait_row(first, "Bruno Costa", "+1")
    first.press("ctrl+q")
    assert first.wait_exit() == 0
    after = tally(cli, name)
    assert after["binding"] == {"plus": 2, "zero": 0, "minus": 0}


def test_a_session_opened_read_only_is_left_exactly_as_it_was(
    start_tui: StartTui, isolated_data_dir: Path
) -> None:
    """`tvm-vote-tui open` on a session another instance holds: looking at every screen of it
    creates, removes and touches nothing in the data dir (names, sizes and mtimes the same)."""
    store = every_reader_case(isolated_data_dir)
    holder = OpenSession.open(store, store.resolve("pending"))  # the instance holding it
    try:
        before = state(isolated_data_dir)
        tui = start_tui("open", "pending")
        tui.wait_for("READ-ONLY", "Member 0", "Member 2")
        for key, shown in (("f2", "Title (required)"), ("f3", "SESSION ROSTER"), ("f7", "ballot")):
            tui.press(key)
            tui.wait_for(shown)
        tui.press("f4")
        tui.wait_for("READ-ONLY", "Member 0")
        tui.press("ctrl+q")
        assert tui.wait_exit() == 0
        assert state(isolated_data_dir) == before
    finally:
        holder.close()
