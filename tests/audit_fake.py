"""A stand-in for the GitHub REST API on 127.0.0.1 serving the audit corpus (tests/audit/github_*.json):
each file holds one issue of apache/tvm and its comments, served as GitHub does (one page)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pytest_httpserver import HTTPServer

CORPUS = Path(__file__).parent / "audit"


def corpus_issue(number: int) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((CORPUS / f"github_{number}.json").read_text(encoding="utf-8"))
    return data


class FakeIssues:
    """Issues of apache/tvm, by number; `serve` adds or replaces one."""

    def __init__(self, server: HTTPServer) -> None:
        self.server = server
        self.served: list[str] = []

    @property
    def api_url(self) -> str:
        return self.server.url_for("/").rstrip("/")

    def serve(self, number: int, data: dict[str, Any] | None = None) -> None:
        data = data if data is not None else corpus_issue(number)
        path = f"/repos/apache/tvm/issues/{number}"
        self.server.expect_request(path).respond_with_json(data["issue"])
        self.server.expect_request(f"{path}/comments").respond_with_json(data["comments"])
        self.served.append(path)
