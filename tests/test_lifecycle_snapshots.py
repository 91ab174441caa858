"""What a draft looks like (proposal, the opening dialog, ballots, meter) and the mail files on
the export screen, at 80x24 and 120x40. Review a changed picture before `--snapshot-update`."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, Tabs

from tests.app_helpers import app_for, demo_store, settle
from tests.test_app_lifecycle import ISSUE, sample_draft
from tvm_vote_tui.demo import sample_session


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
