"""Regenerate screenshots/*.svg from the real app on the sample vote: `python scripts/screenshots.py`."""

from __future__ import annotations

import asyncio
import sys
import tempfile
from pathlib import Path

import pendulum
from textual.pilot import Pilot

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tvm_vote_tui.app.app import make_app  # noqa: E402
from tvm_vote_tui.demo import OPENS_AT, roster, sample_session  # noqa: E402
from tvm_vote_tui.domain import times  # noqa: E402
from tvm_vote_tui.store.sessions import Store  # noqa: E402

SIZE = (100, 30)
NOW = OPENS_AT.add(days=1, hours=2, minutes=3, seconds=4)
SHOTS = {
    "sessions": ["f1"],
    "proposal": ["f2"],
    "announcement": ["f2", "ctrl+o"],
    "roster": ["f3"],
    "ballots": ["f4", *"lena"],
    "meter": ["f5"],
    "export": ["f6"],
    "log": ["f7"],
    "import": ["f9", "paste-thread", "ctrl+r"],
    "help": ["f4", "question_mark"],
}


async def idle(pilot: Pilot[None]) -> None:
    """Wait, as a user would, until files are read and their results shown."""
    for _ in range(3):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()


async def shoot(name: str, keys: list[str], out: Path) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(Path(tmp))
        store.save_roster(roster())
        path = store.create(sample_session())
        app = make_app(store, clock=lambda: NOW, open_path=path)
        async with app.run_test(size=SIZE) as pilot:
            await idle(pilot)
            for key in keys:
                if key == "paste-thread":  # what a manager pastes from the GitHub issue
                    from textual.widgets import TextArea

                    thread = ROOT / "tests" / "threads" / "github_ffi.md"
                    app.screen.query_one("#thread-text", TextArea).text = thread.read_text()
                    continue
                await pilot.press(key)
                await idle(pilot)
            await pilot.pause(0.2)
            app.save_screenshot(filename=f"{name}.svg", path=str(out))


def main() -> None:
    times.get_local_timezone = lambda: pendulum.UTC  # type: ignore[assignment]  # same pictures everywhere
    out = ROOT / "screenshots"
    out.mkdir(exist_ok=True)
    for name, keys in SHOTS.items():
        asyncio.run(shoot(name, keys, out))
        print(f"screenshots/{name}.svg")


if __name__ == "__main__":
    main()
