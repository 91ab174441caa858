"""The meeting controller without Textual: undo, recording, closing and failed writes."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest

from tests.factories import T0, roster, session
from tvm_vote_tui.app.controller import Meeting
from tvm_vote_tui.domain.ballots import Ballot
from tvm_vote_tui.domain.votes import parse_vote
from tvm_vote_tui.store.sessions import Store

NOW = T0.add(days=1)


@pytest.fixture
def meeting(isolated_data_dir: Path) -> Meeting:
    store = Store(isolated_data_dir)
    path = store.create(session(members=roster(5)))
    m = Meeting(store, lambda: NOW)
    m.open(path)
    return m


def saved(m: Meeting):
    assert m.current is not None
    return m.store.load(m.current.path)


def test_record_undo_and_withdraw(meeting: Meeting) -> None:
    assert meeting.record("m0", parse_vote("+1")).ok
    assert meeting.record("M0", parse_vote("-1")).voter == "m0"  # ids ignore case
    assert [b.vote.text for b in saved(meeting).history("m0")] == ["+1", "-1"]
    undone = meeting.undo()
    assert undone.ok and undone.message == "Undone: Member 0 -1"
    assert saved(meeting).current_votes()["m0"].vote.text == "+1"
    assert meeting.record("m0", None).ok  # withdraw
    refused = meeting.record("m1", None)
    assert not refused.ok and "has no vote to withdraw" in refused.message
    assert meeting.undo().ok and meeting.undo().ok
    assert not meeting.undo().ok  # nothing left to undo
    assert saved(meeting).ballots == []


def test_a_closed_vote_refuses_every_change(meeting: Meeting) -> None:
    early = meeting.close_vote("")
    assert not early.ok and "needs a reason" in early.message
    assert meeting.close_vote("agreed at the meeting").ok
    before = saved(meeting)
    for outcome in (
        meeting.record("m0", parse_vote("+1")),
        meeting.edit(lambda s, at: s.set_title("Changed", at)),
        meeting.edit(lambda s, at: s.set_binding("m0", False, at)),
        meeting.edit(lambda s, at: s.set_rule("consensus", at)),
        meeting.undo(),
    ):
        assert not outcome.ok
    assert saved(meeting) == before
    assert meeting.reopen("a late ballot by mail").ok
    assert meeting.record("m0", parse_vote("+1")).ok


def test_a_write_that_fails_is_not_applied_and_says_so(meeting: Meeting, monkeypatch) -> None:
    def full(fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    outcome = meeting.record("m0", parse_vote("+1"))
    monkeypatch.undo()
    assert not outcome.ok and outcome.severity == "error"
    assert outcome.message.startswith("NOT recorded") and "No space left" in outcome.message
    assert meeting.session is not None and meeting.session.ballots == []
    assert not meeting.undo_stack  # nothing to undo: nothing happened
    assert saved(meeting).ballots == []


def test_one_log_format_for_a_rule_change(meeting: Meeting) -> None:
    assert meeting.edit(lambda s, at: s.set_rule("consensus", at)).ok
    assert saved(meeting).log[-1].detail == "rule: 'lazy-two-thirds' -> 'consensus'"
    assert meeting.edit(lambda s, at: s.set_rule("consensus", at)).ok  # the same rule: no change
    assert saved(meeting).log[-1].detail == "rule: 'lazy-two-thirds' -> 'consensus'"


def test_read_only_when_another_instance_holds_it(meeting: Meeting) -> None:
    assert meeting.current is not None
    other = Meeting(meeting.store, lambda: NOW)
    other.open(meeting.current.path)
    assert other.current is not None and other.current.read_only
    outcome = other.record("m0", parse_vote("+1"))
    assert not outcome.ok and "read-only" in outcome.message
    other.release()
    assert saved(meeting).ballots == []


def test_compaction_is_due_every_so_often(meeting: Meeting) -> None:
    assert meeting.compaction_due() is None
    assert meeting.compaction_due(force=True) is not None
    for i in range(200):
        meeting.record(f"guest{i}", parse_vote("+1"))
    due = meeting.compaction_due()
    assert due is not None
    opened, snapshot = due
    opened.compact(snapshot)
    assert meeting.compaction_due() is None
    meeting.release()
    assert len(Store(meeting.store.root).list_sessions()[0].session.ballots) == 200


def test_a_ballot_after_the_window_is_recorded_and_said_so(isolated_data_dir: Path) -> None:
    store = Store(isolated_data_dir)
    path = store.create(session(members=roster(3)))
    late = Meeting(store, lambda: T0.add(days=8))  # the window closed after 7 days
    late.open(path)
    outcome = late.record("m0", parse_vote("+1"))
    assert outcome.ok and outcome.severity == "warning" and "after the vote window ended" in outcome.message
    withdrawn = late.record("m0", None)
    assert withdrawn.ok and "Withdrew the vote of Member 0" in withdrawn.message


def test_a_new_vote_says_when_the_shared_roster_cannot_be_read(isolated_data_dir: Path) -> None:
    store = Store(isolated_data_dir)
    store.ensure()
    store.roster_path.write_text("not = [toml")
    path, warning = Meeting(store, lambda: NOW).create("Fresh vote")
    assert "roster.toml" in warning and "empty roster" in warning
    assert store.load(path).roster == ()
    assert store.roster_path.read_text() == "not = [toml"  # left as it was


def test_a_roster_flag_change_says_what_it_does_to_the_count_and_is_undone_like_a_ballot(
    meeting: Meeting,
) -> None:
    for voter in ("m0", "m1", "m2"):
        assert meeting.record(voter, parse_vote("+1")).ok
    done = meeting.set_flag("m0", "binding", False)
    assert done.ok and done.message == (
        "Member 0 is now non-binding (binding +1 3 → 2, non-binding +1 0 → 1; PASSING → FAILING). "
        "ctrl+z undoes it."
    )
    on_disk = saved(meeting)
    assert on_disk.member("m0").binding is False
    assert on_disk.log[-1].action == "roster"
    undone = meeting.undo()
    assert undone.ok and undone.message == (
        "Undone: Member 0 is binding again (binding +1 2 → 3, non-binding +1 1 → 0; FAILING → PASSING)."
    )
    on_disk = saved(meeting)  # the undo went through the journal like any change
    assert on_disk.member("m0").binding is True
    assert (on_disk.log[-1].action, on_disk.log[-1].detail) == ("undo", "took back: m0: binding no -> yes")
    assert meeting.undo().message == "Undone: Member 2 +1"  # then the ballots, in order
    recused = meeting.set_flag("m1", "recused", True)
    assert recused.message.startswith("Member 1 is now recused (binding +1 2 → 1, non-binding +1 0 → 1)")
    undone = meeting.undo()
    assert undone.ok and saved(meeting).member("m1").recused is False
    assert undone.message.startswith("Undone: Member 1 is no longer recused (binding +1 1 → 2")
    assert meeting.set_flag("m1", "recused", True).ok and meeting.set_flag("m1", "recused", False).ok
    assert meeting.undo().message.startswith("Undone: Member 1 is recused again (")


def test_a_flag_changed_since_is_not_taken_back(meeting: Meeting) -> None:
    assert meeting.set_flag("m0", "binding", False).ok
    assert meeting.edit(lambda s, at: s.set_binding("m0", True, at)).ok  # by hand, meanwhile
    refused = meeting.undo()
    assert not refused.ok and "changed since" in refused.message
    assert saved(meeting).member("m0").binding is True


def test_the_same_vote_again_appends_nothing_and_says_it_is_already_recorded(meeting: Meeting) -> None:
    assert meeting.record("m0", parse_vote("+1"), note="at the meeting").ok
    before = saved(meeting)
    again = meeting.record("M0", parse_vote("+1"))
    assert not again.ok and again.message == "Already recorded: Member 0 +1; nothing changed."
    assert again.severity == "information"
    assert saved(meeting) == before  # no ballot, no log line
    assert len(meeting.undo_stack) == 1
    assert meeting.record("m0", parse_vote("+1"), note="at the meeting").message.startswith("Already")
    assert meeting.record("m0", parse_vote("+1"), note="changed my words").ok  # new words: recorded
    assert meeting.record("m0", parse_vote("1")).ok  # written otherwise: recorded as written
    ballots = [b.voter for b in saved(meeting).ballots]
    assert ballots == ["m0", "m0", "m0"]


def test_an_import_leaves_out_the_votes_already_recorded(meeting: Meeting) -> None:
    assert meeting.record("m0", parse_vote("+1")).ok
    thread = [Ballot("m0", parse_vote("+1"), NOW, "from thread"), Ballot("m1", parse_vote("-1"), NOW)]
    done = meeting.import_ballots(thread, "thread")
    assert done.ok and done.message == (
        "Recorded 1 ballot as one change (ctrl+z undoes it) (1 ballot the same as recorded, left out)."
    )
    assert [b.voter for b in saved(meeting).ballots] == ["m0", "m1"]
    again = meeting.import_ballots(thread, "thread")
    assert not again.ok and again.message == (
        "Already recorded: nothing new to record (2 ballots the same as recorded, left out)."
    )
    assert len(saved(meeting).ballots) == 2


def test_the_sample_vote_is_its_own_file_and_leaves_the_shared_roster_alone(isolated_data_dir: Path) -> None:
    store = Store(isolated_data_dir)
    meeting = Meeting(store, lambda: NOW)
    path = meeting.create_sample()
    sample = store.load(path)
    assert sample.proposal.title.startswith("Sample vote (fictional people): ")
    assert path.name.startswith("sample-vote-fictional-people-")
    assert len(sample.current_votes()) == 10 and len(sample.roster) == 17  # some ballots, some to record
    opens_at, closes_at = sample.opened_window
    assert opens_at < NOW < closes_at  # open: ballots can be recorded
    assert store.load_roster() == []  # fictional people never become the shared roster
    assert meeting.create_sample() != path  # another one is another file
    meeting.delete(path)
    assert not path.exists()


def test_deleting_the_session_another_instance_holds_keeps_it_open_here(meeting: Meeting) -> None:
    from tvm_vote_tui.store.sessions import OpenSession, StoreError

    path = meeting.store.create(session(members=roster(3)))
    holder = OpenSession.open(meeting.store, path)  # another instance
    meeting.open(path)
    assert meeting.current is not None and meeting.current.read_only
    with pytest.raises(StoreError, match="not deleted: another tvm-vote-tui"):
        meeting.delete(path)
    assert meeting.current is not None and meeting.current.path == path and path.exists()
    holder.close()


def test_a_lost_lock_is_why_nothing_more_is_saved(meeting: Meeting) -> None:
    from tvm_vote_tui.store.sessions import lock_path

    path = meeting.store.create(session(members=roster(3)))
    meeting.open(path)
    assert meeting.record("m1", parse_vote("+1")).ok
    lock_path(path).unlink()
    outcome = meeting.record("m2", parse_vote("+1"))
    assert not outcome.ok and outcome.severity == "error"
    assert outcome.message.startswith("NOT recorded: ") and "lock file was deleted" in outcome.message
    assert "free some space" not in outcome.message  # not the disk's fault
    why = meeting.why_locked()
    assert why is not None and why.startswith("Nothing is saved here any more")
    assert not meeting.undo().ok  # undo is a write too
    assert meeting.session is not None and [b.voter for b in meeting.session.ballots] == ["m1"]


def test_removing_a_member_says_what_it_did_and_ctrl_z_takes_back_the_removal_not_an_older_ballot(
    meeting: Meeting,
) -> None:
    for voter in ("m0", "m1", "m2"):
        assert meeting.record(voter, parse_vote("+1")).ok
    m0 = saved(meeting).member("m0")
    removed = meeting.change_member(m0, None)
    assert removed.ok and removed.message == (
        "Removed Member 0 (m0) from this vote's roster (binding +1 3 → 2, non-binding +1 0 → 1; "
        "PASSING → FAILING). ctrl+z undoes it."
    )
    assert saved(meeting).member("m0") is None
    undone = meeting.undo()
    assert undone.ok and undone.message == (
        "Undone: Member 0 (m0) is back on the roster (binding +1 2 → 3, non-binding +1 1 → 0; "
        "FAILING → PASSING)."
    )
    on_disk = saved(meeting)
    assert [m.id for m in on_disk.roster] == ["m0", "m1", "m2", "m3", "m4"]  # in its place again
    assert len(on_disk.ballots) == 3  # no ballot was taken back
    assert (on_disk.log[-1].action, on_disk.log[-1].detail) == ("undo", "took back: removed Member 0 (m0)")
    assert meeting.undo().message == "Undone: Member 2 +1"  # then the ballots, in order


def test_adding_a_member_back_is_one_undo_step_that_says_what_it_did(meeting: Meeting) -> None:
    assert meeting.record("m0", parse_vote("+1")).ok
    m0 = saved(meeting).member("m0")
    assert meeting.change_member(m0, None).ok
    added = meeting.change_member(None, m0)
    assert added.ok and added.message == (
        "Added Member 0 (m0) to this vote's roster (binding +1 0 → 1, non-binding +1 1 → 0). "
        "ctrl+z undoes it."
    )
    assert saved(meeting).member("m0") is not None
    assert meeting.undo().message == (
        "Undone: Member 0 (m0) is off the roster again (binding +1 1 → 0, non-binding +1 0 → 1)."
    )
    assert saved(meeting).member("m0") is None


def test_a_roster_changed_since_is_not_taken_back(meeting: Meeting) -> None:
    m0 = saved(meeting).member("m0")
    assert meeting.change_member(m0, None).ok
    assert meeting.edit(lambda s, at: s.set_binding("m1", False, at)).ok  # by hand, meanwhile
    refused = meeting.undo()
    assert not refused.ok and "changed since" in refused.message
    assert saved(meeting).member("m0") is None


def test_undo_never_reaches_past_a_reopen(meeting: Meeting) -> None:
    assert meeting.record("m0", parse_vote("+1")).ok
    assert meeting.set_flag("m1", "recused", True).ok
    assert meeting.close_vote("decided at the meeting").ok
    assert not meeting.undo().ok  # closed: nothing changes
    assert meeting.reopen("one more voice").ok
    refused = meeting.undo()
    assert not refused.ok and refused.message.startswith("Nothing to undo since the vote was reopened")
    assert saved(meeting).member("m1").recused is True  # the state the close was based on stays
    assert meeting.record("m2", parse_vote("+1")).ok  # what comes after the reopen is undone as usual
    assert meeting.undo().message == "Undone: Member 2 +1"
    assert not meeting.undo().ok


def test_undo_stops_at_a_rule_change_that_moves_the_count(meeting: Meeting) -> None:
    for voter in ("m0", "m1", "m2"):
        assert meeting.record(voter, parse_vote("+1")).ok
    assert meeting.record("m3", parse_vote("-1")).ok
    assert meeting.edit(lambda s, at: s.set_rule("consensus", at)).ok
    refused = meeting.undo()
    assert not refused.ok and refused.message.startswith("Nothing to undo since the rule changed")
    assert len(saved(meeting).ballots) == 4
