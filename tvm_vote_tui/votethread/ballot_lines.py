"""Find the vote in one post: skip quotes, signatures and the ballot legend; never guess."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from tvm_vote_tui.domain.votes import Vote, VoteError, parse_vote

_QUOTE_INTRO = re.compile(
    r"^\s*On .{4,200}\bwrote:\s*$|^\s*.{2,80}\s(wrote|schrieb|a écrit)\s*:\s*$", re.IGNORECASE
)
_SIGNATURE = re.compile(r"^-- ?$|^__+$|^Sent from my ")
_TEMPLATE = re.compile(r"^\s*[-*]?\s*\[\s?\]\s")  # "[ ] +1 approve": the announcement's empty box
_TICKED = re.compile(r"^\s*[-*]?\s*\[[xX✓✔]\]\s*")
_LEAD = re.compile(r"^\s*(?:[-*•]\s+)?(?:(?:my\s+)?vote\s*(?:is)?\s*[:=]?\s*|I\s+vote\s+)?", re.IGNORECASE)
# "+1", "+1.", "+1," and "+1:" open a vote; "+1.5" and "+10" do not read as +1.
_TOKEN = re.compile(r"(?P<vote>[+\-\u2212]\s?(?:\d+(?:\.\d+)?|\.\d+)|\d+(?:\.\d+)?)(?!\w|\.\d)")
_BOX_OR_BULLET = re.compile(r"^\s*(?:[-*•]\s+)?(?:\[[\sxX✓✔]?\]\s*)?")
# "+1 = approve", "-1 := disapprove", "0 means no opinion": the announcement's legend, not a vote.
_LEGEND = re.compile(r"^\s*(?:=|:=|means\b|->|→)", re.IGNORECASE)
# What the announcement puts after a vote value it explains: "-1 because ...", "(provide reason)".
_PLACEHOLDER = re.compile(
    r"because\s*(?:\.\.\.|…)|\(\s*(?:please\s+)?(?:provide|give|say|state|explain)\b[^)]*\)|"
    r"^\s*(?:\.\.\.|…)|\bno opinion\b|\bdisapprove\b|\bdo not release\b|\bdon't release\b",
    re.IGNORECASE,
)
_BINDING = re.compile(r"\(\s*(?P<non>non[\s-]?)?binding\s*\)|\b(?P<non2>non[\s-]?)?binding\b", re.IGNORECASE)
_SIGNED_ANYWHERE = re.compile(
    r"(?<![\w.+\-])(?P<vote>[+\-\u2212](?:1(?:\.0+)?|0(?:\.\d+)?|\.\d+))(?!\w|\.\d)"
)
_CONDITIONAL = re.compile(
    r"\b(if|unless|provided|as long as|assuming|conditional(ly)?|once|pending|contingent)\b", re.IGNORECASE
)


@dataclass
class Found:
    """What one message says: its vote line(s) and anything that needs a person's eye."""

    vote: Vote | None = None
    line: str = ""
    claim: bool | None = None
    """What the author declared: True "(binding)", False "(non-binding)", None nothing."""
    reasons: list[str] = field(default_factory=list)


def own_lines(lines: list[str]) -> list[str]:
    """The author's own words: no quoted replies, no 'On ... wrote:' blocks, no signature."""
    kept = []
    for line in lines:
        if _SIGNATURE.match(line.rstrip()):
            break
        if _QUOTE_INTRO.match(line):
            break  # what follows is the quoted message
        if line.lstrip().startswith(">"):
            continue
        kept.append(line)
    return kept


def vote_on_line(line: str) -> tuple[Vote, str] | None:
    """The vote a line opens with ('+1 (binding)', '[x] -1 because', 'My vote: +0.5'), if any."""
    if _TEMPLATE.match(line):
        return None
    rest = _TICKED.sub("", line, count=1)
    ticked = rest != line
    rest = _LEAD.sub("", rest, count=1) if not ticked else rest
    match = _TOKEN.match(rest)
    if not match:
        return None
    token = match.group("vote").replace(" ", "")
    after = rest[match.end() :].strip()
    if _LEGEND.match(after):
        return None
    unsigned = token[0] not in "+-\u2212"
    # A bare 0 or 1 is a vote only when nothing but a binding note follows (or a box was ticked).
    if unsigned and not ticked and _BINDING.sub("", after).strip(" .,!:;()"):
        return None
    try:
        return parse_vote(token), after
    except VoteError:
        return None


def _opening_value(line: str) -> tuple[Vote, str] | None:
    """The vote value a line starts with, whatever follows it (for spotting the legend)."""
    match = _TOKEN.match(_BOX_OR_BULLET.sub("", line, count=1))
    if not match:
        return None
    try:
        return parse_vote(match.group("vote").replace(" ", "")), line[match.end() :]
    except VoteError:
        return None


def legend_lines(own: list[str], opening: bool) -> set[int]:
    """Lines that explain the ballot rather than cast one.

    Anywhere: '+1 = approve'. In the announcement also: runs of lines that open with different
    values ('+1 approve' / '0 no opinion' / '- -1 because ...'), lines naming several values
    ('reply with +1, 0 or -1') and placeholders ('-1 disapprove (provide reason)')."""
    legend: set[int] = set()
    run: list[tuple[int, Vote]] = []
    for index, line in enumerate([*own, ""]):
        value = _opening_value(line) if index < len(own) else None
        if value is not None:
            vote, after = value
            if _LEGEND.match(after.strip()):
                legend.add(index)
            elif opening and _PLACEHOLDER.search(after):
                legend.add(index)
            run.append((index, vote))
            continue
        if opening and len(run) >= 2 and len({v.value for _, v in run}) >= 2:
            legend.update(i for i, _ in run)
        run = []
    if opening:
        legend.update(i for i, line in enumerate(own) if len({v.value for v in _signed_in(line)}) >= 2)
    return legend


def _signed_in(text: str) -> list[Vote]:
    votes = []
    for match in _SIGNED_ANYWHERE.finditer(text):
        try:
            votes.append(parse_vote(match.group("vote")))
        except VoteError:
            pass
    return votes


def find_vote(lines: list[str], opening: bool = False) -> Found:
    """The vote of one post; `opening` for the announcement, whose ballot legend is never a vote."""
    own = [raw.strip() for raw in own_lines(lines)]
    legend = legend_lines(own, opening)
    found = _find([line for index, line in enumerate(own) if index not in legend])
    if found.vote is None and not found.reasons and legend and not opening:
        # Only legend lines ('+1 = approve') in a reply: shown for a person to read, never taken.
        lines_votes = [(own[i], value[0]) for i in sorted(legend) if (value := _opening_value(own[i]))]
        line, vote = lines_votes[-1]
        found = Found(vote, line, reasons=["reads like the ballot legend ('+1 = approve'), not a vote"])
        if len({v.value for _, v in lines_votes}) > 1:
            found.reasons.append(
                "several different votes in one message: " + ", ".join(v.text for _, v in lines_votes)
            )
    return found


def _find(own: list[str]) -> Found:
    found = Found()
    votes: list[tuple[Vote, str, str]] = []
    mentions: list[tuple[Vote, str]] = []
    for line in own:
        result = vote_on_line(line)
        if result is not None:
            votes.append((result[0], result[1], line))
            mentions += [(v, line) for v in _signed_in(result[1])]
    if not votes:
        # A vote in the middle of a sentence ("LGTM, +1 from me") is shown, never taken as read.
        loose = [(v, line) for line in own if not _TEMPLATE.match(line) for v in _signed_in(line)]
        if loose:
            vote, line = loose[-1]
            found.vote, found.line = vote, line
            found.reasons.append("vote not at the start of a line")
            if len({v.value for v, _ in loose}) > 1:
                found.reasons.append(
                    "several different votes in one message: " + ", ".join(v.text for v, _ in loose)
                )
            if _CONDITIONAL.search(line):
                found.reasons.append("conditional vote: " + line)
        return found
    values = {vote.value for vote, _, _ in votes} | {vote.value for vote, _ in mentions}
    vote, after, line = votes[-1]
    found.vote, found.line = vote, line
    if len(values) > 1:
        every = [v.text for v, _, _ in votes] + [v.text for v, _ in mentions]
        found.reasons.append("several different votes in one message: " + ", ".join(every))
    claims = {c for _, a, _ in votes for c in _claims(a)}
    if len(claims) == 1:
        found.claim = claims.pop()
    elif len(claims) > 1:
        found.reasons.append("says both binding and non-binding")
    if any(_CONDITIONAL.search(a) for _, a, _ in votes):
        found.reasons.append("conditional vote: " + line)
    return found


def _claims(after: str) -> set[bool]:
    """What a vote line declares: {True} '(binding)', {False} '(non-binding)', both, or nothing."""
    return {not (m.group("non") or m.group("non2")) for m in _BINDING.finditer(after)}
