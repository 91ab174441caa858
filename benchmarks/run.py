"""Benchmarks for issues 5, 13 and 17, each a ratio against a baseline measured in the same run.

    python benchmarks/run.py [--quick] [--write] [--only start,latency,keys,save,open,tally,parse] [--runs N]

--quick uses fewer repetitions; --write also rewrites benchmarks/RESULTS.md. Machines are noisy:
every figure is a median of interleaved runs, and the ratio is what to compare across machines.
"""

from __future__ import annotations

import argparse
import asyncio
import compileall
import contextlib
import os
import platform
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import pendulum  # noqa: E402

from tvm_vote_tui.demo import OPENS_AT  # noqa: E402
from tvm_vote_tui.domain.model import Member, Proposal, Session  # noqa: E402
from tvm_vote_tui.domain.votes import parse_vote  # noqa: E402
from tvm_vote_tui.store.sessions import OpenSession, Store  # noqa: E402

sys.path.insert(0, str(Path(__file__).parent))
from key_run import Terminal  # noqa: E402
from pty_run import Run, run_in_pty  # noqa: E402

FIRST_FRAME = str(Path(__file__).with_name("first_frame.py"))
VOTES = [parse_vote(v) for v in ("+1", "+1", "+1", "0", "-1")]


def big_session(voters: int, ballots: int) -> Session:
    """`voters` binding members and `ballots` ballots cast among them (some changed votes)."""
    roster = [Member(f"m{i:05}", f"Member {i:05}", f"m{i}@apache.org") for i in range(voters)]
    proposal = Proposal("Benchmark vote", opens_at=OPENS_AT, closes_at=OPENS_AT.add(days=7))
    session = Session.new(proposal, roster, at=OPENS_AT)
    session.open_vote(OPENS_AT, at=OPENS_AT)
    for i in range(ballots):
        session.record(f"m{i % voters:05}", VOTES[i % len(VOTES)], at=OPENS_AT.add(seconds=i))
    return session


def child_times(args: list[str]) -> dict[str, tuple[float, int]]:
    """Run first_frame.py; return {event: (seconds since spawn, peak RSS KiB)}."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    start = time.monotonic()
    out = subprocess.run(
        [sys.executable, FIRST_FRAME, *args], capture_output=True, text=True, env=env, timeout=120
    )
    events = {}
    for line in out.stdout.splitlines():
        parts = line.split()
        events[parts[0]] = (float(parts[1]) - start, int(parts[2]))
    if "ready" not in events:
        raise RuntimeError(f"first_frame.py {args} failed:\n{out.stderr[-3000:]}")
    return events


def interleaved(runs: int, **commands: list[str]) -> dict[str, list[dict[str, tuple[float, int]]]]:
    results: dict[str, list[dict[str, tuple[float, int]]]] = {name: [] for name in commands}
    for _ in range(runs):
        for name, args in commands.items():
            results[name].append(child_times(args))
    return results


def median(results: list[dict[str, tuple[float, int]]], event: str, index: int = 0) -> float:
    return statistics.median(r[event][index] for r in results if event in r)


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


class Report:
    def __init__(self) -> None:
        self.rows: list[tuple[str, str, str, str, str]] = []

    def add(self, what: str, value: str, baseline: str, ratio: float, target: str) -> None:
        self.rows.append((what, value, baseline, f"{ratio:.2f}x", target))
        print(f"{what:<52} {value:>12} vs {baseline:>12}  {ratio:5.2f}x  (target {target})", flush=True)


APP = str(Path(sys.executable).with_name("tvm-vote-tui"))
"""The installed console script, started as users start it."""
BARE = [sys.executable, str(Path(__file__).with_name("bare_app.py"))]


def _start_runs(
    runs: int, cases: dict[str, tuple[list[str], bytes, dict[str, str]]], before: Callable[[str], None]
) -> dict[str, list[Run]]:
    results: dict[str, list[Run]] = {name: [] for name in cases}
    for _ in range(runs):
        for name, (argv, marker, env) in cases.items():
            before(name)
            results[name].append(run_in_pty(argv, marker, env=env))
    return results


def bench_start(report: Report, runs: int, tmp: Path) -> None:
    """Start in a terminal until the sessions list is shown, then ctrl+q: wall and CPU time."""
    empty, fifty = tmp / "empty", tmp / "fifty"
    Store(empty).ensure()
    store = Store(fifty)
    for i in range(50):
        s = big_session(15, 12)
        s.set_title(f"Vote {i}")
        store.create(s)
    env = {**os.environ, "TERM": "xterm-256color", "COLORTERM": "truecolor"}
    cases = {
        "bare": (BARE, b"Member 9", env),
        "empty": ([APP], b"Welcome to tvm-vote-tui", {**env, "TVM_VOTE_TUI_DATA_DIR": str(empty)}),
        "fifty": ([APP], " \u00b7 passing".encode(), {**env, "TVM_VOTE_TUI_DATA_DIR": str(fifty)}),
        "cold": ([APP], " \u00b7 passing".encode(), {**env, "TVM_VOTE_TUI_DATA_DIR": str(fifty)}),
    }

    def before(name: str) -> None:  # "cold": as if every file had changed since the last start
        if name == "cold":
            forget_summaries(store)

    run_in_pty(*cases["fifty"][:2], env=cases["fifty"][2])  # the summaries of a first start
    res = _start_runs(runs, cases, before)
    bare = res["bare"]
    for name, label in (("empty", "empty data dir"), ("fifty", "50 sessions")):
        for field, what in (
            ("first_wall", "start to sessions list shown"),
            ("first_cpu", "start to sessions list shown, CPU"),
            ("total_wall", "start, list shown, ctrl+q, exited"),
            ("total_cpu", "start, list shown, ctrl+q, exited, CPU"),
        ):
            value, base = _median(res[name], field), _median(bare, field)
            report.add(f"1. {what}, {label}", ms(value), ms(base), value / base, "<= 1.15x")
    value, base = _median(res["cold"], "first_wall"), _median(bare, "first_wall")
    report.add("1. start to list shown, 50 sessions all changed", ms(value), ms(base), value / base, "(info)")


def forget_summaries(store: Store) -> None:
    try:
        from tvm_vote_tui.store.summaries import forget
    except ImportError:  # a version without remembered summaries (a baseline run of an older tree)
        return
    forget(store)


def _median(runs: list[Run], field: str) -> float:
    return statistics.median(getattr(run, field) for run in runs)


def bench_open_and_memory(report: Report, runs: int, tmp: Path) -> None:
    commands: dict[str, list[str]] = {"bare": ["bare"]}
    for voters, ballots in ((1000, 1000), (10_000, 10_000)):
        store = Store(tmp / f"open{ballots}")
        path = store.create(big_session(voters, ballots))
        commands[str(ballots)] = ["app", str(store.root), str(path)]
    for args in commands.values():  # a first start reads and remembers the sessions list
        child_times(args)
    res = interleaved(runs, **commands)
    bare = median(res["bare"], "ready")
    for size in ("1000", "10000"):
        first = median(res[size], "ready")
        full = median(res[size], "loaded")
        label = f"{int(size):,} ballots"
        report.add(f"4. open {label}: first frame", ms(first), ms(bare), first / bare, "<= 2x")
        target = {"1000": "<= 1.5x", "10000": "<= 3x"}[size]
        report.add(f"4. open {label}: table filled", ms(full), ms(bare), full / bare, target)
    rss = median(res["1000"], "loaded", 1)
    bare_rss = median(res["bare"], "ready", 1)
    report.add(
        "6. peak RSS, 1,000-ballot session open",
        f"{rss / 1024:.1f} MiB",
        f"{bare_rss / 1024:.1f} MiB",
        rss / bare_rss,
        "<= 1.5x",
    )


def timed(fn: Callable[[], object], repeat: int) -> float:
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def bench_save(report: Report, runs: int, tmp: Path) -> None:
    for ballots in (30, 1000, 10_000):
        _save_case(report, runs, tmp, ballots)
    for ballots in (30, 10_000):
        _chain_case(report, runs, ballots)


def _chain_case(report: Report, runs: int, ballots: int) -> None:
    """What the audit log's hash chain adds to a ballot: linking its log line (and the ballot's
    digest) to the chain, against one SHA-256 of a journal-sized line. Flat from 30 to 10,000."""
    import hashlib

    from tvm_vote_tui.domain.ballots import Ballot
    from tvm_vote_tui.domain.model import Change, LogEntry

    session = big_session(max(ballots, 30), ballots)
    session.chain_head  # noqa: B018  (found once, as the first ballot after opening does)
    line = b'{"seq": 1, "op": "ballot", "ballot": {"voter": "m00001", "vote": "+1"}}\n' * 2
    ballot = Ballot("m00001", VOTES[0], OPENS_AT)
    change = Change("ballot", (LogEntry(OPENS_AT, "ballot", "Member 00001 (m00001) voted +1"),), (ballot,))

    def floor() -> None:
        hashlib.sha256(line).hexdigest()

    def link() -> None:
        session._linked(change.log, change)

    repeat = max(runs * 100, 300)
    base, value = timed(floor, repeat), timed(link, repeat)
    report.add(
        f"3. chain link of one ballot, {ballots:,} ballots",
        f"{value * 1e6:.1f} µs",
        f"{base * 1e6:.1f} µs",
        value / base,
        "flat: same at 30 and 10,000",
    )


def _save_case(report: Report, runs: int, tmp: Path, ballots: int) -> None:
    store = Store(tmp / f"save{ballots}")
    path = store.create(big_session(max(ballots, 30), ballots))
    opened = OpenSession.open(store, path)
    raw = tmp / f"raw{ballots}.bin"
    fd = os.open(raw, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    line = b'{"seq": 1, "op": "ballot", "ballot": {"voter": "m00001", "vote": "+1"}}\n'

    def floor() -> None:  # the least a durable append can cost: write + fsync
        os.write(fd, line)
        os.fsync(fd)

    counter = iter(range(10**9))

    def journal() -> None:
        opened.session.record(f"m{next(counter) % 30:05}", VOTES[0])

    samples_floor, samples_journal = [], []
    for _ in range(max(runs * 10, 30)):
        samples_floor.append(timed(floor, 1))
        samples_journal.append(timed(journal, 1))
    value, base = statistics.median(samples_journal), statistics.median(samples_floor)
    target = {30: "(info)", 1000: "<= 10 ms", 10_000: "<= 20 ms"}[ballots]
    report.add(
        f"3. durable save of one ballot, {ballots:,} ballots", ms(value), ms(base), value / base, target
    )
    if ballots == 10_000:
        snapshot = opened.snapshot()
        full = timed(lambda: opened.compact(snapshot), 1)
        report.add("3. (old design: rewrite whole TOML), 10,000", ms(full), ms(base), full / base, "(info)")
    os.close(fd)
    opened.close()


def bench_tally(report: Report, runs: int) -> None:
    """From scratch: voter keys, each voter's latest ballot and the counts, as after opening a
    session, a roster edit or an undo. Live: one more ballot, then the tally a keypress shows."""
    session = big_session(10_000, 10_000)
    proposal, roster, ballots = session.proposal, session.roster, list(session.ballots)

    def floor() -> None:  # one pass over the ballots doing nothing but a dict store
        latest = {}
        for b in ballots:
            latest[b.voter] = b

    counter = iter(range(10**9))

    def live() -> None:  # what a keypress costs: one more ballot, then the tally
        i = next(counter)
        session.record(f"m{i % 10_000:05}", VOTES[i % len(VOTES)], at=OPENS_AT.add(days=1))
        session.tally()

    session.tally()
    repeat = max(runs * 4, 20)
    base = timed(floor, repeat)
    full = timed(lambda: Session(proposal, roster, ballots).tally(), repeat)
    report.add("5. tally of 10,000 ballots, counted from scratch", ms(full), ms(base), full / base, "<= 5 ms")
    value = timed(live, repeat)
    report.add(
        "5. tally of 10,000 ballots, live (one more ballot)", ms(value), ms(base), value / base, "<= 5 ms"
    )


async def drawn(pilot: Any) -> None:
    """Process what the change queued and draw the screen once (no idle-waiting sleeps)."""
    await pilot._wait_for_screen()
    pilot.app.screen._on_timer_update()


async def _latency(voters: int, presses: int, bare: bool) -> float:
    from textual.app import App, ComposeResult
    from textual.widgets import DataTable, Footer, Header
    from textual.worker import WorkerCancelled

    from tvm_vote_tui.app.app import make_app
    from tvm_vote_tui.app.screens.ballots import BallotsScreen

    samples = []
    if bare:

        class Bare(App[None]):
            def compose(self) -> ComposeResult:
                yield Header()
                table: DataTable[str] = DataTable(id="t")
                table.add_columns("Voter", "Vote", "Standing", "Note", "At")
                for i in range(min(voters, 200)):
                    table.add_row(f"Member {i}", "·", "binding", "", "", key=str(i))
                yield table
                yield Footer()

        app: App[None] = Bare()
        async with app.run_test(size=(100, 30)) as pilot:
            table = app.query_one("#t", DataTable)
            for i in range(presses):
                start = time.process_time()
                table.update_cell(str(i % 30), table.ordered_columns[1].key, "+1" if i % 2 else "-1")
                await drawn(pilot)
                samples.append(time.process_time() - start)
                await pilot.pause()
        return statistics.median(samples)

    with tempfile.TemporaryDirectory() as tmp:
        store = Store(Path(tmp))
        path = store.create(big_session(voters, voters // 2))
        vote_app = make_app(store, clock=lambda: OPENS_AT.add(days=1), open_path=path)
        async with vote_app.run_test(size=(100, 30)) as pilot:
            while not (  # the session is read in a worker; every row there (an older table filled in)
                isinstance(vote_app.screen, BallotsScreen)
                and sum(getattr(t, "row_count", 0) for t in vote_app.screen.query("#ballots")) >= voters
            ):
                with contextlib.suppress(WorkerCancelled):  # the list's reader, when the list is left
                    await vote_app.workers.wait_for_complete()
                await pilot.pause(0.05)
            screen = vote_app.screen
            for i in range(presses):
                start = time.process_time()
                screen.action_vote("+1" if i % 3 else "-1")
                await drawn(pilot)
                samples.append(time.process_time() - start)
                await pilot.pause()
                await pilot.press("down")
    return statistics.median(samples)


def bench_latency(report: Report, runs: int) -> None:
    presses = max(runs * 6, 20)
    base = asyncio.run(_latency(30, presses, bare=True))
    for voters, target in ((30, "<= 16 ms"), (1000, "(info)"), (10_000, "<= 33 ms")):
        value = asyncio.run(_latency(voters, presses, bare=False))
        report.add(
            f"2. CPU per ballot: action to meter+row drawn, {voters:,} voters",
            ms(value),
            ms(base),
            value / base,
            target,
        )


COUNTS = re.compile(r"Binding\s+\+1 (\d+)\s+0 (\d+)\s+-1 (\d+)")
"""The binding counts as the meter (and the bare app's count line) show them."""


def _counts_shown(plus: int, minus: int) -> Callable[[str], bool]:
    def shown(screen: str) -> bool:
        found = COUNTS.search(screen)
        return found is not None and (int(found[1]), int(found[3])) == (plus, minus)

    return shown


def _key_presses(argv: list[str], env: dict[str, str], presses: int) -> list[float]:
    """Start `argv` in an 80x24 pty; alternately press - and + on the highlighted voter (whose
    vote is +1 to begin with) and time each until the binding counts on screen change."""
    term = Terminal(argv, env, (80, 24))
    try:
        term.wait_for(lambda s: COUNTS.search(s) is not None, "binding counts")
        term.settle()
        found = COUNTS.search(term.text())
        assert found is not None
        plus, minus = int(found[1]), int(found[3])
        samples = []
        for i in range(presses):
            key, step = (b"-", -1) if i % 2 == 0 else (b"+", 1)
            plus, minus = plus + step, minus - step
            samples.append(term.press(key, _counts_shown(plus, minus), f"+1 {plus} / -1 {minus}"))
            term.settle()
        term.quit()
    finally:
        term.kill()
    return samples


def _key_session(voters: int) -> Session:
    """`voters` binding members, every fifth has voted +1 (the first too); the window is open now,
    so a vote brings no warning with it."""
    opens = pendulum.now("UTC").subtract(hours=1)
    roster = [Member(f"m{i:05}", f"Member {i:05}", f"m{i}@apache.org") for i in range(voters)]
    session = Session.new(
        Proposal("Benchmark vote", opens_at=opens, closes_at=opens.add(days=7)), roster, at=opens
    )
    session.open_vote(opens, at=opens)
    for i in range(0, voters, 5):
        session.record(f"m{i:05}", VOTES[0], at=opens.add(seconds=i))
    return session


def disk_of(path: Path) -> str:
    """The file system `path` is on, as /proc/mounts names it (e.g. 'ext4 on /dev/vda')."""
    best = ("", "", "")
    try:
        with open("/proc/mounts") as mounts:
            for line in mounts:
                device, point, kind = line.split()[:3]
                if path.resolve().is_relative_to(point) and len(point) >= len(best[1]):
                    best = (device, point, kind)
    except OSError:
        return "unknown"
    return f"{best[2]} on {best[0]}"


def bench_key_wall(report: Report, runs: int, folder: Path) -> None:
    """A ballot key as a manager meets it: the installed app in a pty on a session in `folder`
    (a real disk), the key written, until the new binding counts are on screen."""
    env = {**os.environ, "TERM": "xterm-256color", "COLORTERM": "truecolor"}
    presses = 10
    cases: dict[str, tuple[list[str], dict[str, str]]] = {"bare": ([*BARE, "--count"], env)}
    for voters in (30, 10_000):
        store = Store(folder / f"keys{voters}")
        path = store.create(_key_session(voters))
        OpenSession.open(store, path).close()  # its journal exists, as after the first vote
        cases[str(voters)] = ([APP, "open", str(path)], {**env, "TVM_VOTE_TUI_DATA_DIR": str(store.root)})
    samples: dict[str, list[float]] = {name: [] for name in cases}
    for _ in range(max(runs // 2, 2)):
        for name, (argv, case_env) in cases.items():
            samples[name] += _key_presses(argv, case_env, presses)
    base = statistics.median(samples["bare"])
    # One 60 Hz frame (16 ms) and two (33 ms), the CPU row's targets, where a bare echo takes 4 ms.
    for count, target in (("30", "<= 4x"), ("10000", "<= 8x")):
        value = statistics.median(samples[count])
        report.add(
            f"2. ballot key to new count on screen (pty, wall), {int(count):,} voters",
            ms(value),
            ms(base),
            value / base,
            target,
        )


MEASURES = """\
What each row measures (value; baseline). Each figure is a median of interleaved runs; the
baseline is measured in the same run, so the ratio is what carries across machines. The package
is byte-compiled first, as an installed one is.

1. **Start.** Wall-clock time from spawning the installed `tvm-vote-tui` in an 80x24
   pseudo-terminal until the sessions list is on screen, and until it has exited after ctrl+q;
   "CPU" rows are the CPU time of every thread by then (`benchmarks/pty_run.py`). Baseline: the
   same for a bare Textual app (Header, a 30-row DataTable, Footer; `benchmarks/bare_app.py`).
2. **CPU per ballot.** CPU time (`time.process_time`) of the app under Pilot, in-process, from
   calling the ballot screen's vote action to one forced draw of the screen (Textual's private
   calls): the work a ballot costs, without any wait (the journal's fsync counts only its CPU).
   Baseline: the same harness updating one cell of a bare DataTable. Not what a user waits for.
2. **Ballot key to new count on screen (pty, wall).** What a manager waits for: wall-clock time
   from writing one key byte (`-`, then `+`, on the highlighted voter) to the pty of the installed
   app, open on a session of that many voters in a data dir on the disk named below, until the
   screen (a `pyte` terminal fed with everything the app wrote) shows the new binding counts.
   The key's journal line is written and fsync'd on that disk inside this time
   (`benchmarks/key_run.py`). Baseline: the same round trip through a bare Textual app whose `+`
   and `-` change a line of counts (`benchmarks/bare_app.py --count`): the least any Textual app
   takes to show that a key changed a number in this terminal.
3. **Durable save.** Wall-clock time of one `Session.record` in-process (the journal line
   appended and fsync'd), on the disk named below. Baseline: a bare `os.write` + `os.fsync` of
   one journal-sized line in the same folder. The "old design" row rewrites the whole TOML file.
3. **Chain link.** Wall-clock time of linking one ballot's log line to the audit log's hash chain,
   in-process. Baseline: one SHA-256 of a journal-sized line.
4. **Open.** Wall-clock time from spawning `benchmarks/first_frame.py` (the app, headless, told to
   open a session) until its first frame, and until the ballot table holds every row. Baseline:
   the bare app's first frame, headless.
5. **Tally.** Wall-clock time of counting 10,000 ballots from scratch, and of one more ballot
   plus the tally a keypress shows. Baseline: one pass over the ballots storing each in a dict.
6. **Memory.** Peak resident memory (VmHWM) of the app with a 1,000-ballot session open, against
   the bare app's.
7. **Parse.** Wall-clock time of reading a hostile shape of thread (`votethread`) at 60 KB.
   Baseline: the same shape at 6 KB (linear: near 10x; quadratic would be 100x).
"""


def load_average() -> str:
    """The 1, 5 and 15 minute load averages, as /proc/loadavg has them."""
    try:
        with open("/proc/loadavg") as loadavg:
            return " ".join(loadavg.read().split()[:3])
    except OSError:
        return "unknown"


def bench_parse(report: Report, runs: int) -> None:
    """Thread parsing is linear: each hostile shape read at ten times the size takes about ten
    times as long (it once took 50 s for one 16 MB comment: runs of spaces after a vote made the
    result-post patterns backtrack, and a run of From: lines was walked once per line)."""
    from tvm_vote_tui.demo import sample_session
    from tvm_vote_tui.votethread.posts import Post, cap_lines
    from tvm_vote_tui.votethread.proposals import propose_posts
    from tvm_vote_tui.votethread.thread_text import split

    session = sample_session(ballots=0)
    at = OPENS_AT.add(days=3)
    opening = Post(0, handle="mrossi", date=OPENS_AT, lines=["[VOTE] x"], opening=True)

    def comment(text: str) -> Callable[[], object]:
        def parse() -> object:
            lines, _ = cap_lines(text)
            post = Post(1, handle="ada-l", date=OPENS_AT.add(hours=1), lines=lines)
            return propose_posts([opening, post], session, at)

        return parse

    shapes: dict[str, Callable[[int], Callable[[], object]]] = {
        "a vote, then a run of spaces": lambda n: comment("+1" + " " * n + "x"),
        "a named vote, then a run of tabs": lambda n: comment("- +1 a" + "\t" * n + "x"),
        "pasted mail: a run of From: lines": lambda n: lambda: split("From: a@b.c\n" * (n // 12), "mail"),
        "pasted page: a run of comment headers": lambda n: (
            lambda: split("ada-l commented on Nov 25, 2026\n+1\n\n" * (n // 36), "github")
        ),
    }
    repeat = max(runs, 3)
    for name, shape in shapes.items():
        small, big = shape(6_000), shape(60_000)
        base, value = timed(small, repeat), timed(big, repeat)
        report.add(f"7. parse {name}, 60 KB vs 6 KB", ms(value), ms(base), value / base, "<= 20x")
    huge = "+1\n" + ("lorem ipsum dolor sit amet " * 4 + "\n") * 150_000  # 16 MB: cut at 64 KB
    value, base = timed(comment(huge), repeat), timed(comment(huge[:60_000]), repeat)
    report.add("7. parse one 16 MB comment (cut at 64 KB)", ms(value), ms(base), value / base, "(info)")


def write_results(report: Report, args: argparse.Namespace, disk: str, loads: list[str]) -> None:
    lines = [
        "# Benchmark results",
        "",
        f"Measured {pendulum.now('UTC').format('YYYY-MM-DD HH:mm')} UTC with `python benchmarks/run.py"
        f"{' --quick' if args.quick else ''}` on {platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, {platform.platform()}; sessions on {disk}. Load "
        f"averages (1, 5, 15 min) before each part and at the end: {'; '.join(loads)}.",
        "",
        MEASURES,
        "| what | value | baseline | ratio | target |",
        "| --- | ---: | ---: | ---: | --- |",
    ]
    lines += [f"| {a} | {b} | {c} | {d} | {e} |" for a, b, c, d, e in report.rows]
    notes = Path(__file__).with_name("NOTES.md")
    if notes.exists():
        lines += ["", notes.read_text().strip()]
    Path(__file__).with_name("RESULTS.md").write_text("\n".join(lines) + "\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="fewer repetitions")
    parser.add_argument("--write", action="store_true", help="rewrite benchmarks/RESULTS.md")
    parser.add_argument("--only", help="comma-separated parts: start,latency,keys,save,open,tally,parse")
    parser.add_argument("--runs", type=int, help="repetitions (default 9, 3 with --quick)")
    args = parser.parse_args()
    runs = args.runs or (3 if args.quick else 9)
    # As an installed package would be: compiled once (this environment may set
    # PYTHONDONTWRITEBYTECODE, which would make every start compile the package from source).
    compileall.compile_dir(ROOT / "tvm_vote_tui", quiet=1)
    parts = set((args.only or "start,latency,keys,save,open,tally,parse").split(","))
    report = Report()
    # On the disk of the checkout, not in a /tmp that may be in memory: the saves and the key
    # round trips include an fsync, which costs nothing on tmpfs.
    with tempfile.TemporaryDirectory(dir=ROOT, prefix=".bench-") as tmp_name:
        tmp = Path(tmp_name)
        disk = disk_of(tmp)
        print(f"sessions on {disk}", flush=True)
        os.environ["TVM_VOTE_TUI_DATA_DIR"] = str(tmp / "unused")
        benches: dict[str, Callable[[], None]] = {
            "start": lambda: bench_start(report, runs, tmp),
            "latency": lambda: bench_latency(report, runs),
            "keys": lambda: bench_key_wall(report, runs, tmp),
            "save": lambda: bench_save(report, runs, tmp),
            "open": lambda: bench_open_and_memory(report, runs, tmp),
            "tally": lambda: bench_tally(report, runs),
            "parse": lambda: bench_parse(report, runs),
        }
        loads = []
        for name, bench in benches.items():
            if name in parts:
                loads.append(f"{name} {load_average()}")
                print(f"[{name}: load {load_average()}]", flush=True)
                bench()
        loads.append(f"end {load_average()}")
    if args.write:
        write_results(report, args, disk, loads)
        print("wrote benchmarks/RESULTS.md")


if __name__ == "__main__":
    main()
