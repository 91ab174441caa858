"""The threshold meter: a pure function of the tally (plus the clock for the countdown)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from pendulum import DateTime
from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget

from tvm_vote_tui.domain.rules import WAITING_HEAD, Tally
from tvm_vote_tui.domain.text import one_line
from tvm_vote_tui.domain.times import closes_in, format_local


@dataclass(frozen=True)
class MeterInput:
    """Everything the meter shows, none of it copied: the tally and the session's window."""

    tally: Tally
    closes_at: DateTime | None
    """None for a draft, which has not opened."""
    closed: bool
    names: dict[str, str]
    window: str = ""
    """A draft's window in words ('7 days'): how long it runs once opened."""
    unjustified: tuple[str, ...] = ()
    """Names of binding voters whose -1 is a veto without a justification (not valid without one)."""

    @property
    def draft(self) -> bool:
        return self.closes_at is None


DRAFT_WORD = "DRAFT"


def status_style(tally: Tally, closed: bool, draft: bool = False) -> str:
    if closed or draft:
        return "bold reverse"
    return "bold white on dark_green" if tally.passes else "bold white on dark_red"


def bar(plus: int, target: int, width: int, *, blocked: bool = False) -> Text:
    """Binding +1 against what is needed (3, or twice the -1s, for the default rule); red when a
    veto blocks the vote, since no number of +1 is then enough."""
    width = max(width, 4)
    filled = width if target <= 0 else min(width, round(width * plus / target))
    text = Text()
    colour = "red" if blocked else "green" if plus >= target else "yellow"
    text.append("█" * filled, style=colour)
    text.append("░" * (width - filled), style="grey42")
    return text


def bar_label(tally: Tally) -> str:
    """' 2/3 +1' on the way, ' 7 +1 ≥ 4' once there (never '7/4'), or ' vetoed' when a binding
    -1 blocks the vote whatever the +1s."""
    if tally.votes_needed is None and not tally.passes:
        return " vetoed"
    plus, target = tally.binding.plus, tally.plus_target
    return f" {plus}/{target} +1" if plus < target else f" {plus} +1 ≥ {target}"


def waiting_names(tally: Tally, names: dict[str, str], limit: int = 12, room: int = 10_000) -> str:
    """The binding members who have not voted: at most `limit` names, in at most `room` characters."""
    if not tally.not_voted_count:
        return (
            "every binding member has voted"
            if tally.binding.cast
            else "no binding members on the roster (F3)"
        )
    total = tally.not_voted_count
    shown: list[str] = []
    for voter in tally.waiting(limit):
        candidate = ", ".join([*shown, names.get(voter, voter)])
        tail = f" and {total - len(shown) - 1:,} more" if total - len(shown) - 1 else ""
        if shown and len(candidate) + len(tail) > room:
            break
        shown.append(names.get(voter, voter))
    more = total - len(shown)
    return ", ".join(shown) + (f" and {more:,} more" if more else "")


def outcome_line(tally: Tally, closed: bool) -> str:
    """What is missing, or what can be absorbed; once closed, the result."""
    if closed:
        return f"Result: {tally.verdict(closed=True).word}"
    verdict = tally.verdict(closed=False)
    if verdict.note and tally.votes_needed is not None:  # a standing veto says it all already
        return f"{tally.margin}; {verdict.note}, but votes already cast can still change"
    return tally.margin


def unjustified_line(names: tuple[str, ...]) -> str:
    """What the meter says of vetoes without a justification, as the ballot path does ('' if none)."""
    if not names:
        return ""
    who = ", ".join(names)
    return f"Veto without a justification ({who}): not valid without one; enter on the row adds it"


def render_meter(data: MeterInput, now: DateTime, width: int, name_lines: int = 2) -> Text:
    tally, rule = data.tally, data.tally.rule
    b, nb = tally.binding, tally.non_binding
    out = Text()
    verdict = tally.verdict(data.closed)
    word = DRAFT_WORD if data.draft else verdict.word if not data.closed else verdict.text
    out.append(f" {word} ", style=status_style(tally, data.closed, data.draft))
    out.append("\n")
    if data.draft:
        out.append("Not open yet: ballots wait until it opens (F2, o)\n", style="bold")
    else:
        out.append(f"{outcome_line(tally, data.closed)}\n", style="bold")
    if data.unjustified:
        out.append(f"{one_line(unjustified_line(data.unjustified))}\n", style="bold red")
    out.append(f"{rule.label}\n", style="bold")
    out.append(f"{rule.description}\n", style="dim")
    out.append("Binding     ", style="bold")
    # Three columns of 7, 6 and 7 cells (32 in all with the label) up to 999 votes; a space always
    # follows a count, so a bigger one widens the line rather than running into the next.
    out.append(f"+1 {b.plus:<3} ", style="green")
    out.append(f"0 {b.zero:<3} ")
    out.append(f"-1 {b.minus:<3} \n", style="red")
    out.append("Non-binding ", style="dim")
    out.append(f"+1 {nb.plus:<3} 0 {nb.zero:<3} -1 {nb.minus:<3} \n", style="dim")
    label = bar_label(tally)
    blocked = tally.votes_needed is None and not tally.passes
    out.append_text(bar(b.plus, tally.plus_target, width - len(label), blocked=blocked))
    out.append(f"{label}\n")
    # A fixed number of lines at most (two, more on a tall screen), so the meter keeps its height
    # as votes come in (no re-layout per vote).
    label = f"Not voted ({tally.not_voted_count:,}): "
    out.append(label, style="bold")
    room = name_lines * width - len(label) - 4
    limit = min(6 * name_lines, WAITING_HEAD)  # the names a tally keeps at hand: no walk of the roster
    out.append(one_line(waiting_names(tally, data.names, limit=limit, room=room)) + "\n")
    if data.closed:
        out.append("Voting closed.", style="bold")
    elif data.closes_at is None:
        out.append(f"Runs {data.window} once opened.", style="bold cyan")
        out.append("\nIt opens when its [VOTE] is out.", style="dim")
    else:
        out.append(closes_in(data.closes_at, now), style="bold cyan")
        out.append(f"\n{format_local(data.closes_at)}", style="dim")
    return out


class ThresholdMeter(Widget):
    """Live view of whether the vote passes; updates its countdown every second."""

    DEFAULT_CSS = """
    ThresholdMeter {
        height: auto;
        padding: 0 1;
        border: round $primary;
        border-title-align: left;
    }
    """

    data: reactive[MeterInput | None] = reactive(None)
    """What to show; set by the screen from the session's tally, never computed here."""
    name_lines: reactive[int] = reactive(2)
    """Lines for the names of those who have not voted: more on a tall screen (set by the screen)."""

    def __init__(self, clock: Callable[[], DateTime], *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.clock = clock
        self.border_title = "Threshold"
        self._height = 0

    def on_mount(self) -> None:
        self.set_interval(1, self.refresh, name="countdown")

    def watch_name_lines(self) -> None:
        self.watch_data()

    def watch_data(self) -> None:
        """A vote repaints the meter; only a change in its height costs a new layout."""
        if not self.is_mounted:
            return
        height = len(self.render().wrap(self.app.console, self.content_size.width or 30))
        if height != self._height:
            self._height = height
            self.refresh(layout=True)

    def render(self) -> Text:
        if self.data is None:
            return Text("No session open.")
        return render_meter(self.data, self.clock(), self.content_size.width or 30, self.name_lines)
