"""A post or a page past a sane size is cut, with a notice that reaches the manager, so reading
any thread costs a bounded time (the parser itself is linear: benchmarks/run.py measures it)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tvm_vote_tui.cli import main
from tvm_vote_tui.demo import OPENS_AT, sample_session
from tvm_vote_tui.store.sessions import Store
from tvm_vote_tui.votethread.posts import MAX_POST_CHARS, MAX_THREAD_CHARS
from tvm_vote_tui.votethread.proposals import propose
from tvm_vote_tui.votethread.thread_text import split

AT = OPENS_AT.add(days=3)
HEADER = "ada-l commented on Nov 25, 2026\n"


def test_a_post_past_the_limit_is_cut_and_its_vote_is_never_clear() -> None:
    text = HEADER + "+1 (binding)\n" + "checked the signatures and the build\n" * 5000
    posts = split(text, "github")
    kept = sum(len(line) + 1 for line in posts[0].lines)
    assert kept <= MAX_POST_CHARS and posts[0].cut.startswith("the post is 185 KB long: only its first 64 KB")
    report = propose(text, sample_session(ballots=0), "github", AT)
    [ada] = report.proposed
    assert ada.vote is not None and not ada.clear and posts[0].cut in ada.why
    assert report.notices == [f"@ada-l: {posts[0].cut}"]


def test_a_page_past_the_limit_is_cut_where_a_line_ends_with_a_notice() -> None:
    comment = "bob commented on Nov 25, 2026\n+1\n\n"
    text = HEADER + "+1\n\n" + comment * (MAX_THREAD_CHARS // len(comment) + 1000)
    posts = split(text, "github")
    assert all(line == "+1" or not line for post in posts for line in post.lines)
    assert posts[-1].cut.startswith(f"the thread is {len(text) / 1_000_000:.1f} MB long: only its first 2 MB")
    report = propose(text, sample_session(ballots=0), "github", AT)
    assert len(report.notices) == 1 and "later posts are not shown" in report.notices[0]


def test_the_command_line_says_what_was_cut(
    isolated_data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = Store(isolated_data_dir).create(sample_session(ballots=0))
    thread = tmp_path / "thread.md"
    thread.write_text(HEADER + "+1\n" + "x" * (MAX_POST_CHARS + 10) + "\n")
    assert main(["import-thread", str(path), str(thread), "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "Notice: @ada-l: the post is 65 KB long: only its first 64 KB were read" in out
