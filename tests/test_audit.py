"""`tvm-vote-tui audit`: published results in the shapes TVM has used, against themselves, their
threads (a local GitHub API stand-in, a dev@ mbox) and a roster. Each problem is found and named;
clean results give no finding."""

from __future__ import annotations

import email.utils
import json
import mailbox
from collections.abc import Callable
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer

from tests.audit_fake import CORPUS, FakeIssues
from tests.ponymail_fake import FakePonyMail, Mail
from tests.test_publish import tricky_session
from tvm_vote_tui.cli import main
from tvm_vote_tui.domain.model import Session
from tvm_vote_tui.publish.markdown import result_markdown
from tvm_vote_tui.publish.result import result_text

ROSTER = str(CORPUS / "roster.csv")
MBOX = str(CORPUS / "dev_18220.mbox")


@pytest.fixture
def fake(httpserver: HTTPServer) -> FakeIssues:
    issues = FakeIssues(httpserver)
    for number in (18200, 18210, 18220, 18230, 18240, 18250):
        issues.serve(number)
    return issues


def audit(
    capsys: pytest.CaptureFixture[str], *args: str
) -> tuple[int, list[dict[str, object]], dict[str, object]]:
    code = main(["audit", *args, "--json"])
    out = json.loads(capsys.readouterr().out)
    assert out["consistent"] is (code == 0)
    return code, out["findings"], out


def kinds(findings: list[dict[str, object]]) -> list[object]:
    return [f["kind"] for f in findings]


def result(name: str) -> str:
    return str(CORPUS / name)


def test_a_header_copied_from_the_last_release_is_found(
    capsys: pytest.CaptureFixture[str], fake: FakeIssues
) -> None:
    """7 +1 (5 binding) over a list of 5 names, 4 of them binding; the thread the file links to
    (read at the API given) has the caller's own +1 and a +0 the result leaves out."""
    code, findings, out = audit(
        capsys, result("copied_header.txt"), "--api-url", fake.api_url, "--roster", ROSTER
    )
    assert code == 1
    assert kinds(findings) == ["count", "binding-count", "missing", "missing"]
    assert (findings[0]["stated"], findings[0]["listed"]) == (7, 5)
    assert (findings[1]["stated"], findings[1]["listed"]) == (5, 4)
    assert [f["author"] for f in findings[2:]] == ["@mrossi", "@kmensah"]
    assert out["thread"]["source"] == "apache/tvm#18200"  # type: ignore[index]  # the file's own link


def test_a_file_with_no_thread_is_checked_against_itself_and_says_so(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    text = (CORPUS / "copied_header.txt").read_text(encoding="utf-8")
    unlinked = tmp_path / "result.txt"
    unlinked.write_text(text.replace("Vote thread: https://github.com/apache/tvm/issues/18200", ""))
    code, findings, out = audit(capsys, str(unlinked))
    assert code == 1 and kinds(findings) == ["count", "binding-count"]
    assert out["thread"] is None
    assert "only the result's own consistency was checked" in out["notes"][-1]  # type: ignore[index]


def test_a_files_discussion_links_are_not_taken_for_its_thread(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, fake: FakeIssues
) -> None:
    """Our own results list the RFC's issue under Discussion: the thread is the one named as such."""
    text = (CORPUS / "clean_result.txt").read_text(encoding="utf-8")
    path = tmp_path / "result.txt"
    rfc = "Discussion:\n\n- https://github.com/apache/tvm/issues/18230\n\n"
    path.write_text(text.replace("Vote thread:", rfc + "Vote thread:"), encoding="utf-8")
    code, findings, out = audit(capsys, str(path), "--api-url", fake.api_url)
    assert (code, findings) == (0, [])
    assert out["thread"]["source"] == "apache/tvm#18200"  # type: ignore[index]
    path.write_text(text.replace("Vote thread: https://github.com/apache/tvm/issues/18200", rfc))
    code, findings, out = audit(capsys, str(path), "--api-url", fake.api_url)
    assert out["thread"] is None  # the discussion alone: no thread to follow


def test_the_callers_own_vote_missing_from_the_result_is_found(
    capsys: pytest.CaptureFixture[str], fake: FakeIssues
) -> None:
    code, findings, _ = audit(
        capsys, result("caller_missing.txt"), "--thread", "apache/tvm#18200", "--api-url", fake.api_url
    )
    assert code == 1
    assert kinds(findings) == ["missing"]
    assert findings[0]["author"] == "@mrossi" and findings[0]["vote"] == "+1"


def test_six_binding_over_five_names_marked_binding(capsys: pytest.CaptureFixture[str]) -> None:
    code, findings, _ = audit(capsys, result("six_binding.txt"))
    assert code == 1 and kinds(findings) == ["binding-count"]
    assert (findings[0]["stated"], findings[0]["listed"]) == (6, 5)


def test_five_voters_said_to_be_six_over_a_thread_of_two(
    capsys: pytest.CaptureFixture[str], fake: FakeIssues
) -> None:
    """The rest voted by mail, and the result does not say so."""
    args = [result("by_mail_unsaid.txt"), "--thread", "apache/tvm#18220", "--api-url", fake.api_url]
    code, findings, out = audit(capsys, *args)
    assert code == 1
    assert kinds(findings) == ["count", "no-ballot", "no-ballot", "no-ballot"]
    assert all("give --list" in str(f["detail"]) for f in findings[1:])
    assert "does not say any vote came by mail" in " ".join(out["notes"])  # type: ignore[arg-type]
    code, findings, _ = audit(capsys, *args, "--list", MBOX)
    assert kinds(findings) == ["count", "mail-unsaid"]
    assert "Jia Li" in str(findings[1]["detail"]) and "Ren Takahashi" in str(findings[1]["detail"])


def dev_thread(server: HTTPServer, *extra: Mail) -> FakePonyMail:
    """The corpus's dev@ mbox served by the Pony Mail stand-in, with `extra` mails."""
    mails: list[Mail] = []
    for message in mailbox.mbox(MBOX):
        sent = email.utils.parsedate_to_datetime(str(message["Date"]))
        body = message.get_payload()
        assert isinstance(body, str)
        mid = f"m{len(mails)}"
        mails.append(Mail(mid, str(message["From"]), sent.isoformat(), body.strip(), str(message["Subject"])))
    return FakePonyMail(server, [*mails, *extra])


def test_the_dev_thread_is_read_from_its_archive(
    capsys: pytest.CaptureFixture[str], fake: FakeIssues, httpserver: HTTPServer
) -> None:
    """--list URL: the dev@ thread read through Pony Mail, as import-thread --list reads it; a
    GitHub notification mail copying a comment is that comment, counted once, in the thread."""
    chen = Mail(
        "chen-notified",
        "Chen Wei <notifications@github.com>",
        "2026-10-02T09:00:25Z",
        "+1 (binding)\n\n—\nReply to this email directly, view it on GitHub.",
        "Re: [apache/tvm] [VOTE] Release Apache TVM v0.22.0.rc0 (Issue #18220)",
    )
    archive = dev_thread(httpserver, chen)
    args = [result("by_mail_unsaid.txt"), "--api-url", fake.api_url, "--list", archive.thread_url]
    code, findings, out = audit(capsys, *args)
    assert kinds(findings) == ["count", "mail-unsaid"]
    assert "Jia Li" in str(findings[1]["detail"]) and "Ren Takahashi" in str(findings[1]["detail"])
    mailed = [b["author"] for b in out["list"]["ballots"]]  # type: ignore[index]
    assert not any("Chen" in str(a) for a in mailed), mailed  # the notification is not a second vote
    assert [path for path, _ in archive.requests][0].startswith("/api/thread.json?id=")


def test_names_that_voted_only_on_dev_one_misspelt(
    capsys: pytest.CaptureFixture[str], fake: FakeIssues
) -> None:
    code, findings, _ = audit(
        capsys,
        result("dev_only_misspelt.txt"),
        "--thread",
        "apache/tvm#18220",
        "--api-url",
        fake.api_url,
        "--list",
        MBOX,
        "--roster",
        ROSTER,
    )
    assert code == 1
    assert kinds(findings) == ["misspelt", "mail-unsaid"]
    assert "'Ren Takahasi'" in str(findings[0]["detail"]) and "'Ren Takahashi'" in str(findings[0]["detail"])


def test_a_different_value_a_late_ballot_and_another_candidate(
    capsys: pytest.CaptureFixture[str], fake: FakeIssues
) -> None:
    api = ["--api-url", fake.api_url]
    _, findings, _ = audit(capsys, result("wrong_value.txt"), "--thread", "apache/tvm#18200", *api)
    assert kinds(findings) == ["value"] and "Kofi Mensah" in str(findings[0]["detail"])
    _, findings, _ = audit(capsys, result("late.txt"), "--thread", "apache/tvm#18230", *api)
    assert kinds(findings) == ["late"] and "cast after the vote closed" in str(findings[0]["detail"])
    _, findings, _ = audit(capsys, result("other_candidate.txt"), "--thread", "apache/tvm#18240", *api)
    assert kinds(findings) == ["candidate"]
    assert "Ada Lindqvist" in str(findings[0]["detail"]) and "for rc0" in str(findings[0]["detail"])


def test_the_outcome_against_the_rule_the_result_states(capsys: pytest.CaptureFixture[str]) -> None:
    code, findings, _ = audit(capsys, result("outcome_wrong.txt"))
    assert code == 1 and kinds(findings) == ["outcome"] and findings[0]["rule"] == "lazy-majority"


def test_binding_marks_against_the_roster(capsys: pytest.CaptureFixture[str]) -> None:
    code, findings, _ = audit(capsys, result("priya_binding.txt"), "--roster", ROSTER)
    assert code == 1 and kinds(findings) == ["binding-mark"] and "Priya Nair" in str(findings[0]["detail"])
    code, _, _ = audit(capsys, result("priya_binding.txt"))
    assert code == 0  # without a roster nothing says she is not binding


def test_first_names_only(capsys: pytest.CaptureFixture[str], fake: FakeIssues) -> None:
    code, findings, _ = audit(
        capsys,
        result("first_names.txt"),
        "--thread",
        "apache/tvm#18200",
        "--api-url",
        fake.api_url,
        "--roster",
        ROSTER,
    )
    assert (code, findings) == (0, [])
    code, findings, _ = audit(capsys, result("first_names_ambiguous.txt"), "--roster", ROSTER)
    assert kinds(findings) == ["unmatched"] and "Jia Li, Jia Wang" in str(findings[0]["detail"])


def test_a_line_that_cannot_be_read_is_said_never_guessed(capsys: pytest.CaptureFixture[str]) -> None:
    code, findings, out = audit(capsys, result("twice_and_unreadable.txt"))
    assert code == 1
    assert kinds(findings) == ["unreadable", "listed-twice"]
    assert out["result"]["unreadable"][0]["line"] == 9  # type: ignore[index]
    assert not any(f["kind"] == "count" for f in findings)  # not counted one way or the other


def test_clean_results_give_no_finding(capsys: pytest.CaptureFixture[str], fake: FakeIssues) -> None:
    code, findings, out = audit(capsys, "apache/tvm#18210", "--api-url", fake.api_url, "--roster", ROSTER)
    assert (code, findings) == (0, [])
    assert out["thread"]["source"] == "apache/tvm#18200"  # type: ignore[index]  # found from the result's link
    assert len(out["thread"]["ballots"]) == 7  # type: ignore[index]
    code, findings, _ = audit(
        capsys, result("clean_result.txt"), "--thread", "apache/tvm#18200", "--api-url", fake.api_url
    )
    assert (code, findings) == (0, [])


@pytest.mark.parametrize("render", [result_text, result_markdown])
def test_our_own_results_are_clean(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, render: Callable[[Session], str]
) -> None:
    for rule in ("lazy-two-thirds", "consensus"):
        path = tmp_path / f"result-{rule}.txt"
        path.write_text(render(tricky_session(rule)), encoding="utf-8")
        code, findings, out = audit(capsys, str(path))
        assert (code, findings) == (0, []), findings
        assert out["result"]["fingerprint"]  # type: ignore[index]


def test_a_result_posted_as_a_comment_in_the_vote_issue(
    capsys: pytest.CaptureFixture[str], fake: FakeIssues
) -> None:
    """The comment named by its URL; the thread is the same issue; a vote it left out is found."""
    url = "https://github.com/apache/tvm/issues/18250#issuecomment-9405"
    code, findings, out = audit(capsys, url, "--api-url", fake.api_url)
    assert code == 1
    assert kinds(findings) == ["missing"] and findings[0]["author"] == "@pnair"
    assert out["thread"]["source"] == "apache/tvm#18250"  # type: ignore[index]


def test_text_output_and_exit_codes(capsys: pytest.CaptureFixture[str], fake: FakeIssues) -> None:
    assert main(["audit", result("copied_header.txt"), "--api-url", fake.api_url, "--roster", ROSTER]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("line 3 says 7 +1, but the result lists 5 names under +1")
    assert out[-1] == "4 findings: the result checked against itself, apache/tvm#18200 and the roster"
    assert main(["audit", "apache/tvm#18210", "--api-url", fake.api_url]) == 0
    assert (
        capsys.readouterr()
        .out.strip()
        .endswith("Consistent: the result checked against itself and apache/tvm#18200")
    )


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["no/such/file.txt"], "no such file, and not a GitHub issue"),
        (["apache/tvm#99999", "--api-url", "URL"], "server error"),  # the stand-in has no such issue
        (["apache/tvm#18210", "--api-url", "http://127.0.0.1:1"], "cannot reach"),
        ([result("late.txt"), "--list", "URL/thread/nosuchthread"], "nothing read"),
        ([result("late.txt"), "--list", "https://lists.apache.org/nothread"], "--list "),
        ([result("late.txt"), "--roster", result("late.txt")], "late.txt"),
    ],
)
def test_bad_input_and_network_errors_are_one_line(
    capsys: pytest.CaptureFixture[str], fake: FakeIssues, args: list[str], said: str
) -> None:
    code = main(["audit", *(a.replace("URL", fake.api_url) for a in args)])
    err = capsys.readouterr().err
    assert code == 2
    assert err.count("\n") == 1 and said in err


def test_an_address_on_a_look_alike_domain_is_not_the_members(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """ada@apáche.org is not ada@apache.org (another, registrable domain): matched exactly, as
    thread import matches addresses, the mail is not Ada's ballot."""
    result_file, thread = tmp_path / "result.txt", tmp_path / "thread.mbox"
    result_file.write_text(
        "The vote to release Apache TVM v0.23.0.rc0 has passed with 3 +1 votes (3 binding).\n\n"
        "+1 votes:\n- Ada Lindqvist (binding)\n- Chen Wei (binding)\n- Hana Sato (binding)\n",
        encoding="utf-8",
    )
    mails = [
        (
            "Mateo Rossi <mrossi@apache.org>",
            "Thu, 01 Oct 2026 17:00:00 +0000",
            "A call for vote on v0.23.0.rc0.",
        ),
        ("A L <ada@apáche.org>", "Fri, 02 Oct 2026 10:00:00 +0000", "+1 (binding)"),
        ("Chen Wei <chenwei@apache.org>", "Fri, 02 Oct 2026 11:00:00 +0000", "+1"),
        ("H. S. <HSato@APACHE.org>", "Fri, 02 Oct 2026 12:00:00 +0000", "+1"),  # the case is no matter
    ]
    thread.write_text(
        "".join(
            f"From x Thu Oct 01 17:00:00 2026\nFrom: {sender}\nTo: dev@tvm.apache.org\n"
            f"Subject: {'Re: ' if n else ''}[VOTE] Release Apache TVM v0.23.0.rc0\nDate: {date}\n\n{body}\n\n"
            for n, (sender, date, body) in enumerate(mails)
        ),
        encoding="utf-8",
    )
    code, findings, _ = audit(capsys, str(result_file), "--thread", str(thread), "--roster", ROSTER)
    assert code == 1 and kinds(findings) == ["no-ballot", "missing"], findings
    assert "Ada Lindqvist" in str(findings[0]["detail"]) and "A L" in str(findings[1]["detail"])
