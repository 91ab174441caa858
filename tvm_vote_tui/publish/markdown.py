"""The result as Markdown for a GitHub issue or the forum, with every name and note escaped and
every @mention in them kept from pinging anyone (publish/mentions.py)."""

from __future__ import annotations

import re

from tvm_vote_tui.domain.model import Session
from tvm_vote_tui.domain.text import one_line
from tvm_vote_tui.publish.mentions import quiet_mentions
from tvm_vote_tui.publish.proof import fingerprint_line
from tvm_vote_tui.publish.result import GROUPS, closing_lines, facts

# Characters that make inline Markdown (emphasis, code, links, tables, strike-through).
_INLINE = re.compile(r"([\\`*_\[\]|~])")
# What makes a block when it starts the text: headings, lists, quotes, rules.
_BLOCK_START = re.compile(r"^(\d*)([.)#+\-=>])")
_URL_SAFE = re.compile(r"https?://[^\s<>]+")


def md_escape(text: str) -> str:
    """Plain text safe inside Markdown paragraphs and table cells: one line, no markup, no HTML."""
    flat = one_line(text)
    flat = flat.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    flat = _INLINE.sub(r"\\\1", flat)
    return _BLOCK_START.sub(lambda m: f"{m.group(1)}\\{m.group(2)}", flat)


def md_link(url: str) -> str:
    return f"<{url}>" if _URL_SAFE.fullmatch(url) else md_escape(url)


def result_markdown(session: Session) -> str:
    f = facts(session)
    lines = [
        f"# {md_escape(f.subject)}",
        "",
        f"**{md_escape(f.outcome_sentence())}**",
        "",
        md_escape(f.rule_sentence()),
        "",
        "| Vote | Total | Binding | Voters |",
        "| --- | ---: | ---: | --- |",
    ]
    for counted, label in GROUPS:
        voters = f.voters(counted)
        names = ", ".join(md_escape(f.label(b)) for b in voters) or "none"
        binding = sum(1 for b in voters if b.binding)
        lines.append(f"| {md_escape(label)} | {len(voters)} | {binding} | {names} |")
    lines += ["", "| Voter | Vote | Standing | Note |", "| --- | --- | --- | --- |"]
    for counted, _ in GROUPS:
        for b in f.voters(counted):
            lines.append(
                f"| {md_escape(b.name)} | {md_escape(b.vote.text)} | {f.standing(b.voter)} "
                f"| {md_escape(b.note)} |"
            )
    lines += closing_lines(
        f, md_escape, md_link, "**Vetoes and their justifications**", lambda text: f"**{text.rstrip(':')}**"
    )
    lines += ["", fingerprint_line(session)]
    return quiet_mentions("\n".join(lines) + "\n")
