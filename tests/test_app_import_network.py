"""F9 against misbehaving servers and a thread that changes under it: the read shows its progress
and escape cancels it, a failure is one line on screen (never the token), the API comes from the
manager's configuration and never from the session file, and follow mode flags a ballot whose
comment is deleted or edited between reads instead of recording it."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer
from textual.widgets import Input, TextArea
from werkzeug import Request, Response

from tests.app_helpers import settle
from tests.github_fake import ISSUE_PATH, FakeGitHub, configure, recorded
from tests.test_app_import import Fetching, fetching, summary, voters
from tvm_vote_tui.app.widgets.review_table import ReviewTable
from tvm_vote_tui.store.config import config_path


@pytest.fixture(scope="session")
def httpserver_listen_address() -> tuple[str, int]:
    return ("127.0.0.1", 0)


@pytest.fixture(autouse=True)
def no_token(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("GITHUB_TOKEN", raising=False)
    monkeypatch.delenv("GH_TOKEN", raising=False)


async def until(f: Fetching, condition: Callable[[], bool], seconds: float = 8.0) -> None:
    ends = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < ends, f"not seen in time; the screen says: {summary(f.screen)}"
        await f.pilot.pause(0.05)


def dripping(request: Request) -> Response:
    def slowly() -> Iterator[bytes]:
        for byte in b"[" + b" " * 400 + b"]":
            time.sleep(0.05)
            yield bytes([byte])

    return Response(slowly(), content_type="application/json")


async def test_a_slow_read_shows_its_progress_and_escape_cancels_it(
    isolated_data_dir: Path, httpserver: HTTPServer
) -> None:
    async with fetching(isolated_data_dir, httpserver) as f:
        httpserver.clear_all_handlers()
        httpserver.expect_request(f"/api/v3{ISSUE_PATH}").respond_with_json(recorded("issue_16368.json"))
        httpserver.expect_request(f"/api/v3{ISSUE_PATH}/comments").respond_with_handler(dripping)
        f.screen.query_one("#thread-path", Input).value = f.issue_url
        await f.pilot.press("ctrl+r")
        await until(f, lambda: "page 1 of comments" in summary(f.screen))
        assert (
            summary(f.screen) == "Reading apache/tvm#16368: page 1 of comments (0 so far) … (escape cancels)"
        )
        assert f.screen.reading is not None
        await f.pilot.press("escape")
        assert summary(f.screen) == "Cancelled reading apache/tvm#16368: nothing read, nothing changed."
        assert f.screen.reading is None and f.screen.review.rows == []
        # The cancelled worker ends on its own in a moment; what it read is never used.
        await until(f, lambda: not [w for w in f.app.workers if w.group == "fetch"])
        assert f.screen.review.rows == [] and f.saved().proposal.thread == ""
        assert summary(f.screen).startswith("Cancelled reading")
        # The next read starts afresh and works.
        httpserver.clear_all_handlers()
        f.fake = FakeGitHub(httpserver, prefix="/api/v3")
        await f.press("ctrl+r")
        assert summary(f.screen).startswith("apache/tvm#16368: 9 messages")


@pytest.mark.parametrize(
    ("body", "said"),
    [
        ("[" * 50_000, "sent something that is not GitHub's JSON (JSON nested too deeply); nothing read"),
        ('{"number": ' + "9" * 5000 + "}", "not GitHub's JSON (a number too long to read); nothing read"),
    ],
)
async def test_a_broken_answer_is_one_line_on_screen(
    isolated_data_dir: Path, httpserver: HTTPServer, body: str, said: str
) -> None:
    async with fetching(isolated_data_dir, httpserver) as f:
        httpserver.clear_all_handlers()
        httpserver.expect_request(f"/api/v3{ISSUE_PATH}").respond_with_data(
            body, content_type="application/json"
        )
        f.screen.query_one("#thread-path", Input).value = f.issue_url
        await f.pilot.press("ctrl+r")
        await until(f, lambda: f.screen.reading is None)
        text = summary(f.screen)
        assert text.startswith("apache/tvm#16368: 127.0.0.1:") and text.endswith(f"{said}. Nothing changed.")


async def test_the_api_is_the_managers_never_the_session_files(
    isolated_data_dir: Path, httpserver: HTTPServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    secret = "ghp_SESSIONFILEtoken0123456789abcdefABC"
    monkeypatch.setenv("GITHUB_TOKEN", secret)
    async with fetching(isolated_data_dir, httpserver) as f:
        config_path().unlink()  # no configuration: the API is api.github.com
        evil = "https://evil.example/apache/tvm/issues/16368"
        f.screen.query_one("#thread-path", Input).value = evil  # as a session file would prefill it
        await f.press("ctrl+r")
        text = summary(f.screen)
        assert text.startswith(
            f"{evil} is on evil.example, but the GitHub API in use (https://api.github.com)"
        )
        assert "give --api-url (or api_url in your configuration)" in text
        assert f.screen.reading is None and f.fake.requests == []
        # The manager's configuration names the API: the issue is read there, with the token.
        configure(f.fake.api_url)
        f.screen.query_one("#thread-path", Input).value = f.issue_url
        await f.press("ctrl+r")
        assert summary(f.screen).startswith("apache/tvm#16368: 8 messages")
        assert all(headers["Authorization"] == f"Bearer {secret}" for _, headers, _ in f.fake.requests)
        assert secret[:8] not in summary(f.screen)


async def test_a_malformed_token_is_one_line_naming_the_variable(
    isolated_data_dir: Path, httpserver: HTTPServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GH_TOKEN", "ghp_abc\nX-Injected: yes")
    async with fetching(isolated_data_dir, httpserver) as f:
        f.screen.query_one("#thread-path", Input).value = f.issue_url
        await f.press("ctrl+r")
        text = summary(f.screen)
        assert text.startswith("$GH_TOKEN holds a line break, which a token never has")
        assert "ghp_abc" not in text and f.fake.requests == []


async def test_a_broken_configuration_is_one_line(isolated_data_dir: Path, httpserver: HTTPServer) -> None:
    async with fetching(isolated_data_dir, httpserver) as f:
        configure("http://a]b")
        f.screen.query_one("#thread-path", Input).value = f.issue_url
        await f.press("ctrl+r")
        text = summary(f.screen)
        assert "config.toml, field github.api_url: the address 'http://a]b' is not a web address" in text


async def test_follow_mode_flags_a_deleted_or_edited_ballot_and_reports_a_recorded_one(
    isolated_data_dir: Path, httpserver: HTTPServer
) -> None:
    async with fetching(isolated_data_dir, httpserver) as f:
        f.screen.query_one("#thread-path", Input).value = f.issue_url
        await f.press("ctrl+f")
        table = f.screen.query_one("#proposals", ReviewTable)
        table.focus()
        # The manager records ada's clear +1 alone.
        for row in f.screen.review.rows:
            row.accepted = row.proposed.voter == "ada"
        await f.press("ctrl+s")
        assert [b.voter for b in f.saved().ballots] == ["ada"]
        by_login = {c["user"]["login"]: c for c in f.fake.comments}
        # Between two reads: ada's comment is deleted, dorlov's is edited from -1 to +1, and
        # priya's is deleted before anyone recorded it.
        f.fake.comments = [c for c in f.fake.comments if c["user"]["login"] not in ("ada-l", "priya")]
        by_login["dorlov"]["body"] = "+1 (binding): the CUDA build works after all"
        by_login["dorlov"]["updated_at"] = "2026-11-26T12:00:10Z"
        f.clock.now = f.clock.now.add(seconds=31)
        f.screen.follow_tick()
        await settle(f.pilot)
        text = summary(f.screen)
        assert "3 ballots changed or gone since the last read: see •, none taken as read." in text
        rows = {row.proposed.voter: row for row in f.screen.review.rows if not row.proposed.skipped}
        assert not rows["dorlov"].accepted and "it said -1, now +1" in "; ".join(rows["dorlov"].proposed.why)
        assert not rows["priya"].accepted and "its post was deleted" in "; ".join(rows["priya"].proposed.why)
        [gone] = [row for row in f.screen.review.rows if row.proposed.skipped and row.proposed.voter == "ada"]
        assert gone.proposed.skipped.startswith("its post was deleted after its ballot (+1) was recorded")
        await f.press("ctrl+s")  # what is still accepted is recorded: none of the three flagged
        recorded_now = [b.voter for b in f.saved().ballots]
        assert recorded_now[0] == "ada" and not {"dorlov", "priya"} & set(recorded_now)
        assert "priya" in voters(f.screen) and "dorlov" in voters(f.screen)


async def test_ctrl_g_never_checks_a_pasted_page_at_a_host_it_names(
    isolated_data_dir: Path, httpserver: HTTPServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GITHUB_TOKEN", "ghp_PASTEDPAGEtoken0123456789abcdefABCD")
    page = (Path(__file__).parent / "threads" / "github_release_page.md").read_text(encoding="utf-8")
    lines = page.splitlines()
    lines[0] = "[VOTE] Release Apache TVM v0.19.0.rc0"
    lines.insert(1, "https://evil.example/apache/tvm/issues/18090")
    async with fetching(isolated_data_dir, httpserver) as f:
        config_path().unlink()  # the manager's API: api.github.com
        f.screen.query_one("#thread-path", Input).value = ""
        f.screen.query_one("#thread-text", TextArea).text = "\n".join(lines)
        await f.press("ctrl+r")
        assert f.screen.pasted is not None and f.screen.pasted.kind == "github"
        await f.press("ctrl+g")
        assert summary(f.screen).startswith("The page names no issue on the GitHub you read")
        assert [w for w in f.app.workers if w.group == "check"] == [] and f.fake.requests == []
