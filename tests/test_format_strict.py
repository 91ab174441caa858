"""Loading is strict where silence would lose or invent data: fields a newer version wrote are
kept through every rewrite; contradictions, look-alike digits, duplicate ids in another case or
Unicode form, and control or bidi characters are refused with the file, field and line."""

from __future__ import annotations

import datetime as dt
import tomllib
from pathlib import Path

import pytest

from tests.factories import T0, roster, session
from tvm_vote_tui.domain.model import Member
from tvm_vote_tui.domain.votes import parse_vote
from tvm_vote_tui.store.format import SessionFileError, session_from_toml, session_to_toml
from tvm_vote_tui.store.sessions import OpenSession, Store, load

DOC = """\
schema_version = 1
session_id = "0123456789abcdef"
quorum_note = "kept"
decided_on = 2026-12-02

[meta]
tool = "a newer tvm-vote-tui"
nested = { deep = [1, 2, { x = 1979-05-27T07:32:00Z }] }

[proposal]
title = "Adopt the Relax codebase"
kind = "new-codebase"
opens_at = 2026-11-24T17:00:00Z
closes_at = 2026-12-01T17:00:00Z
quorum = 5

[[roster]]
id = "alice"
name = "Alice Example"
email = "alice@apache.org"
affiliation = "Example Corp"
since = 2020-01-01

[[roster]]
id = "bob"
name = "Bob"

[[ballots]]
voter = "alice"
vote = "+1"
cast_at = 2026-11-24T18:00:00Z
note = "first line\\n\\tsecond line"
weight = 1.5

[[log]]
at = 2026-11-24T18:00:00Z
action = "ballot"
detail = "alice voted +1"
host = "laptop"
"""


def unknown_fields(text: str) -> dict[str, object]:
    raw = tomllib.loads(text)
    return {
        "top": raw["quorum_note"],
        "date": raw["decided_on"],
        "meta": raw["meta"],
        "proposal": raw["proposal"]["quorum"],
        "member": (raw["roster"][0]["affiliation"], raw["roster"][0]["since"]),
        "ballot": raw["ballots"][0]["weight"],
        "log": raw["log"][0]["host"],
    }


@pytest.fixture
def file(isolated_data_dir: Path) -> Path:
    store = Store(isolated_data_dir)
    store.ensure()
    path = store.sessions_dir / "newer.toml"
    path.write_text(DOC)
    return path


def test_fields_a_newer_version_wrote_survive_a_rewrite(file: Path) -> None:
    expected = unknown_fields(DOC)
    assert unknown_fields(session_to_toml(session_from_toml(DOC))) == expected
    opened = OpenSession.open(Store(file.parent.parent), file)
    s = opened.session
    s.record("bob", parse_vote("-1"), at=T0.add(hours=2))
    s.set_title("Adopt Relax", at=T0.add(hours=2))  # a state change: the proposal goes to the journal
    s.update_member("alice", Member("alice", "Alice Renamed", "alice@apache.org"), at=T0.add(hours=2))
    s.set_recused("alice", True, at=T0.add(hours=2))
    reread = load(file).session  # replayed from the journal, before any fold
    assert reread.proposal.extra == {"quorum": 5}
    assert reread.roster[0].extra == {"affiliation": "Example Corp", "since": dt.date(2020, 1, 1)}
    opened.compact()
    opened.close()
    text = file.read_text()
    assert unknown_fields(text) == expected
    back = load(file).session
    assert back.proposal.title == "Adopt Relax" and back.roster[0].name == "Alice Renamed"


def test_the_shared_roster_keeps_fields_it_does_not_know(isolated_data_dir: Path) -> None:
    store = Store(isolated_data_dir)
    store.root.mkdir(parents=True)
    store.roster_path.write_text(
        'schema_version = 1\nsource = "whimsy"\n\n[[roster]]\nid = "ada"\nname = "Ada"\nphone = "1"\n'
    )
    members = store.load_roster()
    store.save_roster([*members, Member("bo", "Bo")])
    raw = tomllib.loads(store.roster_path.read_text())
    assert raw["source"] == "whimsy" and raw["roster"][0]["phone"] == "1"
    assert [m["id"] for m in raw["roster"]] == ["ada", "bo"]
    store.save_roster([Member("ADA", "Ada Renamed"), Member("bo", "Bo")])  # as the member form makes it
    raw = tomllib.loads(store.roster_path.read_text())
    assert raw["roster"][0] == {
        "id": "ADA",
        "name": "Ada Renamed",
        "email": "",
        "binding": True,
        "phone": "1",
    }


def test_a_damaged_shared_roster_is_not_replaced(isolated_data_dir: Path) -> None:
    store = Store(isolated_data_dir)
    store.root.mkdir(parents=True)
    store.roster_path.write_text("[[roster]\n")
    with pytest.raises(OSError, match="not replaced"):
        store.save_roster([Member("bo", "Bo")])
    assert store.roster_path.read_text() == "[[roster]\n"


def _changed(old: str, new: str) -> str:
    assert old in DOC, old
    return DOC.replace(old, new, 1)


BAD = {
    "withdrawn with a vote": (
        _changed('vote = "+1"', 'vote = "+1"\nwithdrawn = true'),
        "ballots[0].vote",
        "withdrawal",
    ),
    "closes before it opens": (
        _changed("closes_at = 2026-12-01T17:00:00Z", "closes_at = 2026-11-20T17:00:00Z"),
        "proposal.closes_at",
        "close after it opens",
    ),
    "closes when it opens": (
        _changed("closes_at = 2026-12-01T17:00:00Z", "closes_at = 2026-11-24T18:00:00+01:00"),
        "proposal.closes_at",
        "close after it opens",
    ),
    "arabic-indic one": (_changed('vote = "+1"', 'vote = "+\u0661"'), "ballots[0].vote", "unknown vote"),
    "fullwidth one": (_changed('vote = "+1"', 'vote = "\uff11"'), "ballots[0].vote", "unknown vote"),
    "same id in another case": (_changed('id = "bob"', 'id = "ALICE"'), "roster[1].id", "twice"),
    # Ids are plain ASCII (an accent, another script, a zero-width space: never one id looking like another).
    "an id that is not plain": (_changed('id = "alice"', 'id = "zoë"'), "roster[0].id", "not plain"),
    "a Cyrillic letter in an id": (_changed('id = "alice"', 'id = "\u043elu"'), "roster[0].id", "not plain"),
    "a zero-width space in an id": (_changed('id = "bob"', 'id = "b\u200bob"'), "roster[1].id", "U+200B"),
    "a soft hyphen in a name": (_changed('name = "Bob"', 'name = "B\u00adob"'), "roster[1].name", "U+00AD"),
    "a tag character in a name": (
        _changed('name = "Bob"', 'name = "Bob\U000e0041"'),
        "roster[1].name",
        "U+E0041",
    ),
    "a GitHub handle that is not one": (
        _changed('name = "Bob"', 'name = "Bob"\ngithub = "b\u043eb"'),
        "roster[1].github",
        "not a GitHub user name",
    ),
    "escape in an id": (_changed('id = "bob"', 'id = "bob\\u001b[2J"'), "roster[1].id", "U+001B"),
    "escape in a name": (
        _changed('name = "Bob"', 'name = "Bob\\u001b]0;pwned\\u0007"'),
        "roster[1].name",
        "U+001B",
    ),
    "bidi in a name": (_changed('name = "Bob"', 'name = "Bob\\u202e"'), "roster[1].name", "U+202E"),
    "bidi in an e-mail": (
        _changed('email = "alice@apache.org"', 'email = "alice@apache.org\\u2066"'),
        "roster[0].email",
        "U+2066",
    ),
    "escape in a handle": (
        _changed('name = "Bob"', 'name = "Bob"\ngithub = "b\\u009bob"'),
        "roster[1].github",
        "U+009B",
    ),
    "escape in known addresses": (
        _changed('name = "Bob"', 'name = "Bob"\nemails = ["b@x.org\\u001b"]'),
        "roster[1].emails",
        "U+001B",
    ),
    "escape in a summary": (
        _changed('kind = "new-codebase"', 'kind = "new-codebase"\nsummary = "ok\\n\\tbut \\u001b[2J"'),
        "proposal.summary",
        "U+001B",
    ),
    "escape in a link": (
        _changed('kind = "new-codebase"', 'kind = "new-codebase"\nlinks = ["https://x.org/\\u001b"]'),
        "proposal.links",
        "U+001B",
    ),
    "escape in a voter": (
        _changed('voter = "alice"', 'voter = "al\\u001bice"'),
        "ballots[0].voter",
        "U+001B",
    ),
    "escape in a note": (_changed('note = "first', 'note = "\\u001b first'), "ballots[0].note", "U+001B"),
    "escape in the session id": (
        _changed('session_id = "0123456789abcdef"', 'session_id = "0123\\u001b"'),
        "session_id",
        "U+001B",
    ),
    "an unknown field nested too deeply": (
        _changed("quorum = 5", "quorum = " + "[" * 40 + "]" * 40),
        "proposal.quorum",
        "nested too deeply",
    ),
    "a negative journal_seq": (
        _changed('quorum_note = "kept"', "journal_seq = -1"),
        "journal_seq",
        "0 or more",
    ),
}


@pytest.mark.parametrize("name", list(BAD))
def test_what_cannot_be_read_without_guessing_is_refused(name: str) -> None:
    text, field, words = BAD[name]
    with pytest.raises(SessionFileError) as err:
        session_from_toml(text, "votes/newer.toml")
    assert err.value.field == field, err.value
    assert words in err.value.message
    assert (
        err.value.line is not None
        and field.split(".")[-1].split("[")[0] in text.splitlines()[err.value.line - 1]
    )
    assert "\n" not in str(err.value)


@pytest.mark.parametrize(
    ("old", "new", "title", "action"),
    [
        ('title = "Adopt the Relax codebase"', 'title = "Adopt\\u001b[2J"', "Adopt\x1b[2J", "ballot"),
        ('title = "Adopt the Relax codebase"', 'title = "Adopt\\nthis"', "Adopt\nthis", "ballot"),
        ('action = "ballot"', 'action = "ballot\\u202e"', "Adopt the Relax codebase", "ballot\u202e"),
    ],
)
def test_a_title_and_a_log_action_load_as_written(old: str, new: str, title: str, action: str) -> None:
    """The title and the log are words, not identities: they load exactly (every output shows
    them made visible), where ids, names, addresses and handles are refused."""
    s = session_from_toml(_changed(old, new), "votes/newer.toml")
    assert (s.proposal.title, s.log[0].action) == (title, action)


def test_newlines_and_tabs_are_kept_where_text_runs_over_lines() -> None:
    s = session_from_toml(DOC)
    assert s.ballots[0].note == "first line\n\tsecond line"


def test_a_file_the_app_wrote_still_names_the_line(isolated_data_dir: Path) -> None:
    """The app writes short tables inline (`roster = [ {...}, ... ]`): errors find their line."""
    text = session_to_toml(session([("m0", "+1"), ("m1", "-1")], members=roster(3)))
    assert "\nballots = [\n" in text
    bad = text.replace('voter = "m1", vote = "-1"', 'voter = "m1", vote = "yes"')
    with pytest.raises(SessionFileError) as err:
        session_from_toml(bad, "x.toml")
    assert err.value.field == "ballots[1].vote"
    assert err.value.line is not None and 'vote = "yes"' in bad.splitlines()[err.value.line - 1]


def test_the_app_never_writes_a_time_it_would_refuse_to_read() -> None:
    """The window typed on the Proposal screen is held to the same calendar as loading."""
    from datetime import timedelta

    import pendulum

    from tvm_vote_tui.domain.errors import ChangeRefused

    s = session(members=roster(3))
    far = pendulum.datetime(9999, 12, 31, 23, 59, tz="UTC")
    with pytest.raises(ChangeRefused, match="between the years 1970 and 8999"):
        s.set_window(T0, far)
    with pytest.raises(ChangeRefused, match="between the years 1970 and 8999"):
        s.set_window(pendulum.datetime(1969, 12, 31, tz="UTC"), T0)
    s.set_window(pendulum.datetime(1970, 1, 1, tz="UTC"), pendulum.datetime(8999, 12, 31, tz="UTC"))
    back = session_from_toml(session_to_toml(s))
    assert back.proposal.closes_at == s.proposal.closes_at
    copy = s.duplicate(T0)  # seven millennia from now do not fit: the usual week instead
    assert copy.is_draft and copy.proposal.window == timedelta(days=7)
    assert session_from_toml(session_to_toml(copy)).proposal.window == timedelta(days=7)


def test_a_log_detail_quoting_a_hostile_file_name_does_not_make_the_vote_unreadable(
    isolated_data_dir: Path,
) -> None:
    store = Store(isolated_data_dir)
    opened = OpenSession.open(store, store.create(session(members=roster(3))))
    opened.session.add_members([Member("zoe", "Zoë")], source="people\x1b]0;x\x07.csv", at=T0)
    opened.compact()
    opened.close()
    assert "people\x1b]0;x\x07.csv" in load(opened.path).session.log[-1].detail
