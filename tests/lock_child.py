"""Child process for the lock tests: opens a session through the real store (on POSIX's branch of
store/platform.py, or on the Windows branch with tests/fake_msvcrt.py), says whether it holds
it, and waits to be killed."""

from __future__ import annotations

import sys
import time
from pathlib import Path

from tvm_vote_tui.store.sessions import OpenSession, Store


def main(system: str, data_dir: str, session_path: str) -> None:
    if system == "windows":
        from tests import fake_msvcrt
        from tvm_vote_tui.store import platform

        sys.modules["msvcrt"] = fake_msvcrt.module()
        platform.WINDOWS = True
    opened = OpenSession.open(Store(Path(data_dir)), Path(session_path))
    print("read-only" if opened.read_only else "held", flush=True)
    while True:
        time.sleep(60)


if __name__ == "__main__":
    main(*sys.argv[1:4])
