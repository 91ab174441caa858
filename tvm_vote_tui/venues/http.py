"""The one HTTP client every venue uses (GitHub, Pony Mail; posting later), so that each request
gets the same protections whatever it reads or sends:

* the token goes only to the origin it was given for (the API the manager named: scheme, host and
  port), over https or to this machine; never to a redirect's or a Link's other host, never over
  plain http elsewhere, never through a proxy in clear (this machine is never reached through a
  proxy, and an http request to anywhere else never carries it);
* every request has an overall deadline, not only a per-read timeout: a server that drip-feeds
  one byte every few seconds is cut off, and so is a slow TLS handshake or proxy;
* every answer has a size cap, and a read can be cancelled from another thread (`Progress`);
* whatever goes wrong is one line naming the host and what to do (`FetchError`), never a
  traceback and never any part of the token.

It speaks http.client directly (not urllib's opener) so that redirects, proxies and the socket's
clock are in its own hands; proxies are read from the environment as curl reads them.
"""

from __future__ import annotations

import base64
import http.client
import io
import os
import socket
import ssl
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from email.message import Message
from functools import partial
from typing import Any
from urllib.parse import unquote, urljoin, urlsplit

from tvm_vote_tui import __version__
from tvm_vote_tui.domain.text import one_line
from tvm_vote_tui.domain.thread_ref import Origin, ThreadRefError, check_url
from tvm_vote_tui.venues.token import Token
from tvm_vote_tui.votethread.posts import ThreadError

IDLE_TIMEOUT = 15.0
"""Seconds a connection may stay silent (connecting, or between two bytes of an answer)."""
POLL = 0.2
"""A blocked read wakes this often to look at the clock and the cancel flag."""
MAX_REDIRECTS = 5
REDIRECTS = (301, 302, 303, 307, 308)
USER_AGENT = f"tvm-vote-tui/{__version__}"


class FetchError(ThreadError):
    """A read (or a post) that failed; one line that says why and what to do. Nothing changed."""


class Cancelled(FetchError):
    """The manager cancelled the read."""


class OutcomeUnknown(FetchError):
    """A POST or PATCH went out and its answer was lost (a timeout, a dropped connection, a broken
    answer): it may have been done. Never sent again blindly: look for it first."""


class Progress:
    """What a read in a worker thread is doing now, and a cancel flag: shared by the worker and
    the screen that shows it, so the worker never reaches for the screen or the app."""

    def __init__(self) -> None:
        self.text = ""
        self._cancel = threading.Event()

    def say(self, text: str) -> None:
        self.text = text

    def cancel(self) -> None:
        self._cancel.set()

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()


class Deadline:
    """When a whole read must be over (all its requests together)."""

    def __init__(self, seconds: float, progress: Progress | None = None) -> None:
        self.seconds = seconds
        self.ends = time.monotonic() + seconds
        self.progress = progress or Progress()

    def left(self) -> float:
        return self.ends - time.monotonic()


class _Stop(Exception):
    """Raised inside a request to end it (deadline, silence, cancel); turned into a FetchError."""


class _Expired(_Stop):
    pass


class _Silent(_Stop):
    pass


class _Cancel(_Stop):
    pass


@dataclass
class _Watch:
    """The clock of one request: the overall deadline, the silence allowed, the cancel flag."""

    deadline: Deadline
    idle: float
    last: float = field(default_factory=time.monotonic)
    sending: bool = False
    """The request has started to go out: from here a POST's outcome is unknown until answered."""

    def check(self) -> None:
        if self.deadline.progress.cancelled:
            raise _Cancel()
        now = time.monotonic()
        if now >= self.deadline.ends:
            raise _Expired()
        if now - self.last > self.idle:
            raise _Silent()

    def heard(self) -> None:
        self.last = time.monotonic()

    def timeout(self) -> float:
        """For a blocking call that cannot be woken (connecting): never past the deadline."""
        return max(0.01, min(self.idle, self.deadline.left()))


class _WatchedIO(io.RawIOBase):
    """A socket's bytes, read in short waits so the deadline and the cancel flag are seen.

    It holds the socket file http.client made (`keep`): http.client closes the connection as soon
    as an answer says it will close, counting on that file to keep the socket open until read."""

    def __init__(self, sock: socket.socket, watch: _Watch, keep: io.BufferedIOBase) -> None:
        super().__init__()
        self.sock, self.watch, self.keep = sock, watch, keep

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        while True:
            self.watch.check()
            try:
                count = self.sock.recv_into(buffer)
            except (TimeoutError, ssl.SSLWantReadError):
                continue
            self.watch.heard()
            return count

    def close(self) -> None:
        if not self.closed:
            self.keep.close()
        super().close()


class _WatchedResponse(http.client.HTTPResponse):
    def __init__(self, sock: socket.socket, *args: Any, watch: _Watch, **kwargs: Any) -> None:
        super().__init__(sock, *args, **kwargs)
        self.fp = io.BufferedReader(_WatchedIO(sock, watch, self.fp))


class _TlsConnection(http.client.HTTPSConnection):
    """https, with the TLS handshake under the request's clock too (a drip-fed handshake is cut)."""

    def __init__(self, host: str, port: int, *, server_name: str, watch: _Watch, **kwargs: Any) -> None:
        super().__init__(host, port, **kwargs)
        self._server_name, self._watch = server_name, watch

    def connect(self) -> None:
        http.client.HTTPConnection.connect(self)  # TCP, and the proxy's CONNECT tunnel if any
        sock = self._context.wrap_socket(  # type: ignore[attr-defined]
            self.sock, server_hostname=self._server_name, do_handshake_on_connect=False
        )
        self.sock = sock
        sock.settimeout(POLL)
        self._watch.heard()
        while True:
            self._watch.check()
            try:
                sock.do_handshake()
                return
            except (TimeoutError, ssl.SSLWantReadError, ssl.SSLWantWriteError):
                continue


@dataclass
class Answer:
    """What a server answered, after any redirects it took."""

    status: int
    headers: Message
    body: bytes
    url: str
    origin: Origin
    cleartext: bool = False
    """Some hop went over plain http to another machine: what it says proves nothing."""
    asked: Origin | None = None
    """Where the request was sent first."""

    @property
    def elsewhere(self) -> bool:
        """It came from another origin than the one asked (a redirect took it there)."""
        return self.asked is not None and self.origin != self.asked


@dataclass(frozen=True)
class _Proxy:
    origin: Origin
    authorization: str = field(default="", repr=False)


class HttpClient:
    """Requests for one service; the token (if any) is pinned to `token_origin`."""

    def __init__(
        self,
        service: str,
        *,
        token: Token | None = None,
        token_origin: Origin | None = None,
        idle_timeout: float = IDLE_TIMEOUT,
        environ: Mapping[str, str] | None = None,
    ) -> None:
        self.service = service
        self.idle_timeout = idle_timeout
        self._token = token
        self._token_origin = token_origin
        self._environ = environ
        if token is not None:
            if token_origin is None:
                raise ValueError("a token needs the origin it is meant for")
            if token_origin.scheme != "https" and not token_origin.loopback:
                raise FetchError(
                    f"{token_origin} is not https: the token (${token.variable}) would travel "
                    "unencrypted; refused (use https, or unset the token to read anonymously)"
                )

    def __repr__(self) -> str:
        return f"HttpClient({self.service!r}, token={'yes' if self._token else 'no'})"

    @property
    def has_token(self) -> bool:
        return self._token is not None

    def token_goes_to(self, origin: Origin) -> bool:
        """Whether a request to `origin` carries the token: only to the origin it was given for,
        over https or on this machine (which is never reached through a proxy)."""
        if self._token is None or origin != self._token_origin:
            return False
        return origin.scheme == "https" or origin.loopback

    def get(
        self,
        url: str,
        *,
        deadline: Deadline,
        max_bytes: int,
        headers: Mapping[str, str] | None = None,
    ) -> Answer:
        """GET `url`, following up to five redirects (the token only to its own origin)."""
        asked: Origin | None = None
        cleartext = False
        for _ in range(MAX_REDIRECTS + 1):
            origin, target = self._checked(url)
            asked = asked or origin
            cleartext = cleartext or (origin.scheme == "http" and not origin.loopback)
            answer = self._exchange("GET", origin, target, None, headers or {}, deadline, max_bytes)
            answer.url, answer.cleartext, answer.asked = url, cleartext, asked
            if answer.status not in REDIRECTS:
                return answer
            location = answer.headers.get("Location")
            if not location:
                raise FetchError(f"{origin.host} answered {answer.status} (a redirect) without a Location")
            url = self._redirect_target(url, location, origin)
        raise FetchError(
            f"{asked.host if asked else self.service} redirected over {MAX_REDIRECTS} times; stopped"
        )

    def send(
        self,
        method: str,
        url: str,
        *,
        body: bytes,
        deadline: Deadline,
        max_bytes: int,
        headers: Mapping[str, str] | None = None,
    ) -> Answer:
        """POST/PATCH `url` once; a redirect is returned, never followed (a post is never
        re-sent somewhere else by itself)."""
        origin, target = self._checked(url)
        watch = _Watch(deadline, self.idle_timeout)
        try:
            answer = self._exchange(method, origin, target, body, headers or {}, deadline, max_bytes, watch)
        except Cancelled:
            if watch.sending:
                raise OutcomeUnknown("cancelled once it was sent: it may have been done") from None
            raise Cancelled("cancelled; nothing sent") from None
        except FetchError as err:
            said = str(err)
            if watch.sending:  # it went out, in part or whole: it may have been done
                raise OutcomeUnknown(
                    said.replace("nothing read", "its answer was lost: it may have been done")
                ) from None
            raise FetchError(said.replace("nothing read", "nothing sent")) from None
        answer.url, answer.asked = url, origin
        answer.cleartext = origin.scheme == "http" and not origin.loopback
        return answer

    # -- one exchange ---------------------------------------------------------------------------

    def _checked(self, url: str) -> tuple[Origin, str]:
        try:
            return check_url(url, f"{self.service} address")
        except ThreadRefError as err:
            raise FetchError(str(err)) from None

    def _redirect_target(self, url: str, location: str, origin: Origin) -> str:
        try:
            target = urljoin(url, location.strip())
            self._checked(target)
        except (ValueError, FetchError):
            raise FetchError(f"{origin.host} redirected to an address that is not one; stopped") from None
        return target

    def _exchange(
        self,
        method: str,
        origin: Origin,
        target: str,
        body: bytes | None,
        headers: Mapping[str, str],
        deadline: Deadline,
        max_bytes: int,
        watch: _Watch | None = None,
    ) -> Answer:
        watch = watch or _Watch(deadline, self.idle_timeout)
        proxy = self._proxy_for(origin)
        try:
            conn = self._connection(origin, proxy, watch)
            try:
                return self._talk(conn, method, origin, target, proxy, body, headers, watch, max_bytes)
            finally:
                conn.close()
        except _Cancel:
            raise Cancelled("cancelled; nothing read") from None
        except _Expired:
            raise FetchError(
                f"{origin.host} took over {deadline.seconds:g} seconds (it answers too slowly); "
                "stopped, nothing read"
            ) from None
        except (_Silent, TimeoutError):
            raise FetchError(
                f"{origin.host} did not answer within {self.idle_timeout:g} seconds; nothing read, try again"
            ) from None
        except FetchError:
            raise
        except socket.gaierror:
            where = f"the proxy {proxy.origin.host}" if proxy else origin.host
            raise FetchError(
                f"cannot look up {where} (DNS): no network, or a wrong address; nothing read"
            ) from None
        except ssl.SSLError as err:
            why = one_line(str(err.reason or type(err).__name__))
            raise FetchError(f"no secure connection to {origin.host} ({why}); nothing read") from None
        except http.client.HTTPException as err:
            raise FetchError(
                f"{origin.host} sent a broken answer ({type(err).__name__}); nothing read, try again"
            ) from None
        except OSError as err:
            if proxy is not None and str(err).startswith("Tunnel connection failed"):
                raise FetchError(
                    f"the proxy {proxy.origin.netloc} refused to connect to {origin.host} "
                    f"({one_line(str(err))[26:80]}); nothing read"
                ) from None
            why = one_line(err.strerror or type(err).__name__)
            raise FetchError(f"cannot reach {origin.host} ({why}): no network?; nothing read") from None
        except Exception as err:  # anything else: its type only (a message might quote a header)
            raise FetchError(
                f"reading from {origin.host} failed ({type(err).__name__}); nothing read"
            ) from None

    def _connection(self, origin: Origin, proxy: _Proxy | None, watch: _Watch) -> http.client.HTTPConnection:
        where = proxy.origin if proxy is not None else origin
        conn: http.client.HTTPConnection
        if origin.scheme == "https":
            conn = _TlsConnection(
                where.host,
                where.port,
                server_name=origin.host,
                watch=watch,
                timeout=watch.timeout(),
                context=ssl.create_default_context(),
            )
            if proxy is not None:
                tunnel = {"Proxy-Authorization": proxy.authorization} if proxy.authorization else None
                conn.set_tunnel(origin.host, origin.port, headers=tunnel)
        else:
            conn = http.client.HTTPConnection(where.host, where.port, timeout=watch.timeout())
        conn.response_class = partial(_WatchedResponse, watch=watch)  # type: ignore[assignment]
        return conn

    def _talk(
        self,
        conn: http.client.HTTPConnection,
        method: str,
        origin: Origin,
        target: str,
        proxy: _Proxy | None,
        body: bytes | None,
        headers: Mapping[str, str],
        watch: _Watch,
        max_bytes: int,
    ) -> Answer:
        conn.connect()
        assert conn.sock is not None
        conn.sock.settimeout(watch.timeout())
        plain_proxy = proxy is not None and origin.scheme == "http"
        path = f"{origin}{target}" if plain_proxy else target  # a plain proxy is asked for the whole URL
        conn.putrequest(method, path, skip_host=plain_proxy, skip_accept_encoding=True)
        sent = {"User-Agent": USER_AGENT, **headers}
        if plain_proxy:
            sent["Host"] = origin.netloc
        for name, value in sent.items():
            if _header_safe(value):
                conn.putheader(name, value)
        if plain_proxy and proxy is not None and proxy.authorization:
            conn.putheader("Proxy-Authorization", proxy.authorization)
        if self.token_goes_to(origin) and not plain_proxy and self._token is not None:
            conn.putheader("Authorization", self._token.authorization())
        if body is not None:
            conn.putheader("Content-Length", str(len(body)))
        watch.sending = True
        conn.endheaders(body)
        conn.sock.settimeout(POLL)
        watch.heard()
        response = conn.getresponse()
        try:
            body = self._body(response, origin, max_bytes)
        finally:
            response.close()  # the socket closes now, even when the read was stopped halfway
        return Answer(response.status, response.headers, body, "", origin)

    def _body(self, response: http.client.HTTPResponse, origin: Origin, max_bytes: int) -> bytes:
        declared = response.getheader("Content-Length", "")
        length = int(declared) if declared.isascii() and declared.isdigit() and len(declared) < 20 else None
        too_big = FetchError(f"{origin.host} sent an answer larger than {_size(max_bytes)}; nothing read")
        if length is not None and length > max_bytes:
            raise too_big
        chunks: list[bytes] = []
        size = 0
        while chunk := response.read(65536):
            size += len(chunk)
            if size > max_bytes:
                raise too_big
            chunks.append(chunk)
        if length is not None and size < length:
            raise FetchError(f"{origin.host} sent a broken answer (cut short); nothing read, try again")
        return b"".join(chunks)

    # -- proxies ----------------------------------------------------------------------------------

    def _proxy_for(self, origin: Origin) -> _Proxy | None:
        """The proxy the environment names for `origin` (http_proxy, https_proxy, no_proxy), as
        urllib reads them; this machine is always reached directly."""
        if origin.loopback:
            return None
        proxies = _env_proxies(self._environ)
        url = proxies.get(origin.scheme)
        if not url or _bypassed(origin.host, self._environ):
            return None
        text = url if "://" in url else f"http://{url}"
        bad = FetchError(f"the {origin.scheme}_proxy setting is not an http:// proxy address; nothing read")
        try:
            parts = urlsplit(text)
            host, port = parts.hostname, parts.port or 80
        except ValueError:
            raise bad from None
        if parts.scheme != "http" or not host:
            raise bad
        authorization = ""
        if parts.username is not None:
            pair = f"{unquote(parts.username)}:{unquote(parts.password or '')}".encode()
            authorization = "Basic " + base64.b64encode(pair).decode("ascii")
        return _Proxy(Origin("http", host, port), authorization)


def _env_proxies(environ: Mapping[str, str] | None) -> dict[str, str]:
    """{'http': URL, 'https': URL} from http_proxy / https_proxy (lower case wins), as curl and
    urllib read them; HTTP_PROXY is ignored under CGI (REQUEST_METHOD set), where a request's
    own Proxy header would land in it."""
    env = os.environ if environ is None else environ
    found: dict[str, str] = {}
    for scheme in ("http", "https"):
        upper = "" if scheme == "http" and "REQUEST_METHOD" in env else env.get(f"{scheme.upper()}_PROXY", "")
        value = env.get(f"{scheme}_proxy", "") or upper
        if value.strip():
            found[scheme] = value.strip()
    return found


def _bypassed(host: str, environ: Mapping[str, str] | None) -> bool:
    """no_proxy: '*', or a host or domain the target is or is under."""
    env = os.environ if environ is None else environ
    for entry in (env.get("no_proxy") or env.get("NO_PROXY") or "").split(","):
        name = entry.strip().lower().lstrip(".")
        if name.count(":") == 1:
            name = name.partition(":")[0]
        if name == "*" or (name and (host == name or host.endswith("." + name))):
            return True
    return False


def _header_safe(value: str) -> bool:
    """Printable ASCII only: a value from a server (an ETag) can never split a header."""
    return value.isascii() and value.isprintable() and len(value) <= 1000


def _size(count: int) -> str:
    return f"{count / 1_000_000:g} MB" if count >= 1_000_000 else f"{count // 1000} KB"
