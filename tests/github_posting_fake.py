"""A stand-in for the GitHub REST API on 127.0.0.1 (port 0) that takes posts: it creates issues and
comments, closes issues, lists a repository's issues and an issue's comments (in pages joined by
Link headers), answers GET /user, and records every request it receives (method, path, headers,
body). The issues it holds are read by F9 and `import-thread --github` like GitHub's.

Faults are queued per request (`fail(...)`): an answer of any status, headers and body (401, 403,
404, 410, 422, a rate limit, a redirect elsewhere); `drop_after` does the post and then closes the
connection without answering (a lost answer); `error_after` does it and answers 502; `drop_before`
closes without doing anything.

Run it by hand for a manual test: `python -m tests.github_posting_fake` prints its address; post a
comment as someone else with `curl -d '{"number": 1, "login": "ada-l", "body": "+1"}'
http://127.0.0.1:PORT/_admin/comment`."""

from __future__ import annotations

import json
import re
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pendulum

TOKEN = "ghp_POSTINGfake0123456789abcdefABCDEF01234"
LOGIN = "vote-manager"


@dataclass
class Seen:
    """One request as the stand-in received it."""

    method: str
    path: str
    headers: dict[str, str]
    body: bytes

    @property
    def json(self) -> Any:
        return json.loads(self.body.decode("utf-8"))


@dataclass
class Fault:
    method: str
    path: re.Pattern[str]
    action: str
    """'answer', 'drop_after', 'error_after', 'drop_before'."""
    status: int = 0
    headers: dict[str, str] = field(default_factory=dict)
    body: Any = None
    after: int = 0
    """How many matching requests pass untouched before this one meets the fault."""


class FakeGitHubApi:
    """The API's state: issues by repository and number, comments by issue, faults to come."""

    def __init__(self, *, token: str = TOKEN, login: str = LOGIN, page_size: int = 100, first: int = 18000):
        self.token, self.login, self.page_size = token, login, page_size
        self.issues: dict[tuple[str, str, int], dict[str, Any]] = {}
        self.comments: dict[tuple[str, str, int], list[dict[str, Any]]] = {}
        self.requests: list[Seen] = []
        self.faults: list[Fault] = []
        self.next_number = first
        self.next_comment = 2_500_000_000
        self.clock = ""
        """When set, the time (ISO, UTC) the stand-in gives what it creates; else the real time."""
        self.link_origin = ""
        """When set, Link headers name this origin instead of the stand-in's own (a pagination link
        to another host)."""
        self.lock = threading.Lock()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self.server.daemon_threads = True
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> FakeGitHubApi:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self.server.shutdown()
        self.server.server_close()

    @property
    def url(self) -> str:
        port = self.server.server_address[1]
        return f"http://127.0.0.1:{port}"

    api_url = url

    def issue_url(self, number: int, repo: str = "apache/tvm") -> str:
        return f"{self.url}/{repo}/issues/{number}"

    # -- what tests arrange and look at --------------------------------------------------------

    def fail(
        self,
        method: str,
        path: str,
        action: str = "answer",
        status: int = 0,
        body: Any = None,
        headers: dict[str, str] | None = None,
        after: int = 0,
    ) -> None:
        """The next `method` request whose path matches `path` (a regex), once `after` such
        requests have passed, meets this fault, once."""
        self.faults.append(Fault(method, re.compile(path), action, status, headers or {}, body, after))

    def posts(self) -> list[Seen]:
        """The POST and PATCH requests received, in order."""
        return [seen for seen in self.requests if seen.method in ("POST", "PATCH")]

    def add_issue(
        self, repo: str, title: str, body: str, login: str, at: str | None = None
    ) -> dict[str, Any]:
        owner, name = repo.split("/")
        with self.lock:
            return self._create_issue(owner, name, {"title": title, "body": body}, login, at)

    def add_comment(
        self, number: int, login: str, body: str, repo: str = "apache/tvm", at: str | None = None
    ) -> dict[str, Any]:
        owner, name = repo.split("/")
        with self.lock:
            return self._create_comment(owner, name, number, body, login, at)

    def issue(self, number: int, repo: str = "apache/tvm") -> dict[str, Any]:
        owner, name = repo.split("/")
        return self.issues[(owner, name, number)]

    def comments_of(self, number: int, repo: str = "apache/tvm") -> list[dict[str, Any]]:
        owner, name = repo.split("/")
        return self.comments.get((owner, name, number), [])

    # -- the API ---------------------------------------------------------------------------------

    def _now(self) -> str:
        return self.clock or pendulum.now("UTC").format("YYYY-MM-DD[T]HH:mm:ss[Z]")

    def _user(self, login: str) -> dict[str, Any]:
        return {"login": login, "type": "Bot" if login.endswith("[bot]") else "User"}

    def _create_issue(
        self, owner: str, name: str, data: dict[str, Any], login: str, at: str | None = None
    ) -> dict[str, Any]:
        number = self.next_number
        self.next_number += 1
        when = at or self._now()
        issue = {
            "number": number,
            "title": data.get("title", ""),
            "body": data.get("body", ""),
            "user": self._user(login),
            "state": "open",
            "created_at": when,
            "updated_at": when,
            "closed_at": None,
            "html_url": f"https://github.com/{owner}/{name}/issues/{number}",
        }
        self.issues[(owner, name, number)] = issue
        self.comments[(owner, name, number)] = []
        return issue

    def _create_comment(
        self, owner: str, name: str, number: int, body: str, login: str, at: str | None = None
    ) -> dict[str, Any]:
        key = self.next_comment
        self.next_comment += 1
        when = at or self._now()
        comment = {
            "id": key,
            "body": body,
            "user": self._user(login),
            "created_at": when,
            "updated_at": when,
            "html_url": f"https://github.com/{owner}/{name}/issues/{number}#issuecomment-{key}",
        }
        self.comments[(owner, name, number)].append(comment)
        self.issues[(owner, name, number)]["updated_at"] = when
        return comment

    def handle(self, seen: Seen, query: dict[str, str]) -> tuple[int, dict[str, str], Any]:
        """(status, headers, JSON) for one request; runs under the lock."""
        path, method = seen.path, seen.method
        if path == "/_admin/comment" and method == "POST":
            data = seen.json
            repo = data.get("repo", "apache/tvm").split("/")
            return (
                201,
                {},
                self._create_comment(repo[0], repo[1], int(data["number"]), data["body"], data["login"]),
            )
        if seen.headers.get("Authorization") != f"Bearer {self.token}":
            return (
                401,
                {},
                {"message": "Bad credentials", "documentation_url": "https://docs.github.com/rest"},
            )
        if path == "/user" and method == "GET":
            return 200, {}, {"login": self.login, "id": 1, "type": "User"}
        found = re.fullmatch(r"/repos/([^/]+)/([^/]+)/issues(?:/(\d+))?(/comments)?", path)
        if found is None:
            return 404, {}, {"message": "Not Found"}
        owner, name, number_text, comments = found.groups()
        number = int(number_text) if number_text else None
        if number is None:
            if method == "POST":
                return 201, {}, self._create_issue(owner, name, seen.json, self.login)
            return self._page(seen, query, self._listed(owner, name, query))
        key = (owner, name, number)
        if key not in self.issues:
            return 404, {}, {"message": "Not Found"}
        if comments:
            if method == "POST":
                return 201, {}, self._create_comment(owner, name, number, seen.json["body"], self.login)
            since = query.get("since", "")
            listed = [c for c in self.comments[key] if not since or c["updated_at"] >= since]
            return self._page(seen, query, listed)
        issue = self.issues[key]
        if method == "PATCH":
            data = seen.json
            if data.get("state") == "closed" and issue["state"] != "closed":
                issue["state"], issue["closed_at"] = "closed", self._now()
                issue["state_reason"] = data.get("state_reason")
            return 200, {}, issue
        return 200, {}, issue

    def _listed(self, owner: str, name: str, query: dict[str, str]) -> list[dict[str, Any]]:
        creator, since = query.get("creator"), query.get("since", "")
        listed = [
            issue
            for (o, n, _), issue in self.issues.items()
            if (o, n) == (owner, name)
            and (creator is None or issue["user"]["login"] == creator)
            and (not since or issue["updated_at"] >= since)
        ]
        return sorted(listed, key=lambda issue: issue["created_at"], reverse=query.get("direction") != "asc")

    def _page(
        self, seen: Seen, query: dict[str, str], items: list[dict[str, Any]]
    ) -> tuple[int, dict[str, str], Any]:
        size = min(int(query.get("per_page", "30")), self.page_size)
        page = int(query.get("page", "1"))
        chunk = items[(page - 1) * size : page * size]
        headers = {}
        if page * size < len(items):
            others = "&".join(f"{k}={v}" for k, v in query.items() if k != "page")
            origin = self.link_origin or self.url
            headers["Link"] = f'<{origin}{seen.path}?{others}&page={page + 1}>; rel="next"'
        return 200, headers, chunk


def _handler(api: FakeGitHubApi) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: Any) -> None:  # quiet
            pass

        def _serve(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            parts = urlsplit(self.path)
            seen = Seen(self.command, parts.path, dict(self.headers.items()), body)
            query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
            with api.lock:
                api.requests.append(seen)
                fault = next(
                    (f for f in api.faults if f.method == self.command and f.path.search(parts.path)), None
                )
                if fault is not None and fault.after > 0:
                    fault.after -= 1
                    fault = None
                elif fault is not None:
                    api.faults.remove(fault)
                if fault is not None and fault.action == "drop_before":
                    self.close_connection = True
                    self.connection.close()
                    return
                if fault is not None and fault.action == "answer":
                    status, headers, data = fault.status, fault.headers, fault.body
                else:
                    status, headers, data = api.handle(seen, query)
            if fault is not None and fault.action == "drop_after":
                self.close_connection = True
                self.connection.shutdown(2)
                self.connection.close()
                return
            if fault is not None and fault.action == "error_after":
                status, headers, data = 502, {}, {"message": "Server Error"}
            raw = b"" if data is None else json.dumps(data).encode("utf-8")
            self.send_response(status)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(raw)))
            for name, value in headers.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(raw)

        do_GET = do_POST = do_PATCH = _serve

    return Handler


if __name__ == "__main__":  # by hand: python -m tests.github_posting_fake
    import time

    with FakeGitHubApi(first=1) as fake:
        print(f"GitHub stand-in at {fake.url} (token {fake.token}, login {fake.login})", flush=True)
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            pass
