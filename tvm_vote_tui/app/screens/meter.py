"""The meter in large type, for a shared screen or a projector during the meeting."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Center, Horizontal, Vertical
from textual.widgets import Digits, Label, Static

from tvm_vote_tui.app.screens.ballots import meter_input
from tvm_vote_tui.app.screens.base import VoteScreen
from tvm_vote_tui.app.widgets.big_figure import BigFigure
from tvm_vote_tui.app.widgets.meter import (
    DRAFT_WORD,
    MeterInput,
    bar,
    outcome_line,
    unjustified_line,
    waiting_names,
)
from tvm_vote_tui.domain.text import one_line
from tvm_vote_tui.domain.times import closes_in, format_local

BIG = (110, 34)
"""From this size on (columns, rows), the meter uses the room: bigger figures, every name."""
ALL_NAMES = 500
"""How many names not voted a big screen lists (a real roster has fewer; a huge one is cut)."""


def plus_words(plus: int, target: int) -> str:
    """'2 of 3 binding +1 needed' on the way, '4 binding +1 (3 needed)' once there, never '4 of 3'."""
    if plus < target:
        return f"{plus} of {target} binding +1 needed"
    return f"{plus} binding +1 ({target} needed)"


class MeterScreen(VoteScreen):
    NAME = "meter"

    def compose_body(self) -> ComposeResult:
        with Vertical(id="big"):
            yield Center(Static(id="big-status", markup=False))
            yield Center(Static(id="big-title", markup=False))
            with Horizontal(id="big-counts"):
                for name, label in (("plus", "+1 binding"), ("zero", "0 binding"), ("minus", "-1 binding")):
                    with Vertical(classes=f"count {name}"):
                        yield Center(Digits("0", id=f"big-{name}"))
                        yield Center(BigFigure("0", id=f"huge-{name}"))
                        yield Label(label)
            yield Center(Static(id="big-bar"))
            yield Static(id="big-outcome", classes="line", markup=False)
            yield Static(id="big-rule", classes="line", markup=False)
            yield Static(id="big-countdown", classes="line", markup=False)
            yield Static(id="big-waiting", classes="line", markup=False)

    def on_mount(self) -> None:
        self._fit()
        self.refresh_view()
        self.set_interval(1, self._tick, name="countdown")

    def on_resize(self) -> None:
        if self._fit() and self.is_mounted:
            self.refresh_view()

    def _fit(self) -> bool:
        """A big screen (a projector, 120x40) gets figures seven rows high and every name not
        voted; returns whether that changed."""
        big = self.app.size.width >= BIG[0] and self.app.size.height >= BIG[1]
        changed = self.has_class("big") != big
        self.set_class(big, "big")
        return changed

    def refresh_view(self, voter: str | None = None) -> None:
        data = meter_input(self.session)
        tally = data.tally
        status = self.query_one("#big-status", Static)
        status.update(f" {DRAFT_WORD if data.draft else tally.verdict(data.closed).text} ")
        status.set_classes("draft" if data.draft else "passing" if tally.passes else "failing")
        self.query_one("#big-title", Static).update(one_line(self.session.proposal.title))
        b = tally.binding
        for name, count in (("plus", b.plus), ("zero", b.zero), ("minus", b.minus)):
            self.query_one(f"#big-{name}", Digits).update(f"{count}")
            self.query_one(f"#huge-{name}", BigFigure).update(f"{count:,}")
        target = tally.plus_target
        blocked = tally.votes_needed is None and not tally.passes
        line = bar(tally.binding.plus, target, 40, blocked=blocked)
        line.append(
            "  vetoed: no number of +1 is enough"
            if blocked
            else f"  {plus_words(tally.binding.plus, target)}"
        )
        self.query_one("#big-bar", Static).update(line)
        outcome = (
            "Not open yet: ballots wait until it opens (F2, o)."
            if data.draft
            else outcome_line(tally, data.closed)
        )
        if data.unjustified and not data.closed:
            outcome += f"\n{one_line(unjustified_line(data.unjustified))}"
        self.query_one("#big-outcome", Static).update(outcome)
        nb = tally.non_binding
        rule = tally.rule
        reading = f"\nApplies the {rule.reading}." if rule.reading else ""
        self.query_one("#big-rule", Static).update(
            f"{rule.title} ({rule.name}): {rule.description}{reading}\n"
            f"Non-binding: +1 {nb.plus} · 0 {nb.zero} · -1 {nb.minus}"
        )
        limit = ALL_NAMES if self.has_class("big") else 30
        self.query_one("#big-waiting", Static).update(
            one_line(
                f"Not voted ({tally.not_voted_count:,}): {waiting_names(tally, data.names, limit=limit)}"
            )
        )
        self._data = data
        self._tick()

    def _tick(self) -> None:
        data: MeterInput | None = getattr(self, "_data", None)
        if data is None:
            return
        if data.closed:
            text = "Voting closed."
        elif data.closes_at is None:
            text = f"Runs {data.window} once opened: it opens when its [VOTE] is out."
        else:
            text = f"{closes_in(data.closes_at, self.shell.clock())} · {format_local(data.closes_at)}"
        self.query_one("#big-countdown", Static).update(text)
