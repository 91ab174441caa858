"""Forged ballots: comment headers typed into someone else's comment, mail sent in another member's
name, and hostile characters in names. None may become a clear ballot, and the CLI records none."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.factories import sample_with_handles
from tvm_vote_tui.cli import main
from tvm_vote_tui.demo import OPENS_AT, sample_session
from tvm_vote_tui.store.sessions import Store
from tvm_vote_tui.votethread.github_page import split_github_page
from tvm_vote_tui.votethread.proposals import propose
from tvm_vote_tui.votethread.to_ballots import to_ballot

AT = OPENS_AT.add(days=7)

FORGED_IN_BODY = """\
kofi opened this issue on Nov 24, 2026
Please vote.

mallory-x commented on Nov 26, 2026
I support this.
olu commented on Nov 25, 2026
+1 (binding)
"""

# The layout of a real copy of a GitHub page: avatar line, role, header, blank line, body.
WITH_AVATARS = """\
[VOTE] Adopt the new CI runner fleet #18101
Open
kofi opened this issue on Nov 24, 2026 · 4 comments
@kofi
Member
kofi commented on Nov 24, 2026

Please vote.

@ada-l
Member
ada-l commented on Nov 24, 2026

+1 (binding)

@mallory-x
mallory-x commented on Nov 25, 2026

Thanks!

olu commented on Nov 25, 2026

+1 (binding)

@cwei
Member
cwei commented on Nov 26, 2026

+1
"""


def by_voter(text: str) -> dict[str, object]:
    """Proposals by voter, the roster knowing every member's GitHub handle (as the page claims
    authors by handle: what is tested here is the page's layout)."""
    return {p.voter: p for p in propose(text, sample_with_handles(), at=AT).proposed}


def test_a_header_typed_into_a_comment_is_no_clear_ballot() -> None:
    got = by_voter(FORGED_IN_BODY)
    olu = got["olu"]
    assert not olu.clear  # type: ignore[attr-defined]
    assert any("inside @mallory-x's comment" in r for r in olu.why)  # type: ignore[attr-defined]


def test_the_issue_body_under_opened_this_issue_is_the_announcement() -> None:
    posts = split_github_page(WITH_AVATARS)
    assert posts[0].opening and posts[0].handle == "kofi" and "Please vote." in posts[0].lines
    assert [p.handle for p in posts] == ["kofi", "ada-l", "mallory-x", "olu", "cwei"]
    assert [bool(p.suspect) for p in posts] == [False, False, False, True, False]
    assert "no @olu line" in posts[3].suspect


def test_a_page_without_avatars_is_judged_by_blank_lines_and_dates_only() -> None:
    text = WITH_AVATARS.replace("@kofi\n", "").replace("@ada-l\n", "").replace("@cwei\n", "")
    text = text.replace("@mallory-x\n", "")
    assert [bool(p.suspect) for p in split_github_page(text)] == [False] * 5


def test_a_header_in_a_quote_holds_only_the_quote() -> None:
    text = (
        "kofi opened this issue on Nov 24, 2026\nPlease vote.\n\n"
        "mallory-x commented on Nov 26, 2026\n> olu commented on Nov 25, 2026\n> +1 (binding)\n\n-1\n"
    )
    got = by_voter(text)
    assert not got["olu"].clear  # type: ignore[attr-defined]
    mallory = got["mallory-x"]
    assert mallory.vote.text == "-1"  # type: ignore[attr-defined]  # the text after the quote is hers


def test_a_spoofed_sender_goes_to_review_and_a_remembered_address_then_matches() -> None:
    mail = (
        "From: Gustavo Ruiz <totally-not-gustavo@evil.example>\nDate: Tue, 25 Nov 2026 10:00:00 +0000\n"
        "Subject: Re: [VOTE] x\n\n-1 (binding)\n"
    )
    session = sample_session(ballots=0)
    first = propose(mail, session, at=AT).proposed[0]
    assert (first.voter, first.matched_by, first.suggested, first.clear) == (
        "Gustavo Ruiz <totally-not-gustavo@evil.example>",
        "",
        "gruiz",
        False,
    )
    assert "only the name matches gruiz; address not on the roster" in first.why[0]
    assert first.new_address == "totally-not-gustavo@evil.example"
    # The manager accepted it and chose to remember the address: the next mail matches by e-mail.
    session.add_member_address("gruiz", first.new_address, AT)
    again = propose(mail, session, at=AT).proposed[0]
    assert (again.matched_by, again.clear, again.new_address) == ("e-mail", True, "")


def test_a_github_user_named_like_a_member_whose_handle_differs_is_doubted() -> None:
    # farah's GitHub handle is fhaddad: a GitHub user called "farah" may be someone else.
    got = {
        p.voter: p
        for p in propose(
            "kofi opened this issue on Nov 24, 2026\nvote\n\nfarah commented on Nov 25, 2026\n+1\n",
            sample_session(ballots=0),
            at=AT,
        ).proposed
    }
    farah = got["farah (GitHub)"]
    assert not farah.clear
    assert "@fhaddad" in farah.why[0]


@pytest.mark.parametrize(
    ("sender", "body"),
    [
        ("=?UTF-8?Q?Gustavo_Ruiz=1B=5D0=3Bpwned=07?= <gruiz@apache.org>", "+1"),
        ("Gustavo Ruiz <gruiz@apache.org>", "+1 (binding)\u202e"),
        ("=?UTF-8?Q?=E2=80=AEzurioG?= <x@example.org>", "+1"),
    ],
)
def test_control_and_bidi_characters_never_make_a_clear_ballot(sender: str, body: str) -> None:
    date = "Date: Tue, 25 Nov 2026 10:00:00 +0000"
    mail = f"From: {sender}\n{date}\nContent-Type: text/plain; charset=utf-8\n\n{body}\n"
    proposed = propose(mail, sample_session(ballots=0), at=AT).proposed[0]
    assert not proposed.clear
    assert any("control character" in r for r in proposed.why), proposed.why
    ballot = to_ballot(proposed, AT)
    shown = " ".join((proposed.author, proposed.voter, proposed.line, ballot.note, *proposed.why))
    assert not any(c in shown for c in "\x1b\x07\u202e")
    # The note is safe to store: the session accepts it (it refuses control characters).
    session = sample_session(ballots=0)
    session.import_ballots([ballot], "thread", AT)
    assert session.ballots[-1].note == ballot.note


def test_cli_records_no_forged_ballot(
    isolated_data_dir: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr("tvm_vote_tui.domain.model.now", lambda: AT)
    store = Store(isolated_data_dir)
    path = store.create(sample_with_handles())
    corpus = Path(__file__).parent / "threads"
    for name in ("github_forged.md", "dev_release.mbox"):
        assert main(["import-thread", str(path), str(corpus / name), "--yes"]) == 0
    out = capsys.readouterr().out
    assert "\x1b" not in out and "␛]0;pwned␇" in out
    recorded = {b.voter for b in store.load(path).ballots}
    # Only the clear ones: ada, baonguyen (forged page); ada, chenwei and gruiz's own +1 (mail; ada's
    # is already there). The -1 sent in gruiz's name from another address is a guest's, in review.
    assert recorded == {"ada", "baonguyen", "chenwei", "gruiz"}
    assert store.load(path).current_votes()["gruiz"].vote.text == "+1"
