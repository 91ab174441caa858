"""Import members from a file, with a preview of what is added, duplicated or unreadable."""

from __future__ import annotations

from pathlib import Path

from rich.markup import escape
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, Input, Label, Select, Static

from tvm_vote_tui.app.widgets.modals import Dialog
from tvm_vote_tui.domain.model import Member
from tvm_vote_tui.domain.roster_import import (
    CSV_COLUMNS,
    ImportPreview,
    RosterImportError,
    detect_format,
    preview_import,
)

FORMATS = [
    ("Detect from the file", "auto"),
    ("CSV (" + CSV_COLUMNS + ")", "csv"),
    ("TOML ([[roster]] tables)", "toml"),
    ("ASF committee-info.json (Whimsy)", "committee-info"),
]


def preview_text(preview: ImportPreview) -> str:
    lines = [f"[b]{escape(preview.source)}[/b]: {preview.summary()}", ""]
    if preview.new:
        lines.append("[b green]Will be added:[/]")
        lines += [
            f"  {escape(m.name)} ({escape(m.id)}) {escape(m.email)}{'' if m.binding else ' non-binding'}"
            for m in preview.new
        ]
    if preview.duplicates:
        lines.append("[b yellow]Not added (duplicates):[/]")
        lines += [f"  {escape(reason)}" for _, reason in preview.duplicates]
    if preview.bad_rows:
        lines.append("[b red]Not added (unreadable rows):[/]")
        lines += [f"  {escape(reason)}" for _, reason in preview.bad_rows]
    return "\n".join(lines)


class RosterImport(Dialog[list[Member] | None]):
    """Pick a file (downloaded by the manager; the app never goes online), preview, then add."""

    DEFAULT_CSS = """
    RosterImport > Vertical { width: 90; height: 90%; }
    RosterImport #result { height: 1fr; border: round $panel; }
    RosterImport Select { width: 1fr; }
    RosterImport #committee { width: 20; }
    """
    BINDINGS = [Binding("escape", "cancel", "Cancel"), Binding("ctrl+s", "add", "Add members")]

    def __init__(self, existing: list[Member]) -> None:
        super().__init__()
        self.existing = existing
        self.preview: ImportPreview | None = None

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label("Import members", classes="title")
            yield Input(placeholder="Path to a .csv, .toml or committee-info.json file", id="path")
            with Horizontal(classes="buttons"):
                yield Select(FORMATS, value="auto", allow_blank=False, id="format")
                yield Input("tvm", placeholder="committee", id="committee")
            yield Static(
                "committee-info.json is published by the ASF's Whimsy service "
                "(whimsy.apache.org/public/committee-info.json); download it first.",
                classes="hint",
            )
            with VerticalScroll(id="result"):
                yield Static("Enter a path and press enter to preview.", id="preview")
            with Horizontal(classes="buttons"):
                yield Button("Cancel (esc)", id="cancel")
                yield Button("Preview (enter)", id="show")
                yield Button("Add members (ctrl+s)", id="add", variant="primary", disabled=True)

    @on(Input.Submitted)
    @on(Button.Pressed, "#show")
    @on(Select.Changed)
    def show_preview(self) -> None:
        raw = self.query_one("#path", Input).value.strip()
        target = self.query_one("#preview", Static)
        add = self.query_one("#add", Button)
        self.preview, add.disabled = None, True
        if not raw:
            target.update("Enter a path and press enter to preview.")
            return
        path = Path(raw).expanduser()
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            target.update(f"[red]No such file: {escape(str(path))}[/red]")
            return
        except (OSError, UnicodeDecodeError) as err:
            target.update(f"[red]Cannot read {escape(str(path))}: {escape(str(err))}[/red]")
            return
        fmt = str(self.query_one("#format", Select).value)
        if fmt == "auto":
            fmt = detect_format(path, text)
        committee = self.query_one("#committee", Input).value.strip() or "tvm"
        try:
            self.preview = preview_import(text, fmt, self.existing, committee=committee, source=path.name)
        except RosterImportError as err:
            target.update(f"[red]{escape(str(err))}[/red]")
            return
        target.update(preview_text(self.preview))
        add.disabled = not self.preview.new
        add.label = f"Add {len(self.preview.new)} members (ctrl+s)"

    @on(Button.Pressed, "#add")
    def action_add(self) -> None:
        if self.preview is not None and self.preview.new:
            self.dismiss(self.preview.new)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
