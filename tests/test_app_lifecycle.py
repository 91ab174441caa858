"""A vote's life in the app: a draft refuses ballots and says DRAFT; F2 `o` (or the palette) opens
it, posted elsewhere or now; the header says when it opened; F6 offers the mail files; copying
says which way it went."""

from __future__ import annotations

import stat
from datetime import timedelta
from pathlib import Path

import pytest
from textual.screen import ModalScreen
from textual.widgets import DataTable, Input, RadioSet, Static, Tabs

from tests.app_helpers import NOW, running, settle
from tvm_vote_tui.app.screens.open_vote import OpenVoteDialog
from tvm_vote_tui.app.screens.proposal import ProposalScreen
from tvm_vote_tui.app.widgets.meter import ThresholdMeter
from tvm_vote_tui.demo import OPENS_AT, proposal, roster
from tvm_vote_tui.domain.model import DRAFT_REFUSED, Session, Status
from tvm_vote_tui.store.sessions import Store

ISSUE = "https://github.com/apache/tvm/issues/18013"


def sample_draft(window: timedelta = timedelta(days=7)) -> Session:
    """The sample vote, not yet opened."""
    session = Session.new(proposal(), roster(), at=OPENS_AT)
    if window != session.proposal.window:
        session.set_window_length(window, OPENS_AT)
    return session


def said(app: object) -> list[str]:
    return [n.message for n in app._notifications]  # type: ignore[attr-defined]


def meter_text(app: object) -> str:
    meter = app.screen.query_one(ThresholdMeter)  # type: ignore[attr-defined]
    return str(meter.render())


async def test_a_draft_says_draft_and_refuses_every_ballot_key(isolated_data_dir: Path) -> None:
    async with running(isolated_data_dir, sample_draft()) as r:
        assert r.app.sub_title.endswith("· draft")
        text = meter_text(r.app)
        assert text.startswith(" DRAFT ") and "Runs 7 days once opened." in text
        assert "DRAFT: not open yet, so no ballots" in str(r.app.screen.query_one("#banner").render())
        for key in ("plus", "0", "minus", "delete", "enter", "ctrl+n"):
            r.app.clear_notifications()
            r.app._last_notice_until = 0.0  # the same words again are said again, not stacked
            await r.press(key)
            assert said(r.app) == [DRAFT_REFUSED], key
        assert r.saved().ballots == [] and len(r.saved().log) == 1
        await r.press("f8")  # nothing to close: it has not opened
        assert not isinstance(r.app.screen, ModalScreen) and r.saved().is_draft
        assert "there is nothing to close (F2, o opens it)" in said(r.app)[-1]
        await r.press("f5")
        assert str(r.app.screen.query_one("#big-status", Static).render()).strip() == "DRAFT"
        await r.press("f1")
        cells = [str(c) for c in r.app.screen.query_one("#sessions", DataTable).get_row_at(0)]
        assert cells[2].endswith("· draft") and cells[3] == "draft, window +7d"


async def test_the_draft_window_is_a_length_warned_about_under_72_hours(isolated_data_dir: Path) -> None:
    async with running(isolated_data_dir, sample_draft(), screen="proposal") as r:
        screen = r.app.screen
        assert isinstance(screen, ProposalScreen)
        assert screen.query_one("#draft-window").display and not screen.query_one("#opened-window").display
        field = screen.query_one("#window-length", Input)
        assert field.value == "+7d"
        field.value = "2d"
        await settle(r.pilot)
        assert "Shorter than 72 hours" in str(screen.query_one("#window-warning", Static).render())
        await r.press("ctrl+s")
        assert r.saved().proposal.window == timedelta(days=2) and field.value == "+2d"
        assert r.saved().log[-1].detail == "window: +7d -> +2d"
        screen.query_one("#mailing-list", Input).value = "dev@tvm.apache.org\nBcc: x@y.z"
        await r.press("ctrl+s")
        assert "Not saved: not a mail address" in str(screen.query_one("#list-error", Static).render())
        screen.query_one("#mailing-list", Input).value = "private@tvm.apache.org"
        await r.press("ctrl+s")
        assert r.saved().proposal.mailing_list == "private@tvm.apache.org"


async def test_o_opens_it_posted_elsewhere_from_when_it_was_posted(isolated_data_dir: Path) -> None:
    async with running(isolated_data_dir, sample_draft(), screen="proposal") as r:
        await r.press("o")
        dialog = r.app.screen
        assert isinstance(dialog, OpenVoteDialog)
        dialog.query_one("#where", Input).value = "https://example.com/not-a-vote"
        await r.press("ctrl+s")
        assert "neither a GitHub issue nor a dev@ thread" in str(dialog.query_one("#error", Static).render())
        dialog.query_one("#where", Input).value = ISSUE
        dialog.query_one("#posted", Input).value = "2026-11-25 09:30"
        await settle(r.pilot)
        assert "ballots count until 2026-12-02 09:30" in str(dialog.query_one("#closes", Static).render())
        await r.press("ctrl+s")
        saved = r.saved()
        assert saved.status is Status.OPEN and saved.proposal.thread == "apache/tvm#18013"
        assert saved.opened_window == (
            OPENS_AT.add(hours=16, minutes=30),
            OPENS_AT.add(days=7, hours=16, minutes=30),
        )
        assert saved.post("vote").number == 18013
        assert (
            saved.log[-1].action == "open"
            and "posted elsewhere: GitHub issue apache/tvm#18013" in saved.log[-1].detail
        )
        assert r.app.sub_title.endswith("· opened 2026-11-25 09:30")
        screen = r.app.screen
        assert isinstance(screen, ProposalScreen) and screen.query_one("#opened-window").display
        assert screen.query_one("#opens", Input).value == "2026-11-25 09:30 +00:00"
        assert "o" not in screen.active_bindings  # only a draft opens
        await r.press("f4", "plus")
        assert [b.voter for b in r.saved().ballots] == ["ada"]


async def test_the_palette_opens_it_now_and_escape_leaves_it_a_draft(isolated_data_dir: Path) -> None:
    async with running(isolated_data_dir, sample_draft()) as r:
        r.app.action_open_vote()
        await settle(r.pilot)
        assert isinstance(r.app.screen, OpenVoteDialog)
        await r.press("escape")
        assert isinstance(r.app.screen, ProposalScreen) and r.saved().is_draft
        await r.press("o")
        await r.press("down", "enter")
        assert r.app.screen.query_one("#ways", RadioSet).pressed_index == 1
        await r.press("ctrl+s")
        saved = r.saved()
        assert saved.opened_window == (NOW, NOW.add(days=7)) and saved.proposal.thread == ""
        assert saved.log[-1].detail.startswith("opened")
        assert ": now, called in a meeting; window" in saved.log[-1].detail
        r.app.action_open_vote()  # an open vote does not open again
        await settle(r.pilot)
        assert isinstance(r.app.screen, ProposalScreen)
        assert "The vote is already open: only a draft opens." in said(r.app)


def fake_clipboard(folder: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder.mkdir()
    script = folder / "xclip"
    script.write_text('#!/bin/sh\n/bin/cat > "$0.out"\n')
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("PATH", str(folder))
    monkeypatch.setenv("DISPLAY", ":0")
    return folder / "xclip.out"


async def test_the_mail_files_on_f6_are_saved_copied_and_linked(
    isolated_data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    copied = fake_clipboard(tmp_path / "bin", monkeypatch)
    async with running(isolated_data_dir, screen="export") as r:
        tabs = r.app.screen.query_one("#formats", Tabs)
        tabs.active = "announce-mail"
        await settle(r.pilot)
        shown = str(r.app.screen.query_one("#export-text", Static).render())
        assert shown.startswith("To: dev@tvm.apache.org\nSubject: [VOTE] Establish the TVM FFI module\n")
        assert "Date: Wed, 25 Nov 2026 19:03:04 +0000" in shown
        await r.press("y")
        assert copied.read_text().startswith("To: dev@tvm.apache.org\n")
        assert any(m.startswith("Copied the [VOTE] mail with xclip") for m in said(r.app))
        await r.press("m")
        assert copied.read_text().startswith("mailto:dev@tvm.apache.org?subject=%5BVOTE%5D%20Establish")
        await r.press("s")
        target = tmp_path / "vote.eml"
        r.app.screen.query_one("#answer", Input).value = str(target)
        await r.press("enter")
        assert target.read_bytes().startswith(b"To: dev@tvm.apache.org\r\nSubject: [VOTE] Establish")
        tabs.active = "json"
        await settle(r.pilot)
        assert "m" not in r.app.screen.active_bindings


async def test_copying_without_a_clipboard_command_says_so_and_offers_a_file(
    isolated_data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    async with running(isolated_data_dir, screen="proposal") as r:
        await r.press("ctrl+y")
        words = [m for m in said(r.app) if "announcement" in m]
        assert words and "through the terminal only (OSC 52)" in words[-1]
        assert words[-1].endswith(
            "If nothing pastes, the export screen saves it to a file: F6, the [VOTE] text tab, s."
        )


async def test_a_restart_shows_the_vote_as_it_opened(isolated_data_dir: Path) -> None:
    store = Store(isolated_data_dir)
    draft = sample_draft()
    path = store.create(draft)
    async with running(isolated_data_dir, store.load(path), screen="proposal") as r:
        await r.press("o", "down", "enter", "ctrl+s")
    async with running(isolated_data_dir, r.saved()) as again:
        assert again.app.sub_title.endswith(f"· opened {NOW.format('YYYY-MM-DD HH:mm')}")
        assert meter_text(again.app).startswith(" FAILING ")


def test_the_meeting_refuses_a_ballot_or_an_import_on_a_draft_in_the_same_words(
    isolated_data_dir: Path,
) -> None:
    from tests.app_helpers import clock
    from tvm_vote_tui.app.controller import Meeting
    from tvm_vote_tui.domain.ballots import Ballot
    from tvm_vote_tui.domain.votes import PLUS_ONE

    store = Store(isolated_data_dir)
    meeting = Meeting(store, clock)
    meeting.open(store.create(sample_draft()))
    assert meeting.record("ada", PLUS_ONE).message == DRAFT_REFUSED  # exactly: no period added
    imported = meeting.import_ballots([Ballot("ada", PLUS_ONE, NOW)], "thread apache/tvm#1")
    assert (imported.ok, imported.message) == (False, DRAFT_REFUSED)
    meeting.release()
