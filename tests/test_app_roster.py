"""The roster screen: shared vs session roster, the member form, filter, toggles and imports."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from textual.widgets import Button, Checkbox, DataTable, Input, Static

from tests.app_helpers import app_for, running, settle
from tvm_vote_tui.app.screens.roster import RosterScreen
from tvm_vote_tui.app.screens.roster_import import RosterImport
from tvm_vote_tui.app.widgets.member_form import MemberForm
from tvm_vote_tui.app.widgets.modals import ConfirmModal
from tvm_vote_tui.demo import sample_session
from tvm_vote_tui.store.sessions import Store


async def open_roster(pilot, app) -> RosterScreen:
    await pilot.press("f3")
    await pilot.pause()
    assert isinstance(app.screen, RosterScreen)
    return app.screen


def which(screen: RosterScreen) -> str:
    return str(screen.query_one("#which", Static).render())


async def test_without_a_session_the_shared_roster_is_edited(isolated_data_dir: Path) -> None:
    app = app_for(isolated_data_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_roster(pilot, app)
        assert "SHARED ROSTER" in which(screen)
        await pilot.press("a")
        await pilot.pause()
        await pilot.press(*"tqchen", "tab", *"Tianqi Chen", "enter")
        await pilot.pause()
        assert [m.id for m in Store(isolated_data_dir).load_roster()] == ["tqchen"]
        # The same id again is refused next to the field; the form stays open.
        await pilot.press("a")
        await pilot.pause()
        await pilot.press(*"tqchen", "tab", *"Someone", "enter")
        await pilot.pause()
        assert isinstance(app.screen, MemberForm)
        assert "already on this roster" in str(app.screen.query_one("#error", Static).render())
        await pilot.press("escape")
        assert len(Store(isolated_data_dir).load_roster()) == 1


async def test_session_roster_edits_are_logged_and_leave_shared_alone(isolated_data_dir: Path) -> None:
    async with running(isolated_data_dir, sample_session(ballots=0), size=(80, 24)) as r:
        app, pilot, path = r.app, r.pilot, r.path
        store = r.store
        screen = await open_roster(pilot, app)
        assert "SESSION ROSTER" in which(screen)
        await pilot.press("space")  # ada: binding -> no
        await pilot.press("down", "r")  # baonguyen: recused
        saved = store.load(path)
        assert saved.roster[0].binding is False and saved.roster[1].recused is True
        assert [e.action for e in saved.log[-2:]] == ["roster", "roster"]
        assert store.load_roster()[0].binding is True
        await pilot.press("t")
        assert "SHARED ROSTER" in which(screen)


async def test_filter_narrows_as_you_type(isolated_data_dir: Path) -> None:
    async with running(isolated_data_dir, size=(80, 24)) as r:
        app, pilot, _path = r.app, r.pilot, r.path
        screen = await open_roster(pilot, app)
        table = screen.query_one("#members", DataTable)
        assert table.row_count == 17
        await pilot.press("slash", *"mü")
        assert table.row_count == 1
        await pilot.press("backspace")
        assert table.row_count == 7  # every name, id or e-mail with an m


async def test_delete_asks_first(isolated_data_dir: Path) -> None:
    async with running(isolated_data_dir, size=(80, 24)) as r:
        app, pilot, path = r.app, r.pilot, r.path
        store = r.store
        await open_roster(pilot, app)
        await pilot.press("x")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmModal)
        await pilot.press("n")
        assert len(store.load(path).roster) == 17
        await pilot.press("x")
        await pilot.pause()
        await pilot.press("y")
        assert "ada" not in [m.id for m in store.load(path).roster]


async def test_copy_session_roster_to_shared(isolated_data_dir: Path) -> None:
    async with running(isolated_data_dir, shared_roster=False, size=(80, 24)) as r:
        app, pilot, _path = r.app, r.pilot, r.path
        store = r.store
        await open_roster(pilot, app)
        await pilot.press("c")
        await pilot.pause()
        await pilot.press("y")
        assert len(store.load_roster()) == 17


async def test_import_csv_previews_duplicates_and_bad_rows(isolated_data_dir: Path, tmp_path: Path) -> None:
    csv = tmp_path / "people.csv"
    csv.write_text(
        "id,name,email,binding\nada,Ada Again,,yes\nnew1,New One,n@x.org,yes\n,No Id,,\n"
        "new2,New Two,,maybe\nnew3,New Three,,no\n"
    )
    async with running(isolated_data_dir, size=(100, 40)) as r:
        app, pilot, path = r.app, r.pilot, r.path
        store = r.store
        await open_roster(pilot, app)
        await pilot.press("i")
        await pilot.pause()
        assert isinstance(app.screen, RosterImport)
        app.screen.query_one("#path", Input).value = str(csv)
        await pilot.press("enter")
        await pilot.pause()
        text = str(app.screen.query_one("#preview", Static).render())
        assert "2 new, 1 already on the roster or repeated, 2 unreadable" in text
        assert "ada: already on the roster" in text and "line 4: no id" in text and "maybe" in text
        assert not app.screen.query_one("#add", Button).disabled
        await pilot.press("ctrl+s")
        await pilot.pause()
        ids = [m.id for m in store.load(path).roster]
        assert ids[-2:] == ["new1", "new3"]
        assert store.load(path).member("new3").binding is False


async def test_import_committee_info_json(isolated_data_dir: Path, tmp_path: Path) -> None:
    info = {
        "last_updated": "2026-11-20 10:00:00 UTC",
        "committees": {
            "tvm": {
                "display_name": "TVM",
                "pmc": True,
                "chair": {"tqchen": {"name": "Tianqi Chen"}},
                "roster": {
                    "tqchen": {"name": "Tianqi Chen", "date": "2020-11-17"},
                    "ada": {"name": "Ada Lindqvist", "date": "2021-01-01"},
                },
            },
            "httpd": {"roster": {"someone": {"name": "Some One"}}},
        },
    }
    path_json = tmp_path / "committee-info.json"
    path_json.write_text(json.dumps(info))
    async with running(isolated_data_dir, size=(100, 40)) as r:
        app, pilot, path = r.app, r.pilot, r.path
        store = r.store
        await open_roster(pilot, app)
        await pilot.press("i")
        await pilot.pause()
        app.screen.query_one("#path", Input).value = str(path_json)
        await pilot.press("enter")
        await pilot.pause()
        assert "1 new, 1 already" in str(app.screen.query_one("#preview", Static).render())
        app.screen.query_one("#committee", Input).value = "nope"
        app.screen.query_one("#path", Input).focus()
        await pilot.press("enter")
        await pilot.pause()
        assert "no committee 'nope'" in str(app.screen.query_one("#preview", Static).render())
        app.screen.query_one("#committee", Input).value = "tvm"
        app.screen.query_one("#path", Input).value = str(tmp_path / "missing.json")
        await pilot.press("enter")
        await pilot.pause()
        assert "No such file" in str(app.screen.query_one("#preview", Static).render())
        app.screen.query_one("#path", Input).value = str(path_json)
        await pilot.press("enter", "ctrl+s")
        await pilot.pause()
        member = store.load(path).member("tqchen")
        assert member is not None and member.binding and member.email == "tqchen@apache.org"


@pytest.mark.parametrize("answer", ["y", "n", "escape"])
async def test_the_first_roster_imported_into_a_vote_can_be_kept_for_new_votes(
    isolated_data_dir: Path, tmp_path: Path, answer: str
) -> None:
    """With no shared roster yet, the members imported into a vote are offered as the shared
    roster, so the next new vote does not start empty."""
    csv = tmp_path / "pmc.csv"
    csv.write_text("id,name,email,binding\nada,Ada Lindqvist,ada@apache.org,yes\nzoe,Zoë Müller,,yes\n")
    app = app_for(isolated_data_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("n", *"First vote", "enter")
        await settle(pilot)
        await open_roster(pilot, app)
        await pilot.press("i")
        await pilot.pause()
        app.screen.query_one("#path", Input).value = str(csv)
        await pilot.press("enter", "ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmModal)
        assert "shared roster" in app.screen.question and "2 members" in app.screen.question
        await pilot.press(answer)
        await settle(pilot)
        assert isinstance(app.screen, RosterScreen)
    assert [m.id for m in app.meeting.session.roster] == ["ada", "zoe"]
    shared = [m.id for m in Store(isolated_data_dir).load_roster()]
    assert shared == (["ada", "zoe"] if answer == "y" else [])


@pytest.mark.parametrize(("key", "flag"), [("space", "binding"), ("r", "recused")])
async def test_one_key_that_changes_who_counts_asks_first_in_a_vote_with_ballots(
    isolated_data_dir: Path, key: str, flag: str
) -> None:
    async with running(isolated_data_dir, size=(80, 24), screen="roster") as r:
        app, store, path = r.app, r.store, r.path
        await r.press(key)  # Ada Lindqvist, binding +1
        assert isinstance(app.screen, ConfirmModal)
        question = app.screen.question
        assert "Ada Lindqvist (ada)" in question and "binding +1 8 → 7, non-binding +1 2 → 3" in question
        assert "ctrl+z undoes it" in question
        await r.press("n")
        assert store.load(path).member("ada") == r.session.member("ada")
        assert getattr(store.load(path).member("ada"), flag) is (flag == "binding")  # unchanged
        await r.press(key)
        await r.press("y")
        assert getattr(store.load(path).member("ada"), flag) is (flag != "binding")
        await r.press("ctrl+z")
        assert getattr(store.load(path).member("ada"), flag) is (flag == "binding")
        assert store.load(path).log[-1].action == "undo"


async def test_the_import_preview_shows_the_github_handles_it_read(
    isolated_data_dir: Path, tmp_path: Path
) -> None:
    csv = tmp_path / "people.csv"
    csv.write_text("id,name,email,github,binding\nzoe,Zoë Müller,zoe@apache.org,zmuller,yes\nbo,Bo Li,,,no\n")
    async with running(isolated_data_dir, size=(80, 24), screen="roster") as r:
        await r.press("i")
        r.app.screen.query_one("#path", Input).value = str(csv)
        await r.press("enter")
        text = str(r.app.screen.query_one("#preview", Static).render())
        assert "Zoë Müller (zoe) @zmuller zoe@apache.org" in text
        assert "Bo Li (bo) (no GitHub handle)  non-binding" in text


def said(app) -> list[str]:
    return [n.message for n in app._notifications]


async def test_removing_a_member_who_voted_asks_with_the_count_says_it_and_ctrl_z_takes_it_back(
    isolated_data_dir: Path,
) -> None:
    """The newcomer's accident: del asked without the count, said nothing, and ctrl+z then took back
    an unrelated earlier ballot instead of the removal."""
    async with running(isolated_data_dir, size=(80, 24), screen="roster") as r:
        app, ballots = r.app, len(r.saved().ballots)
        await r.press("x")  # Ada Lindqvist, binding +1
        assert isinstance(app.screen, ConfirmModal)
        question = app.screen.question
        assert question.startswith("Remove Ada Lindqvist (ada) from the session roster?")
        assert "binding +1 8 → 7, non-binding +1 2 → 3" in question and "ctrl+z undoes it" in question
        await r.press("y")
        assert r.saved().member("ada") is None
        assert any(
            m.startswith("Removed Ada Lindqvist (ada) from this vote's roster (binding +1 8 → 7")
            for m in said(app)
        )
        await r.press("ctrl+z")
        saved = r.saved()
        assert saved.member("ada") is not None and saved.roster[0].id == "ada"
        assert len(saved.ballots) == ballots  # no ballot was taken back
        assert any(m.startswith("Undone: Ada Lindqvist (ada) is back on the roster") for m in said(app))


async def test_adding_back_a_member_whose_ballots_then_count_asks_first(isolated_data_dir: Path) -> None:
    async with running(isolated_data_dir, size=(80, 24), screen="roster") as r:
        app = r.app
        await r.press("x", "y")
        assert r.saved().member("ada") is None
        await r.press("a")
        assert isinstance(app.screen, MemberForm)
        app.screen.query_one("#id", Input).value = "ada"
        app.screen.query_one("#name", Input).value = "Ada Lindqvist"
        await r.press("ctrl+s")
        assert isinstance(app.screen, ConfirmModal)  # his old ballot would count as binding again
        question = app.screen.question
        assert question.startswith("Add Ada Lindqvist (ada) to this vote's roster?")
        assert "binding +1 7 → 8, non-binding +1 3 → 2" in question
        await r.press("n")
        assert r.saved().member("ada") is None
        await r.press("a")
        app.screen.query_one("#id", Input).value = "ada"
        app.screen.query_one("#name", Input).value = "Ada Lindqvist"
        await r.press("ctrl+s", "y")
        assert r.saved().member("ada") is not None
        assert any(m.startswith("Added Ada Lindqvist (ada) to this vote's roster") for m in said(app))
        await r.press("ctrl+z")
        assert r.saved().member("ada") is None


async def test_an_edit_that_makes_a_voter_non_binding_asks_first(isolated_data_dir: Path) -> None:
    async with running(isolated_data_dir, size=(80, 24), screen="roster") as r:
        app = r.app
        await r.press("e")
        assert isinstance(app.screen, MemberForm)
        app.screen.query_one("#binding", Checkbox).value = False
        await r.press("ctrl+s")
        assert isinstance(app.screen, ConfirmModal)
        assert "binding +1 8 → 7, non-binding +1 2 → 3" in app.screen.question
        await r.press("y")
        assert r.saved().member("ada").binding is False
        await r.press("ctrl+z")
        assert r.saved().member("ada").binding is True
