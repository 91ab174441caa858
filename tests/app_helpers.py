"""Building the real app for Pilot and snapshot tests, on a temporary data dir and a fixed clock.

The app reads files in worker threads, as it does for users; tests wait for those workers."""

from __future__ import annotations

import contextlib
import io
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, replace
from datetime import timedelta
from pathlib import Path

from pendulum import DateTime, Duration
from rich.console import Console
from textual.pilot import Pilot
from textual.worker import WorkerCancelled

from tvm_vote_tui import demo
from tvm_vote_tui.app.app import VoteApp, make_app
from tvm_vote_tui.app.registry import BY_NAME
from tvm_vote_tui.app.screens.base import VoteScreen
from tvm_vote_tui.demo import OPENS_AT, roster, sample_session
from tvm_vote_tui.domain.model import Session
from tvm_vote_tui.domain.votes import parse_vote
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


def app_for(
    data_dir: Path, *, open_path: Path | None = None, clock: Callable[[], DateTime] = clock
) -> VoteApp:
    """The real app, as `tvm-vote-tui` (or `tvm-vote-tui open`) builds it."""
    return make_app(Store(data_dir), clock=clock, open_path=open_path)


def sample_session_moved(shift: Duration, ballots: int | None = None) -> Session:
    """The sample vote (demo.sample_session) with every time moved by `shift`."""
    opens = OPENS_AT + shift
    proposal = replace(demo.proposal(), opens_at=opens, closes_at=opens + timedelta(days=7))
    session = Session.new(proposal, demo.roster(), at=opens)
    session.open_vote(opens, venue="now, called in a meeting", at=opens)
    for minute, (voter, vote, note) in enumerate(demo.BALLOTS[:ballots]):
        session.record(voter, parse_vote(vote), note=note, at=opens + timedelta(hours=1, minutes=minute))
    return session


def screen_text(app: VoteApp) -> str:
    """The screen as a user sees it now (as Textual's own screenshot renders it), as plain text
    with trailing spaces removed."""
    console = Console(width=app.size.width, height=app.size.height, file=io.StringIO(), record=True)
    console.print(app.screen._compositor.render_update(full=True, screen_stack=app._background_screens))
    return "\n".join(line.rstrip() for line in console.export_text().splitlines())


async def settle(pilot: Pilot[None]) -> None:
    """Wait until the app is idle: workers done (reading, opening, folding) and their results shown."""
    app = pilot.app
    for _ in range(3):
        for worker in list(app.workers):
            with contextlib.suppress(WorkerCancelled):  # a screen left while it read: as users do
                await worker.wait()
        await pilot.pause()


@dataclass
class Running:
    app: VoteApp
    pilot: Pilot[None]
    store: Store
    path: Path

    @property
    def session(self) -> Session:
        assert self.app.meeting.current is not None
        return self.app.meeting.current.session

    def saved(self) -> Session:
        """The session as another process would read it from disk now."""
        return self.store.load(self.path)

    async def press(self, *keys: str) -> None:
        await self.pilot.press(*keys)
        await settle(self.pilot)


@asynccontextmanager
async def running(
    data_dir: Path,
    session: Session | None = None,
    *,
    screen: str = "ballots",
    size: tuple[int, int] = (80, 24),
    shared_roster: bool = True,
    shift: Duration | None = None,
) -> AsyncIterator[Running]:
    """The app opened on `session` (the sample vote by default) and showing `screen`; with
    `shift`, the sample vote and the clock are moved by it (see tests/conftest.py Zone)."""
    moved = shift or Duration()
    if shift is not None and session is None:
        session = sample_session_moved(shift)
    store, path = demo_store(data_dir, session, shared_roster=shared_roster)
    app = app_for(data_dir, open_path=path, clock=lambda: NOW + moved)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, VoteScreen) and app.screen.NAME == "ballots", app.screen
        if screen != "ballots":
            await pilot.press(BY_NAME[screen].key)
            await settle(pilot)
        yield Running(app, pilot, store, path)
