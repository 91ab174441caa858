"""A whole meeting in a real terminal, from an empty data dir: draft the proposal, import the
roster, record a dozen ballots by name, close, export, quit, restart and find it all again.

Each step checks the screen, and the saved files are checked through the installed command
line (`tally --json`, `export`), at 80x24 and at 120x40.
"""

from __future__ import annotations

import json
import re
import tomllib
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.conftest import Cli, StartTui
from tests.e2e.harness import Tui, wait_for_file

TITLE = "Establish the FFI module"
SUMMARY = "Move the FFI into its own module."
LINK = "https://discuss.tvm.apache.org/t/ffi-module/1"
CLOSE_REASON = "Decided in the PMC meeting"
NOTE = "likes the design"
GUEST = "Kofi Mensah"

PMC = {
    "ada": "Ada Lovelace",
    "bruno": "Bruno Costa",
    "chenw": "Chen Wei",
    "dara": "Dara Okafor",
    "elif": "Elif Yilmaz",
    "farid": "Farid Haddad",
    "greta": "Greta Lind",
    "hiro": "Hiro Tanaka",
    "zmuller": "Zoë Müller",  # the id does not start with "zoe": typing "zoe" must match the name
}
COMMITTERS_CSV = """\
id,name,email,github,binding
ada,Ada Lovelace,ada@apache.org,ada-l,yes
ivan,Ivan Petrov,ivan@example.org,ivanp,no
jade,Jade Kim,jade@example.org,jadek,no
"""


def committee_info() -> str:
    """A committee-info.json as Whimsy publishes it (trimmed): TVM's PMC and one other."""
    roster = {availid: {"name": name, "date": "2020-01-01"} for availid, name in PMC.items()}
    return json.dumps(
        {
            "last_updated": "2026-11-20 10:00:00 UTC",
            "committees": {
                "arrow": {
                    "display_name": "Arrow",
                    "roster": {"wes": {"name": "Wes M", "date": "2016-01-01"}},
                },
                "tvm": {
                    "display_name": "TVM",
                    "chair": {"ada": {"name": "Ada Lovelace"}},
                    "roster": roster,
                },
            },
        },
        ensure_ascii=False,
        indent=2,
    )


WHOLE = {"w/d": "withdrawn", "non-bind": "non-binding"}
"""The words the ballot table has room for beside the meter at 120 columns (short at 80)."""


def row(name: str, vote: str, standing: str, width: int = 80) -> re.Pattern[str]:
    """A row of the ballot table: name, vote, standing (in whole words at 120 columns)."""
    if width >= 120:
        vote, standing = WHOLE.get(vote, vote), WHOLE.get(standing, standing)
    return re.compile(rf"^\s*{re.escape(name)}\s+{re.escape(vote)}\s+{re.escape(standing)}\b", re.MULTILINE)


def wait_row(tui: Tui, name: str, vote: str, standing: str = "binding") -> None:
    pattern = row(name, vote, standing, tui.size[0])
    tui.wait_until(lambda s: pattern.search(s) is not None, f"the row {name} | {vote} | {standing}")


# The final ballots: (name, vote shown, standing).
FINAL_ROWS = [
    ("Ada Lovelace", "+1", "binding"),
    ("Bruno Costa", "+1", "binding"),
    ("Chen Wei", "+1", "binding"),
    ("Dara Okafor", "0", "binding"),
    ("Elif Yilmaz", "-1", "binding"),
    ("Farid Haddad", "w/d", "binding"),
    ("Greta Lind", "·", "binding"),
    ("Hiro Tanaka", "+1", "binding"),
    ("Zoë Müller", "+1", "binding"),
    ("Ivan Petrov", "+0.5", "non-bind"),
    ("Jade Kim", "·", "non-bind"),
    (GUEST, "+1", "guest"),
]
EXPECTED_TALLY = {
    "title": TITLE,
    "rule": "lazy-two-thirds-literal",
    "passes": True,
    "binding": {"plus": 5, "zero": 1, "minus": 1},
    "non_binding": {"plus": 1, "zero": 1, "minus": 0},
    "not_voted": ["farid", "greta"],
    "decided": False,
}


def tally_json(cli: Cli, name: str) -> dict[str, Any]:
    result = cli("tally", name, "--json")
    assert result.status == 0, result.stderr
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def session_name(cli: Cli) -> str:
    listed = cli("list")
    assert listed.status == 0, listed.stderr
    lines = [line for line in listed.stdout.splitlines() if TITLE in line]
    assert len(lines) == 1, listed.stdout
    return lines[0].split()[0]


# -- the steps ---------------------------------------------------------------------------------


def create_session(tui: Tui) -> None:
    tui.wait_for("No votes here yet", "Press n")
    tui.press("n")
    tui.wait_for("Title of the proposal")
    tui.type_text(TITLE)
    tui.press("enter")
    tui.wait_for("Title (required)", f"tvm-vote-tui — {TITLE}")
    assert not tui.field_has_focus("Title (required)")  # a stray key edits nothing
    tui.press("tab")
    tui.wait_focus("Title (required)")


def fill_proposal(tui: Tui) -> None:
    """Kind and rule from their lists, a summary, a link, and a window of 72 hours: a draft keeps
    it as a length, and it runs from when the vote opens (`open_now`)."""
    tui.press("tab", "enter")  # the kind list
    tui.wait_for("New codebase / sub-project")
    tui.press("down", "enter")
    tui.wait_gone("New codebase / sub-project")
    tui.wait_until(lambda s: re.search(r"New module\s+▼", s) is not None, "kind New module")
    tui.press("tab", "enter")  # the rule list
    tui.wait_for("lazy-two-thirds-literal")
    tui.press("down", "enter")
    tui.wait_for("Applies the literal reading")
    tui.press("tab")
    tui.wait_focus("Summary of the community conversation")
    tui.type_text(SUMMARY)
    tui.wait_for(SUMMARY)
    tui.press("tab")
    tui.wait_focus("Discussion links")
    tui.type_text(LINK)
    tui.wait_for(LINK)
    tui.press("tab")
    tui.wait_focus("Window: how long it runs once opened")
    tui.press("ctrl+u")
    tui.type_text("+72h")
    tui.wait_for("The vote runs 3 days from when it opens")
    tui.press("enter")
    screen = tui.wait_until(lambda s: re.search(r"▊\s*\+3d\s", s) is not None, "the window saved as +3d")
    assert "Shorter than 72 hours" not in screen


def open_now(tui: Tui) -> None:
    """F2, o: the vote is called in the meeting, so it opens now; its window runs from now."""
    tui.press("f2")
    tui.wait_for("DRAFT: not open yet", "Title (required)")  # the banner is on every screen
    tui.press("o")
    tui.wait_for("Open the vote:", "Open now: a vote called in a meeting")
    tui.press("down", "enter")
    tui.wait_for("It opens now, with no thread yet")
    tui.press("ctrl+s")
    tui.wait_gone("Open the vote:")
    # The header says when it opened; the export shows the window 72 hours long (check_session_json).
    tui.wait_for_regex(r"· opened \d{4}-\d\d-\d\d \d\d:\d\d")


def import_roster(tui: Tui, path: Path, summary: str, shows: str, *, keep_for_new_votes: str = "") -> None:
    """`i`, the file's path, enter for the preview, ctrl+s to add; with no shared roster yet, the
    answer (y or n) to keeping these members for new votes too."""
    tui.press("i")
    tui.wait_for("Import members")
    tui.type_text(str(path))
    tui.press("enter")
    tui.wait_for(summary)
    tui.press("pagedown")  # at 80x24 the end of a long preview is a page down
    tui.wait_for(shows)
    tui.press("ctrl+s")
    tui.wait_gone("Import members")
    if keep_for_new_votes:
        tui.wait_for("The shared roster, which every new vote starts with, is empty")
        tui.press(keep_for_new_votes)
        tui.wait_gone("which every new vote starts with")


def set_up_roster(tui: Tui, tmp_path: Path) -> None:
    info = tmp_path / "committee-info.json"
    info.write_text(committee_info(), encoding="utf-8")
    committers = tmp_path / "committers.csv"
    committers.write_text(COMMITTERS_CSV, encoding="utf-8")

    tui.press("f3")
    tui.wait_for("SESSION ROSTER", TITLE)
    import_roster(
        tui,
        info,
        "9 new, 0 already on the roster or repeated, 0 unreadable",
        "Zoë Müller (zmuller)",
        keep_for_new_votes="n",  # not yet: the shared roster is filled by hand below
    )
    tui.wait_for("Zoë Müller", "zmuller@apache.org")
    import_roster(
        tui, committers, "2 new, 1 already on the roster or repeated, 0 unreadable", "already on the roster"
    )
    tui.wait_for("Ivan Petrov", "Jade Kim")

    # The shared roster, which later sessions copy, gets the PMC too.
    tui.press("t")
    screen = tui.wait_for("SHARED ROSTER")
    assert "Zoë Müller" not in screen
    import_roster(
        tui,
        info,
        "9 new, 0 already on the roster or repeated, 0 unreadable",
        "Zoë Müller (zmuller)",
    )
    tui.wait_for("SHARED ROSTER", "Zoë Müller")
    tui.press("t")
    tui.wait_for("SESSION ROSTER", "Ivan Petrov")


def vote(tui: Tui, typed: str, name: str, key: str, shown: str, standing: str = "binding") -> None:
    """Type part of a name, see that member highlighted, press the vote key, see the row."""
    tui.type_text(typed)
    tui.wait_for(f"Jump: {typed}▏ → {name}")
    tui.press(key)
    wait_row(tui, name, shown, standing)


def record_ballots(tui: Tui) -> None:
    tui.press("f4")
    tui.wait_for("Voter", "Standing", "Threshold", "Not voted (9)")
    vote(tui, "ada", "Ada Lovelace", "+", "+1")
    vote(tui, "bru", "Bruno Costa", "+", "+1")
    vote(tui, "chen", "Chen Wei", "+", "+1")
    vote(tui, "dara", "Dara Okafor", "0", "0")
    vote(tui, "elif", "Elif Yilmaz", "-", "-1")
    vote(tui, "farid", "Farid Haddad", "+", "+1")
    vote(tui, "zoe", "Zoë Müller", "+", "+1")  # typed without the accent
    vote(tui, "hiro", "Hiro Tanaka", "-", "-1")
    vote(tui, "hiro", "Hiro Tanaka", "+", "+1")  # changes the vote
    vote(tui, "farid", "Farid Haddad", "delete", "w/d")  # withdraws it (backspace would correct "farid")
    tui.wait_for("Farid Haddad history:")

    # Any value with a note, through the ballot form.
    tui.type_text("ivan")
    tui.wait_for("Jump: ivan▏ → Ivan Petrov")
    tui.press("enter")
    tui.wait_for("Ballot of Ivan Petrov")
    tui.type_text("+0.5")  # replaces the +1, which is selected
    tui.press("tab")  # to the note
    tui.type_text(NOTE)
    tui.wait_for(NOTE)
    tui.press("enter")
    tui.wait_gone("Ballot of Ivan Petrov")
    wait_row(tui, "Ivan Petrov", "+0.5", "non-bind")
    tui.wait_for("Ivan Petrov history:", f"({NOTE})")

    # Someone not on the roster.
    tui.press("ctrl+n")
    tui.wait_for("Vote of someone not on the roster")
    tui.type_text(GUEST)
    tui.press("enter")
    tui.wait_gone("Vote of someone not on the roster")
    wait_row(tui, GUEST, "+1", "guest")

    tui.wait_for("PASSING")
    # The meter's counts, once the notices over its lower half have gone (they stay 5 seconds).
    tui.wait_for_regex(r"Binding\s+\+1 5\s+0 1\s+-1 1")
    tui.wait_for_regex(r"Non-binding\s+\+1 1\s+0 1\s+-1 0")
    tui.wait_for("Not voted (2)")


def check_rows(tui: Tui) -> None:
    screen = tui.wait_for(*(name for name, _, _ in FINAL_ROWS))
    for name, shown, standing in FINAL_ROWS:
        assert row(name, shown, standing, tui.size[0]).search(screen), (
            f"{name} {shown} {standing}\n{tui.describe()}"
        )


def close_vote(tui: Tui) -> None:
    tui.press("f8")
    tui.wait_for("Close the vote early?", "Give the reason")
    tui.type_text(CLOSE_REASON)
    tui.press("enter")
    tui.wait_for("CLOSED: the vote PASSED.")


def export_result(tui: Tui, target: Path) -> None:
    tui.press("f6")
    tui.wait_for(f"[RESULT][VOTE] {TITLE}")
    tui.press("s")
    tui.wait_for("Save to file", "never replaced without asking")
    tui.type_text(str(target))  # replaces the proposed path, which is selected
    tui.press("enter")
    tui.wait_gone("never replaced without asking")
    wait_for_file(target, tui)


# -- the scenario ------------------------------------------------------------------------------


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
def test_a_meeting_from_first_run_to_restart(
    size: tuple[int, int], start_tui: StartTui, cli: Cli, tmp_path: Path, isolated_data_dir: Path
) -> None:
    tui = start_tui(size=size)
    create_session(tui)
    fill_proposal(tui)
    set_up_roster(tui, tmp_path)
    open_now(tui)
    record_ballots(tui)
    check_rows(tui)

    name = session_name(cli)
    during = tally_json(cli, name)  # the app still runs: every ballot is on disk already
    assert {k: during[k] for k in EXPECTED_TALLY} == EXPECTED_TALLY

    close_vote(tui)
    result_file = tmp_path / "result.txt"
    export_result(tui, result_file)
    tui.press("ctrl+q")
    assert tui.wait_exit() == 0
    assert "Traceback" not in tui.output_after_exit()

    # The files: tally, the exported result, and the whole session as JSON.
    after = tally_json(cli, name)
    assert (after["status"], after["outcome"], after["final"]) == ("closed", "passed", True)
    assert (during["status"], during["outcome"], during["final"]) == ("open", "passing", False)
    for changed in ("status", "outcome", "final"):
        del after[changed], during[changed]
    assert after == during
    exported = cli("export", name, "--format", "result")
    assert exported.status == 0, exported.stderr
    assert result_file.read_text(encoding="utf-8") == exported.stdout
    assert "PASSED" in exported.stdout and "Zoë Müller (binding)" in exported.stdout
    check_session_json(cli, name)
    shared = tomllib.loads((isolated_data_dir / "roster.toml").read_text(encoding="utf-8"))
    assert sorted(m["id"] for m in shared["roster"]) == sorted(PMC)

    # Restart: the list, then the ballots, as they were.
    again = start_tui(size=size)
    screen = again.wait_for(TITLE, "closed")
    assert re.search(r"\+1:5 0:1 -1:1 · passed", screen), again.describe()
    again.press("enter")
    again.wait_for("CLOSED: the vote PASSED.")
    check_rows(again)
    again.press("ctrl+q")
    assert again.wait_exit() == 0
    final = tally_json(cli, name)
    assert final["status"] == "closed"
    assert {k: v for k, v in final.items() if k not in ("status", "outcome", "final")} == during


def check_session_json(cli: Cli, name: str) -> None:
    exported = cli("export", name, "--format", "json")
    assert exported.status == 0, exported.stderr
    data = json.loads(exported.stdout)
    proposal = data["proposal"]
    assert proposal["title"] == TITLE
    assert proposal["kind"] == "new-module"
    assert proposal["rule"] == "lazy-two-thirds-literal"
    assert proposal["summary"].strip() == SUMMARY
    assert proposal["links"] == [LINK]
    assert proposal["status"] == "closed"
    window = datetime.fromisoformat(proposal["closes_at"]) - datetime.fromisoformat(proposal["opens_at"])
    assert window == timedelta(hours=72)

    roster = {m["id"]: m for m in data["roster"]}
    assert set(roster) == {*PMC, "ivan", "jade"}
    assert roster["zmuller"]["name"] == "Zoë Müller"
    assert [m for m in roster if roster[m]["binding"]] == list(PMC)

    ballots = [(b["voter"], b["vote"]) for b in data["ballots"]]
    assert ballots == [
        ("ada", "+1"),
        ("bruno", "+1"),
        ("chenw", "+1"),
        ("dara", "0"),
        ("elif", "-1"),
        ("farid", "+1"),
        ("zmuller", "+1"),
        ("hiro", "-1"),
        ("hiro", "+1"),
        ("farid", None),
        ("ivan", "+0.5"),
        (GUEST, "+1"),
    ]
    ivan = next(b for b in data["ballots"] if b["voter"] == "ivan")
    assert (ivan["note"], ivan["counts_as"]) == (NOTE, "zero")
    assert any(e["action"] == "close" and CLOSE_REASON in e["detail"] for e in data["log"])
    assert data["tally"]["outcome"] == "passed"
