"""Before anything is posted to GitHub: exactly what, and where, with the choice to post it
(ctrl+s), leave this step out (l, when it may be), or cancel (escape). Nothing is posted from
here: the dialog answers 'post', 'skip' or None."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, Static

from tvm_vote_tui.app.widgets.modals import Dialog
from tvm_vote_tui.domain.text import MULTILINE, one_line, visible

POST, SKIP = "post", "skip"


class PostPreview(Dialog[str | None]):
    """The exact text of one post, and where it goes; ctrl+s posts it."""

    DEFAULT_CSS = """
    PostPreview > Vertical { width: 100; }
    PostPreview #post-text { height: auto; max-height: 13; border: round $primary 50%; padding: 0 1; }
    PostPreview .where { height: auto; }
    """
    BINDINGS = [
        Binding("ctrl+s", "answer('post')", "Post", priority=True),
        Binding("l", "leave_out", "Leave out"),
        Binding("escape", "answer(None)", "Cancel"),
    ]

    def __init__(
        self, heading: str, where: str, text: str, *, leave_out: bool = False, note: str = ""
    ) -> None:
        super().__init__()
        self.heading, self.where, self.text = heading, where, text
        self.leave_out, self.note = leave_out, note

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(one_line(self.heading), classes="title", markup=False)
            where = one_line(f"Where: {self.where}. Exactly this is posted:")
            yield Static(where, classes="where", markup=False)
            with VerticalScroll(id="post-text"):
                yield Static(visible(self.text.rstrip("\n"), MULTILINE), markup=False)
            if self.note:
                yield Static(visible(self.note), classes="hint", markup=False)
            with Horizontal(classes="buttons"):
                yield Button("Cancel (esc)", id="cancel", compact=True)
                if self.leave_out:
                    yield Button("Leave out (l)", id="skip", compact=True)
                yield Button("Post to GitHub (ctrl+s)", id="post", variant="primary", compact=True)

    def on_mount(self) -> None:
        self.query_one("#post-text").focus()  # arrows and page keys scroll the text

    def action_answer(self, answer: str | None) -> None:
        self.dismiss(answer)

    def action_leave_out(self) -> None:
        if self.leave_out:
            self.dismiss(SKIP)

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss({"post": POST, "skip": SKIP}.get(event.button.id or ""))
