"""An @mention in a name, note, title or summary pings no one in what is exported or posted: every
one is inside a code span, where GitHub never looks for mentions, with no invisible character.

The checks render the text as CommonMark (markdown-it, which Textual already brings) and look for
a mention wherever GitHub would: in text that is not code."""

from __future__ import annotations

import re

import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from tests.factories import T0, session
from tvm_vote_tui.domain.model import Member
from tvm_vote_tui.domain.text import is_hidden
from tvm_vote_tui.domain.votes import parse_vote
from tvm_vote_tui.publish.announce import announcement
from tvm_vote_tui.publish.markdown import result_markdown
from tvm_vote_tui.publish.mentions import quiet_mentions
from tvm_vote_tui.publish.result import result_text

# What GitHub links as a mention: @ after a non-word ASCII character or the start, then a name.
MENTION = re.compile(r"(?<![A-Za-z0-9_])@[A-Za-z0-9]")
BARE_URL = re.compile(r"https?://[A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]+)+[^\s<]*")
"""What GitHub links (GFM's extended autolink): a valid domain, with a period, up to a space or <."""
MARKDOWN = MarkdownIt("commonmark").enable("table").enable("strikethrough")


def mentions_outside_code(text: str) -> list[str]:
    """The mentions GitHub would find in `text` rendered as Markdown: those in text, not in code,
    not in the address of a link."""
    found: list[str] = []

    def walk(tokens: list) -> None:
        for token in tokens:
            if token.type in ("code_inline", "code_block", "fence", "link_open", "html_inline", "autolink"):
                continue
            if token.children:
                walk(token.children)
            elif token.type == "text":  # GitHub links bare web addresses too (GFM's autolinks)
                found.extend(m.group(0) for m in MENTION.finditer(BARE_URL.sub(" ", token.content)))

    walk(MARKDOWN.parse(text))
    return found


@pytest.mark.parametrize(
    ("text", "quiet"),
    [
        ("ping @olu", "ping `@olu`"),
        ("@apache/tvm-committers please", "`@apache/tvm-committers` please"),
        ("(@olu)", "(`@olu`)"),
        ("x.@olu", "x.`@olu`"),
        ("é@olu", "é`@olu`"),  # Ruby's \\W is ASCII: an accent before @ does not stop GitHub
        ("mail olu@apache.org", "mail olu@apache.org"),  # an address is no mention
        ("https://github.com/@olu/x", "https://github.com/@olu/x"),  # nor is a link
        ("https://@apache/tvm-committers", "https://`@apache/tvm-committers`"),  # no domain: no link
        ("http://localhost/@olu", "http://localhost/`@olu`"),  # a domain without a period: no link
        ("https://x.org/<@olu", "https://x.org/<`@olu`"),  # < ends a link
        ("a`@olu", "a` ``@olu``"),  # a stray backtick cannot close the span early
        ("```@olu", "``` ````@olu````"),
        ("no at sign", "no at sign"),
    ],
)
def test_quiet_mentions(text: str, quiet: str) -> None:
    assert quiet_mentions(text) == quiet
    assert mentions_outside_code(text if text == quiet else quiet) == []


HOSTILE = [
    "@apache/tvm-committers",
    "@olu",
    "cc @olu, @ada-l!",
    "a`@olu",
    "``@olu`",
    "<b>@olu</b>",
    "**@olu**",
    "[@olu](https://example.org)",
    "x.@olu",
    "| @olu |",
]


def hostile_vote():
    s = session(members=[Member("olu", "@olu Adeyemi", "olu@apache.org"), Member("ada", "Ada `@ada-l")])
    s.set_title("Adopt @apache/tvm-committers' plan", T0)
    s.set_summary("Thanks @olu and @apache/tvm-committers.\nSecond line: ``@ada-l`", T0)
    s.set_links(["https://github.com/apache/tvm/issues/1"], T0)
    s.record("olu", parse_vote("+1"), note="as @ada-l said", at=T0.add(hours=1))
    for index, text in enumerate(HOSTILE):
        s.record(f"guest {text}", parse_vote("+1"), note=f"note {text}", at=T0.add(hours=2, minutes=index))
    s.set_rule("consensus", T0.add(hours=3))
    s.record("ada", parse_vote("-1"), justification="@olu knows why: `@x", at=T0.add(hours=3))
    return s


@pytest.mark.parametrize("render", [result_markdown, result_text, lambda s: announcement(s.proposal)])
def test_nothing_exported_or_posted_pings_anyone(render) -> None:
    text = render(hostile_vote())
    assert "@" in text  # the names are all there...
    assert mentions_outside_code(text) == []  # ...and none is a mention
    assert not any(is_hidden(c) for c in text)  # without invisible characters
    assert "https://github.com/apache/tvm/issues/1" in text  # links are left alone


@given(st.text(alphabet="@`ab-/ .\n|*_<>[]():hpst", max_size=40))
@example("https://@a")  # no domain after the scheme: GitHub links nothing, and finds the mention
@example("_@a_")  # emphasis: GitHub finds the mention inside it
@example("@a@a")  # the second one starts a text node once the first is a code span
def test_no_text_makes_a_mention_through_the_plain_result(text: str) -> None:
    assert mentions_outside_code(quiet_mentions(text)) == []


@given(st.text(alphabet="@`ab-/ .|*_<>[]()\\&#;", max_size=40))
def test_no_name_makes_a_mention_through_the_markdown(text: str) -> None:
    s = session(members=[Member("a", "A " + text.replace("\n", " ") + " B")])
    s.record("a", parse_vote("+1"), note=text, at=T0.add(hours=1))
    assert mentions_outside_code(result_markdown(s)) == []
