"""Read a vote issue and all its comments through the GitHub REST API: the authors are GitHub's.

The only code in the package that touches the network: the standard library's urllib, with a
timeout. A token from GITHUB_TOKEN or GH_TOKEN goes into the Authorization header of requests to
the API's own host and nowhere else (never into a file, a log line or an error message); without
one, GitHub allows 60 requests an hour. Re-reading an unchanged issue is a conditional request
(ETag), which GitHub does not count, so follow mode can read every 30 seconds."""

from __future__ import annotations

import json
import os
import re
import socket
import ssl
import urllib.error
import urllib.request
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from email.message import Message
from typing import Any
from urllib.parse import urlsplit

import pendulum
from pendulum import DateTime

from tvm_vote_tui import __version__
from tvm_vote_tui.domain.text import one_line
from tvm_vote_tui.domain.thread_ref import GITHUB_API, IssueRef, ThreadRefError, parse_issue_ref
from tvm_vote_tui.votethread.posts import GHOST, Post, ThreadError, account_kind

TIMEOUT = 15.0
"""Seconds to wait for GitHub to connect or answer, per request."""
PER_PAGE = 100
MAX_PAGES = 100
"""10,000 comments: a vote thread never has more; a server that keeps sending pages is stopped."""
MAX_BYTES = 20_000_000
TOKEN_VARIABLES = ("GITHUB_TOKEN", "GH_TOKEN")
_LINK = re.compile(r'<(?P<url>[^>]+)>\s*;\s*rel="(?P<rel>[^"]+)"')


class FetchError(ThreadError):
    """The issue could not be read; one line that says why and what to do. Nothing was changed."""


def token_from_env(environ: Mapping[str, str] | None = None) -> str:
    environ = os.environ if environ is None else environ
    return next((environ[name].strip() for name in TOKEN_VARIABLES if environ.get(name, "").strip()), "")


@dataclass
class FetchedIssue:
    """An issue as GitHub serves it: the announcement (issue body) and every comment, in order."""

    ref: IssueRef
    title: str
    html_url: str
    posts: list[Post]
    rate_left: int | None = None
    """Requests left this hour, as GitHub last said."""

    @property
    def stored(self) -> str:
        """How the session remembers this thread (the host GitHub names, for GitHub Enterprise)."""
        return _web_ref(self.html_url, self.ref).stored


@dataclass
class _Cached:
    etag: str
    data: Any
    next_url: str | None


@dataclass
class GitHubReader:
    """Reads issues from one GitHub API; remembers ETags between reads (one reader per screen)."""

    api_url: str = GITHUB_API
    token: str = field(default="", repr=False)
    timeout: float = TIMEOUT
    clock: Callable[[], DateTime] = field(default_factory=lambda: _utc_now, repr=False)
    opener: urllib.request.OpenerDirector = field(default_factory=urllib.request.build_opener, repr=False)
    rate_left: int | None = None
    _cache: dict[str, _Cached] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        self.api_url = self.api_url.rstrip("/")
        parts = urlsplit(self.api_url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise FetchError(f"{self.api_url!r} is not an API address: use e.g. {GITHUB_API}")
        if self.token and parts.scheme != "https" and parts.hostname not in ("127.0.0.1", "::1", "localhost"):
            raise FetchError(f"{self.api_url} is not https: the token would travel unencrypted; refused")

    @property
    def host(self) -> str:
        return urlsplit(self.api_url).netloc

    def fetch(self, ref: IssueRef) -> FetchedIssue:
        """The issue and all its comments; raises FetchError with one line for the user."""
        base = f"{self.api_url}/repos/{ref.owner}/{ref.repo}/issues/{ref.number}"
        issue, _ = self._get(base, ref)
        if not isinstance(issue, dict) or not isinstance(issue.get("number"), int):
            raise self._malformed("the issue is not a JSON object with a number")
        if issue.get("pull_request"):
            raise FetchError(f"{ref.short} is a pull request, not an issue: give the vote issue's number")
        posts = [_post(0, issue, opening=True, key="issue")]
        url: str | None = f"{base}/comments?per_page={PER_PAGE}"
        pages = 0
        while url is not None:
            pages += 1
            if pages > MAX_PAGES:
                raise FetchError(f"{self.host} kept sending pages of comments (over {MAX_PAGES}); stopped")
            comments, url = self._get(url, ref)
            if not isinstance(comments, list) or not all(isinstance(c, dict) for c in comments):
                raise self._malformed("the comments are not a JSON list of objects")
            first = len(posts)  # each post its own number (the list grows only after this line)
            posts += [_post(first + i, c, key=str(c.get("id", ""))) for i, c in enumerate(comments)]
        title = issue.get("title")
        html_url = issue.get("html_url")
        return FetchedIssue(
            ref,
            title if isinstance(title, str) else "",
            html_url if isinstance(html_url, str) else ref.url,
            posts,
            self.rate_left,
        )

    # -- one request ------------------------------------------------------------------------

    def _get(self, url: str, ref: IssueRef) -> tuple[Any, str | None]:
        """The JSON at `url` and the next page's URL; from the cache when GitHub says 304."""
        request = urllib.request.Request(url, headers=self._headers(url))
        if self.token:
            # Unredirected: a redirect never carries the token, not even to the same host.
            request.add_unredirected_header("Authorization", f"Bearer {self.token}")
        try:
            with self.opener.open(request, timeout=self.timeout) as response:
                self._note_rate(response.headers)
                raw = response.read(MAX_BYTES + 1)
                headers = response.headers
        except urllib.error.HTTPError as err:
            self._note_rate(err.headers)
            cached = self._cache.get(url)
            if err.code == 304 and cached is not None:
                return cached.data, cached.next_url
            raise self._http_error(err, ref) from None
        except urllib.error.URLError as err:
            raise self._network_error(err.reason) from None
        except TimeoutError:
            raise self._network_error(TimeoutError()) from None
        except OSError as err:
            raise self._network_error(err) from None
        if len(raw) > MAX_BYTES:
            raise self._malformed(f"an answer larger than {MAX_BYTES // 1_000_000} MB")
        try:
            data = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as err:
            raise self._malformed(f"not JSON: {err}") from None
        next_url = self._next_page(headers.get("Link", ""))
        etag = headers.get("ETag", "")
        if etag:
            self._cache[url] = _Cached(etag, data, next_url)
        return data, next_url

    def _headers(self, url: str) -> dict[str, str]:
        headers = {
            "Accept": "application/vnd.github+json",
            "X-GitHub-Api-Version": "2022-11-28",
            "User-Agent": f"tvm-vote-tui/{__version__}",
        }
        cached = self._cache.get(url)
        if cached is not None:
            headers["If-None-Match"] = cached.etag
        return headers

    def _next_page(self, link: str) -> str | None:
        for found in _LINK.finditer(link):
            if found.group("rel") == "next":
                url = found.group("url")
                mine, theirs = urlsplit(self.api_url), urlsplit(url)
                if (theirs.scheme, theirs.netloc) != (mine.scheme, mine.netloc):
                    raise FetchError(f"{self.host} sent a next page on another host ({theirs.netloc})")
                return url
        return None

    def _note_rate(self, headers: Message | None) -> None:
        left = headers.get("X-RateLimit-Remaining") if headers is not None else None
        if left is not None and left.strip().isdigit():
            self.rate_left = int(left)

    # -- what went wrong, in one line ---------------------------------------------------------

    def _malformed(self, detail: str) -> FetchError:
        return FetchError(f"{self.host} sent something that is not GitHub's JSON ({detail}); nothing read")

    def _network_error(self, reason: object) -> FetchError:
        host = urlsplit(self.api_url).hostname or self.host
        if isinstance(reason, socket.gaierror):
            return FetchError(f"cannot look up {host} (DNS): no network, or a wrong address; nothing read")
        if isinstance(reason, TimeoutError):
            return FetchError(
                f"{host} did not answer within {self.timeout:g} seconds; nothing read, try again"
            )
        if isinstance(reason, ssl.SSLError):
            return FetchError(f"no secure connection to {host} ({reason.reason or reason}); nothing read")
        if isinstance(reason, OSError):
            why = reason.strerror or type(reason).__name__
            return FetchError(f"cannot reach {host} ({why}): no network?; nothing read")
        return FetchError(f"cannot reach {host} ({reason}); nothing read")

    def _http_error(self, err: urllib.error.HTTPError, ref: IssueRef) -> FetchError:
        code = err.code
        message = _server_message(err)
        said = f": {message}" if message else ""
        if code == 401:
            if self.token:
                return FetchError(f"GitHub refused the token (401{said}); check GITHUB_TOKEN / GH_TOKEN")
            return FetchError(f"GitHub asks to sign in (401{said}); set GITHUB_TOKEN")
        used_up = err.headers.get("X-RateLimit-Remaining") == "0" or "rate limit" in message.lower()
        if code == 429 or (code == 403 and used_up):
            return FetchError(self._rate_limited(err.headers))
        if code == 403:
            hint = "" if self.token else "; a token (GITHUB_TOKEN) may have access"
            return FetchError(f"GitHub refused to show {ref.short} (403{said}){hint}")
        if code == 404:
            hint = "or the token cannot read it" if self.token else "set GITHUB_TOKEN to read a private one"
            return FetchError(f"{ref.short} not found on {self.host}: no such issue, or private ({hint})")
        if code == 410:
            return FetchError(f"{ref.short} was deleted (410 Gone)")
        if 500 <= code < 600:
            return FetchError(f"{self.host} had a server error ({code}); nothing read, try again in a minute")
        if 300 <= code < 400:
            return FetchError(f"{self.host} answered {code} (a redirect) for {ref.short}; not followed")
        return FetchError(f"{self.host} answered {code} {one_line(err.reason or '')}{said}; nothing read")

    def _rate_limited(self, headers: Message) -> str:
        text = "GitHub's rate limit is used up"
        limit = headers.get("X-RateLimit-Limit")
        if limit and limit.isdigit():
            text += f" ({int(limit):,} requests an hour)"
        reset = headers.get("X-RateLimit-Reset")
        retry = headers.get("Retry-After")
        if reset and reset.isdigit():
            at = pendulum.from_timestamp(int(reset), tz="UTC")
            minutes = max(0, round((at - self.clock()).total_seconds() / 60))
            unit = "minute" if minutes == 1 else "minutes"
            text += f"; it resets at {at.format('HH:mm')} UTC, in {minutes} {unit}"
        elif retry and retry.isdigit():
            text += f"; try again in {int(retry)} seconds"
        if not self.token:
            text += "; a token (GITHUB_TOKEN) allows 5,000 an hour"
        return text


def _utc_now() -> DateTime:
    return pendulum.now("UTC")


def _server_message(err: urllib.error.HTTPError) -> str:
    """GitHub's own 'message' from an error body, short and safe to show ('' when there is none)."""
    try:
        body = err.read(20_000)
        message = json.loads(body.decode("utf-8")).get("message", "")
    except Exception:  # an error body is a courtesy: any shape, or none, is fine
        return ""
    return one_line(message)[:160] if isinstance(message, str) else ""


def _when(value: object) -> DateTime | None:
    if not isinstance(value, str):
        return None
    try:
        parsed = pendulum.parse(value)
    except Exception:  # a malformed time reads as undated, never as an error
        return None
    return parsed if isinstance(parsed, DateTime) else None


def _post(index: int, data: dict[str, Any], *, opening: bool = False, key: str) -> Post:
    user = data.get("user")
    login = user.get("login") if isinstance(user, dict) else None
    kind = user.get("type") if isinstance(user, dict) else None
    login = login if isinstance(login, str) and login else GHOST  # user: null is a deleted account
    body = data.get("body")
    created = _when(data.get("created_at"))
    updated = _when(data.get("updated_at"))
    html_url = data.get("html_url")
    return Post(
        index,
        handle=login,
        account=account_kind(login, kind if isinstance(kind, str) else ""),
        verified=True,  # GitHub names the author: the login is GitHub's, not typed text
        date=created,
        lines=body.splitlines() if isinstance(body, str) else [],
        opening=opening,
        # The issue's own updated_at moves with every comment; only a comment's means an edit.
        edited_at=updated if not opening and created and updated and updated > created else None,
        key=key,
        url=html_url if isinstance(html_url, str) else "",
    )


def _web_ref(html_url: str, ref: IssueRef) -> IssueRef:
    try:
        return parse_issue_ref(html_url)
    except ThreadRefError:
        return ref
