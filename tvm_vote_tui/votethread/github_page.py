"""Split text copied from a GitHub issue page into posts, and say which headers the page vouches for.

A copied page cannot prove who wrote what: anyone can type `olu commented on Nov 25, 2026` into
their own comment. What a comment body cannot easily fake is where GitHub puts a header: after a
blank line (and the avatar, role and timeline lines GitHub draws between comments), with dates
that never go backwards, never inside a quote or a code block. A header that breaks one of these
starts a post marked `suspect`, whose vote is never taken as read. The GitHub API (venues/github.py) is
the route that proves authors."""

from __future__ import annotations

import re

from pendulum import DateTime

from tvm_vote_tui.domain.text import one_line
from tvm_vote_tui.domain.times import format_utc
from tvm_vote_tui.votethread.posts import Post, account_kind, parse_date

# "tqchen commented on Nov 24, 2026", "**@tqchen** commented 2 days ago", "@tqchen commented on 2026-11-24"
HEADER = re.compile(
    r"^\s*(?:#+\s*)?\**@?(?P<handle>[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})(?:\[bot\])?)\**\s+"
    r"(?P<verb>commented|opened this issue|opened|wrote)\b(?:\s+on)?\s*(?P<date>.*?)\s*(?:[·•].*)?$"
)
MAX_HEADER = 120
UNPROVEN = " (a pasted page cannot prove who wrote it)"
_AVATAR = re.compile(r"^\s*@(?P<handle>[A-Za-z0-9][A-Za-z0-9-]{0,38})\s*$")
_BADGE = re.compile(
    r"^\s*(?:(?:Member|Contributor|Collaborator|Owner|Author|Maintainer|Sponsor|Mannequin|Bot|"
    r"First-time contributor|Edited|edited|Hidden)\s*)+$"
)
_EVENT = re.compile(
    r"^\s*@?[A-Za-z0-9][A-Za-z0-9-]{0,38}\s+(?:added|removed|mentioned|closed|reopened|changed|pinned|"
    r"unpinned|assigned|unassigned|self-assigned|referenced|linked|locked|unlocked|labeled|unlabeled|"
    r"marked|transferred)\b.*$"
)
_RELATIVE = re.compile(
    r"^(?:(?P<count>\d+|an?|one)\s+(?P<unit>second|minute|hour|day|week|month|year)s?\s+ago|"
    r"(?P<word>yesterday|today|now|just now)|last\s+(?P<last>week|month|year))$",
    re.IGNORECASE,
)
_UNIT_HOURS = {
    "second": 1 / 3600,
    "minute": 1 / 60,
    "hour": 1.0,
    "day": 24.0,
    "week": 24.0 * 7,
    "month": 24.0 * 31,
    "year": 24.0 * 366,
}
_WORDS = {"just now": (0, "minute"), "now": (0, "minute"), "today": (0, "day"), "yesterday": (1, "day")}
MAX_RELATIVE = 1000
"""A count past this ('99999 years ago') is not a date GitHub writes: the post is undated."""
_FENCE = re.compile(r"^\s*(?:```|~~~)")
_QUOTE = re.compile(r"^\s*(?:>\s?)+")


def header(line: str) -> re.Match[str] | None:
    """The header a line is, if it is one: 'alice commented on Nov 24, 2026' (a date, or none,
    must follow the verb, so 'Alice wrote a great summary' is text)."""
    if len(line) >= MAX_HEADER:
        return None
    found = HEADER.match(line)
    if found is None:
        return None
    text = _date_text(found)
    return found if not text or _RELATIVE.match(text) or parse_date(text) else None


def _date_text(found: re.Match[str]) -> str:
    text = re.sub(r"\s*[–-]\s*(edited|with GitHub).*$", "", found.group("date"))
    return re.sub(r"\s*\bedited\b.*$", "", text).strip()


def relative_date(text: str, pasted_at: DateTime) -> tuple[DateTime, tuple[float, float]] | None:
    """A relative time as a GitHub page shows it ('5 minutes ago', 'yesterday', 'last week'),
    reckoned from when the page was pasted: the time it names, and how many hours before and
    after it the post may have been written. "N units ago" is N rounded (N - 1/2 to N + 1/2 units
    ago) or cut (N to N + 1) as GitHub's pages have done, so from N + 1 to N - 1/2 units ago, and
    never after the paste. None for any other text."""
    found = _RELATIVE.match(text.strip())
    if found is None:
        return None
    if found.group("word"):
        count, unit = _WORDS[found.group("word").lower()]
    elif found.group("last"):
        count, unit = 1, found.group("last").lower()
    else:
        raw = found.group("count").lower()
        count, unit = (int(raw) if raw.isdigit() else 1), found.group("unit").lower()
    if count > MAX_RELATIVE:
        return None
    hours = _UNIT_HOURS[unit]
    date = pasted_at.subtract(seconds=round(count * hours * 3600))
    return date, (hours, min(hours / 2, count * hours))


def _after_separator(lines: list[str], index: int, handle: str) -> tuple[bool, bool]:
    """(whether a blank line or the start of the text comes before the header at `index`, skipping
    the lines GitHub draws above a comment; whether an avatar line '@handle' is among them)."""
    avatar = False
    i = index - 1
    while i >= 0:
        line = lines[i]
        if not line.strip():
            return True, avatar
        found = _AVATAR.match(line)
        if found and found.group("handle").lower() == handle.lower():
            avatar = True
        elif not (_BADGE.match(line) or _EVENT.match(line)):
            return False, avatar
        i -= 1
    return True, avatar


def _post(index: int, handle: str, head: re.Match[str], pasted_at: DateTime | None) -> Post:
    """A post from its header line: who (as the page says), and when (exact, a day, or reckoned
    from a relative time and the moment the page was pasted)."""
    text = _date_text(head)
    post = Post(index, handle=handle, account=account_kind(handle))
    if _RELATIVE.match(text.strip()):
        relative = relative_date(text, pasted_at) if pasted_at is not None else None
        if relative is not None:  # else undated: no time to reckon it from
            post.date, post.slack = relative
            post.approx = " ".join(text.split()).lower()
    else:
        post.date, post.day_only = parse_date(text), ":" not in text
    return post


def split_github_page(text: str, pasted_at: DateTime | None = None) -> list[Post]:
    """The posts of a copied GitHub issue page; `pasted_at` dates the relative times the page
    shows ('5 minutes ago'), as approximate (none: such posts are undated)."""
    lines = text.splitlines()
    posts: list[Post] = []
    trusted: list[Post] = []
    avatars: list[bool] = []
    in_fence = False
    owner: Post | None = None  # the post plain lines belong to
    special: Post | None = None  # a suspect header inside a quote or fence: it holds that quote/fence
    special_kind = ""
    for index, line in enumerate(lines):
        fence = _FENCE.match(line) is not None
        quote = _QUOTE.match(line)
        if special is not None:
            still = in_fence and not fence if special_kind == "fence" else quote is not None
            if still:
                special.lines.append(line[quote.end() :] if quote else line)
                continue
            special = None
        if fence:
            in_fence = not in_fence
            if owner is not None:
                owner.lines.append(line)
            continue
        body = line[quote.end() :] if quote else line
        head = header(body)
        if head is None or owner is None and (quote or in_fence):
            if owner is not None:
                owner.lines.append(line)
            continue
        handle = head.group("handle")
        post = _post(len(posts), handle, head, pasted_at)
        if owner is None:
            post.opening = head.group("verb").startswith("opened")
            posts.append(post)
            owner = post
            trusted.append(post)
            avatars.append(_after_separator(lines, index, handle)[1])
            continue
        if _is_issue_body(posts, handle):
            posts[0].lines = []  # the page shows the issue body as its opener's first "comment"
            continue
        where = f"inside {owner.author}'s comment"
        separated, avatar = _after_separator(lines, index, handle)
        last = trusted[-1]
        if quote or in_fence:
            post.suspect = f"header {where}, in a {'quote' if quote else 'code block'}"
            special, special_kind = post, "quote" if quote else "fence"
        elif not separated:
            post.suspect = f"header {where}, without the blank line GitHub puts before one"
        elif _goes_back(post, last):
            post.suspect = f"header {where}, dated {_day(post)}, before the comment above ({_day(last)})"
            if not last.opening and not last.suspect:
                # Either one may be the forgery: the one above may carry a date from the future.
                last.suspect = (
                    f"dated {_day(last)}, after the comment below ({_day(post)}): the page's dates go "
                    f"backwards here{UNPROVEN}"
                )
                trusted.pop()
                avatars.pop()
        elif sum(avatars) >= 2 and avatars.count(True) > avatars.count(False) and not avatar:
            post.suspect = f"header {where}, laid out unlike the page's other comments (no @{handle} line)"
        if post.suspect:
            post.suspect += f": {one_line(line.strip())!r}{UNPROVEN}"
        else:
            trusted.append(post)
            avatars.append(avatar)
        if separated and not (quote or in_fence):
            _drop_layout(owner.lines)  # the next comment's avatar and badges are not these words
        if special is not post:
            owner = post
        posts.append(post)
    return posts


def _drop_layout(lines: list[str]) -> None:
    """Take off the end of a post the lines GitHub draws above the next comment (`@handle`,
    `Member`, timeline events), back to the blank line before them."""
    while (
        lines
        and lines[-1].strip()
        and (_AVATAR.match(lines[-1]) or _BADGE.match(lines[-1]) or _EVENT.match(lines[-1]))
    ):
        lines.pop()


def _is_issue_body(posts: list[Post], handle: str) -> bool:
    """A 'commented' header right under 'opened this issue' by the same person, only layout between."""
    opening = posts[0]
    return (
        len(posts) == 1
        and opening.opening
        and opening.handle.lower() == handle.lower()
        and all(not line.strip() or _AVATAR.match(line) or _BADGE.match(line) for line in opening.lines)
    )


def _goes_back(post: Post, above: Post) -> bool:
    """Whether `post` is dated before the comment above it. A relative time is reckoned, so only
    a span wholly before the other's counts ('5 minutes ago' after 'an hour ago' is fine, as is
    '3 days ago' under 'last week' on a page whose rounding differs)."""
    if post.date is None or above.date is None:
        return False
    if post.approx or above.approx:
        mine, theirs = post.span, above.span
        return mine is not None and theirs is not None and mine[1] < theirs[0]
    return post.date < above.date


def _day(post: Post) -> str:
    """A post's date as the page gave it: 'Nov 24, 2026', '2026-11-24 17:00 UTC' or '5 minutes ago'."""
    moment = post.date
    assert moment is not None
    if post.approx:
        return repr(post.approx)
    return moment.format("MMM D, YYYY") if moment.hour == moment.minute == 0 else format_utc(moment)
