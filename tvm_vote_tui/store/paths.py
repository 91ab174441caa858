"""Where things live: the data dir from --data-dir, TVM_VOTE_TUI_DATA_DIR or platformdirs."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Final

APP_NAME = "tvm-vote-tui"
ENV_VAR = "TVM_VOTE_TUI_DATA_DIR"
APP_AUTHOR: Final = False
"""No publisher folder on Windows: %LOCALAPPDATA%\\tvm-vote-tui, not ...\\tvm-vote-tui\\tvm-vote-tui.
(Local, not Roaming: a lock file must not travel to another machine with the profile.)"""
KEY_FILE = "cache-key"
"""The cache secret's name in the user's config dir (hidden, `.cache-key`, at an explicit data dir's root)."""


def explicit_data_dir(override: str | os.PathLike[str] | None = None) -> Path | None:
    """The data dir given explicitly (the override, else the environment), or None."""
    if override:
        return Path(override).expanduser()
    from_env = os.environ.get(ENV_VAR)
    if from_env:
        return Path(from_env).expanduser()
    return None


def data_dir(override: str | os.PathLike[str] | None = None) -> Path:
    """The data dir, in order: the explicit override, the environment, the platform default."""
    explicit = explicit_data_dir(override)
    if explicit is not None:
        return explicit
    import platformdirs  # only when needed: tests and --data-dir never ask the platform

    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=APP_AUTHOR))


def cache_key_path(override: str | os.PathLike[str] | None = None) -> Path | None:
    """Where the cache secret lives (see store/cachekey.py): in the user's config dir for the
    platform's data dir; None for an explicit one, whose secret lives at its own root."""
    if explicit_data_dir(override) is not None:
        return None
    import platformdirs

    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=APP_AUTHOR)) / KEY_FILE


def own_cache_key_path(root: Path) -> Path:
    """The cache secret of a data dir given explicitly: at its root, hidden."""
    return root / f".{KEY_FILE}"


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
