"""The manager's own settings: `config.toml` in the user's config dir (never the data dir, which
may be shared, and never a session file, which comes from anyone).

    [github]
    api_url = "https://github.example.com/api/v3"   # GitHub Enterprise; default api.github.com
    bridge_accounts = ["tvm-archiver"]             # accounts that post mail replies on GitHub

The GitHub token goes only to `api_url` (or to `--api-url` on the command line); no session file
and no server's answer can name another. A missing file means the defaults; a malformed one is
refused with one line naming the file and the field."""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from pathlib import Path

from tvm_vote_tui.domain.thread_ref import GITHUB_API, GitHubApi, ThreadRefError, is_login
from tvm_vote_tui.store.paths import APP_NAME
from tvm_vote_tui.store.reader import NotAFile, SessionFileError, read_regular_stat

CONFIG_NAME = "config.toml"
MAX_SIZE = 64_000
DEFAULT_BRIDGES = ("tvm-archiver",)
"""The Apache TVM mail bridge: dev@ replies reach the vote issue as its comments."""


class ConfigError(SessionFileError):
    """The configuration file cannot be used; nothing is read from it."""


@dataclass(frozen=True)
class Config:
    github_api: GitHubApi
    bridge_accounts: tuple[str, ...] = DEFAULT_BRIDGES


def default_config() -> Config:
    return Config(GitHubApi.parse(GITHUB_API))


def config_path() -> Path:
    import platformdirs  # only when needed: most commands never read the configuration

    return Path(platformdirs.user_config_dir(APP_NAME)) / CONFIG_NAME


def load_config(path: Path | None = None) -> Config:
    path = path or config_path()
    try:
        data, _ = read_regular_stat(path)
    except FileNotFoundError:
        return default_config()
    except NotAFile as err:
        raise ConfigError(path, str(err).partition(": ")[2]) from None
    except OSError as err:
        raise ConfigError(path, f"cannot read ({err.strerror or type(err).__name__})") from None
    if len(data) > MAX_SIZE:
        raise ConfigError(path, f"over {MAX_SIZE // 1000} KB: not a configuration file")
    try:
        table = tomllib.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError as err:
        raise ConfigError(path, f"not UTF-8 text (byte {err.start})") from None
    except (tomllib.TOMLDecodeError, RecursionError) as err:
        raise ConfigError(path, f"not TOML ({str(err)[:120]})") from None
    return _config(table, path)


def _config(table: dict[str, object], path: Path) -> Config:
    github = table.get("github", {})
    if not isinstance(github, dict):
        raise ConfigError(path, "must be a table", field="github")
    unknown = sorted(set(github) - {"api_url", "bridge_accounts"})
    if unknown:
        raise ConfigError(
            path, "unknown setting (known: api_url, bridge_accounts)", field=f"github.{unknown[0]}"
        )
    api_text = github.get("api_url", GITHUB_API)
    if not isinstance(api_text, str):
        raise ConfigError(path, "must be a web address", field="github.api_url")
    try:
        api = GitHubApi.parse(api_text, "the address")
    except ThreadRefError as err:
        raise ConfigError(path, str(err), field="github.api_url") from None
    bridges = github.get("bridge_accounts", list(DEFAULT_BRIDGES))
    if not isinstance(bridges, list) or not all(isinstance(b, str) and is_login(b) for b in bridges):
        raise ConfigError(path, "must be a list of GitHub logins", field="github.bridge_accounts")
    return Config(api, tuple(bridges))


def config_dir_hint() -> str:
    """Where the configuration lives, for messages (`~` for the home folder)."""
    text = str(config_path())
    home = os.path.expanduser("~")
    return "~" + text[len(home) :] if home and text.startswith(home + os.sep) else text
