"""Vote-thread import: a corpus of realistic threads and the ballots each must yield."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import Zone
from tests.factories import T0, sample_with_handles
from tvm_vote_tui.cli import main
from tvm_vote_tui.demo import OPENS_AT, sample_session
from tvm_vote_tui.domain.votes import parse_vote
from tvm_vote_tui.store.sessions import Store
from tvm_vote_tui.votethread.authors import fold
from tvm_vote_tui.votethread.ballot_lines import find_vote
from tvm_vote_tui.votethread.posts import ThreadError
from tvm_vote_tui.votethread.proposals import propose
from tvm_vote_tui.votethread.thread_text import detect, split

CORPUS = Path(__file__).parent / "threads"
AT = OPENS_AT.add(days=7)
"""'Now' for reading the corpus: the sample vote's last moment, so no ballot is in the future."""


@pytest.fixture(autouse=True)
def fixed_now(monkeypatch: pytest.MonkeyPatch) -> None:
    """The command line reads the clock through domain.model.now: pin it to AT."""
    monkeypatch.setattr("tvm_vote_tui.domain.model.now", lambda: AT)


# voter -> (vote, binding, clear, words that must appear in the reasons, earlier votes)
GITHUB = {
    "ada": ("+1", True, True, [], []),
    "chenwei": ("+1", True, True, [], []),
    "dorlov": ("+0.5", True, True, [], ["-1"]),
    "jiali": ("+1", True, True, [], []),
    "farah": ("+1", True, True, [], []),
    "priya": ("+1", False, False, ["says (binding) but the roster does not"], []),
    "kofi": ("+1", True, False, ["conditional vote"], []),
    "newcontributor42": ("+1", False, False, ["not on the roster"], []),
    "elif": ("+1", True, False, ["several different votes", "-1"], []),
    "hsato": ("+1", True, False, ["not at the start of a line", "conditional"], []),
    "lena": ("+1", True, False, ["says (non-binding) but the roster lists them as binding"], []),
    "noor": ("+1", True, True, [], []),
}
MBOX = {
    "baonguyen": ("+1", True, True, [], []),
    "gruiz": ("+1", True, True, [], ["-1"]),
    "mrossi": ("+1", True, True, [], []),
    "Zoë Outsider": ("+1", False, False, ["not on the roster", "says (binding)"], []),
    # Only the name matches: a guest under their own name and address, unless the manager picks olu.
    "Olu Adeyemi <olu.adeyemi@gmail.com>": (
        "+0",
        False,
        False,
        ["only the name matches olu; address not on the roster", "a guest unless you pick olu"],
        [],
    ),
    "LENA MÜLLER <lena.mueller@example.com>": (
        "+1",
        False,
        False,
        ["only the name matches lena; address not on the roster"],
        [],
    ),
}
LONG = {
    "ada": ("+1", True, True, [], []),
    "baonguyen": ("+1", True, False, ["not at the start of a line"], ["+1"]),
    "chenwei": ("+1", True, True, [], []),
    "priya": ("+1", False, True, [], []),
    "dorlov": ("+1", True, True, [], ["-1"]),
    "elif": ("-0", True, False, ["not at the start of a line"], ["-0", "-0"]),
    "farah": ("+1", True, True, [], []),
    "gruiz": ("+1", True, True, [], ["+1"]),
    "hsato": ("+1", True, True, [], ["+0.5"]),
    "ipetrov": ("+1", True, True, [], []),
    "jiali": ("-0", True, False, ["several different votes"], ["+1"]),
    "kofi": ("-1", True, False, ["several different votes"], ["+1"]),
    "lena": ("+1", True, True, [], []),
    "mrossi": ("+1", True, True, [], []),
    "qmoreau": ("0", False, True, [], ["-1"]),
    "Ren Takahashi": ("+1", False, False, ["not on the roster"], []),
    "noor": ("+1", True, True, [], []),
    "olu": ("+1", True, False, ["not at the start of a line"], []),
    "Olu Adeyemi <olu.adeyemi@gmail.com>": (
        "+1",
        False,
        False,
        ["only the name matches olu; address not on the roster"],
        [],
    ),
    "Someone Else": ("+1", False, False, ["not on the roster", "says (binding)"], []),
    "Zoë O'Brien": ("+1", False, False, ["not on the roster"], []),
}


@pytest.mark.parametrize(
    ("name", "fmt", "expected", "messages"),
    [
        ("github_ffi.md", "github", GITHUB, 15),
        ("dev_list.mbox", "mail", MBOX, 8),
        ("long_vote.mbox", "mail", LONG, 40),
    ],
)
def test_corpus(name: str, fmt: str, expected: dict[str, tuple], messages: int, zone: Zone) -> None:
    text = (CORPUS / name).read_text(encoding="utf-8")
    assert detect(text) == fmt
    # GitHub logins prove who someone is only when the roster gives them as handles.
    session = sample_with_handles() if fmt == "github" else sample_session(ballots=0)
    report = propose(text, session, at=AT)
    assert report.posts == messages
    got = {p.voter: p for p in report.proposed}
    assert set(got) == set(expected)
    for voter, (vote, binding, clear, words, history) in expected.items():
        p = got[voter]
        assert (p.vote.text if p.vote else None, p.binding, p.clear) == (vote, binding, clear), voter
        for word in words:
            assert any(word in reason for reason in p.why), (voter, word, p.why)
        if not words:
            assert p.why == [], (voter, p.why)
        assert [h.vote.text for h in p.history if h.vote] == history, voter


def test_matching_reports_how_and_suggests_candidates() -> None:
    text = (
        "cwei commented on Nov 24, 2026\n+1\n\n"
        "farah commented on Nov 24, 2026\n+1\n\n"
        "lenam commented on Nov 24, 2026\n+1\n\n"
    )
    report = propose(text, sample_session(ballots=0), at=AT)
    got = {p.voter: p for p in report.proposed}
    assert got["chenwei"].matched_by == "github handle"
    # Her GitHub handle is fhaddad: the login farah only suggests her, it matches no one.
    farah = got["farah (GitHub)"]
    assert (farah.matched_by, farah.suggested, farah.binding, farah.clear) == ("", "farah", False, False)
    assert "lena" in got["lenam"].candidates
    mail = "From: Dmitri  ORLOV <d.orlov@example.com>\nDate: Tue, 25 Nov 2026 10:00:00 +0000\n\n-1\n"
    dmitri = propose(mail, sample_session(ballots=0), at=AT).proposed[0]
    # A guest named like the member would read as them in the result: the address sets them apart.
    assert (dmitri.matched_by, dmitri.suggested) == ("", "dorlov")
    assert dmitri.voter == "Dmitri ORLOV <d.orlov@example.com>" and not dmitri.binding
    assert fold("Zoë  MÜLLER") == "zoe muller"


def test_recorded_ballots_are_shown_and_the_later_one_wins() -> None:
    session = sample_session(ballots=0)
    session.record("ada", parse_vote("-1"), at=T0.add(days=5))  # after the thread's +1 on Nov 24
    session.record("chenwei", parse_vote("+1"), at=T0)
    report = propose((CORPUS / "github_ffi.md").read_text(), session, at=AT)
    got = {p.voter: p for p in report.proposed}
    assert got["ada"].recorded is not None and not got["ada"].clear
    assert any("older than the recorded vote (-1)" in r for r in got["ada"].why)
    assert any("same as the recorded vote" in r for r in got["chenwei"].why)


@pytest.mark.parametrize(
    ("body", "vote", "reasons"),
    [
        ("+1", "+1", []),
        ("+1 (binding)\n\n> -1", "+1", []),
        ("[x] +1 approve\n[ ] -1 disapprove", "+1", []),
        ("[ ] +1 approve\n[ ] -1 disapprove", None, []),
        ("1", "1", []),
        ("0 (binding)", "0", []),
        ("We need 1 more reviewer", None, []),
        ("Python 3.11 and version 0.10 work", None, []),
        ("−1 (binding)", "−1", []),
        ("+1\n-- \n+1 555 0100 (phone)", "+1", []),
        ("+1\n+1", "+1", []),
        ("+1\n-1", "-1", ["several different votes"]),
        ("+1 provided the docs land", "+1", ["conditional"]),
        ("I'm +1 on this", "+1", ["not at the start"]),
        ("vote: -0.9", "-0.9", []),
        ("+1 (binding) and (non-binding)?", "+1", ["both binding and non-binding"]),
    ],
)
def test_votes_in_one_message(body: str, vote: str | None, reasons: list[str]) -> None:
    found = find_vote(body.splitlines())
    assert (found.vote.text if found.vote else None) == vote
    for word in reasons:
        assert any(word in r for r in found.reasons), found.reasons
    if not reasons:
        assert found.reasons == []


def test_formats_can_be_forced_and_bad_text_is_explained() -> None:
    text = (CORPUS / "github_ffi.md").read_text()
    assert len(split(text, "github")) == 15
    with pytest.raises(ThreadError, match="no messages found"):
        split("just some words\nand more", "auto")
    with pytest.raises(ThreadError, match="unknown thread format"):
        split(text, "slack")


def test_cli_dry_run_records_nothing(isolated_data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    store = Store(isolated_data_dir)
    path = store.create(sample_with_handles())
    thread = str(CORPUS / "github_ffi.md")
    assert main(["import-thread", str(path), thread, "--dry-run", "--json", "--yes"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert {p["voter"] for p in data["clear"]} == {v for v, e in GITHUB.items() if e[2]}
    assert {p["voter"] for p in data["review"]} == {v for v, e in GITHUB.items() if not e[2]}
    assert data["recorded"] == [] and data["pasted"] is True
    assert store.load(path).ballots == []


def test_cli_records_clear_cases_only_in_one_log_entry(
    isolated_data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store = Store(isolated_data_dir)
    path = store.create(sample_with_handles())
    assert main(["import-thread", str(path), str(CORPUS / "github_ffi.md"), "--yes"]) == 0
    out = capsys.readouterr().out
    assert "Recorded 6 ballots" in out and "Needs review (6)" in out and "kofi" in out
    saved = store.load(path)
    assert {b.voter for b in saved.ballots} == {v for v, e in GITHUB.items() if e[2]}
    assert all(b.source == "thread" and b.note for b in saved.ballots)
    assert [e.action for e in saved.log].count("import") == 1
    assert saved.current_votes()["dorlov"].vote.text == "+0.5"
    # Running it again records nothing new: the same votes are already there, and need no review.
    assert main(["import-thread", str(path), str(CORPUS / "github_ffi.md"), "--yes"]) == 0
    out = capsys.readouterr().out
    assert "Recorded 0 ballots" in out and "Needs review (6)" in out
    assert "Already recorded (6), nothing to do:" in out and "same as the recorded vote" not in out


def test_cli_import_thread_bad_input(
    isolated_data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = Store(isolated_data_dir).create(sample_session(ballots=0))
    empty = tmp_path / "empty.txt"
    empty.write_text("nothing here")
    assert main(["import-thread", str(path), str(empty)]) == 2
    assert "no messages found" in capsys.readouterr().err
    assert main(["import-thread", str(path), str(tmp_path / "missing.txt")]) == 2
    assert "missing.txt" in capsys.readouterr().err


VETO_THREAD = """\
dorlov commented on Nov 25, 2026 09:12
-1 (binding)

The FFI split doubles the release work.
We should wait for the next major version.

ada-l commented on Nov 25, 2026 10:00
+1 (binding)
"""


def test_a_binding_minus_one_under_a_veto_rule_is_never_clear_and_keeps_its_justification() -> None:
    from tvm_vote_tui.votethread.to_ballots import to_ballot

    session = sample_with_handles()
    session.set_rule("consensus", T0)
    got = {p.voter: p for p in propose(VETO_THREAD, session, at=AT).proposed}
    veto = got["dorlov"]
    assert not veto.clear and any("is a veto under consensus" in r for r in veto.why)
    assert got["ada"].clear
    ballot = to_ballot(veto, AT)
    assert (
        ballot.justification
        == "The FFI split doubles the release work.\nWe should wait for the next major version."
    )
    release = sample_with_handles()  # a -1 is no veto on a release, nor under a majority rule
    assert {p.voter: p for p in propose(VETO_THREAD, release, at=AT).proposed}["dorlov"].clear


def test_a_day_without_a_time_is_never_an_invented_midnight(zone: Zone) -> None:
    from tvm_vote_tui.votethread.to_ballots import to_ballot

    session = sample_session(ballots=0)
    session.record("ada", parse_vote("-1"), at=OPENS_AT.add(hours=20))  # the same day as the thread's +1
    got = {p.voter: p for p in propose((CORPUS / "github_ffi.md").read_text(), session, at=AT).proposed}
    ada = got["ada"]
    assert not ada.clear
    assert any("only the day of the post, not its time" in r for r in ada.why)
    ballot = to_ballot(ada, AT)
    assert ballot.cast_at == AT  # recorded now, not at 00:00 of that day
    assert "posted Nov 24, 2026, no time given" in ballot.note


def test_a_pasted_page_keeps_the_next_comments_avatar_out_of_a_posts_words() -> None:
    """The `@handle` and `Member` lines GitHub draws above a comment belong to the page, not to the
    comment before: they are never kept as a ballot's words (a veto's justification)."""
    from tvm_vote_tui.votethread.github_page import split_github_page

    text = (CORPUS / "github_release_page.md").read_text(encoding="utf-8")
    posts = split_github_page(text)
    assert len(posts) > 3
    for post in posts[:-1]:
        tail = [line.strip() for line in post.lines if line.strip()][-2:]
        assert not any(line.startswith("@") or line == "Member" for line in tail), (post.handle, tail)
    session = sample_session(ballots=0)
    session.set_rule("consensus", T0)
    for proposed in propose(text, session, at=AT).proposed:
        assert "Member" not in proposed.reasoning.split("\n"), proposed.voter
        assert not any(line.startswith("@") for line in proposed.reasoning.split("\n")), proposed.voter


def test_a_ballot_dated_before_the_vote_opened_is_flagged_never_clear(zone: Zone) -> None:
    """Another vote's thread (or a window set to start too late): its ballots go to review."""
    thread = (
        "@ada-l\nMember\nada-l commented on Nov 20, 2026\n\n+1\n\n"
        "@cwei\nMember\ncwei commented on Nov 24, 2026\n\n+1\n"  # that day, somewhere: in time
    )
    got = {p.voter: p for p in propose(thread, sample_session(ballots=0), at=AT).proposed}
    assert not got["ada"].clear
    assert any("dated before the vote opened" in reason for reason in got["ada"].why)
    assert not any("before the vote opened" in reason for reason in got["chenwei"].why)


def test_every_minus_one_keeps_the_voters_words_and_any_vote_its_note() -> None:
    """Not only a veto: a -1 under a majority rule keeps its reasons, and a +1 with words keeps
    them in its note, after the quoted vote line."""
    from tvm_vote_tui.votethread.to_ballots import to_ballot

    thread = VETO_THREAD + "\ncwei commented on Nov 25, 2026 11:00\n+1 (binding)\nGreat work on the docs.\n"
    got = {p.voter: p for p in propose(thread, sample_with_handles(), at=AT).proposed}
    minus = to_ballot(got["dorlov"], AT)
    assert minus.justification == (
        "The FFI split doubles the release work.\nWe should wait for the next major version."
    )
    plus = to_ballot(got["chenwei"], AT)
    assert plus.justification == ""
    assert plus.note.endswith('"+1 (binding)": Great work on the docs.')
