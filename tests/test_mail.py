"""The [VOTE] and [RESULT] mail files: headers from untrusted titles, threading, encodings."""

from __future__ import annotations

import email
import json
from email import policy
from urllib.parse import parse_qs, urlsplit

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.factories import T0, session
from tvm_vote_tui.domain.model import Session
from tvm_vote_tui.domain.votes import parse_vote
from tvm_vote_tui.publish.formats import EXPORT_FORMATS
from tvm_vote_tui.publish.mail import eml_text, mailto_link, result_mail, vote_mail
from tvm_vote_tui.store.format import session_from_toml, session_to_toml

HEADERS = {"To", "Subject", "Date", "Message-ID", "X-Unsent", "MIME-Version"}
HEADERS |= {"Content-Type", "Content-Transfer-Encoding"}


def reread(text: str) -> email.message.EmailMessage:
    parsed = email.message_from_string(text, policy=policy.default)
    assert isinstance(parsed, email.message.EmailMessage)
    return parsed


def titled(title: str) -> Session:
    """A vote whose title came from someone else's file (titles in files are never refused)."""
    text = session_to_toml(session([("m0", "+1")])).replace('title = "Adopt the new codebase"', "title = 'x'")
    return session_from_toml(
        text.replace(
            "title = 'x'",
            f"title = {json.dumps(title, ensure_ascii=False).replace(chr(0x7F), chr(92) + 'u007F')}",
        )
    )


@pytest.mark.parametrize(
    "title",
    [
        "Adopt it\r\nBcc: everyone@example.com",
        "Adopt it\nX-Evil: 1",
        "Adopt it\u2028Bcc: everyone@example.com",
        "Adopt it\x85Bcc: everyone@example.com",
        "Adopt it\x1b]52;c;aGk=\x07",
    ],
)
def test_a_title_never_adds_a_header(title: str) -> None:
    s = titled(title)
    for build in (vote_mail, result_mail):
        text = eml_text(build(s, T0))
        head = text.split("\r\n\r\n", 1)[0]
        names = [line.split(":", 1)[0] for line in head.split("\r\n") if line and not line[0].isspace()]
        assert sorted(names) == sorted(HEADERS)
        parsed = reread(text)
        assert parsed["Bcc"] is None and parsed["X-Evil"] is None
        assert "\n" not in parsed["Subject"] and "\x1b" not in parsed["Subject"]


@settings(max_examples=80, deadline=None)
@given(st.text(min_size=1, max_size=60).filter(str.strip))
def test_any_title_makes_one_subject_line(title: str) -> None:
    s = titled(title)
    parsed = reread(eml_text(vote_mail(s, T0)))
    assert set(parsed.keys()) == HEADERS
    assert parsed["Subject"].startswith("[VOTE]") and "\n" not in parsed["Subject"]


def test_the_result_answers_the_vote_mail_when_its_id_is_known() -> None:
    s = session([("m0", "+1")])
    assert reread(eml_text(result_mail(s, T0)))["In-Reply-To"] is None
    s.record_post("vote-mail", "https://lists.apache.org/thread/abc", T0, message_id="<vote-1@apache.org>")
    s.close(T0.add(days=8))
    parsed = reread(eml_text(result_mail(s, T0.add(days=8))))
    assert parsed["In-Reply-To"] == parsed["References"] == "<vote-1@apache.org>"
    assert parsed["Subject"] == "[RESULT][VOTE] Adopt the new codebase"
    assert parsed["Date"] == "Wed, 02 Dec 2026 17:00:00 +0000"
    assert "has FAILED" in parsed.get_content()


def test_the_list_is_the_proposals_and_a_long_line_is_quoted_printable() -> None:
    s = session()
    s.set_mailing_list("private@tvm.apache.org", T0)
    s.set_summary("Zoë: " + "long " * 300, T0)
    message = vote_mail(s, T0)
    parsed = reread(eml_text(message))
    assert parsed["To"] == "private@tvm.apache.org"
    assert parsed["Content-Transfer-Encoding"] == "quoted-printable"
    assert ("Zoë: " + "long " * 300).strip() in parsed.get_content()
    assert max(len(line) for line in eml_text(message).split("\r\n")) <= 78
    short = reread(eml_text(vote_mail(session(), T0)))
    assert short["Content-Transfer-Encoding"] == "8bit"


def test_a_mailto_link_holds_the_whole_mail_percent_encoded() -> None:
    s = titled("Adopt & merge? 100%\r\nBcc: x@y.z")
    link = mailto_link(vote_mail(s, T0))
    assert all(c not in link for c in "\r\n\x1b ") and link.startswith("mailto:dev@tvm.apache.org?subject=")
    query = parse_qs(urlsplit(link).query)
    assert set(query) == {"subject", "body"}
    assert query["subject"] == ["[VOTE] Adopt & merge? 100% Bcc: x@y.z"]  # one line


def test_a_mail_file_is_private_only_for_an_address_in_its_body() -> None:
    fmt = EXPORT_FORMATS["announce-mail"]
    plain = fmt.render(session())
    assert not fmt.private_for(plain)
    s = session()
    s.set_summary("Ask ada@example.org about it.", T0)
    assert fmt.private_for(fmt.render(s))


def test_both_mails_carry_utf8_text_readable_as_it_is() -> None:
    """Non-ASCII text (a voter's name, the result's `·`) stays readable in the file and in the
    preview: 8bit, never base64, in both mails alike, and read back the same by a mail parser."""
    s = session([("m0", "+1")])
    s.set_summary("Zoë asks for it.", T0)
    s.record("Zoë Ångström", parse_vote("+1"), at=T0)  # a guest
    s.close(T0.add(days=8))
    for message in (vote_mail(s, T0), result_mail(s, T0.add(days=8))):
        text = eml_text(message)
        assert "Content-Transfer-Encoding: 8bit\r\n" in text and "base64" not in text
        assert "Zoë" in text  # as it is, not encoded
        parsed = email.message_from_bytes(text.encode(), policy=policy.default)  # as a client reads it
        assert isinstance(parsed, email.message.EmailMessage)
        assert parsed.get_content().replace("\r\n", "\n") == message.get_content()
        assert max(len(line.encode()) for line in text.split("\r\n")) <= 998
