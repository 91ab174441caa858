"""Post to GitHub through its REST API: a new issue, a comment on an issue, an issue closed.

Never twice. Every body carries its marker (publish/posts.py). Before posting, the poster looks
for its own earlier post with that marker (the repository's issues opened by the token's own
account, or the issue's comments by that account), and when it finds one it records that one and
posts nothing: a post made before a crash, or by a run whose answer was lost, is found. A post
whose answer is lost (a timeout, a dropped connection, a broken answer, a server error after the
request went out) is never simply sent again: the poster looks for it, and says plainly when it
can tell neither way. A redirect is never followed with a post (http.py).

Requests go through the venues' one HTTP client: the token (GITHUB_TOKEN or GH_TOKEN) only to the
API the manager named, every answer checked and capped, each failure one line that says the
cause and what to do. What a post's answer claims about where the post lives (`html_url`) is not
used: the address recorded is the issue in the repository the manager named, on that API's host."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import pendulum
from pendulum import DateTime

from tvm_vote_tui.domain.proposal import Published
from tvm_vote_tui.domain.thread_ref import GitHubApi, IssueRef, Repo, is_login
from tvm_vote_tui.venues.github_api import (
    HEADERS,
    Malformed,
    decode_json,
    field_time,
    is_rate_limited,
    next_page_url,
    rate_limit_text,
    server_message,
    validation_errors,
)
from tvm_vote_tui.venues.http import (
    IDLE_TIMEOUT,
    Answer,
    Deadline,
    FetchError,
    HttpClient,
    OutcomeUnknown,
    Progress,
)
from tvm_vote_tui.venues.token import Token

POST_DEADLINE = 120.0
"""Seconds one step may take in all: looking first, posting, and looking again if the answer is lost."""
MAX_ANSWER = 5_000_000
"""One answer to a post (an issue of GitHub's largest body is well under 1 MB)."""
MAX_PAGE = 20_000_000
MAX_ISSUE_PAGES = 20
"""Pages of 100 of the account's own issues looked through for a marker (2,000 since the vote began)."""
MAX_COMMENT_PAGES = 100
LOOK_AGAIN = 60.0
"""Seconds to look for a post whose answer was lost (a clock of its own)."""
PERMISSION = (
    'a fine-grained token needs the "Issues: write" permission on {repo}, a classic token the '
    "public_repo scope (repo for a private repository)"
)
NO_TOKEN = (
    "posting to GitHub needs a token: set GITHUB_TOKEN (or GH_TOKEN) to one that may write issues on "
    "{repo} (" + PERMISSION + "); nothing posted"
)


class PostError(FetchError):
    """A post that was not made (or whose outcome is not known): one line, nothing recorded."""


class _Lost(Exception):
    """The post went out and its answer was lost, or was a server error: it may exist."""

    def __init__(self, cause: str) -> None:
        super().__init__(cause)
        self.cause = cause


@dataclass(frozen=True)
class Posted:
    """A step done on GitHub: where (the address on the API's web host), when (GitHub's time) and
    its number (an issue's number, a comment's id)."""

    step: str
    url: str
    at: DateTime
    number: int | None
    found: bool = False
    """It was found by its marker, posted earlier: nothing new was posted."""

    def published(self) -> Published:
        return Published(self.step, self.url, self.at, self.number)


class GitHubPoster:
    """Posts to one GitHub API as the token's account (one poster per flow, one thread at a time)."""

    def __init__(
        self,
        api: GitHubApi,
        token: Token | None,
        *,
        repo: Repo | str = "the repository",
        timeout: float = IDLE_TIMEOUT,
        deadline: float = POST_DEADLINE,
        clock: Callable[[], DateTime] | None = None,
        environ: Mapping[str, str] | None = None,
    ) -> None:
        if token is None:
            raise PostError(NO_TOKEN.format(repo=repo))
        self.api = api
        self.token = token
        self.deadline = deadline
        self.clock = clock or (lambda: pendulum.now("UTC"))
        self._client = HttpClient(
            "GitHub API", token=token, token_origin=api.origin, idle_timeout=timeout, environ=environ
        )
        self._login = ""

    def __repr__(self) -> str:
        return f"GitHubPoster({self.api.url!r})"

    @property
    def host(self) -> str:
        return self.api.origin.netloc

    # -- the three kinds of post ------------------------------------------------------------

    def create_issue(
        self,
        repo: Repo,
        step: str,
        title: str,
        body: str,
        marker: str,
        since: DateTime | None = None,
        progress: Progress | None = None,
    ) -> Posted:
        """A new issue in `repo` (or the one this session posted earlier, found by `marker`)."""
        deadline = Deadline(self.deadline, progress)

        def look(deadline: Deadline) -> Posted | None:
            return self._find_issue(repo, step, marker, since, deadline)

        deadline.progress.say(f"looking in {repo} for an earlier post of this step …")
        found = look(deadline)
        if found is not None:
            return found
        deadline.progress.say(f"posting a new issue to {repo} …")
        url = f"{self.api.url}/repos/{repo.owner}/{repo.name}/issues"
        try:
            answer = self._send("POST", url, {"title": title, "body": body}, deadline)
        except _Lost as lost:
            return self._look_again(look, lost.cause, str(repo), deadline.progress)
        if answer.status != 201:
            raise self._refused(answer, str(repo), "issue")
        data = self._object(answer)
        number = _positive(data.get("number"), "number")
        return Posted(step, repo.issue(number, *self._web_place()).url, self._time(data), number)

    def comment(
        self,
        issue: IssueRef,
        step: str,
        body: str,
        marker: str,
        since: DateTime | None = None,
        progress: Progress | None = None,
    ) -> Posted:
        """A comment on `issue` (or the one posted earlier, found by `marker`)."""
        deadline = Deadline(self.deadline, progress)

        def look(deadline: Deadline) -> Posted | None:
            return self._find_comment(issue, step, marker, since, deadline)

        deadline.progress.say(f"looking at {issue.short} for an earlier post of this step …")
        found = look(deadline)
        if found is not None:
            return found
        deadline.progress.say(f"posting a comment on {issue.short} …")
        url = f"{self._issue_url(issue)}/comments"
        try:
            answer = self._send("POST", url, {"body": body}, deadline)
        except _Lost as lost:
            return self._look_again(look, lost.cause, issue.short, deadline.progress)
        if answer.status != 201:
            raise self._refused(answer, f"{issue.owner}/{issue.repo}", "comment", issue)
        data = self._object(answer)
        key = _positive(data.get("id"), "id")
        return Posted(step, f"{issue.url}#issuecomment-{key}", self._time(data), key)

    def close_issue(
        self, issue: IssueRef, step: str = "close-issue", progress: Progress | None = None
    ) -> Posted:
        """Close `issue` as completed (an issue already closed is taken as done: nothing is sent)."""
        deadline = Deadline(self.deadline, progress)

        def look(deadline: Deadline) -> Posted | None:
            data = self._get_object(self._issue_url(issue), deadline, issue.short)
            if data.get("state") != "closed":
                return None
            return Posted(step, issue.url, self._time(data, "closed_at"), issue.number, found=True)

        deadline.progress.say(f"looking whether {issue.short} is closed already …")
        found = look(deadline)
        if found is not None:
            return found
        deadline.progress.say(f"closing {issue.short} …")
        body = {"state": "closed", "state_reason": "completed"}
        try:
            answer = self._send("PATCH", self._issue_url(issue), body, deadline)
        except _Lost as lost:
            return self._look_again(look, lost.cause, issue.short, deadline.progress)
        if answer.status != 200:
            raise self._refused(answer, f"{issue.owner}/{issue.repo}", "close", issue)
        data = self._object(answer)
        return Posted(step, issue.url, self._time(data, "closed_at"), issue.number)

    # -- sending once -------------------------------------------------------------------------

    def _send(self, method: str, url: str, payload: dict[str, str], deadline: Deadline) -> Answer:
        """Send once; a lost answer, or a server error once it was sent (the post may exist), is _Lost."""
        body = json.dumps(payload, ensure_ascii=False).encode("utf-8")
        headers = {**HEADERS, "Content-Type": "application/json; charset=utf-8"}
        try:
            answer = self._client.send(
                method, url, body=body, deadline=deadline, max_bytes=MAX_ANSWER, headers=headers
            )
        except OutcomeUnknown as err:
            raise _Lost(_cause(str(err))) from None
        if 500 <= answer.status < 600:
            raise _Lost(f"{self.host} had a server error ({answer.status}) once the post was sent")
        return answer

    def _look_again(
        self, look: Callable[[Deadline], Posted | None], cause: str, where: str, progress: Progress
    ) -> Posted:
        """After a lost answer: the post as found by its marker, or one line saying it was not made,
        or that it cannot be told (then nothing is recorded, and the next try looks first)."""
        progress.say(f"the answer was lost: looking for the post on {where} …")
        try:
            found = look(Deadline(min(self.deadline, LOOK_AGAIN), progress))  # a fresh clock
        except FetchError as err:
            raise PostError(
                f"{cause}; looking for it failed too ({_cause(str(err))}): it may or may not have been "
                f"posted on {where}, and nothing is recorded. Try again once GitHub answers: it looks "
                "for this post first, so it is never posted twice"
            ) from None
        if found is None:
            raise PostError(
                f"{cause}, and the post is not on {where}: it was not made; nothing recorded, try again"
            )
        return found

    # -- looking for an earlier post ----------------------------------------------------------

    def login(self, deadline: Deadline | None = None) -> str:
        """The token's own account (GET /user), asked once: posts are looked for among its own."""
        if not self._login:
            data = self._get_object(
                f"{self.api.url}/user", deadline or Deadline(self.deadline), "your account"
            )
            login = data.get("login")
            if not isinstance(login, str) or not is_login(login):
                raise self._malformed("the account's login is not a GitHub login")
            self._login = login
        return self._login

    def _find_issue(
        self, repo: Repo, step: str, marker: str, since: DateTime | None, deadline: Deadline
    ) -> Posted | None:
        login = self.login(deadline)
        query = {"creator": login, "state": "all", "sort": "created", "direction": "desc", "per_page": "100"}
        if since is not None:
            query["since"] = _iso(since)
        url: str | None = f"{self.api.url}/repos/{repo.owner}/{repo.name}/issues?{urlencode(query)}"
        for _ in range(MAX_ISSUE_PAGES):
            if url is None:
                return None
            items, url = self._get_page(url, deadline, str(repo))
            for item in items:
                if _mine(item, login, marker) and not item.get("pull_request"):
                    number = _positive(item.get("number"), "number")
                    issue = repo.issue(number, *self._web_place())
                    return Posted(step, issue.url, self._time(item), number, found=True)
        raise PostError(
            f"{repo} holds over {MAX_ISSUE_PAGES * 100:,} issues of yours since this vote began: cannot "
            "tell whether this step was posted already; nothing posted"
        )

    def _find_comment(
        self, issue: IssueRef, step: str, marker: str, since: DateTime | None, deadline: Deadline
    ) -> Posted | None:
        login = self.login(deadline)
        query = {"per_page": "100"}
        if since is not None:
            query["since"] = _iso(since)
        url: str | None = f"{self._issue_url(issue)}/comments?{urlencode(query)}"
        for _ in range(MAX_COMMENT_PAGES):
            if url is None:
                return None
            items, url = self._get_page(url, deadline, issue.short)
            for item in items:
                if _mine(item, login, marker):
                    key = _positive(item.get("id"), "id")
                    return Posted(step, f"{issue.url}#issuecomment-{key}", self._time(item), key, found=True)
        raise PostError(f"{self.host} kept sending pages of comments (over {MAX_COMMENT_PAGES}); stopped")

    # -- reading --------------------------------------------------------------------------------

    def _get(self, url: str, deadline: Deadline, where: str) -> Answer:
        try:
            answer = self._client.get(url, deadline=deadline, max_bytes=MAX_PAGE, headers=dict(HEADERS))
        except FetchError as err:
            raise PostError(f"{_cause(str(err))}; nothing posted") from None
        if answer.elsewhere or answer.cleartext:
            raise PostError(
                f"{self.host} sent the look-up for {where} on to {answer.origin.netloc}: not GitHub's own "
                "answer, so it cannot say what was posted; nothing posted"
            )
        if answer.status != 200:
            raise self._unreadable(answer, where)
        return answer

    def _get_object(self, url: str, deadline: Deadline, where: str) -> dict[str, Any]:
        return self._object(self._get(url, deadline, where))

    def _get_page(self, url: str, deadline: Deadline, where: str) -> tuple[list[dict[str, Any]], str | None]:
        answer = self._get(url, deadline, where)
        try:
            data = decode_json(answer.body)
            next_url = next_page_url(answer.headers.get("Link", ""), self.api.origin)
        except Malformed as err:
            raise self._malformed(str(err)) from None
        except FetchError as err:  # a next page on another host: never read, never sent the token
            raise PostError(f"{_cause(str(err))}; nothing posted") from None
        if not isinstance(data, list) or not all(isinstance(item, dict) for item in data):
            raise self._malformed("a page that is not a list of objects")
        return data, next_url

    def _object(self, answer: Answer) -> dict[str, Any]:
        try:
            data = decode_json(answer.body)
        except Malformed as err:
            raise self._malformed(str(err)) from None
        if not isinstance(data, dict):
            raise self._malformed("not a JSON object")
        return data

    def _time(self, data: dict[str, Any], name: str = "created_at") -> DateTime:
        try:
            found = field_time(data, name)
        except Malformed as err:
            raise self._malformed(str(err)) from None
        if found is None:
            if name == "closed_at":
                return self.clock().replace(microsecond=0)
            raise self._malformed(f"it has no {name}")
        return found.in_timezone("UTC")

    def _issue_url(self, issue: IssueRef) -> str:
        return f"{self.api.url}/repos/{issue.owner}/{issue.repo}/issues/{issue.number}"

    def _web_place(self) -> tuple[str, str]:
        """Where the API's issues live on the web: (host, scheme), e.g. ('github.com', 'https')."""
        return self.api.web_host, self.api.web_scheme

    # -- what went wrong, in one line -----------------------------------------------------------

    def _malformed(self, detail: str) -> PostError:
        return PostError(f"{self.host} sent something that is not GitHub's JSON ({detail}); nothing recorded")

    def _refused(self, answer: Answer, repo: str, kind: str, issue: IssueRef | None = None) -> PostError:
        """A post GitHub answered with a refusal: nothing was posted."""
        code, message = answer.status, server_message(answer.body)
        said = f": {message}" if message else ""
        if code == 401:
            return PostError(
                f"GitHub refused the token (401{said}): check ${self.token.variable}, or make a new one "
                f"({PERMISSION.format(repo=repo)}); nothing posted"
            )
        if is_rate_limited(code, answer.headers, message):
            return PostError(
                f"{rate_limit_text(answer.headers, self.clock(), anonymous=False)}; nothing posted"
            )
        if code == 403:
            asked = answer.headers.get("X-Accepted-GitHub-Permissions", "")
            asks = (
                f" (GitHub asks for {asked[:80]})"
                if asked.isascii() and asked.isprintable() and asked
                else ""
            )
            return PostError(
                f"the token may not write issues on {repo} (403{said}){asks}: "
                f"{PERMISSION.format(repo=repo)}; nothing posted"
            )
        if code == 404:
            what = f"{issue.short}" if issue is not None else repo
            return PostError(
                f"{what} not found on {self.host} (404): no such repository or issue, or the token has no "
                f"access to it (a fine-grained token must name {repo}); nothing posted"
            )
        if code == 410:
            return PostError(
                f"issues are turned off on {repo} (410 Gone): turn them on in its settings, or post the "
                "text by hand; nothing posted"
            )
        if code == 422:
            errors = validation_errors(answer.body)
            detail = "; ".join(filter(None, (message, errors))) or "Validation Failed"
            return PostError(f"GitHub refused the {kind} (422: {detail}); nothing posted")
        if 300 <= code < 400:
            where = _location_host(answer.headers.get("Location", ""))
            return PostError(
                f"{self.host} answered {code}, a redirect{where}: not followed (a post, and the token, go "
                "only to your API); nothing posted"
            )
        return PostError(f"{self.host} answered {code}{said}; nothing posted")

    def _unreadable(self, answer: Answer, where: str) -> PostError:
        """A look-up GitHub refused: nothing was posted (the look comes first)."""
        code, message = answer.status, server_message(answer.body)
        said = f": {message}" if message else ""
        if code == 401:
            return PostError(
                f"GitHub refused the token (401{said}): check ${self.token.variable}; nothing posted"
            )
        if is_rate_limited(code, answer.headers, message):
            return PostError(
                f"{rate_limit_text(answer.headers, self.clock(), anonymous=False)}; nothing posted"
            )
        if code == 403:
            return PostError(f"the token may not read {where} (403{said}); nothing posted")
        if code == 404:
            return PostError(
                f"{where} not found on {self.host} (404): no such repository or issue, or the token has no "
                "access to it; nothing posted"
            )
        if code == 410:
            return PostError(f"issues are turned off on {where} (410 Gone); nothing posted")
        if 300 <= code < 400:
            return PostError(
                f"{self.host} answered {code} (a redirect) for {where}; not followed, nothing posted"
            )
        if 500 <= code < 600:
            return PostError(
                f"{self.host} had a server error ({code}); nothing posted, try again in a minute"
            )
        return PostError(f"{self.host} answered {code}{said} for {where}; nothing posted")


def _mine(item: dict[str, Any], login: str, marker: str) -> bool:
    """An item (issue or comment) of the account `login` whose body holds `marker`: the account's
    own, since anyone could copy a marker into a post of theirs."""
    user = item.get("user")
    author = user.get("login") if isinstance(user, dict) else None
    body = item.get("body")
    return (
        isinstance(author, str)
        and author.casefold() == login.casefold()
        and isinstance(body, str)
        and marker in body
    )


def _positive(value: object, name: str) -> int:
    if type(value) is not int or not 0 < value < 2**63:
        raise PostError(
            f"GitHub's answer has no {name}: it may or may not have been posted; nothing recorded"
        )
    return value


def _iso(moment: DateTime) -> str:
    return moment.in_timezone("UTC").format("YYYY-MM-DD[T]HH:mm:ss[Z]")


def _cause(text: str) -> str:
    """An error's own words without the 'nothing …' ending (the caller says what became of it)."""
    endings = (
        "; its answer was lost: it may have been done",
        "; nothing sent",
        "; nothing read",
        "; nothing posted",
    )
    for ending in (*endings, "; nothing recorded"):
        text = text.replace(ending, "")
    return text.removesuffix(", try again").removesuffix("; stopped").rstrip("; ,")


def _location_host(location: str) -> str:
    from urllib.parse import urlsplit

    try:
        host = urlsplit(location.strip()).hostname or ""
    except ValueError:
        return ""
    return f" to {host}" if host and host.isascii() and host.isprintable() and len(host) < 100 else ""
