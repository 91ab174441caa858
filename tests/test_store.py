from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.factories import roster, session
from tvm_vote_tui.domain.model import Member
from tvm_vote_tui.store import paths
from tvm_vote_tui.store.atomic import write_atomic
from tvm_vote_tui.store.format import SessionFileError
from tvm_vote_tui.store.sessions import Store, StoreError, slugify


@given(st.text(max_size=80))
def test_slug_is_always_a_safe_file_name(title: str) -> None:
    slug = slugify(title)
    assert slug and "/" not in slug and "\\" not in slug and ".." not in slug
    assert all(c.isascii() and (c.isalnum() or c == "-") for c in slug)


def test_slug_examples() -> None:
    assert slugify("Adopt the Relax codebase!") == "adopt-the-relax-codebase"
    assert slugify("../../etc/passwd") == "etc-passwd"
    assert slugify("Zoë's\tnew\x00module") == "zoe-s-new-module"
    assert slugify("变更") == "vote"


def test_data_dir_order(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    assert paths.data_dir(tmp_path / "x") == tmp_path / "x"
    monkeypatch.setenv(paths.ENV_VAR, str(tmp_path / "env"))
    assert paths.data_dir() == tmp_path / "env"
    monkeypatch.delenv(paths.ENV_VAR)
    assert paths.data_dir().name == "tvm-vote-tui"


def test_create_list_load_delete(isolated_data_dir: Path) -> None:
    store = Store(isolated_data_dir)
    s = session([("m0", "+1")], title="Adopt ../the Relax/ codebase")
    path = store.create(s)
    assert path.parent == store.sessions_dir
    assert path.name.startswith("adopt-the-relax-codebase-")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    listings = store.list_sessions()
    assert [listing.path for listing in listings] == [path]
    assert listings[0].session == s
    assert store.resolve(path.stem) == path
    assert store.resolve("adopt") == path
    store.delete(path)
    assert store.list_sessions() == []


def test_damaged_file_is_listed_with_error_and_left_untouched(isolated_data_dir: Path) -> None:
    store = Store(isolated_data_dir)
    good = store.create(session(title="Good"))
    bad = store.sessions_dir / "bad.toml"
    bad.write_text("schema_version = 1\n[proposal\n")
    before = bad.read_bytes()
    listings = store.list_sessions()
    assert [listing.path for listing in listings] == [good, bad]
    assert "bad.toml, line 2" in listings[1].error
    assert bad.read_bytes() == before


def test_atomic_write_leaves_no_temp_and_replaces(tmp_path: Path) -> None:
    target = tmp_path / "s.toml"
    target.write_text("old")
    write_atomic(target, "new")
    assert target.read_text() == "new"
    assert os.listdir(tmp_path) == ["s.toml"]


def test_atomic_write_failure_keeps_old_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "s.toml"
    target.write_text("old")

    def boom(src: str, dst: str) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", boom)
    with pytest.raises(OSError):
        write_atomic(target, "new")
    assert target.read_text() == "old"
    assert os.listdir(tmp_path) == ["s.toml"]


def test_shared_roster_round_trip_and_snapshot(isolated_data_dir: Path) -> None:
    store = Store(isolated_data_dir)
    members = roster(3)
    store.save_roster(members)
    assert store.load_roster() == members
    assert stat.S_IMODE(store.roster_path.stat().st_mode) == 0o600  # it holds e-mail addresses
    s = session(members=store.load_roster())
    members[0] = Member(members[0].id, "Renamed later", members[0].email)
    store.save_roster(members)
    assert s.roster[0].name == "Member 0"


def test_missing_and_unreadable(isolated_data_dir: Path) -> None:
    store = Store(isolated_data_dir)
    with pytest.raises(StoreError, match="no session file"):
        store.resolve("nothing")
    store.ensure()
    (store.sessions_dir / "x.toml").write_bytes(b"\xff\xfe")
    with pytest.raises(SessionFileError, match="not UTF-8"):
        store.load(store.sessions_dir / "x.toml")


def test_data_dir_that_is_a_file(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("")
    with pytest.raises(StoreError, match="not a folder|cannot create"):
        Store(tmp_path / "file").ensure()


def test_lock_holder_says_who_holds_a_session_and_when_no_one_does(isolated_data_dir: Path) -> None:
    from tvm_vote_tui.demo import sample_session
    from tvm_vote_tui.store.sessions import OpenSession, lock_holder

    store = Store(isolated_data_dir)
    path = store.create(sample_session())
    assert lock_holder(path) is None  # no lock file yet
    opened = OpenSession.open(store, path)
    assert (lock_holder(path) or "").startswith(f"pid {os.getpid()} on ")
    assert lock_holder(path) is not None  # the probe let go: still held by the writer
    reader = OpenSession.open(store, path)
    assert reader.read_only
    opened.close()
    assert lock_holder(path) is None  # the writer let go: free
    again = OpenSession.open(store, path)
    assert not again.read_only  # and it can be taken
    again.close()


def test_a_title_typed_with_vote_names_neither_the_file_nor_the_copy(isolated_data_dir: Path) -> None:
    s = session(members=roster(3), title="[VOTE] Establish the TVM FFI module")
    store = Store(isolated_data_dir)
    path = store.create(s)
    assert path.name.startswith("establish-the-tvm-ffi-module-")
    copy = s.duplicate(s.opened_window[0])
    assert copy.proposal.title == "Copy of Establish the TVM FFI module"
    assert store.create(copy).name.startswith("copy-of-establish-the-tvm-ffi-module-")
