"""The record says everything that happened to the vote, from the real app in a real terminal: a
-1's words survive a thread import into the ballot detail and the result; ballots after the
window, recused voters and every close and reopen are in the [RESULT]."""

from __future__ import annotations

import json
from pathlib import Path

import pendulum

from tests.e2e.conftest import Cli, StartTui
from tvm_vote_tui.demo import sample_session
from tvm_vote_tui.domain.times import format_utc
from tvm_vote_tui.store.sessions import Store

MINUS_THREAD = """\
ada-l commented on Nov 25, 2026 10:00
-1 (binding)

The FFI split doubles the release work.

cwei commented on Nov 25, 2026 11:00
+1 (binding)
"""


def test_a_minus_ones_words_go_from_the_thread_to_the_detail_and_the_result(
    start_tui: StartTui, cli: Cli, isolated_data_dir: Path, tmp_path: Path
) -> None:
    name = Store(isolated_data_dir).create(sample_session(ballots=0)).stem
    thread = tmp_path / "thread.md"
    thread.write_text(MINUS_THREAD)
    tui = start_tui("open", name, size=(120, 40))
    tui.wait_for("Ada Lindqvist")
    tui.press("f9")
    tui.wait_for("GitHub issue")
    tui.type_text(str(thread))
    tui.press("enter")
    tui.wait_for("2 clear (accepted)")
    tui.press("ctrl+s")
    tui.wait_for("Record 2 (y)")  # a saved page proves no author: asked once
    tui.press("y")
    tui.wait_for("Recorded 2 ballots from thread.md")
    tui.press("f4")
    tui.wait_for("Ada Lindqvist history:", "reasons: The FFI split doubles the release work.")
    tui.press("ctrl+q")
    assert tui.wait_exit() == 0
    result = cli("export", name)
    assert result.status == 0, result.stderr
    assert (
        "Reasons given with the -1 votes:\n\n"
        "- Ada Lindqvist (binding): The FFI split doubles the release work."
    ) in result.stdout


def test_late_ballots_recusals_and_every_close_and_reopen_reach_the_result(
    start_tui: StartTui, cli: Cli, isolated_data_dir: Path
) -> None:
    ended = sample_session(opens_at=pendulum.now("UTC").subtract(days=8).replace(microsecond=0))
    name = Store(isolated_data_dir).create(ended).stem  # its window ended a day ago
    tui = start_tui("open", name, size=(120, 40))
    tui.wait_for("Ada Lindqvist")
    tui.press(*"bao", "plus")  # after the window: recorded, and said so
    tui.wait_for("after the vote window ended")
    tui.press("f3")
    tui.wait_for("SESSION ROSTER")
    tui.press("slash", *"ipetrov", "enter", "r")
    tui.wait_for("Mark Ivan Petrov (ipetrov) as recused")
    tui.press("y")
    tui.wait_for("Ivan Petrov is now recused")
    tui.press("f8")
    tui.wait_for("Close the vote now?")
    tui.press("y")
    tui.wait_for("CLOSED: the vote PASSED.")
    tui.press("f8")
    tui.wait_for("Reopen the vote: why?")
    tui.type_text("Lena's mail came in")
    tui.press("enter")
    tui.wait_for("The vote is open again.")
    tui.press("f8", "y")
    tui.wait_for("CLOSED: the vote PASSED.")
    tui.press("ctrl+q")
    assert tui.wait_exit() == 0
    result = cli("export", name).stdout
    assert "1 ballot was recorded after the vote window ended; the outcome does not depend on it" in result
    ends = format_utc(ended.opened_window[1])
    assert f"Recorded after the vote window ended ({ends}):\n\n- Bao Nguyen (binding): +1, at" in result
    assert "- Ivan Petrov (recused)" in result
    assert "The vote was closed and reopened:" in result
    assert ": reopened. Reason: Lena's mail came in" in result
    exported = json.loads(cli("export", name, "--format", "json").stdout)["tally"]
    tallied = json.loads(cli("tally", name, "--json").stdout)
    assert exported.keys() - {"voters"} == tallied.keys() - {"session", "title"}
    assert exported["final"] is True and exported["not_voted_names"] == tallied["not_voted_names"]


def test_the_announcement_is_a_body_under_its_subject(
    start_tui: StartTui, cli: Cli, isolated_data_dir: Path
) -> None:
    name = Store(isolated_data_dir).create(sample_session()).stem
    tui = start_tui("open", name, size=(120, 40))
    tui.wait_for("Ada Lindqvist")
    tui.press("f6", "right", "right", "right")  # result, Markdown, JSON, then the announcement
    tui.wait_for(
        "Subject: [VOTE] Establish the TVM FFI module",
        "(not part of the text",
        "Dear Apache TVM community,",
        "- [ ] +1 approve",
    )
    tui.press("ctrl+q")
    assert tui.wait_exit() == 0
    exported = cli("export", name, "--format", "announce")
    assert exported.stderr == "Subject: [VOTE] Establish the TVM FFI module\n"
    assert exported.stdout.endswith("Thank you,\nThe Apache TVM PMC\n") and "Subject" not in exported.stdout


def test_one_ballot_is_said_in_the_singular(
    start_tui: StartTui, isolated_data_dir: Path, tmp_path: Path
) -> None:
    name = Store(isolated_data_dir).create(sample_session(ballots=0)).stem
    thread = tmp_path / "one.md"
    thread.write_text("ada-l commented on Nov 24, 2026 18:00\n+1 (binding)\n")
    tui = start_tui("open", name, size=(120, 40))
    tui.wait_for("Ada Lindqvist")
    tui.press("f9")
    tui.wait_for("GitHub issue")
    tui.type_text(str(thread))
    tui.press("enter")
    tui.wait_for("one.md: 1 message, 1 voter with a vote: 1 clear")
    tui.press("ctrl+s")
    tui.wait_for("The ballot to record comes from pasted text", "Record 1 (y)")
    tui.press("y")
    tui.wait_for("Recorded 1 ballot from one.md")
    tui.press("ctrl+z")
    tui.wait_for("The import of 1 ballot was undone")
    assert "1 ballots" not in tui.screen()
    tui.press("ctrl+q")
    assert tui.wait_exit() == 0


def test_list_json_and_tally_by_part_of_a_name(cli: Cli, isolated_data_dir: Path) -> None:
    name = Store(isolated_data_dir).create(sample_session()).stem
    listed = cli("list", "--json")
    assert listed.status == 0, listed.stderr
    assert [entry["name"] for entry in json.loads(listed.stdout)] == [name]
    tallied = cli("tally", "ffi module")  # part of the title
    assert tallied.status == 0 and tallied.stdout.startswith("Establish the TVM FFI module")
    assert tallied.stderr == f"tvm-vote-tui: {name} (matched by its title, 'Establish the TVM FFI module')\n"
