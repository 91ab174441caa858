"""What the import screen (F9) looks like with a read thread, at 80x24 (a supported size: the "Why"
column wraps and the detail line says it all) and 120x40. Review a changed picture before
`--snapshot-update`."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import TextArea

from tests.app_helpers import app_for, demo_store, settle
from tests.factories import with_handles
from tvm_vote_tui.demo import sample_session

THREADS = Path(__file__).parent / "threads"


def read_thread(name: str, *keys: str):
    async def run(pilot: Pilot[None]) -> None:
        await settle(pilot)
        await pilot.press("f9")
        await settle(pilot)
        pilot.app.screen.query_one("#thread-text", TextArea).text = (THREADS / name).read_text()
        await pilot.press("ctrl+r", *keys)
        await settle(pilot)

    return run


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
@pytest.mark.parametrize(
    ("thread", "keys"),
    [
        pytest.param("github_forged.md", ("down",), id="forged-page"),  # the cursor on a long reason
        pytest.param("dev_release.mbox", ("down", "down", "down"), id="release-mail"),  # a spoofed sender
    ],
)
def test_import_screen(
    thread: str, keys: tuple[str, ...], size: tuple[int, int], snap_compare, isolated_data_dir: Path
) -> None:
    # The page's authors are GitHub logins: the roster knows each member's handle. The mail is read
    # against the demo roster as it is (addresses).
    session = (
        with_handles(sample_session(ballots=3)) if thread.startswith("github") else sample_session(ballots=3)
    )
    _, path = demo_store(isolated_data_dir, session)
    app = app_for(isolated_data_dir, open_path=path)
    assert snap_compare(app, run_before=read_thread(thread, *keys), terminal_size=size)
