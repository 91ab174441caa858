"""Split mail into posts: an mbox file, or mails saved one after another (headers, blank line, body)."""

from __future__ import annotations

import re
from email import errors
from email.header import decode_header, make_header
from email.message import Message
from email.parser import Parser
from email.policy import compat32
from email.policy import default as default_policy

from tvm_vote_tui.votethread.posts import Post, parse_date

MBOX_FROM = re.compile(r"^From \S+ .*\d{4}\s*$")
_HEADER = re.compile(r"^(From|Date|Subject|To|Cc|Message-ID|In-Reply-To|References|Sent):\s", re.IGNORECASE)
_REPLY = re.compile(r"^\s*(?:re|aw|sv|fwd?|wg)\s*:", re.IGNORECASE)


def split_mail(text: str) -> list[Post]:
    lines = text.splitlines()
    starts = [i for i, line in enumerate(lines) if MBOX_FROM.match(line)]
    if starts:
        chunks = [lines[a + 1 : b] for a, b in zip(starts, [*starts[1:], len(lines)], strict=True)]
    else:
        froms = [i for i, line in enumerate(lines) if re.match(r"^From:\s", line)]
        starts = _header_block_starts(lines, froms)
        chunks = [lines[a:b] for a, b in zip(starts, [*starts[1:], len(lines)], strict=True)]
    posts: list[Post] = []
    for chunk in chunks:
        posts.append(_post(chunk, len(posts), first=not posts))
    return posts


def mail_post(text: str, index: int = 0, *, first: bool = False) -> Post:
    """One whole mail (headers, blank line, body; an mbox 'From ' line at the top dropped), as a
    mail archive serves its source: never split at a 'From:' line in its body."""
    lines = text.splitlines()
    if lines and MBOX_FROM.match(lines[0]):
        lines = lines[1:]
    return _post(lines, index, first=first)


UNREADABLE = "its headers or MIME parts nest too deeply to read: its text was not read"
MAX_FROM = 1000
"""A From header longer than this (real ones are under 200) is read as a name, never an address:
the standard address parser takes memory by the square of its length (100 KB of encoded words,
gigabytes)."""
MAX_SUBJECT = 2000


def _post(chunk: list[str], index: int, *, first: bool) -> Post:
    text = "\n".join(chunk)
    try:
        return _parsed(text, index, first=first)
    except RecursionError:  # parts thousands deep: the standard parser recurses per level
        return _unreadable(text, index, first=first)


def _parsed(text: str, index: int, *, first: bool) -> Post:
    """The mail parsed with the classic parser, which keeps headers as text (the modern one parses
    every header it meets with a parser that costs the square of its length); only the sender
    goes through the address parser, once it is known to be short."""
    mail = Parser(policy=compat32).parsestr(text)
    name, address = _sender(_raw(mail, "From", limit=0))
    subject = _decoded(_raw(mail, "Subject", MAX_SUBJECT))
    return Post(
        index,
        name=name.strip().strip('"'),
        email=address.strip().lower(),
        date=parse_date(_raw(mail, "Date", 200)),
        lines=_plain_body(mail).splitlines(),
        subject=subject,
        opening=first and _announces(subject),
        key=_raw(mail, "Message-ID", 998),
    )


def _unreadable(text: str, index: int, *, first: bool) -> Post:
    """A mail the parser cannot take apart: its headers as raw text (no address: its sender is
    only a name), no body, and a notice, so its ballot is never taken as read."""
    mail = Parser(policy=compat32).parsestr(text, headersonly=True)
    subject = _raw(mail, "Subject", MAX_SUBJECT)
    return Post(
        index,
        name=_raw(mail, "From", MAX_FROM),
        date=parse_date(_raw(mail, "Date", 200)),
        lines=[],
        subject=subject,
        opening=first and _announces(subject),
        key=_raw(mail, "Message-ID", 998),
        cut=UNREADABLE,
    )


def _raw(mail: Message, name: str, limit: int) -> str:
    """A header's text on one line, cut at `limit` characters (0: whole)."""
    value = " ".join(str(mail.get(name, "")).split())
    return value[:limit] if limit else value


def _sender(raw: str) -> tuple[str, str]:
    """(display name, address) of the one author the From header names, parsed as a mail program
    reads it: an address inside an encoded word (`=?utf-8?b?b2x1QGFwYWNoZS5vcmc=?=`), a From of
    two authors, or one a parser must guess at (`olu@apache.org)<evil@evil.example>`) is no
    address (decoding first, or a lenient parse, hands the post to someone its mail never named)."""
    if not raw:
        return "", ""
    if len(raw) > MAX_FROM:
        return raw[:MAX_FROM], ""
    header = default_policy.header_factory("From", raw)
    addresses, defects = header.addresses, header.defects
    if len(addresses) != 1 or any(isinstance(d, errors.InvalidHeaderDefect) for d in defects):
        return _decoded(raw), ""
    return _decoded(addresses[0].display_name), addresses[0].addr_spec


def _announces(subject: str) -> bool:
    """A subject that calls a vote: '[VOTE] ...', not a reply and not its result."""
    lowered = subject.lower()
    return "[vote]" in lowered and "[result]" not in lowered and not _REPLY.match(subject)


def _decoded(value: str) -> str:
    """An RFC 2047 header as text ('=?UTF-8?Q?Zo=C3=AB?=' -> 'Zoë'); control characters stay, to be
    shown visibly and refused as a name."""
    try:
        return str(make_header(decode_header(value)))
    except Exception:  # malformed encoded words: keep the raw header
        return value


def _header_block_starts(lines: list[str], froms: list[int]) -> list[int]:
    """Back each From: line up to the first header line of its block (Date: may come first), never
    past the From: line before it (so a run of From: lines costs one pass, not one per line)."""
    starts = []
    floor = 0
    for i in froms:
        start = i
        while start > floor and _HEADER.match(lines[start - 1]):
            start -= 1
        starts.append(start)
        floor = i + 1
    return sorted(set(starts))


def _plain_body(mail: Message) -> str:
    """The plain-text body. Text not transfer-encoded is taken as it is (the file was read as
    UTF-8), so no character is turned into an escape sequence or lost on the way."""
    part = _plain_part(mail) if mail.is_multipart() else mail
    if part is None:
        return ""
    encoding = str(part.get("Content-Transfer-Encoding", "")).strip().lower()
    if encoding not in ("base64", "quoted-printable"):
        payload = part.get_payload()
        return payload if isinstance(payload, str) else ""
    data = part.get_payload(decode=True)
    if not isinstance(data, bytes):
        return ""
    try:
        return data.decode(part.get_content_charset() or "utf-8", "replace")
    except LookupError:  # an unknown charset name
        return data.decode("utf-8", "replace")


def _plain_part(mail: Message) -> Message | None:
    """The text/plain part a mail program shows (as `EmailMessage.get_body` finds it, without its
    recursion): the first one, depth first, outside attachments, never inside an attached mail;
    of a multipart/related only its first part."""
    stack = [mail]
    while stack:
        part = stack.pop()
        if str(part.get("Content-Disposition", "")).split(";")[0].strip().lower() == "attachment":
            continue
        maintype, subtype = part.get_content_maintype(), part.get_content_subtype()
        if maintype == "text":
            if subtype == "plain":
                return part
            continue
        if maintype != "multipart" or not part.is_multipart():
            continue
        children = [c for c in part.get_payload() if isinstance(c, Message)]
        stack.extend(reversed(children[:1] if subtype == "related" else children))
    return None
