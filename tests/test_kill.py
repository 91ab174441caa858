"""Nothing lost: SIGKILL a process recording ballots at random moments, 50 times.

A killed process leaves the page cache behind, so this shows that no file is ever torn (the
journal, the fold), not that the fsync is there: it would pass without one. That the fsync
comes before a change is acknowledged is tests/test_durable_order.py's."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

from tests.factories import roster, session
from tvm_vote_tui.store.sessions import Store

KILLS = 50
ROOT = Path(__file__).resolve().parent.parent


def test_sigkill_never_loses_an_acknowledged_ballot(isolated_data_dir: Path) -> None:
    store = Store(isolated_data_dir)
    path = store.create(session(members=roster(5)))
    rng = random.Random(20261125)
    acknowledged: list[str] = []
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    for _ in range(KILLS):
        child = subprocess.Popen(
            [sys.executable, "-m", "tests.kill_child", str(isolated_data_dir), str(path)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            cwd=ROOT,
            env=env,
        )
        assert child.stdout is not None
        first = child.stdout.readline()  # wait until it is recording, then kill at a random moment
        assert first.startswith("ack "), child.stderr.read() if child.stderr else first
        acknowledged.append(first.split()[1])
        time.sleep(rng.uniform(0, 0.08))
        child.send_signal(signal.SIGKILL)
        out, _ = child.communicate()
        acknowledged += [line.split()[1] for line in out.splitlines() if line.startswith("ack ")]
        saved = store.load(path)  # parses, and holds every acknowledged ballot
        voters = {b.voter for b in saved.ballots}
        missing = [v for v in acknowledged if v not in voters]
        assert not missing, f"acknowledged but lost: {missing[:5]}"
        assert [e.action for e in saved.log].count("ballot") == len(saved.ballots)
    assert len(acknowledged) > KILLS
