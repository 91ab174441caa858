"""Pick the rule of the session, each with its description."""

from __future__ import annotations

from collections.abc import Callable

from rich.console import Group
from rich.padding import Padding
from rich.text import Text
from textual import on
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Label, OptionList, Static
from textual.widgets.option_list import Option

from tvm_vote_tui.app.widgets.modals import ConfirmModal, Dialog
from tvm_vote_tui.domain.model import Session
from tvm_vote_tui.domain.rules import RULES, Rule
from tvm_vote_tui.domain.text import plural


def rule_prompt(rule: Rule, current: bool) -> Group:
    """The rule's name, and its description under it, indented on every line it wraps to."""
    name = Text(f"{'● ' if current else '  '}{rule.label} ({rule.name})")
    return Group(name, Padding(Text(rule.description), (0, 0, 0, 4)))


class RulePicker(Dialog[str | None]):
    DEFAULT_CSS = "RulePicker > Vertical { width: 90; } RulePicker OptionList { height: auto; }"
    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, current: str) -> None:
        super().__init__()
        self.current = current

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label("Rule for this vote", classes="title")
            options = [Option(rule_prompt(r, r.name == self.current), id=r.name) for r in RULES.values()]
            yield OptionList(*options, id="rules")
            yield Static("enter chooses, escape keeps the rule", classes="hint", markup=False)

    def on_mount(self) -> None:
        rules = self.query_one("#rules", OptionList)
        rules.highlighted = list(RULES).index(self.current)
        rules.focus()

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)


def confirm_rule_change(app: App[None], session: Session, rule: str, then: Callable[[bool], None]) -> None:
    """Changing the rule of a vote that already has ballots changes what they add up to: ask."""
    votes = sum(1 for ballot in session.latest().values() if ballot.vote is not None)
    if not votes or rule == session.proposal.rule:
        then(True)
        return
    app.push_screen(
        ConfirmModal(
            f"{plural(votes, 'voter has', 'voters have')} already voted under {session.proposal.rule}. "
            f"Change its rule to {rule}? {session.rule_effect(rule)}. "
            "The change and when it was made go into the audit log.",
            yes="Change the rule",
        ),
        lambda yes: then(bool(yes)),
    )
