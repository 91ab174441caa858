"""A stand-in for the Pony Mail (Foal) API on 127.0.0.1 serving a dev@ thread, and the vote it
mirrors on the GitHub stand-in, both ways, as Apache TVM runs it:

* GitHub comments reach dev@ as notification mails from `NAME <notifications@github.com>`;
* dev@ replies reach the issue as comments by the mail bridge `tvm-archiver`, sender lost.

In the mirrored vote: Bao Nguyen and Lena Müller vote by mail only; Ada votes on GitHub and
again by mail (one ballot, not two); one bridge post has no mail in the archive (not archived
yet), so it stays in review; the bridge post of Bao's mail is also notified back to dev@."""

from __future__ import annotations

import copy
import email.utils
import json
from dataclasses import dataclass
from email.message import EmailMessage
from typing import Any

import pendulum
from pendulum import DateTime
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from tests.github_fake import FakeGitHub

THREAD_ID = "5wnbldtbbcog0p259jnhvqbkc7nhjt71"
SUBJECT = "[apache/tvm] [VOTE] Release Apache TVM v0.19.0.rc0 (Issue #16368)"
FOOTER = (
    "\n\n—\nReply to this email directly, view it on GitHub: https://github.com/apache/tvm/issues/16368\n"
    "You are receiving this because you are subscribed to this thread."
)
QUOTE = (
    "\n\nOn Tue, Nov 24, 2026 at 5:00 PM Mateo Rossi <notifications@github.com> wrote:\n"
    "> Dear TVM community,\n"
)


def moment(text: str) -> DateTime:
    parsed = pendulum.parse(text)
    assert isinstance(parsed, DateTime)
    return parsed


@dataclass
class Mail:
    mid: str
    sender: str
    when: str
    body: str
    subject: str = f"Re: {SUBJECT}"

    def source(self) -> str:
        message = EmailMessage()
        message["From"] = self.sender
        message["To"] = "dev@tvm.apache.org"
        message["Date"] = email.utils.format_datetime(moment(self.when))
        message["Subject"] = self.subject
        message["Message-ID"] = f"<{self.mid}@example.org>"
        message.set_content(self.body)
        return f"From dev-return@tvm.apache.org  {moment(self.when).format('ddd MMM D HH:mm:ss YYYY')}\n" + (
            message.as_string()
        )

    @property
    def epoch(self) -> int:
        return int(moment(self.when).timestamp())


def bridge_post(key: int, body: str, when: str) -> dict[str, Any]:
    return {
        "id": key,
        "user": {"login": "tvm-archiver", "type": "User"},
        "body": body,
        "created_at": when,
        "updated_at": when,
        "html_url": f"https://github.com/apache/tvm/issues/16368#issuecomment-{key}",
    }


BAO = "+1 (binding)\n\nThe source release builds and the tests pass on my machine." + QUOTE
LENA = "-1 (binding): three files lack the license header.\n\nLena" + QUOTE
ADA_BY_MAIL = "+1 (binding), repeating my vote here for the list." + QUOTE
NOT_ARCHIVED = "+1\n\nTested on Windows." + QUOTE


def people_mails() -> list[Mail]:
    return [
        Mail("bao", "Bao Nguyen <baonguyen@apache.org>", "2026-11-25T09:00:05Z", BAO),
        Mail("ada", "Ada Lindqvist <ada@apache.org>", "2026-11-25T10:00:00Z", ADA_BY_MAIL),
        Mail("lena", "Lena Müller <lena@apache.org>", "2026-11-25T14:09:12Z", LENA),
    ]


def bridge_posts() -> list[dict[str, Any]]:
    return [
        bridge_post(2496110101, BAO, "2026-11-25T09:01:30Z"),
        bridge_post(2496110102, ADA_BY_MAIL, "2026-11-25T10:00:41Z"),
        bridge_post(2496110103, LENA, "2026-11-25T14:10:00Z"),
        bridge_post(2496110104, NOT_ARCHIVED, "2026-11-26T08:00:00Z"),
    ]


def notifications(github: FakeGitHub) -> list[Mail]:
    """What GitHub mails to dev@ for the issue, its comments and the bridge's posts."""
    issue = github.issue
    mails = [
        Mail(
            "issue",
            "Mateo Rossi <notifications@github.com>",
            "2026-11-24T17:00:20Z",
            issue["body"] + FOOTER,
            SUBJECT,
        )
    ]
    names = {
        "ada-l": "Ada Lindqvist",
        "cwei": "Chen Wei",
        "dorlov": "Dmitri Orlov",
        "priya": "Priya Nair",
        "kofi": "Kofi Mensah",
        "hsato": "Hana Sato",
        "mallory-x": "mallory-x",
        "tvm-archiver": "tvm-archiver",
    }
    for comment in github.comments:
        login = comment["user"]["login"]
        when = moment(comment["created_at"]).add(seconds=25)
        mails.append(
            Mail(
                f"c{comment['id']}",
                f"{names.get(login, login)} <notifications@github.com>",
                when.isoformat(),
                comment["body"] + FOOTER,
            )
        )
    return mails


class FakePonyMail:
    """The dev@ thread THREAD_ID: /api/thread.json (a tree of children and a flat list, as Foal
    answers) and /api/source.json for each mail. Tests change `mails` between reads."""

    def __init__(self, server: HTTPServer, mails: list[Mail]) -> None:
        self.server, self.mails = server, mails
        self.requests: list[tuple[str, dict[str, str]]] = []
        server.expect_request("/api/thread.json").respond_with_handler(self._thread)
        server.expect_request("/api/source.json").respond_with_handler(self._source)

    @property
    def thread_url(self) -> str:
        return self.server.url_for(f"/thread/{THREAD_ID}")

    def _thread(self, request: Request) -> Response:
        self.requests.append((request.full_path, dict(request.headers)))
        if request.args.get("id") != THREAD_ID:
            return Response("null", status=404)
        ordered = sorted(self.mails, key=lambda m: m.epoch)
        if not ordered:
            return Response(json.dumps({"thread": {}, "emails": []}), content_type="application/json")
        root, *replies = ordered
        short = [
            {"mid": m.mid, "tid": m.mid, "epoch": m.epoch, "subject": m.subject, "children": []}
            for m in replies
        ]
        # Foal nests replies under what they answer; here, half under the root, half one deeper.
        half = len(short) // 2
        top, nested = short[:half], short[half:]
        if top:
            top[0]["children"] = nested
        else:
            top = nested
        thread = {
            "mid": root.mid,
            "id": root.mid,
            "epoch": root.epoch,
            "subject": root.subject,
            "from": "Mateo Rossi <mr...@apache.org>",
            "body": root.body,
            "children": top,
        }
        data = {"thread": thread, "emails": [copy.deepcopy(thread), *nested[:1]]}
        return Response(json.dumps(data), content_type="application/json")

    def _source(self, request: Request) -> Response:
        self.requests.append((request.full_path, dict(request.headers)))
        found = next((m for m in self.mails if m.mid == request.args.get("id")), None)
        if found is None:
            return Response("Email not found", status=404, content_type="text/plain")
        return Response(found.source(), content_type="text/plain")


def mirrored_vote(server: HTTPServer, *, prefix: str = "") -> tuple[FakeGitHub, FakePonyMail]:
    """The vote on the GitHub stand-in (no result comment yet, the bridge's posts added) and its
    dev@ thread on the Pony Mail stand-in, both on `server`."""
    github = FakeGitHub(server, prefix=prefix)
    github.comments = [c for c in github.comments if c["user"]["login"] != "mrossi"]
    github.comments = sorted([*github.comments, *bridge_posts()], key=lambda c: c["created_at"])
    mail = FakePonyMail(server, [*notifications(github), *people_mails()])
    return github, mail
