"""What the screens look like at 80x24, from the real app on the sample vote."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pytest

from tests.app_helpers import app_for, demo_store

SCREENS = {
    "ballots": [],
    "meter": ["f5"],
    "proposal": ["f2"],
    "roster": ["f3"],
    "sessions": ["f1"],
    "help": ["question_mark"],
    "ballots_after_votes": ["down", "down", "minus", "down", "plus", "up", "0"],
}


@pytest.mark.parametrize("name", list(SCREENS))
def test_screen(name: str, snap_compare, isolated_data_dir: Path) -> None:
    _, path = demo_store(isolated_data_dir)
    app = app_for(isolated_data_dir, open_path=path)
    assert snap_compare(app, press=["_", *SCREENS[name], "_"], terminal_size=(80, 24))


def test_first_run(snap_compare, tmp_path_factory: pytest.TempPathFactory) -> None:
    # The welcome shows the data dir, so it must be the same path on every run.
    data = Path(tempfile.gettempdir()) / "tvm-vote-tui-first-run-snapshot"
    shutil.rmtree(data, ignore_errors=True)
    assert snap_compare(app_for(data), press=["_"], terminal_size=(80, 24))


def test_veto_prompt_wide(snap_compare, isolated_data_dir: Path) -> None:
    from tvm_vote_tui.demo import sample_session

    session = sample_session()
    session.proposal.rule = "consensus"
    _, path = demo_store(isolated_data_dir, session)
    app = app_for(isolated_data_dir, open_path=path)
    assert snap_compare(app, press=["_", *"gus", "minus", "_"], terminal_size=(120, 36))
