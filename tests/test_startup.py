"""Starting the app imports only what its first screen needs (benchmarks/ times it).

pendulum alone costs about 30 ms of CPU, e-mail parsing 18 ms: a module that imports one of them
at its top, anywhere on the way to the sessions list, shows up here."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.factories import session
from tvm_vote_tui.store.sessions import Store
from tvm_vote_tui.store.summaries import read_summary, remember, scan

HEAVY = ("pendulum", "tomllib", "tomli_w", "email", "dateutil")

FIRST_SCREEN = """
import asyncio, json, sys
from pathlib import Path
from tvm_vote_tui import cli
cli.build_parser()
from tvm_vote_tui.app.app import make_app
from tvm_vote_tui.store.sessions import Store

async def main():
    app = make_app(Store(Path(sys.argv[1])))
    async with app.run_test(size=(80, 24)):
        rows = len(app.screen.listings)
        workers = len(app.workers)
    print(json.dumps({"rows": rows, "workers": workers,
                      "heavy": sorted(m for m in sys.argv[2].split(",") if m in sys.modules)}))

asyncio.run(main())
"""


def _run(code: str, *args: str) -> str:
    done = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


def test_the_command_line_and_the_app_import_nothing_heavy() -> None:
    code = (
        "import sys; from tvm_vote_tui import cli; cli.build_parser(); import tvm_vote_tui.app.app, "
        f"tvm_vote_tui.app.screens.sessions; print(sorted(m for m in {HEAVY!r} if m in sys.modules))"
    )
    assert _run(code).strip() == "[]"


def test_the_sessions_list_from_its_summaries_needs_no_parsing(tmp_path: Path) -> None:
    store = Store(tmp_path / "data")
    for i in range(3):
        store.create(session([("m0", "+1")], title=f"Vote {i}"))
    found = scan(store)
    remember(store, [read_summary(p) for p in found.changed], found.stamps)
    shown = json.loads(_run(FIRST_SCREEN, str(store.root), ",".join(HEAVY)))
    assert shown == {"rows": 3, "workers": 0, "heavy": []}
