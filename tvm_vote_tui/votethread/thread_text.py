"""Read a thread's text: tell a copied GitHub page from mail, and split it into posts."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from tvm_vote_tui.votethread.github_page import header, split_github_page
from tvm_vote_tui.votethread.mail_posts import MBOX_FROM, split_mail
from tvm_vote_tui.votethread.posts import (
    MAX_POST_CHARS,
    MAX_THREAD_CHARS,
    THREAD_FORMATS,
    Post,
    ThreadError,
    cut_notice,
)

if TYPE_CHECKING:
    from pendulum import DateTime


def detect(text: str) -> str:
    """'github' or 'mail', from what the text looks like."""
    lines = text.splitlines()
    mail = sum(1 for line in lines if MBOX_FROM.match(line) or re.match(r"^From:\s", line))
    github = sum(1 for line in lines if header(line))
    if not mail and not github:
        raise ThreadError(
            "no messages found: expected GitHub comments (lines like 'alice commented on Nov 24, 2026') "
            "or mail (From: and Date: headers, or an mbox file)"
        )
    return "mail" if mail >= github else "github"


def split(text: str, fmt: str = "auto", pasted_at: DateTime | None = None) -> list[Post]:
    """The posts of a thread's text; `pasted_at` (when the text was pasted or the file saved)
    dates a GitHub page's relative times ('5 minutes ago'), as approximate. A text past
    MAX_THREAD_CHARS, and any post past MAX_POST_CHARS, is cut, the post where it was cut saying
    so (`Post.cut`)."""
    if fmt not in THREAD_FORMATS:
        raise ThreadError(f"unknown thread format {fmt!r}: use {', '.join(THREAD_FORMATS)}")
    size = len(text)
    if size > MAX_THREAD_CHARS:
        text = text[: text.rfind("\n", 0, MAX_THREAD_CHARS) + 1 or MAX_THREAD_CHARS]
    kind = detect(text) if fmt == "auto" else fmt
    posts = split_github_page(text, pasted_at) if kind == "github" else split_mail(text)
    if not posts:
        raise ThreadError(f"no {kind} messages found in this text")
    for post in posts:
        _cap(post)
    if size > MAX_THREAD_CHARS:
        shown = f"{size / 1_000_000:.1f} MB"
        posts[-1].cut = (
            f"the thread is {shown} long: only its first {MAX_THREAD_CHARS // 1_000_000} MB were read, "
            "up to this post (any later posts are not shown)"
        )
    return posts


def _cap(post: Post) -> None:
    """Cut a post longer than MAX_POST_CHARS, saying so."""
    size = 0
    for index, line in enumerate(post.lines):
        size += len(line) + 1
        if size > MAX_POST_CHARS:
            total = sum(len(line) + 1 for line in post.lines)
            post.lines = post.lines[:index]
            post.cut = cut_notice(total, "post")
            return
