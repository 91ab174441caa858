"""Child process for the start-up benchmarks: print when the first frame is up, then exit.

    python benchmarks/first_frame.py bare|app DATA_DIR [SESSION_FILE]

Prints `ready <monotonic seconds> <peak RSS KiB> [rows]` once the app's first frame is shown, and,
for the app, `loaded <monotonic> <peak RSS KiB> <rows>` once the open session's table is full.
"""

from __future__ import annotations

import resource
import sys
import time


def peak_kib() -> int:
    """Peak resident memory of this process. VmHWM, because ru_maxrss survives exec on Linux and
    would report the parent's peak (the benchmark process holding big sessions)."""
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def bare() -> None:
    from bare_app import Bare  # the same baseline the pty benchmark runs

    class Timed(Bare):
        def on_ready(self) -> None:
            print(f"ready {time.monotonic()} {peak_kib()}", flush=True)
            self.exit()

    Timed().run(headless=True)


def app(data_dir: str, session: str | None) -> None:
    from pathlib import Path

    from tvm_vote_tui.app.app import VoteApp
    from tvm_vote_tui.store.sessions import Store

    class Timed(VoteApp):
        def on_ready(self) -> None:
            print(f"ready {time.monotonic()} {peak_kib()}", flush=True)
            if session is None:
                self.exit()
            else:
                self.set_interval(0.005, self._check_loaded)

        def _check_loaded(self) -> None:
            try:
                table = self.screen.query_one("#ballots")
            except Exception:
                return
            current = self.meeting.current
            rows = getattr(table, "row_count", 0)  # the ballot table, whichever widget it is
            if current is not None and rows >= len(current.session.roster):
                print(f"loaded {time.monotonic()} {peak_kib()} {rows}", flush=True)
                self.exit()

    Timed(Store(Path(data_dir)), open_path=Path(session) if session else None).run(headless=True)


if __name__ == "__main__":
    if sys.argv[1] == "bare":
        bare()
    else:
        app(sys.argv[2], sys.argv[3] if len(sys.argv) > 3 else None)
