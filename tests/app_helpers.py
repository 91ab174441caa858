"""Building the real app for Pilot and snapshot tests, on a temporary data dir and a fixed clock."""

from __future__ import annotations

from pathlib import Path

from tvm_vote_tui.app.app import VoteApp, make_app
from tvm_vote_tui.demo import OPENS_AT, roster, sample_session
from tvm_vote_tui.domain.model import Session
from tvm_vote_tui.store.sessions import Store

NOW = OPENS_AT.add(days=1, hours=2, minutes=3, seconds=4)


def clock():
    return NOW


def demo_store(
    data_dir: Path, session: Session | None = None, *, shared_roster: bool = True
) -> tuple[Store, Path]:
    store = Store(data_dir)
    if shared_roster:
        store.save_roster(roster())
    path = store.create(session if session is not None else sample_session())
    return store, path


def app_for(data_dir: Path, *, open_path: Path | None = None, background: bool = False) -> VoteApp:
    """The real app; by default it reads files at once so tests need not wait for workers."""
    return make_app(Store(data_dir), clock=clock, open_path=open_path, background=background)
