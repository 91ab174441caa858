"""A vote thread as posts: who wrote each one, when, and its lines of text."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from tvm_vote_tui.domain.text import one_line

if TYPE_CHECKING:  # e-mail parsing and pendulum are imported where used: the app's start needs neither
    from pendulum import DateTime

THREAD_FORMATS = ("auto", "github", "mail")
"""How a thread's text may be read: detected, a copied GitHub issue page, or mail (mbox or saved)."""
MAX_POST_CHARS = 65_536
"""GitHub's own limit for a comment: a post longer than this is cut, with a notice."""
MAX_THREAD_CHARS = 2_000_000
"""A pasted page or saved thread past this (a long vote's page is under 200 KB) is cut, with a notice."""
DAY_SLACK_HOURS = 14
"""A date without a time ('Nov 24') is that day somewhere on Earth: it may have begun 14 hours
before midnight UTC (UTC+14)..."""
LATE_ZONE_HOURS = 12
"""...and ended 12 hours after the next midnight UTC (UTC-12)."""
GHOST = "ghost"
"""The login GitHub shows for a deleted account (the API gives `user: null`)."""


def account_kind(login: str, user_type: str = "") -> str:
    """'deleted' for GitHub's ghost, 'bot' for an app or bot account ('[bot]' logins, or the API's
    type Bot), '' for a person's account."""
    if login.casefold() == GHOST:
        return "deleted"
    if user_type == "Bot" or login.casefold().endswith("[bot]"):
        return "bot"
    return ""


class ThreadError(ValueError):
    """A thread that could not be read (no posts in the text, or the fetch failed), in one line."""


@dataclass
class Post:
    """One comment or mail: who wrote it, when, and its text lines."""

    index: int
    handle: str = ""
    name: str = ""
    email: str = ""
    date: DateTime | None = None
    lines: list[str] = field(default_factory=list)
    day_only: bool = False
    """The date came without a time of day (a copied page says 'on Nov 24'): it may be off by a day."""
    subject: str = ""
    opening: bool = False
    """The vote's announcement: the issue itself, or the first [VOTE] mail."""
    edited_at: DateTime | None = None
    """When the GitHub API says the comment was last edited (None: never, or not known)."""
    key: str = ""
    """The same post in the next read of the thread (the API's comment id), '' when unknown."""
    suspect: str = ""
    """Why the page does not vouch for this post's author ('' when its layout does)."""
    url: str = ""
    cut: str = ""
    """Why only the start of the post was read (it was too long), '' when all of it was."""
    verified: bool = False
    """The author is the one the venue's API names (GitHub's login), not text anyone could type:
    set only by venues/ for what it read through an API. Pasted pages and saved mail are not."""
    account: str = ""
    """'deleted' (GitHub's ghost) or 'bot': an account that is never a roster member."""
    approx: str = ""
    """The page gave a relative time ('5 minutes ago'): `date` is reckoned from when the page was
    pasted, and may be off by `slack`."""
    slack: tuple[float, float] = (0.0, 0.0)
    """With `approx`: how many hours before and after `date` the post may have been written."""

    @property
    def voter_name(self) -> str:
        """How an author not on the roster is recorded: the handle, else the name, else the address."""
        return one_line(self.handle or self.name or self.email or "(unknown author)")

    @property
    def author(self) -> str:
        """The author as shown: control and bidi characters made visible."""
        if self.handle:
            return one_line(f"@{self.handle}")
        if self.name and self.email:
            return one_line(f"{self.name} <{self.email}>")
        return one_line(self.name or self.email or "(unknown author)")

    @property
    def short_author(self) -> str:
        """The handle, else the name, else the address: what a narrow column shows."""
        return one_line(f"@{self.handle}" if self.handle else self.name or self.email or "(unknown author)")

    @property
    def span(self) -> tuple[DateTime, DateTime] | None:
        """When the post may have been written: its time; its whole day anywhere on Earth for a
        date without a time; around the reckoned time for a relative one. None when undated."""
        if self.date is None:
            return None
        if self.approx:
            before, after = self.slack
            return self.date.subtract(seconds=round(before * 3600)), self.date.add(
                seconds=round(after * 3600)
            )
        if self.day_only:
            return self.date.subtract(hours=DAY_SLACK_HOURS), self.date.add(hours=24 + LATE_ZONE_HOURS)
        return self.date, self.date

    @property
    def version(self) -> str:
        """Changes when the post is edited: tells follow mode what is new since the last read."""
        when = self.edited_at or self.date
        return when.isoformat() if when else ""


def cap_lines(text: str, what: str = "post") -> tuple[list[str], str]:
    """`text`'s lines, cut at MAX_POST_CHARS; and the notice saying so ('' when not cut)."""
    if len(text) <= MAX_POST_CHARS:
        return text.splitlines(), ""
    return text[:MAX_POST_CHARS].splitlines(), cut_notice(len(text), what)


def cut_notice(size: int, what: str) -> str:
    shown = f"{size / 1_000_000:.1f} MB" if size >= 1_000_000 else f"{size // 1000} KB"
    return f"the {what} is {shown} long: only its first {MAX_POST_CHARS // 1024} KB were read"


def around(date: DateTime, slack: tuple[float, float]) -> tuple[DateTime, DateTime]:
    """From `slack[0]` hours before `date` to `slack[1]` hours after it."""
    before, after = slack
    return date.subtract(seconds=round(before * 3600)), date.add(seconds=round(after * 3600))


def parse_date(text: str) -> DateTime | None:
    import email.utils

    import pendulum

    text = text.strip().rstrip(".")
    if not text or len(text) > 100 or not any(c.isdigit() for c in text):
        return None  # a date has a number in it; the free-text parsers are slow to say no
    try:
        parsed = email.utils.parsedate_to_datetime(text)
        return pendulum.instance(parsed if parsed.tzinfo else parsed.replace(tzinfo=pendulum.UTC))
    except (TypeError, ValueError, IndexError):
        pass
    try:
        value = pendulum.parse(text, strict=False, tz="UTC")
    except Exception:  # pendulum raises several kinds on free text ("2 days ago")
        return None
    return value if isinstance(value, pendulum.DateTime) else None
