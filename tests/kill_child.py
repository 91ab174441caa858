"""Child process for the kill test: records ballots through the real store, acknowledging each."""

from __future__ import annotations

import sys
from pathlib import Path

from tvm_vote_tui.domain.votes import parse_vote
from tvm_vote_tui.store.sessions import OpenSession, Store


def main(data_dir: str, session_path: str) -> None:
    opened = OpenSession.open(Store(Path(data_dir)), Path(session_path))
    assert not opened.read_only, "the previous child's lock was not released by its death"
    start = len(opened.session.ballots)
    for i in range(start, start + 100_000):
        opened.session.record(f"voter-{i}", parse_vote("+1" if i % 3 else "-1"), note="x" * (i % 7))
        if i % 50 == 49:
            opened.compact()  # kills also land while the journal is folded into the TOML file
        print(f"ack voter-{i}", flush=True)  # only after the save returned: the ballot is durable


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
