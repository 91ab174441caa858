from __future__ import annotations

from pathlib import Path

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


@pytest.fixture(autouse=True)
def steady_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    """UTC as the local zone and no blinking cursors, so screens look the same on every machine."""
    import pendulum
    from textual.reactive import reactive
    from textual.widgets import Input, TextArea

    monkeypatch.setattr("tvm_vote_tui.domain.times.get_local_timezone", lambda: pendulum.UTC)
    for widget in (Input, TextArea):  # cursor_blink = False for every one of them
        steady: reactive[bool] = reactive(False, init=False)
        steady.__set_name__(widget, "cursor_blink")
        monkeypatch.setattr(widget, "cursor_blink", steady)
