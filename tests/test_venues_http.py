"""The venues' one HTTP client, against misbehaving stand-ins on 127.0.0.1: the token goes only to
the origin it was given for (not a redirect's other host, not a proxy, not plain http elsewhere),
every read has an overall deadline and a size cap, can be cancelled, and fails in one line."""

from __future__ import annotations

import pickle
import threading
import time

import pytest
from pytest_httpserver import HTTPServer

from tests.net_fakes import ok, serving
from tvm_vote_tui.domain.thread_ref import Origin
from tvm_vote_tui.venues.http import Cancelled, Deadline, FetchError, HttpClient, Progress
from tvm_vote_tui.venues.token import Token, TokenError, scrub_secrets, token_from_env

SECRET = "ghp_PINNEDtoken0123456789abcdefABCDEF01"
TOKEN = Token(SECRET, "GITHUB_TOKEN")
NO_PROXY: dict[str, str] = {}


@pytest.fixture(scope="session")
def httpserver_listen_address() -> tuple[str, int]:
    return ("127.0.0.1", 0)


def pinned(server: HTTPServer, environ: dict[str, str] | None = None) -> HttpClient:
    origin = Origin("http", "127.0.0.1", server.port)
    return HttpClient("GitHub API", token=TOKEN, token_origin=origin, environ=environ or NO_PROXY)


def get(client: HttpClient, url: str, seconds: float = 5.0, max_bytes: int = 100_000) -> object:
    return client.get(url, deadline=Deadline(seconds), max_bytes=max_bytes)


def test_the_token_goes_to_its_own_origin_and_a_redirect_there_keeps_it(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/old").respond_with_data("", status=301, headers={"Location": "/new"})
    httpserver.expect_request("/new").respond_with_json({"moved": True})
    answer = pinned(httpserver).get(httpserver.url_for("/old"), deadline=Deadline(5), max_bytes=1000)
    assert answer.status == 200 and not answer.elsewhere and not answer.cleartext
    assert [r.headers.get("Authorization") for r, _ in httpserver.log] == [f"Bearer {SECRET}"] * 2


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost"])
def test_a_redirect_to_another_host_never_carries_the_token(httpserver: HTTPServer, host: str) -> None:
    with serving(ok(b'{"landed": true}')) as other:
        target = f"http://{host}:{other.port}/landed"
        httpserver.expect_request("/start").respond_with_data("", status=302, headers={"Location": target})
        answer = pinned(httpserver).get(httpserver.url_for("/start"), deadline=Deadline(5), max_bytes=1000)
    assert answer.status == 200 and answer.elsewhere  # the API's word no longer: not proof of authorship
    assert httpserver.log[0][0].headers["Authorization"] == f"Bearer {SECRET}"
    [seen] = other.seen
    assert "Authorization" not in seen.headers and SECRET.encode() not in seen.raw


def test_a_redirect_to_plain_http_elsewhere_goes_without_the_token_and_proves_nothing(
    httpserver: HTTPServer,
) -> None:
    """Through a proxy stand-in: an http request off this machine carries no token, and what it
    brings back is marked as read in clear."""
    with serving(ok(b'{"from": "proxy"}')) as proxy:
        httpserver.expect_request("/start").respond_with_data(
            "", status=307, headers={"Location": "http://mirror.example/issue"}
        )
        client = pinned(httpserver, {"http_proxy": proxy.url})
        answer = client.get(httpserver.url_for("/start"), deadline=Deadline(5), max_bytes=1000)
    assert answer.cleartext and answer.elsewhere and answer.body == b'{"from": "proxy"}'
    [seen] = proxy.seen
    assert (
        seen.line == "GET http://mirror.example/issue HTTP/1.1" and seen.headers["Host"] == "mirror.example"
    )
    assert "Authorization" not in seen.headers and SECRET.encode() not in seen.raw


def test_a_proxy_never_sees_the_token(httpserver: HTTPServer) -> None:
    """With http_proxy set, the API on this machine is reached directly, token and all; an
    https API is reached through the proxy's CONNECT tunnel, which carries no token in clear."""
    httpserver.expect_request("/api").respond_with_json({})
    with serving(b"HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n") as proxy:
        environ = {"http_proxy": proxy.url, "HTTPS_PROXY": proxy.url, "no_proxy": ""}
        pinned(httpserver, environ).get(httpserver.url_for("/api"), deadline=Deadline(5), max_bytes=1000)
        assert proxy.seen == [] and httpserver.log[0][0].headers["Authorization"] == f"Bearer {SECRET}"

        https = HttpClient(
            "GitHub API", token=TOKEN, token_origin=Origin("https", "api.example", 443), environ=environ
        )
        with pytest.raises(FetchError, match=r"the proxy 127.0.0.1:\d+ refused to connect to api.example"):
            https.get("https://api.example/repos/a/b", deadline=Deadline(5), max_bytes=1000)
    [connect] = proxy.seen
    assert connect.line == "CONNECT api.example:443 HTTP/1.0" and SECRET.encode() not in connect.raw


def test_no_proxy_and_a_proxy_that_is_not_http(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/x").respond_with_json({})
    with serving(ok(b"{}")) as proxy:
        client = HttpClient("Pony Mail", environ={"http_proxy": proxy.url, "no_proxy": ".example,other"})
        with pytest.raises(FetchError):  # mirror.example is bypassed: looked up directly
            client.get("http://mirror.example:1/x", deadline=Deadline(2), max_bytes=100)
        assert proxy.seen == []
    odd = HttpClient("Pony Mail", environ={"https_proxy": "socks5://127.0.0.1:1"})
    with pytest.raises(FetchError, match="https_proxy setting is not an http:// proxy address"):
        odd.get("https://lists.example/api", deadline=Deadline(2), max_bytes=100)


def test_a_token_never_goes_over_plain_http_off_this_machine() -> None:
    with pytest.raises(FetchError, match=r"not https: the token \(\$GITHUB_TOKEN\) would travel unencrypted"):
        HttpClient("GitHub API", token=TOKEN, token_origin=Origin("http", "github.example", 80))
    client = HttpClient("GitHub API", token=TOKEN, token_origin=Origin("https", "api.github.com", 443))
    assert client.token_goes_to(Origin("https", "api.github.com", 443))
    assert not client.token_goes_to(Origin("http", "api.github.com", 80))
    assert not client.token_goes_to(Origin("https", "api.github.com", 8443))
    assert not client.token_goes_to(Origin("https", "uploads.github.com", 443))
    assert SECRET not in repr(client)


def test_a_drip_fed_answer_is_cut_at_the_deadline() -> None:
    body = b'{"body": "' + b"x" * 2000 + b'"}'
    with serving(ok(body), drip=0.05) as slow:
        client = HttpClient("GitHub API", idle_timeout=5, environ=NO_PROXY)
        started = time.monotonic()
        with pytest.raises(FetchError) as caught:
            client.get(f"{slow.url}/issue", deadline=Deadline(1.0), max_bytes=100_000)
        took = time.monotonic() - started
    assert "127.0.0.1 took over 1 seconds (it answers too slowly); stopped, nothing read" == str(caught.value)
    assert took < 4  # cut near the deadline, not after 100 s of drip


def test_drip_fed_headers_are_cut_too() -> None:
    with serving(ok(b"{}") + b" " * 500, drip=0.05, from_start=True) as slow:
        client = HttpClient("GitHub API", idle_timeout=5, environ=NO_PROXY)
        with pytest.raises(FetchError, match="took over 0.5 seconds"):
            client.get(f"{slow.url}/issue", deadline=Deadline(0.5), max_bytes=100_000)


def test_a_silent_server_is_given_up_on() -> None:
    with serving(ok(b"{}"), drip=30) as silent:
        client = HttpClient("GitHub API", idle_timeout=0.4, environ=NO_PROXY)
        with pytest.raises(FetchError, match=r"127.0.0.1 did not answer within 0.4 seconds; nothing read"):
            client.get(f"{silent.url}/issue", deadline=Deadline(10), max_bytes=100)


def test_a_read_can_be_cancelled_from_another_thread() -> None:
    with serving(ok(b"x" * 5000), drip=0.05) as slow:
        progress = Progress()
        client = HttpClient("GitHub API", idle_timeout=5, environ=NO_PROXY)
        failures: list[BaseException] = []

        def read() -> None:
            try:
                client.get(f"{slow.url}/issue", deadline=Deadline(60, progress), max_bytes=100_000)
            except BaseException as err:  # the test looks at what ended the read
                failures.append(err)

        worker = threading.Thread(target=read)
        worker.start()
        time.sleep(0.3)
        cancelled_at = time.monotonic()
        progress.cancel()
        worker.join(5)
    assert not worker.is_alive() and time.monotonic() - cancelled_at < 2
    assert [type(f) for f in failures] == [Cancelled] and str(failures[0]) == "cancelled; nothing read"


@pytest.mark.parametrize(
    "answer",
    [
        ok(b"x" * 5000),  # said up front
        b"HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n" + b"x" * 5000,  # found out while reading
        b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
        + b"1388\r\n"
        + b"x" * 5000
        + b"\r\n0\r\n\r\n",
    ],
)
def test_an_answer_past_the_size_cap_is_refused(answer: bytes) -> None:
    with serving(answer) as big:
        with pytest.raises(FetchError, match="127.0.0.1 sent an answer larger than 1 KB; nothing read"):
            HttpClient("GitHub API", environ=NO_PROXY).get(
                f"{big.url}/x", deadline=Deadline(5), max_bytes=1000
            )


@pytest.mark.parametrize(
    ("answer", "expected"),
    [
        (b"garbage\r\n\r\n", "sent a broken answer (BadStatusLine)"),
        (
            b"HTTP/1.1 200 OK\r\n" + b"X-Long: " + b"a" * 70000 + b"\r\n\r\n",
            "sent a broken answer (LineTooLong)",
        ),
        (b"HTTP/1.1 200 OK\r\n" + b"X: y\r\n" * 150 + b"\r\n", "sent a broken answer (HTTPException)"),
        (b"HTTP/1.1 200 OK\r\nContent-Length: 50\r\n\r\nshort", "sent a broken answer (cut short)"),
        (b"", "sent a broken answer (RemoteDisconnected)"),
        (b"HTTP/1.1 302 Found\r\nLocation: http://a]b/\r\n\r\n", "redirected to an address that is not one"),
        (b"HTTP/1.1 302 Found\r\nContent-Length: 0\r\n\r\n", "answered 302 (a redirect) without a Location"),
    ],
)
def test_a_broken_answer_is_one_line(answer: bytes, expected: str) -> None:
    with serving(answer) as broken:
        with pytest.raises(FetchError) as caught:
            HttpClient("GitHub API", environ=NO_PROXY).get(
                f"{broken.url}/x", deadline=Deadline(5), max_bytes=10**6
            )
    assert expected in str(caught.value) and "\n" not in str(caught.value)


def test_redirects_are_not_followed_forever(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/loop").respond_with_data("", status=302, headers={"Location": "/loop"})
    with pytest.raises(FetchError, match="redirected over 5 times; stopped"):
        get(HttpClient("GitHub API", environ=NO_PROXY), httpserver.url_for("/loop"))


def test_a_post_is_sent_once_and_a_redirect_is_not_followed(httpserver: HTTPServer) -> None:
    """The same client will carry posts: never re-sent anywhere by a redirect."""
    httpserver.expect_request("/issues", method="POST").respond_with_data(
        "", status=307, headers={"Location": "http://elsewhere.example/issues"}
    )
    answer = pinned(httpserver).send(
        "POST", httpserver.url_for("/issues"), body=b'{"title": "x"}', deadline=Deadline(5), max_bytes=1000
    )
    assert answer.status == 307 and len(httpserver.log) == 1
    request = httpserver.log[0][0]
    assert request.get_data() == b'{"title": "x"}' and request.headers["Authorization"] == f"Bearer {SECRET}"


@pytest.mark.parametrize(
    ("value", "what"),
    [
        (SECRET + "\n", "a line break"),
        (SECRET[:10] + "\r\nX-Evil: 1", "a line break"),
        (SECRET[:10] + " " + SECRET[10:], "a space or a tab"),
        ("\t" + SECRET, "a space or a tab"),
        (SECRET[:10] + "\x1b[2J", "a control character"),
        (SECRET[:10] + "é", "a non-ASCII character"),
        (" ", "a space or a tab"),
    ],
)
def test_a_malformed_token_is_refused_naming_only_the_variable(value: str, what: str) -> None:
    with pytest.raises(TokenError) as caught:
        token_from_env({"GH_TOKEN": value})
    message = str(caught.value)
    assert message.startswith(f"$GH_TOKEN holds {what}, which a token never has") and "\n" not in message
    assert SECRET[:8] not in message and (not value.strip() or value.strip() not in message)


def test_a_token_never_shows_itself() -> None:
    token = token_from_env({"GITHUB_TOKEN": SECRET, "GH_TOKEN": "other-token-value"})
    assert token is not None and token.variable == "GITHUB_TOKEN"
    for shown in (repr(token), str(token), f"{token}", f"{[token]}", f"{ {'t': token} }"):
        assert SECRET[:8] not in shown
    with pytest.raises(TypeError):
        pickle.dumps(token)
    environ = {"GITHUB_TOKEN": SECRET}
    leaked = f"headers={{'Authorization': 'Bearer {SECRET}'}} part {SECRET[5:17]} end"
    assert SECRET[:8] not in scrub_secrets(leaked, environ) and "[token]" in scrub_secrets(leaked, environ)
    assert scrub_secrets("nothing to hide", environ) == "nothing to hide"
