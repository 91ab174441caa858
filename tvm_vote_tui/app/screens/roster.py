"""The roster of voters: the shared one new sessions copy, or the open session's own snapshot."""

from __future__ import annotations

from rich.markup import escape
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.reactive import reactive
from textual.widgets import DataTable, Footer, Input, Static

from tvm_vote_tui.app.screens.base import VoteScreen
from tvm_vote_tui.app.screens.roster_import import RosterImport
from tvm_vote_tui.app.widgets.member_form import MemberForm
from tvm_vote_tui.app.widgets.modals import ConfirmModal
from tvm_vote_tui.app.widgets.nav import ScreenNav
from tvm_vote_tui.app.widgets.title_bar import TitleBar
from tvm_vote_tui.domain.model import Member
from tvm_vote_tui.store.format import SessionFileError
from tvm_vote_tui.store.sessions import StoreError

SHARED = "shared"
SESSION = "session"


def yes_no(flag: bool) -> str:
    return "yes" if flag else "no"


def matches(member: Member, text: str) -> bool:
    needle = text.casefold().strip()
    hay = " ".join((member.name, member.id, member.github, member.email)).casefold()
    return all(part in hay for part in needle.split())


class RosterScreen(VoteScreen):
    NAME = "roster"
    BINDINGS = [
        Binding("a", "add", "Add"),
        Binding("e", "edit", "Edit"),
        Binding("delete,x", "delete", "Delete"),
        Binding("space", "toggle_binding", "Binding", tooltip="Toggle binding yes/no"),
        Binding("r", "toggle_recused", "Recused", tooltip="Toggle recused (this session only)"),
        Binding(
            "t", "switch_roster", "Shared/session", tooltip="Switch between the shared and session roster"
        ),
        Binding(
            "c", "copy_to_shared", "Copy to shared", tooltip="Copy this session's roster to the shared roster"
        ),
        Binding("i", "import", "Import", tooltip="Import from CSV, TOML or committee-info.json"),
        Binding("slash", "filter", "Filter"),
        Binding("escape", "table", "Table", show=False),
    ]

    editing: reactive[str] = reactive(SHARED, bindings=True)
    """Which roster the screen edits: SHARED or SESSION."""

    def __init__(self) -> None:
        super().__init__()
        self.shared: list[Member] = []
        self.shared_error = ""

    def compose(self) -> ComposeResult:
        yield TitleBar()
        yield ScreenNav(self.NAME)
        yield Static(id="which")
        yield Input(placeholder="Filter by name, id, GitHub or e-mail  ( / )", id="filter")
        table: DataTable[str] = DataTable(id="members", cursor_type="row", zebra_stripes=True)
        table.add_columns("Name", "Id", "GitHub", "E-mail", "Binding", "Recused")
        yield table
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self._load_shared()
        self.set_reactive(RosterScreen.editing, SESSION if self.vote_app.current else SHARED)
        self.refresh_view()
        self.query_one("#members", DataTable).focus()

    def _load_shared(self) -> None:
        try:
            self.shared = self.vote_app.store.load_roster()
            self.shared_error = ""
        except (SessionFileError, StoreError) as err:
            self.shared, self.shared_error = [], str(err)

    @property
    def members(self) -> list[Member]:
        return self.current.session.roster if self.editing == SESSION else self.shared

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        editing_locked = self.editing == SESSION and self.locked
        if action in ("add", "edit", "delete", "toggle_binding", "import") and editing_locked:
            return False
        if action == "toggle_recused":
            return self.editing == SESSION and not self.locked
        if action == "copy_to_shared":
            return self.editing == SESSION
        if action == "switch_roster":
            return self.vote_app.current is not None
        return True

    def watch_editing(self) -> None:
        if self.is_mounted:
            self.refresh_view()
            self.refresh_bindings()

    def refresh_view(self, voter: str | None = None) -> None:
        which = self.query_one("#which", Static)
        if self.editing == SESSION:
            title = escape(self.current.session.proposal.title)
            locked = f"\n[b]{escape(self.notice())}[/b]" if self.locked else ""
            which.update(
                f"[b reverse] SESSION ROSTER [/] of [b]{title}[/b]: a snapshot taken when the session "
                f"was created; edits here change this vote only.  [dim](t: shared roster)[/dim]{locked}"
            )
        else:
            note = f"  [red]{self.shared_error}[/red]" if self.shared_error else ""
            which.update(
                "[b reverse] SHARED ROSTER [/] copied by new sessions; edits here never change an "
                f"existing vote.{note}"
            )
        table = self.query_one("#members", DataTable)
        cursor = table.cursor_row
        table.clear()
        text = self.query_one("#filter", Input).value
        for member in self.members:
            if matches(member, text):
                table.add_row(
                    Text(member.name),
                    Text(member.id),
                    Text(member.github),
                    Text(member.email),
                    yes_no(member.binding),
                    yes_no(member.recused),
                    key=member.id,
                )
        if table.row_count:
            table.move_cursor(row=min(max(cursor, 0), table.row_count - 1))
        table.border_title = f"{table.row_count} of {len(self.members)} members"

    def _highlighted(self) -> Member | None:
        table = self.query_one("#members", DataTable)
        if not table.row_count:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return next((m for m in self.members if m.id == key), None)

    def _changed(self, detail: str) -> None:
        """Persist the roster being edited and log the change when it is the session's."""
        if self.editing == SESSION:
            self.current.session.append_log("roster", detail, self.vote_app.clock())
            self.vote_app.commit()
            return
        try:
            self.vote_app.store.save_roster(self.shared)
        except OSError as err:
            self.notify(f"Could not save the shared roster: {err}", severity="error")
        self.refresh_view()

    def _select(self, member_id: str) -> None:
        table = self.query_one("#members", DataTable)
        try:
            table.move_cursor(row=table.get_row_index(member_id))
        except Exception:  # filtered out: nothing to highlight
            pass

    # -- actions ---------------------------------------------------------------------------

    def action_add(self) -> None:
        def added(member: Member | None) -> None:
            if member is not None:
                self.members.append(member)
                self._changed(f"added {member.name} ({member.id}), binding {yes_no(member.binding)}")
                self._select(member.id)

        taken = {m.id for m in self.members}
        self.app.push_screen(MemberForm(None, taken, allow_recused=self.editing == SESSION), added)

    def action_edit(self) -> None:
        member = self._highlighted()
        if member is None:
            return

        def edited(new: Member | None) -> None:
            if new is None or new == member:
                return
            if new.id != member.id and self.editing == SESSION and self.current.session.history(member.id):
                self.notify("This member has ballots in this vote; their id cannot change.", severity="error")
                return
            index = self.members.index(member)
            self.members[index] = new
            self._changed(f"edited {member.id}: {member} -> {new}")
            self._select(new.id)

        taken = {m.id for m in self.members}
        self.app.push_screen(MemberForm(member, taken, allow_recused=self.editing == SESSION), edited)

    @on(DataTable.RowSelected)
    def _row_selected(self) -> None:
        if self.check_action("edit", ()):
            self.action_edit()

    def action_delete(self) -> None:
        member = self._highlighted()
        if member is None:
            return
        warning = ""
        if self.editing == SESSION and self.current.session.history(member.id):
            warning = " Their ballots stay in the history but will count as non-binding."

        def confirmed(yes: bool | None) -> None:
            if yes:
                self.members.remove(member)
                self._changed(f"removed {member.name} ({member.id})")

        self.app.push_screen(
            ConfirmModal(
                f"Remove {member.name} ({member.id}) from the {self.editing} roster?" + warning, yes="Remove"
            ),
            confirmed,
        )

    def action_toggle_binding(self) -> None:
        member = self._highlighted()
        if member is not None:
            member.binding = not member.binding
            self._changed(f"{member.id}: binding {yes_no(member.binding)}")

    def action_toggle_recused(self) -> None:
        member = self._highlighted()
        if member is not None and self.editing == SESSION:
            member.recused = not member.recused
            self._changed(f"{member.id}: recused {yes_no(member.recused)}")

    def action_switch_roster(self) -> None:
        if self.vote_app.current is not None:
            self._load_shared()
            self.editing = SHARED if self.editing == SESSION else SESSION

    def action_copy_to_shared(self) -> None:
        session_roster = self.current.session.roster

        def confirmed(yes: bool | None) -> None:
            if not yes:
                return
            self.shared = [Member(m.id, m.name, m.email, m.binding, m.github) for m in session_roster]
            try:
                self.vote_app.store.save_roster(self.shared)
            except OSError as err:
                self.notify(f"Could not save the shared roster: {err}", severity="error")
                return
            self.notify(f"Shared roster replaced by this session's {len(self.shared)} members.")

        self.app.push_screen(
            ConfirmModal(
                f"Replace the shared roster ({len(self.shared)} members) with this session's roster "
                f"({len(session_roster)} members)? Existing sessions are not affected.",
                yes="Replace",
            ),
            confirmed,
        )

    def action_import(self) -> None:
        def imported(members: list[Member] | None) -> None:
            if members:
                self.members.extend(members)
                self._changed(f"imported {len(members)} members: {', '.join(m.id for m in members)}")
                self.notify(f"Added {len(members)} members.")

        self.app.push_screen(RosterImport(list(self.members)), imported)

    def action_filter(self) -> None:
        self.query_one("#filter", Input).focus()

    def action_table(self) -> None:
        self.query_one("#members", DataTable).focus()

    @on(Input.Changed, "#filter")
    def _filter(self) -> None:
        self.refresh_view()

    @on(Input.Submitted, "#filter")
    def _filter_done(self) -> None:
        self.action_table()
