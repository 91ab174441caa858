"""The cache secret: where it lives, that it is this user's alone, and that a key file that cannot
be trusted is never used (and is replaced when a cache is written next)."""

from __future__ import annotations

import os
import stat
import threading
from pathlib import Path

import pytest

from tests.factories import session
from tvm_vote_tui.store import paths
from tvm_vote_tui.store.cachekey import CacheKey
from tvm_vote_tui.store.sessions import Store, load


def test_an_explicit_data_dir_keeps_its_key_at_its_root(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert paths.cache_key_path(str(tmp_path / "given")) is None
    monkeypatch.setenv(paths.ENV_VAR, str(tmp_path / "from-env"))
    assert paths.cache_key_path(None) is None
    store = Store(tmp_path / "given")
    store.create(session())
    key = tmp_path / "given" / ".cache-key"
    assert store.key.path == key and key.is_file()
    assert not (tmp_path / "xdg-config").exists()  # nothing else of the user's is touched


def test_the_platform_data_dir_keeps_its_key_in_the_users_config_dir(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(paths.ENV_VAR)
    key_path = paths.cache_key_path(None)
    assert key_path == tmp_path / "xdg-config" / "tvm-vote-tui" / "cache-key"  # conftest's, not the real one
    store = Store(paths.data_dir(None), key_path)
    store.create(session())
    assert key_path.is_file() and not (store.root / ".cache-key").exists()
    assert stat.S_IMODE(key_path.stat().st_mode) == 0o600
    assert stat.S_IMODE(key_path.parent.stat().st_mode) == 0o700


def test_the_key_is_private_random_and_kept(tmp_path: Path) -> None:
    first = CacheKey(tmp_path / "k")
    signed = first.sign(b"x")
    assert signed is not None
    text = (tmp_path / "k").read_text()
    assert len(text.strip()) == 64 and stat.S_IMODE((tmp_path / "k").stat().st_mode) == 0o600
    again = CacheKey(tmp_path / "k")
    assert again.check(signed[0], signed[1], b"x") is True
    assert again.check(signed[0], signed[1], b"y") is False
    assert CacheKey(tmp_path / "other").sign(b"x") != signed  # another secret


def test_parts_cannot_be_shifted_from_one_to_the_next(tmp_path: Path) -> None:
    key = CacheKey(tmp_path / "k")
    signed = key.sign(b"ab", b"c")
    assert signed is not None
    assert key.check(signed[0], signed[1], b"a", b"bc") is False


def test_a_key_made_at_once_by_two_instances_is_one_key(tmp_path: Path) -> None:
    keys = [CacheKey(tmp_path / "k") for _ in range(8)]
    results: list[tuple[str, str] | None] = [None] * len(keys)

    def sign(i: int) -> None:
        results[i] = keys[i].sign(b"same")

    threads = [threading.Thread(target=sign, args=(i,)) for i in range(len(keys))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(set(results)) == 1 and results[0] is not None
    assert [p.name for p in tmp_path.iterdir()] == ["k"]  # no temporary file left


def test_a_key_whose_maker_still_holds_its_temporary_name_is_waited_for(tmp_path: Path) -> None:
    """Another instance linked its new key into place and has not yet removed its temporary
    name: for that moment the key has two names. It is the key to use, not one to replace."""
    key = tmp_path / "k"
    theirs = tmp_path / ".k.abc.tmp"
    theirs.write_text("cd" * 32 + "\n")
    theirs.chmod(0o600)
    os.link(theirs, key)
    later = threading.Timer(0.1, theirs.unlink)
    later.start()
    signed = CacheKey(key).sign(b"same")
    later.join()
    assert signed == CacheKey(key).sign(b"same") and key.read_text() == "cd" * 32 + "\n"


UNTRUSTED = ["readable by others", "symlink", "hard link", "not hex", "folder", "fifo", "empty"]


def _plant(key: Path, how: str, elsewhere: Path) -> None:
    key.parent.mkdir(parents=True, exist_ok=True)
    secret = "ab" * 32 + "\n"
    if how == "readable by others":
        key.write_text(secret)
        key.chmod(0o644)
    elif how == "symlink":
        elsewhere.write_text(secret)
        elsewhere.chmod(0o600)
        key.symlink_to(elsewhere)
    elif how == "hard link":
        elsewhere.write_text(secret)
        elsewhere.chmod(0o600)
        os.link(elsewhere, key)
    elif how == "not hex":
        key.write_text("zz" * 32)
        key.chmod(0o600)
    elif how == "folder":
        key.mkdir()
    elif how == "fifo":
        os.mkfifo(key, 0o600)
    elif how == "empty":
        key.write_text("")
        key.chmod(0o600)


@pytest.mark.timeout(30)
@pytest.mark.parametrize("how", UNTRUSTED)
def test_a_key_file_that_cannot_be_trusted_is_not_used_and_is_replaced(tmp_path: Path, how: str) -> None:
    """A key someone else may have read (or planted) would let them sign a cache: it is not used,
    and the next cache written is signed with a new secret in its place."""
    path = tmp_path / "data" / ".cache-key"
    _plant(path, how, tmp_path / "planted")
    attacker = CacheKey(tmp_path / "planted-copy")
    if how in ("readable by others", "symlink", "hard link"):  # the attacker knows this secret
        (tmp_path / "planted-copy").write_text("ab" * 32 + "\n")
        (tmp_path / "planted-copy").chmod(0o600)
        forged = attacker.sign(b"forged")
        assert forged is not None
        assert CacheKey(path).check(forged[0], forged[1], b"forged") is None
    key = CacheKey(path)
    assert key.key_id is None and key.problem
    signed = key.sign(b"mine")
    if how == "folder":  # a folder cannot be replaced by a file: no cache, only slower
        assert signed is None and "cannot write the cache key" in key.problem
        return
    assert signed is not None
    info = os.lstat(path)
    assert stat.S_ISREG(info.st_mode) and stat.S_IMODE(info.st_mode) == 0o600 and info.st_nlink == 1
    if how == "symlink":
        assert (tmp_path / "planted").read_text() == "ab" * 32 + "\n"  # the link's target is untouched
    assert CacheKey(path).check(signed[0], signed[1], b"mine") is True


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="needs root to give a file away")
def test_a_key_file_of_another_user_is_not_used(tmp_path: Path) -> None:
    path = tmp_path / "k"
    path.write_text("ab" * 32)
    path.chmod(0o600)
    os.chown(path, 4242, 4242)
    key = CacheKey(path)
    assert key.key_id is None and "belongs to another user" in key.problem


def test_without_a_key_no_cache_is_used_or_left(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A key that cannot be made (a read-only config dir): caches are neither written nor read,
    and every file is read as TOML: slower, never wrong."""
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("x")
    store = Store(tmp_path / "data", blocked / "cache-key")
    path = store.create(session([("m0", "+1")]))
    from tvm_vote_tui.store.mirror import mirror_path

    assert not mirror_path(path).exists()
    assert load(path, key=store.key).session.tally().binding.plus == 1
