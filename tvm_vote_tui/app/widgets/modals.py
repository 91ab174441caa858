"""Small reusable modals: a yes/no confirmation, a choice among answers and a one-line text prompt.

Every dialog wraps its text and fits an 80x24 terminal: a long message scrolls inside the box."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from tvm_vote_tui.app.widgets.scroll import QuietScroll
from tvm_vote_tui.domain.text import visible

ResultType = TypeVar("ResultType")


class Dialog(ModalScreen[ResultType]):
    """A centred box over the current screen; the base of every modal here."""

    SCOPED_CSS = False  # these rules style the screen itself, not only its children
    DEFAULT_CSS = """
    Dialog { align: center middle; }
    Dialog > Vertical {
        width: 72; max-width: 100%; height: auto; max-height: 100%;
        border: thick $primary; background: $surface; padding: 0 1;
    }
    Dialog .message { height: auto; max-height: 12; }
    Dialog .title { text-style: bold; margin-bottom: 1; width: 100%; }
    Dialog .field { height: 1; margin-bottom: 1; }
    Dialog .field > Label { width: 9; color: $text-muted; }
    Dialog .field > Input { width: 1fr; background: $boost; }
    Dialog #answer { margin-bottom: 1; background: $boost; }
    Dialog .field > Input:focus, Dialog #answer:focus { background: $primary 25%; }
    Dialog .error { color: $error; height: auto; }
    Dialog .hint { color: $text-muted; height: auto; }
    Dialog Horizontal.buttons { height: auto; align-horizontal: right; margin-top: 1; }
    Dialog Horizontal.buttons Button { margin-left: 1; }
    """


def field(label: str, value: str, *, id: str, placeholder: str = "") -> Horizontal:
    """A labelled one-line input, so a field that holds a value still says what it is."""
    return Horizontal(
        Label(label), Input(visible(value), placeholder=placeholder, id=id, compact=True), classes="field"
    )


class ConfirmModal(Dialog[bool | None]):
    """Ask a yes/no question: `y` answers yes, `n` no, escape cancels (None), so a dialog whose
    "no" also does something (records a guest) does nothing on escape."""

    BINDINGS = [
        Binding("y", "answer(True)", "Yes"),
        Binding("n", "answer(False)", "No"),
        Binding("escape", "answer(None)", "Cancel"),
    ]

    def __init__(self, question: str, *, yes: str = "Yes", no: str = "No") -> None:
        super().__init__()
        self.question, self.yes, self.no = question, yes, no

    def compose(self) -> ComposeResult:
        with Vertical():
            with QuietScroll(classes="message"):
                yield Static(visible(self.question, "\n"), classes="title", markup=False)
            with Horizontal(classes="buttons"):
                yield Button(f"{self.no} (n)", id="no", compact=True)
                yield Button(f"{self.yes} (y)", id="yes", variant="error", compact=True)

    def on_mount(self) -> None:
        self.query_one("#no", Button).focus()

    def action_answer(self, answer: bool | None) -> None:
        self.dismiss(answer)

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")


class TextPrompt(Dialog[str | None]):
    """Ask for one line of text, validated before it is accepted; escape cancels (None)."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(
        self,
        title: str,
        *,
        value: str = "",
        placeholder: str = "",
        hint: str = "",
        validate: Callable[[str], str | None] | None = None,
    ) -> None:
        super().__init__()
        self.title_text, self.value, self.placeholder, self.hint = title, value, placeholder, hint
        self.check = validate or (lambda text: None if text.strip() else "This cannot be empty.")

    def compose(self) -> ComposeResult:
        with Vertical():
            with QuietScroll(classes="message"):
                yield Static(visible(self.title_text, "\n"), classes="title", markup=False)
            yield Input(visible(self.value), placeholder=self.placeholder, id="answer", compact=True)
            yield Static("", classes="error", id="error", markup=False)
            if self.hint:
                yield Static(visible(self.hint), classes="hint", markup=False)
            with Horizontal(classes="buttons"):
                yield Button("Cancel (esc)", id="cancel", compact=True)
                yield Button("OK (enter)", id="ok", variant="primary", compact=True)

    @on(Input.Submitted)
    @on(Button.Pressed, "#ok")
    def _submit(self) -> None:
        text = self.query_one("#answer", Input).value
        problem = self.check(text)
        if problem:
            self.query_one("#error", Static).update(problem)
            return
        self.dismiss(text.strip())

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)


class ChoiceModal(Dialog[str | None]):
    """Pick one of several answers, each a line of text under the question: enter chooses the
    highlighted one, escape none (None)."""

    DEFAULT_CSS = "ChoiceModal OptionList { height: auto; max-height: 10; margin-bottom: 1; }"
    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, question: str, choices: list[tuple[str, str]], *, hint: str = "") -> None:
        super().__init__()
        self.question, self.choices, self.hint = question, choices, hint

    def compose(self) -> ComposeResult:
        with Vertical():
            with QuietScroll(classes="message"):
                yield Static(visible(self.question, "\n"), classes="title", markup=False)
            yield OptionList(*(Option(Content(visible(label)), id=key) for key, label in self.choices))
            yield Static(visible(self.hint or "↑/↓ and enter choose; escape chooses nothing"), classes="hint")

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)
