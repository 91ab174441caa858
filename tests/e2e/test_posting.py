"""A vote's whole life at its venue, through the installed `tvm-vote-tui` in a real terminal and the
GitHub stand-in (named in the manager's configuration): a draft opened by posting its [VOTE] (shown
first), ballots, closed, the result published in its three steps, and after a restart everything
found as it was; the command line reads the same record. The token went only to the stand-in."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.conftest import Cli, StartTui
from tests.e2e.test_lifecycle import PMC_CSV, cast, close_early
from tests.github_fake import configure
from tests.github_posting_fake import TOKEN, FakeGitHubApi


@pytest.fixture
def fake() -> Iterator[FakeGitHubApi]:
    with FakeGitHubApi(first=18013) as api:
        configure(api.url)
        yield api


def test_draft_posted_ballots_closed_published_restart(
    start_tui: StartTui, cli: Cli, tmp_path: Path, fake: FakeGitHubApi
) -> None:
    roster = tmp_path / "pmc.csv"
    roster.write_text(PMC_CSV)
    made = cli("new", "Adopt the Relax codebase", "--kind", "new-codebase", "--roster", str(roster))
    assert made.status == 0, made.stderr
    name = Path(made.stdout.strip()).stem
    env = {"GITHUB_TOKEN": TOKEN}

    tui = start_tui("open", name, size=(80, 24), env=env)
    tui.wait_for("DRAFT")
    tui.press("f2")
    tui.wait_for("Title (required)")
    tui.press("o")
    tui.wait_for("Open the vote: Adopt the Relax codebase", "Post the [VOTE] to GitHub")
    tui.press("down", "down", "enter")
    tui.wait_for("Repo", "apache/tvm", "Show the issue (ctrl+s)")
    tui.press("ctrl+s")
    tui.wait_for("Post the [VOTE] to GitHub as a new issue?", "Title: [VOTE] Adopt the Relax codebase")
    assert fake.requests == []  # shown, not posted
    tui.press("ctrl+s")
    tui.wait_for("Posted and recorded: the [VOTE]")
    tui.wait_for_regex(r"· opened \d{4}-\d\d-\d\d \d\d:\d\d")
    assert [(s.method, s.path) for s in fake.posts()] == [("POST", "/repos/apache/tvm/issues")]

    tui.press("f4")
    cast(tui, "ada", "Ada Lovelace")
    cast(tui, "bru", "Bruno Costa")
    cast(tui, "chen", "Chen Wei")
    close_early(tui)

    tui.press("f6")
    tui.wait_for("[RESULT] text")
    tui.press("p")
    tui.wait_for("Publish the result on GitHub", "1. the [RESULT] issue", "3. the vote issue closed")
    tui.press("ctrl+s")
    tui.wait_for("step 1 of 3: the [RESULT] issue?", "Title: [RESULT][VOTE] Adopt the Relax codebase")
    tui.press("ctrl+s")
    tui.wait_for("step 2 of 3")
    tui.press("ctrl+s")
    tui.wait_for("step 3 of 3", "The issue apache/tvm#18013 is closed")
    tui.press("ctrl+s")
    tui.wait_for("Every step is done.")  # the notice wraps at 80 columns
    tui.press("ctrl+q")
    assert tui.wait_exit() == 0
    assert "Traceback" not in tui.output_after_exit()

    assert [(s.method, s.path) for s in fake.posts()] == [
        ("POST", "/repos/apache/tvm/issues"),
        ("POST", "/repos/apache/tvm/issues"),
        ("POST", "/repos/apache/tvm/issues/18013/comments"),
        ("PATCH", "/repos/apache/tvm/issues/18013"),
    ]
    assert fake.issue(18013)["state"] == "closed" and fake.issue(18014)["title"].startswith("[RESULT]")
    assert "/apache/tvm/issues/18014" in fake.comments_of(18013)[0]["body"]
    assert all(s.headers.get("Authorization") == f"Bearer {TOKEN}" for s in fake.requests)

    again = start_tui("open", name, size=(80, 24), env=env)
    again.wait_for("CLOSED: the vote PASSED.")
    again.press("f6")
    again.wait_for("[RESULT] text")
    again.press("p")  # nothing left to do, nothing posted again
    again.wait_for("The result is published on GitHub")
    again.press("f7")
    again.wait_for("publish")
    again.press("ctrl+q")
    assert again.wait_exit() == 0
    assert len(fake.posts()) == 4

    proposal = json.loads(cli("export", name, "--format", "json").stdout)["proposal"]
    steps = {p["step"]: p for p in proposal["published"]}
    assert list(steps) == ["vote", "result-issue", "link-comment", "close-issue"]
    assert steps["vote"]["number"] == 18013 and steps["result-issue"]["number"] == 18014
    assert proposal["opens_at"] == re.sub(r"Z$", "+00:00", fake.issue(18013)["created_at"])
    tally = json.loads(cli("tally", name, "--json").stdout)
    assert (tally["status"], tally["outcome"]) == ("closed", "passed")
    assert TOKEN.encode() not in b"".join(p.read_bytes() for p in tmp_path.rglob("*") if p.is_file())
