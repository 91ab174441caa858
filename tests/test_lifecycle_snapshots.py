"""What a draft looks like (proposal, the opening dialog, ballots, meter) and the mail files on
the export screen, at 80x24 and 120x40. Review a changed picture before `--snapshot-update`."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, Tabs

from tests.app_helpers import app_for, demo_store, settle
from tests.test_app_lifecycle import ISSUE, sample_draft
from tvm_vote_tui.demo import OPENS_AT, sample_session
from tvm_vote_tui.domain.model import Session


async def fill_posted_elsewhere(pilot: Pilot[None]) -> None:
    pilot.app.screen.query_one("#where", Input).value = ISSUE
    pilot.app.screen.query_one("#posted", Input).value = "2026-11-25 09:30"


def show_tab(name: str):  # noqa: ANN201
    async def show(pilot: Pilot[None]) -> None:
        pilot.app.screen.query_one("#formats", Tabs).active = name

    return show


# name: (the sample vote as a draft?, keys to press once it is open on the ballot screen)
SCREENS: dict[str, tuple[bool, list[object]]] = {
    "draft_ballots": (True, []),
    "draft_meter": (True, ["f5"]),
    "draft_proposal": (True, ["f2"]),
    "open_dialog": (True, ["f2", "o", fill_posted_elsewhere]),
    "open_now_chosen": (True, ["f2", "o", "down", "enter"]),
    "vote_mail": (False, ["f6", show_tab("announce-mail")]),
}


async def press_all(pilot: Pilot[None], keys: list[object]) -> None:
    await settle(pilot)
    for key in keys:
        if callable(key):
            await key(pilot)
        else:
            await pilot.press(str(key))
        await settle(pilot)


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
@pytest.mark.parametrize("name", list(SCREENS))
def test_lifecycle_screen(name: str, size: tuple[int, int], snap_compare, isolated_data_dir: Path) -> None:
    draft, keys = SCREENS[name]
    session = sample_draft() if draft else sample_session()
    session.session_id = "0123456789abcdef"  # a mail's Message-ID shows it: the same in every run
    _, path = demo_store(isolated_data_dir, session)
    app = app_for(isolated_data_dir, open_path=path)
    assert snap_compare(app, run_before=lambda pilot: press_all(pilot, keys), terminal_size=size)


def closed_with_issue() -> Session:
    """The sample vote, opened as apache/tvm#18013 and closed: ready to publish."""
    session = sample_session()
    session.set_thread("https://github.com/apache/tvm/issues/18013", OPENS_AT)
    session.close(OPENS_AT.add(days=1), "every binding member has voted")
    return session


# name: (the session, keys to press once it is open on the ballot screen)
POSTING: dict[str, tuple[Callable[[], Session], list[object]]] = {
    "post_vote_chosen": (sample_draft, ["f2", "o", "down", "down", "enter"]),
    "post_vote_preview": (sample_draft, ["f2", "o", "down", "down", "enter", "ctrl+s"]),
    "publish_steps": (closed_with_issue, ["f6", "p"]),
    "publish_step_preview": (closed_with_issue, ["f6", "p", "ctrl+s"]),
}


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
@pytest.mark.parametrize("name", list(POSTING))
def test_posting_dialog(
    name: str, size: tuple[int, int], snap_compare, isolated_data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GITHUB_TOKEN", "ghp_SNAPSHOT0123456789abcdefABCDEF0123456")  # shown nowhere
    make, keys = POSTING[name]
    session = make()
    session.session_id = "0123456789abcdef"  # the marker shows it: the same in every run
    _, path = demo_store(isolated_data_dir, session)
    app = app_for(isolated_data_dir, open_path=path)
    assert snap_compare(app, run_before=lambda pilot: press_posting(pilot, keys), terminal_size=size)


async def press_posting(pilot: Pilot[None], keys: list[object]) -> None:
    """As press_all, without waiting for the posting worker (it waits on the dialog shown)."""
    await settle(pilot)
    for key in keys:
        await pilot.press(str(key))
        for _ in range(5):
            for worker in [w for w in pilot.app.workers if w.group != "posting"]:
                await worker.wait()
            await pilot.pause()
