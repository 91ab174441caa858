"""Every bad file gets one line naming it, exit status 2, and is left untouched: deep nesting,
times that overflow, journal lines of the wrong shape, and a BOM (which is accepted)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.factories import T0, roster, session
from tvm_vote_tui.cli import main
from tvm_vote_tui.domain.roster_import import RosterImportError, preview_import
from tvm_vote_tui.domain.votes import parse_vote
from tvm_vote_tui.store.format import SessionFileError, session_to_toml
from tvm_vote_tui.store.journal import journal_path
from tvm_vote_tui.store.sessions import OpenSession, Store, load

DEEP = 5000
NESTED_TOML = {
    "array": "x = " + "[" * DEEP + "]" * DEEP + "\n",
    "inline table": "x = " + "{a = " * DEEP + "1" + "}" * DEEP + "\n",
}
OVERFLOWING = [
    "9999-12-31T23:59:59-23:59",
    "0001-01-01T00:00:00+23:59",
    "1969-12-31T23:59:59Z",
    "9000-01-01T00:00:00Z",
]


def good_text() -> str:
    return session_to_toml(session([("m0", "+1")], members=roster(3)))


def files_of(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def one_error_line(capsys: pytest.CaptureFixture[str], *words: str) -> str:
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err, err
    for word in words:
        assert word in err, err
    return err


@pytest.fixture
def store(isolated_data_dir: Path) -> Store:
    made = Store(isolated_data_dir)
    made.ensure()
    return made


@pytest.mark.parametrize("nested", list(NESTED_TOML))
def test_toml_nested_thousands_deep_is_one_error_everywhere(
    nested: str, store: Store, capsys: pytest.CaptureFixture[str]
) -> None:
    store.create(session(title="Good one"))
    bad = store.sessions_dir / "deep.toml"
    bad.write_text(NESTED_TOML[nested] + good_text())
    before = files_of(store.sessions_dir)
    with pytest.raises(SessionFileError, match="nested too deeply"):
        load(bad)
    for command in (["tally", str(bad)], ["export", str(bad)], ["tally", "deep", "--json"]):
        assert main(command) == 2
        one_error_line(capsys, "deep.toml", "nested too deeply")
    assert main(["list"]) == 0  # the good one is listed, the deep one as unreadable
    out = capsys.readouterr().out
    assert "Good one" in out and "deep  UNREADABLE" in out and "nested too deeply" in out
    listings = store.list_sessions()
    assert [bool(listing.error) for listing in listings] == [False, True]
    assert files_of(store.sessions_dir) == before


@pytest.mark.parametrize("moment", OVERFLOWING)
def test_times_out_of_range_are_refused_on_open_and_export(
    moment: str, store: Store, capsys: pytest.CaptureFixture[str]
) -> None:
    path = store.sessions_dir / "far.toml"
    text = good_text()
    assert "opens_at = 2026-11-24 17:00:00+00:00" in text
    path.write_text(text.replace("opens_at = 2026-11-24 17:00:00+00:00", f"opens_at = {moment}"))
    before = files_of(store.sessions_dir)
    with pytest.raises(SessionFileError) as err:
        OpenSession.open(store, path)
    assert err.value.field == "proposal.opens_at" and "between the years 1970 and 8999" in err.value.message
    for fmt in ("result", "markdown", "json", "announce"):
        assert main(["export", str(path), "--format", fmt]) == 2
        one_error_line(capsys, "far.toml", "proposal.opens_at")
    assert files_of(store.sessions_dir) == before


def test_a_cast_at_that_overflows_in_the_journal_is_refused(store: Store) -> None:
    path = store.create(session(members=roster(3)))
    opened = OpenSession.open(store, path)
    opened.session.record("m0", parse_vote("+1"), at=T0)
    opened.close()
    jpath = journal_path(path)
    jpath.write_text(jpath.read_text().replace("2026-11-24T17:00:00+00:00", "9999-12-31T23:59:59-23:59", 1))
    with pytest.raises(SessionFileError) as err:
        load(path)
    assert err.value.line == 2 and "between the years" in str(err.value)


def _entry(**fields: object) -> dict[str, object]:
    log = [{"at": "2026-11-24T17:00:00+00:00", "action": "ballot", "detail": "m0 voted +1"}]
    ballot = {"voter": "m0", "vote": "+1", "cast_at": "2026-11-24T17:00:00+00:00", "note": ""}
    entry: dict[str, object] = {"seq": 1, "op": "ballot", "ballot": ballot, "log": log}
    entry.update(fields)
    return {k: v for k, v in entry.items() if v is not None}


DEEP_JSON = "[" * 100_000 + "]" * 100_000
BAD_ENTRIES = {
    "ballot a list": json.dumps(_entry(ballot=[1, 2])),
    "ballot a string": json.dumps(_entry(ballot="m0 +1")),
    "ballot missing": json.dumps(_entry(ballot=None)),
    "ballot voter a table": json.dumps(_entry(ballot={"voter": {"a": 1}, "vote": "+1", "cast_at": "x"})),
    "log a table": json.dumps(_entry(log={"at": 1})),
    "log of numbers": json.dumps(_entry(log=[1, 2])),
    "log null": json.dumps(_entry(log=0)),
    "items a string": json.dumps(_entry(op="undo", ballot=None, items="0 m0")),
    "items of one": json.dumps(_entry(op="undo", ballot=None, items=[[0]])),
    "items of three": json.dumps(_entry(op="undo", ballot=None, items=[[0, "m0", 1]])),
    "items bool position": json.dumps(_entry(op="undo", ballot=None, items=[[True, "m0"]])),
    "items out of range": json.dumps(_entry(op="undo", ballot=None, items=[[99, "m0"]])),
    "ballots a table": json.dumps(_entry(op="import", ballot=None, ballots={"a": 1})),
    "proposal a list": json.dumps(_entry(op="state", ballot=None, proposal=[], roster=[])),
    "roster a table": json.dumps(_entry(op="state", ballot=None, proposal={}, roster={})),
    "unknown op": json.dumps(_entry(op="vote")),
    "op a list": json.dumps(_entry(op=["ballot"])),
    "unknown field": json.dumps(_entry(surprise=1)),
    "extra not text": json.dumps(_entry(ballot={"+toml": 1})),
    "huge number": '{"seq": 1, "op": "ballot", "ballot": {"voter": "m0", "vote": "+1", "n": '
    + "9" * 5000
    + "}}",
    "nested 100k deep": '{"seq": 1, "op": "ballot", "ballot": ' + DEEP_JSON + "}",
    "nested 100k in log": '{"seq": 1, "op": "ballot", "log": ' + DEEP_JSON + "}",
    "a whole line nested": DEEP_JSON,
}


@pytest.mark.parametrize("name", list(BAD_ENTRIES))
def test_journal_lines_of_the_wrong_shape_are_one_error_and_left_alone(
    name: str, store: Store, capsys: pytest.CaptureFixture[str]
) -> None:
    s = session(members=roster(3))
    path = store.create(s)
    jpath = journal_path(path)
    header = json.dumps({"journal": 1, "session": s.session_id, "base": 0})
    jpath.write_text(f"{header}\n{BAD_ENTRIES[name]}\n")
    before = files_of(store.sessions_dir)
    with pytest.raises(SessionFileError) as err:
        load(path)
    assert err.value.line == 2 and ".journal" in err.value.path
    assert main(["tally", str(path)]) == 2
    one_error_line(capsys, ".journal, line 2")
    with pytest.raises(SessionFileError):
        OpenSession.open(store, path)
    assert files_of(store.sessions_dir) == before  # no lock left behind either


@pytest.mark.parametrize("where", ["session", "shared roster"])
def test_a_bom_at_the_start_of_a_toml_file_is_accepted(where: str, store: Store) -> None:
    if where == "session":
        path = store.sessions_dir / "bom.toml"
        path.write_bytes(b"\xef\xbb\xbf" + good_text().encode())
        assert [b.voter for b in load(path).session.ballots] == ["m0"]
        opened = OpenSession.open(store, path)
        opened.session.record("m1", parse_vote("-1"), at=T0)
        opened.compact()
        opened.close()
        assert [b.voter for b in load(path).session.ballots] == ["m0", "m1"]
    else:
        store.save_roster(roster(2))
        text = store.roster_path.read_bytes()
        store.roster_path.write_bytes(b"\xef\xbb\xbf" + text)
        assert [m.id for m in store.load_roster()] == ["m0", "m1"]


@pytest.mark.parametrize("fmt", ["csv", "toml"])
def test_a_bom_in_a_roster_import_is_accepted(fmt: str) -> None:
    text = "id,name\nada,Ada\n" if fmt == "csv" else '[[roster]]\nid = "ada"\nname = "Ada"\n'
    preview = preview_import("\ufeff" + text, fmt, [])
    assert [m.id for m in preview.new] == ["ada"] and not preview.bad_rows


@pytest.mark.parametrize(
    ("fmt", "text", "words"),
    [
        pytest.param("csv", "id,name\nada," + "a" * 200_000 + "\n", "larger than field limit", id="csv-200k"),
        pytest.param("committee-info", DEEP_JSON, "nested too deeply", id="json-deep"),
        pytest.param(
            "committee-info", '{"committees": ' + DEEP_JSON + "}", "too deeply", id="json-deep-inside"
        ),
        pytest.param("committee-info", '{"n": ' + "9" * 5000 + "}", "not valid JSON", id="json-huge-number"),
        pytest.param("toml", "x = " + "[" * DEEP + "]" * DEEP, "nested too deeply", id="toml-deep"),
        pytest.param("toml", "x = " + "9" * 5000, "not valid TOML", id="toml-huge-number"),
    ],
)
def test_roster_imports_that_cannot_be_read_are_one_error(fmt: str, text: str, words: str) -> None:
    with pytest.raises(RosterImportError, match=words) as err:
        preview_import(text, fmt, [])
    assert "\n" not in str(err.value)


def test_a_committee_roster_whose_names_are_not_text_are_bad_rows() -> None:
    deep = "[" * 500 + "]" * 500
    text = '{"committees": {"tvm": {"roster": {"ada": {"name": ' + deep + '}, "bo": {"name": "Bo"}}}}}'
    preview = preview_import(text, "committee-info", [])
    assert [m.id for m in preview.new] == ["bo"]
    assert preview.bad_rows == [("tvm:ada", "tvm:ada: the name is not text")]


def test_a_fifo_in_the_sessions_folder_is_listed_not_waited_on(
    store: Store, capsys: pytest.CaptureFixture[str]
) -> None:
    """Reading a FIFO would wait for a writer that never comes: it is not a session file."""
    import os

    os.mkfifo(store.sessions_dir / "pipe.toml")
    good = store.create(session(title="Good one"))
    os.mkfifo(journal_path(good))
    assert main(["list"]) == 0
    out = capsys.readouterr().out
    assert "pipe  UNREADABLE" in out and "not a regular file" in out
    assert "Good one" not in out and "cannot read the journal" in out
    assert main(["tally", str(store.sessions_dir / "pipe.toml")]) == 2
    one_error_line(capsys, "pipe.toml")
