from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.factories import roster
from tvm_vote_tui.domain.roster_import import RosterImportError, detect_format, preview_import


def test_csv_with_odd_names_and_problems() -> None:
    text = (
        'id,name,email,github,binding\nzoe,"Zoë ""Z"" O\'Brien | <b>",z@x.org,zo,yes\nm0,Dup,,,\n'
        "zoe,Again,,,\nbad id,Spaces,,,\nq,,,,\n"
    )
    preview = preview_import(text, "csv", roster(2), source="people.csv")
    assert [m.name for m in preview.new] == ['Zoë "Z" O\'Brien | <b>']
    assert preview.new[0].github == "zo"
    assert [reason.split(":")[1].strip() for _, reason in preview.duplicates] == [
        "already on the roster as Member 0",
        'repeated in the file as Zoë "Z" O\'Brien | <b>',
    ]
    assert [where for where, _ in preview.bad_rows] == ["line 5", "line 6"]


def test_csv_needs_a_header() -> None:
    with pytest.raises(RosterImportError, match="header row"):
        preview_import("alice,Alice\n", "csv", [])


def test_toml_roster() -> None:
    text = '[[roster]]\nid = "a"\nname = "A"\nbinding = false\n[[roster]]\nname = "no id"\n'
    preview = preview_import(text, "toml", [])
    assert [(m.id, m.binding) for m in preview.new] == [("a", False)]
    assert preview.bad_rows == [("roster[1]", "roster[1]: no id")]
    with pytest.raises(RosterImportError, match="not valid TOML"):
        preview_import("[[roster", "toml", [])


def test_committee_info() -> None:
    doc = {"committees": {"tvm": {"roster": {"tqchen": {"name": "Tianqi Chen", "date": "2020-11-17"}}}}}
    preview = preview_import(json.dumps(doc), "committee-info", [], committee="TVM")
    assert [(m.id, m.name, m.email, m.binding) for m in preview.new] == [
        ("tqchen", "Tianqi Chen", "tqchen@apache.org", True)
    ]
    with pytest.raises(RosterImportError, match="no committee 'spark'"):
        preview_import(json.dumps(doc), "committee-info", [], committee="spark")
    with pytest.raises(RosterImportError, match="not valid JSON"):
        preview_import("{", "committee-info", [])
    with pytest.raises(RosterImportError, match="no 'committees'"):
        preview_import("[]", "committee-info", [])


def test_detect_format() -> None:
    assert detect_format(Path("x.json"), "") == "committee-info"
    assert detect_format(Path("x.toml"), "") == "toml"
    assert detect_format(Path("x.csv"), "id,name") == "csv"


def test_a_csv_error_names_the_line_it_is_on() -> None:
    text = "id,name\nada,Ada\nbob," + "b" * 200_000 + "\n"
    with pytest.raises(
        RosterImportError, match=r"^line 3: not readable as CSV \(field larger than field limit"
    ):
        preview_import(text, "csv", [])
