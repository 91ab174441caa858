"""Check a pasted GitHub page against the same issue read through the API: which of its posts
GitHub knows (same login, the same words, a date that fits), and which it does not.

A pasted page cannot prove who wrote a post; the API can. A post the API knows takes the API's
author and exact time, and becomes as good as one read through the API; a post it does not know
(a header typed into someone else's comment, a page edited before pasting) is marked suspect,
so its ballot is never recorded without a person. Pure: venues/ does the reading."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from tvm_vote_tui.domain.text import one_line
from tvm_vote_tui.votethread.ballot_lines import find_vote, own_lines
from tvm_vote_tui.votethread.github_page import header
from tvm_vote_tui.votethread.posts import Post

MARGIN_MINUTES = 2
"""A pasted post's time may differ this much from GitHub's (a page is copied a moment after it
was drawn)."""
_LINK_TARGET = re.compile(r"\]\([^)\s]*\)|<!--.*?-->|https?://\S+")
_NOT_WORDS = re.compile(r"[^0-9a-z+\-]+")
_ISSUE_URL = re.compile(r"https?://[A-Za-z0-9.-]+(?::\d+)?/[A-Za-z0-9-]+/[A-Za-z0-9._-]+/issues/[1-9]\d{0,9}")
_TITLE_NUMBER = re.compile(r"\s#(?P<number>[1-9]\d{0,9})\s*$")
_HEAD_LINES = 8


def _words(text: str) -> str:
    """Text as compared: lower case letters, digits, + and - only; link targets, HTML comments and
    URLs left out, since a copied page shows the words of a link, not where it goes."""
    return _NOT_WORDS.sub("", _LINK_TARGET.sub("]", text.casefold()))


def _telling_line(post: Post) -> str:
    """The line that says what the post is: its vote line, else its first line of its own."""
    found = find_vote(post.lines, opening=post.opening)
    if found.line.strip():
        return found.line
    return next((line for line in own_lines(post.lines) if _words(line)), "")


@dataclass
class ApiCheck:
    """The outcome of a check: the pasted posts, as the API vouches for them or not."""

    issue: str
    """The issue checked against ('apache/tvm#18090')."""
    posts: list[Post]
    """The pasted posts: those the API knows with its author and time, the others suspect."""
    unknown: list[Post] = field(default_factory=list)
    """The pasted posts the API does not know."""
    known: int = 0

    def summary(self) -> str:
        if not self.unknown:
            return f"{self.issue} knows every one of the {self.known} posts of the pasted page."
        shown = "; ".join(describe(post) for post in self.unknown[:5])
        more = f"; and {len(self.unknown) - 5} more" if len(self.unknown) > 5 else ""
        return (
            f"{self.issue} does not know {len(self.unknown)} of the {len(self.posts)} posts of the pasted "
            f"page (never recorded without you): {shown}{more}"
        )


def describe(post: Post) -> str:
    line = one_line(_telling_line(post).strip())
    return f"{post.short_author} {line[:60]!r}" if line else post.short_author


def check_against_api(pasted: Sequence[Post], api: Sequence[Post], issue: str) -> ApiCheck:
    """Each pasted post matched to a post of the API's: the same login, the post's telling line
    among its words, and (when both are dated) GitHub's time within the span the page gives."""
    by_login: dict[str, list[Post]] = {}
    for post in api:
        by_login.setdefault(post.handle.casefold(), []).append(post)
    used: set[int] = set()
    checked: list[Post] = []
    unknown: list[Post] = []
    for post in pasted:
        twin = _twin(post, by_login.get(post.handle.casefold(), []), used)
        if twin is None:
            unknown.append(post)
            said = f" saying {describe(post)!r}" if _telling_line(post) else ""
            checked.append(
                replace(post, suspect=f"{issue} has no such post by @{one_line(post.handle)}{said}: forged?")
            )
            continue
        used.add(id(twin))
        checked.append(
            replace(
                post,
                handle=twin.handle,
                account=twin.account,
                verified=twin.verified,
                date=twin.date,
                day_only=False,
                approx="",
                slack=(0.0, 0.0),
                edited_at=twin.edited_at,
                key=twin.key,
                suspect="",
                url=twin.url,
            )
        )
    return ApiCheck(issue, checked, unknown, len(checked) - len(unknown))


def _twin(post: Post, candidates: list[Post], used: set[int]) -> Post | None:
    telling = _words(_telling_line(post))
    span = post.span
    for candidate in candidates:
        if id(candidate) in used:
            continue
        if telling and telling not in _words("\n".join(candidate.lines)):
            continue
        if span is not None and candidate.date is not None:
            low, high = span
            margin = MARGIN_MINUTES * 60
            if not low.subtract(seconds=margin) <= candidate.date <= high.add(seconds=margin):
                continue
        return candidate
    return None


def page_issue(text: str) -> str:
    """The issue a pasted page names at its top ('#18090' from its title line 'Title #18090', or
    the issue's URL), '' when it names none. Only the lines before the first comment count."""
    for line in text.splitlines()[:_HEAD_LINES]:
        if header(line):
            break
        url = _ISSUE_URL.search(line)
        if url:
            return url.group(0)
        number = _TITLE_NUMBER.search(line)
        if number:
            return f"#{number.group('number')}"
    return ""
