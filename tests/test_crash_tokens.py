"""The crash report is the last place a token could leak (a bug quoting a header, a wrapped line):
whatever GITHUB_TOKEN and GH_TOKEN hold is taken out of the crash file and the crash line, whole
or in part, even a malformed one."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from tvm_vote_tui.app.crash import crash_line, write_report

SECRET = "ghp_CRASHtoken0123456789abcdefABCDEF01234"


def raised(error: BaseException) -> BaseException:
    try:
        raise error
    except BaseException as caught:
        return caught


@pytest.mark.parametrize("variable", ["GITHUB_TOKEN", "GH_TOKEN"])
def test_a_crash_never_writes_the_token_even_in_part(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, variable: str
) -> None:
    monkeypatch.setenv(variable, SECRET + "\n")  # malformed: the app refuses it, the guard still holds
    headers = {"Authorization": f"Bearer {SECRET}"}

    def send() -> None:
        raise ValueError(f"Invalid header value {headers!r} (tail: {SECRET[-12:]})")

    try:
        send()
    except ValueError as err:
        error = raised(RuntimeError(f"while posting: {err}"))
    path = write_report(error, tmp_path, datetime(2026, 11, 25, 17, 0, tzinfo=UTC))
    assert path is not None
    text = path.read_text()
    assert "Invalid header value" in text and "[token]" in text
    line = crash_line(error, path)
    for shown in (text, line):
        assert SECRET[:8] not in shown and SECRET[-12:] not in shown and SECRET[10:18] not in shown
