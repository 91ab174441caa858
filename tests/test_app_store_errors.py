"""The app and files that say no: an unreadable session is listed, never fatal; a roster file
that cannot be read is one line in the import dialog; opening a file that is not a session or
one in a read-only folder is a notice; a full disk is a notice; looking at the proposal writes
nothing."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

import pytest
from textual.widgets import DataTable, Input, Static
from textual.worker import WorkerCancelled, WorkerFailed

from tests import disk_faults
from tests.app_helpers import app_for, demo_store, running, settle
from tvm_vote_tui.app.app import VoteApp
from tvm_vote_tui.app.screens.roster import RosterScreen
from tvm_vote_tui.app.screens.roster_import import RosterImport
from tvm_vote_tui.app.screens.sessions import SessionsScreen
from tvm_vote_tui.store.format import session_to_toml
from tvm_vote_tui.store.sessions import lock_path

DEEP = 5000


def messages(app: VoteApp) -> list[str]:
    return [n.message for n in app._notifications]


def files_in(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


async def test_a_session_nested_thousands_deep_is_listed_as_unreadable(isolated_data_dir: Path) -> None:
    store, good = demo_store(isolated_data_dir)
    deep = store.sessions_dir / "deep.toml"
    deep.write_text("x = " + "[" * DEEP + "]" * DEEP + "\n" + good.read_text())
    app = app_for(isolated_data_dir)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, SessionsScreen)
        table = app.screen.query_one("#sessions", DataTable)
        assert table.row_count == 2
        assert [str(cell) for cell in table.get_row_at(1)][2] == "unreadable"
        problems = str(app.screen.query_one("#problems", Static).render())
        assert "deep.toml" in problems and "nested too deeply" in problems


@pytest.mark.parametrize(
    ("name", "text", "words"),
    [
        ("big.csv", "id,name\nada," + "a" * 200_000 + "\n", "larger than field limit"),
        ("committee-info.json", "[" * 100_000 + "]" * 100_000, "nested too deeply"),
        ("deep.toml", "x = " + "[" * DEEP + "]" * DEEP, "nested too deeply"),
        ("fifo.csv", None, "not a regular file"),
    ],
    ids=["csv-200k", "json-deep", "toml-deep", "fifo"],
)
async def test_the_import_dialog_shows_one_line_for_a_file_it_cannot_read(
    name: str, text: str | None, words: str, isolated_data_dir: Path, tmp_path: Path
) -> None:
    source = tmp_path / name
    if text is None:
        os.mkfifo(source)  # reading it would wait for a writer that never comes
    else:
        source.write_text(text)
    async with running(isolated_data_dir, size=(100, 40)) as r:
        await r.press("f3")
        assert isinstance(r.app.screen, RosterScreen)
        await r.press("i")
        assert isinstance(r.app.screen, RosterImport)
        r.app.screen.query_one("#path", Input).value = str(source)
        await r.press("enter")
        shown = str(r.app.screen.query_one("#preview", Static).render())
        assert words in shown and shown.count("\n") == 0, shown
        await r.press("escape")
        assert isinstance(r.app.screen, RosterScreen)


async def refused_at_start(app: VoteApp) -> None:
    """Run an app given a session it cannot open: it stops by itself, like a command would."""
    async with app.run_test(size=(80, 24)) as pilot:
        for worker in list(app.workers):
            with contextlib.suppress(WorkerFailed, WorkerCancelled):  # the read failed: the point
                await worker.wait()
        await pilot.pause()
    assert app.meeting.current is None
    assert app.return_code == 2


async def test_opening_a_file_that_is_not_a_session_says_so_and_leaves_no_lock(
    isolated_data_dir: Path, tmp_path: Path
) -> None:
    notes = tmp_path / "notes.toml"
    notes.write_text("these are my notes, not a vote\n")
    app = app_for(isolated_data_dir, open_path=notes)
    await refused_at_start(app)
    assert "notes.toml" in app.refusal and "not valid TOML" in app.refusal
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.toml"]
    assert not lock_path(notes).exists()


async def test_opening_in_a_read_only_data_dir_is_a_notice(
    isolated_data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _, path = demo_store(isolated_data_dir)
    before = files_in(isolated_data_dir)
    disk_faults.read_only(monkeypatch, isolated_data_dir)
    app = app_for(isolated_data_dir, open_path=path)  # from the command line: one line, status 2
    await refused_at_start(app)
    assert "cannot be opened for writing (Read-only file system)" in app.refusal
    app = app_for(isolated_data_dir)  # from the sessions screen: a notice
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert app.meeting.current is None and isinstance(app.screen, SessionsScreen)
        assert any("cannot be opened for writing (Read-only file system)" in m for m in messages(app)), (
            messages(app)
        )
    monkeypatch.undo()
    assert files_in(isolated_data_dir) == before


async def test_a_full_disk_is_a_notice_for_every_save(
    isolated_data_dir: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    async with running(isolated_data_dir, size=(100, 30)) as r:
        app = r.app
        saved = session_to_toml(r.saved())
        disk_faults.full(monkeypatch, isolated_data_dir)
        disk_faults.full(monkeypatch, tmp_path)
        await r.press("f2")
        title = app.screen.query_one("#title", Input)
        title.value = "A new title"
        await r.press("ctrl+s")
        assert any("NOT recorded" in m and "No space left" in m for m in messages(app))
        app.clear_notifications()  # the export's notice is judged on its own
        await r.press("f6", "s")
        target = tmp_path / "result.txt"
        app.screen.query_one(Input).value = str(target)
        await r.press("enter")
        notices = [(n.title, n.severity, n.message) for n in app._notifications]
        assert notices == [("Not saved", "error", f"{target}: cannot write (No space left on device)")]
        assert not target.exists()
        await r.press("f1", "n", *"Another vote", "enter")
        assert any("Cannot save the new session" in n.title for n in app._notifications)
        await r.press("ctrl+q")
        monkeypatch.undo()
        assert session_to_toml(r.saved()) == saved
    assert not [name for name in os.listdir(r.store.sessions_dir) if name.endswith(".tmp")]


async def test_looking_at_the_proposal_writes_nothing(isolated_data_dir: Path) -> None:
    async with running(isolated_data_dir, screen="proposal") as r:
        before = files_in(isolated_data_dir)
        log = list(r.saved().log)
        await r.press("tab", "tab", "tab", "tab", "tab", "tab")  # through the fields, leaving each
        await r.press("f4")
        await r.press("f2", "f4")
        await r.press("ctrl+q")
        assert list(r.saved().log) == log
    assert files_in(isolated_data_dir) == before
