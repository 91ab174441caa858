"""The sessions list's summaries: remembered while a file is unchanged, read again once it is not."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from tests.factories import T0, session
from tests.mirrors import resign_summaries, summaries_body
from tvm_vote_tui.domain.votes import parse_vote
from tvm_vote_tui.store.sessions import OpenSession, Store
from tvm_vote_tui.store.summaries import CACHE_NAME, forget, read_summary, remember, scan


def _store(tmp_path: Path, count: int = 2) -> tuple[Store, list[Path]]:
    store = Store(tmp_path / "data")
    paths = [store.create(session([("m0", "+1"), ("m1", "-1")], title=f"Vote {i}")) for i in range(count)]
    return store, paths


def _remember_all(store: Store) -> None:
    found = scan(store)
    remember(store, found.known + [read_summary(p) for p in found.changed], found.stamps)


def test_unchanged_files_are_not_read_again(tmp_path: Path) -> None:
    store, paths = _store(tmp_path)
    first = scan(store)
    assert first.known == [] and sorted(first.changed) == sorted(paths)
    _remember_all(store)
    again = scan(store)
    assert again.changed == []
    assert sorted(s.title for s in again.known) == ["Vote 0", "Vote 1"]
    assert {s.path for s in again.known} == set(paths)


def test_summary_says_what_the_list_shows(tmp_path: Path) -> None:
    store, paths = _store(tmp_path, 1)
    summary = read_summary(paths[0])
    assert (summary.title, summary.kind, summary.binding) == ("Vote 0", "strategy", "+1:1 0:0 -1:1")
    assert summary.verdict == "failing" and not summary.closed
    assert summary.closes_at == T0.add(days=7).timestamp()


def test_a_ballot_in_the_journal_makes_the_file_read_again(tmp_path: Path) -> None:
    store, paths = _store(tmp_path)
    _remember_all(store)
    opened = OpenSession.open(store, paths[0])
    opened.session.record("m2", parse_vote("+1"))  # a line appended to the journal
    opened.close()
    found = scan(store)
    assert found.changed == [paths[0]]
    assert [s.binding for s in found.stale] == ["+1:1 0:0 -1:1"]  # shown (marked) until read again
    assert read_summary(paths[0]).binding == "+1:2 0:0 -1:1"


def test_a_file_being_opened_elsewhere_is_left_unread(tmp_path: Path) -> None:
    """The app opening a session in a thread: the list does not read that file a second time."""
    store, paths = _store(tmp_path)
    _remember_all(store)
    opened = OpenSession.open(store, paths[0])
    opened.session.record("m2", parse_vote("+1"))
    opened.close()
    found = scan(store)
    found.defer(paths[0])
    assert found.changed == []
    assert [s.path for s in found.stale] == [paths[0]]  # still listed, as it was


def test_a_replaced_file_is_read_again_and_a_deleted_one_forgotten(tmp_path: Path) -> None:
    store, paths = _store(tmp_path)
    _remember_all(store)
    store.save(session(title="Renamed"), paths[0])
    store.delete(paths[1])
    found = scan(store)
    assert found.changed == [paths[0]] and found.known == []
    assert read_summary(paths[0]).title == "Renamed"


def test_unreadable_file_is_summarized_with_its_error(tmp_path: Path) -> None:
    store, _ = _store(tmp_path, 0)
    bad = store.sessions_dir / "bad.toml"
    store.ensure()
    bad.write_text("title = [")
    summary = read_summary(bad)
    assert not summary.readable and "bad.toml" in summary.error


@pytest.mark.parametrize(
    "content",
    [
        "not json",
        '{"version": 99, "sessions": {}}',
        '{"version": 1, "sessions": {}}',
        '{"summaries": 2, "key": "0", "mac": "0"}\n{"sessions": {}}',
        "BAD_TYPES",
    ],
)
def test_a_damaged_cache_means_reading_every_file(tmp_path: Path, content: str) -> None:
    store, paths = _store(tmp_path)
    _remember_all(store)
    cache = store.sessions_dir / CACHE_NAME
    if content == "BAD_TYPES":  # signed with our own key even: every entry is still checked
        data = summaries_body(cache)
        for entry in data["sessions"].values():
            entry["title"] = ["\x1b[31m", 1]
        resign_summaries(cache, store.key, json.dumps(data))
    else:
        cache.write_text(content)
    found = scan(store)
    assert found.known == [] and sorted(found.changed) == sorted(paths)


def test_forget_and_the_cache_is_private(tmp_path: Path) -> None:
    store, _ = _store(tmp_path)
    _remember_all(store)
    cache = store.sessions_dir / CACHE_NAME
    assert os.stat(cache).st_mode & 0o777 == 0o600  # titles and tallies are nobody else's business
    forget(store)
    assert not cache.exists() and scan(store).known == []
