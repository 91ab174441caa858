"""Where a vote thread lives: a GitHub issue named as `apache/tvm#16368`, a number, or its URL.

A session stores the short form for github.com (`[proposal] thread = "apache/tvm#16368"`) and the
issue's URL for any other host (GitHub Enterprise), so the next fetch needs no typing and the
result can link to the thread."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

DEFAULT_REPO = "apache/tvm"
GITHUB_HOST = "github.com"
GITHUB_API = "https://api.github.com"

_OWNER = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})"
_REPO = r"[A-Za-z0-9._-]{1,100}"
_NUMBER = r"[1-9][0-9]{0,9}"
_SHORT = re.compile(rf"^(?:(?P<owner>{_OWNER})/(?P<repo>{_REPO}))?#?(?P<number>{_NUMBER})$")
_PATH = re.compile(
    rf"^/(?P<owner>{_OWNER})/(?P<repo>{_REPO})/(?P<kind>issues|pull|pulls)/(?P<number>{_NUMBER})/?$"
)
_HOST = re.compile(r"^[A-Za-z0-9.-]+(?::[0-9]{1,5})?$")
_EXAMPLES = "16368, apache/tvm#16368 or https://github.com/apache/tvm/issues/16368"


class ThreadRefError(ValueError):
    """Text that does not name a GitHub issue, said with what would."""


@dataclass(frozen=True)
class IssueRef:
    """One GitHub issue: its repository, number and the web host it lives on."""

    owner: str
    repo: str
    number: int
    host: str = GITHUB_HOST
    scheme: str = "https"

    @property
    def short(self) -> str:
        return f"{self.owner}/{self.repo}#{self.number}"

    @property
    def url(self) -> str:
        return f"{self.scheme}://{self.host}/{self.owner}/{self.repo}/issues/{self.number}"

    @property
    def on_github_com(self) -> bool:
        return self.host.lower() in (GITHUB_HOST, f"www.{GITHUB_HOST}")

    @property
    def stored(self) -> str:
        """How a session remembers it: the short form on github.com, else the whole URL."""
        return self.short if self.on_github_com else self.url

    @property
    def api_url(self) -> str:
        """The REST API that serves it: api.github.com, or GitHub Enterprise's /api/v3."""
        return GITHUB_API if self.on_github_com else f"{self.scheme}://{self.host}/api/v3"


def parse_issue_ref(text: str, default_repo: str = DEFAULT_REPO) -> IssueRef:
    """`16368` (in `default_repo`), `#16368`, `apache/tvm#16368`, or the issue's URL."""
    given = text.strip()
    short = _SHORT.match(given)
    if short:
        owner, repo = short.group("owner"), short.group("repo")
        if owner is None:
            owner, _, repo = default_repo.partition("/")
        return IssueRef(owner, repo, int(short.group("number")))
    if "://" not in given and given.split("/", 1)[0].count(".") >= 1:
        given = f"https://{given}"  # github.com/apache/tvm/issues/1, as copied without the scheme
    try:
        parts = urlsplit(given)
        host = parts.netloc
    except ValueError:
        raise ThreadRefError(f"{given!r} does not name a GitHub issue: use {_EXAMPLES}") from None
    path = _PATH.match(parts.path)
    if parts.scheme not in ("http", "https") or not _HOST.match(host) or path is None:
        raise ThreadRefError(f"{given!r} does not name a GitHub issue: use {_EXAMPLES}")
    if path.group("kind") != "issues":
        raise ThreadRefError(f"{given} is a pull request, not an issue: give the vote issue")
    return IssueRef(path.group("owner"), path.group("repo"), int(path.group("number")), host, parts.scheme)


def thread_url(thread: str) -> str | None:
    """The web address of a session's thread, or None when it names none."""
    thread = thread.strip()
    if not thread:
        return None
    try:
        return parse_issue_ref(thread).url
    except ThreadRefError:
        return thread if re.fullmatch(r"https?://\S+", thread) else None


def issue_ref_for(text: str, thread: str) -> IssueRef:
    """The issue `text` names for a session whose thread is `thread`: a bare number (`16368`,
    `#16368`) is an issue in the same repository, on the same host; else as `parse_issue_ref`."""
    ref = parse_issue_ref(text)
    if "/" in text.strip():
        return ref
    try:
        home = parse_issue_ref(thread)
    except ThreadRefError:
        return ref
    return IssueRef(home.owner, home.repo, ref.number, home.host, home.scheme)
