"""The sessions list: the first screen, shown from remembered summaries, changed files read
again, replaced by the other screens and brought back by F1."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import DataTable

from tests.app_helpers import app_for, demo_store, running, settle
from tests.factories import session
from tvm_vote_tui.app.screens.sessions import SessionsScreen
from tvm_vote_tui.domain.votes import parse_vote
from tvm_vote_tui.store.cachekey import CacheKey
from tvm_vote_tui.store.sessions import OpenSession
from tvm_vote_tui.store.summaries import Summary, read_summary, remember, scan


def _tallies(screen: SessionsScreen) -> list[str]:
    table = screen.query_one("#sessions", DataTable)
    return [str(table.get_row_at(i)[2]) for i in range(table.row_count)]


async def test_a_file_changed_since_it_was_summarized_is_read_again(isolated_data_dir: Path) -> None:
    store, path = demo_store(isolated_data_dir, session([("m0", "+1")]))
    found = scan(store)
    remember(store, [read_summary(p) for p in found.changed], found.stamps)
    opened = OpenSession.open(store, path)  # another instance records a ballot meanwhile
    opened.session.record("m1", parse_vote("+1"))
    opened.close()
    app = app_for(isolated_data_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, SessionsScreen)
        assert _tallies(screen) == ["+1:2 0:0 -1:0 · failing"]
    assert scan(store).changed == []  # and the new summary is remembered


async def test_first_screen_is_replaced_and_f1_shows_the_new_tally(isolated_data_dir: Path) -> None:
    """The sessions list is the app's first screen; the main screens replace each other, so none
    is left underneath (a screen under another is repainted with it on every ballot)."""
    async with running(isolated_data_dir, session([("m0", "+1")])) as r:
        assert [type(s).__name__ for s in r.app.screen_stack] == ["BallotsScreen"]
        await r.press("down", "plus")  # m1 votes +1 on the ballot screen
        await r.press("f1")
        screen = r.app.screen
        assert isinstance(screen, SessionsScreen) and len(r.app.screen_stack) == 1
        assert _tallies(screen) == ["+1:2 0:0 -1:0 · failing"]
        await r.press("f4", "f2", "f3", "f1")
        assert isinstance(r.app.screen, SessionsScreen) and len(r.app.screen_stack) == 1


async def test_the_open_session_is_summarized_from_memory_not_read_again(
    isolated_data_dir: Path, monkeypatch
) -> None:
    """During a meeting F1 must not parse the open (possibly 10,000-ballot) file in the background."""
    import tvm_vote_tui.app.screens.sessions as screen_module

    read: list[Path] = []
    real = screen_module.read_summary

    def reading(path: Path, key: CacheKey | None = None) -> Summary:
        read.append(path)
        return real(path, key)

    monkeypatch.setattr(screen_module, "read_summary", reading)
    async with running(isolated_data_dir, session([("m0", "+1")])) as r:
        read.clear()  # the list of the first screen, read before the session was opened
        await r.press("down", "minus", "f1")
        screen = r.app.screen
        assert isinstance(screen, SessionsScreen)
        assert _tallies(screen) == ["+1:1 0:0 -1:1 · failing"]
        assert r.path not in read
    assert scan(r.store).changed == []  # remembered for the next start


def test_a_cut_title_keeps_the_end_that_tells_votes_apart() -> None:
    from tvm_vote_tui.app.widgets.fit import middle_cut

    assert middle_cut("Release Apache TVM v0.19.0.rc0", 24) == "Release…TVM v0.19.0.rc0"
    assert middle_cut("Release Apache TVM v0.19.0.rc1", 40) == "Release Apache TVM v0.19.0.rc1"
    assert middle_cut("長い題名の投票をここに書きます", 12) == "長…書きます"  # in cells: 2 + 1 + 8


async def test_the_list_gives_the_title_the_room_opens_on_the_open_vote_and_says_when(
    isolated_data_dir: Path,
) -> None:
    from tvm_vote_tui.demo import sample_session
    from tvm_vote_tui.store.sessions import Store

    store = Store(isolated_data_dir)
    for version in ("rc0", "rc1", "rc2"):
        release = sample_session()
        release.set_title(
            f"[VOTE] Release Apache TVM v0.19.0.{version} with the new FFI", release.proposal.opens_at
        )
        store.create(release)
    async with running(isolated_data_dir, size=(80, 24), screen="sessions") as r:
        table = r.app.screen.query_one("#sessions", DataTable)
        titles = [str(table.get_row_at(i)[0]) for i in range(table.row_count)]
        assert len(set(titles)) == 4 and all("[VOTE]" not in title for title in titles)
        assert "Release A…c1 with the new FFI" in titles, titles  # rc0, rc1, rc2 told apart
        screen = r.app.screen
        assert isinstance(screen, SessionsScreen)
        opened = screen.listings[table.cursor_row]
        assert opened.path == r.path  # the vote that is open, not the first row
        assert str(table.get_row_at(table.cursor_row)[3]) == "closes Dec 1 17:00"
        await r.press("d")  # duplicates the vote that is open
        assert any("Copy of Establish the TVM FFI module" in n.message for n in r.app._notifications)
    async with running(isolated_data_dir, size=(120, 40), screen="sessions") as r:
        table = r.app.screen.query_one("#sessions", DataTable)
        when = str(table.get_row_at(table.cursor_row)[3])
        assert when == "closes Dec 1 17:00 (in 5 days)", when
        assert str(table.get_row_at(0)[1]) == "new-module"  # the kind, where there is room
