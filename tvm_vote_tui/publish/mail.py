"""The [VOTE] and the [RESULT] as mail files (.eml) any mail client opens, and as mailto: links.

Built with the stdlib `email` package: To is the session's list (dev@tvm.apache.org unless the
proposal names another), with Subject, Date, a Message-ID and a UTF-8 body; the result answers
the vote's mail (In-Reply-To, References) when its Message-ID is known. No From: the mail client
fills in the sender. Nothing is sent from here: the manager sends it.

Titles come from other people: a header is made of one line of visible text, so a title holding
CR or LF (or any other line break) can never add a header of its own."""

from __future__ import annotations

import datetime as dt
import secrets
from email import policy
from email.message import EmailMessage
from email.utils import format_datetime
from typing import TYPE_CHECKING
from urllib.parse import quote

from tvm_vote_tui.domain.text import one_line
from tvm_vote_tui.publish.announce import announcement
from tvm_vote_tui.publish.result import facts, result_text
from tvm_vote_tui.publish.wording import bare_title

if TYPE_CHECKING:
    from pendulum import DateTime

    from tvm_vote_tui.domain.model import Session

MAX_LINE = 998
"""The longest line a mail may carry (RFC 5322); a body with a longer one is quoted-printable,
any other UTF-8 body is 8bit: readable as it is, in the file and in the preview."""


def header_text(text: str) -> str:
    """One line for a mail header: control characters made visible, every line break (CR, LF,
    U+2028 ...) and run of spaces one space."""
    return " ".join(one_line(text).split())


def body_of(text: str) -> str:
    """A post's text without its own `Subject:` line: in a mail, the subject is a header."""
    if text.startswith("Subject:"):
        _, _, rest = text.partition("\n")
        return rest.lstrip("\n")
    return text


def vote_message_id(session: Session) -> str:
    """The Message-ID of the vote's mail when it is known (recorded with the `vote-mail` step)."""
    post = session.post("vote-mail")
    return post.message_id if post is not None else ""


def message_id(session: Session, kind: str, at: DateTime) -> str:
    """`<vote.SESSION.20261124170000@tvm-vote-tui>`: the session's random id and the time make it
    unique, and the same mail made again in the same second is the same mail."""
    stamp = dt.datetime.fromtimestamp(at.timestamp(), dt.UTC).strftime("%Y%m%d%H%M%S")
    return f"<{kind}.{session.session_id or secrets.token_hex(8)}.{stamp}@tvm-vote-tui>"


def _mail(
    session: Session, kind: str, subject: str, body: str, at: DateTime, reply_to: str = ""
) -> EmailMessage:
    message = EmailMessage(policy=policy.SMTP)
    message["To"] = session.proposal.mailing_list  # a plain address: checked when it was set
    message["Subject"] = header_text(subject)
    message["Date"] = format_datetime(dt.datetime.fromtimestamp(at.timestamp(), dt.UTC))
    message["Message-ID"] = message_id(session, kind, at)
    if reply_to:
        message["In-Reply-To"] = reply_to
        message["References"] = reply_to
    message["X-Unsent"] = "1"  # opened as a message to send, not as one received
    long_line = any(len(line.encode()) > MAX_LINE for line in body.splitlines())
    message.set_content(body, charset="utf-8", cte="quoted-printable" if long_line else "8bit")
    return message


def vote_mail(session: Session, at: DateTime) -> EmailMessage:
    """The [VOTE] announcement as a mail to the list, dated `at`."""
    title = bare_title(session.proposal.title)
    body = body_of(announcement(session.proposal, at))
    return _mail(session, "vote", f"[VOTE] {title}", body, at)


def result_mail(session: Session, at: DateTime) -> EmailMessage:
    """The [RESULT][VOTE] as a mail to the list, answering the vote's mail when its id is known."""
    body = body_of(result_text(session))
    return _mail(session, "result", facts(session).subject, body, at, vote_message_id(session))


def eml_text(message: EmailMessage) -> str:
    """The mail file's text: CRLF line ends, as RFC 5322 has them, and an 8bit body as the UTF-8
    text it is (`as_string` would turn any non-ASCII 8bit body into unreadable base64)."""
    return message.as_bytes().decode("utf-8")


def mailto_link(message: EmailMessage) -> str:
    """A mailto: link with the mail's To, Subject and body (RFC 6068), for a mail client."""
    to = str(message["To"])
    subject = header_text(str(message["Subject"]))
    body = message.get_content().replace("\r\n", "\n")
    return f"mailto:{quote(to, safe='@')}?subject={quote(subject, safe='')}&body={quote(body, safe='')}"
