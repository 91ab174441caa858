"""The roster of voters: the shared one new sessions copy, or the open session's own snapshot."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.reactive import reactive
from textual.widgets import DataTable, Input, Static

from tvm_vote_tui.app import messages as msg
from tvm_vote_tui.app.controller import Edit, flag_words
from tvm_vote_tui.app.screens.base import VoteScreen
from tvm_vote_tui.app.screens.roster_import import RosterImport
from tvm_vote_tui.app.widgets.member_form import MemberForm
from tvm_vote_tui.app.widgets.modals import ConfirmModal
from tvm_vote_tui.domain.errors import ChangeRefused
from tvm_vote_tui.domain.roster import Member, roster_adding, roster_replacing, roster_without, yes_no
from tvm_vote_tui.domain.text import fold, one_line, plural
from tvm_vote_tui.store.format import SessionFileError
from tvm_vote_tui.store.sessions import StoreError

SHARED = "shared"
SESSION = "session"

Members = tuple[Member, ...]


def matches(member: Member, text: str) -> bool:
    """The filter: every word typed appears in the name, id, GitHub handle or e-mail."""
    hay = fold(" ".join((member.name, member.id, member.github, *member.addresses)))
    return all(part in hay for part in fold(text).split())


def cell_widths(width: int, members: Sequence[Member]) -> list[int]:
    """Room for name, id, GitHub and e-mail: each as wide as its longest value while they fit;
    when they do not, the widest give way first, so one long name never pushes the flags off."""
    room = max(width - 2 * 6 - 7 - 7, 24)  # six columns' padding, the two yes/no columns
    wanted = [
        max([len(header), *(len(one_line(getattr(m, field))) for m in members)])
        for header, field in (("Name", "name"), ("Id", "id"), ("GitHub", "github"), ("E-mail", "email"))
    ]
    while sum(wanted) > room and max(wanted) > 6:
        wanted[wanted.index(max(wanted))] -= 1
    return wanted


def clip(text: str, width: int) -> str:
    return text if len(text) <= width else text[: max(width - 1, 1)] + "…"


class RosterScreen(VoteScreen):
    NAME = "roster"
    AUTO_FOCUS = "#members"  # the table, never the filter: a key meant for the table filters nothing
    BINDINGS = [
        Binding("a", "add", "Add"),
        Binding("e", "edit", "Edit"),
        Binding("delete,x", "delete", "Delete"),
        Binding("space", "toggle_binding", "Binding", tooltip="Toggle binding yes/no"),
        Binding("r", "toggle_recused", "Recused", tooltip="Toggle recused (this session only)"),
        Binding("i", "import", "Import", tooltip="Import from CSV, TOML or committee-info.json"),
        Binding("slash", "filter", "Filter"),
        Binding("ctrl+z", "undo", "Undo", tooltip="Take back the last ballot or roster change"),
        # Listed by ? (and t by the banner): the footer keeps the keys of the main task at 80 columns.
        Binding(
            "t",
            "switch_roster",
            "Shared/session",
            tooltip="Switch between the shared and session roster",
            show=False,
        ),
        Binding(
            "c",
            "copy_to_shared",
            "Copy to shared",
            tooltip="Copy this session's roster to the shared roster",
            show=False,
        ),
        Binding("escape", "table", "Table", show=False),
    ]
    EXTRA_KEYS = (("enter", "edit the highlighted member (like e)"),)

    editing: reactive[str] = reactive(SHARED, bindings=True)
    """Which roster the screen edits: SHARED or SESSION."""

    def __init__(self) -> None:
        super().__init__()
        self.shared: Members = ()
        self.shared_error = ""
        self._filtering = False
        """`/` was pressed: typed text is the filter's until it loses the focus."""

    def compose_body(self) -> ComposeResult:
        yield Static(id="which", markup=False)
        yield Input(
            placeholder="Filter by name, id, GitHub or e-mail  ( / )",
            id="filter",
            compact=True,
            select_on_focus=False,
        )
        table: DataTable[object] = DataTable(id="members", cursor_type="row", zebra_stripes=True)
        table.add_columns("Name", "Id", "GitHub", "E-mail", "Binding", "Recused")
        yield table

    def on_mount(self) -> None:
        self._load_shared()
        self.set_reactive(RosterScreen.editing, SESSION if self.meeting.current else SHARED)
        self.refresh_view()
        self.query_one("#members", DataTable).focus()

    def _load_shared(self) -> None:
        try:
            self.shared = tuple(self.meeting.store.load_roster())
            self.shared_error = ""
        except (SessionFileError, StoreError) as err:
            self.shared, self.shared_error = (), str(err)

    @property
    def members(self) -> Members:
        return self.session.roster if self.editing == SESSION else self.shared

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "toggle_recused":
            return self.editing == SESSION
        if action in ("copy_to_shared", "undo"):
            return self.editing == SESSION
        if action == "switch_roster":
            return self.meeting.current is not None
        return True

    def watch_editing(self) -> None:
        if self.is_mounted:
            self.refresh_view()
            self.refresh_bindings()

    def on_resize(self) -> None:
        self.refresh_view()

    def refresh_view(self, voter: str | None = None) -> None:
        which = self.query_one("#which", Static)
        if self.editing == SESSION:
            text = Text()
            text.append(" SESSION ROSTER ", style="bold reverse")
            text.append(f" of {one_line(self.session.proposal.title)}: ", style="bold")
            text.append("a snapshot taken when the session was created; edits here change this vote only. ")
            text.append("(t: shared roster)", style="dim")
            which.update(text)
        else:
            text = Text()
            text.append(" SHARED ROSTER ", style="bold reverse")
            text.append(" copied by new sessions; edits here never change an existing vote.")
            if self.shared_error:
                text.append(f"  {one_line(self.shared_error)}", style="red")
            which.update(text)
        table = self.query_one("#members", DataTable)
        cursor = table.cursor_row
        table.clear()
        text_filter = self.query_one("#filter", Input).value
        widths = cell_widths(self.size.width, self.members)
        for member in self.members:
            if matches(member, text_filter):
                values = (member.name, member.id, member.github, member.email)
                table.add_row(
                    *(Text(clip(one_line(v), w)) for v, w in zip(values, widths, strict=True)),
                    yes_no(member.binding),
                    yes_no(member.recused),
                    key=member.id,
                )
        if table.row_count:
            table.move_cursor(row=min(max(cursor, 0), table.row_count - 1))
        table.border_title = f"{table.row_count} of {plural(len(self.members), 'member')}"

    def _highlighted(self) -> Member | None:
        table = self.query_one("#members", DataTable)
        if not table.row_count:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return next((m for m in self.members if m.id == key), None)

    def _change(self, on_session: Edit, on_shared: Callable[[Members], Members], done: str = "") -> None:
        """One roster change: through the session's method, or applied to the shared roster and saved."""
        if self.editing == SESSION:
            self.request(msg.EditSession(on_session, done))
            return
        try:
            members = on_shared(self.shared)
        except ChangeRefused as err:
            self.notify(str(err), severity="warning")
            return
        outcome = self.meeting.save_shared_roster(members)
        if not outcome.ok:
            self.notify(outcome.message, severity="error")
            return
        self.shared = members
        if done:
            self.notify(done)
        self.refresh_view()

    def _select(self, member_id: str) -> None:
        table = self.query_one("#members", DataTable)
        try:
            table.move_cursor(row=table.get_row_index(member_id))
        except Exception:  # filtered out: nothing to highlight
            pass

    # -- actions ---------------------------------------------------------------------------

    def _refused(self) -> bool:
        """The session's roster of a closed or read-only vote cannot change: say so at the key."""
        return self.editing == SESSION and self.refuse_if_locked()

    def action_add(self) -> None:
        if self._refused():
            return

        def added(member: Member | None) -> None:
            if member is None:
                return
            if self.editing == SESSION:
                self._change_member(
                    None,
                    member,
                    lambda ms: roster_adding(ms, member),
                    f"Add {member.name} ({member.id}) to this vote's roster? The ballots recorded "
                    f"under {member.id} become theirs",
                    "Add",
                )
            else:
                self._change(lambda s, at: s.add_member(member, at), lambda ms: roster_adding(ms, member))
            self.call_after_refresh(self._select, member.id)

        self.app.push_screen(MemberForm(None, self.members, allow_recused=self.editing == SESSION), added)

    def action_edit(self) -> None:
        member = self._highlighted()
        if member is None or self._refused():
            return

        def edited(new: Member | None) -> None:
            if new is None or new == member:
                return
            if self.editing == SESSION:
                self._change_member(
                    member,
                    new,
                    lambda ms: roster_replacing(ms, member.id, new),
                    f"Save the edit of {member.name} ({member.id}) in this vote? It changes whose "
                    "votes count how",
                    "Save",
                )
            else:
                self._change(
                    lambda s, at: s.update_member(member.id, new, at),
                    lambda ms: roster_replacing(ms, member.id, new),
                )
            self.call_after_refresh(self._select, new.id)

        self.app.push_screen(MemberForm(member, self.members, allow_recused=self.editing == SESSION), edited)

    @on(DataTable.RowSelected)
    def _row_selected(self) -> None:
        self.action_edit()

    def action_delete(self) -> None:
        member = self._highlighted()
        if member is None or self._refused():
            return
        question = f"Remove {member.name} ({member.id}) from the {self.editing} roster?"
        session = self.session if self.editing == SESSION else None
        if session is not None:
            if session.history(member.id):
                question += " Their ballots stay in the history but count as non-binding."
            if not session.is_draft:
                effect = session.roster_effect(roster_without(session.roster, member.id))[0]
                question += f" The count changes: {effect}."
            question += " ctrl+z undoes it."

        def confirmed(yes: bool | None) -> None:
            if not yes:
                return
            if self.editing == SESSION:
                self.request(msg.ChangeMember(member, None))
                return
            self._change(
                lambda s, at: s.remove_member(member.id, at), lambda ms: roster_without(ms, member.id)
            )

        self.app.push_screen(ConfirmModal(question, yes="Remove"), confirmed)

    def _change_member(
        self,
        old: Member | None,
        new: Member,
        roster_after: Callable[[Members], Members],
        question: str,
        yes: str,
    ) -> None:
        """Add or edit a member of the session's roster (ctrl+z undoes it): in an open vote where
        that moves a vote already cast (a guest's ballots become a member's, a member's stop being
        binding), it asks first, naming the person and what it does to the count."""
        request = msg.ChangeMember(old, new)
        session = self.session
        try:
            after = roster_after(session.roster)
        except ChangeRefused:
            after = None  # refused: the session says why
        effect, moves = session.roster_effect(after) if after is not None else ("", False)
        if not moves or session.is_draft:
            self.request(request)
            return

        def answered(answer: bool | None) -> None:
            if answer:
                self.request(request)

        self.app.push_screen(ConfirmModal(f"{question}: {effect}. ctrl+z undoes it.", yes=yes), answered)

    def action_toggle_binding(self) -> None:
        member = self._highlighted()
        if member is None or self._refused():
            return
        flag = not member.binding
        if self.editing == SESSION:
            self._set_flag(member, "binding", flag)
            return
        self._change(
            lambda s, at: s.set_binding(member.id, flag, at),
            lambda ms: roster_replacing(ms, member.id, replace(member, binding=flag)),
        )

    def action_toggle_recused(self) -> None:
        member = self._highlighted()
        if member is not None and self.editing == SESSION and not self._refused():
            self._set_flag(member, "recused", not member.recused)

    def _set_flag(self, member: Member, name: str, value: bool) -> None:
        """One key changes who counts: in a vote with ballots it asks first, naming the person and
        what it does to the count; either way ctrl+z takes it back and the app says what it did."""
        request = msg.SetRosterFlag(member.id, name, value)
        session = self.session
        if not session.current_votes():
            self.request(request)
            return
        effect = session.flag_effect(member.id, name, value)
        verb = f"Make {member.name} ({member.id}) {flag_words(name, value)}"
        if name == "recused":
            verb = f"Mark {member.name} ({member.id}) as {flag_words(name, value)}"

        def answered(yes: bool | None) -> None:
            if yes:
                self.request(request)

        self.app.push_screen(
            ConfirmModal(
                f"{verb} in this open vote? The count changes: {effect}. ctrl+z undoes it.",
                yes=f"Make {flag_words(name, value)}",
            ),
            answered,
        )

    def action_undo(self) -> None:
        self.request(msg.UndoBallot())

    def action_switch_roster(self) -> None:
        if self.meeting.current is not None:
            self._load_shared()
            self.editing = SHARED if self.editing == SESSION else SESSION

    def action_copy_to_shared(self) -> None:
        session_roster = self.session.roster

        def confirmed(yes: bool | None) -> None:
            if yes:
                self._save_as_shared(session_roster, "Shared roster replaced by this session's {}.")

        self.app.push_screen(
            ConfirmModal(
                f"Replace the shared roster ({plural(len(self.shared), 'member')}) "
                "with this session's roster "
                f"({plural(len(session_roster), 'member')})? Existing sessions are not affected.",
                yes="Replace",
            ),
            confirmed,
        )

    def _save_as_shared(self, members: Sequence[Member], said: str) -> None:
        """Make `members` the shared roster (recusals are per session), and say so with `said`."""
        kept = tuple(replace(m, recused=False) for m in members)
        outcome = self.meeting.save_shared_roster(kept)
        if not outcome.ok:
            self.notify(outcome.message, severity="error")
            return
        self.shared = kept
        self.notify(said.format(plural(len(kept), "member")))

    def action_import(self) -> None:
        if self._refused():
            return

        def imported(result: tuple[list[Member], str] | None) -> None:
            if not result:
                return
            members, source = result
            first = self.editing == SESSION and not self.session.roster and not self.shared

            def add_all(ms: Members) -> Members:
                for member in members:
                    ms = roster_adding(ms, member)
                return ms

            self._change(
                lambda s, at: s.add_members(members, source, at),
                add_all,
                f"Added {plural(len(members), 'member')}.",
            )
            if first and not self.shared_error:  # the first members of a vote, none shared yet
                self.app.call_later(self._offer_as_shared, members)  # after the import, in the queue

        self.app.push_screen(RosterImport(list(self.members)), imported)

    def _offer_as_shared(self, members: list[Member]) -> None:
        """The first roster imported into an empty vote, with no shared roster yet, is most likely
        the PMC: keep it for the next votes too (they start from the shared roster), if the
        manager says so."""
        if not all(self.session.member(m.id) for m in members):
            return  # the import was not recorded: nothing to keep

        def answered(yes: bool | None) -> None:
            self._load_shared()  # another instance may have saved one since
            said = "The shared roster now has these {}: new votes start with them."
            if yes and not self.shared and not self.shared_error:
                self._save_as_shared(members, said)

        self.app.push_screen(
            ConfirmModal(
                f"The shared roster, which every new vote starts with, is empty. Keep these "
                f"{plural(len(members), 'member')} as the shared roster too? (t shows it; c copies this "
                "vote's roster to it later.)",
                yes="Keep for new votes",
                no="Only this vote",
            ),
            answered,
        )

    def action_filter(self) -> None:
        self._filtering = True
        self.query_one("#filter", Input).focus()

    def on_key(self, event: events.Key) -> None:
        """Text typed right after `/` is the filter's, even the keys already on their way while the
        focus moves to it (Textual moves it after them): never a command key (i imports, r recuses)."""
        char = event.character or ""
        if len(char) != 1 or not char.isprintable():
            return
        if self._filtering:
            event.stop()
            event.prevent_default()
            self.query_one("#filter", Input).insert_text_at_cursor(char)
        elif char == "/" and not isinstance(self.focused, Input):
            # Taken here, not by the binding: the keys after it reach this handler in order, so
            # none of them can run a command before the filter has them.
            event.stop()
            event.prevent_default()
            self.action_filter()

    @on(Input.Blurred, "#filter")
    def _filter_left(self) -> None:
        self._filtering = False

    def action_table(self) -> None:
        self.query_one("#members", DataTable).focus()

    @on(Input.Changed, "#filter")
    def _filter(self) -> None:
        self.refresh_view()

    @on(Input.Submitted, "#filter")
    def _filter_done(self) -> None:
        self.action_table()
