"""Readers never miss acknowledged ballots: a reader in another process, reading in a loop while a
writer records and folds the journal into the TOML file, always sees every ballot acknowledged
before its read started, and never a torn state."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from pathlib import Path

from tests.factories import roster, session
from tvm_vote_tui.store.sessions import Store, load

ROOT = Path(__file__).resolve().parent.parent
BALLOTS = 500
FOLD_EVERY = 5


def _writer(data_dir: Path, path: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "tests.fold_child", str(data_dir), str(path), str(BALLOTS), str(FOLD_EVERY)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )


class Acks:
    """The ballots the writer has acknowledged so far, read from its output in a thread."""

    def __init__(self, child: subprocess.Popen[str]) -> None:
        self.count = 0
        self.done = threading.Event()
        self._thread = threading.Thread(target=self._read, args=(child,), daemon=True)
        self._thread.start()

    def _read(self, child: subprocess.Popen[str]) -> None:
        assert child.stdout is not None
        for line in child.stdout:
            if line.startswith("ack "):
                self.count += 1
        self.done.set()


def _check_prefix(voters: list[str], acked: int, how: str) -> None:
    """Ballots are voter-0, voter-1, ... in order: anything else is a torn or grafted state."""
    assert voters == [f"voter-{i}" for i in range(len(voters))], f"{how}: not a prefix of what was recorded"
    assert len(voters) >= acked, f"{how}: {acked} acknowledged before the read, only {len(voters)} read"


def test_a_reader_in_a_loop_never_misses_an_acknowledged_ballot(isolated_data_dir: Path) -> None:
    store = Store(isolated_data_dir)
    path = store.create(session(members=roster(3)))
    child = _writer(isolated_data_dir, path)
    acks = Acks(child)
    reads = cli_reads = 0
    while not acks.done.is_set():
        acked = acks.count  # acknowledged before this read started
        if reads % 10 == 9:
            run = subprocess.run(
                [sys.executable, "-m", "tvm_vote_tui", "tally", str(path), "--json"],
                capture_output=True,
                text=True,
                cwd=ROOT,
            )
            assert run.returncode == 0 and not run.stderr, run.stderr
            counts = json.loads(run.stdout)["non_binding"]
            assert sum(counts.values()) >= acked, f"tally --json read {counts} after {acked} acknowledged"
            cli_reads += 1
        else:
            loaded = load(path)
            assert not loaded.unapplied, loaded.unapplied
            s = loaded.session
            _check_prefix([b.voter for b in s.ballots], acked, f"read {reads}")
            assert [e.action for e in s.log].count("ballot") == len(s.ballots)
        reads += 1
    assert child.wait(timeout=60) == 0, child.stderr.read() if child.stderr else ""
    assert acks.count == BALLOTS and reads >= 20 and cli_reads >= 2, (acks.count, reads, cli_reads)
    _check_prefix([b.voter for b in load(path).session.ballots], BALLOTS, "after the writer")
