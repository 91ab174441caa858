"""The Pony Mail (Foal) reader against a local stand-in on 127.0.0.1: the thread's mails from its
tree and flat list, each read whole from its source, oldest first; the API read at the thread
address's own origin; never a token; every failure one line; a followed thread reads only new mails."""

from __future__ import annotations

import pytest
from pytest_httpserver import HTTPServer

from tests.net_fakes import ok, serving
from tests.ponymail_fake import THREAD_ID, FakePonyMail, Mail, people_mails
from tvm_vote_tui.domain.thread_ref import parse_list_thread
from tvm_vote_tui.venues.http import FetchError
from tvm_vote_tui.venues.ponymail import UNPROVEN_TRANSPORT, PonyMailReader

VOTE = Mail(
    "vote",
    "Mateo Rossi <mrossi@apache.org>",
    "2026-11-24T17:00:00Z",
    "Please vote.\n\n+1 = approve",
    "[VOTE] Release Apache TVM v0.19.0.rc0",
)


@pytest.fixture(scope="session")
def httpserver_listen_address() -> tuple[str, int]:
    return ("127.0.0.1", 0)


def read(fake: FakePonyMail, reader: PonyMailReader | None = None) -> list[object]:
    reader = reader or PonyMailReader(environ={})
    return reader.fetch(parse_list_thread(fake.thread_url)).posts  # type: ignore[return-value]


def test_reads_every_mail_of_the_thread_oldest_first(
    httpserver: HTTPServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GITHUB_TOKEN", "ghp_NEVERSENTtoPONYMAIL0123456789abcdef")
    fake = FakePonyMail(httpserver, [*reversed(people_mails()), VOTE])
    posts = PonyMailReader(environ={}).fetch(parse_list_thread(fake.thread_url)).posts
    assert [(p.name, p.email) for p in posts] == [
        ("Mateo Rossi", "mrossi@apache.org"),
        ("Bao Nguyen", "baonguyen@apache.org"),
        ("Ada Lindqvist", "ada@apache.org"),
        ("Lena Müller", "lena@apache.org"),
    ]
    assert posts[0].opening and not any(p.opening for p in posts[1:])
    assert posts[1].lines[0] == "+1 (binding)" and posts[1].key == "<bao@example.org>"
    assert [p.index for p in posts] == [0, 1, 2, 3] and not any(p.suspect for p in posts)
    assert all(p.verified for p in posts)  # the archive's own record, read through its API
    paths = [path for path, _ in fake.requests]
    assert paths[0] == f"/api/thread.json?id={THREAD_ID}" and len(paths) == 5  # the thread, then 4 sources
    assert not any("Authorization" in headers for _, headers in fake.requests)


def test_following_reads_only_the_new_mails(httpserver: HTTPServer) -> None:
    fake = FakePonyMail(httpserver, [VOTE, *people_mails()[:1]])
    reader = PonyMailReader(environ={})
    assert len(read(fake, reader)) == 2
    fake.requests.clear()
    fake.mails.append(people_mails()[2])
    assert len(read(fake, reader)) == 3
    assert [path.split("?")[0] for path, _ in fake.requests] == ["/api/thread.json", "/api/source.json"]
    # A mail the archive no longer has is left out (follow mode then flags its ballot).
    fake.mails = [VOTE]
    assert len(read(fake, PonyMailReader(environ={}))) == 1


@pytest.mark.parametrize(
    ("body", "status", "said"),
    [
        ("null", 404, f"has no thread {THREAD_ID} (404): check its address"),
        ("[" * 100_000, 200, "not a Pony Mail thread (JSON nested too deeply)"),
        ('{"thread": {"mid": "a", "epoch": 1' + "0" * 5000 + "}}", 200, "(a number too long to read)"),
        ('{"thread": null}', 200, "(no thread in it)"),
        ('{"thread": {"mid": "../../x y"}}', 200, "(a mail without a usable id)"),
        ('{"thread": {"mid": "a", "epoch": "yesterday"}}', 200, "(a mail's epoch is not a time)"),
        ('{"thread": {"mid": "a", "children": {}}}', 200, "(a mail's children are not a list)"),
        ('{"thread": {"mid": "a"}, "emails": 3}', 200, "(its emails are not a list)"),
        ("<html>", 503, "had a server error (503)"),
        ("", 403, "refused to show the thread (403): a private list?"),
    ],
)
def test_each_failure_is_one_line(httpserver: HTTPServer, body: str, status: int, said: str) -> None:
    httpserver.expect_request("/api/thread.json").respond_with_data(body, status=status)
    with pytest.raises(FetchError) as caught:
        PonyMailReader(environ={}).fetch(parse_list_thread(httpserver.url_for(f"/thread/{THREAD_ID}")))
    assert said in str(caught.value) and "\n" not in str(caught.value)


def test_a_thread_too_deep_or_too_long_is_refused(httpserver: HTTPServer) -> None:
    node: dict[str, object] = {"mid": "m0"}
    for depth in range(1, 300):
        node = {"mid": f"m{depth}", "children": [node]}
    httpserver.expect_request("/api/thread.json").respond_with_json({"thread": node})
    with pytest.raises(FetchError, match="a thread nested too deeply"):
        PonyMailReader(environ={}).fetch(parse_list_thread(httpserver.url_for(f"/thread/{THREAD_ID}")))
    httpserver.clear_all_handlers()
    many = {"thread": {"mid": "root", "children": [{"mid": f"m{i}"} for i in range(600)]}}
    httpserver.expect_request("/api/thread.json").respond_with_json(many)
    with pytest.raises(FetchError, match="names over 500 mails: not a vote thread"):
        PonyMailReader(environ={}).fetch(parse_list_thread(httpserver.url_for(f"/thread/{THREAD_ID}")))


def test_a_mail_of_a_body_with_from_lines_stays_one_mail_and_a_huge_one_is_cut(
    httpserver: HTTPServer,
) -> None:
    forwarded = Mail(
        "fwd",
        "Elif Kaya <elif@apache.org>",
        "2026-11-25T08:00:00Z",
        "-1\n\nFrom: Olu Adeyemi <olu@apache.org>\nDate: Tue, 24 Nov 2026\n\n+1 (binding)",
    )
    huge = Mail("huge", "Bao Nguyen <baonguyen@apache.org>", "2026-11-25T09:00:00Z", "+1\n" + "x" * 200_000)
    fake = FakePonyMail(httpserver, [VOTE, forwarded, huge])
    posts = read(fake)
    assert [p.name for p in posts] == ["Mateo Rossi", "Elif Kaya", "Bao Nguyen"]  # type: ignore[attr-defined]
    assert posts[2].cut.startswith("the mail is 200 KB long: only its first 64 KB")  # type: ignore[attr-defined]


def test_a_redirect_over_plain_http_proves_nothing(httpserver: HTTPServer) -> None:
    """The archive's copy read in clear from elsewhere (here through a proxy stand-in) is marked."""
    thread = {"thread": {"mid": "vote", "epoch": 1795539600}}
    with serving(ok(VOTE.source().encode(), "text/plain")) as proxy:
        httpserver.expect_request("/api/thread.json").respond_with_json(thread)
        httpserver.expect_request("/api/source.json").respond_with_data(
            "", status=302, headers={"Location": "http://mirror.example/source/vote"}
        )
        reader = PonyMailReader(environ={"http_proxy": proxy.url})
        [post] = reader.fetch(parse_list_thread(httpserver.url_for(f"/thread/{THREAD_ID}"))).posts
    assert post.suspect == UNPROVEN_TRANSPORT and proxy.seen[0].line.startswith("GET http://mirror.example/")
    assert not post.verified
