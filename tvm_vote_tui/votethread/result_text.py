"""Read a published [RESULT][VOTE]: the counts it states, the names it lists under each value with
their binding marks, the outcome and rule it announces, and the links it gives.

Results are free text. This reads the shapes TVM has used: a header sentence with counts ("passed
with 7 +1 (5 binding), no 0 and no -1 votes", "with 8 binding +1, 2 binding 0 and 2 binding -1"),
count lines ("+1: 12 (8 binding)"), lists under "+1:", "+1 votes (binding):", "0:", "-1 votes:",
one name a line ("Name (handle)", "Name (binding)", "@handle", first names) or several after the
label ("+1: Alice, Bob"), and "no -1 votes" or "-1: none". A line inside a list that does not read
as a name is kept as unreadable, never guessed at. Pure: no I/O.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from tvm_vote_tui.domain.text import fold, one_line
from tvm_vote_tui.domain.votes import Counted
from tvm_vote_tui.votethread.ballot_lines import own_lines

VALUES = (Counted.PLUS, Counted.ZERO, Counted.MINUS)
LABELS = {Counted.PLUS: "+1", Counted.ZERO: "0", Counted.MINUS: "-1"}

_NUMBER_WORDS = {
    "no": 0,
    "zero": 0,
    "none": 0,
    "one": 1,
    "a": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
}
_COUNT = r"(?:\d{1,5}|no|zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)"
_VALUE = r"(?:[+\-\u2212]\s?[01](?:\.0+)?(?!\d|\.\d)|\b0(?!\d|\.\d))"
_NB = r"(?:non[\s-]?binding|binding)"
# "7 +1 (5 binding)", "8 +1 votes (7 binding)", "no 0 votes", "2 binding -1", "3 non-binding +1"
_STATED = re.compile(
    rf"(?<![\w+\-.])(?P<count>{_COUNT})\s+(?:(?P<kind>{_NB})\s+)?(?P<value>{_VALUE})"
    rf"(?:\s*votes?)?(?:\s*\(\s*(?P<inner>{_COUNT})\s+(?P<inner_kind>{_NB})\s*\))?",
    re.IGNORECASE,
)
# "+1: 12 (8 binding)", "+1 votes: 7 (5 binding)", "-1: 0", "+1 (binding): 5"
_COUNT_LINE = re.compile(
    rf"^\s*[-*•]?\s*(?P<value>{_VALUE})\s*(?:votes?)?\s*(?:\(\s*(?P<kind>{_NB})\s*\))?\s*:\s*(?P<count>\d{{1,5}})"
    rf"(?:\s*\(\s*(?P<inner>\d{{1,5}})\s+(?P<inner_kind>{_NB})\s*\))?\s*\.?\s*$",
    re.IGNORECASE,
)
# "+1:", "+1 votes:", "+1 (binding):", "Binding +1 votes:", "+1 votes (non-binding):", "-1: none"
_LABEL = re.compile(
    rf"^\s*[-*•#]*\s*(?:(?P<pre>{_NB})\s+)?(?P<value>{_VALUE})\s*(?:votes?)?\s*"
    rf"(?:\(\s*(?P<post>{_NB})\s*\))?\s*(?:votes?)?\s*(?::|-\s|—|$)\s*(?P<rest>.*)$",
    re.IGNORECASE,
)
_NONE = re.compile(r"^\(?\s*(?:none|no votes?|nobody|n/?a|-|—)\s*\)?\.?$", re.IGNORECASE)
_NO_VALUE = re.compile(rf"\bno\s+(?P<values>{_VALUE}(?:\s*(?:,|or|and|nor)\s*{_VALUE})*)", re.IGNORECASE)
_ONE_VALUE = re.compile(_VALUE)
# "+1 tqchen (binding)", "- -1 Jane Doe": a value, then who cast it
_VALUE_NAME = re.compile(rf"^\s*[-*•]?\s*(?P<value>{_VALUE})\s+(?P<rest>[@\w].*)$")
# "at least 3 binding +1", "≥ 3 binding +1": a rule's words, not a count
_RULE_WORDS = re.compile(
    r"(?:at\s+least|least|≥|>=|more\s+than|needs?|requires?d?|minimum(?:\s+of)?)\s*$", re.I
)
_BULLET = re.compile(r"^\s*(?:[-*•+]\s+|\d{1,3}[.)]\s+)")
_MARK = re.compile(r"\(\s*(?P<inner>[^()]*)\)")
_BRACKET_VOTE = re.compile(r"\[\s*(?P<vote>[+\-\u2212]?\d(?:\.\d+)?)\s*\]")
_HANDLE = re.compile(r"^@?(?P<handle>[A-Za-z0-9](?:[A-Za-z0-9-]{0,38}))$")
_NAME_WORD = re.compile(r"^[^\W\d_][\w.'\u2019-]*$")
_EMAIL = re.compile(r"<\s*(?P<email>[^<>\s@]+@[^<>\s]+)\s*>")
_FINGERPRINT = re.compile(r"\bFingerprint\s+(?P<value>sha256:[0-9a-f]{32})\b")
_URL = re.compile(r"https?://[^\s<>()\[\]\"']+")
_SHORT_REF = re.compile(r"(?<![\w/])(?P<ref>[A-Za-z0-9-]{1,39}/[A-Za-z0-9._-]{1,100}#\d{1,10})\b")
_CANDIDATE = re.compile(r"\brc\s?(?P<n>\d{1,2})\b", re.IGNORECASE)
_PASSED = re.compile(
    r"\b(?:has\s+)?(?:passed|passes|carried|is\s+approved|was\s+approved|has\s+been\s+approved|"
    r"is\s+passing|accepted)\b",
    re.IGNORECASE,
)
_FAILED = re.compile(
    r"\b(?:has\s+)?(?:failed|fails|did\s+not\s+pass|does\s+not\s+pass|not\s+passed|rejected|"
    r"is\s+failing|was\s+not\s+approved)\b",
    re.IGNORECASE,
)
_OPEN = re.compile(r"\bnot\s+a\s+final\s+result\b|\bstill\s+open\b", re.IGNORECASE)
_RULES = (
    ("lazy-two-thirds-literal", re.compile(r"\blazy-two-thirds-literal\b|\bliteral\s+reading\b", re.I)),
    (
        "lazy-two-thirds",
        re.compile(r"\blazy[\s-]*(?:2/3|two[\s-]thirds?)|\b(?:2/3|two[\s-]thirds?)\s+majority\b", re.I),
    ),
    ("lazy-majority", re.compile(r"\blazy[\s-]+majority\b|\bmajority\s+approval\b", re.I)),
    ("lazy-consensus", re.compile(r"\blazy[\s-]+consensus\b", re.I)),
    ("consensus", re.compile(r"\b(?<!lazy )(?<!lazy-)consensus(?:\s+approval)?\b", re.I)),
)
_MAIL_WORDS = re.compile(r"\bdev@|\bmailing[\s-]+list\b|\bby\s+(?:e-?)?mail\b|\blists\.apache\.org\b", re.I)
MAX_NAME_WORDS = 6


def value_of(text: str) -> Counted | None:
    """+1, 1, +0, 0, -0 or -1 as what it counts as; None for anything else."""
    plain = text.replace("\u2212", "-").replace(" ", "")
    try:
        number = float(plain)
    except ValueError:
        return None
    if number == 1:
        return Counted.PLUS
    if number == -1:
        return Counted.MINUS
    return Counted.ZERO if number == 0 else None


def _count(text: str | None) -> int | None:
    if text is None:
        return None
    lowered = text.lower()
    return int(lowered) if lowered.isdigit() else _NUMBER_WORDS.get(lowered)


@dataclass(frozen=True)
class StatedCount:
    """One statement of how many voted a value: a header sentence or a count line."""

    value: Counted
    total: int | None
    binding: int | None
    non_binding: int | None
    line: int
    """1-based line number in the text."""
    text: str

    def described(self) -> str:
        parts = []
        if self.total is not None:
            parts.append(f"{self.total} {LABELS[self.value]}")
        if self.binding is not None:
            parts.append(f"{self.binding} binding {LABELS[self.value]}")
        if self.non_binding is not None:
            parts.append(f"{self.non_binding} non-binding {LABELS[self.value]}")
        return ", ".join(parts)


@dataclass(frozen=True)
class ListedVoter:
    """A name listed under a value: as written, with the handle and binding mark it carries."""

    value: Counted
    written: str
    name: str
    handle: str
    email: str
    binding: bool | None
    """True '(binding)' or a binding section, False '(non-binding)' or such a section, None unsaid."""
    line: int
    vote: str = ""
    """A vote other than exactly the value ('+0.5' written as '[+0.5]')."""

    @property
    def keys(self) -> tuple[str, ...]:
        """Folded forms this voter may be known by: the handle and the name."""
        return tuple(k for k in (fold(self.handle), fold(self.name)) if k)

    @property
    def first_name_only(self) -> bool:
        return not self.handle and not self.email and len(self.name.split()) == 1

    @property
    def shown(self) -> str:
        return one_line(self.written)


@dataclass
class ResultText:
    """What a result post says, as read; `unreadable` lists what could not be read."""

    counts: list[StatedCount] = field(default_factory=list)
    voters: list[ListedVoter] = field(default_factory=list)
    listed: set[Counted] = field(default_factory=set)
    """Values with a list (even one saying 'none'): a value never listed cannot be checked."""
    empty: set[Counted] = field(default_factory=set)
    """Values the result says nobody voted ('no -1 votes', '-1: none')."""
    outcome: str | None = None
    """'passed', 'failed', or None when the result does not say."""
    outcome_line: int | None = None
    final: bool = True
    """False when the text says it is not a final result (the vote is still open)."""
    rule: str | None = None
    """The rule the result names, by name; None when it names none."""
    subject: str = ""
    links: list[str] = field(default_factory=list)
    refs: list[str] = field(default_factory=list)
    """Issue references written as owner/repo#N."""
    thread_links: list[str] = field(default_factory=list)
    """Links and references on a line naming the vote's thread ('Vote thread: URL')."""
    discussion_links: list[str] = field(default_factory=list)
    """Links given as the discussion (an RFC, a forum post), on its line or listed under it: not
    the vote thread."""
    candidate: str = ""
    """The release candidate the result is about ('rc1'), '' when it names none."""
    fingerprint: str = ""
    window_text: str = ""
    """The sentence that states when the vote was open, if any ('The vote was open from ... to ...')."""
    says_mail: bool = False
    """The result mentions votes by mail (dev@, the mailing list)."""
    unreadable: list[tuple[int, str]] = field(default_factory=list)
    roles: dict[int, str] = field(default_factory=dict)
    """What each line that says something is: 'count +1', 'list +1', 'outcome', 'fingerprint'."""

    def voters_of(self, value: Counted) -> list[ListedVoter]:
        return [v for v in self.voters if v.value is value]

    def counts_of(self, value: Counted) -> list[StatedCount]:
        return [c for c in self.counts if c.value is value]

    def as_json(self) -> dict[str, object]:
        return {
            "outcome": self.outcome,
            "final": self.final,
            "rule": self.rule,
            "subject": self.subject,
            "candidate": self.candidate or None,
            "fingerprint": self.fingerprint or None,
            "stated": [
                {
                    "value": LABELS[c.value],
                    "total": c.total,
                    "binding": c.binding,
                    "non_binding": c.non_binding,
                    "line": c.line,
                }
                for c in self.counts
            ],
            "listed": {
                LABELS[value]: [
                    {
                        "written": v.written,
                        "name": v.name,
                        "handle": v.handle,
                        "binding": v.binding,
                        "line": v.line,
                        **({"vote": v.vote} if v.vote else {}),
                    }
                    for v in self.voters_of(value)
                ]
                for value in VALUES
                if value in self.listed
            },
            "unreadable": [{"line": n, "text": t} for n, t in self.unreadable],
        }


def _binding_word(text: str | None) -> bool | None:
    if not text:
        return None
    return not fold(text).startswith("non")


def parse_voter(
    text: str, value: Counted, line: int, section: bool | None, *, strict: bool = True
) -> ListedVoter | None:
    """One listed voter ('Tianqi Chen (tqchen, binding)', '@junrushao', 'Siyuan'), or None when the
    text does not read as a name. Not `strict` (a bulleted item): any short text is a name."""
    written = text.strip().rstrip(",;.").strip()
    body = written
    vote = ""
    found_vote = _BRACKET_VOTE.search(body)
    if found_vote:
        vote = found_vote.group("vote")
        body = _BRACKET_VOTE.sub(" ", body)
    email = ""
    found_email = _EMAIL.search(body)
    if found_email:
        email = found_email.group("email")
        body = _EMAIL.sub(" ", body)
    binding = section
    handle = ""
    kept_marks: list[str] = []
    for mark in _MARK.finditer(body):
        read = True
        for part in re.split(r"[,;/]", mark.group("inner")):
            part = part.strip()
            if not part:
                continue
            if re.fullmatch(_NB, part, re.IGNORECASE):
                binding = _binding_word(part)
            elif re.fullmatch(r"(?:PMC|committer|member|mentor|chair)s?", part, re.IGNORECASE):
                continue
            elif (h := _HANDLE.match(part)) and not handle and re.search(r"[A-Za-z]", part):
                handle = h.group("handle")
            elif strict:
                return None
            else:
                read = False
        if not read:
            kept_marks.append(mark.group(0))
    body = _MARK.sub(lambda m: m.group(0) if m.group(0) in kept_marks else " ", body)
    # "Name - binding", "Name, binding"
    tail = re.search(rf"[\s,\-–—]+(?P<nb>{_NB})\s*$", body, re.IGNORECASE)
    if tail:
        binding = _binding_word(tail.group("nb"))
        body = body[: tail.start()]
    name = " ".join(body.split()).strip(" ,;:-")
    if name.startswith("@") and _HANDLE.match(name):
        handle, name = name[1:], ""
    words = name.split()
    if len(words) > MAX_NAME_WORDS or "://" in name:
        return None
    if name and strict and not all(_NAME_WORD.match(w) or _HANDLE.match(w) for w in words):
        return None
    if not name and not handle and not email:
        return None
    return ListedVoter(value, written, name, handle, email, binding, line, vote)


def _stated_counts(line: str, number: int) -> list[StatedCount]:
    """The counts a prose line states; quoted text (a title) is left out."""
    prose = re.sub(r'"[^"]*"|“[^”]*”', " ", line)
    found = []
    for m in _STATED.finditer(prose):
        if _RULE_WORDS.search(prose[: m.start()]):
            continue
        value = value_of(m.group("value"))
        count = _count(m.group("count"))
        if value is None or count is None:
            continue
        kind, inner, inner_kind = m.group("kind"), _count(m.group("inner")), m.group("inner_kind")
        total = binding = non_binding = None
        if kind is None:
            total = count
        elif _binding_word(kind):
            binding = count
        else:
            non_binding = count
        if inner is not None:
            if _binding_word(inner_kind):
                binding = inner
            else:
                non_binding = inner
        found.append(StatedCount(value, total, binding, non_binding, number, m.group(0).strip()))
    return found


def _outcome(result: ResultText, line: str, number: int) -> None:
    if result.outcome is not None:
        return
    prose = re.sub(r'"[^"]*"|“[^”]*”', " ", line)
    failed, passed = _FAILED.search(prose), _PASSED.search(prose)
    if failed and (not passed or failed.start() <= passed.start()):
        result.outcome, result.outcome_line = "failed", number
    elif passed:
        result.outcome, result.outcome_line = "passed", number


def _is_prose(text: str) -> bool:
    """A sentence rather than a name: many words, or ending as sentences do."""
    words = text.split()
    return len(words) > MAX_NAME_WORDS or text.rstrip().endswith(("!", "?", ":")) or "http" in text


def read_result(text: str) -> ResultText:
    """Read a result post's text (a mail's body, an issue comment, a saved file)."""
    result = ResultText()
    raw_lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    kept = _own_positions(raw_lines)
    section: tuple[Counted, bool | None] | None = None
    in_list = False
    in_discussion = False
    for number, raw in enumerate(raw_lines, start=1):
        if number not in kept:
            continue
        line = raw.strip()
        if not result.subject and (line.lower().startswith("subject:") or "[result]" in line.lower()):
            result.subject = line.partition(":")[2].strip() if line.lower().startswith("subject:") else line
        fingerprint = _FINGERPRINT.search(line)
        if fingerprint:
            result.fingerprint = fingerprint.group("value")
            result.roles[number] = "fingerprint"
            continue
        found = _URL.findall(line) + [m.group("ref") for m in _SHORT_REF.finditer(line)]
        result.links += [text for text in found if "://" in text]
        result.refs += [text for text in found if "://" not in text]
        in_discussion = "discuss" in line.lower() or (
            in_discussion and (not line or bool(_BULLET.match(line)))
        )
        if in_discussion:
            result.discussion_links += found
        elif "thread" in line.lower():
            result.thread_links += found
        if _MAIL_WORDS.search(line):
            result.says_mail = True
        if not line:
            if in_list:
                section, in_list = None, False
            continue
        count_line = _COUNT_LINE.match(line)
        if count_line:
            value = value_of(count_line.group("value"))
            if value is not None:
                count = int(count_line.group("count"))
                kind = _binding_word(count_line.group("kind"))
                inner = _count(count_line.group("inner"))
                total = count if kind is None else None
                binding = count if kind is True else None
                non = count if kind is False else None
                if inner is not None:
                    if _binding_word(count_line.group("inner_kind")):
                        binding = inner
                    else:
                        non = inner
                result.counts.append(StatedCount(value, total, binding, non, number, line))
                result.roles[number] = f"count {LABELS[value]}"
                section, in_list = None, False
                continue
        label = _LABEL.match(line)
        if label and (value := value_of(label.group("value"))) is not None:
            binding = _binding_word(label.group("pre") or label.group("post"))
            rest = label.group("rest").strip()
            result.listed.add(value)
            result.roles[number] = f"list {LABELS[value]}"
            section, in_list = (value, binding), False
            if rest:
                _inline_list(result, rest, value, binding, number)
                section = None
            continue
        if section is not None:
            value, binding = section
            body = _BULLET.sub("", line)
            if _NONE.match(body):
                result.empty.add(value)
                result.roles[number] = f"list {LABELS[value]}"
                in_list = True
                continue
            voter = parse_voter(body, value, number, binding, strict=not _BULLET.match(line))
            if voter is not None:
                result.voters.append(voter)
                result.roles[number] = f"list {LABELS[value]}"
                in_list = True
                continue
            if _is_prose(body) and not _BULLET.match(line):
                section, in_list = None, False  # the list ended without a blank line
            else:
                result.unreadable.append((number, one_line(line)))
                result.roles[number] = f"list {LABELS[value]}"
                in_list = True
                continue
        value_name = _VALUE_NAME.match(line)
        if value_name and (value := value_of(value_name.group("value"))) is not None:
            voter = parse_voter(value_name.group("rest"), value, number, None)
            if voter is not None:
                result.voters.append(voter)
                result.listed.add(value)
                result.roles[number] = f"list {LABELS[value]}"
                continue
        if line.startswith("|"):
            if _table_row(result, line, number):
                continue
        _prose(result, line, number)
    if result.candidate == "":
        found = _CANDIDATE.findall(result.subject)
        if found:
            result.candidate = f"rc{found[-1]}"
    return result


def _rule(result: ResultText, line: str) -> None:
    if result.rule is None:
        for name, pattern in _RULES:
            if pattern.search(line):
                result.rule = name
                return


def _own_positions(lines: list[str]) -> set[int]:
    """The 1-based numbers of the author's own lines (no quoted reply, no signature)."""
    own = own_lines(lines)
    kept, at = set(), 0
    for number, line in enumerate(lines, start=1):
        if at < len(own) and line is own[at]:
            kept.add(number)
            at += 1
    return kept


_MD_ESCAPE = re.compile(r"\\(.)")


def _md_plain(cell: str) -> str:
    text = _MD_ESCAPE.sub(r"\1", cell.strip())
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def _table_row(result: ResultText, line: str, number: int) -> bool:
    """A Markdown totals row, '| +1 | 12 | 8 | Ada Lindqvist (binding), ... |'."""
    cells = [c for c in re.split(r"(?<!\\)\|", line.strip().strip("|"))]
    if len(cells) < 3:
        return False
    value = value_of(_md_plain(cells[0]))
    total, binding = _md_plain(cells[1]), _md_plain(cells[2])
    if value is None or not (total.isdigit() and binding.isdigit()):
        return False
    result.counts.append(StatedCount(value, int(total), int(binding), None, number, line))
    result.listed.add(value)
    result.roles[number] = f"count {LABELS[value]}"
    if len(cells) > 3:
        names = _md_plain(cells[3])
        if fold(names) == "none":
            result.empty.add(value)
        else:
            _inline_list(result, names, value, None, number, strict=False)
    return True


def _inline_list(
    result: ResultText, rest: str, value: Counted, binding: bool | None, number: int, *, strict: bool = True
) -> None:
    """'+1: Alice, Bob (binding)' or '-1: none' on the label's own line."""
    if _NONE.match(rest) or re.fullmatch(r"\(?\s*none\s*\)?\.?", rest, re.IGNORECASE):
        result.empty.add(value)
        return
    for part in _split_names(rest):
        voter = parse_voter(part, value, number, binding, strict=strict)
        if voter is None:
            result.unreadable.append((number, one_line(part)))
        else:
            result.voters.append(voter)


def _split_names(text: str) -> list[str]:
    """Names separated by commas or 'and', commas inside parentheses kept."""
    parts, depth, current = [], 0, ""
    for char in text:
        depth += char == "("
        depth -= char == ")"
        if char in ",;" and depth <= 0:
            parts.append(current)
            current = ""
        else:
            current += char
    parts.append(current)
    out: list[str] = []
    for part in parts:
        out += re.split(r"\s+and\s+", part.strip())
    return [p for p in (p.strip() for p in out) if p]


_RULE_LINE = re.compile(r"\bat\s+least\b|\btwice\s+as\s+many\b|\bveto", re.IGNORECASE)
"""A line that explains a rule ('at least 3 binding +1 and no binding -1'): its numbers are no count."""


_HYPOTHETICAL = re.compile(r"\bwithout\s+(?:it|them|those|these)\b[^.]*\bwould\b", re.IGNORECASE)
"""A line that says what the vote would be without some ballots ('Without them the vote would have
PASSED (8 binding +1, ...)'): its numbers and its outcome are not the result's."""


def _prose(result: ResultText, line: str, number: int) -> None:
    if _RULE_LINE.search(line):
        _rule(result, line)
        return
    if _HYPOTHETICAL.search(line):
        return
    result.counts += _stated_counts(line, number)
    for m in _NO_VALUE.finditer(line):
        for one in _ONE_VALUE.findall(m.group("values")):
            value = value_of(one)
            if value is not None:
                result.empty.add(value)
    _outcome(result, line, number)
    if result.outcome_line == number:
        result.roles[number] = "outcome"
    if _OPEN.search(line):
        result.final = False
    if not result.window_text and re.search(r"\bopen from\b", line, re.IGNORECASE):
        result.window_text = line
    _rule(result, line)
    found = _CANDIDATE.findall(line)
    if found and not result.candidate and "[result]" in line.lower():
        result.candidate = f"rc{found[-1]}"
