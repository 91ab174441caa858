"""Add or edit a roster member in a modal form."""

from __future__ import annotations

from collections.abc import Sequence

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Checkbox, Input, Static

from tvm_vote_tui.app.widgets.modals import Dialog, field
from tvm_vote_tui.domain.roster import Member, member_problem
from tvm_vote_tui.domain.text import id_key, visible


class MemberForm(Dialog[Member | None]):
    """Fields of a member; dismisses with the new Member, or None when cancelled."""

    BINDINGS = [Binding("escape", "cancel", "Cancel"), Binding("ctrl+s", "save", "Save")]

    def __init__(self, member: Member | None, roster: Sequence[Member], *, allow_recused: bool) -> None:
        super().__init__()
        self.member = member or Member("", "")
        key = id_key(self.member.id)
        self.taken = [m.id for m in roster if not (self.member.id and id_key(m.id) == key)]
        self.allow_recused = allow_recused

    def compose(self) -> ComposeResult:
        m = self.member
        with Vertical():
            yield Static("Edit member" if m.id else "Add member", classes="title", markup=False)
            yield field("Id", m.id, id="id", placeholder="Apache id (required, unique)")
            yield field("Name", m.name, id="name", placeholder="Full name (required)")
            yield field("E-mail", m.email, id="email", placeholder="the main address")
            yield field("GitHub", m.github, id="github", placeholder="handle, if different from the id")
            with Horizontal(classes="buttons"):
                yield Checkbox("Binding (PMC member)", m.binding, id="binding", compact=True)
                if self.allow_recused:
                    yield Checkbox("Recused from this vote", m.recused, id="recused", compact=True)
            yield Static("", classes="error", id="error", markup=False)
            with Horizontal(classes="buttons"):
                yield Button("Cancel (esc)", id="cancel", compact=True)
                yield Button("Save (ctrl+s)", id="save", variant="primary", compact=True)

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
            emails=self.member.emails,
        )
        problem = member_problem(member, self.taken)
        if problem:
            self.query_one("#error", Static).update(visible(problem[0].upper() + problem[1:] + "."))
            return
        self.dismiss(member)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
