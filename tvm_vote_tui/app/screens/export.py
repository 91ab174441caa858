"""Preview each export format, save it to a file (never silently over another) or copy it."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Static, Tab, Tabs

from tvm_vote_tui.app.screens.base import VoteScreen
from tvm_vote_tui.app.widgets.modals import ConfirmModal, TextPrompt
from tvm_vote_tui.domain.proposal import bare_title
from tvm_vote_tui.domain.text import MULTILINE, visible
from tvm_vote_tui.publish.formats import EXPORT_FORMATS
from tvm_vote_tui.store.exports import write_export
from tvm_vote_tui.store.sessions import StoreError, slugify

if TYPE_CHECKING:
    from email.message import EmailMessage


class PreviewScroll(VerticalScroll, inherit_bindings=False):
    """The preview scrolls up and down only (its text wraps): ← and → switch the format, and the
    footer says so."""

    BINDINGS = [
        Binding("up", "scroll_up", "Scroll up", show=False),
        Binding("down", "scroll_down", "Scroll down", show=False),
        Binding("home", "scroll_home", "Top", show=False),
        Binding("end", "scroll_end", "Bottom", show=False),
        Binding("pageup", "page_up", "Page up", show=False),
        Binding("pagedown", "page_down", "Page down", show=False),
    ]


class ExportScreen(VoteScreen):
    NAME = "export"
    BINDINGS = [
        Binding("right", "cycle(1)", "Format", key_display="←/→"),
        Binding("left,h", "cycle(-1)", "Prev format", show=False),
        Binding("l", "cycle(1)", "Next format", show=False),
        Binding("s", "save", "Save to file", tooltip="Save this format to a file"),
        Binding("y", "copy", "Copy", tooltip="Copy this format to the clipboard"),
        Binding("m", "mailto", "mailto: link", tooltip="Copy a mailto: link that opens this mail"),
        Binding(
            "p",
            "app.publish_result",
            "Publish",
            tooltip="Post the [RESULT] issue, a comment linking it, and close the vote issue: each step "
            "shown first",
        ),
    ]
    EXTRA_KEYS = (("← / →", "switch between result, Markdown, JSON, announcement and the mail files"),)

    def __init__(self) -> None:
        super().__init__()
        self._text = ""
        """The text shown: what `s` saves and `y` copies (a mail keeps its Date and Message-ID)."""
        self._mail: EmailMessage | None = None

    def compose_body(self) -> ComposeResult:
        yield Tabs(*(Tab(Content(fmt.label), id=name) for name, fmt in EXPORT_FORMATS.items()), id="formats")
        yield Static(id="export-subject", markup=False)
        with PreviewScroll(id="export-preview"):
            yield Static(id="export-text", markup=False)

    def on_mount(self) -> None:
        self.refresh_view()
        self.query_one("#export-preview").focus()

    @property
    def format_name(self) -> str:
        active = self.query_one("#formats", Tabs).active
        return active or "result"

    def text(self) -> str:
        """What `s` saves: the text shown (a mail file with its CRLF line ends)."""
        return self._text

    def refresh_view(self, voter: str | None = None) -> None:
        fmt = EXPORT_FORMATS[self.format_name]
        if fmt.mail is not None:
            from tvm_vote_tui.publish.mail import eml_text

            self._mail = fmt.mail(self.session, self.shell.clock())
            self._text = eml_text(self._mail)
        else:
            self._mail, self._text = None, fmt.render(self.session)
        self.query_one("#export-text", Static).update(visible(self._shown(), MULTILINE))
        subject = self.subject()
        line = self.query_one("#export-subject", Static)
        line.display = bool(subject)
        line.update(
            f"Subject: {visible(subject)}   (not part of the text: y copies and s saves the text below)"
        )
        self.refresh_bindings()

    def subject(self) -> str:
        """The subject the text goes out under, when it is not part of it (the announcement's)."""
        fmt = EXPORT_FORMATS[self.format_name]
        return fmt.subject(self.session) if fmt.subject else ""

    def _shown(self) -> str:
        return self._text.replace("\r\n", "\n")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "mailto":  # the mail files only
            return self._mail is not None
        return True

    @on(Tabs.TabActivated)
    def _format_changed(self) -> None:
        """Another format starts at its top, not where the last one was scrolled to."""
        self.refresh_view()
        self.query_one("#export-preview", PreviewScroll).scroll_home(animate=False)

    def action_cycle(self, step: int) -> None:
        names = list(EXPORT_FORMATS)
        self.query_one("#formats", Tabs).active = names[(names.index(self.format_name) + step) % len(names)]

    def action_copy(self) -> None:
        label = EXPORT_FORMATS[self.format_name].label
        subject = self.subject()
        what = f"{label} (its subject, not in the text: {subject})" if subject else label
        self.shell.copy_text(self._shown(), what, "s saves it to a file.")

    def action_mailto(self) -> None:
        """A mailto: link that opens a mail client on this mail (To, Subject, body), copied."""
        if self._mail is None:
            return
        from tvm_vote_tui.publish.mail import mailto_link

        label = EXPORT_FORMATS[self.format_name].label
        self.shell.copy_text(
            mailto_link(self._mail), f"mailto: link of the {label}", "s saves the mail file."
        )

    def default_path(self) -> Path:
        fmt = EXPORT_FORMATS[self.format_name]
        return Path.cwd() / f"{slugify(bare_title(self.session.proposal.title))}-{fmt.suffix}"

    def action_save(self) -> None:
        fmt = EXPORT_FORMATS[self.format_name]
        text = self.text()
        store, session_path = self.meeting.store, self.current.path

        def write(path: Path, overwrite: bool) -> None:
            try:
                write_export(
                    path,
                    text,
                    private=fmt.private_for(text),
                    overwrite=overwrite,
                    store=store,
                    session=session_path,
                )
            except StoreError as err:
                self.notify(str(err), title="Not saved", severity="error", timeout=10)
                return
            self.notify(f"Saved {path}")

        def chosen(answer: str | None) -> None:
            if not answer:
                return
            path = Path(answer).expanduser()
            if path.exists() and not path.is_dir():
                self.app.push_screen(
                    ConfirmModal(f"{path} already exists. Replace it?", yes="Replace"),
                    lambda yes: write(path, True) if yes else None,
                )
                return
            write(path, False)

        self.app.push_screen(
            TextPrompt(
                "Save to file",
                value=str(self.default_path()),
                hint="An existing file is never replaced without asking.",
            ),
            chosen,
        )
