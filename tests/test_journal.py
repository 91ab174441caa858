"""The ballot journal: O(1) durable appends, replay, compaction, crashes in between, identity."""

from __future__ import annotations

import errno
import json
import os
import shutil
from pathlib import Path

import pytest

from tests.factories import T0, roster, session
from tvm_vote_tui.cli import main
from tvm_vote_tui.domain.model import Member
from tvm_vote_tui.domain.votes import parse_vote
from tvm_vote_tui.store.format import SessionFileError
from tvm_vote_tui.store.journal import JournalMismatch, journal_path
from tvm_vote_tui.store.sessions import OpenSession, Store, load

PLUS = parse_vote("+1")


@pytest.fixture
def opened(isolated_data_dir: Path):
    store = Store(isolated_data_dir)
    path = store.create(session(members=roster(5)))
    current = OpenSession.open(store, path)
    yield current
    current.close()


def entries(path: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in journal_path(path).read_text().splitlines()]


def test_ballots_go_to_the_journal_and_load_back(opened: OpenSession) -> None:
    toml_before = opened.path.read_bytes()
    opened.session.record("m0", PLUS, at=T0)
    opened.session.record("m1", parse_vote("-1"), note="why", at=T0)
    assert opened.path.read_bytes() == toml_before  # O(1): the TOML file is not rewritten
    header, *lines = entries(opened.path)
    assert header == {"journal": 1, "session": opened.session.session_id, "base": 0}
    assert [line["seq"] for line in lines] == [1, 2]
    loaded = opened.store.load(opened.path)
    assert [b.voter for b in loaded.ballots] == ["m0", "m1"]
    assert loaded.log[-1].detail.endswith("voted -1; note: why")
    assert loaded.revision == 2


def test_undo_and_state_changes_replay(opened: OpenSession) -> None:
    s = opened.session
    first = s.record("m0", PLUS, at=T0)
    s.record("m1", PLUS, at=T0)
    s.undo([first], T0)
    s.set_title("Renamed", T0)
    s.set_recused("m2", True, T0)
    s.add_member(Member("zoe", "Zoë Müller"), T0)
    loaded = opened.store.load(opened.path)
    assert [b.voter for b in loaded.ballots] == ["m1"]
    assert loaded.proposal.title == "Renamed" and loaded.roster[2].recused
    assert [e.action for e in loaded.log][-5:] == ["ballot", "undo", "proposal", "roster", "roster"]
    assert loaded == s


def test_compaction_folds_the_journal_into_the_toml(opened: OpenSession) -> None:
    for i in range(5):
        opened.session.record(f"m{i}", PLUS, at=T0)
    opened.compact()
    assert entries(opened.path) == [{"journal": 1, "session": opened.session.session_id, "base": 5}]
    assert "journal_seq = 5" in opened.path.read_text()
    opened.session.record("m0", parse_vote("0"), at=T0)
    assert opened.store.load(opened.path).tally().binding.as_dict() == {"plus": 4, "zero": 1, "minus": 0}


def test_crash_between_toml_rewrite_and_journal_trim_applies_nothing_twice(opened: OpenSession) -> None:
    for i in range(3):
        opened.session.record(f"m{i}", PLUS, at=T0)
    kept = journal_path(opened.path).read_bytes()
    opened.compact()
    journal_path(opened.path).write_bytes(kept)  # as if the trim never happened
    loaded = opened.store.load(opened.path)
    assert len(loaded.ballots) == 3


def test_background_compaction_keeps_later_entries(opened: OpenSession) -> None:
    opened.session.record("m0", PLUS, at=T0)
    snapshot = opened.snapshot()
    opened.session.record("m1", PLUS, at=T0)  # arrives while the snapshot is being written
    opened.compact(snapshot)
    assert [e.get("seq") for e in entries(opened.path)] == [None, 2]
    older = opened.snapshot()
    older.revision = 1
    opened.compact(older)  # an older snapshot never overwrites a newer file
    assert len(opened.store.load(opened.path).ballots) == 2


def test_torn_last_line_is_ignored_then_trimmed_by_the_next_writer(opened: OpenSession) -> None:
    opened.session.record("m0", PLUS, at=T0)
    opened.close()
    with journal_path(opened.path).open("ab") as handle:
        handle.write(b'{"seq": 2, "op": "ballot", "ballot": {"voter": "m1"')  # killed mid-write
    assert len(opened.store.load(opened.path).ballots) == 1
    again = OpenSession.open(opened.store, opened.path)
    again.session.record("m1", parse_vote("-1"), at=T0)
    loaded = again.store.load(again.path)
    assert [(b.voter, b.vote.text) for b in loaded.ballots] == [("m0", "+1"), ("m1", "-1")]
    again.close()


def test_damaged_journal_line_names_file_and_line_and_is_left_alone(opened: OpenSession) -> None:
    opened.session.record("m0", PLUS, at=T0)
    opened.close()
    jpath = journal_path(opened.path)
    header, rest = jpath.read_text().split("\n", 1)
    jpath.write_text(header + "\nnot json\n" + rest)
    before = jpath.read_bytes()
    with pytest.raises(SessionFileError) as err:
        opened.store.load(opened.path)
    assert err.value.line == 2 and ".journal" in err.value.path
    assert jpath.read_bytes() == before


def test_a_failed_write_changes_nothing_and_leaves_no_torn_line(opened: OpenSession, monkeypatch) -> None:
    """Disk full in the middle of a journal line: the ballot is not applied, the journal is as before."""
    before = journal_path(opened.path).read_bytes()
    real_write = os.write

    def half_then_full(fd: int, data: bytes | memoryview) -> int:
        if len(data) > 10:
            real_write(fd, bytes(data[:10]))
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_write(fd, data)

    monkeypatch.setattr(os, "write", half_then_full)
    with pytest.raises(OSError):
        opened.session.record("m0", PLUS, at=T0)
    monkeypatch.undo()
    assert opened.session.ballots == [] and opened.session.tally().binding.plus == 0
    assert journal_path(opened.path).read_bytes() == before
    opened.session.record("m1", PLUS, at=T0)
    assert [b.voter for b in opened.store.load(opened.path).ballots] == ["m1"]


def test_a_failed_fsync_is_not_recorded_either(opened: OpenSession, monkeypatch) -> None:
    def refuse(fd: int) -> None:
        raise OSError(errno.EIO, "Input/output error")

    monkeypatch.setattr(os, "fsync", refuse)
    with pytest.raises(OSError):
        opened.session.record("m0", PLUS, at=T0)
    monkeypatch.undo()
    assert not opened.session.ballots
    assert opened.store.load(opened.path).ballots == []


def test_a_failed_write_that_cannot_be_undone_stops_the_journal(opened: OpenSession, monkeypatch) -> None:
    """The whole line was written, its fsync failed and cutting it off failed too: that entry may
    be read back, so no later change may take its number; every later change is refused."""

    def refuse(*args: object) -> None:
        raise OSError(errno.EIO, "Input/output error")

    monkeypatch.setattr(os, "fsync", refuse)
    monkeypatch.setattr(os, "ftruncate", refuse)
    with pytest.raises(OSError):
        opened.session.record("m0", PLUS, at=T0)
    monkeypatch.undo()
    with pytest.raises(OSError, match="could not be undone"):
        opened.session.record("m1", PLUS, at=T0)
    assert not opened.session.ballots
    seqs = [e["seq"] for e in entries(opened.path) if "seq" in e]
    assert len(seqs) == len(set(seqs))  # never two entries with one number


def test_a_journal_from_another_session_file_is_never_applied(opened: OpenSession, tmp_path: Path) -> None:
    """Restoring an older copy of another vote over the file must not graft this vote's ballots on."""
    opened.session.record("m0", PLUS, at=T0)
    opened.close()
    other = Store(tmp_path / "other").create(session([("m3", "-1")], members=roster(5)))
    shutil.copyfile(other, opened.path)  # the TOML file is replaced; its journal stays
    jpath = journal_path(opened.path)
    before = jpath.read_bytes()
    loaded = load(opened.path)
    assert loaded.unapplied and jpath.name in loaded.unapplied
    assert [b.voter for b in loaded.session.ballots] == ["m3"]
    with pytest.raises(JournalMismatch):
        OpenSession.open(opened.store, opened.path)
    assert jpath.read_bytes() == before  # reported by name, left untouched
    again = OpenSession.open(opened.store, opened.path, set_aside=True)
    assert [b.voter for b in again.session.ballots] == ["m3"]
    aside = [p for p in opened.path.parent.iterdir() if ".unmatched-" in p.name]
    assert len(aside) == 1 and aside[0].read_bytes() == before
    again.session.record("m1", PLUS, at=T0)
    again.close()
    assert [b.voter for b in load(opened.path).session.ballots] == ["m3", "m1"]


def test_an_older_copy_of_the_same_file_is_reported_not_grafted(opened: OpenSession) -> None:
    older = opened.path.read_bytes()
    for i in range(3):
        opened.session.record(f"m{i}", PLUS, at=T0)
    opened.compact()  # the file now holds entries 1..3; the journal starts after 3
    opened.session.record("m4", PLUS, at=T0)
    opened.close()
    opened.path.write_bytes(older)  # a backup from before the fold
    with pytest.raises(SessionFileError, match="entries 1..3 are missing"):
        load(opened.path)


def test_a_gap_in_sequence_numbers_is_reported(opened: OpenSession) -> None:
    for i in range(3):
        opened.session.record(f"m{i}", PLUS, at=T0)
    opened.close()
    jpath = journal_path(opened.path)
    lines = jpath.read_text().splitlines(keepends=True)
    jpath.write_text("".join(lines[:2] + lines[3:]))  # entry 2 is lost
    with pytest.raises(SessionFileError, match="entries 2..2 are missing") as err:
        load(opened.path)
    assert err.value.line == 3


def test_command_line_reads_journalled_ballots(
    opened: OpenSession, capsys: pytest.CaptureFixture[str]
) -> None:
    opened.session.record("m0", PLUS, at=T0)
    assert main(["tally", str(opened.path), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["binding"]["plus"] == 1


def test_a_journal_from_before_session_ids_still_loads(isolated_data_dir: Path) -> None:
    """Files and journals written by the previous version have no ids: they are read as before."""
    store = Store(isolated_data_dir)
    s = session(members=roster(3))
    s.session_id = ""
    path = store.create(s)
    ballot = {"voter": "m0", "vote": "+1", "cast_at": "2026-11-24T17:00:00+00:00", "note": ""}
    log = [{"at": "2026-11-24T17:00:00+00:00", "action": "ballot", "detail": "m0 voted +1"}]
    journal_path(path).write_text(json.dumps({"seq": 1, "op": "ballot", "ballot": ballot, "log": log}) + "\n")
    assert [b.voter for b in load(path).session.ballots] == ["m0"]
    opened = OpenSession.open(store, path)
    opened.session.record("m1", PLUS, at=T0)
    opened.compact()  # the file gets an id now, and the journal the same one
    opened.close()
    assert entries(path)[0]["session"] == load(path).session.session_id != ""
    assert [b.voter for b in load(path).session.ballots] == ["m0", "m1"]


@pytest.mark.parametrize("damage", ["repeated", "backwards", "first after the base"])
def test_entries_follow_one_another_or_the_journal_is_reported(opened: OpenSession, damage: str) -> None:
    """A repeated line or one out of order is damage too: never skipped as 'already applied'."""
    for i in range(3):
        opened.session.record(f"m{i}", PLUS, at=T0)
    opened.close()
    jpath = journal_path(opened.path)
    header, one, two, three = jpath.read_text().splitlines(keepends=True)
    changed = {
        "repeated": [header, one, two, two, three],
        "backwards": [header, one, three, two],
        "first after the base": [header, two, three],
    }[damage]
    jpath.write_text("".join(changed))
    before = jpath.read_bytes()
    with pytest.raises(SessionFileError, match="follows seq") as err:
        load(opened.path)
    assert err.value.line == {"repeated": 4, "backwards": 3, "first after the base": 2}[damage]
    assert jpath.read_bytes() == before
