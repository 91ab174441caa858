"""Drafting the proposal: title, kind, rule, summary, links, window, and the [VOTE] preview."""

from __future__ import annotations

import re

from pendulum import DateTime
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import (
    Footer,
    Input,
    Label,
    Select,
    Static,
    TabbedContent,
    TabPane,
    TextArea,
)

from tvm_vote_tui.app.screens.base import VoteScreen
from tvm_vote_tui.app.widgets.nav import ScreenNav
from tvm_vote_tui.app.widgets.title_bar import TitleBar
from tvm_vote_tui.domain.model import MIN_WINDOW_HOURS, USUAL_WINDOW_DAYS, Kind, Proposal
from tvm_vote_tui.domain.rules import RULES
from tvm_vote_tui.domain.times import (
    TimeInputError,
    format_local,
    parse_when,
    relative_words,
    span_words,
)
from tvm_vote_tui.publish.announce import announcement

URL = re.compile(r"https?://[^\s/$.?#][^\s]*", re.IGNORECASE)
INPUT_FORMAT = "YYYY-MM-DD HH:mm"


def bad_links(lines: list[str]) -> list[str]:
    return [line for line in lines if not URL.fullmatch(line)]


def rule_help(name: str) -> str:
    rule = RULES[name]
    text = f"{rule.label}: {rule.description}"
    if rule.reading:
        text += f"\nApplies the {rule.reading}."
    return text


def window_notes(proposal: Proposal, now: DateTime) -> tuple[str, str]:
    """(what the window is, a warning or '') for the hint and warning lines."""
    hours = proposal.window_hours
    info = (
        f"Closes {format_local(proposal.closes_at)} ({relative_words(proposal.closes_at, now)}); "
        f"the vote runs {span_words(proposal.closes_at - proposal.opens_at)}."
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


class ProposalScreen(VoteScreen):
    NAME = "proposal"
    BINDINGS = [
        Binding("ctrl+o", "toggle_preview", "Preview [VOTE]", tooltip="Show the announcement text"),
        Binding("ctrl+y", "copy", "Copy [VOTE]", tooltip="Copy the announcement to the clipboard"),
        Binding("ctrl+s", "apply", "Save fields"),
    ]

    def compose(self) -> ComposeResult:
        p = self.current.session.proposal
        yield TitleBar()
        yield ScreenNav(self.NAME)
        yield Static(id="banner", classes="banner", markup=False)
        with TabbedContent(id="tabs"):
            with TabPane("Proposal", id="edit"), VerticalScroll(id="form"):
                yield Label("Title (required)")
                yield Input(p.title, id="title")
                yield Static(classes="error", id="title-error", markup=False)
                with Horizontal(classes="pair"):
                    yield Select(
                        [(k.label, k.value) for k in Kind],
                        value=p.kind.value,
                        allow_blank=False,
                        id="kind",
                        prompt="Kind",
                    )
                    yield Select(
                        [(r.name, r.name) for r in RULES.values()],
                        value=p.rule,
                        allow_blank=False,
                        id="rule",
                        prompt="Rule",
                    )
                yield Static(rule_help(p.rule), classes="hint", id="rule-help")
                yield Label("Summary of the community conversation (markdown)")
                yield TextArea(p.summary, id="summary", soft_wrap=True)
                yield Label("Discussion links, one per line")
                yield TextArea("\n".join(p.links), id="links", soft_wrap=False)
                yield Static(classes="error", id="links-error", markup=False)
                with Horizontal(classes="pair"):
                    with VerticalScroll(classes="when"):
                        yield Label("Opens at")
                        yield Input(
                            self._time_text(p.opens_at), id="opens", placeholder="now, 2026-12-01 17:00"
                        )
                    with VerticalScroll(classes="when"):
                        yield Label("Closes at (+span counts from opening)")
                        yield Input(
                            self._time_text(p.closes_at),
                            id="closes",
                            placeholder="+7d, +72h, 2026-12-08 17:00",
                        )
                yield Static(classes="error", id="time-error", markup=False)
                yield Static(classes="hint", id="window")
                yield Static(classes="warning", id="window-warning")
            with TabPane("\\[VOTE] announcement", id="preview"), VerticalScroll(id="preview-scroll"):
                yield Static(id="announcement", markup=False)
        yield Footer(compact=True)

    @staticmethod
    def _time_text(moment: DateTime) -> str:
        return format_local(moment)

    def on_mount(self) -> None:
        self.refresh_view()
        if self.locked:
            self.query("Input, Select").set(disabled=True)
            for area in self.query(TextArea):
                area.read_only = True
        else:
            self.query_one("#title", Input).focus()

    def refresh_view(self, voter: str | None = None) -> None:
        p = self.current.session.proposal
        banner = self.query_one("#banner", Static)
        banner.update(self.notice())
        banner.display = bool(self.notice())
        info, warning = window_notes(p, self.vote_app.clock())
        self.query_one("#window", Static).update(info)
        self.query_one("#window-warning", Static).update(warning)
        self.query_one("#announcement", Static).update(announcement(p))

    # -- applying fields -----------------------------------------------------------------

    def _change(self, field: str, old: object, new: object) -> None:
        if old == new or self.locked:
            return
        self.current.session.append_log("proposal", f"{field}: {old!r} -> {new!r}", self.vote_app.clock())
        self.vote_app.commit()

    def _apply_title(self) -> None:
        p = self.current.session.proposal
        title = self.query_one("#title", Input).value.strip()
        error = self.query_one("#title-error", Static)
        if not title:
            error.update("A title is required; the last one is kept until you enter one.")
            return
        error.update("")
        old, p.title = p.title, title
        self._change("title", old, title)

    def _apply_text(self) -> None:
        p = self.current.session.proposal
        summary = self.query_one("#summary", TextArea).text
        old, p.summary = p.summary, summary
        self._change("summary", old, summary)
        lines = [
            line.strip() for line in self.query_one("#links", TextArea).text.splitlines() if line.strip()
        ]
        wrong = bad_links(lines)
        self.query_one("#links-error", Static).update(
            "Not a URL (http:// or https://): " + ", ".join(wrong) if wrong else ""
        )
        if not wrong:
            old_links, p.links = p.links, lines
            self._change("links", old_links, lines)

    def _apply_times(self) -> None:
        p = self.current.session.proposal
        typed = (self.query_one("#opens", Input).value, self.query_one("#closes", Input).value)
        if typed == (self._time_text(p.opens_at), self._time_text(p.closes_at)):
            return  # unchanged: do not round the stored seconds away
        error = self.query_one("#time-error", Static)
        now = self.vote_app.clock()
        try:
            opens = parse_when(self.query_one("#opens", Input).value, now)
            closes = parse_when(self.query_one("#closes", Input).value, opens)
        except TimeInputError as err:
            error.update(f"{err}")
            return
        if closes <= opens:
            error.update("Closes at must be after opens at.")
            return
        error.update("")
        old = (p.opens_at, p.closes_at)
        p.opens_at, p.closes_at = opens, closes
        if old != (opens, closes):
            self._change("window", f"{old[0]} to {old[1]}", f"{opens} to {closes}")
            self.query_one("#opens", Input).value = self._time_text(opens)
            self.query_one("#closes", Input).value = self._time_text(closes)

    def flush(self) -> None:
        if self.vote_app.current is None or not self.is_mounted or self.locked:
            return
        self._apply_title()
        self._apply_text()
        self._apply_times()

    def action_apply(self) -> None:
        self.flush()
        self.notify("Proposal saved.")

    @on(Input.Submitted, "#title")
    @on(Input.Blurred, "#title")
    def _title_done(self) -> None:
        self._apply_title()

    @on(Input.Submitted, "#opens, #closes")
    @on(Input.Blurred, "#opens, #closes")
    def _times_done(self) -> None:
        self._apply_times()

    @on(Input.Changed, "#opens, #closes")
    def _times_preview(self) -> None:
        """Show what the typed time means while typing, without applying it."""
        now = self.vote_app.clock()
        try:
            opens = parse_when(self.query_one("#opens", Input).value, now)
            closes = parse_when(self.query_one("#closes", Input).value, opens)
        except TimeInputError as err:
            self.query_one("#time-error", Static).update(str(err))
            return
        self.query_one("#time-error", Static).update("")
        preview = Proposal("", opens_at=opens, closes_at=closes)
        info, warning = window_notes(preview, now)
        self.query_one("#window", Static).update(f"Opens {format_local(opens)}. {info}")
        self.query_one("#window-warning", Static).update(warning)

    @on(TextArea.Changed, "#links")
    def _links_check(self) -> None:
        lines = [
            line.strip() for line in self.query_one("#links", TextArea).text.splitlines() if line.strip()
        ]
        wrong = bad_links(lines)
        self.query_one("#links-error", Static).update(
            "Not a URL (http:// or https://): " + ", ".join(wrong) if wrong else ""
        )

    def on_descendant_blur(self, event: events.DescendantBlur) -> None:
        if isinstance(event.widget, TextArea):
            self._apply_text()

    @on(Select.Changed, "#kind")
    def _kind_changed(self, event: Select.Changed) -> None:
        p = self.current.session.proposal
        kind = Kind(str(event.value))
        if kind is p.kind:
            return
        old_kind, p.kind = p.kind, kind
        self._change("kind", old_kind.value, kind.value)
        if p.rule == old_kind.default_rule and p.rule != kind.default_rule:
            self.query_one("#rule", Select).value = kind.default_rule

    @on(Select.Changed, "#rule")
    def _rule_changed(self, event: Select.Changed) -> None:
        p = self.current.session.proposal
        rule = str(event.value)
        self.query_one("#rule-help", Static).update(rule_help(rule))
        old, p.rule = p.rule, rule
        self._change("rule", old, rule)

    def action_toggle_preview(self) -> None:
        self.flush()
        tabs = self.query_one("#tabs", TabbedContent)
        tabs.active = "preview" if tabs.active == "edit" else "edit"
        # Focus follows, or the pane holding the focus would switch the tab straight back.
        self.query_one("#preview-scroll" if tabs.active == "preview" else "#title").focus()

    def action_copy(self) -> None:
        self.flush()
        self.vote_app.action_copy_announcement()
