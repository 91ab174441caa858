"""The meter in large type, for a shared screen or a projector during the meeting."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Center, Horizontal, Vertical
from textual.widgets import Digits, Label, Static

from tvm_vote_tui.app.screens.ballots import meter_input
from tvm_vote_tui.app.screens.base import VoteScreen
from tvm_vote_tui.app.widgets.meter import DRAFT_WORD, MeterInput, bar, outcome_line, waiting_names
from tvm_vote_tui.domain.text import one_line
from tvm_vote_tui.domain.times import closes_in, format_local


class MeterScreen(VoteScreen):
    NAME = "meter"

    def compose_body(self) -> ComposeResult:
        with Vertical(id="big"):
            yield Center(Static(id="big-status", markup=False))
            yield Center(Static(id="big-title", markup=False))
            with Horizontal(id="big-counts"):
                for name, label in (("plus", "+1 binding"), ("zero", "0 binding"), ("minus", "-1 binding")):
                    with Vertical(classes="count"):
                        yield Center(Digits("0", id=f"big-{name}"))
                        yield Label(label)
            yield Center(Static(id="big-bar"))
            yield Static(id="big-outcome", classes="line", markup=False)
            yield Static(id="big-rule", classes="line", markup=False)
            yield Static(id="big-countdown", classes="line", markup=False)
            yield Static(id="big-waiting", classes="line", markup=False)

    def on_mount(self) -> None:
        self.refresh_view()
        self.set_interval(1, self._tick, name="countdown")

    def refresh_view(self, voter: str | None = None) -> None:
        data = meter_input(self.session)
        tally = data.tally
        status = self.query_one("#big-status", Static)
        status.update(f" {DRAFT_WORD if data.draft else tally.verdict(data.closed).text} ")
        status.set_classes("draft" if data.draft else "passing" if tally.passes else "failing")
        self.query_one("#big-title", Static).update(one_line(self.session.proposal.title))
        self.query_one("#big-plus", Digits).update(f"{tally.binding.plus}")
        self.query_one("#big-zero", Digits).update(f"{tally.binding.zero}")
        self.query_one("#big-minus", Digits).update(f"{tally.binding.minus}")
        target = tally.plus_target
        blocked = tally.votes_needed is None and not tally.passes
        line = bar(tally.binding.plus, target, 40, blocked=blocked)
        line.append(
            "  vetoed: no number of +1 is enough"
            if blocked
            else f"  {tally.binding.plus} of {target} binding +1"
        )
        self.query_one("#big-bar", Static).update(line)
        self.query_one("#big-outcome", Static).update(
            "Not open yet: ballots wait until it opens (F2, o)."
            if data.draft
            else outcome_line(tally, data.closed)
        )
        nb = tally.non_binding
        rule = tally.rule
        reading = f"\nApplies the {rule.reading}." if rule.reading else ""
        self.query_one("#big-rule", Static).update(
            f"{rule.title} ({rule.name}): {rule.description}{reading}\n"
            f"Non-binding: +1 {nb.plus} · 0 {nb.zero} · -1 {nb.minus}"
        )
        self.query_one("#big-waiting", Static).update(
            one_line(f"Not voted ({tally.not_voted_count}): {waiting_names(tally, data.names, limit=30)}")
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
