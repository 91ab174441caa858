"""Documents name issues: a published result links its vote thread (`audit`), a pasted page names
its issue (`import-thread --check-github`). Each is read at the API the manager named, never at
one the document implies, so a document naming another host cannot draw the token there."""

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


def test_a_result_files_own_link_to_another_host_is_refused_and_sent_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """No --thread: the thread is the one the file links to, read at the manager's API only."""
    text = (AUDIT / "clean_result.txt").read_text(encoding="utf-8")
    result = tmp_path / "result.txt"
    result.write_text(text.replace("https://github.com/", "https://evil.example/"), encoding="utf-8")
    with serving(ok(b"{}")) as proxy:
        monkeypatch.setenv("GITHUB_TOKEN", SECRET)
        monkeypatch.setenv("https_proxy", proxy.url)
        monkeypatch.setenv("http_proxy", proxy.url)
        code = main(["audit", str(result)])
        err = capsys.readouterr().err
    assert code == 2 and err.count("\n") == 1
    assert "https://evil.example/apache/tvm/issues/18200 is on evil.example, but the GitHub API" in err
    assert proxy.seen == [] and SECRET[:8] not in err


def test_a_pasted_page_naming_another_host_is_not_checked_there(
    isolated_data_dir: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from tests.factories import sample_with_handles
    from tvm_vote_tui.store.sessions import Store

    page = (Path(__file__).parent / "threads" / "github_release_page.md").read_text(encoding="utf-8")
    lines = page.splitlines()
    lines[0] = "[VOTE] Release Apache TVM v0.19.0.rc0"  # the page names its issue by URL only:
    lines.insert(1, "https://evil.example/apache/tvm/issues/18090")
    saved = tmp_path / "page.md"
    saved.write_text("\n".join(lines) + "\n", encoding="utf-8")
    path = Store(isolated_data_dir).create(sample_with_handles())
    with serving(ok(b"{}")) as proxy:
        monkeypatch.setenv("GITHUB_TOKEN", SECRET)
        monkeypatch.setenv("https_proxy", proxy.url)
        monkeypatch.setenv("http_proxy", proxy.url)
        code = main(["import-thread", str(path), str(saved), "--check-github", "--dry-run"])
        err = capsys.readouterr().err
    assert code == 2 and err.count("\n") == 1
    assert "https://evil.example/apache/tvm/issues/18090 is on evil.example, but the GitHub API" in err
    assert proxy.seen == [] and SECRET[:8] not in err
