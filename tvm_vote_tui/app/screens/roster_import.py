"""Import members from a file, with a preview of what is added, duplicated or unreadable."""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, Input, Select, Static

from tvm_vote_tui.app.widgets.modals import Dialog
from tvm_vote_tui.domain.roster import Member
from tvm_vote_tui.domain.roster_import import (
    CSV_COLUMNS,
    ImportPreview,
    RosterImportError,
    detect_format,
    preview_import,
)
from tvm_vote_tui.domain.text import one_line, plural
from tvm_vote_tui.store.reader import read_regular

ROSTER_FILE_KINDS = [
    ("Detect from the file", "auto"),
    ("CSV (" + CSV_COLUMNS + ")", "csv"),
    ("TOML ([[roster]] tables)", "toml"),
    ("ASF committee-info.json (Whimsy)", "committee-info"),
]


def preview_text(preview: ImportPreview) -> Text:
    """Who will be added, who not and why: names shown as the text they are, never markup."""
    text = Text()
    text.append(one_line(preview.source) + "\n", style="bold")
    text.append(f"{preview.summary()}\n")
    if preview.look_alikes:
        text.append("Look alike (check before adding):\n", style="bold yellow")
        for line in preview.look_alikes:
            text.append(f"  {one_line(line)}\n")
    if preview.new:
        text.append("Will be added:\n", style="bold green")
        for m in preview.new:
            github = f" @{m.github}" if m.github else " (no GitHub handle)"
            line = f"{m.name} ({m.id}){github} {m.email}{'' if m.binding else ' non-binding'}"
            text.append(f"  {one_line(line)}\n")
    if preview.duplicates:
        text.append("Not added (duplicates):\n", style="bold yellow")
        for _, reason in preview.duplicates:
            text.append(f"  {one_line(reason)}\n")
    if preview.bad_rows:
        text.append("Not added (unreadable rows):\n", style="bold red")
        for _, reason in preview.bad_rows:
            text.append(f"  {one_line(reason)}\n")
    return text


class RosterImport(Dialog[tuple[list[Member], str] | None]):
    """Pick a file (downloaded by the manager; the app never goes online), preview, then add.

    Dismisses with the members to add and the file they came from."""

    DEFAULT_CSS = """
    RosterImport > Vertical { width: 90; height: 100%; }
    RosterImport #result { height: 1fr; min-height: 5; border: round $panel; }
    RosterImport #format { width: 1fr; }
    RosterImport #committee { width: 16; }
    RosterImport .row { height: auto; }
    """
    BINDINGS = [
        Binding("escape", "cancel", "Cancel"),
        Binding("ctrl+s", "add", "Add members"),
        Binding("pagedown", "scroll_preview(1)", "Scroll the preview", show=False),
        Binding("pageup", "scroll_preview(-1)", "Scroll the preview", show=False),
    ]

    def __init__(self, existing: list[Member]) -> None:
        super().__init__()
        self.existing = existing
        self.preview: ImportPreview | None = None

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static("Import members: path, then enter to preview; ctrl+s adds them", classes="title")
            yield Input(
                placeholder="Path to a .csv, .toml or committee-info.json file", id="path", compact=True
            )
            with Horizontal(classes="row"):
                yield Select(ROSTER_FILE_KINDS, value="auto", allow_blank=False, id="format", compact=True)
                yield Input("tvm", placeholder="committee", id="committee", compact=True)
            yield Static(
                "committee-info.json: download it from Whimsy first · pageup/pagedown scroll",
                classes="hint",
            )
            with VerticalScroll(id="result"):
                yield Static("Enter a path and press enter to preview.", id="preview", markup=False)
            with Horizontal(classes="buttons"):
                yield Button("Cancel (esc)", id="cancel", compact=True)
                yield Button("Preview (enter)", id="show", compact=True)
                yield Button("Add members (ctrl+s)", id="add", variant="primary", disabled=True, compact=True)

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
            # never a FIFO; a link the manager names is followed; a spreadsheet's BOM is fine
            text = read_regular(path, follow=True).decode("utf-8-sig")
        except FileNotFoundError:
            target.update(Text(f"No such file: {one_line(str(path))}", style="red"))
            return
        except IsADirectoryError:
            target.update(Text(f"{one_line(str(path))} is a folder; give a file.", style="red"))
            return
        except (OSError, UnicodeDecodeError) as err:
            target.update(Text(f"Cannot read {one_line(str(path))}: {one_line(str(err))}", style="red"))
            return
        fmt = str(self.query_one("#format", Select).value)
        if fmt == "auto":
            fmt = detect_format(path, text)
        committee = self.query_one("#committee", Input).value.strip() or "tvm"
        try:
            self.preview = preview_import(text, fmt, self.existing, committee=committee, source=path.name)
        except RosterImportError as err:
            target.update(Text(one_line(f"{path.name}: {err}"), style="red"))
            return
        target.update(preview_text(self.preview))
        add.disabled = not self.preview.new
        add.label = f"Add {plural(len(self.preview.new), 'member')} (ctrl+s)"

    @on(Button.Pressed, "#add")
    def action_add(self) -> None:
        if self.preview is not None and self.preview.new:
            self.dismiss((self.preview.new, self.preview.source))

    def action_scroll_preview(self, pages: int) -> None:
        """Page through a long preview without leaving the path field."""
        result = self.query_one("#result", VerticalScroll)
        result.scroll_to(y=result.scroll_y + pages * max(result.size.height - 1, 1), animate=False)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
