"""A stand-in for the GitHub REST API on 127.0.0.1 (pytest-httpserver), serving recorded answers
from tests/threads/github_api/: an issue, its comments in pages joined by Link headers, ETags.
Tests change `comments` between reads to play a thread that grows during a meeting."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

RECORDED = Path(__file__).parent / "threads" / "github_api"
ISSUE_PATH = "/repos/apache/tvm/issues/16368"


def configure(api_url: str, *extra: str) -> Path:
    """Write the manager's own configuration (under the test's XDG_CONFIG_HOME): the GitHub API
    that F9 reads and sends the token to. Returns the file's path."""
    from tvm_vote_tui.store.config import config_path

    path = config_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(["[github]", f"api_url = {json.dumps(api_url)}", *extra]) + "\n")
    return path


def recorded(name: str) -> Any:
    return json.loads((RECORDED / name).read_text(encoding="utf-8"))


class FakeGitHub:
    """The issue apache/tvm#16368 and its comments, `page_size` to a page, under `prefix`.

    Without a prefix it stands in for api.github.com (a test names it with `--api-url`) and serves
    the answers as recorded: their pages are on github.com. With one (`/api/v3`) it is a GitHub
    Enterprise server, whose API and pages share its host: every github.com and api.github.com
    address in what it serves is rewritten to its own, as such a server would send them."""

    def __init__(self, server: HTTPServer, *, prefix: str = "", page_size: int = 5) -> None:
        self.server, self.prefix, self.page_size = server, prefix, page_size
        self.issue: dict[str, Any] = recorded("issue_16368.json")
        self.comments: list[dict[str, Any]] = [
            *recorded("comments_16368_page1.json"),
            *recorded("comments_16368_page2.json"),
        ]
        self.requests: list[tuple[str, dict[str, str], int]] = []
        """(path with query, request headers, status sent) of every request, in order."""
        server.expect_request(f"{prefix}{ISSUE_PATH}").respond_with_handler(self._issue)
        server.expect_request(f"{prefix}{ISSUE_PATH}/comments").respond_with_handler(self._comments)

    @property
    def api_url(self) -> str:
        return self.server.url_for(self.prefix or "/").rstrip("/")

    @property
    def web_url(self) -> str:
        """Where the server's web pages are: github.com, or its own host when it is Enterprise."""
        return self.server.url_for("/").rstrip("/") if self.prefix else "https://github.com"

    @property
    def issue_url(self) -> str:
        """The issue on the web host this API serves (the stand-in's own host and port)."""
        return self.server.url_for("/apache/tvm/issues/16368")

    def _send(self, request: Request, data: object, extra: dict[str, str] | None = None) -> Response:
        body = json.dumps(data)
        if self.prefix:
            body = body.replace("https://api.github.com/", f"{self.api_url}/")
            body = body.replace("https://github.com/", f"{self.web_url}/")
        etag = '"' + hashlib.sha1(body.encode()).hexdigest() + '"'
        headers = {"ETag": etag, "X-RateLimit-Limit": "60", "X-RateLimit-Remaining": "57", **(extra or {})}
        status = 304 if request.headers.get("If-None-Match") == etag else 200
        self.requests.append((request.full_path.rstrip("?"), dict(request.headers), status))
        if status == 304:
            return Response(status=304, headers=headers)
        return Response(body, status=200, headers=headers, content_type="application/json; charset=utf-8")

    def _issue(self, request: Request) -> Response:
        return self._send(request, self.issue)

    def _comments(self, request: Request) -> Response:
        page = int(request.args.get("page", "1"))
        start = (page - 1) * self.page_size
        chunk = self.comments[start : start + self.page_size]
        extra = {}
        if start + self.page_size < len(self.comments):
            url = self.server.url_for(f"{self.prefix}{ISSUE_PATH}/comments")
            extra["Link"] = f'<{url}?per_page=100&page={page + 1}>; rel="next", <{url}?page=9>; rel="last"'
        return self._send(request, chunk, extra)
