"""The order that makes "nothing is shown as recorded before it is on disk" true: the journal line
is written, then fsync'd, and only then is the change applied to the session, returned to its
caller and drawn. tests/test_kill.py cannot show this: a SIGKILL leaves the operating system's
page cache alone, so it would pass without any fsync; the fsync is for a power cut or a crash of
the machine, which a test cannot make. So these tests record the order of the calls instead."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from tests.app_helpers import running
from tests.factories import T0, roster, session
from tvm_vote_tui.app.widgets.ballot_table import BallotTable
from tvm_vote_tui.app.widgets.meter import ThresholdMeter
from tvm_vote_tui.demo import sample_session
from tvm_vote_tui.domain.model import Session
from tvm_vote_tui.domain.votes import parse_vote
from tvm_vote_tui.store.journal import journal_path
from tvm_vote_tui.store.sessions import OpenSession, Store


def watch(monkeypatch: pytest.MonkeyPatch, journal: Path, events: list[str], on_fsync: Any = None) -> None:
    """Append to `events` each write and fsync of `journal`, and each change applied to a session."""
    real_write, real_fsync, real_apply = os.write, os.fsync, Session.apply

    def is_journal(fd: int) -> bool:
        try:
            return Path(os.readlink(f"/proc/self/fd/{fd}")) == journal.resolve()
        except OSError:
            return False

    def write(fd: int, data: bytes) -> int:
        if is_journal(fd):
            events.append("write")
        return real_write(fd, data)

    def fsync(fd: int) -> None:
        real_fsync(fd)
        if is_journal(fd):
            events.append("fsync")
            if on_fsync is not None:
                on_fsync()

    def apply(self: Session, change: Any) -> None:
        events.append("apply")
        real_apply(self, change)

    monkeypatch.setattr(os, "write", write)
    monkeypatch.setattr(os, "fsync", fsync)
    monkeypatch.setattr(Session, "apply", apply)


def test_a_change_is_fsyncd_before_it_is_applied_or_returned(
    isolated_data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = Store(isolated_data_dir)
    path = store.create(session(members=roster(3)))
    opened = OpenSession.open(store, path)
    events: list[str] = []
    watch(monkeypatch, journal_path(path), events)
    opened.session.record("m0", parse_vote("+1"), at=T0)
    events.append("returned")
    opened.session.set_title("A title changed", T0)
    events.append("returned")
    monkeypatch.undo()
    opened.close()
    assert events == ["write", "fsync", "apply", "returned"] * 2


async def test_the_screen_shows_a_ballot_only_after_its_fsync(
    isolated_data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """At the moment of the fsync the line is in the journal file and nothing of the ballot is in
    the session, the table or the meter yet; once the key is handled, all of them show it."""
    async with running(isolated_data_dir, sample_session(ballots=0)) as r:
        table = r.app.screen.query_one("#ballots", BallotTable)
        meter = r.app.screen.query_one(ThresholdMeter)
        voter = table.cursor_key
        assert voter is not None and str(table.row(voter)[1]) == "·"
        seen_at_fsync: list[tuple[bool, int, str, int]] = []

        def look() -> None:
            on_disk = journal_path(r.path).read_text()
            assert meter.data is not None
            seen_at_fsync.append(
                (
                    f'"voter": "{voter}"' in on_disk,
                    len(r.session.ballots),
                    str(table.row(voter)[1]),
                    meter.data.tally.binding.plus,
                )
            )

        events: list[str] = []
        watch(monkeypatch, journal_path(r.path), events, look)
        await r.press("plus")
        monkeypatch.undo()
        assert events == ["write", "fsync", "apply"]
        assert seen_at_fsync == [(True, 0, "·", 0)]  # on disk; not in the session, table or meter
        assert meter.data is not None and meter.data.tally.binding.plus == 1
        assert str(table.row(voter)[1]) == "+1" and len(r.session.ballots) == 1
