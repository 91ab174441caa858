"""Fixtures for the end-to-end tests: the installed app in a real pseudo-terminal (harness.py).

Every test in this folder is marked `e2e` (so `python -m pytest -m e2e` runs them alone, and
`-m "not e2e"` skips them) and gets a timeout, so a hung app fails its test instead of hanging
CI. When a test fails, the screens of the apps it started are added to the report.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.harness import CliResult, Tui, run_cli

E2E_TIMEOUT = 120
"""Seconds one end-to-end test may take in all; a scenario takes a few seconds."""
HERE = Path(__file__).parent
TUIS = pytest.StashKey[list[Tui]]()


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if HERE in Path(item.path).parents:
            item.add_marker(pytest.mark.e2e)
            if item.get_closest_marker("timeout") is None:
                item.add_marker(pytest.mark.timeout(E2E_TIMEOUT))


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    report = yield
    if report.failed and call.when == "call":
        started: list[Tui] = item.stash.get(TUIS, [])
        for number, tui in enumerate(started, start=1):
            report.sections.append((f"tvm-vote-tui #{number}", tui.describe()))
    return report


StartTui = Callable[..., Tui]


@pytest.fixture
def start_tui(request: pytest.FixtureRequest, isolated_data_dir: Path) -> Iterator[StartTui]:
    """`start_tui(*args, size=(80, 24), env=None, data_dir=None)`: a running app in a pty, on
    the test's data dir unless told otherwise; every one is killed when the test ends."""
    started = request.node.stash.setdefault(TUIS, [])
    with ExitStack() as stack:

        def start(
            *args: str,
            size: tuple[int, int] = (80, 24),
            env: Mapping[str, str] | None = None,
            data_dir: Path | None = None,
        ) -> Tui:
            tui = stack.enter_context(Tui.start(data_dir or isolated_data_dir, *args, size=size, env=env))
            started.append(tui)
            return tui

        yield start


Cli = Callable[..., CliResult]


@pytest.fixture
def cli(isolated_data_dir: Path) -> Cli:
    """`cli("tally", NAME, "--json")`: the installed script on the test's data dir, without a pty."""

    def run(*args: str, env: Mapping[str, str] | None = None) -> CliResult:
        return run_cli(isolated_data_dir, *args, env=env)

    return run
