"""What reading and posting to the GitHub REST API share: the headers sent, JSON read with limits,
pagination links kept on the API's own origin, rate-limit words and GitHub's own error message,
each made safe to show in one line."""

from __future__ import annotations

import json
import re
from email.message import Message
from typing import Any

import pendulum
from pendulum import DateTime

from tvm_vote_tui.domain.text import one_line
from tvm_vote_tui.domain.thread_ref import Origin, ThreadRefError, check_url
from tvm_vote_tui.venues.http import FetchError

HEADERS = {"Accept": "application/vnd.github+json", "X-GitHub-Api-Version": "2022-11-28"}
MAX_LINK = 8000
_LINK = re.compile(r'<(?P<url>[^<>]{1,2000})>\s{0,10};\s{0,10}rel="(?P<rel>[a-z]{1,20})"')
_DIGITS = re.compile(r"[0-9]{1,12}")


class Malformed(Exception):
    """An answer that is not what GitHub sends: the caller says it in one line."""


def decode_json(raw: bytes) -> Any:
    """An answer's JSON, or Malformed naming why not (never a traceback, never the body)."""
    try:
        return json.loads(raw.decode("utf-8"))
    except RecursionError:
        raise Malformed("JSON nested too deeply") from None
    except UnicodeDecodeError:
        raise Malformed("not UTF-8") from None
    except json.JSONDecodeError as err:
        raise Malformed(f"not JSON: {err.msg} at line {err.lineno}") from None
    except ValueError:  # e.g. a number of thousands of digits (Python's int-string limit)
        raise Malformed("a number too long to read") from None


def next_page_url(link: str, origin: Origin) -> str | None:
    """The `rel="next"` page of a Link header, which must be on the API's own `origin` (a page
    elsewhere is never read, and never sent the token): FetchError, or Malformed."""
    if len(link) > MAX_LINK:
        raise Malformed("a Link header too long to read")
    for found in _LINK.finditer(link):
        if found.group("rel") != "next":
            continue
        url = found.group("url")
        try:
            page_origin, _ = check_url(url, "the next page")
        except ThreadRefError:
            raise Malformed("a next page that is not an address") from None
        if page_origin != origin:
            raise FetchError(
                f"{origin.netloc} sent a next page on another host ({page_origin.netloc}); stopped"
            )
        return url
    return None


def header_number(value: str | None) -> int | None:
    """A header's whole number: ASCII digits only (never '²', never 5,000 digits), else None."""
    if value is None or not _DIGITS.fullmatch(value.strip()):
        return None
    return int(value.strip())


def server_message(body: bytes) -> str:
    """GitHub's own 'message' from an error body, short and safe to show ('' when there is none)."""
    data = _error_body(body)
    message = data.get("message", "")
    return one_line(message)[:160] if isinstance(message, str) else ""


def validation_errors(body: bytes) -> str:
    """What a 422 says was wrong, from its `errors` (GitHub's own words, made visible, short)."""
    errors = _error_body(body).get("errors")
    if not isinstance(errors, list):
        return ""
    said: list[str] = []
    for error in errors[:5]:
        if isinstance(error, str):
            said.append(error)
        elif isinstance(error, dict):
            parts = [error.get(key) for key in ("message", "field", "code")]
            message, field, code = (p if isinstance(p, str) else "" for p in parts)
            said.append(message or " ".join(filter(None, (field, code))))
    return one_line("; ".join(filter(None, said)))[:300]


def _error_body(body: bytes) -> dict[str, Any]:
    try:
        data = json.loads(body[:20_000].decode("utf-8"))
    except (ValueError, RecursionError):  # an error body is a courtesy: any shape, or none, is fine
        return {}
    return data if isinstance(data, dict) else {}


def is_rate_limited(status: int, headers: Message, message: str) -> bool:
    """A 429, or a 403 that says a (primary or secondary) rate limit was hit."""
    used_up = headers.get("X-RateLimit-Remaining") == "0" or "rate limit" in message.lower()
    return status == 429 or (status == 403 and used_up)


def rate_limit_text(headers: Message, now: DateTime, *, anonymous: bool) -> str:
    """'GitHub's rate limit is used up (5,000 requests an hour); it resets at 17:05 UTC, in 12
    minutes', from the answer's headers (or its Retry-After)."""
    text = "GitHub's rate limit is used up"
    limit = header_number(headers.get("X-RateLimit-Limit"))
    if limit is not None:
        text += f" ({limit:,} requests an hour)"
    reset = header_number(headers.get("X-RateLimit-Reset"))
    retry = header_number(headers.get("Retry-After"))
    if reset is not None and abs(reset - now.timestamp()) < 2 * 86400:
        at = pendulum.from_timestamp(reset, tz="UTC")
        minutes = max(0, round((at - now).total_seconds() / 60))
        unit = "minute" if minutes == 1 else "minutes"
        text += f"; it resets at {at.format('HH:mm')} UTC, in {minutes} {unit}"
    elif retry is not None and retry < 86400:
        text += f"; try again in {retry} seconds"
    if anonymous:
        text += "; a token (GITHUB_TOKEN) allows 5,000 an hour"
    return text


def field_time(data: dict[str, Any], name: str) -> DateTime | None:
    """A time field of an answer (None when absent); Malformed when it is not a time."""
    value = data.get(name)
    if value is None:
        return None
    if not isinstance(value, str) or len(value) > 40:
        raise Malformed(f"its {name} is not a time")
    try:
        parsed = pendulum.parse(value)
    except Exception:  # pendulum raises several kinds
        raise Malformed(f"its {name} is not a time") from None
    if not isinstance(parsed, DateTime):
        raise Malformed(f"its {name} is not a time")
    return parsed
