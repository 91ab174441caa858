"""What the ballot screen shows of each voter: the row's cells, the history line, the order of
the rows, and the index that finds a voter from part of a name (type-to-jump)."""

from __future__ import annotations

from collections.abc import Callable

from rich.text import Text

from tvm_vote_tui.app.widgets.ballot_table import Cells
from tvm_vote_tui.domain.model import Ballot, Member, Session
from tvm_vote_tui.domain.text import fold, one_line
from tvm_vote_tui.domain.times import local_zone
from tvm_vote_tui.domain.votes import Counted

VOTE_STYLE = {Counted.PLUS: "bold green", Counted.ZERO: "bold yellow", Counted.MINUS: "bold red"}


def voter_order(session: Session) -> list[str]:
    """Roster members in roster order, then other voters in the order they first voted."""
    order = [m.id for m in session.roster]
    known = set(order)
    for voter in session.latest():
        if voter not in known:
            known.add(voter)
            order.append(voter)
    return order


def standing(member: Member | None, voter: str, binding: frozenset[str]) -> str:
    if member is None:
        return "guest"
    if member.recused:
        return "recused"
    return "binding" if voter in binding else "non-binding"


def row_cells(member: Member | None, voter: str, latest: Ballot | None, binding: frozenset[str]) -> Cells:
    """What a voter's row shows: name, vote, standing, note (or a veto's justification), time."""
    vote: Text | str = "·"
    note, at = "", ""
    if latest is not None:
        at = latest.cast_at.in_timezone(local_zone()).format("HH:mm")
        if latest.vote is None:
            vote = Text("withdrawn", style="dim")  # "w/d" where the column is narrow
        else:
            vote = Text(one_line(latest.vote.text), style=VOTE_STYLE[latest.vote.counted])
        note = latest.justification or latest.note
    name = member.name if member else voter
    return (Text(one_line(name)), vote, standing(member, voter, binding), Text(one_line(note)), at)


def history_text(session: Session, voter: str, name: str) -> str:
    ballots = session.history(voter)
    if not ballots:
        return f"{name}: no ballot yet."
    parts = []
    for ballot in ballots:
        when = ballot.cast_at.in_timezone(local_zone()).format("MMM D HH:mm")
        what = ballot.vote.text if ballot.vote else "withdrawn"
        reasons = f"reasons: {ballot.justification}" if ballot.justification else ""
        words = "; ".join(part for part in (ballot.note, reasons) if part)
        extra = f" ({words})" if words else ""
        parts.append(f"{when} {what}{extra}")
    return f"{name} history: " + " → ".join(parts)


class JumpIndex:
    """Finds the voter a typed fragment means, ignoring case and accents ('zoe' finds Zoë),
    by name, id or GitHub handle: an exact full name, id or handle first, then a name's start,
    then a word's start, then a handle's start, then anywhere."""

    def __init__(self, order: list[str], members: dict[str, Member], names: dict[str, str]):
        self.order = order
        self.names = {v: fold(names.get(v, v)) for v in order}
        self.handles = {
            v: " ".join(fold(x) for x in (v, members[v].github if v in members else "") if x) for v in order
        }

    def _tests(self, fragment: str) -> list[Callable[[str], bool]]:
        names, handles = self.names, self.handles
        return [
            lambda v: names[v] == fragment or fragment in handles[v].split(),
            lambda v: names[v].startswith(fragment),
            lambda v: any(word.startswith(fragment) for word in names[v].split()),
            lambda v: any(h.startswith(fragment) for h in handles[v].split()),
            lambda v: fragment in names[v] or fragment in handles[v],
        ]

    def find(self, fragment: str) -> str | None:
        fragment = fold(fragment)
        if not fragment:
            return None
        for test in self._tests(fragment):
            found = next((v for v in self.order if test(v)), None)
            if found is not None:
                return found
        return None

    def count(self, fragment: str) -> int:
        """How many voters `fragment` matches at all (every way of matching is a match anywhere)."""
        fragment = fold(fragment)
        if not fragment:
            return 0
        names, handles = self.names, self.handles
        return sum(1 for v in self.order if fragment in names[v] or fragment in handles[v])

    def ranked(self, fragment: str) -> list[str]:
        """Every voter `fragment` matches, the best first (the one `find` gives), then in row order."""
        fragment = fold(fragment)
        if not fragment:
            return []
        tests = self._tests(fragment)
        found: dict[str, None] = {}
        for test in tests:
            found.update((v, None) for v in self.order if v not in found and test(v))
        return list(found)
