"""Read a vote issue and all its comments through the GitHub REST API: the authors are GitHub's.

Requests go through the venues' one HTTP client (http.py): the token from GITHUB_TOKEN or
GH_TOKEN is pinned to the API the manager named (`--api-url`, their configuration, or
api.github.com) and goes nowhere else; every read has an overall deadline and a size cap and can
be cancelled. Every answer is checked against the fields used (types and sizes) before anything
is read from it, and whatever is wrong is one line. Without a token, GitHub allows 60 requests an
hour; re-reading an unchanged issue is a conditional request (ETag), which GitHub does not count,
so follow mode can read every 30 seconds. An answer never says where the thread lives: the issue
is the one the manager named, whatever its `html_url` claims."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from email.message import Message
from typing import Any

import pendulum
from pendulum import DateTime

from tvm_vote_tui.domain.thread_ref import (
    GITHUB_API,
    GitHubApi,
    IssueRef,
    ThreadRefError,
    is_login,
)
from tvm_vote_tui.venues.github_api import (
    HEADERS,
    Malformed,
    decode_json,
    field_time,
    header_number,
    is_rate_limited,
    next_page_url,
    rate_limit_text,
    server_message,
)
from tvm_vote_tui.venues.http import IDLE_TIMEOUT, Answer, Deadline, FetchError, HttpClient, Progress
from tvm_vote_tui.venues.token import Token
from tvm_vote_tui.votethread.posts import GHOST, Post, account_kind, cap_lines

PER_PAGE = 100
MAX_PAGES = 100
"""10,000 comments: a vote thread never has more; a server that keeps sending pages is stopped."""
MAX_BYTES = 20_000_000
"""One answer (a page of 100 comments of GitHub's maximum size is under 14 MB)."""
READ_DEADLINE = 120.0
"""Seconds a whole read (the issue and every page of comments) may take."""
MAX_TITLE = 1000
_BOT = re.compile(r"(?P<login>[A-Za-z0-9-]{1,39})\[bot\]")
UNPROVEN_TRANSPORT = (
    "read over plain http or from another host after a redirect: the API's word on who wrote it "
    "cannot be trusted"
)

__all__ = ["FetchError", "FetchedIssue", "GitHubReader", "Progress"]


@dataclass
class FetchedIssue:
    """An issue as GitHub serves it: the announcement (issue body) and every comment, in order."""

    ref: IssueRef
    """The issue the manager named (where the session's thread lives), not the answer's html_url."""
    title: str
    posts: list[Post]
    rate_left: int | None = None
    """Requests left this hour, as GitHub last said."""


@dataclass
class _Cached:
    etag: str
    data: Any
    next_url: str | None
    proof: bool


class _Malformed(Exception):
    """A field of an answer that is not what GitHub sends."""


class GitHubReader:
    """Reads issues from one GitHub API; remembers ETags between reads (one reader per screen,
    used by one thread at a time)."""

    def __init__(
        self,
        api_url: str | GitHubApi = GITHUB_API,
        token: Token | None = None,
        *,
        timeout: float = IDLE_TIMEOUT,
        deadline: float = READ_DEADLINE,
        clock: Callable[[], DateTime] | None = None,
        environ: Mapping[str, str] | None = None,
    ) -> None:
        try:
            self.api = api_url if isinstance(api_url, GitHubApi) else GitHubApi.parse(api_url)
        except ThreadRefError as err:
            raise FetchError(str(err)) from None
        self.token = token
        self.timeout, self.deadline = timeout, deadline
        self.clock = clock or _utc_now
        self.rate_left: int | None = None
        self._client = HttpClient(
            "GitHub API", token=token, token_origin=self.api.origin, idle_timeout=timeout, environ=environ
        )
        self._cache: dict[str, _Cached] = {}

    def __repr__(self) -> str:
        return f"GitHubReader({self.api.url!r}, token={'yes' if self.token else 'no'})"

    @property
    def api_url(self) -> str:
        return self.api.url

    @property
    def host(self) -> str:
        return self.api.origin.netloc

    def fetch(self, ref: IssueRef, progress: Progress | None = None) -> FetchedIssue:
        """The issue and all its comments; raises FetchError with one line for the user."""
        if not self.api.serves(ref):
            raise FetchError(
                f"{ref.url} is not on {self.api.web_host}, which {self.api.url} serves; not read"
            )
        deadline = Deadline(self.deadline, progress)
        say = deadline.progress.say
        base = f"{self.api.url}/repos/{ref.owner}/{ref.repo}/issues/{ref.number}"
        say(f"reading {ref.short} from {self.host} …")
        issue, _, proof = self._get(base, ref, deadline)
        try:
            opening, title = _issue(issue, ref)
        except _Malformed as err:
            raise self._malformed(f"the issue: {err}") from None
        posts = [_checked_post(0, opening, proof)]
        url: str | None = f"{base}/comments?per_page={PER_PAGE}"
        seen: set[str] = set()
        while url is not None:
            if len(seen) >= MAX_PAGES:
                raise FetchError(f"{self.host} kept sending pages of comments (over {MAX_PAGES}); stopped")
            if url in seen:
                raise FetchError(f"{self.host} sent the same page of comments twice; stopped")
            seen.add(url)
            say(f"reading {ref.short}: page {len(seen)} of comments ({len(posts) - 1} so far) …")
            comments, url, proof = self._get(url, ref, deadline)
            if not isinstance(comments, list):
                raise self._malformed("the comments are not a JSON list of objects")
            for comment in comments:
                try:
                    fields = _comment(comment)
                except _Malformed as err:
                    raise self._malformed(f"comment {len(posts)}: {err}") from None
                posts.append(_checked_post(len(posts), fields, proof))
        return FetchedIssue(ref, title, posts, self.rate_left)

    # -- one request ------------------------------------------------------------------------

    def _get(self, url: str, ref: IssueRef, deadline: Deadline) -> tuple[Any, str | None, bool]:
        """The JSON at `url`, the next page's URL, and whether the answer may vouch for authors
        (read over https, or on this machine, from the API itself); from the cache on a 304."""
        cached = self._cache.get(url)
        headers = dict(HEADERS)
        if cached is not None:
            headers["If-None-Match"] = cached.etag
        answer = self._client.get(url, deadline=deadline, max_bytes=MAX_BYTES, headers=headers)
        self._note_rate(answer.headers)
        proof = not (answer.cleartext or answer.elsewhere)
        if answer.status == 304 and cached is not None:
            return cached.data, cached.next_url, cached.proof and proof
        if answer.status != 200:
            raise self._http_error(answer, ref)
        data = self._json(answer.body)
        next_url = self._next_page(answer.headers.get("Link", ""))
        etag = answer.headers.get("ETag", "")
        if etag and len(etag) <= 200 and etag.isascii() and etag.isprintable():
            if len(self._cache) > MAX_PAGES + 1:
                self._cache.clear()
            self._cache[url] = _Cached(etag, data, next_url, proof)
        return data, next_url, proof

    def _json(self, raw: bytes) -> Any:
        try:
            return decode_json(raw)
        except Malformed as err:
            raise self._malformed(str(err)) from None

    def _next_page(self, link: str) -> str | None:
        try:
            return next_page_url(link, self.api.origin)
        except Malformed as err:
            raise self._malformed(str(err)) from None

    def _note_rate(self, headers: Message) -> None:
        left = header_number(headers.get("X-RateLimit-Remaining"))
        if left is not None:
            self.rate_left = left

    # -- what went wrong, in one line ---------------------------------------------------------

    def _malformed(self, detail: str) -> FetchError:
        return FetchError(f"{self.host} sent something that is not GitHub's JSON ({detail}); nothing read")

    def _http_error(self, answer: Answer, ref: IssueRef) -> FetchError:
        code = answer.status
        message = server_message(answer.body)
        said = f": {message}" if message else ""
        if code == 401:
            if self.token:
                variable = self.token.variable
                return FetchError(
                    f"GitHub refused the token (401{said}); check ${variable} (GITHUB_TOKEN / GH_TOKEN)"
                )
            return FetchError(f"GitHub asks to sign in (401{said}); set GITHUB_TOKEN")
        if is_rate_limited(code, answer.headers, message):
            return FetchError(self._rate_limited(answer.headers))
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
        return FetchError(f"{self.host} answered {code}{said}; nothing read")

    def _rate_limited(self, headers: Message) -> str:
        return rate_limit_text(headers, self.clock(), anonymous=not self.token)


def _utc_now() -> DateTime:
    return pendulum.now("UTC")


# -- the fields used, checked -------------------------------------------------------------------


@dataclass
class _Fields:
    key: str
    login: str
    body: str
    created: DateTime
    updated: DateTime | None
    url: str
    opening: bool = False
    user_type: str = ""


def _issue(data: object, ref: IssueRef) -> tuple[_Fields, str]:
    if not isinstance(data, dict):
        raise _Malformed("not a JSON object")
    if data.get("pull_request"):
        raise FetchError(f"{ref.short} is a pull request, not an issue: give the vote issue's number")
    number = data.get("number")
    if type(number) is not int or number != ref.number:
        raise _Malformed(f"its number is not {ref.number}")
    title = _text(data, "title", MAX_TITLE)
    fields = _common(data, "issue")
    fields.opening = True
    fields.updated = (
        None  # the issue's own updated_at moves with every comment; only a comment's means an edit
    )
    return fields, title


def _comment(data: object) -> _Fields:
    if not isinstance(data, dict):
        raise _Malformed("not a JSON object")
    key = data.get("id")
    if type(key) is not int or not 0 < key < 2**63:
        raise _Malformed("its id is not a number")
    return _common(data, str(key))


def _common(data: dict[str, Any], key: str) -> _Fields:
    user = data.get("user")
    login, user_type = "", ""
    if user is not None:
        if not isinstance(user, dict):
            raise _Malformed("its user is not an object")
        login = _text(user, "login", 60)
        if not (is_login(login) or _BOT.fullmatch(login)):
            raise _Malformed("its user's login is not a GitHub login")
        kind = user.get("type")
        user_type = kind if isinstance(kind, str) and len(kind) < 40 else ""
    body = data.get("body")
    if body is not None and not isinstance(body, str):
        raise _Malformed("its body is not text")
    created = _time(data, "created_at")
    if created is None:
        raise _Malformed("it has no created_at time")
    url = data.get("html_url")
    return _Fields(
        key=key,
        login=login,
        body=body or "",
        created=created,
        updated=_time(data, "updated_at"),
        url=url if isinstance(url, str) and len(url) < 500 and url.isprintable() else "",
        user_type=user_type,
    )


def _text(data: dict[str, Any], name: str, limit: int) -> str:
    value = data.get(name)
    if not isinstance(value, str):
        raise _Malformed(f"its {name} is not text")
    if len(value) > limit:
        raise _Malformed(f"its {name} is over {limit} characters")
    return value


def _time(data: dict[str, Any], name: str) -> DateTime | None:
    try:
        return field_time(data, name)
    except Malformed as err:
        raise _Malformed(str(err)) from None


def _checked_post(index: int, fields: _Fields, proof: bool) -> Post:
    post = _post(index, fields)
    # GitHub names the author (its login, not typed text), unless the answer came in clear or
    # from elsewhere after a redirect: then nothing in it is GitHub's word.
    post.verified = proof
    if not proof:
        post.suspect = UNPROVEN_TRANSPORT
    return post


def _post(index: int, fields: _Fields) -> Post:
    created, updated = fields.created, fields.updated
    lines, cut = cap_lines(fields.body, "comment" if not fields.opening else "issue text")
    login = fields.login or GHOST  # user: null is a deleted account
    return Post(
        index,
        handle=login,
        account=account_kind(login, fields.user_type),
        date=created,
        lines=lines,
        opening=fields.opening,
        edited_at=updated if updated and updated > created else None,
        key=fields.key,
        url=fields.url,
        cut=cut,
    )
