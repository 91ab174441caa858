"""Time helpers on pendulum: natural input ("+7d", "2026-12-01 17:00"), display and countdowns.

pendulum is imported where it is used: it costs about 30 ms of CPU, and the app's first screen
needs none of it."""

from __future__ import annotations

import datetime as dt
import re
from datetime import timedelta
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pendulum
    from pendulum import DateTime

_RELATIVE = re.compile(r"\+\s*((?:\d+\s*[wdhm]\s*)+)", re.IGNORECASE)
_PART = re.compile(r"(\d+)\s*([wdhm])", re.IGNORECASE)
_UNITS = {"w": "weeks", "d": "days", "h": "hours", "m": "minutes"}

TIME_HELP = "a date and time such as 2026-12-01 17:00, or a span from now such as +7d, +72h, +1w2d"


EARLIEST = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
LATEST = dt.datetime(9000, 1, 1, tzinfo=dt.UTC)
CALENDAR = "between the years 1970 and 8999 (UTC)"
"""The times a session may hold: near the ends of the calendar an offset or a span overflows."""


def in_calendar(moment: dt.datetime) -> bool:
    """Whether an aware `moment` lies in the years a session may hold (EARLIEST to LATEST)."""
    try:
        return EARLIEST <= moment < LATEST
    except OverflowError:  # an offset that takes it past the calendar's end
        return False


class TimeInputError(ValueError):
    """Text that is neither an absolute time nor a '+span'."""


def get_local_timezone() -> pendulum.Timezone | pendulum.FixedTimezone:
    from pendulum.tz.local_timezone import get_local_timezone as system_zone

    return system_zone()


def local_zone() -> pendulum.Timezone | pendulum.FixedTimezone:
    return get_local_timezone()


def utc_now() -> DateTime:
    """The wall clock, in UTC."""
    import pendulum

    return pendulum.now("UTC")


def parse_when(text: str, base: DateTime | None = None, *, now: DateTime | None = None) -> DateTime:
    """Parse a time typed by a person; bare dates and times are in the local zone. A span (`+7d`)
    counts from `base`, in hours of the clock (7 x 24 hours, across a daylight saving change
    too); `now` is now (`now`, else `base`, else the clock), whatever `base` is."""
    import pendulum

    given = text.strip()
    if not given:
        raise TimeInputError(f"empty time: enter {TIME_HELP}")
    base = base or now or pendulum.now("UTC").in_timezone(local_zone())
    if given.lower() == "now":
        return (now or base).replace(microsecond=0)
    relative = _RELATIVE.fullmatch(given)
    if relative:
        spans: dict[str, int] = {}
        for amount, unit in _PART.findall(relative.group(1)):
            key = _UNITS[unit.lower()]
            spans[key] = spans.get(key, 0) + int(amount)
        try:
            # Counted on the clock, not the calendar: `+3d` across a daylight saving change is
            # still 72 hours (the ASF's minimum), shown in the zone the base was given in.
            later = base.in_timezone("UTC").add(**spans).in_timezone(base.timezone or "UTC")
            return later.replace(microsecond=0)
        except (ValueError, OverflowError):
            raise TimeInputError(f"{given!r} reaches past the calendar: enter {TIME_HELP}") from None
    try:
        parsed = pendulum.parse(given, tz=local_zone(), strict=False)
        if isinstance(parsed, pendulum.DateTime):
            parsed.in_timezone("UTC")  # an impossible offset ("+00:00+72h") fails here, not later
    except (ValueError, OverflowError, TypeError, pendulum.parsing.exceptions.ParserError):
        raise TimeInputError(f"cannot read {given!r} as a time: enter {TIME_HELP}") from None
    if not isinstance(parsed, pendulum.DateTime):
        if isinstance(parsed, pendulum.Date):
            return pendulum.datetime(parsed.year, parsed.month, parsed.day, tz=local_zone())
        raise TimeInputError(f"{given!r} is not a point in time: enter {TIME_HELP}")
    return parsed.replace(microsecond=0)


SPAN_HELP = "a span such as +7d, +72h or +1w2d"


def parse_span(text: str) -> timedelta:
    """A length typed as `+7d`, `+72h`, `+1w2d`, `+90m` (the `+` may be left out): never zero."""
    given = text.strip()
    relative = _RELATIVE.fullmatch(given if given.startswith("+") else f"+{given}")
    if not relative:
        raise TimeInputError(f"cannot read {given!r} as a length: enter {SPAN_HELP}")
    spans = {"weeks": 0, "days": 0, "hours": 0, "minutes": 0}
    for amount, unit in _PART.findall(relative.group(1)):
        if len(amount) > 7:  # a million weeks is past any calendar already
            raise TimeInputError(f"{given!r} is longer than any vote: enter {SPAN_HELP}")
        spans[_UNITS[unit.lower()]] += int(amount)
    span = timedelta(**spans)
    if span <= timedelta(0):
        raise TimeInputError(f"a vote needs a window longer than zero: enter {SPAN_HELP}")
    return span


def format_span(span: timedelta) -> str:
    """`+7d`, `+3d12h`, `+1h30m`: the form `parse_span` reads, at minute precision."""
    minutes = round(span.total_seconds() / 60)
    days, rest = divmod(minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    text = "".join(f"{n}{unit}" for n, unit in ((days, "d"), (hours, "h"), (minutes, "m")) if n)
    return f"+{text or '0m'}"


def format_local(moment: DateTime) -> str:
    """`2026-12-01 18:00 +01:00` in the user's zone, with the offset shown."""
    local = moment.in_timezone(local_zone())
    return local.format("YYYY-MM-DD HH:mm Z")


def format_utc(moment: DateTime) -> str:
    return moment.in_timezone("UTC").format("YYYY-MM-DD HH:mm [UTC]")


def span_words(span: timedelta, *, parts: int = 2) -> str:
    """'6 days 23 hours': the largest `parts` units of a span, at minute precision."""
    # Round to the minute: a window typed as "+7d" a second ago still reads "7 days".
    seconds = round(abs(span.total_seconds()) / 60) * 60
    units = (("day", 86400), ("hour", 3600), ("minute", 60))
    words: list[str] = []
    for name, size in units:
        amount, seconds = divmod(seconds, size)
        if amount:
            words.append(f"{amount} {name}{'' if amount == 1 else 's'}")
        if len(words) == parts:
            break
    return " ".join(words) or "less than a minute"


def relative_words(moment: DateTime, reference: DateTime | None = None, *, parts: int = 2) -> str:
    """'in 6 days 23 hours' or '2 hours ago'."""
    reference = reference or utc_now()
    return relative_seconds((moment - reference).total_seconds(), parts=parts)


def relative_seconds(seconds: float, *, parts: int = 2) -> str:
    """'in 6 days 23 hours' for a moment `seconds` from now, '2 hours ago' for one before."""
    words = span_words(timedelta(seconds=seconds), parts=parts)
    return f"in {words}" if seconds >= 0 else f"{words} ago"


def closes_in(moment: DateTime, reference: DateTime | None = None) -> str:
    """'Closes in 6d 23:59:59', or 'The window ended 2 hours ago' once it has passed."""
    reference = reference or utc_now()
    if moment <= reference:
        return f"The window ended {span_words(reference - moment)} ago"
    return f"Closes in {countdown(moment, reference)}"


def countdown(moment: DateTime, reference: DateTime | None = None) -> str:
    """'6d 23:59:59' until `moment`, or 'window ended 2h ago' style text once it has passed."""
    reference = reference or utc_now()
    seconds = int((moment - reference).total_seconds())
    if seconds <= 0:
        return f"window ended {span_words(reference - moment)} ago"
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, secs = divmod(rest, 60)
    prefix = f"{days}d " if days else ""
    return f"{prefix}{hours:02}:{minutes:02}:{secs:02}"
