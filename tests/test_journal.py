"""The ballot journal: O(1) durable appends, replay, compaction, crashes in between."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.factories import T0, roster, session
from tvm_vote_tui.cli import main
from tvm_vote_tui.domain.votes import parse_vote
from tvm_vote_tui.store.format import SessionFileError
from tvm_vote_tui.store.journal import Journal, journal_path
from tvm_vote_tui.store.sessions import OpenSession, Store


@pytest.fixture
def opened(isolated_data_dir: Path):
    store = Store(isolated_data_dir)
    path = store.create(session(members=roster(5)))
    current = OpenSession.open(store, path)
    yield current
    current.close()


def test_ballots_go_to_the_journal_and_load_back(opened: OpenSession) -> None:
    toml_before = opened.path.read_bytes()
    opened.record("m0", parse_vote("+1"), at=T0)
    opened.record("m1", parse_vote("-1"), note="why", at=T0)
    assert opened.path.read_bytes() == toml_before  # O(1): the TOML file is not rewritten
    lines = journal_path(opened.path).read_text().splitlines()
    assert [json.loads(line)["seq"] for line in lines] == [1, 2]
    loaded = opened.store.load(opened.path)
    assert [b.voter for b in loaded.ballots] == ["m0", "m1"]
    assert loaded.log[-1].detail.endswith("voted -1; note: why")
    assert loaded.revision == 2


def test_undo_and_state_changes_replay(opened: OpenSession) -> None:
    first = opened.record("m0", parse_vote("+1"), at=T0)
    opened.record("m1", parse_vote("+1"), at=T0)
    opened.undo([first])
    opened.session.proposal.title = "Renamed"
    opened.session.roster[2].recused = True
    opened.session.append_log("proposal", "title changed", T0)
    opened.save()
    loaded = opened.store.load(opened.path)
    assert [b.voter for b in loaded.ballots] == ["m1"]
    assert loaded.proposal.title == "Renamed" and loaded.roster[2].recused
    assert [e.action for e in loaded.log][-3:] == ["ballot", "undo", "proposal"]
    assert loaded == opened.session


def test_compaction_folds_the_journal_into_the_toml(opened: OpenSession) -> None:
    for i in range(5):
        opened.record(f"m{i}", parse_vote("+1"), at=T0)
    opened.compact()
    assert journal_path(opened.path).read_text() == ""
    assert "journal_seq = 5" in opened.path.read_text()
    opened.record("m0", parse_vote("0"), at=T0)
    assert opened.store.load(opened.path).tally().binding.as_dict() == {"plus": 4, "zero": 1, "minus": 0}


def test_crash_between_toml_rewrite_and_journal_trim_applies_nothing_twice(opened: OpenSession) -> None:
    for i in range(3):
        opened.record(f"m{i}", parse_vote("+1"), at=T0)
    kept = journal_path(opened.path).read_bytes()
    opened.compact()
    journal_path(opened.path).write_bytes(kept)  # as if the trim never happened
    loaded = opened.store.load(opened.path)
    assert len(loaded.ballots) == 3


def test_background_compaction_keeps_later_entries(opened: OpenSession) -> None:
    opened.record("m0", parse_vote("+1"), at=T0)
    snapshot = opened.snapshot()
    opened.record("m1", parse_vote("+1"), at=T0)  # arrives while the snapshot is being written
    opened.compact(snapshot)
    assert [json.loads(x)["seq"] for x in journal_path(opened.path).read_text().splitlines()] == [2]
    older = opened.snapshot()
    older.revision = 1
    opened.compact(older)  # an older snapshot never overwrites a newer file
    assert len(opened.store.load(opened.path).ballots) == 2


def test_torn_last_line_is_ignored_then_trimmed_by_the_next_writer(opened: OpenSession) -> None:
    opened.record("m0", parse_vote("+1"), at=T0)
    opened.close()
    with journal_path(opened.path).open("ab") as handle:
        handle.write(b'{"seq": 2, "op": "ballot", "ballot": {"voter": "m1"')  # killed mid-write
    assert len(opened.store.load(opened.path).ballots) == 1
    again = OpenSession.open(opened.store, opened.path)
    again.record("m1", parse_vote("-1"), at=T0)
    loaded = again.store.load(again.path)
    assert [(b.voter, b.vote.text) for b in loaded.ballots] == [("m0", "+1"), ("m1", "-1")]
    again.close()


def test_damaged_journal_line_names_file_and_line_and_is_left_alone(opened: OpenSession) -> None:
    opened.record("m0", parse_vote("+1"), at=T0)
    opened.close()
    jpath = journal_path(opened.path)
    jpath.write_text("not json\n" + jpath.read_text())
    before = jpath.read_bytes()
    with pytest.raises(SessionFileError) as err:
        opened.store.load(opened.path)
    assert err.value.line == 1 and ".journal" in err.value.path
    assert jpath.read_bytes() == before


def test_failed_append_is_retried_by_writing_everything(opened: OpenSession, monkeypatch) -> None:
    def refuse(self, entry):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(Journal, "append", refuse)
    with pytest.raises(OSError):
        opened.record("m0", parse_vote("+1"), at=T0)
    monkeypatch.undo()
    opened.record("m1", parse_vote("+1"), at=T0)
    assert [b.voter for b in opened.store.load(opened.path).ballots] == ["m0", "m1"]


def test_command_line_reads_journalled_ballots(
    opened: OpenSession, capsys: pytest.CaptureFixture[str]
) -> None:
    opened.record("m0", parse_vote("+1"), at=T0)
    assert main(["tally", str(opened.path), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["binding"]["plus"] == 1
