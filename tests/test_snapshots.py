"""What every screen looks like at 80x24 (a supported size) and larger, from the real app on the
sample vote. Review a changed picture before `--snapshot-update`."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, TextArea

from tests.app_helpers import NOW, app_for, demo_store, settle
from tvm_vote_tui.demo import sample_session

THREAD = Path(__file__).parent / "threads" / "github_ffi.md"
ROSTER_CSV = (
    "id,name,email,github,binding\nzoe,Zoë Müller,zoe@apache.org,zmuller,yes\nada,Ada Again,,,\nbad id,,,,\n"
)


async def paste_thread(pilot: Pilot[None]) -> None:
    pilot.app.screen.query_one("#thread-text", TextArea).text = THREAD.read_text()


def import_csv(folder: Path) -> Callable[[Pilot[None]], object]:
    async def fill(pilot: Pilot[None]) -> None:
        csv = folder / "people.csv"
        csv.write_text(ROSTER_CSV)
        pilot.app.screen.query_one("#path", Input).value = str(csv)

    return fill


# name: keys to press after the sample vote is open on the ballot screen (a callable runs in between)
SCREENS: dict[str, list[object]] = {
    "ballots": [],
    "ballots_after_votes": ["down", "down", "minus", "down", "plus", "up", "0"],
    "ballots_jump_miss": [*"lenx"],
    "meter": ["f5"],
    "proposal": ["f2"],
    "announcement": ["f2", "ctrl+o"],
    "roster": ["f3"],
    "roster_import": ["f3", "i", "ROSTER", "enter"],
    "sessions": ["f1"],
    "export": ["f6"],
    "log": ["f7"],
    "help": ["question_mark"],
    "close_early": ["f8"],
    "roster_flag_asks": ["f3", "space"],
    "guest_choice": ["ctrl+n", *"Ada", "enter"],
}


async def press_all(pilot: Pilot[None], keys: list[object], folder: Path) -> None:
    await settle(pilot)
    for key in keys:
        if key == "ROSTER":
            await import_csv(folder)(pilot)  # type: ignore[misc]
        elif callable(key):
            await key(pilot)
        else:
            await pilot.press(str(key))
        await settle(pilot)


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
@pytest.mark.parametrize("name", list(SCREENS))
def test_screen(
    name: str, size: tuple[int, int], snap_compare, isolated_data_dir: Path, tmp_path: Path
) -> None:
    _, path = demo_store(isolated_data_dir)
    app = app_for(isolated_data_dir, open_path=path)
    folder = Path(tempfile.gettempdir()) / "tvm-vote-tui-snapshots"  # shown in pictures: a fixed path
    folder.mkdir(exist_ok=True)
    assert snap_compare(
        app, run_before=lambda pilot: press_all(pilot, SCREENS[name], folder), terminal_size=size
    )


def test_first_run(snap_compare) -> None:
    # The welcome shows the data dir, so it must be the same path on every run.
    data = Path(tempfile.gettempdir()) / "tvm-vote-tui-first-run-snapshot"
    shutil.rmtree(data, ignore_errors=True)
    assert snap_compare(app_for(data), run_before=settle, terminal_size=(80, 24))


def test_veto_prompt_wide(snap_compare, isolated_data_dir: Path) -> None:
    session = sample_session()
    session.set_rule("consensus", NOW)
    _, path = demo_store(isolated_data_dir, session)
    app = app_for(isolated_data_dir, open_path=path)
    assert snap_compare(
        app, run_before=lambda pilot: press_all(pilot, [*"gus", "minus"], Path()), terminal_size=(120, 36)
    )
