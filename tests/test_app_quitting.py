"""Keys and results that land after ctrl+q: the app quits cleanly (status 0) and shows nothing new.

Once `exit()` is called Textual mounts no widget, yet a screen shown then still gets its Mount:
the sessions list, composed empty, crashed on `query_one('#sessions')` and the app exited 1. A key
pressed just before ctrl+q can reach the app's bindings after it: keys bubble up through the
focused widget's and the screen's queues, while ctrl+q is a priority binding the app handles at
once. These tests put the late key (or result) right after the quit, as it happens then."""

from __future__ import annotations

import asyncio
import threading
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer
from textual.widgets import Input
from textual.worker import WorkerState
from werkzeug import Request, Response

from tests.app_helpers import app_for, demo_store, running, settle
from tests.github_fake import ISSUE_PATH, recorded
from tests.test_app_import import fetching
from tvm_vote_tui.store.sessions import OpenSession


@pytest.fixture(scope="session")
def httpserver_listen_address() -> tuple[str, int]:
    return ("127.0.0.1", 0)


@pytest.mark.parametrize("action", ["show('sessions')", "show('roster')", "help", "new_session"])
async def test_a_screen_asked_for_just_after_ctrl_q_is_not_shown(
    isolated_data_dir: Path, action: str
) -> None:
    async with running(isolated_data_dir, screen="proposal") as r:
        await r.app.run_action("quit")  # ctrl+q: quits once the screen's edits are handled
        r.app.call_later(r.app.run_action, action)  # the key pressed just before, handled after it
        await r.pilot.pause()
        assert r.app.return_code == 0 and r.app.crash is None
        assert type(r.app.screen).__name__ == "ProposalScreen"


async def test_a_session_picked_just_before_ctrl_q_is_not_opened(isolated_data_dir: Path) -> None:
    """Enter on the list, then ctrl+q: the quit lets the open session go, and none is taken after."""
    store, path = demo_store(isolated_data_dir)
    app = app_for(isolated_data_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await app.run_action("quit")
        app.call_later(app.open_session, path)
        await pilot.pause()
        assert app.return_code == 0 and app.crash is None
        assert app.meeting.current is None
    again = OpenSession.open(store, path)  # nobody holds it: it opens for writing
    try:
        assert not again.read_only
    finally:
        again.close()


async def test_a_thread_read_that_ends_as_the_app_quits_is_dropped(
    isolated_data_dir: Path, httpserver: HTTPServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """F9: the read ends just as ctrl+q lets the session go. Its result, already on its way to the
    screen, has no session to be proposed for: it is dropped, and the app exits 0."""
    monkeypatch.delenv("GITHUB_TOKEN", raising=False)
    monkeypatch.delenv("GH_TOKEN", raising=False)
    go = threading.Event()

    def held(_: Request) -> Response:
        go.wait(10)
        return Response("[]", content_type="application/json")

    async with fetching(isolated_data_dir, httpserver) as f:
        comments = f"/api/v3{ISSUE_PATH}/comments"
        httpserver.clear_all_handlers()
        httpserver.expect_request(f"/api/v3{ISSUE_PATH}").respond_with_json(recorded("issue_16368.json"))
        httpserver.expect_request(comments).respond_with_handler(held)
        f.screen.query_one("#thread-path", Input).value = f.issue_url
        await f.pilot.press("ctrl+r")
        worker = f.screen.reading.worker if f.screen.reading else None
        assert worker is not None
        go.set()
        for _ in range(10_000):  # one loop turn at a time: stop as soon as the result is sent
            if worker.state is WorkerState.SUCCESS:
                break
            await asyncio.sleep(0)
        assert worker.state is WorkerState.SUCCESS and f.screen.reading is not None  # not handled yet
        f.app._quit_now()  # what ctrl+q ends in: the session let go, exit()
        await f.pilot.pause()
        assert f.app.return_code == 0 and f.app.crash is None
