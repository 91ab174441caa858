"""80x24 and big screens, in the real app in a real terminal: every screen names its keys, the
sessions list tells votes apart, a read-only second instance fits and can take over, the meter
uses a big screen."""

from __future__ import annotations

import json
from pathlib import Path

from tests.e2e.conftest import Cli, StartTui
from tvm_vote_tui.demo import sample_session
from tvm_vote_tui.store.sessions import Store


def sample(data_dir: Path) -> str:
    return Store(data_dir).create(sample_session()).stem


def test_every_screen_shows_the_keys_of_its_task_at_80x24(
    start_tui: StartTui, isolated_data_dir: Path
) -> None:
    tui = start_tui("open", sample(isolated_data_dir))
    screen = tui.wait_for("Ada Lindqvist")
    top, nav = screen.splitlines()[:2]
    assert top.rstrip().endswith("F8 Close  ? Help"), top
    assert nav.strip() == "F1 Sessions F2 Proposal F3 Roster F4 Ballots F5 Meter F6 Export F7 Log F9 Import"
    footers = {
        "f4": "+ +1 0 0 - -1 del Withdraw ^n Guest vote ^z Undo",
        "f3": "a Add e Edit del Delete space Binding r Recused i Import / Filter ^z Undo",
        "f6": "←/→ Format s Save to file y Copy p Publish",
        "f2": "^o Preview [VOTE] ^y Copy [VOTE] ^s Save fields",
        "f1": "n New d Duplicate del Delete r Reload s Sample vote",
    }
    for key, footer in footers.items():
        tui.press(key)
        tui.wait_until(lambda shown: shown.splitlines()[-1].strip() == footer, f"the footer {footer!r}")  # noqa: B023
    tui.press("ctrl+q")
    assert tui.wait_exit() == 0


def test_the_sessions_list_tells_votes_apart_and_starts_on_the_open_one(
    start_tui: StartTui, isolated_data_dir: Path
) -> None:
    store = Store(isolated_data_dir)
    names = {}
    for version in ("rc0", "rc1", "rc2"):
        release = sample_session()
        release.set_title(
            f"[VOTE] Release Apache TVM v0.19.0.{version} with the new FFI", release.proposal.opens_at
        )
        names[version] = store.create(release).stem
    tui = start_tui("open", names["rc1"])
    tui.wait_for("Ada Lindqvist")
    tui.press("f1")
    tui.wait_for("c0 with the new FFI", "c1 with the new FFI", "c2 with the new FFI", "ended Dec 1 17:00")
    assert "[VOTE]" not in "\n".join(tui.screen_text()[2:])  # in the list, the title without it
    tui.wait_for("Binding votes", "+1:8 0:2 -1:1 · passing")  # each count after the vote it counts
    tui.press("d")  # the highlighted row is the vote that is open
    tui.wait_until(
        lambda shown: any("Copy of" in line and "1 with the new FFI" in line for line in shown.splitlines()),
        "the copy of rc1 in the list",
    )
    tui.press("ctrl+q")
    assert tui.wait_exit() == 0
    wide = start_tui(size=(120, 40))
    wide.wait_for("Release Apache…", "v0.19.0.rc0 with the new FFI", "ended Dec 1 17:00 (", "new-module")
    wide.press("ctrl+q")
    assert wide.wait_exit() == 0


def test_a_read_only_second_instance_fits_and_offers_to_write_once_the_writer_quits(
    start_tui: StartTui, cli: Cli, isolated_data_dir: Path
) -> None:
    name = sample(isolated_data_dir)
    first = start_tui("open", name)
    first.wait_for("Ada Lindqvist")
    second = start_tui("open", name)
    screen = second.wait_for("READ-ONLY:", f"pid {first.process.pid}")
    banner = next(line for line in screen.splitlines() if "READ-ONLY:" in line)
    assert banner.strip().endswith("nothing is saved here.")  # one line: nothing pushed off
    second.wait_gone("Close the other one", timeout=20)  # the notice goes: the meter's end is there
    second.wait_for("Not voted (4): Bao Nguyen,", "2026-12-01 17:00 +00:00")
    first.press("ctrl+q")
    assert first.wait_exit() == 0
    second.wait_for("READ-ONLY: its writer quit.", "held this vote has quit. Open the vote")
    second.press("y")
    second.wait_gone("READ-ONLY")
    second.press("down", "plus")  # Bao Nguyen, recorded here now
    second.wait_for("Bao Nguyen history:")
    second.press("ctrl+q")
    assert second.wait_exit() == 0
    assert json.loads(cli("tally", name, "--json").stdout)["binding"]["plus"] == 9


def test_the_meter_uses_a_big_screen(start_tui: StartTui, isolated_data_dir: Path) -> None:
    from tvm_vote_tui.domain.model import Member

    session = sample_session()
    for i in range(30):
        session.add_member(Member(f"p{i}", f"Person {i}"), session.proposal.opens_at)
    name = Store(isolated_data_dir).create(session).stem
    tui = start_tui("open", name, size=(120, 40))
    tui.wait_for("Ada Lindqvist", "Person 7")  # beside the table, more of those not voted
    tui.press("f5")
    screen = tui.wait_for("Not voted (34):", "Person 29")  # every one of them
    assert " and 4 more" not in screen
    figure_rows = [line for line in screen.splitlines() if "██" in line]
    assert len(figure_rows) >= 7, screen  # figures seven rows high, and the bar
    tui.press("ctrl+q")
    assert tui.wait_exit() == 0


def test_the_rule_dialog_keeps_the_indent_of_wrapped_descriptions(
    start_tui: StartTui, isolated_data_dir: Path
) -> None:
    tui = start_tui("open", sample(isolated_data_dir))
    tui.wait_for("Ada Lindqvist")
    tui.press("ctrl+p")
    tui.type_text("Change rule")
    tui.press("enter")
    screen = tui.wait_for("Rule for this vote", "Lazy consensus (lazy-consensus)")
    inside = [line.split("▊", 1)[1].rsplit("▎", 1)[0] for line in screen.splitlines() if "▊" in line]
    for wrapped in ("-1.", "a veto.", "needs a justification.", "justification."):
        line = next(line for line in inside if line.strip() == wrapped)
        assert line.startswith("     "), line  # indented under the rule's name, as the first line
    tui.press("escape", "ctrl+q")
    assert tui.wait_exit() == 0


def test_ctrl_c_says_how_to_quit_in_words(start_tui: StartTui, isolated_data_dir: Path) -> None:
    tui = start_tui()
    tui.wait_for("No votes here yet")
    tui.press("ctrl+c")
    screen = tui.wait_for("Press ctrl+q to quit the app.")
    assert "[b]" not in screen
    tui.press("ctrl+q")
    assert tui.wait_exit() == 0


def test_the_meter_says_when_every_binding_member_has_voted(
    start_tui: StartTui, isolated_data_dir: Path
) -> None:
    from tests.factories import roster, session

    everyone = session([("m0", "+1"), ("m1", "+1"), ("m2", "+1"), ("m3", "+1")], members=roster(4))
    tui = start_tui("open", Store(isolated_data_dir).create(everyone).stem, size=(120, 40))
    screen = tui.wait_for("every binding member has voted")
    assert "votes still out" not in screen
    tui.press("f5")
    screen = tui.wait_for("4 binding +1 (3 needed)", "every binding member has voted")
    assert "4 of 3" not in screen
    tui.press("ctrl+q")
    assert tui.wait_exit() == 0


def test_a_closed_votes_proposal_says_it_is_read_only(start_tui: StartTui, isolated_data_dir: Path) -> None:
    session = sample_session()
    session.close(session.proposal.closes_at.add(minutes=5))
    tui = start_tui("open", Store(isolated_data_dir).create(session).stem)
    tui.wait_for("Ada Lindqvist")
    tui.press("f2")
    screen = tui.wait_for("The vote is closed: the proposal as recorded, read-only.")
    assert "saved when you leave it" not in screen
    tui.press("f8")
    tui.wait_for("Reopen the vote: why?")
    tui.type_text("a late mail")
    tui.press("enter")
    tui.wait_for("each field is saved when you leave it")  # open again: editable again
    tui.press("ctrl+q")
    assert tui.wait_exit() == 0


def test_a_vote_title_names_neither_the_file_nor_the_copy(
    start_tui: StartTui, cli: Cli, isolated_data_dir: Path
) -> None:
    tui = start_tui(size=(120, 40))
    tui.wait_for("No votes here yet")
    tui.press("n")
    tui.wait_for("Title of the proposal")
    tui.type_text("[VOTE] Establish the FFI module")
    tui.press("enter")
    tui.wait_for("Title (required)")
    tui.press("f1")
    tui.wait_for("Establish the FFI module")
    tui.press("d")
    tui.wait_for("Copy of Establish the FFI module")
    assert "Copy of [VOTE]" not in tui.screen()
    tui.press("ctrl+q")
    assert tui.wait_exit() == 0
    names = sorted(line.split()[0] for line in cli("list").stdout.splitlines())
    assert names[0].startswith("copy-of-establish-the-ffi-module-"), names
    assert names[1].startswith("establish-the-ffi-module-"), names


def test_the_roster_import_preview_shows_github_handles(
    start_tui: StartTui, isolated_data_dir: Path, tmp_path: Path
) -> None:
    csv = tmp_path / "committers.csv"
    csv.write_text(
        "id,name,email,github,binding\nivan,Ivan Petrov,ivan@example.org,ivanp,no\njade,Jade Kim,,,no\n"
    )
    tui = start_tui("open", sample(isolated_data_dir))
    tui.wait_for("Ada Lindqvist")
    tui.press("f3")
    tui.wait_for("SESSION ROSTER")
    tui.press("i")
    tui.wait_for("Import members")
    tui.type_text(str(csv))
    tui.press("enter")
    tui.wait_for(
        "Ivan Petrov (ivan) @ivanp ivan@example.org non-binding", "Jade Kim (jade) (no GitHub handle)"
    )
    tui.press("escape", "ctrl+q")
    assert tui.wait_exit() == 0


def test_the_proposal_form_scrolls_with_page_keys(start_tui: StartTui, isolated_data_dir: Path) -> None:
    tui = start_tui("open", sample(isolated_data_dir))
    tui.wait_for("Ada Lindqvist")
    tui.press("f2")
    screen = tui.wait_for("Title (required)")
    assert "Closes at" not in screen  # below the fold at 80x24
    tui.press("end")
    tui.wait_for("GitHub repository", "apache/tvm")  # the last field
    tui.press("home")
    tui.wait_for("Title (required)")
    tui.press("pagedown")
    tui.wait_gone("Title (required)")
    tui.press("ctrl+q")
    assert tui.wait_exit() == 0


def test_another_export_format_starts_at_its_top(start_tui: StartTui, isolated_data_dir: Path) -> None:
    tui = start_tui("open", sample(isolated_data_dir))
    tui.wait_for("Ada Lindqvist")
    tui.press("f6")
    tui.wait_for("Subject: [RESULT][VOTE]")
    tui.press("end")
    tui.wait_for("Thank you to everyone who voted.")
    tui.press("right")  # Markdown, from its first line
    tui.wait_for("# \\[RESULT\\]\\[VOTE\\] Establish the TVM FFI module")
    tui.press("ctrl+q")
    assert tui.wait_exit() == 0


def test_a_first_start_offers_a_sample_vote_that_can_be_deleted(start_tui: StartTui, cli: Cli) -> None:
    tui = start_tui()
    tui.wait_for("No votes here yet", "press s to open a sample vote to explore")
    tui.press("s")
    # The header cuts the long sample title in its middle at 80 columns: its start and its end.
    tui.wait_for("Sample vote (", "TVM FFI module ·", "Ada Lindqvist", "Closes in")
    tui.press("down", "plus")  # Bao Nguyen: the sample records like any vote
    tui.wait_for("Bao Nguyen history:")
    tui.press("f1")
    tui.wait_for("Binding votes", "Sample vo")  # the list cuts the title in its middle too
    tui.press("delete")
    tui.wait_for("Delete the session")
    tui.press("y")
    tui.wait_for("No votes here yet")
    tui.press("ctrl+q")
    assert tui.wait_exit() == 0
    assert "No saved sessions" in cli("list").stdout
