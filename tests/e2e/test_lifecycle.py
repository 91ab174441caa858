"""A vote's life in a real terminal: a draft refuses ballots, opens (posted elsewhere, or now from
the palette), takes ballots, closes, and after a restart is found as it was, the command line
reading the same record."""

from __future__ import annotations

import json
import re
from pathlib import Path

from tests.e2e.conftest import Cli, StartTui
from tests.e2e.harness import Tui

ISSUE = "https://github.com/apache/tvm/issues/18013"
PMC_CSV = "id,name,email,github,binding\n" + "".join(
    f"{i},{name},{i}@apache.org,,yes\n"
    for i, name in (("ada", "Ada Lovelace"), ("bruno", "Bruno Costa"), ("chenw", "Chen Wei"))
)
DRAFT_REFUSED = "This vote is a draft: open it first (F2, o)"


def cast(tui: Tui, typed: str, name: str) -> None:
    tui.type_text(typed)
    tui.wait_for(f"Jump: {typed}▏ → {name}")
    tui.press("+")
    tui.wait_until(lambda s: re.search(rf"{re.escape(name)}\s+\+1\s+binding", s) is not None, f"{name} +1")


def close_early(tui: Tui) -> None:
    tui.press("f8")
    tui.wait_for("Close the vote early?")
    tui.type_text("every binding member has voted")
    tui.press("enter")
    tui.wait_for("CLOSED: the vote PASSED.")


def test_a_draft_posted_elsewhere_then_ballots_close_restart(
    start_tui: StartTui, cli: Cli, tmp_path: Path
) -> None:
    roster = tmp_path / "pmc.csv"
    roster.write_text(PMC_CSV)
    made = cli("new", "Adopt the Relax codebase", "--kind", "new-codebase", "--roster", str(roster))
    assert made.status == 0, made.stderr
    name = Path(made.stdout.strip()).stem

    tui = start_tui(size=(80, 24))
    tui.wait_for("Adopt the Relax codebase", "draft, window +7d")
    tui.press("enter")
    tui.wait_for("DRAFT", "Runs 7 days once opened.", "· draft")
    tui.press("+")
    tui.wait_for(*DRAFT_REFUSED.split(" (F2"))  # the notice wraps at 80 columns
    assert json.loads(cli("tally", name, "--json").stdout)["binding"]["plus"] == 0

    tui.press("f2")
    tui.wait_for("Title (required)")
    tui.press("o")
    tui.wait_for("Open the vote: Adopt the Relax codebase", "Posted elsewhere")
    tui.press("tab")  # from the choice to its first field
    # A dialog's compact fields show no edge to wait for: the first character shows the focus is there.
    tui.type_text(ISSUE[0])
    tui.wait_for_regex(r"Where\s+h\s")
    tui.type_text(ISSUE[1:])
    tui.wait_for(ISSUE, "ballots count until")
    tui.press("ctrl+s")
    tui.wait_gone("Open the vote:")
    screen = tui.wait_for_regex(r"· opened (\d{4}-\d\d-\d\d \d\d:\d\d)")
    opened_at = screen.group(1)
    tui.wait_for("The vote is open: ballots count")  # the notice wraps at 80 columns

    tui.press("f4")
    tui.wait_for("Not voted (3)")
    cast(tui, "ada", "Ada Lovelace")
    cast(tui, "bru", "Bruno Costa")
    cast(tui, "chen", "Chen Wei")
    tui.wait_for("PASSING")
    close_early(tui)
    tui.press("ctrl+q")
    assert tui.wait_exit() == 0
    assert "Traceback" not in tui.output_after_exit()

    again = start_tui(size=(80, 24))
    again.wait_for("Adopt the Relax codebase", "closed")
    again.press("enter")
    again.wait_for("CLOSED: the vote PASSED.", f"· closed {opened_at[:10]}")
    again.press("f7")
    again.wait_for("open    opened by")
    again.press("up", "up", "up", "up")  # the opening, in full under the table
    again.wait_for("open: opened by", "posted elsewhere: GitHub issue apache/tvm#18013")
    again.press("ctrl+q")
    assert again.wait_exit() == 0

    tally = json.loads(cli("tally", name, "--json").stdout)
    assert (tally["status"], tally["outcome"], tally["binding"]["plus"]) == ("closed", "passed", 3)
    proposal = json.loads(cli("export", name, "--format", "json").stdout)["proposal"]
    assert proposal["thread"] == "apache/tvm#18013"
    assert proposal["opens_at"].startswith(opened_at.replace(" ", "T"))
    assert [(p["step"], p["url"], p["number"]) for p in proposal["published"]] == [("vote", ISSUE, 18013)]


def test_a_draft_made_in_the_app_opens_now_from_the_palette(
    start_tui: StartTui, cli: Cli, isolated_data_dir: Path
) -> None:
    isolated_data_dir.mkdir(parents=True, exist_ok=True)
    shared = 'schema_version = 1\n\n[[roster]]\nid = "ada"\nname = "Ada Lovelace"\n'
    (isolated_data_dir / "roster.toml").write_text(shared)  # new votes copy it
    tui = start_tui(size=(120, 40))
    tui.wait_for("No votes here yet")
    tui.press("n")
    tui.wait_for("Title of the proposal")
    tui.type_text("Call it in the meeting")
    tui.press("enter")
    tui.wait_for("Title (required)", "· draft", "DRAFT: not open yet")
    tui.press("ctrl+p")
    tui.type_text("Open the vote")
    tui.wait_for("Open the vote (F2, o)")
    tui.press("enter")
    tui.wait_for("Open the vote: Call it in the meeting")
    tui.press("down", "enter")
    tui.wait_for("It opens now, with no thread yet")
    tui.press("ctrl+s")
    tui.wait_gone("Open the vote:")
    tui.wait_for_regex(r"· opened \d{4}-\d\d-\d\d \d\d:\d\d")
    tui.press("f4")
    cast(tui, "ada", "Ada Lovelace")
    tui.press("ctrl+q")
    assert tui.wait_exit() == 0

    listed = cli("list").stdout
    assert "Call it in the meeting  [strategy, open]" in listed
    again = start_tui(size=(120, 40))
    again.wait_for_regex(
        r"Call it in the meeting .* closes \w+ \d+ \d\d:\d\d \(in [67] days\)"
    )  # 7 days less a few seconds
    again.press("enter")
    again.wait_for("FAILING", "Ada Lovelace")
    again.press("ctrl+q")
    assert again.wait_exit() == 0
