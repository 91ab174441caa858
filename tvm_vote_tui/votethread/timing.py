"""When a post was written, against the vote: before it opened, after it closed, in the future,
after the result post, edited after the close. Such ballots are flagged for a person, never
dropped (TVM has counted late votes) and never recorded without one."""

from __future__ import annotations

from dataclasses import dataclass

from pendulum import DateTime

from tvm_vote_tui.domain.model import Session
from tvm_vote_tui.domain.times import format_utc
from tvm_vote_tui.votethread.posts import DAY_SLACK_HOURS, Post

__all__ = ["DAY_SLACK_HOURS", "Window", "timing_reasons"]


@dataclass(frozen=True)
class Window:
    """What a post's date is checked against."""

    ends: DateTime
    """When the vote closed (or closes): the earlier of closes_at and closed_at."""
    now: DateTime
    starts: DateTime | None = None
    """When the vote opened (opens_at)."""

    @classmethod
    def of(cls, session: Session, now: DateTime) -> Window:
        """The session's window; a draft has none yet, so only a post dated in the future is
        flagged (its ballots cannot be recorded before it opens anyway)."""
        p = session.proposal
        if p.opens_at is None or p.closes_at is None:
            return cls(now, now)
        ends = min(p.closes_at, p.closed_at) if p.closed_at is not None else p.closes_at
        return cls(ends, now, p.opens_at)


def _earliest(post: Post) -> DateTime | None:
    span = post.span
    return span[0] if span else None


def _latest(post: Post) -> DateTime | None:
    span = post.span
    return span[1] if span else None


def timing_reasons(post: Post, window: Window, result: Post | None) -> list[str]:
    """Why the time of `post` keeps its ballot from being taken as read; `result` is the result post
    that came before it in the thread, if any."""
    reasons = []
    earliest = _earliest(post)
    if result is not None:
        when = f" on {_shown(result)}" if result.date else ""
        reasons.append(f"cast after the result was posted (by {result.short_author}{when})")
    if earliest is not None and earliest > window.now:
        reasons.append(f"dated in the future ({_shown(post)})")
    elif earliest is not None and earliest > window.ends:
        reasons.append(f"cast after the vote closed ({_shown(post)}; it closed {format_utc(window.ends)})")
    elif window.starts is not None and (latest := _latest(post)) is not None and latest < window.starts:
        reasons.append(
            f"dated before the vote opened ({_shown(post)}; it opened {format_utc(window.starts)}): "
            "another vote's thread, or a window that starts too late (F2)?"
        )
    if post.edited_at is not None and post.edited_at > window.ends:
        reasons.append(
            f"edited after the vote closed (edited {format_utc(post.edited_at)}); the vote may have changed"
        )
    return reasons


def _shown(post: Post) -> str:
    assert post.date is not None
    if post.approx:
        return f"{post.approx} on the page, about {format_utc(post.date)}"
    return post.date.format("MMM D, YYYY") if post.day_only else format_utc(post.date)
