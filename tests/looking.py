"""A data dir holding sessions in every state a reader may meet, and a picture of a folder that
changes whenever anything in it is written, created, removed or touched."""

from __future__ import annotations

import shutil
from pathlib import Path

from tests.factories import T0, roster, session
from tvm_vote_tui.domain.votes import parse_vote
from tvm_vote_tui.store.journal import journal_path
from tvm_vote_tui.store.sessions import OpenSession, Store

State = dict[str, tuple[bytes, int, int, int]]


def state(folder: Path) -> State:
    """Every file and folder under `folder`, hidden ones included: its bytes, size, mtime and
    mode. A folder's mtime changes when a file is made or removed in it, even one removed again."""
    found: State = {}
    for p in sorted(folder.rglob("*")):
        info = p.stat()
        found[str(p.relative_to(folder))] = (
            p.read_bytes() if p.is_file() else b"",
            info.st_size,
            info.st_mtime_ns,
            info.st_mode,
        )
    info = folder.stat()
    found["."] = (b"", info.st_size, info.st_mtime_ns, info.st_mode)
    return found


def every_reader_case(data_dir: Path) -> Store:
    """Sessions with pending journal entries and a torn last line, one from before session ids,
    one whose journal belongs to another session, a broken file and a file that is no session."""
    store = Store(data_dir)
    store.save_roster(roster(3))
    pending = store.create(session(members=roster(3), title="Pending ballots"))
    opened = OpenSession.open(store, pending)
    opened.session.record("m0", parse_vote("+1"), at=T0)
    opened.session.record("m1", parse_vote("-1"), note="mail me: m1@apache.org", at=T0)
    opened.close()
    with journal_path(pending).open("a") as handle:
        handle.write('{"seq": 3, "op": "ballot", "ballo')  # torn: a writer killed mid-line
    old = session(members=roster(3), title="From before session ids")
    old.session_id = ""
    store.create(old)
    grafted = store.create(session(members=roster(3), title="Replaced file"))
    shutil.copy(journal_path(pending), journal_path(grafted))
    (store.sessions_dir / "broken.toml").write_text("schema_version = 1\n[proposal\n")
    (store.sessions_dir / "notes.txt").write_text("not a session")
    return store
