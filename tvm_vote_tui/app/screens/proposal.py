"""Drafting the proposal: title, kind, rule, summary, links, window, and the [VOTE] preview.

Fields are applied when they are left (or on ctrl+s), each through its Session method; a field
whose text means what is already stored changes nothing and logs nothing."""

from __future__ import annotations

from pendulum import DateTime
from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Input, Label, Select, Static, TabbedContent, TabPane, Tabs, TextArea

from tvm_vote_tui.app import messages as msg
from tvm_vote_tui.app.controller import Edit
from tvm_vote_tui.app.screens.base import VoteScreen
from tvm_vote_tui.app.screens.rule_picker import confirm_rule_change
from tvm_vote_tui.app.widgets.scroll import QuietScroll
from tvm_vote_tui.app.widgets.text_box import TextBox
from tvm_vote_tui.domain.model import (
    DEFAULT_LIST,
    MIN_WINDOW_HOURS,
    USUAL_WINDOW_DAYS,
    Kind,
    Proposal,
    Status,
    bad_links,
)
from tvm_vote_tui.domain.opening import Opening, PostVote
from tvm_vote_tui.domain.proposal import MAIL_ADDRESS
from tvm_vote_tui.domain.rules import RULES
from tvm_vote_tui.domain.text import MULTILINE, one_line, visible
from tvm_vote_tui.domain.thread_ref import DEFAULT_REPO, ThreadRefError, parse_repo
from tvm_vote_tui.domain.times import (
    TimeInputError,
    format_local,
    format_span,
    parse_span,
    parse_when,
    relative_words,
    span_words,
)
from tvm_vote_tui.publish.announce import announcement, announcement_subject


def rule_help(name: str) -> str:
    rule = RULES[name]
    text = f"{rule.label}: {rule.description}"
    if rule.reading:
        text += f"\nApplies the {rule.reading}."
    return text


def window_notes(proposal: Proposal, now: DateTime) -> tuple[str, str]:
    """(what the window is, a warning or '') for the hint and warning lines."""
    hours = proposal.window_hours
    if proposal.closes_at is None:
        info = (
            f"The vote runs {span_words(proposal.window)} from when it opens: when its [VOTE] is out, "
            "press o (no field focused) to open it."
        )
    else:
        info = (
            f"Closes {format_local(proposal.closes_at)} ({relative_words(proposal.closes_at, now)}); "
            f"the vote runs {span_words(proposal.window)}."
        )
    warning = ""
    if hours <= 0:
        warning = "⚠ The vote closes before it opens."
    elif hours < MIN_WINDOW_HOURS:
        warning = (
            f"⚠ Shorter than {MIN_WINDOW_HOURS} hours, the ASF minimum for a vote. "
            f"TVM usually runs votes for {USUAL_WINDOW_DAYS} days."
        )
    return info, warning


def links_problem(wrong: list[str]) -> str:
    if not wrong:
        return ""
    return (
        f"Not saved: not a URL (http:// or https://): {one_line(', '.join(wrong))}. "
        "The links saved before are kept until every line is a URL."
    )


def announcement_preview(proposal: Proposal) -> Text:
    """The subject, said apart, then the body ctrl+y copies."""
    text = Text()
    text.append("Subject: ", style="bold")
    text.append(announcement_subject(proposal), style="bold")
    text.append("   (the subject: not part of the text ctrl+y copies)\n\n", style="dim")
    text.append(visible(announcement(proposal), MULTILINE))
    return text


ARRIVAL_HINT = "Tab moves to the first field; each field is saved when you leave it (ctrl+s saves now)."


def _local(moment: DateTime | None) -> str:
    """A time in a field ('' for a draft's, which it has not yet)."""
    return format_local(moment) if moment is not None else ""


def link_lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


class ProposalScreen(VoteScreen):
    NAME = "proposal"
    AUTO_FOCUS = ""  # see on_mount
    BINDINGS = [
        Binding("o", "open_vote", "Open vote", tooltip="Open the vote: its [VOTE] is out, or it opens now"),
        Binding("ctrl+o", "toggle_preview", "Preview [VOTE]", tooltip="Show the announcement text"),
        Binding("ctrl+y", "copy", "Copy [VOTE]", tooltip="Copy the announcement to the clipboard"),
        Binding("ctrl+s", "apply", "Save fields"),
        Binding("escape", "leave_field", "Leave field", show=False),
        Binding("pagedown", "scroll_form('page_down')", "Page down", show=False),
        Binding("pageup", "scroll_form('page_up')", "Page up", show=False),
        Binding("end", "scroll_form('scroll_end')", "Bottom", show=False),
        Binding("home", "scroll_form('scroll_home')", "Top", show=False),
    ]
    EXTRA_KEYS = (
        ("pageup / pagedown / home / end", "scroll the form (or the preview) when no field has the focus"),
        ("tab / shift+tab", "next / previous field; a field is saved when you leave it"),
        ("escape", "leave the field (saved), so ? and the screen keys work again"),
    )

    def __init__(self) -> None:
        super().__init__()
        self._was_locked = False

    def action_scroll_form(self, how: str) -> None:
        """Scroll what is shown, the form or the [VOTE] preview, when no field takes the key."""
        tabs = self.query_one("#tabs", TabbedContent)
        scroll = self.query_one("#form" if tabs.active == "edit" else "#preview-scroll")
        getattr(scroll, f"action_{how}")()

    def action_leave_field(self) -> None:
        if self.focused is not None:
            self.set_focus(None)  # the field saves itself on blur, as when tab leaves it

    def compose_body(self) -> ComposeResult:
        p = self.session.proposal
        with TabbedContent(id="tabs"):
            with TabPane("Proposal", id="edit"), QuietScroll(id="form"):
                yield Static(ARRIVAL_HINT, classes="hint", id="arrival", markup=False)
                yield Label("Title (required)")
                yield Input(visible(p.title), id="title")
                yield Static(classes="error", id="title-error", markup=False)
                with Horizontal(classes="pair"):
                    with Vertical(classes="choice"):
                        yield Label("Kind")
                        yield Select(
                            [(k.label, k.value) for k in Kind],
                            value=p.kind.value,
                            allow_blank=False,
                            id="kind",
                        )
                    with Vertical(classes="choice"):
                        yield Label("Rule")
                        yield Select(
                            [(r.name, r.name) for r in RULES.values()],
                            value=p.rule,
                            allow_blank=False,
                            id="rule",
                        )
                yield Static(rule_help(p.rule), classes="hint", id="rule-help", markup=False)
                yield Label("Summary of the community conversation (markdown)")
                yield TextBox(visible(p.summary, MULTILINE), id="summary", soft_wrap=True)
                yield Label("Discussion links, one per line")
                yield TextBox(visible("\n".join(p.links), "\n"), id="links", soft_wrap=False)
                yield Static(classes="error", id="links-error", markup=False)
                with Vertical(id="draft-window"):
                    yield Label("Window: how long it runs once opened")
                    yield Input(format_span(p.window), id="window-length", placeholder="+7d, +72h, +1w2d")
                with Horizontal(classes="pair", id="opened-window"):
                    with Vertical(classes="when"):
                        yield Label("Opens at")
                        yield Input(_local(p.opens_at), id="opens", placeholder="now, 2026-12-01 17:00")
                    with Vertical(classes="when"):
                        yield Label("Closes at (+span counts from opening)")
                        yield Input(
                            _local(p.closes_at),
                            id="closes",
                            placeholder="+7d, +72h, 2026-12-08 17:00",
                        )
                yield Static(classes="error", id="time-error", markup=False)
                yield Static(classes="hint", id="window", markup=False)
                yield Static(classes="warning", id="window-warning", markup=False)
                yield Label("Mailing list (To of the mail files, F6)")
                yield Input(p.mailing_list, id="mailing-list", placeholder=DEFAULT_LIST)
                yield Static(classes="error", id="list-error", markup=False)
                yield Label("GitHub repository (where the app posts the \\[VOTE] and the \\[RESULT])")
                yield Input(p.repo, id="repo", placeholder=DEFAULT_REPO)
                yield Static(classes="error", id="repo-error", markup=False)
            with TabPane("\\[VOTE] announcement", id="preview"), VerticalScroll(id="preview-scroll"):
                yield Static(id="announcement", markup=False)

    def on_mount(self) -> None:
        """No field has the focus on arrival: a stray key (or `?` for help) never edits the title
        of a vote already announced. Tab starts editing."""
        self.refresh_view()
        self._lock_fields()
        self.query_one(Tabs).can_focus = False  # ctrl+o switches the tabs; Tab goes to the fields
        self.set_focus(None)

    def _lock_fields(self) -> None:
        """A closed or read-only vote shows its proposal, as recorded, and takes no edits (and the
        line above the fields says so, rather than how edits are saved)."""
        locked, was_locked = self.locked, self._was_locked
        self._was_locked = locked
        self.query_one("#arrival", Static).update(self._arrival_hint())
        self.query("Input, Select").set(disabled=locked)
        for area in self.query(TextArea):
            area.read_only = locked
        if locked or was_locked:  # closed, or just reopened: the fields show what is recorded
            self._show_recorded()

    def _arrival_hint(self) -> str:
        current = self.meeting.current
        if current is not None and current.read_only:
            return "Read-only here: another tvm-vote-tui holds this vote. The proposal as recorded."
        if self.session.is_closed:
            return "The vote is closed: the proposal as recorded, read-only. F8 reopens the vote."
        return ARRIVAL_HINT

    def _show_recorded(self) -> None:
        """Put the recorded values back in the fields (nothing typed while locked survives)."""
        p = self.session.proposal
        values = {
            "#title": visible(p.title),
            "#opens": _local(p.opens_at),
            "#closes": _local(p.closes_at),
            "#window-length": format_span(p.window),
            "#mailing-list": p.mailing_list,
            "#repo": p.repo,
        }
        for selector, value in values.items():
            field = self.query_one(selector, Input)
            if field.value != value:
                field.value = value
        for selector, text in (("#summary", visible(p.summary, MULTILINE)), ("#links", "\n".join(p.links))):
            area = self.query_one(selector, TextArea)
            if area.text != text:
                area.text = text

    def refresh_view(self, voter: str | None = None) -> None:
        p = self.session.proposal
        self._lock_fields()
        self._show_life(p)
        info, warning = window_notes(p, self.shell.clock())
        self.query_one("#window", Static).update(info)
        self.query_one("#window-warning", Static).update(warning)
        self.query_one("#announcement", Static).update(announcement_preview(p))
        self.query_one("#rule-help", Static).update(rule_help(p.rule))
        for select, value in (("#kind", p.kind.value), ("#rule", p.rule)):
            widget = self.query_one(select, Select)
            if widget.value != value:
                with widget.prevent(Select.Changed):
                    widget.value = value

    def _show_life(self, p: Proposal) -> None:
        """A draft shows its window as a length; once open, as the two times (filled in from the
        opening: the fields were empty while it was a draft)."""
        draft = p.is_draft
        self.query_one("#draft-window").display = draft
        opened = self.query_one("#opened-window")
        if not draft and not opened.display:
            for selector, value in (("#opens", _local(p.opens_at)), ("#closes", _local(p.closes_at))):
                self.query_one(selector, Input).value = value
        opened.display = not draft
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "open_vote":  # only a draft opens; shown only then
            return self.meeting.current is not None and self.session.is_draft
        if action == "apply" and self.locked:  # closed or read-only: no field to save, no key shown
            return False
        return True

    def action_open_vote(self) -> None:
        from tvm_vote_tui.app.screens.open_vote import OpenVoteDialog

        if self.refuse_if_locked() or not self.session.is_draft:
            return
        self.flush()
        session = self.session

        def chosen(opening: Opening | PostVote | None) -> None:
            if opening is None or self.meeting.session is not session:
                return
            if isinstance(opening, PostVote):
                self.shell.post_vote(opening.repo)  # shown first; it opens once posted
            else:
                self.request(msg.OpenVote(opening))

        self.app.push_screen(OpenVoteDialog(session.proposal, self.shell.clock), chosen)

    # -- applying fields -----------------------------------------------------------------

    def _edit(self, what: Edit) -> None:
        if not self.locked:
            self.request(msg.EditSession(what))

    def _apply_title(self) -> None:
        title = self.query_one("#title", Input).value.strip()
        error = self.query_one("#title-error", Static)
        if not title:
            error.update("A title is required; the last one is kept until you enter one.")
            return
        error.update("")
        if title != visible(self.session.proposal.title):
            self._edit(lambda s, at: s.set_title(title, at))

    def _apply_summary(self) -> None:
        summary = self.query_one("#summary", TextArea).text
        if summary != visible(self.session.proposal.summary, MULTILINE):
            self._edit(lambda s, at: s.set_summary(summary, at))

    def _apply_links(self) -> None:
        lines = link_lines(self.query_one("#links", TextArea).text)
        wrong = bad_links(lines)
        self.query_one("#links-error", Static).update(links_problem(wrong))
        if not wrong and tuple(lines) != self.session.proposal.links:
            self._edit(lambda s, at: s.set_links(lines, at))

    def _typed_window(self) -> tuple[DateTime, DateTime] | None:
        """The window typed in the two fields, or None (and why, on the error line)."""
        error = self.query_one("#time-error", Static)
        now = self.shell.clock()
        p = self.session.proposal
        typed_opens = self.query_one("#opens", Input).value
        typed_closes = self.query_one("#closes", Input).value
        try:  # a field left as shown keeps its stored time, seconds and all
            opens = p.opens_at if typed_opens == _local(p.opens_at) else None
            opens = opens or parse_when(typed_opens, now)
            closes = p.closes_at if typed_closes == _local(p.closes_at) and opens == p.opens_at else None
            closes = closes or parse_when(typed_closes, opens, now=now)
        except TimeInputError as err:
            error.update(str(err))
            return None
        if closes <= opens:
            error.update("Closes at must be after opens at.")
            return None
        error.update("")
        return opens, closes

    def _apply_window_length(self) -> None:
        """A draft's window: a length (`+7d`); shorter than 72 hours is warned about, not refused."""
        p = self.session.proposal
        field = self.query_one("#window-length", Input)
        if not p.is_draft or field.value.strip() == format_span(p.window):
            return
        try:
            window = parse_span(field.value)
        except TimeInputError as err:
            self.query_one("#time-error", Static).update(str(err))
            return
        self.query_one("#time-error", Static).update("")
        field.value = format_span(window)
        self._edit(lambda s, at: s.set_window_length(window, at))

    def _apply_mailing_list(self) -> None:
        typed = self.query_one("#mailing-list", Input).value.strip() or DEFAULT_LIST
        error = self.query_one("#list-error", Static)
        if not MAIL_ADDRESS.fullmatch(typed):
            error.update(f"Not saved: not a mail address such as {DEFAULT_LIST}.")
            return
        error.update("")
        if typed != self.session.proposal.mailing_list:
            self._edit(lambda s, at: s.set_mailing_list(typed, at))

    def _apply_repo(self) -> None:
        typed = self.query_one("#repo", Input).value.strip() or DEFAULT_REPO
        error = self.query_one("#repo-error", Static)
        try:
            repo = str(parse_repo(typed))
        except ThreadRefError as err:
            error.update(f"Not saved: {err}.")
            return
        error.update("")
        if repo != self.session.proposal.repo:
            self._edit(lambda s, at: s.set_repo(repo, at))

    def _apply_times(self) -> None:
        p = self.session.proposal
        if p.opens_at is None or p.closes_at is None:
            return  # a draft has a length, not times
        typed = (self.query_one("#opens", Input).value, self.query_one("#closes", Input).value)
        if typed == (_local(p.opens_at), _local(p.closes_at)):
            return  # unchanged: do not round the stored seconds away
        window = self._typed_window()
        if window is None:
            return
        opens, closes = window
        self.query_one("#opens", Input).value = format_local(opens)
        self.query_one("#closes", Input).value = format_local(closes)
        self._edit(lambda s, at: s.set_window(opens, closes, at))

    def flush(self) -> None:
        if self.meeting.current is None or not self.is_mounted or self.locked:
            return
        self._apply_title()
        self._apply_summary()
        self._apply_links()
        self._apply_times()
        self._apply_window_length()
        self._apply_mailing_list()
        self._apply_repo()

    def action_apply(self) -> None:
        self.flush()
        if not self.locked:
            self.notify("Proposal saved.")

    @on(Input.Submitted, "#title")
    @on(Input.Blurred, "#title")
    def _title_done(self) -> None:
        self._apply_title()

    @on(Input.Submitted, "#opens, #closes")
    @on(Input.Blurred, "#opens, #closes")
    def _times_done(self) -> None:
        self._apply_times()

    @on(Input.Submitted, "#window-length")
    @on(Input.Blurred, "#window-length")
    def _window_length_done(self) -> None:
        self._apply_window_length()

    @on(Input.Submitted, "#mailing-list")
    @on(Input.Blurred, "#mailing-list")
    def _mailing_list_done(self) -> None:
        self._apply_mailing_list()

    @on(Input.Submitted, "#repo")
    @on(Input.Blurred, "#repo")
    def _repo_done(self) -> None:
        self._apply_repo()

    @on(Input.Changed, "#window-length")
    def _window_length_preview(self) -> None:
        """What the typed length means while typing, its warning included, without applying it."""
        try:
            window = parse_span(self.query_one("#window-length", Input).value)
        except TimeInputError as err:
            self.query_one("#time-error", Static).update(str(err))
            return
        self.query_one("#time-error", Static).update("")
        preview = Proposal("", status=Status.DRAFT, opens_at=None, closes_at=None, window=window)
        info, warning = window_notes(preview, self.shell.clock())
        self.query_one("#window", Static).update(info)
        self.query_one("#window-warning", Static).update(warning)
        if self.query_one("#window-length", Input).has_focus:
            # What the length means, under the field, stays in view while it is typed (80x24).
            self.query_one("#window-warning", Static).scroll_visible(animate=False)

    @on(Input.Changed, "#opens, #closes")
    def _times_preview(self) -> None:
        """Show what the typed time means while typing, without applying it."""
        if self.session.is_draft:
            return  # the fields are hidden; a draft's window is a length
        window = self._typed_window()
        if window is None:
            return
        opens, closes = window
        info, warning = window_notes(Proposal("", opens_at=opens, closes_at=closes), self.shell.clock())
        self.query_one("#window", Static).update(f"Opens {format_local(opens)}. {info}")
        self.query_one("#window-warning", Static).update(warning)

    @on(TextArea.Changed, "#links")
    def _links_check(self) -> None:
        wrong = bad_links(link_lines(self.query_one("#links", TextArea).text))
        self.query_one("#links-error", Static).update(links_problem(wrong))

    def on_descendant_blur(self, event: events.DescendantBlur) -> None:
        if event.widget.id == "summary":
            self._apply_summary()
        elif event.widget.id == "links":
            self._apply_links()

    @on(Select.Changed, "#kind")
    def _kind_changed(self, event: Select.Changed) -> None:
        kind = Kind(str(event.value))
        if kind is not self.session.proposal.kind:
            self._edit(lambda s, at: s.set_kind(kind, at))

    @on(Select.Changed, "#rule")
    def _rule_changed(self, event: Select.Changed) -> None:
        rule = str(event.value)
        if rule == self.session.proposal.rule or self.locked:
            return
        self.query_one("#rule-help", Static).update(rule_help(rule))

        def answered(yes: bool) -> None:
            if yes:
                self._edit(lambda s, at: s.set_rule(rule, at))
            else:
                self.refresh_view()  # the field shows the rule that stands

        confirm_rule_change(self.app, self.session, rule, answered)

    def action_toggle_preview(self) -> None:
        self.flush()
        tabs = self.query_one("#tabs", TabbedContent)
        tabs.active = "preview" if tabs.active == "edit" else "edit"
        # Focus follows, or the pane holding the focus would switch the tab straight back.
        self.query_one("#preview-scroll" if tabs.active == "preview" else "#title").focus()

    def action_copy(self) -> None:
        self.flush()
        self.app.call_later(self.app.run_action, "copy_announcement")  # after the fields are saved
