"""No write through a link, no second writer: the lock, journal, mirror and session file are never
followed through a symbolic link (nor a hard link where a write would reach another file), the
writer stops when its lock (or journal, or file) is taken away, and a session another instance
holds is not deleted."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from tests.factories import T0, roster, session
from tvm_vote_tui.cli import main
from tvm_vote_tui.domain.votes import parse_vote
from tvm_vote_tui.store.format import SessionFileError, session_from_toml
from tvm_vote_tui.store.journal import journal_path, read_journal
from tvm_vote_tui.store.mirror import mirror_path
from tvm_vote_tui.store.sessions import (
    COMPACT_EVERY,
    LockLost,
    OpenSession,
    Store,
    StoreError,
    load,
    lock_path,
)

PROFILE = "export PATH=/usr/bin\n"


@pytest.fixture
def store(isolated_data_dir: Path) -> Store:
    return Store(isolated_data_dir)


@pytest.fixture
def path(store: Store) -> Path:
    return store.create(session([("m0", "+1")], members=roster(3)))


@pytest.fixture
def profile(tmp_path: Path) -> Path:
    """A file of the user's that a planted link points to (a shell profile)."""
    target = tmp_path / "home" / ".profile"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(PROFILE)
    return target


def one_line(capsys: pytest.CaptureFixture[str], *words: str) -> str:
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err, err
    for word in words:
        assert word in err, err
    return err


# -- links --------------------------------------------------------------------------------------


@pytest.mark.parametrize("how", ["symlink", "hard link"])
def test_a_planted_lock_file_is_refused_and_its_target_untouched(
    store: Store, path: Path, profile: Path, how: str
) -> None:
    if how == "symlink":
        lock_path(path).symlink_to(profile)
    else:
        os.link(profile, lock_path(path))
    with pytest.raises(StoreError, match="never is") as caught:
        OpenSession.open(store, path)
    assert "\n" not in str(caught.value) and lock_path(path).name in str(caught.value)
    assert profile.read_text() == PROFILE


def test_a_lock_file_that_is_a_fifo_or_a_folder_is_refused(store: Store, path: Path) -> None:
    os.mkfifo(lock_path(path))
    with pytest.raises(StoreError, match="not a regular file"):
        OpenSession.open(store, path)
    lock_path(path).unlink()
    lock_path(path).mkdir()
    with pytest.raises(StoreError, match="cannot be opened for writing"):
        OpenSession.open(store, path)


@pytest.mark.parametrize("how", ["symlink", "hard link"])
def test_a_journal_linked_elsewhere_takes_no_appends(
    store: Store, path: Path, tmp_path: Path, how: str, capsys: pytest.CaptureFixture[str]
) -> None:
    outside = tmp_path / "outside.journal"
    opened = OpenSession.open(store, path)  # a journal of its own, with a header
    opened.close()
    os.replace(journal_path(path), outside)
    if how == "symlink":
        journal_path(path).symlink_to(outside)
    else:
        os.link(outside, journal_path(path))
    before = outside.read_bytes()
    # A link is refused as the journal is read; a second name for it, as the file is opened for writing.
    with pytest.raises(SessionFileError if how == "symlink" else StoreError):
        opened = OpenSession.open(store, path)
        opened.session.record("m1", parse_vote("+1"), at=T0)
    assert outside.read_bytes() == before
    if how == "symlink":  # readers refuse it too, with one line
        assert main(["tally", str(path)]) == 2
        one_line(capsys, journal_path(path).name, "symbolic link")


def test_a_symlinked_session_file_is_refused_and_never_replaced_by_a_copy(
    store: Store, path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    real = tmp_path / "elsewhere.toml"
    os.replace(path, real)
    path.symlink_to(real)
    with pytest.raises(StoreError, match="symbolic link"):
        OpenSession.open(store, path)
    assert not lock_path(path).exists()  # a failed open leaves no lock behind
    assert main(["tally", str(path)]) == 2
    one_line(capsys, path.name, "symbolic link", "give the file it points to")
    assert path.is_symlink()


def test_a_session_file_swapped_for_a_link_while_open_is_not_folded_over(
    store: Store, path: Path, tmp_path: Path
) -> None:
    opened = OpenSession.open(store, path)
    real = tmp_path / "elsewhere.toml"
    os.replace(path, real)
    path.symlink_to(real)
    with pytest.raises(LockLost, match="not a file"):
        opened.session.record("m1", parse_vote("+1"), at=T0)
    with pytest.raises(LockLost):
        opened.compact()
    opened.close()
    assert path.is_symlink()
    assert [b.voter for b in session_from_toml(real.read_text()).ballots] == ["m0"]


def test_a_symlinked_mirror_is_neither_followed_nor_written_through(
    store: Store, path: Path, profile: Path
) -> None:
    mirror_path(path).unlink()
    mirror_path(path).symlink_to(profile)
    loaded = load(path, key=store.key)
    assert loaded.session.tally().binding.plus == 1
    assert "symbolic link" in loaded.warning
    opened = OpenSession.open(store, path)
    opened.compact()  # writes a new mirror in place of the link, never into the profile
    opened.close()
    assert profile.read_text() == PROFILE
    assert stat.S_ISREG(os.lstat(mirror_path(path)).st_mode)


def test_a_journal_of_gigabytes_is_refused_with_one_line(
    store: Store, path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with open(journal_path(path), "wb") as f:
        f.truncate(3 << 30)
    with pytest.raises(SessionFileError, match="far more than its entries could take"):
        read_journal(journal_path(path))
    assert main(["tally", str(path)]) == 2
    one_line(capsys, journal_path(path).name, "3.0 GiB")
    assert os.stat(journal_path(path)).st_size == 3 << 30  # left as it was


# -- the lock taken away ---------------------------------------------------------------------


def _ballots_on_disk(path: Path) -> list[str]:
    return [b.voter for b in load(path).session.ballots]


@pytest.mark.parametrize("how", ["deleted", "replaced", "replaced by a folder"])
def test_a_writer_whose_lock_is_taken_away_stops_and_records_nothing(
    store: Store, path: Path, how: str
) -> None:
    first = OpenSession.open(store, path)
    first.session.record("m1", parse_vote("+1"), at=T0)
    lock = lock_path(path)
    lock.unlink()
    if how == "replaced":
        lock.write_text("pid 1 on elsewhere\n")
    elif how == "replaced by a folder":
        lock.mkdir()
    journal_before = journal_path(path).read_bytes()
    with pytest.raises(LockLost, match=f"lock file was {how.split()[0]}") as caught:
        first.session.record("m2", parse_vote("-1"), at=T0)
    assert "\n" not in str(caught.value)
    assert [b.voter for b in first.session.ballots] == ["m0", "m1"]  # NOT applied
    assert journal_path(path).read_bytes() == journal_before
    with pytest.raises(LockLost):  # and nothing more, ever
        first.session.record("m2", parse_vote("-1"), at=T0)
    with pytest.raises(LockLost):
        first.compact()
    first.close()
    assert _ballots_on_disk(path) == ["m0", "m1"]


def test_two_writers_never_share_a_session_after_its_lock_is_deleted(store: Store, path: Path) -> None:
    """The attack of the issue: the lock deleted while one records, a second opens it (and may
    write, the old lock being gone); the first writes nothing more, so no sequence number is
    used twice and the session stays readable."""
    first = OpenSession.open(store, path)
    first.session.record("m1", parse_vote("+1"), at=T0)
    lock_path(path).unlink()
    second = OpenSession.open(store, path)
    assert not second.read_only
    second.session.record("m2", parse_vote("-1"), at=T0)
    with pytest.raises(LockLost):
        first.session.record("m0", parse_vote("-1"), at=T0)
    second.session.record("m0", parse_vote("0"), at=T0)
    for _ in range(COMPACT_EVERY // 50):
        with pytest.raises(LockLost):
            first.compact()
    second.close()
    first.close()
    loaded = load(path)
    assert [(b.voter, b.vote.text if b.vote else "") for b in loaded.session.ballots] == [
        ("m0", "+1"),
        ("m1", "+1"),
        ("m2", "-1"),
        ("m0", "0"),
    ]


@pytest.mark.parametrize("what", ["journal", "session file"])
def test_a_writer_whose_journal_or_file_is_deleted_stops(store: Store, path: Path, what: str) -> None:
    opened = OpenSession.open(store, path)
    opened.session.record("m1", parse_vote("+1"), at=T0)
    (journal_path(path) if what == "journal" else path).unlink()
    with pytest.raises(LockLost, match="deleted"):
        opened.session.record("m2", parse_vote("+1"), at=T0)
    assert [b.voter for b in opened.session.ballots] == ["m0", "m1"]
    opened.close()


def test_the_lock_check_is_one_place_and_passes_while_held(store: Store, path: Path) -> None:
    opened = OpenSession.open(store, path)
    assert opened.lock is not None
    opened.lock.check()  # held: no error
    for minute in range(5):
        opened.session.record(f"m{minute % 3}", parse_vote("+1"), at=T0.add(minutes=minute))
    opened.compact()  # a fold replaces the journal and file, never the lock
    opened.lock.check()
    opened.close()


# -- deleting --------------------------------------------------------------------------------


def test_a_session_another_instance_holds_is_not_deleted(store: Store, path: Path) -> None:
    holder = OpenSession.open(store, path)  # another open file description: another instance
    files = sorted(p.name for p in store.sessions_dir.iterdir())
    with pytest.raises(StoreError, match="another tvm-vote-tui .*pid \\d+ on .* has this session open"):
        store.delete(path)
    assert sorted(p.name for p in store.sessions_dir.iterdir()) == files
    holder.session.record("m1", parse_vote("+1"), at=T0)  # still recording, on disk
    holder.close()
    assert _ballots_on_disk(path) == ["m0", "m1"]
    store.delete(path)
    assert [p.name for p in store.sessions_dir.iterdir() if not p.name.startswith(".summaries")] == []


def test_a_session_is_deleted_with_every_file_beside_it(store: Store, path: Path) -> None:
    opened = OpenSession.open(store, path)
    opened.session.record("m1", parse_vote("+1"), at=T0)
    opened.close()
    assert {journal_path(path).exists(), lock_path(path).exists(), mirror_path(path).exists()} == {True}
    store.delete(path)
    assert list(store.sessions_dir.iterdir()) == []


def test_a_session_file_of_gigabytes_is_refused_with_one_line_never_read(
    store: Store, path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with open(path, "r+b") as f:
        f.truncate(3 << 30)
    assert main(["tally", str(path)]) == 2
    one_line(capsys, path.name, "3.0 GiB", "not read")
    assert main(["list"]) == 0
    assert "3.0 GiB" in capsys.readouterr().out
