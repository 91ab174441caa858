"""Child process for the concurrent-reader test: records ballots through the real store, folding
the journal into the TOML file often, and acknowledges each ballot once `record` returned."""

from __future__ import annotations

import sys
from pathlib import Path

from tvm_vote_tui.domain.votes import parse_vote
from tvm_vote_tui.store.sessions import OpenSession, Store

PLUS = parse_vote("+1")


def main(data_dir: str, session_path: str, count: str, fold_every: str) -> None:
    opened = OpenSession.open(Store(Path(data_dir)), Path(session_path))
    assert not opened.read_only
    for i in range(int(count)):
        opened.session.record(f"voter-{i}", PLUS)
        print(f"ack voter-{i}", flush=True)  # only after record returned: the ballot is on disk
        if i % int(fold_every) == int(fold_every) - 1:
            opened.compact()
    opened.close()
    print("done", flush=True)


if __name__ == "__main__":
    main(*sys.argv[1:5])
