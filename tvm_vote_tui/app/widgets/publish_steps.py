"""F6 `p`: the [RESULT] as TVM publishes it, step by step, before anything is posted: each step
done (with its URL), to do (a checkbox: space leaves it out or takes it back), or not possible now
(and why). ctrl+s goes on to show each chosen step exactly as it is posted; escape posts nothing.
The dialog answers the names of the steps chosen, or None."""

from __future__ import annotations

from dataclasses import dataclass

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Button, Checkbox, Static

from tvm_vote_tui.app.widgets.modals import Dialog
from tvm_vote_tui.domain.text import one_line


@dataclass(frozen=True)
class StepLine:
    """One result step as the dialog shows it."""

    name: str
    label: str
    where: str
    done_url: str = ""
    """Its URL when it is done and recorded."""
    why_not: str = ""
    """Why it cannot be done now ('' when it can)."""


class PublishSteps(Dialog[tuple[str, ...] | None]):
    """The result steps, the ones still to do checked; ctrl+s shows the chosen ones one by one."""

    DEFAULT_CSS = """
    PublishSteps > Vertical { width: 78; }
    PublishSteps Checkbox { height: auto; width: 100%; border: none; padding: 0; }
    PublishSteps .step { margin-bottom: 1; }
    """
    BINDINGS = [
        Binding("ctrl+s", "go", "Show the chosen", priority=True),
        Binding("escape", "cancel", "Cancel"),
    ]

    def __init__(self, heading: str, steps: list[StepLine]) -> None:
        super().__init__()
        self.heading, self.steps = heading, steps

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(one_line(self.heading), classes="title", markup=False)
            for number, step in enumerate(self.steps, start=1):
                text = one_line(f"{number}. {step.label}")
                if step.done_url:
                    yield Static(f"✓ {text}: done", markup=False)
                    yield Static(one_line(f"    {step.done_url}"), classes="hint step", markup=False)
                elif step.why_not:
                    yield Static(f"– {text}: not now", markup=False)
                    yield Static(one_line(f"    {step.why_not}"), classes="hint step", markup=False)
                else:
                    yield Checkbox(Content(text), True, id=f"step-{step.name}", compact=True)
                    yield Static(one_line(f"    {step.where}"), classes="hint step", markup=False)
            yield Static(
                "space leaves a step out or takes it back; ctrl+s shows each chosen step exactly as it "
                "is posted, to post or leave out; nothing is posted before that.",
                classes="hint",
                markup=False,
            )
            with Horizontal(classes="buttons"):
                yield Button("Cancel (esc)", id="cancel", compact=True)
                yield Button("Show the chosen steps (ctrl+s)", id="go", variant="primary", compact=True)

    def on_mount(self) -> None:
        boxes = self.query(Checkbox)
        (boxes.first() if boxes else self.query_one("#cancel", Button)).focus()

    def chosen(self) -> tuple[str, ...]:
        return tuple(box.id.removeprefix("step-") for box in self.query(Checkbox) if box.value and box.id)

    def action_go(self) -> None:
        self.dismiss(self.chosen())

    def action_cancel(self) -> None:
        self.dismiss(None)

    @on(Button.Pressed, "#go")
    def _go(self) -> None:
        self.action_go()

    @on(Button.Pressed, "#cancel")
    def _cancel(self) -> None:
        self.action_cancel()
