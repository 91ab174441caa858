"""`audit` reads the vote issue a published result links to: at the API the manager named, never
at one the result's link would imply, so a result linking elsewhere cannot draw the token there."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.net_fakes import ok, serving
from tvm_vote_tui.cli import main

AUDIT = Path(__file__).parent / "audit"
SECRET = "ghp_AUDITtoken0123456789abcdefABCDEF0123"


def test_a_results_link_to_another_host_is_refused_and_sent_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    text = (AUDIT / "clean_result.txt").read_text(encoding="utf-8")
    result = tmp_path / "result.txt"
    result.write_text(text.replace("https://github.com/", "https://evil.example/"), encoding="utf-8")
    with serving(ok(b"{}")) as proxy:
        monkeypatch.setenv("GITHUB_TOKEN", SECRET)
        monkeypatch.setenv("https_proxy", proxy.url)  # any request made anywhere would land here
        monkeypatch.setenv("http_proxy", proxy.url)
        code = main(["audit", str(result), "--thread", "https://evil.example/apache/tvm/issues/18200"])
        err = capsys.readouterr().err
        assert code == 2 and err.count("\n") == 1
        assert "https://evil.example/apache/tvm/issues/18200 is on evil.example, but the GitHub API" in err
        assert SECRET[:8] not in err
    assert proxy.seen == []
