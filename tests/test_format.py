from __future__ import annotations

import tomllib
from pathlib import Path

import pendulum
import pytest

from tests.factories import T0, session
from tvm_vote_tui.domain.votes import parse_vote
from tvm_vote_tui.store.format import SessionFileError, session_from_toml, session_to_toml

SPEC_EXAMPLE = """\
schema_version = 1
[proposal]
title = "Adopt the Relax codebase"
kind = "new-codebase"
rule = "lazy-two-thirds"
summary = "Discussed at length."
links = ["https://discuss.tvm.apache.org/t/1"]
opens_at = 2026-11-24T17:00:00Z
closes_at = 2026-12-01T17:00:00+01:00

[[roster]]
id = "alice"
name = "Alice Example"
email = "alice@apache.org"
binding = true
github = "alice-gh"

[[roster]]
id = "bob"
name = "Bob"
email = "bob@apache.org"
binding = true
recused = true

[[ballots]]
voter = "alice"
vote = "+1"
cast_at = 2026-11-24T18:00:00Z
note = ""

[[ballots]]
voter = "Zoë Outsider"
vote = "-0"
cast_at = 2026-11-24T18:05:00Z
note = "not on roster"

[[log]]
at = 2026-11-24T18:00:00Z
action = "ballot"
detail = "alice voted +1"
"""


def test_reads_the_documented_shape() -> None:
    s = session_from_toml(SPEC_EXAMPLE, "example.toml")
    assert s.proposal.kind.value == "new-codebase"
    assert s.proposal.closes_at == pendulum.datetime(2026, 12, 1, 16, 0, tz="UTC")
    assert s.roster[0].github == "alice-gh" and s.roster[1].recused
    assert [b.vote.text for b in s.ballots if b.vote] == ["+1", "-0"]
    result = s.tally()
    assert result.binding.plus == 1 and result.non_binding.zero == 1
    assert result.not_voted == ()  # bob is recused


def test_round_trip_keeps_everything_and_offsets() -> None:
    s = session([("m1", "-0"), ("guest", "+0.5"), ("m0", "-1")])
    s.record("m0", parse_vote("+1"), note='multi\nline "quoted" note', at=T0)
    s.record("m1", None, at=T0.add(hours=1))
    s.set_window(s.opened_window[0], pendulum.datetime(2026, 12, 1, 17, tz="Asia/Shanghai"))
    text = session_to_toml(s)
    back = session_from_toml(text)
    assert back == s
    assert "+08:00" in text
    raw = tomllib.loads(text)
    assert raw["schema_version"] == 1
    assert raw["ballots"][4] == {
        "voter": "m1",
        "withdrawn": True,
        "cast_at": raw["ballots"][4]["cast_at"],
        "note": "",
    }


def _broken(old: str, new: str) -> str:
    assert old in SPEC_EXAMPLE
    return SPEC_EXAMPLE.replace(old, new, 1)


@pytest.mark.parametrize(
    ("text", "field", "line", "words"),
    [
        (_broken('vote = "+1"', 'vote = "yes"'), "ballots[0].vote", 27, "+1, 1, +0"),
        (_broken('vote = "+1"', "vote = 1"), "ballots[0].vote", 27, "expected a string"),
        (_broken("schema_version = 1", "schema_version = 9"), "schema_version", 1, "newer"),
        (_broken('title = "Adopt the Relax codebase"\n', ""), "proposal.title", 2, "missing"),
        (
            _broken("binding = true\nrecused", 'binding = "yes"\nrecused'),
            "roster[1].binding",
            22,
            "true or false",
        ),
        (_broken('rule = "lazy-two-thirds"', 'rule = "simple"'), "proposal.rule", 5, "lazy-majority"),
        (_broken('kind = "new-codebase"', 'kind = "module"'), "proposal.kind", 4, "new-module"),
        (
            _broken("opens_at = 2026-11-24T17:00:00Z", "opens_at = 2026-11-24T17:00:00"),
            "proposal.opens_at",
            8,
            "no UTC offset",
        ),
        (_broken('id = "bob"', 'id = "alice"'), "roster[1].id", 19, "twice"),
    ],
)
def test_errors_name_file_field_and_line(text: str, field: str, line: int, words: str) -> None:
    with pytest.raises(SessionFileError) as err:
        session_from_toml(text, Path("votes/x.toml"))
    assert err.value.field == field
    assert err.value.line == line
    assert words in err.value.message
    assert str(err.value).startswith("votes/x.toml")


def test_toml_syntax_error_gives_line() -> None:
    with pytest.raises(SessionFileError) as err:
        session_from_toml(_broken('note = ""', 'note = "unterminated'), "x.toml")
    assert err.value.line == 29
    assert "not valid TOML" in str(err.value)


def test_vote_roundtrip_keeps_spelling() -> None:
    s = session([("m0", "1")])
    assert session_from_toml(session_to_toml(s)).ballots[0].vote == parse_vote("1")
