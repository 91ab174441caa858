"""80x24 is a supported size: dialogs show all their text, help scrolls to its last key, the
proposal form has no invisible Tab stops, and lists are not cut mid-value."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import DataTable, Input, Static

from tests.app_helpers import running
from tvm_vote_tui.app.screens.help import HelpScreen
from tvm_vote_tui.app.widgets.modals import TextPrompt
from tvm_vote_tui.app.widgets.scroll import QuietScroll
from tvm_vote_tui.demo import OPENS_AT, sample_session
from tvm_vote_tui.domain.times import format_local

SIZE = (80, 24)


def inside(region, width: int, height: int) -> bool:
    return region.x >= 0 and region.y >= 0 and region.right <= width and region.bottom <= height


async def test_close_early_dialog_shows_its_whole_question(isolated_data_dir: Path) -> None:
    async with running(isolated_data_dir, size=SIZE) as r:
        await r.press("f8")
        dialog = r.app.screen
        assert isinstance(dialog, TextPrompt)
        message = dialog.query_one(".title", Static)
        text = str(message.render())
        assert "runs until" in text and "Give the reason" in text  # the reason it asks for, and why
        ends = format_local(r.saved().opened_window[1])
        assert f"runs until {ends}" in text and "UTC" not in text  # the time as the rest of the app gives it
        assert message.size.height > 1  # wrapped, not cut to one line
        scroll = message.parent
        assert isinstance(scroll, QuietScroll) and scroll.max_scroll_y == 0  # all in view, no scrolling
        for widget in (message, dialog.query_one("#answer", Input)):
            assert inside(widget.region, *SIZE)
        await r.press(*"agreed at the meeting", "enter")
        assert r.saved().is_closed


async def test_help_scrolls_to_every_key_of_the_screen(isolated_data_dir: Path) -> None:
    async with running(isolated_data_dir, size=SIZE) as r:
        await r.press("question_mark")
        help_screen = r.app.screen
        assert isinstance(help_screen, HelpScreen)
        text = "\n".join(f"{keys} {what}" for keys, what in help_screen.lines)
        for what in (
            "Sessions",
            "Log",
            "Import",
            "Close/reopen",
            "Quit",
            "Undo",
            "Guest vote",
            "command palette",
        ):
            assert what in text
        keys = help_screen.query_one("#keys")
        assert keys.has_focus and keys.max_scroll_y > 0  # longer than the screen: it scrolls
        await r.press("end")
        assert keys.scroll_y == keys.max_scroll_y
        assert inside(help_screen.query_one("#keys").region, *SIZE)


async def test_one_tab_moves_to_the_next_proposal_field(isolated_data_dir: Path) -> None:
    async with running(isolated_data_dir, size=SIZE, screen="proposal") as r:
        assert r.app.focused is None  # on arrival: a stray key edits nothing
        seen: list[str | None] = []
        for _ in range(7):
            await r.press("tab")
            focused = r.app.focused
            seen.append(focused.id or type(focused).__name__ if focused else None)
        assert seen == ["title", "kind", "rule", "summary", "links", "opens", "closes"], seen
        await r.press("ctrl+u", *"+72h", "tab")  # typed where the manager expects it
        saved = r.saved().proposal
        assert saved.closes_at == saved.opens_at.add(hours=72)


async def test_sessions_list_fits_80_columns(isolated_data_dir: Path) -> None:
    async with running(isolated_data_dir, size=SIZE, screen="sessions") as r:
        table = r.app.screen.query_one("#sessions", DataTable)
        used = sum(column.get_render_width(table) for column in table.ordered_columns)
        assert used <= table.size.width  # no column (the When date) is cut at the edge
        when = str(table.get_row_at(0)[-1])
        assert when == "closes Dec 1 17:00"  # with its time


async def test_the_top_lines_name_every_screen_f8_and_help_at_80_columns(isolated_data_dir: Path) -> None:
    from tvm_vote_tui.app.widgets.nav import ScreenNav
    from tvm_vote_tui.app.widgets.title_bar import TitleBar

    async with running(isolated_data_dir, size=SIZE) as r:
        for key in ("f4", "f1", "f2", "f9"):
            await r.press(key)
            nav = str(r.app.screen.query_one(ScreenNav).render())
            for label in ("F1 Sessions", "F2 Proposal", "F3 Roster", "F5 Meter", "F6 Export", "F9 Import"):
                assert label in nav, nav  # whole words, never "Mete" or "Impo"
            title = str(r.app.screen.query_one(TitleBar).render())
            assert title.rstrip().endswith("F8 Close  ? Help"), title  # ctrl+q gives way at 80 columns
            assert "Establish the TVM FFI" in title
        r.app.sub_title = "A title " * 19 + "ends here"  # a long one gives way in its middle
        await r.pilot.pause()
        title = str(r.app.screen.query_one(TitleBar).render()).rstrip()
        assert "…" in title and title.endswith("F8 Close  ? Help"), title
        assert title.removesuffix("F8 Close  ? Help").rstrip().endswith("ends here"), title


@pytest.mark.parametrize(
    ("sub_title", "shown"),
    [
        (
            "Release Apache TVM v0.19.0.rc0 (take 2) · opened 2026-12-03 18:35",
            " Release Apache TVM v0.19.0.rc0 (take 2) · opened Dec 3 18:35",
        ),
        (
            "Release Apache TVM v0.19.0.rc0 (the second try) · saved 18:57:12",
            " Release Apache TVM v0.19.0.rc0 (the second try) · saved 18:57",
        ),
        (
            "Release Apache TVM v0.19.0.rc0 (the second try, with the fixes) · closed 2026-12-10 18:54",
            " Release Apac…econd try, with the fixes) · closed Dec 10 18:54",
        ),
    ],
)
def test_the_header_shortens_what_follows_the_title_never_mid_word(sub_title: str, shown: str) -> None:
    """At 80 columns: the date loses its year, the time its seconds, then the title its middle."""
    from tvm_vote_tui.app.widgets.title_bar import title_text

    keys = (("F8", "Close"), ("?", "Help"), ("ctrl+q", "Quit"))
    line = str(title_text("tvm-vote-tui", sub_title, keys, 80))
    assert len(line) == 80 and line.endswith(" F8 Close  ? Help ")
    assert line.removesuffix(" F8 Close  ? Help ").rstrip() == shown


FOOTERS = {
    "ballots": ["+1", "Withdraw", "Guest vote", "Undo"],
    "roster": ["Add", "Edit", "Delete", "Binding", "Recused", "Import", "Filter", "Undo"],
    "export": ["Format", "Save to file", "Copy"],
    "proposal": ["Preview [VOTE]", "Copy [VOTE]", "Save fields"],
    "sessions": ["New", "Duplicate", "Delete"],
}


async def test_every_footer_shows_the_keys_of_its_main_task_at_80_columns(isolated_data_dir: Path) -> None:
    from textual.widgets._footer import FooterKey

    from tvm_vote_tui.app.registry import BY_NAME

    async with running(isolated_data_dir, size=SIZE) as r:
        for name, wanted in FOOTERS.items():
            await r.press(BY_NAME[name].key)
            keys = {key.description: key for key in r.app.screen.query(FooterKey)}
            for description in wanted:
                assert description in keys, (name, description, list(keys))
                assert inside(keys[description].region, *SIZE), (name, description)


async def test_the_import_footer_shows_the_review_keys_at_80_columns(isolated_data_dir: Path) -> None:
    from textual.widgets import TextArea
    from textual.widgets._footer import FooterKey

    thread = (Path(__file__).parent / "threads" / "github_ffi.md").read_text()
    async with running(isolated_data_dir, sample_session(ballots=0), size=SIZE, screen="import") as r:
        r.app.screen.query_one("#thread-text", TextArea).text = thread
        await r.press("ctrl+r")
        keys = {key.description: key for key in r.app.screen.query(FooterKey)}
        for description in ("Read", "Accept/skip", "Edit", "Drop", "Record", "Undo"):
            assert description in keys and inside(keys[description].region, *SIZE), description


async def test_a_long_import_preview_pages_at_80x24(isolated_data_dir: Path, tmp_path: Path) -> None:
    from textual.containers import VerticalScroll

    rows = "".join(f"p{i},Person Number {i},p{i}@apache.org,,yes\n" for i in range(30))
    csv = tmp_path / "many.csv"
    csv.write_text("id,name,email,github,binding\n" + rows + "bad id,,,,\n")
    async with running(isolated_data_dir, size=SIZE, screen="roster") as r:
        await r.press("i")
        r.app.screen.query_one("#path", Input).value = str(csv)
        await r.press("enter")
        result = r.app.screen.query_one("#result", VerticalScroll)
        assert result.size.height >= 5 and result.max_scroll_y > 0
        await r.press("pagedown", "pagedown", "pagedown", "pagedown", "pagedown")
        assert result.scroll_y == result.max_scroll_y  # down to the unreadable rows at the end


async def test_a_long_name_never_pushes_the_roster_flags_off_screen(isolated_data_dir: Path) -> None:
    from tvm_vote_tui.demo import sample_session
    from tvm_vote_tui.domain.model import Member

    s = sample_session()
    s.add_member(Member("long", "Krzysztof " * 8 + "Parzyszek", "k@example.org"))
    async with running(isolated_data_dir, s, size=SIZE, screen="roster") as r:
        table = r.app.screen.query_one("#members", DataTable)
        used = sum(column.get_render_width(table) for column in table.ordered_columns)
        assert used <= table.size.width


async def test_a_window_typed_keeps_the_opening_to_the_second_and_now_means_now(
    isolated_data_dir: Path,
) -> None:
    session = sample_session()
    session.set_window(OPENS_AT.add(seconds=48), OPENS_AT.add(days=7), OPENS_AT)
    async with running(isolated_data_dir, session, size=SIZE, screen="proposal") as r:
        await r.press(*["tab"] * 7, "ctrl+u", *"+72h", "tab")
        saved = r.saved().proposal
        assert saved.opens_at == OPENS_AT.add(seconds=48)  # not rounded to the minute shown
        assert saved.closes_at == saved.opens_at.add(hours=72).replace(microsecond=0)
        await r.press("shift+tab", "ctrl+u", *"now", "tab")  # closes now: not at the opening
        assert not any("must be after" in str(e.render()) for e in r.app.screen.query(".error"))
        assert r.saved().opened_window[1] > OPENS_AT.add(seconds=48)


def test_a_rule_description_keeps_its_indent_on_every_line_it_wraps_to() -> None:
    from rich.console import Console

    from tvm_vote_tui.app.screens.rule_picker import rule_prompt
    from tvm_vote_tui.domain.rules import RULES

    console = Console(width=60, record=True)
    console.print(rule_prompt(RULES["consensus"], True))
    lines = console.export_text().splitlines()
    assert lines[0] == "● Consensus approval (consensus)"
    assert len(lines) == 3 and all(line.startswith("    ") and line.strip() for line in lines[1:]), lines


async def test_the_proposal_form_scrolls_with_page_keys_when_no_field_has_the_focus(
    isolated_data_dir: Path,
) -> None:
    async with running(isolated_data_dir, size=SIZE, screen="proposal") as r:
        form = r.app.screen.query_one("#form", QuietScroll)
        assert r.app.focused is None and form.max_scroll_y > 0
        await r.press("pagedown")
        assert form.scroll_y > 0
        await r.press("end")
        assert form.scroll_y == form.max_scroll_y
        await r.press("home")
        assert form.scroll_y == 0
        assert r.app.focused is None  # no field took the keys


async def test_every_export_tab_fits_at_80_columns(isolated_data_dir: Path) -> None:
    """The format tabs are the export screen's only way to tell what else there is: none is cut."""
    from textual.widgets import Tab, Tabs

    async with running(isolated_data_dir, size=SIZE) as r:
        await r.press("f6")
        tabs = r.app.screen.query_one("#formats", Tabs)
        shown = list(tabs.query(Tab))
        assert len(shown) == 6
        for tab in shown:
            assert inside(tab.region, *SIZE), (str(tab.label), tab.region)
