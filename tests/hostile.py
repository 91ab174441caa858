"""Hostile data for the tests: text that would drive a terminal, or be read as markup, if it ever
reached one raw. Names, notes, titles, rosters and threads come from other people."""

from __future__ import annotations

from tvm_vote_tui.demo import OPENS_AT
from tvm_vote_tui.domain.model import Ballot, LogEntry, Member, Proposal, Session
from tvm_vote_tui.domain.text import MULTILINE, is_unsafe
from tvm_vote_tui.domain.votes import parse_vote

ESCAPES = [
    "\x1b]0;pwned\x07",  # set the window title
    "\x1b]52;c;cHduZWQ=\x07",  # write the clipboard (OSC 52)
    "\x1b[2J",  # clear the screen
    "\u202e",  # right-to-left override
    "\u2066isolate\u2069",
    "\x9b31m",  # a C1 control sequence introducer
    "\x7f\x00\x08",
]
MARKUP = ["[@click=app.quit]x[/]", "[b]x[/]", "[/]", "[link=file:///etc/passwd]x[/]"]


def unsafe_in(text: str, keep: str = MULTILINE) -> list[str]:
    """The control and bidi characters in `text` (what must never reach a terminal from data)."""
    return sorted({f"U+{ord(c):04X}" for c in text if is_unsafe(c) and c not in keep})


def hostile_session(bad: list[str]) -> Session:
    """A session as someone else's file could hold it: every field carries one of `bad`."""
    first, *rest = bad * 2
    at = OPENS_AT.add(hours=1)
    proposal = Proposal(
        title=f"Adopt {first} now",
        summary=f"Summary {rest[0]}\nsecond line",
        links=("https://example.org/" + rest[1].replace(" ", ""),),
        opens_at=OPENS_AT,
        closes_at=OPENS_AT.add(days=7),
    )
    # A GitHub handle is a GitHub user name or nothing (loading refuses any other): the rest carry `bad`.
    roster = [
        Member(f"m{i}", f"Member {i} {text}", f"m{i}@apache.org{text}", True, f"gh{i}")
        for i, text in enumerate(bad)
    ]
    ballots = [
        Ballot(member.id, parse_vote("+1" if i % 2 else "-1"), at.add(minutes=i), note=f"note {bad[i]}")
        for i, member in enumerate(roster)
    ]
    ballots.append(Ballot(f"guest {first}", parse_vote("+0.5"), at.add(hours=1), note=f"guest {first}"))
    log = [LogEntry(at, f"action {text}", f"detail {text}") for text in bad]
    return Session(proposal, roster, ballots, log, session_id="hostile")


def hostile_title_session(bad: list[str]) -> Session:
    """A session whose free text (its title, its log) carries `bad`: unlike ids, names, addresses
    and handles, which loading refuses, these load and are shown made visible."""
    at = OPENS_AT.add(hours=1)
    proposal = Proposal(
        title="Adopt " + " ".join(bad) + " now", opens_at=OPENS_AT, closes_at=OPENS_AT.add(days=7)
    )
    roster = [Member(f"m{i}", f"Member {i}", f"m{i}@apache.org") for i in range(3)]
    ballots = [Ballot(m.id, parse_vote("+1"), at.add(minutes=i)) for i, m in enumerate(roster)]
    log = [LogEntry(at, f"action {text}", f"detail {text}") for text in bad]
    return Session(proposal, roster, ballots, log, session_id="hostile-title")
