"""No one-key accident changes a vote, in the real app in a real terminal: a key that changes who
counts asks first and is undone by ctrl+z; a guest's name that is a member's asks who is meant;
the same vote twice appends nothing; text typed on the import screen lands in its field."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tests.e2e.conftest import Cli, StartTui
from tests.factories import session
from tvm_vote_tui.demo import sample_session
from tvm_vote_tui.domain.model import Member
from tvm_vote_tui.store.sessions import Store


def sample(data_dir: Path) -> str:
    """The sample vote saved in the data dir; its name for `tvm-vote-tui open`."""
    return Store(data_dir).create(sample_session()).stem


def tally(cli: Cli, name: str) -> dict[str, Any]:
    result = cli("tally", name, "--json")
    assert result.status == 0, result.stderr
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def test_roster_keys_ask_first_and_ctrl_z_takes_them_back(
    start_tui: StartTui, cli: Cli, isolated_data_dir: Path
) -> None:
    name = sample(isolated_data_dir)
    tui = start_tui("open", name)
    tui.wait_for("Ada Lindqvist")
    tui.press("f3")
    tui.wait_for("SESSION ROSTER")
    tui.press("space")  # Ada Lindqvist, who voted +1
    tui.wait_for("Make Ada Lindqvist (ada) non-binding", "binding +1 8 → 7")
    tui.press("n")
    tui.wait_gone("Make Ada Lindqvist")
    assert tally(cli, name)["binding"]["plus"] == 8
    tui.press("space")
    tui.wait_for("binding +1 8 → 7")
    tui.press("y")
    tui.wait_for("Ada Lindqvist is now non-binding")
    assert tally(cli, name)["binding"]["plus"] == 7
    tui.press("ctrl+z")
    tui.wait_for("Undone: Ada Lindqvist is binding")
    assert tally(cli, name)["binding"]["plus"] == 8
    tui.press("down", "r")  # Bao Nguyen has not voted
    tui.wait_for("Mark Bao Nguyen (baonguyen) as recused", "binding members not voted 4 → 3")
    tui.press("y")
    tui.wait_for("Bao Nguyen is now recused")
    assert tally(cli, name)["not_voted"] == ["gruiz", "lena", "olu"]
    tui.press("ctrl+q")
    assert tui.wait_exit() == 0


def test_removing_a_member_asks_with_the_count_and_ctrl_z_takes_back_the_removal_not_a_ballot(
    start_tui: StartTui, cli: Cli, isolated_data_dir: Path
) -> None:
    name = sample(isolated_data_dir)
    tui = start_tui("open", name)
    tui.wait_for("Ada Lindqvist")
    tui.type_text("olu")
    tui.wait_for("Jump: olu▏ → Olu Adeyemi")
    tui.press("plus")  # a ballot before the removal: ctrl+z must not take it back
    tui.wait_for("Olu Adeyemi history")
    assert tally(cli, name)["binding"]["plus"] == 9
    tui.press("f3")
    tui.wait_for("SESSION ROSTER")
    tui.press("delete")  # Ada Lindqvist, who voted +1
    tui.wait_for("Remove Ada Lindqvist (ada)", "binding +1 9 → 8")
    tui.press("y")
    tui.wait_for("Removed Ada Lindqvist (ada)")
    assert tally(cli, name)["binding"]["plus"] == 8
    tui.press("ctrl+z")
    tui.wait_for("Undone: Ada Lindqvist (ada) is back")
    after = tally(cli, name)
    assert after["binding"]["plus"] == 9 and "olu" not in after["not_voted"]
    tui.press("ctrl+q")
    assert tui.wait_exit() == 0


def test_a_guest_named_like_members_asks_who_is_meant(
    start_tui: StartTui, cli: Cli, isolated_data_dir: Path
) -> None:
    members = [Member("mal", "Malik Osei"), Member("mreyes", "Mal Reyes"), Member("zed", "Zed Ode")]
    name = Store(isolated_data_dir).create(session([("mal", "0")], members=members)).stem
    tui = start_tui("open", name)
    tui.wait_for("Malik Osei")
    tui.press("ctrl+n")
    tui.wait_for("Vote of someone not on the roster")
    tui.type_text("Mal")
    tui.press("enter")
    tui.wait_for(
        "may stand for 2 members on the roster",
        "Malik Osei (mal, binding): their 0 becomes +1",
        "Mal Reyes (mreyes, binding): has not voted: records +1",
    )
    tui.press("escape")  # records nothing
    tui.wait_gone("may stand for 2 members")
    assert tally(cli, name)["binding"] == {"plus": 0, "zero": 1, "minus": 0}
    tui.press("ctrl+n")
    tui.wait_for("Vote of someone not on the roster")
    tui.type_text("Mal")
    tui.press("enter")
    tui.wait_for("may stand for 2 members")
    tui.press("down", "enter")  # Mal Reyes
    tui.wait_gone("may stand for 2 members")
    assert tally(cli, name)["binding"] == {"plus": 1, "zero": 1, "minus": 0}
    tui.press("ctrl+q")
    assert tui.wait_exit() == 0


def test_the_same_vote_again_appends_nothing(start_tui: StartTui, cli: Cli, isolated_data_dir: Path) -> None:
    name = sample(isolated_data_dir)

    def recorded() -> tuple[int, int]:
        exported = cli("export", name, "--format", "json")
        data = json.loads(exported.stdout)
        return len(data["ballots"]), len(data["log"])

    before = recorded()
    tui = start_tui("open", name)
    tui.wait_for("Ada Lindqvist")
    tui.press("plus")  # Ada already voted +1
    tui.wait_for("Already recorded: Ada Lindqvist +1")
    assert recorded() == before
    tui.press("down", "=")  # Bao Nguyen: = is + without shift
    tui.wait_for("Bao Nguyen history:")
    assert recorded() == (before[0] + 1, before[1] + 1)
    tui.press("question_mark")
    tui.wait_for("+ / =")
    tui.press("escape", "ctrl+q")
    assert tui.wait_exit() == 0


THREAD = Path(__file__).parent.parent / "threads" / "github_ffi.md"


def test_text_typed_on_the_import_table_goes_to_the_issue_field(
    start_tui: StartTui, isolated_data_dir: Path
) -> None:
    name = sample(isolated_data_dir)
    tui = start_tui("open", name, size=(120, 40))
    tui.wait_for("Ada Lindqvist")
    tui.press("f9")
    tui.wait_for("GitHub issue")  # the field has the focus: the vote has no thread yet
    tui.type_text(str(THREAD))
    tui.press("enter")
    tui.wait_for("github_ffi.md: 15 messages")  # read; the review table has the focus
    tui.type_text("apache/tvm#16368", gap=0)  # in one burst; the e of apache is no command: no form opens
    tui.wait_for("apache/tvm#16368")
    screen = tui.screen()
    assert "Ballot from" not in screen and str(THREAD) not in screen
    tui.press("ctrl+q")
    assert tui.wait_exit() == 0


def test_tab_into_the_summary_or_links_types_after_what_is_there(
    start_tui: StartTui, cli: Cli, isolated_data_dir: Path
) -> None:
    name = sample(isolated_data_dir)
    tui = start_tui("open", name, size=(120, 40))
    tui.wait_for("Ada Lindqvist")
    tui.press("f2")
    tui.wait_for("Title (required)")
    tui.press("tab", "tab", "tab", "tab")  # title, kind, rule, summary
    tui.wait_focus("Summary of the community conversation")
    tui.type_text(" Decided in May.")
    tui.press("tab")
    tui.wait_focus("Discussion links")
    tui.type_text("\rhttps://example.org/more")
    tui.press("escape")  # leaves the field: saved
    tui.wait_for("Decided in")
    exported = json.loads(cli("export", name, "--format", "json").stdout)["proposal"]
    assert exported["summary"].endswith("shared ownership plan. Decided in May.")
    assert exported["links"][-1] == "https://example.org/more" and len(exported["links"]) == 3
    tui.press("ctrl+q")
    assert tui.wait_exit() == 0


def test_a_vote_already_recorded_needs_no_review_and_the_edit_dialog_accepts(
    start_tui: StartTui, cli: Cli, isolated_data_dir: Path
) -> None:
    name = Store(isolated_data_dir).create(sample_session(ballots=0)).stem
    tui = start_tui("open", name, size=(120, 40))
    tui.wait_for("Ada Lindqvist")
    tui.press("f9")
    tui.wait_for("GitHub issue")
    tui.type_text(str(THREAD))
    tui.press("enter")
    found = tui.wait_for_regex(r"(\d+) clear \(accepted\)")
    clear = int(found.group(1))
    tui.press("ctrl+s")
    tui.wait_for(f"Record {clear} (y)")  # a saved page proves no author: asked once
    tui.press("y")
    tui.wait_for(f"Recorded {clear} ballots from github_ffi.md")
    before = len(json.loads(cli("export", name, "--format", "json").stdout)["ballots"])
    tui.type_text(str(THREAD))  # typed on the table: into the field, read again
    tui.press("enter")
    tui.wait_for(f"{clear} already recorded", "already recorded: nothing to record")
    tui.press("ctrl+s")  # nothing accepted: nothing recorded
    tui.press("enter")  # edit the highlighted row
    tui.wait_for("Ballot from", "Accept (enter)")
    assert "Record (enter)" not in tui.screen()
    tui.press("escape", "ctrl+q")
    assert tui.wait_exit() == 0
    assert len(json.loads(cli("export", name, "--format", "json").stdout)["ballots"]) == before


def test_text_typed_fast_after_slash_filters_and_never_runs_a_roster_key(
    start_tui: StartTui, isolated_data_dir: Path
) -> None:
    tui = start_tui("open", sample(isolated_data_dir))
    tui.wait_for("Ada Lindqvist")
    tui.press("f3")
    tui.wait_for("SESSION ROSTER")
    tui.type_text("/ipetrov", gap=0)  # in one burst, as a fast typist or a terminal sends them
    screen = tui.wait_gone("Ada Lindqvist")  # filtered down to Ivan Petrov
    assert "Ivan Petrov" in screen
    assert "Import members" not in screen and "ipetrov" in screen
    tui.press("ctrl+q")
    assert tui.wait_exit() == 0
