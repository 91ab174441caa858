"""Tell a result post from a ballot: '[RESULT][VOTE] …', 'The vote has passed …', a tally of names.

A result post lists other people's votes (`+1 tqchen (binding)`, `-1: none`), so read as a ballot
it would credit its author with a vote they never cast."""

from __future__ import annotations

import re

from tvm_vote_tui.votethread.ballot_lines import own_lines
from tvm_vote_tui.votethread.posts import Post

_RESULT_TAG = re.compile(r"\[\s*RESULT\s*\]", re.IGNORECASE)
_RESULT_WORDS = re.compile(
    r"\bthe vote (?:has |is |was )?(?:now )?(?:passed|passes|failed|fails|closed|concluded|carried|ended)\b|"
    r"\bvot(?:e|ing) (?:result|results|summary)\b|\bresults? of (?:the|this) vote\b|"
    r"\bvoting (?:has |is )?(?:now )?(?:closed|ended|concluded)\b|\bsummary of (?:the )?votes\b|"
    r"\bclosing (?:this|the) vote\b|\bI(?:'m| am) closing\b|\bthe vote (?:is )?over\b",
    re.IGNORECASE,
)
_VALUE = r"[+\-\u2212]?\d(?:\.\d+)?"
_BINDING = r"\(?\s*+(?:non[\s-]?)?binding\s*+\)?"
# "+1:", "+1 (binding):", "+1 votes:", "Binding +1 votes:", "0:", "-1: none"
_LABEL = re.compile(
    rf"^\s*+[-*•]?\s*+(?:{_BINDING}\s*+)?(?P<value>{_VALUE})\s*+(?:{_BINDING}\s*+)?(?:votes?\s*+)?(?:{_BINDING}\s*+)?:",
    re.IGNORECASE,
)
# "+1 tqchen (binding)", "- +1 Tianqi Chen (binding)", "+1 @Hzfengsy"
_NAME_VOTE = re.compile(
    rf"^\s*+[-*•]?\s*+{_VALUE}\s++@?[A-Za-z][\w.'-]*+(?:\s++[A-Z][\w.'-]*+){{0,3}}\s*+"
    r"(?P<claim>\((?i:non[\s-]?)?(?i:binding)\))?\s*+$"
)
FIRST_LINES = 3


def result_reason(post: Post) -> str:
    """Why `post` is a result post ('' when it is not)."""
    own = [line.strip() for line in own_lines(post.lines) if line.strip()]
    if _RESULT_TAG.search(post.subject):
        return "result post (its subject says [RESULT])"
    for line in own[:FIRST_LINES]:
        if _RESULT_TAG.search(line) or _RESULT_WORDS.search(line):
            return "result post (it announces the outcome)"
    labels = {_number(m.group("value")) for line in own if (m := _LABEL.match(line))}
    named = [m for line in own if (m := _NAME_VOTE.match(line))]
    if len(labels) >= 2:
        return "result post (a tally of the votes)"
    if len(named) >= 3 or (len(named) >= 2 and any(m.group("claim") for m in named)):
        return "result post (a list of names and their votes)"
    return ""


def _number(value: str) -> str:
    return value.replace("\u2212", "-").lstrip("+")
