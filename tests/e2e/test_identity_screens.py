"""F9 in a real terminal at 80x24: rows from pasted text are marked and ctrl+s asks once (naming how
many) before recording them; a stranger is a guest until the manager picks a member, and picking
one says whose recorded vote it replaces and with what; members who look alike are a notice."""

from __future__ import annotations

from pathlib import Path

from tests.e2e.conftest import StartTui
from tests.factories import sample_with_handles, session
from tvm_vote_tui.demo import OPENS_AT
from tvm_vote_tui.domain.model import Member
from tvm_vote_tui.domain.votes import parse_vote
from tvm_vote_tui.store.sessions import Store

PAGE = """\
ada-l commented on Nov 24, 2026

+1 (binding)

cwei commented on Nov 25, 2026

+1

hsato commented on Nov 25, 2026

+1 (binding)
"""
MAIL = "From: OLU <someone@evil.example>\nDate: Tue, 25 Nov 2026 10:00:00 +0000\n\n-1 (binding)\n"


def read_in_f9(tui, path: Path) -> None:
    tui.wait_for("Ballots")
    tui.press("f9")
    tui.wait_for("GitHub issue")
    tui.type_text(str(path))
    tui.press("ctrl+r")


def test_pasted_rows_are_marked_and_recorded_only_after_asking_once(
    start_tui: StartTui, isolated_data_dir: Path, tmp_path: Path
) -> None:
    store = Store(isolated_data_dir)
    path = store.create(sample_with_handles())
    page = tmp_path / "page.md"
    page.write_text(PAGE)
    tui = start_tui("open", path.stem)
    read_in_f9(tui, page)
    tui.wait_for("does not prove who wrote a post", "pasted: author not verified")
    tui.press("ctrl+s")
    tui.wait_for("All 3 ballots to record come from pasted text", "Record 3 (y)")
    tui.press("n")
    tui.wait_gone("Record 3 (y)")
    assert store.load(path).ballots == []  # "Not now" records nothing
    tui.press("ctrl+s")
    tui.wait_for("Record 3 (y)")
    tui.press("y")
    tui.wait_for("Recorded 3 ballots")
    assert {b.voter for b in store.load(path).ballots} == {"ada", "chenwei", "hsato"}
    tui.press("ctrl+q")
    assert tui.wait_exit() == 0


def _olu_voted(store: Store) -> Path:
    s = session(
        members=[Member("olu", "Olu Adeyemi", "olu@apache.org"), Member("ada", "Ada L", "ada@apache.org")]
    )
    s.record("olu", parse_vote("+1"), at=OPENS_AT.add(hours=1))
    return store.create(s)


def test_a_stranger_is_a_guest_and_picking_the_member_says_what_it_replaces(
    start_tui: StartTui, isolated_data_dir: Path, tmp_path: Path
) -> None:
    store = Store(isolated_data_dir)
    path = _olu_voted(store)
    mail = tmp_path / "mail.txt"
    mail.write_text(MAIL)
    tui = start_tui("open", path.stem)
    read_in_f9(tui, mail)
    screen = tui.wait_for("guest", "OLU <someone@evil.example>")
    assert "Olu Adeyemi" not in screen.split("Why")[1].split("\n")[1]  # the Member column: never olu
    tui.press("enter")  # edits the row (a letter typed here goes to the issue field)
    tui.wait_for("Ballot from OLU <someone@evil.example>")
    tui.press("ctrl+u")  # the voter field holds the guest's name: clear it, name the member
    tui.type_text("olu")
    tui.press("enter")
    tui.wait_for("It replaces Olu Adeyemi's recorded +1 with -1", "Pick olu (y)")
    tui.press("y")
    tui.wait_for("Picked Olu Adeyemi (olu)")
    tui.press("ctrl+s")
    tui.wait_for("The ballot to record comes from pasted text")
    tui.press("y")
    tui.wait_for("Recorded 1 ballot")
    assert store.load(path).latest()["olu"].vote.text == "-1"
    # Read again after a look at F4: the same post is Olu's recorded vote now, never a guest's second -1.
    tui.press("f4")
    tui.wait_for("^z Undo")
    tui.press("f9")  # F9 kept the file and what was done with it; read it again
    tui.wait_for("Recorded 1 ballot from mail.txt")
    tui.press("ctrl+r")
    tui.wait_for("already recorded")
    tui.wait_for("Already recorded from this post as Olu Adeyemi's")
    tui.press("ctrl+s")  # nothing accepted: nothing recorded
    tui.settle()
    saved = store.load(path)
    assert len(saved.ballots) == 2 and saved.tally().non_binding.minus == 0
    tui.press("ctrl+q")
    assert tui.wait_exit() == 0


def test_a_stranger_accepted_as_is_leaves_the_members_vote_alone(
    start_tui: StartTui, isolated_data_dir: Path, tmp_path: Path
) -> None:
    store = Store(isolated_data_dir)
    path = _olu_voted(store)
    mail = tmp_path / "mail.txt"
    mail.write_text(MAIL)
    tui = start_tui("open", path.stem)
    read_in_f9(tui, mail)
    tui.wait_for("guest")
    tui.press("space", "ctrl+s")
    tui.wait_for("The ballot to record comes from pasted text")
    tui.press("y")
    tui.wait_for("Recorded 1 ballot")
    saved = store.load(path)
    assert saved.latest()["olu"].vote.text == "+1"
    assert saved.tally().binding.plus == 1 and saved.tally().non_binding.minus == 1
    tui.press("ctrl+q")
    assert tui.wait_exit() == 0


def test_members_who_look_alike_are_a_notice_when_the_vote_opens(
    start_tui: StartTui, isolated_data_dir: Path
) -> None:
    members = [Member("olu", "Olu Adeyemi", "olu@apache.org"), Member("olu2", "\u041elu Adeyemi", "o2@x.org")]
    path = Store(isolated_data_dir).create(session(members=members))
    tui = start_tui("open", path.stem)
    tui.wait_for("Members who look alike")
    tui.wait_for("olu2 (Оlu Adeyemi) have names that")
    tui.press("ctrl+q")
    assert tui.wait_exit() == 0
