"""What every screen looks like at 80x24 (a supported size) and larger, from the real app on the
sample vote. Review a changed picture before `--snapshot-update`."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Input

from tests.app_helpers import NOW, app_for, demo_store, settle
from tvm_vote_tui.demo import sample_session

ROSTER_CSV = (
    "id,name,email,github,binding\nzoe,Zoë Müller,zoe@apache.org,zmuller,yes\nada,Ada Again,,,\nbad id,,,,\n"
)


@pytest.fixture
def in_tmp_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The test's own folder as the current one: paths the pictures show are typed relative to
    it (as `tvm-vote-tui --data-dir data` or a file name in the import dialog would be), so they
    read the same on every machine and in parallel runs."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


async def type_roster_file(pilot: Pilot[None]) -> None:
    """Give the import dialog a CSV in the current folder, by its name."""
    Path("people.csv").write_text(ROSTER_CSV)
    pilot.app.screen.query_one("#path", Input).value = "people.csv"


# name: keys to press after the sample vote is open on the ballot screen (a callable runs in between)
SCREENS: dict[str, list[object]] = {
    "ballots": [],
    "ballots_after_votes": ["down", "down", "minus", "down", "plus", "up", "0"],
    "ballots_jump_miss": [*"lenx"],
    "meter": ["f5"],
    "proposal": ["f2"],
    "announcement": ["f2", "ctrl+o"],
    "roster": ["f3"],
    "roster_import": ["f3", "i", type_roster_file, "enter"],
    "sessions": ["f1"],
    "export": ["f6"],
    "log": ["f7"],
    "help": ["question_mark"],
    "close_early": ["f8"],
    "roster_flag_asks": ["f3", "space"],
    "guest_choice": ["ctrl+n", *"Ada", "enter"],
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
def test_screen(
    name: str, size: tuple[int, int], snap_compare, isolated_data_dir: Path, in_tmp_path: Path
) -> None:
    _, path = demo_store(isolated_data_dir)
    app = app_for(isolated_data_dir, open_path=path)
    assert snap_compare(app, run_before=lambda pilot: press_all(pilot, SCREENS[name]), terminal_size=size)


def test_first_run(snap_compare, in_tmp_path: Path) -> None:
    """The welcome names the data dir: `data`, in the test's own folder (not there yet)."""
    assert snap_compare(app_for(Path("data")), run_before=settle, terminal_size=(80, 24))


def test_veto_prompt_wide(snap_compare, isolated_data_dir: Path) -> None:
    session = sample_session()
    session.set_rule("consensus", NOW)
    _, path = demo_store(isolated_data_dir, session)
    app = app_for(isolated_data_dir, open_path=path)
    assert snap_compare(
        app, run_before=lambda pilot: press_all(pilot, [*"gus", "minus"]), terminal_size=(120, 36)
    )


def test_no_picture_holds_a_path_of_the_machine_that_made_it() -> None:
    """A temporary or home folder in a picture fails on the next machine (another TMPDIR) and
    collides between runs in parallel."""
    import tempfile

    machine = [tempfile.gettempdir(), "/tmp/", "pytest-of-", str(Path.home()), str(Path.cwd())]
    for svg in sorted((Path(__file__).parent / "__snapshots__").rglob("*.svg")):
        text = svg.read_text(encoding="utf-8")
        assert not [m for m in machine if m in text], svg.name
