"""Keep names, notes and titles from pinging people when a text is posted to GitHub.

GitHub turns `@olu` and `@apache/tvm-committers` into mentions, which notify the user or the
whole team, wherever they stand in a comment: a backslash does not stop it, nor does an HTML
entity (`&#64;` is decoded before mentions are found). A code span does: GitHub never looks for
mentions inside one, and it renders as the plain text it holds. So a mention in data is wrapped
in backticks (no invisible character, nothing lost when the text is copied). The same text goes
to dev@ as mail, where the backticks read as quotes around the handle.

A code span closes at the next run of backticks as long as its own, so the fence is longer than
any run of backticks in the text, and set apart from a backtick beside it: a name holding a
stray backtick cannot pair with the fence and leave the mention outside."""

from __future__ import annotations

import re

# What GitHub reads as a mention: @ after a non-word character (or at the start), a user name,
# and for a team /slug. Web addresses are left alone: GitHub does not look inside links. An
# underscore before the @ does not protect it: `_@olu_` is emphasis, and GitHub looks for
# mentions in the emphasised text, where the @ starts the text.
_NAME = r"@[A-Za-z0-9][A-Za-z0-9-]*(?:/[A-Za-z0-9][A-Za-z0-9_.-]*)?"
# Mentions written back to back (`@a@b`) are one span: wrapping only the first would leave the
# second at the start of a text node, where GitHub finds it.
# A web address as GitHub links it (GFM's extended autolink): a valid domain after the scheme
# (segments of letters, digits, '_' and '-', at least one period), then anything up to a space or
# '<'. Anything else is text: in `https://@team`, or after `<`, GitHub finds the mention.
_URL = r"https?://[A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]+)+[^\s<]*"
_MENTION = re.compile(rf"(?P<url>{_URL})|(?<![A-Za-z0-9])(?P<at>{_NAME}(?:{_NAME})*)")
_TICKS = re.compile(r"`+")


def quiet_mentions(text: str) -> str:
    """`text` with every @mention wrapped in a code span ('ping @olu' -> 'ping `@olu`')."""
    if "@" not in text:
        return text
    fence = "`" * (1 + max((len(run) for run in _TICKS.findall(text)), default=0))

    def wrap(found: re.Match[str]) -> str:
        if found.group("url"):
            return found.group(0)
        start, end = found.span()
        before = " " if start > 0 and text[start - 1] == "`" else ""  # never lengthen a run of the text's
        after = " " if end < len(text) and text[end] == "`" else ""
        return f"{before}{fence}{found.group('at')}{fence}{after}"

    return _MENTION.sub(wrap, text)
