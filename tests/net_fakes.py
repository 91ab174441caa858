"""Misbehaving servers on 127.0.0.1 (port 0) for the network tests: a proxy stand-in that records
what reaches it, and a server that drip-feeds its answer one byte at a time."""

from __future__ import annotations

import socket
import ssl
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field


@dataclass
class Seen:
    """One request as a server received it: the request line and the headers, raw."""

    line: str
    headers: dict[str, str]
    raw: bytes


@dataclass
class _Server:
    sock: socket.socket
    seen: list[Seen] = field(default_factory=list)
    stop: threading.Event = field(default_factory=threading.Event)

    @property
    def port(self) -> int:
        return int(self.sock.getsockname()[1])

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"


def _read_request(conn: socket.socket) -> Seen:
    data = b""
    conn.settimeout(5)
    while b"\r\n\r\n" not in data and len(data) < 65536:
        chunk = conn.recv(4096)
        if not chunk:
            break
        data += chunk
    head = data.split(b"\r\n\r\n", 1)[0].decode("latin-1")
    line, *rest = head.split("\r\n")
    headers = {}
    for item in rest:
        name, _, value = item.partition(":")
        headers[name.strip()] = value.strip()
    return Seen(line, headers, data)


@contextmanager
def serving(answer: bytes | None = None, *, drip: float = 0.0, from_start: bool = False) -> Iterator[_Server]:
    """A one-thread server: records each request and sends `answer` (whole, or one byte every
    `drip` seconds: after the headers, or from the very first byte with `from_start`)."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(8)
    sock.settimeout(0.2)
    server = _Server(sock)

    def run() -> None:
        while not server.stop.is_set():
            try:
                conn, _ = sock.accept()
            except TimeoutError:
                continue
            with conn:
                try:
                    server.seen.append(_read_request(conn))
                    body = answer if answer is not None else _ok(b'{"ok": true}')
                    if not drip:
                        conn.sendall(body)
                        continue
                    split = 0 if from_start else body.index(b"\r\n\r\n") + 4
                    conn.sendall(body[:split])
                    for byte in body[split:]:
                        if server.stop.is_set():
                            break
                        conn.sendall(bytes([byte]))
                        time.sleep(drip)
                except OSError:
                    continue

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.stop.set()
        thread.join(5)
        sock.close()


def _ok(body: bytes, content_type: str = "application/json") -> bytes:
    return (
        b"HTTP/1.1 200 OK\r\nContent-Type: "
        + content_type.encode()
        + b"\r\nContent-Length: "
        + str(len(body)).encode()
        + b"\r\nConnection: close\r\n\r\n"
        + body
    )


def ok(body: bytes, content_type: str = "application/json") -> bytes:
    """A whole 200 answer with `body`."""
    return _ok(body, content_type)


@contextmanager
def serving_tls(
    context: ssl.SSLContext, answer: bytes | None = None, *, stall_handshake: bool = False
) -> Iterator[_Server]:
    """An https server on 127.0.0.1 (`context` holds its certificate): records each request and
    sends `answer`; with `stall_handshake` it accepts and then says nothing, as a server that
    drip-feeds its TLS handshake would."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(8)
    sock.settimeout(0.2)
    server = _Server(sock)

    def run() -> None:
        held: list[socket.socket] = []
        while not server.stop.is_set():
            try:
                conn, _ = sock.accept()
            except TimeoutError:
                continue
            if stall_handshake:
                held.append(conn)  # never answers the client's hello
                continue
            try:
                with context.wrap_socket(conn, server_side=True) as tls:
                    server.seen.append(_read_request(tls))
                    tls.sendall(answer if answer is not None else _ok(b'{"ok": true}'))
            except (OSError, ssl.SSLError):
                continue
        for conn in held:
            conn.close()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.stop.set()
        thread.join(5)
        sock.close()
