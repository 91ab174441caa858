"""Add or edit a roster member in a modal form."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Checkbox, Input, Label, Static

from tvm_vote_tui.app.widgets.modals import Dialog
from tvm_vote_tui.domain.model import Member


def member_problem(member: Member, taken: set[str]) -> str | None:
    """Why a member cannot be saved, or None: id unique and without spaces, name required."""
    if not member.id:
        return "Id is required (the person's Apache id, e.g. tqchen)."
    if any(ch.isspace() for ch in member.id):
        return "Id cannot contain spaces."
    if member.id in taken:
        return f"Id {member.id!r} is already on this roster."
    if not member.name:
        return "Name is required."
    return None


class MemberForm(Dialog[Member | None]):
    """Fields of a member; dismisses with the new Member, or None when cancelled."""

    DEFAULT_CSS = """
    MemberForm Input { margin-bottom: 0; }
    MemberForm Label { margin-top: 0; }
    """
    BINDINGS = [Binding("escape", "cancel", "Cancel"), Binding("ctrl+s", "save", "Save")]

    def __init__(self, member: Member | None, taken: set[str], *, allow_recused: bool) -> None:
        super().__init__()
        self.member = member or Member("", "")
        self.taken = taken - {self.member.id}
        self.allow_recused = allow_recused

    def compose(self) -> ComposeResult:
        m = self.member
        with Vertical():
            yield Label("Edit member" if m.id else "Add member", classes="title")
            yield Input(m.id, placeholder="Apache id (required, unique)", id="id")
            yield Input(m.name, placeholder="Full name (required)", id="name")
            yield Input(m.email, placeholder="E-mail", id="email")
            yield Input(m.github, placeholder="GitHub handle, if different from the id", id="github")
            with Horizontal(classes="buttons"):
                yield Checkbox("Binding (PMC member)", m.binding, id="binding")
                if self.allow_recused:
                    yield Checkbox("Recused from this vote", m.recused, id="recused")
            yield Static("", classes="error", id="error", markup=False)
            with Horizontal(classes="buttons"):
                yield Button("Cancel (esc)", id="cancel")
                yield Button("Save (ctrl+s)", id="save", variant="primary")

    def _value(self, field: str) -> str:
        return self.query_one(f"#{field}", Input).value.strip()

    @on(Input.Submitted)
    @on(Button.Pressed, "#save")
    def action_save(self) -> None:
        member = Member(
            id=self._value("id"),
            name=self._value("name"),
            email=self._value("email"),
            binding=self.query_one("#binding", Checkbox).value,
            github=self._value("github"),
            recused=self.allow_recused and self.query_one("#recused", Checkbox).value,
        )
        problem = member_problem(member, self.taken)
        if problem:
            self.query_one("#error", Static).update(problem)
            return
        self.dismiss(member)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
