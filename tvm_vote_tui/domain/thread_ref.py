"""Where a vote thread lives: a GitHub issue named as `apache/tvm#16368`, a number, or its URL; a
dev@ thread in a Pony Mail archive (`https://lists.apache.org/thread/ID`); and the GitHub API
that serves an issue, which only the manager names (`--api-url` or their own configuration),
never a session file or a server's answer.

A session stores the short form for github.com (`[proposal] thread = "apache/tvm#16368"`) and the
issue's URL for any other host (GitHub Enterprise), so the next fetch needs no typing and the
result can link to the thread. Owners and repositories follow GitHub's own naming rules, checked
before any request is made: `apache/..#1` names nothing."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

DEFAULT_REPO = "apache/tvm"
GITHUB_HOST = "github.com"
GITHUB_API = "https://api.github.com"
LOOPBACK_HOSTS = frozenset({"127.0.0.1", "::1", "localhost"})
"""This machine: the only place plain http may carry a token (a local test server)."""

# GitHub's rules: a login is alphanumerics and single inner hyphens, 1-39 long; a repository is
# ASCII letters, digits, '.', '_' and '-', but not '.' or '..'.
_LOGIN = re.compile(r"(?=[A-Za-z0-9-]{1,39}$)[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*")
_REPO_NAME = re.compile(r"[A-Za-z0-9._-]{1,100}")
_OWNER = r"[A-Za-z0-9-]{1,39}"
_REPO = r"[A-Za-z0-9._-]{1,100}"
_NUMBER = r"[1-9][0-9]{0,9}"
_SHORT = re.compile(rf"^(?:(?P<owner>{_OWNER})/(?P<repo>{_REPO}))?#?(?P<number>{_NUMBER})$")
_PATH = re.compile(
    rf"^/(?P<owner>{_OWNER})/(?P<repo>{_REPO})/(?P<kind>issues|pull|pulls)/(?P<number>{_NUMBER})/?$"
)
_HOST = re.compile(r"^[A-Za-z0-9.-]+(?::[0-9]{1,5})?$")
_API_PATH = re.compile(r"^(?:/[A-Za-z0-9._~-]+)*/?$")
_LIST_PATH = re.compile(r"^/thread(?:\.html)?/(?P<id>[A-Za-z0-9]{4,128})(?:@[^/]*)?/?$")
_EXAMPLES = "16368, apache/tvm#16368 or https://github.com/apache/tvm/issues/16368"
URL_LIMIT = 2000


class ThreadRefError(ValueError):
    """Text that does not name a thread or an API, said with what would."""


def is_login(text: str) -> bool:
    """A GitHub user or organisation name by GitHub's rules (`tvm-archiver`, not `-x` or `a--b`)."""
    return _LOGIN.fullmatch(text) is not None


def is_repo_name(text: str) -> bool:
    return _REPO_NAME.fullmatch(text) is not None and text not in (".", "..")


@dataclass(frozen=True)
class IssueRef:
    """One GitHub issue: its repository, number and the web host it lives on."""

    owner: str
    repo: str
    number: int
    host: str = GITHUB_HOST
    scheme: str = "https"

    def __post_init__(self) -> None:
        if not is_login(self.owner):
            raise ThreadRefError(
                f"{self.owner!r} is not a GitHub owner (letters, digits and single hyphens, 1-39)"
            )
        if not is_repo_name(self.repo):
            raise ThreadRefError(f"{self.repo!r} is not a GitHub repository name (letters, digits, . _ -)")

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

    def on(self, host: str, scheme: str) -> IssueRef:
        return IssueRef(self.owner, self.repo, self.number, host, scheme)


@dataclass(frozen=True)
class Repo:
    """A GitHub repository, `owner/name` by GitHub's rules: where a [VOTE] or [RESULT] is posted."""

    owner: str
    name: str

    def __post_init__(self) -> None:
        IssueRef(self.owner, self.name, 1)  # the same checks, the same one-line errors

    def __str__(self) -> str:
        return f"{self.owner}/{self.name}"

    def issue(self, number: int, host: str = GITHUB_HOST, scheme: str = "https") -> IssueRef:
        return IssueRef(self.owner, self.name, number, host, scheme)


def parse_repo(text: str) -> Repo:
    """`apache/tvm` (an issue's URL or `apache/tvm#1` is not a repository): ThreadRefError else."""
    given = text.strip()
    owner, slash, name = given.partition("/")
    if not slash or not owner or not name or "/" in name or len(given) > 141:
        raise ThreadRefError(
            f"{given[:80]!r} is not a GitHub repository: give owner/name, e.g. {DEFAULT_REPO}"
        )
    return Repo(owner, name)


def parse_issue_ref(text: str, default_repo: str = DEFAULT_REPO) -> IssueRef:
    """`16368` (in `default_repo`), `#16368`, `apache/tvm#16368`, or the issue's URL."""
    given = text.strip()
    if len(given) > URL_LIMIT:
        raise ThreadRefError(f"that is {len(given):,} characters long, not a GitHub issue: use {_EXAMPLES}")
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


def is_short_ref(text: str) -> bool:
    """A number or `owner/repo#N`: no host of its own (it lives where the API in use serves)."""
    return _SHORT.match(text.strip()) is not None


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


# -- addresses -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Origin:
    """Scheme, host and port: what a token or a thread is pinned to."""

    scheme: str
    host: str
    port: int

    @property
    def loopback(self) -> bool:
        return self.host in LOOPBACK_HOSTS

    @property
    def netloc(self) -> str:
        """host[:port] as written in a URL (the port left out when it is the scheme's own)."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        default = 443 if self.scheme == "https" else 80
        return host if self.port == default else f"{host}:{self.port}"

    def __str__(self) -> str:
        return f"{self.scheme}://{self.netloc}"


def check_url(text: str, what: str) -> tuple[Origin, str]:
    """An absolute http(s) URL, checked: (its origin, its path with any query). Raises
    ThreadRefError with one line naming `what` for anything else (`http://a]b`, a port out of
    range, a user name or password in it, spaces, control characters)."""
    shown = repr(text[:80] + ("…" if len(text) > 80 else ""))
    if len(text) > URL_LIMIT or not text.isascii() or not text.isprintable() or " " in text:
        raise ThreadRefError(f"{what} {shown} is not a web address (http:// or https://)")
    try:
        parts = urlsplit(text)
        port = parts.port
        host = parts.hostname
    except ValueError:
        raise ThreadRefError(f"{what} {shown} is not a web address (http:// or https://)") from None
    if parts.scheme not in ("http", "https") or not host:
        raise ThreadRefError(f"{what} {shown} is not a web address (http:// or https://)")
    if parts.username is not None or parts.password is not None:
        raise ThreadRefError(f"{what} holds a user name or password (not shown): give the address alone")
    if not re.fullmatch(r"[a-z0-9.-]+|[0-9a-f:.]+", host) or host.startswith(".") or ".." in host:
        raise ThreadRefError(f"{what} {shown} has an odd host name")
    if port == 0:
        raise ThreadRefError(f"{what} {shown} has port 0")
    origin = Origin(parts.scheme, host, port or (443 if parts.scheme == "https" else 80))
    path = parts.path or "/"
    return origin, path + (f"?{parts.query}" if parts.query else "")


@dataclass(frozen=True)
class GitHubApi:
    """A GitHub REST API the manager named (`--api-url`, their configuration, or api.github.com)
    and the web host whose issues it serves: github.com for api.github.com (X for any api.X, as
    GitHub Enterprise Cloud names them), HOST for GitHub Enterprise's `https://HOST/api/v3`, else
    its own host. An API on this machine (a stand-in, or a tunnel the manager runs) is taken to
    serve any host's issues: the token goes to it, on this machine, whatever the issue names."""

    origin: Origin
    path: str
    """The API's path prefix ('' for api.github.com, '/api/v3' for GitHub Enterprise)."""

    @classmethod
    def parse(cls, text: str, what: str = "the GitHub API address") -> GitHubApi:
        origin, path = check_url(text.strip().rstrip("/"), what)
        if "?" in path or not _API_PATH.match(path):
            raise ThreadRefError(
                f"{what} {text.strip()!r} has a query or an odd path: give e.g. {GITHUB_API}"
            )
        return cls(origin, path.rstrip("/"))

    @property
    def url(self) -> str:
        return f"{self.origin}{self.path}"

    @property
    def web_host(self) -> str:
        if self.origin.host.startswith("api.") and self.origin.scheme == "https" and self.path == "":
            return self.origin.host.removeprefix("api.")
        return self.origin.netloc

    @property
    def web_scheme(self) -> str:
        return self.origin.scheme

    @property
    def local(self) -> bool:
        return self.origin.loopback

    def serves(self, ref: IssueRef) -> bool:
        if self.local:
            return True
        host = ref.host.lower().removeprefix("www.") if ref.on_github_com else ref.host.lower()
        return host == self.web_host.lower()

    def issue(self, text: str, thread: str = "") -> IssueRef:
        """The issue `text` names (the session's `thread` when `text` is empty), read at this API.

        A number or `owner/repo#N` has no host of its own: it is the issue on this API's web host
        (a bare number in the repository, and on the host, of `thread`). A URL must be on this
        API's web host: a thread elsewhere is refused with one line, never read here and never
        sent the token there."""
        typed = text.strip()
        given = typed or thread.strip()
        if not given:
            raise ThreadRefError(f"no issue given: use {_EXAMPLES}")
        if typed and "/" not in typed and is_short_ref(typed):  # a bare number: the thread's repository
            ref = issue_ref_for(typed, thread)
            hosted = _has_host(thread)
        else:
            ref = parse_issue_ref(given)
            hosted = not is_short_ref(given)
        if hosted and not self.serves(ref):
            where = ref.url if typed else f"The session's thread ({ref.url})"
            raise ThreadRefError(
                f"{where} is on {ref.host}, but the GitHub API in use ({self.url}) serves "
                f"{self.web_host}: give --api-url (or api_url in your configuration) for that "
                f"host's API, or name an issue on {self.web_host}"
            )
        if hosted or self.local:
            return ref  # where it was named (a local API serves any host's issues)
        return ref.on(self.web_host, self.web_scheme)

    def linked(self, ref: IssueRef) -> IssueRef:
        """An issue a document links to (a result's 'Vote thread:'), read at this API: refused with
        one line when it is on another host than this API serves."""
        if not self.serves(ref):
            raise ThreadRefError(
                f"{ref.url} is on {ref.host}, but the GitHub API in use ({self.url}) serves "
                f"{self.web_host}: give --api-url for that host's API to read it"
            )
        return ref


def _has_host(thread: str) -> bool:
    """A session thread that names a host of its own (a URL, not the short form)."""
    try:
        parse_issue_ref(thread)
    except ThreadRefError:
        return False
    return not is_short_ref(thread)


# -- dev@ threads ----------------------------------------------------------------------------


@dataclass(frozen=True)
class ListThreadRef:
    """A thread in a Pony Mail archive: `https://lists.apache.org/thread/ID`; its API is read at
    the same origin (`https://lists.apache.org/api/thread.json?id=ID`)."""

    origin: Origin
    thread_id: str

    @property
    def url(self) -> str:
        return f"{self.origin}/thread/{self.thread_id}"

    @property
    def short(self) -> str:
        return f"dev@ thread {self.thread_id[:12]}"


def is_list_thread(text: str) -> bool:
    try:
        parse_list_thread(text)
    except ThreadRefError:
        return False
    return True


def parse_list_thread(text: str) -> ListThreadRef:
    """`https://lists.apache.org/thread/ID` (or an old `thread.html/ID@<list>` link)."""
    given = text.strip()
    origin, path = check_url(given, "the mail thread")
    found = _LIST_PATH.match(path.partition("?")[0])
    if found is None:
        raise ThreadRefError(
            f"{given[:80]!r} is not a Pony Mail thread: give its address, e.g. https://lists.apache.org/thread/ID"
        )
    return ListThreadRef(origin, found.group("id"))
