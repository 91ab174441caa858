"""The ballot table draws only the rows on screen, redraws one row per ballot, and moves its
highlight with the keys and the mouse."""

from __future__ import annotations

from collections import Counter

from textual.app import App, ComposeResult

from tvm_vote_tui.app.widgets.ballot_table import BallotTable, Cells, columns_for

ROWS = 10_000


class TableApp(App[None]):
    def __init__(self) -> None:
        super().__init__()
        self.asked: Counter[str] = Counter()
        self.votes = {f"v{i}": "·" for i in range(ROWS)}
        self.events: list[tuple[str, str | None]] = []

    def cells(self, key: str) -> Cells:
        self.asked[key] += 1
        return (f"Voter {key}", self.votes[key], "binding", "a note", "12:00")

    def compose(self) -> ComposeResult:
        yield BallotTable(self.cells, id="t")

    def on_mount(self) -> None:
        table = self.query_one(BallotTable)
        table.set_rows(list(self.votes))
        table.focus()

    def on_ballot_table_highlighted(self, message: BallotTable.Highlighted) -> None:
        self.events.append(("highlighted", message.key))

    def on_ballot_table_selected(self, message: BallotTable.Selected) -> None:
        self.events.append(("selected", message.key))


async def test_only_the_rows_on_screen_are_drawn_and_one_ballot_redraws_one_row() -> None:
    app = TableApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        table = app.query_one(BallotTable)
        assert table.row_count == ROWS
        assert 20 <= len(app.asked) <= 24  # a screenful (23 rows under the header), not 10,000
        app.asked.clear()
        app.votes["v3"] = "+1"
        table.update_row("v3")
        await pilot.pause()
        assert app.asked == Counter({"v3": 1})
        assert str(table.row("v3")[1]) == "+1"
        app.asked.clear()
        table.update_row("v9000")  # off screen: nothing to draw until it is scrolled to
        await pilot.pause()
        assert app.asked == Counter()


async def test_keys_move_the_highlight_and_keep_it_on_screen() -> None:
    app = TableApp()
    async with app.run_test(size=(80, 24)) as pilot:
        table = app.query_one(BallotTable)
        await pilot.press("down", "down")
        assert table.cursor_key == "v2"
        await pilot.press("pagedown")
        assert table.cursor_key == "v25"  # a page is the 23 rows under the header
        assert table.scroll_y > 0
        await pilot.press("end")
        assert table.cursor_key == f"v{ROWS - 1}" and table.scroll_y == table.max_scroll_y
        assert app.asked[f"v{ROWS - 1}"] == 1
        await pilot.press("pageup", "up")
        assert table.cursor_key == f"v{ROWS - 25}"
        await pilot.press("home")
        assert table.cursor_key == "v0" and table.scroll_y == 0
        assert ("highlighted", "v2") in app.events and app.events[-1] == ("highlighted", "v0")


async def test_a_click_highlights_a_row_and_a_second_click_selects_it() -> None:
    app = TableApp()
    async with app.run_test(size=(80, 24)) as pilot:
        table = app.query_one(BallotTable)
        await pilot.click(BallotTable, offset=(3, 5))  # the header is line 0: row 4
        assert table.cursor_key == "v4"
        await pilot.click(BallotTable, offset=(3, 0))  # the header: nothing happens
        await pilot.click(BallotTable, offset=(3, 5))
        await pilot.pause()
        assert app.events[-1] == ("selected", "v4") and table.cursor_key == "v4"


async def test_the_highlight_stays_on_its_voter_when_rows_change() -> None:
    app = TableApp()
    async with app.run_test(size=(80, 24)) as pilot:
        table = app.query_one(BallotTable)
        await pilot.press("down", "down", "down")
        table.set_rows(["v9", "v3", "v1"])
        assert table.cursor_key == "v3"
        table.set_rows(["v9"])
        assert table.cursor_key == "v9"
        table.set_rows([])
        assert table.cursor_key is None and table.row_count == 0


def test_columns_fit_and_the_note_is_always_there() -> None:
    for width in (30, 43, 60, 84, 200):
        columns = columns_for(width)
        used = sum(1 + c.width for c in columns) + 1
        assert used <= width or width < 40, (width, used)
        assert [c.cell for c in columns][:4] == [0, 1, 2, 3]  # voter, vote, standing, note
    assert 4 not in [c.cell for c in columns_for(43)]  # 80 columns beside the meter: no time
    assert [c.cell for c in columns_for(84)][-1] == 4  # 120 columns: the time too


async def test_whole_words_where_there_is_room_short_forms_at_80_columns() -> None:
    """'withdrawn' and 'non-binding' in a table as wide as beside the meter at 120 columns; 'w/d'
    and 'non-bind' where they do not fit (beside it at 80)."""
    from rich.text import Text

    from tvm_vote_tui.app.widgets.ballot_rows import row_cells
    from tvm_vote_tui.domain.model import Ballot, Member, now

    member = Member("ada", "Ada Lindqvist", binding=False)
    cells = row_cells(member, "ada", Ballot("ada", None, now()), frozenset())
    for size, words, cut in (
        (84, ["withdrawn", "non-binding"], []),
        (44, ["w/d", "non-bind"], ["withdrawn"]),
    ):
        app = TableApp()
        app.cells = lambda key: cells  # type: ignore[method-assign]
        async with app.run_test(size=(size, 24)) as pilot:
            await pilot.pause()
            table = app.query_one(BallotTable)
            line = Text.assemble(*(Text(s.text) for s in table.render_line(1)))
            for word in words:
                assert f" {word} " in line.plain, (size, line.plain)
            for word in cut:
                assert word not in line.plain
