"""The export formats by name, shared by the export screen and `tvm-vote-tui export`.

The renderers are imported when first used: the command line builds its `--format` choices from
this table on every start, the app's included, which exports nothing until asked."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from email.message import EmailMessage

    from pendulum import DateTime

    from tvm_vote_tui.domain.model import Session


@dataclass(frozen=True)
class ExportFormat:
    name: str
    label: str
    """The export screen's tab (all six fit on one line at 80 columns) and the name copy and save
    messages give it: short, and telling the formats apart."""
    suffix: str
    render: Callable[[Session], str]
    private: bool
    """True when the output always holds e-mail addresses (the JSON has the roster's)."""
    mail: Callable[[Session, DateTime], EmailMessage] | None = None
    """For the mail files: the mail itself, dated (its mailto: link is offered too)."""
    subject: Callable[[Session], str] | None = None
    """The subject the text goes out under, when it is not part of the text (the announcement's)."""

    def private_for(self, text: str) -> bool:
        """Whether a file of `text` is made readable by its owner only: it holds an e-mail address
        (always in the JSON; in the others when a note, summary or name carries one; a mail's
        own headers name the list and a Message-ID, which are no one's address)."""
        if self.mail is not None:
            _, _, text = text.partition("\r\n\r\n")  # the body alone
        return self.private or EMAIL.search(text) is not None


_PART = r"[^\s@<>()\[\]\"',;:]"
EMAIL = re.compile(rf"{_PART}@{_PART}+\.{_PART}")
"""Something shaped like an e-mail address, broadly: a false alarm only makes a file private."""


def _result(session: Session) -> str:
    from tvm_vote_tui.publish.result import result_text

    return result_text(session)


def _markdown(session: Session) -> str:
    from tvm_vote_tui.publish.markdown import result_markdown

    return result_markdown(session)


def _json(session: Session) -> str:
    from tvm_vote_tui.publish.json_export import json_text

    return json_text(session)


def _announcement(session: Session) -> str:
    from tvm_vote_tui.publish.announce import announcement

    return announcement(session.proposal)


def _announcement_subject(session: Session) -> str:
    from tvm_vote_tui.publish.announce import announcement_subject

    return announcement_subject(session.proposal)


def _vote_mail(session: Session, at: DateTime) -> EmailMessage:
    from tvm_vote_tui.publish.mail import vote_mail

    return vote_mail(session, at)


def _result_mail(session: Session, at: DateTime) -> EmailMessage:
    from tvm_vote_tui.publish.mail import result_mail

    return result_mail(session, at)


def _eml(build: Callable[[Session, DateTime], EmailMessage]) -> Callable[[Session], str]:
    """The mail file's text, dated now."""

    def render(session: Session) -> str:
        from tvm_vote_tui.domain.model import now
        from tvm_vote_tui.publish.mail import eml_text

        return eml_text(build(session, now()))

    return render


EXPORT_FORMATS: dict[str, ExportFormat] = {
    f.name: f
    for f in (
        ExportFormat("result", "[RESULT] text", "result.txt", _result, False),
        ExportFormat("markdown", "Markdown", "result.md", _markdown, False),
        ExportFormat("json", "JSON", "result.json", _json, True),
        ExportFormat(
            "announce",
            "[VOTE] text",
            "announce.txt",
            _announcement,
            False,
            subject=_announcement_subject,
        ),
        # The list's address is in every mail file: it is a list's, not a person's, so a mail file
        # is private only when a name, note or summary in it carries an address.
        ExportFormat("announce-mail", "[VOTE] mail", "vote.eml", _eml(_vote_mail), False, _vote_mail),
        ExportFormat("result-mail", "[RESULT] mail", "result.eml", _eml(_result_mail), False, _result_mail),
    )
}
