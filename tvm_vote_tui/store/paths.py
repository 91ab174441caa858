"""Where things live: the data dir from --data-dir, TVM_VOTE_TUI_DATA_DIR or platformdirs."""

from __future__ import annotations

import os
from pathlib import Path

APP_NAME = "tvm-vote-tui"
ENV_VAR = "TVM_VOTE_TUI_DATA_DIR"


def data_dir(override: str | os.PathLike[str] | None = None) -> Path:
    """The data dir, in order: the explicit override, the environment, the platform default."""
    if override:
        return Path(override).expanduser()
    from_env = os.environ.get(ENV_VAR)
    if from_env:
        return Path(from_env).expanduser()
    import platformdirs  # only when needed: tests and --data-dir never ask the platform

    return Path(platformdirs.user_data_dir(APP_NAME))


def sessions_dir(root: Path) -> Path:
    return root / "sessions"


def roster_path(root: Path) -> Path:
    return root / "roster.toml"


def manager_name() -> str:
    """Who runs this app, for the audit log's 'by': the login name ('' when it cannot be told,
    or holds characters a log line must not)."""
    import getpass

    from tvm_vote_tui.domain.text import problem

    try:
        name = getpass.getuser().strip()
    except (OSError, KeyError, ImportError):
        return ""
    return "" if problem(name) or len(name) > 64 else name
