from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pendulum
import pytest


@pytest.fixture(autouse=True)
def isolated_data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test gets its own data dir; the real user data, config and state dirs are never
    touched (the cache key and crash files may go to the last two)."""
    data = tmp_path / "data"
    monkeypatch.setenv("TVM_VOTE_TUI_DATA_DIR", str(data))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))  # the manager's config.toml
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "xdg-state"))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    return data


@dataclass(frozen=True)
class Zone:
    """A local zone for the time-facing tests, and where their sample vote's week falls in it.

    The tests' sample vote opens at 2026-11-24 17:00 UTC for a week. In a zone with a daylight
    saving change, the vote is moved (`shift`) so that its week crosses the change; `opens` and
    `closes` are its window as the zone writes it, spelled out here rather than computed."""

    name: str
    shift: pendulum.Duration
    """Added to every time of the test's vote and clock."""
    opens: str
    closes: str

    def __str__(self) -> str:
        return self.name


ZONES = (
    Zone("UTC", pendulum.duration(), "2026-11-24 17:00 +00:00", "2026-12-01 17:00 +00:00"),
    # Half an hour off the hour, no daylight saving time.
    Zone("Asia/Kolkata", pendulum.duration(), "2026-11-24 22:30 +05:30", "2026-12-01 22:30 +05:30"),
    # The week from Thursday 2026-10-29 crosses Sunday 2026-11-01 02:00, when EDT becomes EST.
    Zone(
        "America/New_York", pendulum.duration(days=-26), "2026-10-29 13:00 -04:00", "2026-11-05 12:00 -05:00"
    ),
)


@pytest.fixture(params=ZONES, ids=str)
def zone(request: pytest.FixtureRequest) -> Zone:
    """The local zone of a time-facing test: asking for it runs the test in each of ZONES."""
    return request.param


@pytest.fixture(autouse=True)
def steady_terminal(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """The local zone (UTC, or the test's `zone`) and no blinking cursors, so screens look the
    same on every machine."""
    from textual.reactive import reactive
    from textual.widgets import Input, TextArea

    name = request.getfixturevalue("zone").name if "zone" in request.fixturenames else "UTC"
    local = pendulum.timezone(name)
    monkeypatch.setattr("tvm_vote_tui.domain.times.get_local_timezone", lambda: local)
    for widget in (Input, TextArea):  # cursor_blink = False for every one of them
        steady: reactive[bool] = reactive(False, init=False)
        steady.__set_name__(widget, "cursor_blink")
        monkeypatch.setattr(widget, "cursor_blink", steady)
