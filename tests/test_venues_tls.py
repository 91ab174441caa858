"""The client over TLS, against an https stand-in on 127.0.0.1 with a test certificate (trustme):
the token goes inside TLS to its own origin; a certificate not trusted, or a handshake that never
ends, is one line; the overall deadline covers the handshake too."""

from __future__ import annotations

import ssl
import time
from collections.abc import Iterator

import pytest
import trustme

from tests.net_fakes import ok, serving_tls
from tvm_vote_tui.domain.thread_ref import Origin
from tvm_vote_tui.venues.http import Deadline, FetchError, HttpClient
from tvm_vote_tui.venues.token import Token

SECRET = "ghp_TLStoken0123456789abcdefABCDEF012345"


@pytest.fixture
def authority() -> trustme.CA:
    return trustme.CA()


@pytest.fixture
def server_context(authority: trustme.CA) -> ssl.SSLContext:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    authority.issue_cert("127.0.0.1").configure_cert(context)
    return context


@pytest.fixture
def trusting(authority: trustme.CA, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The client trusts the test authority, as it trusts the system's."""
    real = ssl.create_default_context

    def with_test_authority(*args: object, **kwargs: object) -> ssl.SSLContext:
        context = real()
        authority.configure_trust(context)
        return context

    monkeypatch.setattr(ssl, "create_default_context", with_test_authority)
    yield


def client(port: int, idle_timeout: float = 15.0) -> HttpClient:
    origin = Origin("https", "127.0.0.1", port)
    token = Token(SECRET, "GITHUB_TOKEN")
    return HttpClient("GitHub API", token=token, token_origin=origin, environ={}, idle_timeout=idle_timeout)


def test_the_token_goes_inside_tls_to_its_own_origin(server_context: ssl.SSLContext, trusting: None) -> None:
    with serving_tls(server_context, ok(b'{"number": 1}')) as server:
        answer = client(server.port).get(
            f"https://127.0.0.1:{server.port}/repos/a/b/issues/1", deadline=Deadline(10), max_bytes=1000
        )
    assert answer.status == 200 and answer.body == b'{"number": 1}' and not answer.cleartext
    assert server.seen[0].headers["Authorization"] == f"Bearer {SECRET}"


def test_a_certificate_not_trusted_is_one_line(server_context: ssl.SSLContext) -> None:
    with serving_tls(server_context) as server:
        with pytest.raises(FetchError) as caught:
            client(server.port).get(
                f"https://127.0.0.1:{server.port}/x", deadline=Deadline(10), max_bytes=1000
            )
    assert str(caught.value).startswith("no secure connection to 127.0.0.1 (CERTIFICATE_VERIFY_FAILED")
    assert server.seen == []  # nothing was sent, the token least of all


def test_a_handshake_that_never_ends_is_cut_at_the_deadline(
    server_context: ssl.SSLContext, trusting: None
) -> None:
    with serving_tls(server_context, stall_handshake=True) as server:
        started = time.monotonic()
        with pytest.raises(FetchError, match="127.0.0.1 took over 1 seconds"):
            client(server.port, idle_timeout=30).get(
                f"https://127.0.0.1:{server.port}/x", deadline=Deadline(1.0), max_bytes=1000
            )
    assert time.monotonic() - started < 5
