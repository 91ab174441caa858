"""One thread from both venues: a TVM vote lives on a GitHub issue and is mirrored on dev@, both
ways. A dev@ reply reaches the issue as a comment by the mail bridge (`tvm-archiver`), whose
sender is lost there; a GitHub comment reaches dev@ as a notification mail from GitHub, whose
address is GitHub's. Read together, each mirror is matched to its original by time and words and
dropped, so every ballot is counted once, by its original's author: a bridge post by the mail's
sender, a notification by the GitHub comment's author. A ballot cast in both places (a comment
and a mail by the same member) is one voter's two posts, the later one counting, as in one venue.

A mirror that cannot be matched stays, marked with why: a bridge post's author is never taken
as read (`Post.suspect`); a notification mail is matched by name only, as such mail always is."""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from datetime import timedelta

from tvm_vote_tui.domain.text import one_line
from tvm_vote_tui.domain.times import format_utc
from tvm_vote_tui.votethread.authors import is_relay
from tvm_vote_tui.votethread.ballot_lines import own_lines
from tvm_vote_tui.votethread.posts import Post

MIRRORED_AFTER = timedelta(hours=2)
"""A mirror is posted at most this long after its original (the bridge and GitHub's mail take
seconds to minutes)..."""
CLOCK_SLACK = timedelta(minutes=10)
"""...and, clocks differing, at most this long before it."""
_FOOTER = re.compile(r"^(?:—|--|Reply to this email directly|You are receiving this because)", re.IGNORECASE)
_GITHUB_DOMAINS = ("github.com", "reply.github.com", "noreply.github.com", "users.noreply.github.com")


@dataclass
class Mirrored:
    """A mirror dropped from the thread, and the original it copies (counted instead)."""

    mirror: Post
    original: Post

    def describe(self) -> str:
        return one_line(f"{_shown(self.mirror)} is {_shown(self.original)} (counted once, as the latter)")


@dataclass
class Timeline:
    """The posts of both venues in time order, each mirror dropped; what was matched; and the
    bridge posts left in review."""

    posts: list[Post]
    mirrored: list[Mirrored] = field(default_factory=list)
    unmatched: list[Post] = field(default_factory=list)


def is_bridge(post: Post, bridges: Collection[str]) -> bool:
    """A comment posted by the mail bridge for someone on dev@."""
    return bool(post.handle) and post.handle.lower() in {b.lower() for b in bridges}


def from_github(post: Post) -> bool:
    """A notification mail GitHub sent to the list for a comment (its address is GitHub's)."""
    domain = post.email.rpartition("@")[2].lower()
    return bool(post.email) and is_relay(post.email) and domain in _GITHUB_DOMAINS


def one_timeline(github: Sequence[Post], mail: Sequence[Post] | None, bridges: Collection[str]) -> Timeline:
    """Both venues' posts as one thread (`mail` None: the dev@ thread was not read)."""
    bridge_posts = [p for p in github if is_bridge(p, bridges)]
    if mail is None:
        for post in bridge_posts:
            _mark(
                post,
                "its sender is not known here: read the dev@ thread too (--list) to count it by its mail",
            )
        return Timeline(list(github), [], bridge_posts)
    people = [m for m in mail if not from_github(m)]
    notifications = [m for m in mail if from_github(m)]
    mirrored = _match(bridge_posts, people) + _match(notifications, list(github))
    dropped = {id(m.mirror) for m in mirrored}
    # A notification of a bridge post that was matched is a third copy of the same mail.
    matched_bridges = {id(m.mirror): m.original for m in mirrored if is_bridge(m.mirror, bridges)}
    for m in mirrored:
        if id(m.original) in matched_bridges:
            m.original = matched_bridges[id(m.original)]
    unmatched = [p for p in bridge_posts if id(p) not in dropped]
    for post in unmatched:
        _mark(post, _why_unmatched(post))
    kept = [p for p in (*github, *mail) if id(p) not in dropped]
    posts = sorted(kept, key=lambda p: (p.date is None, p.date.timestamp() if p.date else 0.0))
    for index, post in enumerate(posts):
        post.index = index
    return Timeline(posts, mirrored, unmatched)


def _mark(post: Post, why: str) -> None:
    if not post.suspect:
        post.suspect = f"posted by the mail bridge (@{one_line(post.handle)}) for someone on dev@: {why}"


def _why_unmatched(post: Post) -> str:
    if post.date is None:
        return "it has no date to match its mail by, so who sent it is not known"
    return (
        "no mail in the dev@ thread has the same words in the two hours before it, so who sent it "
        "is not known"
    )


def said(post: Post) -> str:
    """The author's own words, for comparing copies: no quotes, signature or GitHub footer,
    whitespace and case ignored."""
    words: list[str] = []
    for line in own_lines(post.lines):
        text = line.strip()
        if _FOOTER.match(text):
            break
        words += text.split()
    return " ".join(words).casefold()


def _match(mirrors: Sequence[Post], originals: Sequence[Post]) -> list[Mirrored]:
    """Each mirror to a different original with the same words, dated just before it: closest
    pairs first (a mail is mirrored once)."""
    by_words: dict[str, list[Post]] = {}
    for original in originals:
        words = said(original)
        if words and original.date is not None:
            by_words.setdefault(words, []).append(original)
    edges: list[tuple[float, int, int]] = []
    for i, mirror in enumerate(mirrors):
        words = said(mirror)
        if not words or mirror.date is None:
            continue
        for original in by_words.get(words, []):
            assert original.date is not None
            gap = mirror.date - original.date
            if -CLOCK_SLACK <= gap <= MIRRORED_AFTER:
                edges.append((abs(gap.total_seconds()), i, id(original)))
    originals_by_id = {id(o): o for o in originals}
    taken_mirrors: set[int] = set()
    taken_originals: set[int] = set()
    matched: list[Mirrored] = []
    for _, i, original_id in sorted(edges, key=lambda e: (e[0], e[1])):
        if i in taken_mirrors or original_id in taken_originals:
            continue
        taken_mirrors.add(i)
        taken_originals.add(original_id)
        matched.append(Mirrored(mirrors[i], originals_by_id[original_id]))
    return matched


def _shown(post: Post) -> str:
    when = f" of {format_utc(post.date)}" if post.date else ""
    kind = "comment" if post.handle else "mail"
    return f"{post.author}'s {kind}{when}"
