"""File names and folders that work on Linux, macOS and Windows alike."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.factories import roster, session
from tvm_vote_tui.domain.votes import parse_vote
from tvm_vote_tui.store import paths
from tvm_vote_tui.store.sessions import RESERVED_NAMES, OpenSession, Store, slugify

README = Path(__file__).resolve().parent.parent / "README.md"
WINDOWS_FORBIDDEN = set('<>:"/\\|?*') | {chr(c) for c in range(32)}
RESERVED = {"CON", "PRN", "AUX", "NUL"} | {f"{port}{n}" for port in ("COM", "LPT") for n in range(10)}
LONGEST_NAME = 100
"""No file a session makes has a longer name (a path on Windows has 260 characters unless long
paths are turned on, and the data dir takes some 40 to 60 of them)."""


def windows_problem(name: str) -> str | None:
    """Why Windows would refuse or misread `name` as a file name, or None."""
    if not name or len(name) > 255:
        return "empty or too long"
    if set(name) & WINDOWS_FORBIDDEN:
        return "a character Windows forbids"
    if name[-1] in ". ":
        return "ends with a dot or a space"
    if name.split(".")[0].rstrip(" ").upper() in RESERVED:
        return "a device name"
    return None


@given(st.text(max_size=300))
def test_a_slug_is_a_valid_file_name_on_every_system(title: str) -> None:
    slug = slugify(title)
    assert windows_problem(slug) is None
    assert windows_problem(f"{slug}-a1b2c3.toml") is None
    assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", slug), slug
    assert len(slug) <= 40


@pytest.mark.parametrize("title", ["CON", "nul", "Aux", "com1", "LPT9", "Com0", "prn!", " con. "])
def test_a_title_that_is_a_windows_device_name_gets_another_slug(title: str) -> None:
    slug = slugify(title)
    assert slug.upper() not in RESERVED and slug.endswith("-vote")
    assert {name.upper() for name in RESERVED_NAMES} == RESERVED
    assert windows_problem(slug) is None and windows_problem(slugify(title).removesuffix("-vote")) is not None


def test_the_files_of_a_session_have_short_valid_names(isolated_data_dir: Path) -> None:
    """Every file a session makes (file, lock, journal, mirror, and the temporary copies that
    become them) from the longest title."""
    store = Store(isolated_data_dir)
    path = store.create(session(members=roster(3), title="Ä" + "very long title " * 20 + "."))
    opened = OpenSession.open(store, path)
    opened.session.record("m0", parse_vote("+1"))
    opened.compact()
    opened.close()
    names = [p.name for p in store.sessions_dir.iterdir()]
    assert len(names) >= 4  # file, lock, journal, mirror
    temporary = [f".{name}.abcdefgh.tmp" for name in names]  # tempfile.mkstemp's names beside them
    for name in names + temporary:
        assert windows_problem(name) is None, name
        assert len(name) <= LONGEST_NAME, name


def test_the_data_dir_of_each_system_is_the_one_the_readme_names(monkeypatch: pytest.MonkeyPatch) -> None:
    from platformdirs.macos import MacOS
    from platformdirs.unix import Unix
    from platformdirs.windows import Windows

    monkeypatch.setenv("WIN_PD_OVERRIDE_LOCAL_APPDATA", r"C:\Users\ada\AppData\Local")
    monkeypatch.setenv("HOME", "/home/ada")
    monkeypatch.delenv("XDG_DATA_HOME", raising=False)
    monkeypatch.delenv(paths.ENV_VAR)
    name = paths.APP_NAME
    found = {
        "Windows": Windows(appname=name, appauthor=paths.APP_AUTHOR).user_data_dir.replace("/", "\\"),
        "macOS": MacOS(appname=name, appauthor=paths.APP_AUTHOR).user_data_dir.replace("/home/ada", "~"),
        "Linux": Unix(appname=name, appauthor=paths.APP_AUTHOR).user_data_dir.replace("/home/ada", "~"),
    }
    assert found["Windows"] == r"C:\Users\ada\AppData\Local\tvm-vote-tui"
    readme = README.read_text(encoding="utf-8")
    for system, folder in found.items():
        shown = folder.replace(r"C:\Users\ada\AppData\Local", "%LOCALAPPDATA%")
        assert f"| {system} | `{shown}`" in readme, (system, shown)
    assert str(paths.data_dir()) == found["Linux"].replace("~", "/home/ada")
