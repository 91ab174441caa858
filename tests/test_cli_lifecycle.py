"""The whole life of a vote from the command line, in real processes: new, announce, ballots,
close, reopen, the mail files; list and tally say draft."""

from __future__ import annotations

import email
import json
import os
import subprocess
import sys
from email import policy
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import pendulum
import pytest

from tvm_vote_tui.domain.model import DRAFT_REFUSED
from tvm_vote_tui.store.sessions import load

ISSUE = "https://github.com/apache/tvm/issues/16368"


def cli(data: Path, *args: str, check: int = 0) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "TVM_VOTE_TUI_DATA_DIR": str(data), "USER": "alice", "LOGNAME": "alice", "TZ": "UTC"}
    run = subprocess.run(
        [sys.executable, "-m", "tvm_vote_tui", *args], capture_output=True, text=True, env=env, timeout=60
    )
    assert run.returncode == check, run.stderr
    assert "Traceback" not in run.stderr
    return run


@pytest.fixture
def roster_csv(tmp_path: Path) -> Path:
    path = tmp_path / "pmc.csv"
    path.write_text(
        "id,name,email,github,binding\n"
        + "".join(f"m{i},Member {i},m{i}@apache.org,,yes\n" for i in range(4))
    )
    return path


def test_draft_open_posted_elsewhere_ballots_close_reopen(tmp_path: Path, roster_csv: Path) -> None:
    data = tmp_path / "data"
    made = cli(data, "new", "Adopt the Relax codebase", "--kind", "new-codebase", "--roster", str(roster_csv))
    path = Path(made.stdout.strip())
    assert path.is_file() and path.parent == data / "sessions" and made.stderr == ""
    draft = load(path).session
    assert draft.is_draft and len(draft.roster) == 4 and draft.log[0].detail.startswith("created 'Adopt the")
    assert "by alice" in draft.log[0].detail

    tally = json.loads(cli(data, "tally", str(path), "--json").stdout)
    assert (tally["status"], tally["outcome"], tally["final"]) == ("draft", "draft", False)
    assert "DRAFT: the vote has not opened" in cli(data, "tally", str(path)).stdout
    listed = cli(data, "list").stdout
    assert "new-codebase, draft]" in listed and "· draft  runs +7d once opened" in listed

    thread = tmp_path / "thread.md"
    thread.write_text("x")
    refused = cli(data, "import-thread", str(path), str(thread), check=2)
    assert refused.stderr.startswith(f"tvm-vote-tui: {DRAFT_REFUSED}")

    posted = pendulum.now("UTC").subtract(hours=1).replace(second=0, microsecond=0)
    at = posted.format("YYYY-MM-DD HH:mm")
    opened = json.loads(cli(data, "announce", path.stem, "--posted", ISSUE, "--at", at, "--json").stdout)
    assert opened["status"] == "open" and opened["thread"] == "apache/tvm#16368"
    assert opened["opens_at"] == posted.isoformat()
    assert opened["closes_at"] == posted.add(days=7).isoformat()
    assert opened["published"] == [
        {"step": "vote", "url": ISSUE, "at": posted.isoformat(), "number": 16368, "message_id": ""}
    ]
    again = cli(data, "announce", path.stem, "--now", check=2)
    assert again.stderr == "tvm-vote-tui: the vote is already open\n"

    session = load(path).session
    assert session.log[-1].action == "open" and session.log[-1].detail.startswith(
        f"opened by alice: posted elsewhere: GitHub issue apache/tvm#16368, {ISSUE}; window"
    )

    early = cli(data, "close", str(path), check=2)  # the window runs until December
    assert "closing now needs a reason" in early.stderr
    closed = json.loads(
        cli(data, "close", str(path), "--reason", "all binding votes are in", "--json").stdout
    )
    assert closed["status"] == "closed" and closed["outcome"] == "failed"
    assert "closed by alice; the vote failed" in load(path).session.log[-1].detail
    assert cli(data, "reopen", str(path), check=2).stderr.startswith("tvm-vote-tui: the following arguments")
    cli(data, "reopen", str(path), "--reason", "a vote was missed")
    reopened = load(path).session
    assert (
        reopened.status.value == "open"
        and reopened.log[-1].detail == "reopened by alice; reason: a vote was missed"
    )


def test_open_now_then_a_window_shorter_than_72_hours_is_warned_about(tmp_path: Path) -> None:
    data = tmp_path / "data"
    made = cli(data, "new", "Quick procedural vote", "--window", "+24h", "--json")
    info = json.loads(made.stdout)
    assert info["status"] == "draft" and info["window"] == "+1d" and info["roster"] == 0
    assert "shorter than 72 hours" in made.stderr
    path = Path(info["session"])
    out = cli(data, "announce", str(path), "--now").stdout
    assert out.startswith(f"Opened {path.stem}: ballots count from ")
    session = load(path).session
    opens_at, closes_at = session.opened_window
    assert (closes_at - opens_at).total_seconds() == 24 * 3600
    assert session.log[-1].detail.startswith("opened by alice: now, called in a meeting; window")


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["announce", "S", "--posted", "https://example.com/x"], "neither a GitHub issue nor a dev@ thread"),
        (["announce", "S", "--now", "--at", "now"], "--at goes with --posted"),
        (["announce", "S"], "one of the arguments --posted --now --github is required"),
        (["announce", "S", "--posted", ISSUE, "--at", "tomorrowish"], "--at: cannot read 'tomorrowish'"),
        (["announce", "S", "--posted", ISSUE, "--at", "2099-01-01 10:00"], "cannot open in the future"),
        (["close", "S", "--reason", "x"], "a draft: it has not opened"),
        (["new", "X", "--window", "+0d"], "--window: a vote needs a window longer than zero"),
        (["new", "\x1b]0;pwned\x07"], "the title holds the control character"),
    ],
)
def test_bad_input_is_one_line_and_changes_nothing(tmp_path: Path, args: list[str], says: str) -> None:
    data = tmp_path / "data"
    path = Path(cli(data, "new", "A draft").stdout.strip())
    before = path.read_bytes()
    run = cli(data, *[str(path) if a == "S" else a for a in args], check=2)
    assert says in run.stderr and run.stderr.count("\n") == 1 and "\x1b" not in run.stderr
    assert path.read_bytes() == before and load(path).session.is_draft


def test_a_roster_file_with_a_bad_row_creates_nothing(tmp_path: Path) -> None:
    bad = tmp_path / "pmc.csv"
    bad.write_text("id,name,email,github,binding\nm0,Member 0,,,yes\n,No id,,,yes\n")
    run = cli(tmp_path / "data", "new", "Vote", "--roster", str(bad), check=2)
    assert "pmc.csv" in run.stderr and "no vote created" in run.stderr
    assert not list((tmp_path / "data" / "sessions").glob("*.toml"))


def test_mail_files_and_mailto_links(tmp_path: Path) -> None:
    data = tmp_path / "data"
    path = Path(cli(data, "new", "Établir le module FFI").stdout.strip())
    cli(data, "announce", str(path), "--now")
    vote = tmp_path / "vote.eml"
    cli(data, "export", str(path), "--format", "announce-mail", "-o", str(vote))
    raw = vote.read_bytes()
    assert b"\r\n" in raw and b"\n" not in raw.replace(b"\r\n", b"")  # CRLF, as RFC 5322 has it
    mail = email.message_from_bytes(raw, policy=policy.default)
    assert mail["To"] == "dev@tvm.apache.org" and mail["Subject"] == "[VOTE] Établir le module FFI"
    assert mail["Date"] and mail["Message-ID"] and mail["In-Reply-To"] is None
    assert mail.get_content_charset() == "utf-8" and "Établir le module FFI" in mail.get_content()
    assert not mail.get_content().startswith("Subject:")
    assert oct(vote.stat().st_mode & 0o777) == "0o644"  # the list's address is no one's own
    printed = cli(data, "export", str(path), "--format", "result-mail", "-o", "-").stdout
    assert printed.startswith("To: dev@tvm.apache.org\n") and "\r" not in printed
    assert "Subject: [RESULT][VOTE] =?utf-8?" in printed  # encoded as a header must be
    link = cli(data, "export", str(path), "--format", "announce-mail", "--mailto").stdout.strip()
    parts = urlsplit(link)
    query = parse_qs(parts.query)
    assert parts.scheme == "mailto" and unquote(parts.path) == "dev@tvm.apache.org"
    assert query["subject"] == ["[VOTE] Établir le module FFI"] and "Please vote:" in query["body"][0]
    assert "--mailto goes with" in cli(data, "export", str(path), "--mailto", check=2).stderr
