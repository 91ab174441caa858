"""Split a vote thread into posts: text pasted from a GitHub issue, or mail (mbox or saved text)."""

from __future__ import annotations

import email.utils
import re
from dataclasses import dataclass, field
from email.header import decode_header, make_header
from email.parser import Parser
from email.policy import default as default_policy

import pendulum
from pendulum import DateTime

THREAD_FORMATS = ("auto", "github", "mail")
"""How a thread's text may be read: detected, a GitHub issue page, or mail."""


class ThreadError(ValueError):
    """Text in which no message could be found, with what was expected."""


@dataclass
class Post:
    """One comment or mail: who wrote it, when, and its text lines."""

    index: int
    handle: str = ""
    name: str = ""
    email: str = ""
    date: DateTime | None = None
    lines: list[str] = field(default_factory=list)

    @property
    def voter_name(self) -> str:
        """How an author not on the roster is recorded: the handle, else the name, else the address."""
        return self.handle or self.name or self.email or "(unknown author)"

    @property
    def author(self) -> str:
        if self.handle:
            return f"@{self.handle}"
        if self.name and self.email:
            return f"{self.name} <{self.email}>"
        return self.name or self.email or "(unknown author)"


# "tqchen commented on Nov 24, 2026", "**@tqchen** commented 2 days ago", "@tqchen commented on 2026-11-24"
_GITHUB_HEAD = re.compile(
    r"^\s*(?:#+\s*)?\**@?(?P<handle>[A-Za-z0-9](?:[A-Za-z0-9-]{0,38}))\**\s+"
    r"(?P<verb>commented|opened this issue|opened|wrote)\b(?:\s+on)?\s*(?P<date>.*?)\s*(?:[·•].*)?$"
)
_MBOX_FROM = re.compile(r"^From \S+ .*\d{4}\s*$")
_HEADER = re.compile(r"^(From|Date|Subject|To|Cc|Message-ID|In-Reply-To|References|Sent):\s", re.IGNORECASE)


def detect(text: str) -> str:
    """'github' or 'mail', from what the text looks like."""
    lines = text.splitlines()
    mail = sum(1 for line in lines if _MBOX_FROM.match(line) or re.match(r"^From:\s", line))
    github = sum(1 for line in lines if _GITHUB_HEAD.match(line))
    if not mail and not github:
        raise ThreadError(
            "no messages found: expected GitHub comments (lines like 'alice commented on Nov 24, 2026') "
            "or mail (From: and Date: headers, or an mbox file)"
        )
    return "mail" if mail >= github else "github"


def split(text: str, fmt: str = "auto") -> list[Post]:
    if fmt not in THREAD_FORMATS:
        raise ThreadError(f"unknown thread format {fmt!r}: use {', '.join(THREAD_FORMATS)}")
    kind = detect(text) if fmt == "auto" else fmt
    messages = split_github(text) if kind == "github" else split_mail(text)
    if not messages:
        raise ThreadError(f"no {kind} messages found in this text")
    return messages


def parse_date(text: str) -> DateTime | None:
    text = text.strip().rstrip(".")
    if not text:
        return None
    try:
        parsed = email.utils.parsedate_to_datetime(text)
        return pendulum.instance(parsed if parsed.tzinfo else parsed.replace(tzinfo=pendulum.UTC))
    except (TypeError, ValueError, IndexError):
        pass
    try:
        value = pendulum.parse(text, strict=False, tz="UTC")
    except Exception:  # pendulum raises several kinds on free text ("2 days ago")
        return None
    return value if isinstance(value, DateTime) else None


def split_github(text: str) -> list[Post]:
    messages: list[Post] = []
    for line in text.splitlines():
        head = _GITHUB_HEAD.match(line)
        if head and len(line) < 120:
            date_text = re.sub(r"\s*[–-]\s*(edited|with GitHub).*$", "", head.group("date"))
            messages.append(Post(len(messages), handle=head.group("handle"), date=parse_date(date_text)))
        elif messages:
            messages[-1].lines.append(line)
    return messages


def _decoded(value: str) -> str:
    try:
        return str(make_header(decode_header(value)))
    except Exception:
        return value


def split_mail(text: str) -> list[Post]:
    """Messages of an mbox file or of mails saved one after another (headers, blank line, body)."""
    lines = text.splitlines()
    starts = [i for i, line in enumerate(lines) if _MBOX_FROM.match(line)]
    if starts:
        chunks = [lines[a + 1 : b] for a, b in zip(starts, [*starts[1:], len(lines)], strict=True)]
    else:
        froms = [i for i, line in enumerate(lines) if re.match(r"^From:\s", line)]
        starts = _header_block_starts(lines, froms)
        chunks = [lines[a:b] for a, b in zip(starts, [*starts[1:], len(lines)], strict=True)]
    messages: list[Post] = []
    for chunk in chunks:
        mail = Parser(policy=default_policy).parsestr("\n".join(chunk))
        name, address = email.utils.parseaddr(_decoded(str(mail.get("From", ""))))
        body = _plain_body(mail)
        messages.append(
            Post(
                len(messages),
                name=name.strip().strip('"'),
                email=address.strip().lower(),
                date=parse_date(str(mail.get("Date", ""))),
                lines=body.splitlines(),
            )
        )
    return messages


def _header_block_starts(lines: list[str], froms: list[int]) -> list[int]:
    """Back each From: line up to the first header line of its block (Date: may come first)."""
    starts = []
    for i in froms:
        start = i
        while start > 0 and _HEADER.match(lines[start - 1]):
            start -= 1
        starts.append(start)
    return sorted(set(starts))


def _plain_body(mail: object) -> str:
    from email.message import EmailMessage

    assert isinstance(mail, EmailMessage)
    part = mail.get_body(preferencelist=("plain",)) if mail.is_multipart() else mail
    if part is None:
        return ""
    try:
        content = part.get_content()
    except (LookupError, ValueError):
        payload = part.get_payload(decode=True)
        content = payload.decode("utf-8", "replace") if isinstance(payload, bytes) else str(payload)
    return content if isinstance(content, str) else ""
