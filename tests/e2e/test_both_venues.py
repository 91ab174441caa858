"""A vote followed at both its venues through the installed `tvm-vote-tui`: the GitHub issue and the
dev@ thread (a Pony Mail stand-in), mirrored both ways, make one tally in which each ballot counts
once, by the right person: on the command line in a real process, and in F9 in a real terminal."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer

from tests.e2e.conftest import Cli, StartTui
from tests.factories import sample_with_handles
from tests.github_fake import configure
from tests.ponymail_fake import mirrored_vote
from tvm_vote_tui.store.sessions import Store

SECRET = "ghp_BOTHvenues0123456789abcdefABCDEF0123"
CLEAR = {"ada", "baonguyen", "chenwei", "dorlov", "hsato", "lena", "priya"}


@pytest.fixture(scope="session")
def httpserver_listen_address() -> tuple[str, int]:
    return ("127.0.0.1", 0)


def test_the_command_line_counts_each_ballot_once(
    cli: Cli, isolated_data_dir: Path, httpserver: HTTPServer
) -> None:
    github, mail = mirrored_vote(httpserver)
    name = Store(isolated_data_dir).create(sample_with_handles()).stem
    result = cli(
        "import-thread",
        name,
        "--github",
        "16368",
        "--api-url",
        github.api_url,
        "--list",
        mail.thread_url,
        "--dry-run",
        "--json",
        env={"GITHUB_TOKEN": SECRET},
    )
    assert result.status == 0, result
    data = json.loads(result.stdout)
    assert {p["voter"] for p in data["clear"]} == CLEAR and len(data["mirrored"]) == 15
    [bridge] = [p for p in data["review"] if p["voter"] == "tvm-archiver"]
    assert any("posted by the mail bridge (@tvm-archiver)" in r for r in bridge["reasons"])
    # The token went to the GitHub stand-in only, never to the mail archive.
    assert all(h.get("Authorization") == f"Bearer {SECRET}" for _, h, _ in github.requests)
    assert mail.requests and not any("Authorization" in h for _, h in mail.requests)


def test_f9_reads_both_venues(start_tui: StartTui, isolated_data_dir: Path, httpserver: HTTPServer) -> None:
    github, mail = mirrored_vote(httpserver, prefix="/api/v3")
    configure(github.api_url)
    name = Store(isolated_data_dir).create(sample_with_handles()).stem
    tui = start_tui("open", name, size=(120, 36))
    tui.wait_for("Ada Lindqvist")
    tui.press("f9")
    tui.wait_for("GitHub issue (16368")
    tui.type_text(f"{github.issue_url} {mail.thread_url}")
    tui.press("ctrl+r")
    tui.wait_for("apache/tvm#16368 + dev@ thread 5wnbldtbbcog: 12 messages, 10 voters with a vote: 7 clear")
    tui.wait_for("15 posts seen at both venues, counted once.")
    tui.wait_for("Bao Nguyen")
    tui.press("ctrl+s")
    tui.wait_for("Recorded 7 ballots from apache/tvm#16368 + dev@ thread 5wnbldtbbcog")
    tui.press("ctrl+q")
    assert tui.wait_exit() == 0
    saved = Store(isolated_data_dir).load(Store(isolated_data_dir).resolve(name))
    assert sorted(b.voter for b in saved.ballots) == sorted(CLEAR)
