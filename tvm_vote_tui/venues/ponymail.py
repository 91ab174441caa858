"""Read a dev@ thread from a Pony Mail (Foal) archive such as lists.apache.org.

The API is read at the origin of the thread's address (`https://lists.apache.org/thread/ID` ->
`https://lists.apache.org/api/thread.json?id=ID`), through the venues' one HTTP client: no token
ever, an overall deadline, a size cap, cancelling, one line for whatever goes wrong. The thread
answer names the thread's mails (a tree of `children`, and a flat `emails` list); each mail is
then read whole from `/api/source.json?id=MID` (its raw source, as sent), so senders, dates and
bodies are read as from an mbox, with the same review rules; unlike a saved mbox, what the
archive's API serves (over https) is the list's own record, so its mails count as read through an
API (`Post.verified`). A mail is immutable: the reader keeps those it has read, so following the
thread reads only the new ones."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

import pendulum

from tvm_vote_tui.domain.thread_ref import ListThreadRef
from tvm_vote_tui.venues.http import IDLE_TIMEOUT, Deadline, FetchError, HttpClient, Progress
from tvm_vote_tui.votethread.mail_posts import mail_post
from tvm_vote_tui.votethread.posts import Post, cap_lines

READ_DEADLINE = 120.0
MAX_THREAD_BYTES = 5_000_000
MAX_SOURCE_BYTES = 2_000_000
MAX_MAILS = 500
"""A vote thread has dozens of mails; an archive naming more is not read."""
MAX_DEPTH = 200
_MID = re.compile(r"[A-Za-z0-9._@<>%+=$-]{1,250}")
UNPROVEN_TRANSPORT = (
    "read over plain http or from another host after a redirect: the archive's copy may be altered"
)

__all__ = ["FetchedThread", "PonyMailReader"]


@dataclass
class FetchedThread:
    ref: ListThreadRef
    subject: str
    posts: list[Post]


class _Malformed(Exception):
    pass


class PonyMailReader:
    """Reads dev@ threads from Pony Mail archives (one per screen, one thread at a time)."""

    def __init__(
        self,
        *,
        timeout: float = IDLE_TIMEOUT,
        deadline: float = READ_DEADLINE,
        environ: Mapping[str, str] | None = None,
    ) -> None:
        self.timeout, self.deadline = timeout, deadline
        self._client = HttpClient("the mail archive", idle_timeout=timeout, environ=environ)
        self._sources: dict[tuple[str, str], tuple[str, bool]] = {}
        """(origin, mail id) -> (raw source, read over a channel that may vouch for it)."""

    def __repr__(self) -> str:
        return "PonyMailReader()"

    def fetch(self, ref: ListThreadRef, progress: Progress | None = None) -> FetchedThread:
        """Every mail of the thread, oldest first; raises FetchError with one line."""
        deadline = Deadline(self.deadline, progress)
        host = ref.origin.netloc
        deadline.progress.say(f"reading {ref.short} from {host} …")
        url = f"{ref.origin}/api/thread.json?id={quote(ref.thread_id, safe='')}"
        answer = self._client.get(url, deadline=deadline, max_bytes=MAX_THREAD_BYTES)
        if answer.status == 404:
            raise FetchError(f"{host} has no thread {ref.thread_id} (404): check its address; nothing read")
        if answer.status != 200:
            raise self._status(answer.status, host)
        try:
            mails = _thread_mails(_json(answer.body))
        except _Malformed as err:
            raise FetchError(
                f"{host} sent something that is not a Pony Mail thread ({err}); nothing read"
            ) from None
        proof = not (answer.cleartext or answer.elsewhere)
        posts: list[Post] = []
        for number, (mid, epoch) in enumerate(mails, start=1):
            deadline.progress.say(f"reading {ref.short}: mail {number} of {len(mails)} …")
            found = self._source(ref, mid, deadline)
            if found is None:
                continue  # gone from the archive since the thread was listed
            source, vouched = found
            post = capped(mail_post(source, len(posts), first=not posts))
            if post.key == "":
                post.key = mid
            if post.date is None and epoch is not None:
                post.date = pendulum.from_timestamp(epoch, tz="UTC")
            # The archive's own record of the mail, read through its API: its sender is the one the
            # list received it from (matched by address, exactly, like any mail), not text anyone
            # could paste. Read in clear or from elsewhere, it proves nothing.
            post.verified = proof and vouched
            if not post.verified:
                post.suspect = UNPROVEN_TRANSPORT
            posts.append(post)
        posts.sort(key=lambda p: (p.date is None, p.date.timestamp() if p.date else 0.0))
        for index, post in enumerate(posts):
            post.index = index
            post.opening = index == 0 and post.opening
        subject = posts[0].subject if posts else ""
        return FetchedThread(ref, subject, posts)

    def _source(self, ref: ListThreadRef, mid: str, deadline: Deadline) -> tuple[str, bool] | None:
        key = (str(ref.origin), mid)
        if key in self._sources:
            return self._sources[key]
        url = f"{ref.origin}/api/source.json?id={quote(mid, safe='')}"
        answer = self._client.get(url, deadline=deadline, max_bytes=MAX_SOURCE_BYTES)
        if answer.status == 404:
            return None
        if answer.status != 200:
            raise self._status(answer.status, ref.origin.netloc)
        text = answer.body.decode("utf-8", "replace")
        if len(self._sources) > MAX_MAILS * 2:
            self._sources.clear()
        found = (text, not (answer.cleartext or answer.elsewhere))
        self._sources[key] = found
        return found

    @staticmethod
    def _status(status: int, host: str) -> FetchError:
        if status in (401, 403):
            return FetchError(f"{host} refused to show the thread ({status}): a private list?; nothing read")
        if 500 <= status < 600:
            return FetchError(f"{host} had a server error ({status}); nothing read, try again in a minute")
        return FetchError(f"{host} answered {status}; nothing read")


def _json(raw: bytes) -> Any:
    try:
        return json.loads(raw.decode("utf-8"))
    except RecursionError:
        raise _Malformed("JSON nested too deeply") from None
    except UnicodeDecodeError:
        raise _Malformed("not UTF-8") from None
    except json.JSONDecodeError as err:
        raise _Malformed(f"not JSON: {err.msg} at line {err.lineno}") from None
    except ValueError:
        raise _Malformed("a number too long to read") from None


def _thread_mails(data: object) -> list[tuple[str, int | None]]:
    """(mail id, epoch) of every mail the answer names: the thread tree, then the flat list."""
    if not isinstance(data, dict) or not isinstance(data.get("thread"), dict):
        raise _Malformed("no thread in it")
    found: dict[str, int | None] = {}
    stack: list[tuple[object, int]] = [(data["thread"], 0)]
    emails = data.get("emails", [])
    if not isinstance(emails, list):
        raise _Malformed("its emails are not a list")
    stack += [(email, 0) for email in reversed(emails)]
    while stack:
        node, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise _Malformed("a thread nested too deeply")
        if not isinstance(node, dict):
            raise _Malformed("a mail that is not an object")
        mid = node.get("mid", node.get("id"))
        if not isinstance(mid, str) or not _MID.fullmatch(mid):
            raise _Malformed("a mail without a usable id")
        epoch = node.get("epoch")
        if epoch is not None and (type(epoch) is not int or not 0 <= epoch < 2**40):
            raise _Malformed("a mail's epoch is not a time")
        found.setdefault(mid, epoch)
        if len(found) > MAX_MAILS:
            raise FetchError(f"the thread names over {MAX_MAILS} mails: not a vote thread?; nothing read")
        children = node.get("children", [])
        if not isinstance(children, list):
            raise _Malformed("a mail's children are not a list")
        stack += [(child, depth + 1) for child in reversed(children)]
    return sorted(found.items(), key=lambda item: (item[1] is None, item[1] or 0))


def capped(post: Post) -> Post:
    """A mail past the post limit, cut with a notice (as a comment is)."""
    text = "\n".join(post.lines)
    post.lines, cut = cap_lines(text, "mail")
    post.cut = post.cut or cut
    return post
