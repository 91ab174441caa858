"""Proposal drafting, the sessions list, help, the command palette and screen switching."""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

from textual.widgets import DataTable, Input, Select, Static, TabbedContent, TextArea

from tests.app_helpers import NOW, app_for, demo_store, running, settle
from tests.conftest import Zone
from tvm_vote_tui.app.screens.ballots import BallotsScreen
from tvm_vote_tui.app.screens.help import HelpScreen
from tvm_vote_tui.app.screens.meter import MeterScreen
from tvm_vote_tui.app.screens.proposal import ProposalScreen
from tvm_vote_tui.app.screens.rule_picker import RulePicker
from tvm_vote_tui.app.screens.sessions import SessionsScreen
from tvm_vote_tui.app.widgets.ballot_table import BallotTable
from tvm_vote_tui.app.widgets.meter import ThresholdMeter
from tvm_vote_tui.app.widgets.modals import ConfirmModal, TextPrompt
from tvm_vote_tui.demo import OPENS_AT


def text_of(screen, selector: str) -> str:
    return str(screen.query_one(selector, Static).render())


async def test_kind_sets_default_rule_and_rule_description_follows(isolated_data_dir: Path) -> None:
    async with running(isolated_data_dir, size=(80, 24)) as r:
        app, pilot, path = r.app, r.pilot, r.path
        store = r.store
        await pilot.press("f2")
        await pilot.pause()
        assert isinstance(app.screen, ProposalScreen)
        app.screen.query_one("#kind", Select).value = "release"
        await pilot.pause()
        assert app.screen.query_one("#rule", Select).value == "lazy-majority"
        assert "more binding +1 than -1" in text_of(app.screen, "#rule-help")
        saved = store.load(path).proposal
        assert (saved.kind.value, saved.rule) == ("release", "lazy-majority")
        app.screen.query_one("#rule", Select).value = "lazy-two-thirds-literal"
        await settle(pilot)
        assert isinstance(app.screen, ConfirmModal)  # the vote has ballots: the rule change asks first
        await pilot.press("n")
        await settle(pilot)
        assert app.screen.query_one("#rule", Select).value == "lazy-majority"
        assert store.load(path).proposal.rule == "lazy-majority"
        app.screen.query_one("#rule", Select).value = "lazy-two-thirds-literal"
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        assert "literal reading" in text_of(app.screen, "#rule-help")
        assert store.load(path).proposal.rule == "lazy-two-thirds-literal"


async def test_window_input_natural_short_warning_and_errors(isolated_data_dir: Path, zone: Zone) -> None:
    """In any local zone, across a daylight saving change too (see tests/conftest.py Zone)."""
    now = NOW + zone.shift
    async with running(isolated_data_dir, size=(80, 24), shift=zone.shift) as r:
        app, pilot, path = r.app, r.pilot, r.path
        store = r.store
        await pilot.press("f2")
        await pilot.pause()
        screen = app.screen
        assert screen.query_one("#opens", Input).value == zone.opens  # as the zone writes it
        assert screen.query_one("#closes", Input).value == zone.closes
        screen.query_one("#opens", Input).value = "now"
        screen.query_one("#closes", Input).value = "+48h"
        await pilot.pause()
        assert "Shorter than 72 hours" in text_of(screen, "#window-warning")
        assert "in 2 days" in text_of(screen, "#window")
        screen.query_one("#closes", Input).focus()
        await pilot.press("enter")
        await pilot.pause()
        saved = store.load(path).proposal
        assert saved.opens_at == now and saved.closes_at == now + timedelta(hours=48)
        screen.query_one("#closes", Input).value = "next tuesday-ish"
        await pilot.pause()
        assert "+7d" in text_of(screen, "#time-error")
        await pilot.press("enter")
        assert store.load(path).proposal.closes_at == now + timedelta(hours=48)  # bad input changes nothing
        screen.query_one("#closes", Input).value = "+7d"
        await pilot.press("enter")
        await pilot.pause()
        assert text_of(screen, "#window-warning") == ""
        assert "in 7 days" in text_of(screen, "#window")
        # The sample week typed back as the zone writes it, without the offset, closing at +7d:
        # 168 hours, which across a daylight saving change ends an hour off on the wall clock.
        screen.query_one("#opens", Input).value = zone.opens[:16]
        screen.query_one("#closes", Input).value = "+7d"
        await pilot.press("enter")
        await pilot.pause()
        assert screen.query_one("#opens", Input).value == zone.opens
        assert screen.query_one("#closes", Input).value == zone.closes
        saved = store.load(path).proposal
        assert saved.opens_at == OPENS_AT + zone.shift
        opens, closes = saved.opens_at, saved.closes_at
        assert opens is not None and closes is not None and closes - opens == timedelta(days=7)


async def test_links_are_checked_and_title_is_required(isolated_data_dir: Path) -> None:
    async with running(isolated_data_dir, size=(80, 24)) as r:
        app, pilot, path = r.app, r.pilot, r.path
        store = r.store
        await pilot.press("f2")
        await pilot.pause()
        screen = app.screen
        screen.query_one("#links", TextArea).text = "https://ok.example/a\nnot a link"
        await pilot.pause()
        assert "not a link" in text_of(screen, "#links-error")
        screen.query_one("#title", Input).value = "   "
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "required" in text_of(screen, "#title-error")
        saved = store.load(path).proposal
        assert saved.title == "Establish the TVM FFI module"
        assert len(saved.links) == 2 and "not a link" not in saved.links


async def test_announcement_preview_and_copy(isolated_data_dir: Path) -> None:
    async with running(isolated_data_dir, size=(80, 24)) as r:
        app, pilot, _path = r.app, r.pilot, r.path
        await pilot.press("f2")
        await pilot.pause()
        await pilot.press("ctrl+o")
        await pilot.pause()
        assert app.screen.query_one("#tabs", TabbedContent).active == "preview"
        preview = text_of(app.screen, "#announcement")
        assert preview.startswith("Subject: [VOTE] Establish the TVM FFI module")  # said apart
        assert "usual reading" in preview and "- [ ] +1" in preview
        await pilot.press("ctrl+y")
        await settle(pilot)  # the system clipboard is tried in a thread; then the app says how it went
        assert app.clipboard.startswith("Dear Apache TVM community,")  # the body, without the subject
        assert "Subject:" not in app.clipboard and app.clipboard.endswith("Thank you,\nThe Apache TVM PMC\n")
        assert any("its subject, not in the text: [VOTE] Establish" in n.message for n in app._notifications)


async def test_sessions_duplicate_delete_and_unreadable(isolated_data_dir: Path) -> None:
    store, path = demo_store(isolated_data_dir)
    broken = store.sessions_dir / "broken.toml"
    broken.write_text('schema_version = 1\n[proposal]\ntitle = "x"\nopens_at = 3\n')
    app = app_for(isolated_data_dir)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, SessionsScreen)
        table = screen.query_one("#sessions", DataTable)
        assert table.row_count == 2
        assert "broken.toml, line 4, field proposal.opens_at" in text_of(screen, "#problems")
        await pilot.press("d")
        await pilot.pause()
        assert table.row_count == 3
        titles = sorted(
            listing.session.proposal.title for listing in store.list_sessions() if listing.session
        )
        assert titles == ["Copy of Establish the TVM FFI module", "Establish the TVM FFI module"]
        copy = next(
            x.session for x in store.list_sessions() if x.session and "Copy of" in x.session.proposal.title
        )
        assert copy.ballots == [] and len(copy.roster) == 17
        table.move_cursor(row=2)
        await pilot.press("enter")  # the unreadable file: an error, not a crash
        await pilot.pause()
        assert isinstance(app.screen, SessionsScreen)
        table.move_cursor(row=0)
        await pilot.press("delete")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmModal)
        await pilot.press("y")
        await pilot.pause()
        assert len(store.session_paths()) == 2
        assert broken.read_text().endswith("opens_at = 3\n")


async def test_screens_switch_with_f_keys_and_need_a_session(isolated_data_dir: Path) -> None:
    _, path = demo_store(isolated_data_dir)
    app = app_for(isolated_data_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f4")
        assert isinstance(app.screen, SessionsScreen)  # nothing open yet
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, BallotsScreen)
        await pilot.press("f5")
        await pilot.pause()
        assert isinstance(app.screen, MeterScreen)
        assert text_of(app.screen, "#big-status").strip() == "PASSING"  # open, and passing so far
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, SessionsScreen)


async def test_help_lists_the_keys_of_the_current_screen(isolated_data_dir: Path) -> None:
    async with running(isolated_data_dir, size=(100, 40)) as r:
        app, pilot, _path = r.app, r.pilot, r.path
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        text = "\n".join(f"{k} {v}" for k, v in app.screen.lines)
        assert "Withdraw" in text and "Undo" in text and "part of a name" in text and "Ballots" in text
        for what in ("Close/reopen", "Import", "Quit", "Help"):  # the last keys of the screen too
            assert what in text
        await pilot.press("escape")
        assert isinstance(app.screen, BallotsScreen)


async def test_command_palette_lists_every_action_and_changes_rule(isolated_data_dir: Path) -> None:
    async with running(isolated_data_dir, size=(80, 24)) as r:
        app, pilot, path = r.app, r.pilot, r.path
        store = r.store
        titles = [c.title for c in app.get_system_commands(app.screen)]
        for wanted in (
            "New session",
            "Open session",
            "Change rule",
            "Copy the \\[VOTE] announcement",
            "Ballots (F4)",
            "Meter (F5)",
            "Close or reopen the vote (F8)",
        ):
            assert wanted in titles
        app.action_change_rule()
        await pilot.pause()
        assert isinstance(app.screen, RulePicker)
        await pilot.press("down", "enter")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmModal)  # ballots are already in: asks first
        await pilot.press("y")
        await settle(pilot)
        assert store.load(path).proposal.rule == "lazy-two-thirds-literal"
        assert store.load(path).log[-1].detail == "rule: 'lazy-two-thirds' -> 'lazy-two-thirds-literal'"
        assert isinstance(app.screen, BallotsScreen)


async def test_a_ballot_that_is_not_on_disk_never_looks_recorded(
    isolated_data_dir: Path, monkeypatch
) -> None:
    """Disk full: the row, the meter and the tally stay as on disk, and the screen says so plainly."""
    async with running(isolated_data_dir, size=(80, 24)) as r:
        app = r.app
        meter = app.screen.query_one(ThresholdMeter)
        before = meter.data.tally.binding

        def refuse(fd: int) -> None:
            raise OSError(28, "No space left on device")

        monkeypatch.setattr(os, "fsync", refuse)
        await r.press(*"bao", "plus")
        monkeypatch.undo()
        assert "NOT recorded" in app.sub_title
        assert any("NOT recorded" in n.message for n in app._notifications)
        assert "baonguyen" not in r.session.current_votes()
        assert meter.data.tally.binding == before
        row = app.screen.query_one("#ballots", BallotTable).row("baonguyen")
        assert str(row[1]) == "·"
        assert "baonguyen" not in r.saved().current_votes()
        await r.press(*"gus", "plus")
        assert "saved" in app.sub_title and "NOT" not in app.sub_title
        assert "gruiz" in r.saved().current_votes() and "baonguyen" not in r.saved().current_votes()


async def test_a_refused_rule_goes_back_in_its_field(isolated_data_dir: Path) -> None:
    from tests.app_helpers import running
    from tests.factories import session
    from tvm_vote_tui.domain.model import Kind

    async with running(
        isolated_data_dir, session(kind=Kind.RELEASE, rule="lazy-majority"), screen="proposal"
    ) as r:
        rule = r.app.screen.query_one("#rule", Select)
        rule.value = "consensus"  # a release cannot be vetoed
        await r.press("tab")
        assert r.saved().proposal.rule == "lazy-majority"
        assert rule.value == "lazy-majority"
        assert any("cannot be vetoed" in n.message for n in r.app._notifications)


async def test_tab_into_the_summary_puts_the_cursor_at_the_end_and_a_click_where_it_is(
    isolated_data_dir: Path,
) -> None:
    from tvm_vote_tui.app.widgets.text_box import TextBox

    async with running(isolated_data_dir, screen="proposal", size=(120, 40)) as r:
        summary = r.app.screen.query_one("#summary", TextBox)
        await r.press("tab", "tab", "tab", "tab")
        assert summary.has_focus and summary.cursor_location == summary.document.end
        await r.press("escape")
        await r.pilot.click(summary, offset=(3, 1))
        await settle(r.pilot)
        assert summary.has_focus and summary.cursor_location == (0, 1)


async def test_another_export_format_starts_at_its_top(isolated_data_dir: Path) -> None:
    async with running(isolated_data_dir, size=(80, 24), screen="export") as r:
        preview = r.app.screen.query_one("#export-preview")
        await r.press("end")
        assert preview.scroll_y > 0
        await r.press("right")  # Markdown
        assert preview.scroll_y == 0


async def test_a_rule_change_to_consensus_names_the_veto_it_makes_and_the_meter_says_it_lacks_a_justification(
    isolated_data_dir: Path,
) -> None:
    async with running(isolated_data_dir, size=(80, 24)) as r:
        app, pilot = r.app, r.pilot
        await r.press("f2")
        app.screen.query_one("#rule", Select).value = "consensus"
        await settle(pilot)
        assert isinstance(app.screen, ConfirmModal)
        question = app.screen.question
        assert "Change its rule to consensus? PASSING → VETOED: Elif Kaya's -1 becomes a veto" in question
        assert "(no justification recorded: a veto is not valid without one; enter on their row" in question
        await r.press("y")
        assert r.saved().proposal.rule == "consensus"
        await r.press("f4")
        meter = app.screen.query_one(ThresholdMeter)
        assert "Veto without a justification (Elif Kaya)" in str(meter.render())
        await r.press(*"elif", "enter")  # her ballot again, with the justification a veto needs
        await r.press("enter")
        assert isinstance(app.screen, TextPrompt)
        await r.press(*"maintenance cost", "enter")
        assert r.saved().current_votes()["elif"].justification == "maintenance cost"
        assert "Veto without a justification" not in str(app.screen.query_one(ThresholdMeter).render())
