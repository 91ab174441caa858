"""Closing and reopening, the export and log screens, read-only second instances, odd names."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

from textual.widgets import DataTable, Input, Static

from tests.app_helpers import NOW, app_for, demo_store, running
from tvm_vote_tui.app.screens.ballots import BallotsScreen
from tvm_vote_tui.app.screens.export import ExportScreen
from tvm_vote_tui.app.screens.log import LogScreen
from tvm_vote_tui.app.widgets.ballot_table import BallotTable
from tvm_vote_tui.app.widgets.meter import ThresholdMeter
from tvm_vote_tui.app.widgets.modals import ConfirmModal, TextPrompt
from tvm_vote_tui.demo import sample_session
from tvm_vote_tui.domain.model import Member
from tvm_vote_tui.domain.votes import parse_vote
from tvm_vote_tui.store.sessions import OpenSession, Store


def banner(app) -> str:
    return str(app.screen.query_one("#banner", Static).render())


async def test_close_early_needs_a_reason_then_everything_is_read_only(isolated_data_dir: Path) -> None:
    async with running(isolated_data_dir, size=(100, 30)) as r:
        app, pilot, path = r.app, r.pilot, r.path
        store = r.store
        await pilot.press("f8")
        await pilot.pause()
        assert isinstance(app.screen, TextPrompt)  # NOW is before closes_at: a reason is needed
        await pilot.press("enter")
        assert isinstance(app.screen, TextPrompt)
        await pilot.press(*"agreed at the meeting", "enter")
        await pilot.pause()
        saved = store.load(path)
        assert saved.is_closed and saved.proposal.closed_at == NOW
        assert saved.log[-1].action == "close" and "reason: agreed at the meeting" in saved.log[-1].detail
        assert "CLOSED: the vote PASSED" in banner(app)
        assert "CLOSED" in str(app.screen.query_one(ThresholdMeter).render())
        await pilot.press(*"bao", "plus")  # refused: nothing recorded
        assert len(store.load(path).ballots) == len(saved.ballots)
        await pilot.press("f1")
        await pilot.pause()
        row = [str(c) for c in app.screen.query_one("#sessions", DataTable).get_row_at(0)]
        assert any(c.startswith("closed ") for c in row) and any(c.endswith("· passed") for c in row)
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("f8")
        await pilot.pause()
        await pilot.press(*"a late ballot by mail", "enter")
        await pilot.pause()
        reopened = store.load(path)
        assert not reopened.is_closed and reopened.log[-1].action == "reopen"


async def test_window_over_offers_close_without_reason(isolated_data_dir: Path) -> None:
    session = sample_session()
    session.set_window(NOW.subtract(days=8), NOW.subtract(days=1))
    async with running(isolated_data_dir, session, size=(100, 30)) as r:
        app, pilot, path = r.app, r.pilot, r.path
        store = r.store
        await pilot.pause()
        assert "window has ended" in banner(app) and "F8" in banner(app)
        assert not store.load(path).is_closed  # offered, not done automatically
        await pilot.press("f8")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmModal)
        await pilot.press("y")
        await pilot.pause()
        assert store.load(path).is_closed


async def test_export_screen_saves_without_overwriting(
    isolated_data_dir: Path, tmp_path: Path, monkeypatch
) -> None:
    monkeypatch.chdir(tmp_path)
    async with running(isolated_data_dir, size=(100, 30)) as r:
        app, pilot, _path = r.app, r.pilot, r.path
        await pilot.press("f6")
        await pilot.pause()
        assert isinstance(app.screen, ExportScreen)
        text = str(app.screen.query_one("#export-text", Static).render())
        assert text.startswith("Subject: [RESULT][VOTE] Establish the TVM FFI module")
        await pilot.press("right")
        await pilot.pause()
        assert str(app.screen.query_one("#export-text", Static).render()).startswith("# \\[RESULT\\]")
        await pilot.press("s")
        await pilot.pause()
        assert app.screen.query_one("#answer", Input).value == str(
            tmp_path / "establish-the-tvm-ffi-module-result.md"
        )
        await pilot.press("enter")
        await pilot.pause()
        saved = tmp_path / "establish-the-tvm-ffi-module-result.md"
        assert saved.read_text().startswith("# \\[RESULT\\]")
        await pilot.press("right", "s")  # the JSON's name ends in .json like the others' in theirs
        await pilot.pause()
        assert app.screen.query_one("#answer", Input).value == str(
            tmp_path / "establish-the-tvm-ffi-module-result.json"
        )
        await pilot.press("escape", "left")
        await pilot.pause()
        saved.write_text("keep me")
        await pilot.press("s")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmModal)
        await pilot.press("n")
        assert saved.read_text() == "keep me"
        await pilot.press("y")  # copy
        assert app.clipboard.startswith("# \\[RESULT\\]")


async def test_log_screen_shows_every_change(isolated_data_dir: Path) -> None:
    async with running(isolated_data_dir, size=(100, 30)) as r:
        app, pilot, _path = r.app, r.pilot, r.path
        await pilot.press(*"bao", "plus", "f7")
        await pilot.pause()
        assert isinstance(app.screen, LogScreen)
        table = app.screen.query_one("#log", DataTable)
        assert table.row_count == len(app.meeting.current.session.log)
        assert "Bao Nguyen (baonguyen) voted +1" in str(table.get_row_at(table.row_count - 1)[2])


HOLD = """
import sys, time
from pathlib import Path
from tvm_vote_tui.store.sessions import OpenSession, Store
opened = OpenSession.open(Store(Path(sys.argv[1])), Path(sys.argv[2]))
print("read-only" if opened.read_only else "holding", flush=True)
time.sleep(60)
"""


def hold(data: Path, path: Path) -> subprocess.Popen[str]:
    child = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(data), str(path)], stdout=subprocess.PIPE, text=True
    )
    assert child.stdout is not None and child.stdout.readline().strip() == "holding"
    return child


async def test_second_instance_is_read_only_and_never_writes(isolated_data_dir: Path) -> None:
    store, path = demo_store(isolated_data_dir)
    child = hold(isolated_data_dir, path)
    try:
        before = path.read_bytes()
        app = app_for(isolated_data_dir, open_path=path)
        async with app.run_test(size=(100, 30), notifications=True) as pilot:
            await pilot.pause()
            assert app.meeting.current is not None and app.meeting.current.read_only
            assert "READ-ONLY" in banner(app) and "READ-ONLY" in app.sub_title
            await pilot.press(*"bao", "plus", "ctrl+z", "f8")
            await pilot.pause()
            assert isinstance(app.screen, BallotsScreen)
        assert path.read_bytes() == before
    finally:
        child.kill()
        child.wait()
    # The holder died without cleaning up: its lock is taken over.
    opened = OpenSession.open(store, path)
    assert not opened.read_only
    opened.close()


def test_lock_is_exclusive_within_and_across_processes(isolated_data_dir: Path) -> None:
    store, path = demo_store(isolated_data_dir)
    first = OpenSession.open(store, path)
    second = OpenSession.open(store, path)
    assert not first.read_only and second.read_only and "pid" in second.holder
    try:
        second.compact()
        raise AssertionError("a read-only session saved")
    except OSError as err:
        assert "read-only" in str(err)
    assert second.session.journal is None  # its changes would go nowhere: the app refuses them
    first.close()
    third = OpenSession.open(store, path)
    assert not third.read_only
    third.close()
    child = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(isolated_data_dir), str(path)], stdout=subprocess.PIPE, text=True
    )
    assert child.stdout is not None and child.stdout.readline().strip() == "holding"
    child.kill()
    child.wait()
    time.sleep(0.05)
    fourth = OpenSession.open(store, path)
    assert not fourth.read_only


async def test_odd_characters_everywhere_are_shown_as_typed_on_every_screen(isolated_data_dir: Path) -> None:
    """Markup-like text in a title, a name, notes, a guest and a file name: each screen is the
    one asked for and shows it as typed (never as a style, a link or a closing tag)."""
    from tests.app_helpers import screen_text, settle
    from tvm_vote_tui.app.registry import BY_NAME
    from tvm_vote_tui.app.screens.help import HelpScreen
    from tvm_vote_tui.app.screens.sessions import SessionsScreen

    session = sample_session()
    session.set_title("[/] odd [b]title | *x*")
    # Ids and GitHub handles are plain (loading refuses others); names, notes and guests are not.
    session.add_member(Member("odd", "[red]Not red[/red] [/]", "x@y.org", True, "odd-gh"))
    session.record("odd", parse_vote("-1"), note="[/] note\nwith newline", at=NOW)
    session.record("[/b] guest", parse_vote("+0.5"), note="[link]", at=NOW)
    store, path = demo_store(isolated_data_dir, session)
    (store.sessions_dir / "[bad].toml").write_text("not = [toml")
    title = "[/] odd [b]title | *x*"
    expected: list[tuple[str, type, list[str]]] = [
        ("", SessionsScreen, [title, "[bad].toml", "unreadable"]),
        ("enter", BY_NAME["ballots"].load(), ["[red]Not red[/red] [/]", "[/b] guest", "[/] note"]),
        ("f2", BY_NAME["proposal"].load(), [f"  {title}", "Summary of the community conversation"]),
        ("f3", BY_NAME["roster"].load(), ["[red]Not red[/red] [/]", "odd-gh", "SESSION ROSTER"]),
        ("f4", BY_NAME["ballots"].load(), ["[red]Not red[/red] [/]", "[link]"]),
        ("f5", BY_NAME["meter"].load(), [f"{title}\n", "Non-binding: +1"]),
        ("f6", BY_NAME["export"].load(), [f"[RESULT][VOTE] {title}", "- [red]Not red[/red] [/] (binding)"]),
        ("f7", BY_NAME["log"].load(), ["added [red]Not red[/red] [/] (odd)", "[/b] guest"]),
        ("question_mark", HelpScreen, ["Keys: log screen", title]),
        ("escape", BY_NAME["log"].load(), ["added [red]Not red[/red] [/] (odd)"]),
        ("f1", SessionsScreen, [title, "[bad].toml"]),
    ]
    app = app_for(isolated_data_dir)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        for key, screen, shown in expected:
            if key:
                await pilot.press(key)
            await settle(pilot)
            text = screen_text(app)
            assert isinstance(app.screen, screen), (key, app.screen)
            missing = [s for s in shown if s not in text]
            assert not missing, f"after {key!r}: {missing} not on screen:\n{text}"
        assert len(Store(isolated_data_dir).list_sessions()) == 2


async def test_a_read_only_instance_follows_what_the_holder_records(isolated_data_dir: Path) -> None:
    """A second instance, e.g. on the projector, shows the ballots the first one records."""
    from tests.app_helpers import settle
    from tvm_vote_tui.app.app import READ_ONLY_CHECK

    store, path = demo_store(isolated_data_dir, sample_session(ballots=0))
    holder = OpenSession.open(store, path)
    try:
        app = app_for(isolated_data_dir, open_path=path)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            assert app.meeting.current is not None and app.meeting.current.read_only
            meter = app.screen.query_one(ThresholdMeter)
            assert meter.data is not None and meter.data.tally.binding.plus == 0
            holder.session.record("ada", parse_vote("+1"), at=NOW)
            holder.session.record("baonguyen", parse_vote("-1"), at=NOW)
            await pilot.pause(READ_ONLY_CHECK * 1.5)
            await settle(pilot)
            assert meter.data.tally.binding.as_dict() == {"plus": 1, "zero": 0, "minus": 1}
            assert str(app.screen.query_one("#ballots", BallotTable).row("ada")[1]) == "+1"
    finally:
        holder.close()


async def test_home_and_end_on_the_log_go_to_the_first_and_last_entry(isolated_data_dir: Path) -> None:
    """At 80 columns the log is wider than the screen: End went sideways and the rows looked empty."""
    async with running(isolated_data_dir, size=(80, 24)) as r:
        await r.press("f7")
        table = r.app.screen.query_one("#log", DataTable)
        assert table.row_count > 3 and table.max_scroll_x > 0
        await r.press("home")
        assert (table.cursor_row, table.scroll_x) == (0, 0)
        await r.press("end")
        assert (table.cursor_row, table.scroll_x) == (table.row_count - 1, 0)
