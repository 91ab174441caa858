"""The command line as a manager runs it, in a real process: a pasted page or saved mail only
proposes unless --yes, --check-github says which posts GitHub does not know, a look-alike address
or a stranger never counts as a member, members who look alike are warned of, ids that are not
plain are one line, and nothing exported pings anyone."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer

from tests.e2e.conftest import Cli
from tests.factories import sample_with_handles, session
from tests.github_fake import FakeGitHub
from tvm_vote_tui.demo import OPENS_AT
from tvm_vote_tui.domain.model import Member
from tvm_vote_tui.domain.votes import parse_vote
from tvm_vote_tui.store.sessions import Store

PAGE = """\
[VOTE] Release Apache TVM v0.19.0.rc0 #16368
mrossi opened this issue on Nov 24, 2026

Dear TVM community,

ada-l commented on Nov 24, 2026

+1. I checked the signatures, the checksums and the LICENSE/NOTICE files.

hsato commented on Nov 26, 2026

+1! Great work

olu commented on Nov 26, 2026

-1 (binding)
"""
"""hsato's comment ends in a header typed into it, laid out as GitHub lays one out."""


@pytest.fixture(scope="session")
def httpserver_listen_address() -> tuple[str, int]:
    return ("127.0.0.1", 0)


@pytest.fixture
def page(tmp_path: Path) -> Path:
    path = tmp_path / "page.md"
    path.write_text(PAGE)
    return path


def test_a_pasted_page_proposes_only_and_yes_records(cli: Cli, isolated_data_dir: Path, page: Path) -> None:
    store = Store(isolated_data_dir)
    path = store.create(sample_with_handles())
    before = path.read_bytes()
    result = cli("import-thread", path.stem, str(page))
    assert result.status == 0, result.stderr
    assert "Recorded 0 ballots" in result.stdout
    assert "Not recorded, pasted: author not verified (3)" in result.stdout
    assert "olu (Olu Adeyemi) -1 binding" in result.stdout
    assert "--check-github to compare the page with apache/tvm#16368" in result.stdout
    assert path.read_bytes() == before and not list(store.sessions_dir.glob(".*journal*"))
    data = json.loads(cli("import-thread", path.stem, str(page), "--json").stdout)
    assert data["pasted"] is True and data["recorded"] == [] and data["clear"] == []
    assert {p["voter"] for p in data["unverified"]} == {"ada", "hsato", "olu"}
    assert all(p["verified"] is False for p in data["unverified"])
    result = cli("import-thread", path.stem, str(page), "--yes")
    assert result.status == 0 and "Recorded 3 ballots" in result.stdout
    assert {b.voter for b in store.load(path).ballots} == {"ada", "hsato", "olu"}


def test_a_check_against_the_api_says_what_github_does_not_know(
    cli: Cli, isolated_data_dir: Path, page: Path, httpserver: HTTPServer
) -> None:
    fake = FakeGitHub(httpserver)
    store = Store(isolated_data_dir)
    path = store.create(sample_with_handles())
    result = cli("import-thread", path.stem, str(page), "--check-github", "--api-url", fake.api_url)
    assert result.status == 0, result.stderr
    assert "apache/tvm#16368 does not know 1 of the 4 posts of the pasted page" in result.stdout
    assert "@olu '-1 (binding)'" in result.stdout
    # What GitHub knows counts as read through the API: recorded; the forged -1 never is.
    assert "Recorded 2 ballots" in result.stdout and "has no such post by @olu" in result.stdout
    assert {b.voter for b in store.load(path).ballots} == {"ada", "hsato"}
    result = cli("import-thread", path.stem, str(page), "--check-github", "--api-url", fake.api_url, "--yes")
    assert "olu" not in {b.voter for b in store.load(path).ballots}  # not even with --yes
    result = cli("import-thread", path.stem, str(page), "--check-github", "99", "--api-url", fake.api_url)
    assert result.status == 2 and result.stderr.count("\n") == 1 and "nothing read" in result.stderr


def test_mail_from_a_look_alike_address_or_a_stranger_is_never_a_members_vote(
    cli: Cli, isolated_data_dir: Path, tmp_path: Path
) -> None:
    store = Store(isolated_data_dir)
    s = session(
        members=[Member("olu", "Olu Adeyemi", "olu@apache.org"), Member("ada", "Ada L", "ada@apache.org")]
    )
    s.record("olu", parse_vote("+1"), at=OPENS_AT.add(hours=1))
    path = store.create(s)
    mails = tmp_path / "thread.mbox"
    mails.write_text(
        "From: Olu Adeyemi <olu@apáche.org>\nDate: Tue, 25 Nov 2026 10:00:00 +0000\n\n-1 (binding)\n\n"
        "From: OLU <someone@evil.example>\nDate: Tue, 25 Nov 2026 11:00:00 +0000\n\n-1 (binding)\n\n"
        "From: Ada L <ADA@Apache.org>\nDate: Tue, 25 Nov 2026 12:00:00 +0000\n\n+1\n",
        encoding="utf-8",
    )
    result = cli("import-thread", path.stem, str(mails), "--yes")
    assert result.status == 0, result.stderr
    assert "Recorded 1 ballot (" in result.stdout  # ada's, from her own address in another case
    assert (
        "Olu Adeyemi <olu@apáche.org> -1 non-binding, not matched, a guest unless you pick olu"
        in result.stdout
    )
    assert "OLU <someone@evil.example> -1 non-binding, not matched" in result.stdout
    saved = store.load(path)
    assert saved.latest()["olu"].vote.text == "+1" and {b.voter for b in saved.ballots} == {"olu", "ada"}
    tally = json.loads(cli("tally", path.stem, "--json").stdout)
    assert tally["binding"]["plus"] == 2 and tally["binding"]["minus"] == 0


def test_members_who_look_alike_are_warned_of_on_every_load(cli: Cli, isolated_data_dir: Path) -> None:
    members = [Member("olu", "Olu Adeyemi", "olu@apache.org"), Member("olu2", "\u041elu Adeyemi", "o2@x.org")]
    path = Store(isolated_data_dir).create(session(members=members))
    for args in (("tally", path.stem), ("export", path.stem, "-f", "result")):
        result = cli(*args)
        assert result.status == 0
        assert result.stderr.startswith("tvm-vote-tui: warning: roster members olu (Olu Adeyemi) and olu2")
        assert "have names that look alike" in result.stderr and result.stderr.count("\n") == 1
    listed = cli("list")
    assert "  warning: roster members olu (Olu Adeyemi) and olu2" in listed.stdout


def test_an_id_that_is_not_plain_is_one_line_naming_file_and_field(cli: Cli, isolated_data_dir: Path) -> None:
    path = Store(isolated_data_dir).create(session())
    text = path.read_text()
    path.write_text(text.replace('id = "m1"', 'id = "m\u200b1"', 1))
    result = cli("tally", path.stem)
    assert result.status == 2 and result.stdout == ""
    assert result.stderr.count("\n") == 1
    assert path.name in result.stderr and "roster[1].id" in result.stderr and "U+200B" in result.stderr


def test_an_exported_or_posted_text_pings_no_one(cli: Cli, isolated_data_dir: Path) -> None:
    s = session(members=[Member("olu", "Olu @apache/tvm-committers", "olu@apache.org")])
    s.record("olu", parse_vote("+1"), note="cc @ada-l", at=OPENS_AT.add(hours=1))
    path = Store(isolated_data_dir).create(s)
    for fmt in ("markdown", "result"):
        out = cli("export", path.stem, "-f", fmt).stdout
        assert "`@apache/tvm-committers`" in out
        assert "@apache/tvm-committers" not in out.replace("`@apache/tvm-committers`", "")
    assert "`@ada-l`" in cli("export", path.stem, "-f", "markdown").stdout
