"""80x24 and big screens, in the real app in a real terminal: every screen names its keys, the
sessions list tells votes apart, a read-only second instance fits and can take over, the meter
uses a big screen."""

from __future__ import annotations

from pathlib import Path

from tests.e2e.conftest import StartTui
from tvm_vote_tui.demo import sample_session
from tvm_vote_tui.store.sessions import Store


def sample(data_dir: Path) -> str:
    return Store(data_dir).create(sample_session()).stem


def test_every_screen_shows_the_keys_of_its_task_at_80x24(
    start_tui: StartTui, isolated_data_dir: Path
) -> None:
    tui = start_tui("open", sample(isolated_data_dir))
    screen = tui.wait_for("Ada Lindqvist")
    top, nav = screen.splitlines()[:2]
    assert top.rstrip().endswith("F8 Close vote  ? Help  ^q Quit"), top
    assert nav.strip() == "F1 Sessions F2 Proposal F3 Roster F4 Ballots F5 Meter F6 Export F7 Log F9 Import"
    footers = {
        "f4": "+ +1 0 0 - -1 del Withdraw ^n Guest vote ^z Undo",
        "f3": "a Add e Edit del Delete space Binding r Recused i Import / Filter ^z Undo",
        "f6": "←/→ Format s Save to file y Copy",
        "f2": "^o Preview [VOTE] ^y Copy [VOTE] ^s Save fields",
        "f1": "n New d Duplicate del Delete r Reload",
    }
    for key, footer in footers.items():
        tui.press(key)
        tui.wait_until(lambda s, f=footer: s.splitlines()[-1].strip() == f, f"the footer {footer!r}")
    tui.press("ctrl+q")
    assert tui.wait_exit() == 0
