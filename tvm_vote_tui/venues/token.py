"""The GitHub token: read from the environment, checked, and kept where it cannot show itself.

It is never printed, logged, shown, written to a file or put in an error message, not even in
part: its repr and str name only the variable it came from, it refuses to be pickled, and a
malformed one (a line break, a space, a control or non-ASCII character) is refused with one line
naming the variable, before it could reach a header (where http.client would quote it in an
exception)."""

from __future__ import annotations

import os
from collections.abc import Mapping

from tvm_vote_tui.votethread.posts import ThreadError

TOKEN_VARIABLES = ("GITHUB_TOKEN", "GH_TOKEN")
MAX_LENGTH = 1000


class TokenError(ThreadError):
    """A token that cannot be used; the message names the variable, never the value."""


class Token:
    """A credential that never shows itself."""

    __slots__ = ("_secret", "variable")

    def __init__(self, secret: str, variable: str) -> None:
        problem = _problem(secret)
        if problem:
            raise TokenError(
                f"${variable} holds {problem}, which a token never has: set it to the token alone "
                "(or unset it to read anonymously)"
            )
        self._secret = secret
        self.variable = variable

    def __repr__(self) -> str:
        return f"<token from ${self.variable}>"

    __str__ = __repr__

    def __reduce__(self) -> str:
        raise TypeError("a token is never saved")

    def authorization(self) -> str:
        """The Authorization header's value; used inline, never kept in a variable."""
        return f"Bearer {self._secret}"

    def scrub(self, text: str) -> str:
        """`text` with the token, whole or any part of SCRUB_PART characters, taken out: for text a
        server sends back (an error's message may quote the token it was sent)."""
        return _scrubbed(text, self._secret)


def _problem(secret: str) -> str:
    if not secret:
        return "nothing"
    if len(secret) > MAX_LENGTH:
        return f"over {MAX_LENGTH} characters"
    for char in secret:
        if char in "\r\n":
            return "a line break"
        if char in " \t":
            return "a space or a tab"
        if not char.isascii():
            return "a non-ASCII character"
        if not char.isprintable():
            return "a control character"
    return ""


def token_from_env(environ: Mapping[str, str] | None = None) -> Token | None:
    """The token from GITHUB_TOKEN, else GH_TOKEN (None when neither is set or both are empty).
    Raises TokenError for a malformed one, naming the variable."""
    environ = os.environ if environ is None else environ
    for name in TOKEN_VARIABLES:
        value = environ.get(name, "")
        if value:
            return Token(value, name)
    return None


SCRUB_PART = 8
"""Any run of this many characters of a token is taken out of a crash report (a token cut in two
by a wrapped line, or quoted in part, still never reaches the file)."""


def scrub_secrets(text: str, environ: Mapping[str, str] | None = None) -> str:
    """`text` with whatever GITHUB_TOKEN and GH_TOKEN hold (well-formed or not), whole or any
    part of SCRUB_PART characters, replaced by '[token]': the last guard before a crash report."""
    environ = os.environ if environ is None else environ
    for name in TOKEN_VARIABLES:
        secret = environ.get(name, "")
        for part in {secret.strip(), *secret.split()}:
            text = _scrubbed(text, part)
    return text


def _scrubbed(text: str, secret: str) -> str:
    """Every character of `text` inside a run of SCRUB_PART or more that the secret holds, the runs
    each replaced by '[token]' (overlapping pieces covered whole: no tail of the token stays)."""
    if len(secret) < SCRUB_PART:
        return text
    covered = bytearray(len(text))
    for start in range(len(secret) - SCRUB_PART + 1):
        piece = secret[start : start + SCRUB_PART]
        found = text.find(piece)
        while found != -1:
            covered[found : found + SCRUB_PART] = b"\x01" * SCRUB_PART
            found = text.find(piece, found + 1)
    if not any(covered):
        return text
    out: list[str] = []
    for index, char in enumerate(text):
        if not covered[index]:
            out.append(char)
        elif index == 0 or not covered[index - 1]:
            out.append("[token]")
    return "".join(out)
