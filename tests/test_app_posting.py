"""Posting to GitHub from the app, against the local stand-in: F2 `o` posts the [VOTE] (shown first,
posted on ctrl+s, the draft opening at the issue's own time); F6 `p` lists the result steps (each
one may be left out), shows each chosen one and posts it; F9 ctrl+t and the palette post the tally,
as often as asked; a refusal is one line and nothing is recorded; a lost answer is found, never
posted twice."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager
from pathlib import Path

import pytest
from textual.widgets import Checkbox, Input, RadioSet, Static

from tests.app_helpers import NOW, Running, app_for, demo_store
from tests.github_fake import configure
from tests.github_posting_fake import TOKEN, FakeGitHubApi
from tests.test_app_lifecycle import said, sample_draft
from tvm_vote_tui.app.screens.base import VoteScreen
from tvm_vote_tui.app.screens.open_vote import OpenVoteDialog
from tvm_vote_tui.app.widgets.post_preview import PostPreview
from tvm_vote_tui.app.widgets.publish_steps import PublishSteps
from tvm_vote_tui.demo import OPENS_AT, sample_session
from tvm_vote_tui.domain.model import Session

CREATED = NOW.subtract(minutes=5)
"""When the stand-in says it created what the app posts (GitHub's clock, not the app's)."""


@pytest.fixture
def fake(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeGitHubApi]:
    monkeypatch.setenv("GITHUB_TOKEN", TOKEN)
    monkeypatch.delenv("GH_TOKEN", raising=False)
    with FakeGitHubApi(first=18013) as api:
        api.clock = CREATED.format("YYYY-MM-DD[T]HH:mm:ss[Z]")
        configure(api.url)
        yield api


async def idle(r: Running, until: Callable[[], bool] | None = None) -> None:
    """Let the app work (the posting worker waits on its dialogs, so it is not waited for)."""
    for _ in range(200):
        await r.pilot.pause(0.02)
        busy = any(w.group != "posting" and not w.is_finished for w in r.app.workers)
        if not busy and not r.app.posting_now and (until is None or until()):
            return
    raise AssertionError(f"the app did not settle: {r.app.screen}, said {said(r.app)}")


@asynccontextmanager
async def app_on(data_dir: Path, session: Session, screen_key: str = "") -> AsyncIterator[Running]:
    store, path = demo_store(data_dir, session)
    app = app_for(data_dir, open_path=path)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        r = Running(app, pilot, store, path)
        await idle(r, lambda: isinstance(app.screen, VoteScreen))
        if screen_key:
            await pilot.press(screen_key)
            await idle(r)
        yield r


async def press(r: Running, *keys: str, until: Callable[[], bool] | None = None) -> None:
    await r.pilot.press(*keys)
    await idle(r, until)


def shown(r: Running) -> str:
    """The text of the post the preview dialog shows."""
    return preview(r).text


def preview(r: Running) -> PostPreview:
    assert isinstance(r.app.screen, PostPreview), r.app.screen
    return r.app.screen


def posted_vote(fake: FakeGitHubApi) -> Session:
    """A vote opened by posting its [VOTE] as issue 18013 on the stand-in, then closed."""
    session = sample_session()
    issue = fake.add_issue("apache/tvm", "[VOTE] Adopt", "the vote", fake.login, at="2026-11-24T17:00:00Z")
    session.set_thread(issue["html_url"], OPENS_AT)
    session.close(OPENS_AT.add(days=1), "every binding member has voted")
    return session


def result_fake_urls(fake: FakeGitHubApi) -> list[tuple[str, str]]:
    return [(seen.method, seen.path) for seen in fake.posts()]


# -- the [VOTE] --------------------------------------------------------------------------------------


async def choose_github(r: Running) -> None:
    await press(r, "f2")
    await press(r, "o", until=lambda: isinstance(r.app.screen, OpenVoteDialog))
    ways = r.app.screen.query_one("#ways", RadioSet)
    await press(r, "down", "down", "enter")
    assert ways.pressed_button is not None and ways.pressed_button.id == "way-github"


async def test_f2_posts_the_vote_shown_first_and_opens_at_the_issues_own_time(
    isolated_data_dir: Path, fake: FakeGitHubApi
) -> None:
    async with app_on(isolated_data_dir, sample_draft()) as r:
        await choose_github(r)
        assert r.app.screen.query_one("#repo", Input).value == "apache/tvm"
        assert "Show the issue (ctrl+s)" in str(r.app.screen.query_one("#ok").render())
        await press(r, "ctrl+s", until=lambda: isinstance(r.app.screen, PostPreview))
        text = shown(r)
        assert text.startswith("Title: [VOTE] ") and f"session={r.session.session_id} step=vote" in text
        assert "a new issue in apache/tvm on 127.0.0.1:" in preview(r).where
        assert fake.posts() == [] and r.saved().is_draft  # nothing before the manager confirms
        await press(r, "ctrl+s", until=lambda: not r.saved().is_draft)
        [post] = fake.posts()
        assert post.path == "/repos/apache/tvm/issues" and post.headers["Authorization"] == f"Bearer {TOKEN}"
        assert post.json["title"] + "\n\n" + post.json["body"] == text.removeprefix("Title: ")
        saved = r.saved()
        vote = saved.post("vote")
        assert vote is not None and vote.number == 18013 and vote.at == CREATED
        assert saved.proposal.opens_at == CREATED and saved.proposal.closes_at == CREATED.add(days=7)
        assert saved.proposal.thread.endswith("/apache/tvm/issues/18013")
        assert any(m.startswith("Posted and recorded: the [VOTE]") for m in said(r.app))


async def test_escape_on_the_vote_preview_posts_nothing_and_keeps_the_draft(
    isolated_data_dir: Path, fake: FakeGitHubApi
) -> None:
    async with app_on(isolated_data_dir, sample_draft()) as r:
        await choose_github(r)
        r.app.screen.query_one("#repo", Input).value = "tlc-pack/relax"
        await press(r, "ctrl+s", until=lambda: isinstance(r.app.screen, PostPreview))
        assert "a new issue in tlc-pack/relax" in preview(r).where
        await press(r, "escape", until=lambda: isinstance(r.app.screen, VoteScreen))
        assert fake.requests == [] and r.saved().is_draft and r.saved().post("vote") is None


async def test_a_refused_post_is_one_line_and_nothing_is_recorded(
    isolated_data_dir: Path, fake: FakeGitHubApi
) -> None:
    fake.fail("POST", r"/issues$", status=403, body={"message": "Resource not accessible by integration"})
    async with app_on(isolated_data_dir, sample_draft()) as r:
        await r.app.run_action("post_vote")
        await idle(r, lambda: isinstance(r.app.screen, PostPreview))
        await press(r, "ctrl+s", until=lambda: isinstance(r.app.screen, VoteScreen))
        [refusal] = [m for m in said(r.app) if "may not write issues" in m]
        assert "\n" not in refusal and '"Issues: write"' in refusal
        assert r.saved().is_draft and r.saved().proposal.published == ()


async def test_no_token_says_so_and_sends_nothing(
    isolated_data_dir: Path, fake: FakeGitHubApi, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("GITHUB_TOKEN")
    async with app_on(isolated_data_dir, sample_draft()) as r:
        await r.app.run_action("post_vote")
        await idle(r)
        assert isinstance(r.app.screen, VoteScreen)
        assert any(m.startswith("posting to GitHub needs a token") for m in said(r.app))
        assert fake.requests == [] and r.saved().is_draft


async def test_a_lost_answer_is_found_by_its_marker_and_recorded_once(
    isolated_data_dir: Path, fake: FakeGitHubApi
) -> None:
    fake.fail("POST", r"/issues$", action="drop_after")
    async with app_on(isolated_data_dir, sample_draft()) as r:
        await r.app.run_action("post_vote")
        await idle(r, lambda: isinstance(r.app.screen, PostPreview))
        await press(r, "ctrl+s", until=lambda: not r.saved().is_draft)
        assert len(fake.posts()) == 1 and len(fake.issues) == 1
        assert r.saved().post("vote") is not None
        assert any(m.startswith("Found posted earlier (nothing posted again)") for m in said(r.app))


# -- the [RESULT] ------------------------------------------------------------------------------------


async def test_f6_p_lists_the_steps_one_left_out_then_done_on_the_second_run(
    isolated_data_dir: Path, fake: FakeGitHubApi
) -> None:
    async with app_on(isolated_data_dir, posted_vote(fake), "f6") as r:
        await press(r, "p", until=lambda: isinstance(r.app.screen, PublishSteps))
        boxes = {box.id: box for box in r.app.screen.query(Checkbox)}
        assert set(boxes) == {"step-result-issue", "step-link-comment", "step-close-issue"}
        await press(r, "tab", "space")  # the comment linking the result: left out this time
        assert not boxes["step-link-comment"].value and boxes["step-close-issue"].value
        await press(r, "ctrl+s", until=lambda: isinstance(r.app.screen, PostPreview))
        assert shown(r).startswith("Title: [RESULT][VOTE] ") and fake.posts() == []
        await press(r, "ctrl+s", until=lambda: isinstance(r.app.screen, PostPreview))
        assert shown(r).startswith("The issue apache/tvm#18013 is closed")
        await press(r, "ctrl+s", until=lambda: isinstance(r.app.screen, VoteScreen))
        assert result_fake_urls(fake) == [
            ("POST", "/repos/apache/tvm/issues"),
            ("PATCH", "/repos/apache/tvm/issues/18013"),
        ]
        saved = r.saved()
        result = saved.post("result-issue")
        assert result is not None and result.number == 18014 and saved.post("close-issue") is not None
        assert saved.post("link-comment") is None
        assert "Not done: link-comment (F6, p)." in said(r.app)[-1]

        await press(r, "p", until=lambda: isinstance(r.app.screen, PublishSteps))  # only what is missing
        assert [box.id for box in r.app.screen.query(Checkbox)] == ["step-link-comment"]
        done = "\n".join(str(s.render()) for s in r.app.screen.query(Static))
        assert "✓ 1. the [RESULT] issue: done" in done and result.url in done
        await press(r, "ctrl+s", until=lambda: isinstance(r.app.screen, PostPreview))
        assert f"The result: {result.url}\n" in shown(r)
        await press(r, "ctrl+s", until=lambda: isinstance(r.app.screen, VoteScreen))
        assert len(fake.posts()) == 3 and len(fake.comments_of(18013)) == 1
        assert r.saved().missing_steps(("result-issue", "link-comment", "close-issue")) == []
        await press(r, "p")
        assert isinstance(r.app.screen, VoteScreen) and "published on GitHub already" in said(r.app)[-1]


async def test_leaving_out_a_step_on_its_preview_posts_nothing_for_it(
    isolated_data_dir: Path, fake: FakeGitHubApi
) -> None:
    async with app_on(isolated_data_dir, posted_vote(fake), "f6") as r:
        await r.app.run_action("publish_result")  # the palette's way
        await idle(r, lambda: isinstance(r.app.screen, PublishSteps))
        await press(r, "ctrl+s", until=lambda: isinstance(r.app.screen, PostPreview))
        await press(r, "l", until=lambda: isinstance(r.app.screen, PostPreview))  # no [RESULT] issue
        assert "apache/tvm#18013" in preview(r).where and fake.posts() == []
        await press(r, "escape", until=lambda: isinstance(r.app.screen, VoteScreen))
        assert fake.posts() == [] and r.saved().proposal.published == ()
        assert "Publishing stopped" in said(r.app)[-1]


# -- the status comment ------------------------------------------------------------------------------


async def test_the_tally_is_posted_on_request_as_often_as_asked(
    isolated_data_dir: Path, fake: FakeGitHubApi
) -> None:
    session = sample_session(ballots=3)
    issue = fake.add_issue("apache/tvm", "[VOTE] Adopt", "the vote", fake.login)
    session.set_thread(issue["html_url"], OPENS_AT)
    async with app_on(isolated_data_dir, session, "f9") as r:
        assert fake.posts() == []  # never by itself
        for step in ("status-comment", "status-comment-2"):
            await press(r, "ctrl+t", until=lambda: isinstance(r.app.screen, PostPreview))
            assert shown(r).startswith("Tally so far, at ") and f"step={step} -->" in shown(r)
            await press(r, "ctrl+s", until=lambda: isinstance(r.app.screen, VoteScreen))
        assert [c["body"].split(",")[0] for c in fake.comments_of(18013)] == ["Tally so far"] * 2
        assert r.saved().post("status-comment") is not None and r.saved().post("status-comment-2") is not None


async def test_quitting_while_a_post_is_in_flight_asks_first(isolated_data_dir: Path) -> None:
    async with app_on(isolated_data_dir, sample_draft()) as r:
        r.app.posting.busy = "the [VOTE]"  # as while a post is in flight
        await r.app.action_quit()
        await r.pilot.pause()
        assert r.app.is_running and "press ctrl+q again to quit now" in said(r.app)[-1]
        r.app.posting.busy = ""


# -- the dev@ thread remembered ----------------------------------------------------------------------


async def test_f9_offers_the_dev_thread_the_session_remembers_beside_its_issue(
    isolated_data_dir: Path,
) -> None:
    session = sample_session(ballots=3)
    session.set_thread("https://github.com/apache/tvm/issues/18013", OPENS_AT)
    session.set_list_thread("https://lists.apache.org/thread/5wnbldtbbcog", OPENS_AT)
    async with app_on(isolated_data_dir, session, "f9") as r:
        typed = r.app.screen.query_one("#thread-path", Input).value
        assert (
            typed == "https://github.com/apache/tvm/issues/18013 https://lists.apache.org/thread/5wnbldtbbcog"
        )
