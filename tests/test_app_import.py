"""The import screen: paste a thread, review the proposals, record them as one undoable change."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import DataTable, Input, TextArea

from tests.app_helpers import running
from tvm_vote_tui.app.screens.import_thread import ImportThreadScreen
from tvm_vote_tui.app.widgets.ballot_form import BallotForm
from tvm_vote_tui.demo import sample_session

THREAD = (Path(__file__).parent / "threads" / "github_ffi.md").read_text()


async def test_paste_review_edit_record_and_undo(isolated_data_dir: Path) -> None:
    async with running(isolated_data_dir, sample_session(ballots=0), size=(120, 40)) as r:
        app, pilot, path = r.app, r.pilot, r.path
        store = r.store
        await pilot.press("f9")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ImportThreadScreen)
        screen.query_one("#thread-text", TextArea).text = THREAD
        await pilot.press("ctrl+r")
        await pilot.pause()
        table = screen.query_one("#proposals", DataTable)
        assert table.row_count == 12 and table.has_focus
        # Only the clear ones, by default; the app's clock reads Nov 25, so noor's Nov 27 is flagged.
        assert sum(row.accepted for row in screen.rows) == 5
        noor = next(row.proposed for row in screen.rows if row.proposed.voter == "noor")
        assert any("dated in the future" in reason for reason in noor.why)
        assert store.load(path).ballots == []  # nothing recorded yet
        # Accept kofi's conditional +1 after reading it, drop elif's mixed message.
        voters = [row.proposed.voter for row in screen.rows]
        table.move_cursor(row=voters.index("kofi"))
        await pilot.press("space")
        table.move_cursor(row=voters.index("elif"))
        await pilot.press("x")
        # The unknown author turns out to be Olu on another account: edit the row.
        voters = [row.proposed.voter for row in screen.rows]
        table.move_cursor(row=voters.index("newcontributor42"))
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, BallotForm)
        app.screen.query_one("#voter", Input).value = "olu"
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause()
        saved = store.load(path)
        assert {b.voter for b in saved.ballots} == {
            "ada",
            "chenwei",
            "dorlov",
            "jiali",
            "farah",
            "kofi",
            "olu",
        }
        assert all(b.source == "thread" and "from thread" in b.note for b in saved.ballots)
        assert [e.action for e in saved.log].count("import") == 1
        assert "elif" not in {b.voter for b in saved.ballots}
        assert len(screen.rows) == 4  # what was not recorded stays for review
        await pilot.press("ctrl+z")  # one undo step takes the whole import back
        await pilot.pause()
        assert store.load(path).ballots == []


async def test_bad_thread_input_is_explained(isolated_data_dir: Path, tmp_path: Path) -> None:
    async with running(isolated_data_dir, sample_session(ballots=0), size=(100, 30)) as r:
        app, pilot, _path = r.app, r.pilot, r.path
        await pilot.press("f9")
        await pilot.pause()
        screen = app.screen
        screen.query_one("#thread-path", Input).value = str(tmp_path / "missing.txt")
        await pilot.press("enter")
        await pilot.pause()
        assert "no such file" in str(screen.query_one("#thread-summary").render())
        screen.query_one("#thread-path", Input).value = ""
        screen.query_one("#thread-text", TextArea).text = "hello\nworld"
        await pilot.press("ctrl+r")
        await pilot.pause()
        assert "no messages found" in str(screen.query_one("#thread-summary").render())
