"""Who a roster member is: plain ids, names without invisible characters, exact addresses, members
who look alike flagged (on import and on load), and one binding vote counted once."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.factories import T0, session
from tvm_vote_tui.domain.addresses import address_key, same_address
from tvm_vote_tui.domain.errors import ChangeRefused
from tvm_vote_tui.domain.lookalike import look_alike, look_alikes
from tvm_vote_tui.domain.model import Member
from tvm_vote_tui.domain.roster import look_alike_warnings, member_problem
from tvm_vote_tui.domain.roster_import import preview_import
from tvm_vote_tui.domain.text import hidden_problem
from tvm_vote_tui.domain.votes import parse_vote
from tvm_vote_tui.store.format import SessionFileError
from tvm_vote_tui.store.sessions import Store

# -- addresses -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ("olu@apache.org", "OLU@Apache.ORG", True),  # the case of ASCII letters only
        ("olu@apache.org.", "olu@apache.org", True),  # the root's dot
        ("olu@xn--apche-yqa.org", "olu@apáche.org", True),  # one domain, written two ways
        ("olu@apáche.org", "olu@apache.org", False),  # another, registrable domain
        ("gustavo.r@exämple.com", "gustavo.r@example.com", False),
        ("olu@аpache.org", "olu@apache.org", False),  # a Cyrillic а
        ("olu@ａｐａｃｈｅ.org", "olu@apache.org", False),  # fullwidth: IDNA 2003 maps it, 2008 refuses
        ("olu@straße.de", "olu@strasse.de", False),  # IDNA 2003 maps ß to ss; 2008 does not
        ("olu@apa\u200bche.org", "olu@apache.org", False),  # a zero-width space the codec drops
        ("olu@apa\u00adche.org", "olu@apache.org", False),  # a soft hyphen, likewise
        ("ölu@apache.org", "olu@apache.org", False),  # the local part is never accent-folded
        ("\u212aofi@apache.org", "kofi@apache.org", False),  # the Kelvin sign is no K
        ("o\u200blu@apache.org", "olu@apache.org", False),
        ("olu@a..org", "olu@a..org", False),  # not an address: matches nothing, not even itself
        ("olu", "olu", False),
        ("@apache.org", "@apache.org", False),
    ],
)
def test_addresses_match_exactly(a: str, b: str, same: bool) -> None:
    assert same_address(a, b) is same
    assert same_address(b, a) is same


@given(
    local=st.from_regex(r"[a-z][a-z0-9.]{0,10}", fullmatch=True),
    label=st.from_regex(r"[a-z]{2,12}", fullmatch=True),
    where=st.integers(min_value=0, max_value=12),
    accent=st.sampled_from("áäàâãåéëèêíïóöôúüùçñýÿ"),
)
def test_an_accent_anywhere_in_the_domain_is_another_domain(
    local: str, label: str, where: int, accent: str
) -> None:
    plain = f"{local}@{label}.org"
    place = min(where, len(label))
    changed = f"{local}@{label[:place]}{accent}{label[place:]}.org"
    assert same_address(plain, plain.upper())
    assert not same_address(plain, changed)
    key = address_key(changed)
    assert key is not None and key.rpartition("@")[2].startswith("xn--")  # compared as DNS sees it


def test_a_look_alike_domain_never_matches_a_member_in_a_thread() -> None:
    from tvm_vote_tui.votethread.proposals import propose

    members = [
        Member("olu", "Olu Adeyemi", "olu@apache.org"),
        Member("gruiz", "Gustavo Ruiz", "gustavo.r@example.com"),
    ]
    s = session(members=members)
    mails = (
        "From: Olu Adeyemi <olu@apáche.org>\nDate: Tue, 25 Nov 2026 10:00:00 +0000\n\n+1 (binding)\n\n"
        "From: gustavo.r@exämple.com\nDate: Tue, 25 Nov 2026 11:00:00 +0000\n\n-1 (binding)\n"
    )
    got = propose(mails, s, at=T0.add(days=2)).proposed
    assert [p.voter for p in got] == ["Olu Adeyemi <olu@apáche.org>", "gustavo.r@exämple.com"]
    assert not any(p.binding or p.clear or p.matched_by for p in got)
    assert got[0].suggested == "olu"  # the name is Olu's: a guest unless the manager picks olu
    # The same mails from the members' own addresses, written in another case, do match.
    own = mails.replace("olu@apáche.org", "OLU@apache.org").replace(
        "gustavo.r@exämple.com", "Gustavo.R@EXAMPLE.com"
    )
    assert [(p.voter, p.matched_by) for p in propose(own, s, at=T0.add(days=2)).proposed] == [
        ("olu", "e-mail"),
        ("gruiz", "e-mail"),
    ]


def test_a_remembered_address_is_compared_exactly_too() -> None:
    s = session(members=[Member("olu", "Olu Adeyemi", "olu@apache.org")])
    assert s.add_member_address("olu", "OLU@Apache.org", T0) is None  # the same address
    assert s.add_member_address("olu", "olu@apáche.org", T0) is not None  # another one
    assert s.member("olu").emails == ("olu@apáche.org",)


# -- ids and names -----------------------------------------------------------------------------

BAD_IDS = {
    "Cyrillic о": "\u043elu",
    "Greek ο": "\u03bflu",
    "fullwidth": "ｏｌｕ",
    "zero-width space": "o\u200blu",
    "zero-width joiner": "o\u200dlu",
    "tag characters": "olu\U000e0061\U000e0062",
    "soft hyphen": "ol\u00adu",
    "right-to-left mark": "olu\u200f",
    "left-to-right mark": "\u200eolu",
    "Arabic letter mark": "olu\u061c",
    "variation selector": "olu\ufe0f",
    "accent": "zoë",
    "space": "o lu",
    "slash": "olu/x",
    "at": "olu@x",
    "leading dash": "-olu",
    "only a dot": ".",
    "too long": "x" * 65,
}


@pytest.mark.parametrize("bad", BAD_IDS.values(), ids=BAD_IDS.keys())
def test_ids_are_plain(bad: str) -> None:
    problem = member_problem(Member(bad, "Olu Adeyemi"), ())
    assert problem is not None and "id" in problem
    with pytest.raises(ChangeRefused):
        session().add_member(Member(bad, "Olu Adeyemi"))


@pytest.mark.parametrize("good", ["olu", "tq.chen", "m_1", "a-b", "1abc", "X" * 64])
def test_plain_ids_are_fine(good: str) -> None:
    assert member_problem(Member(good, "Someone"), ()) is None


BAD_NAMES = {
    "zero-width space": "Olu\u200b Adeyemi",
    "soft hyphen": "Ade\u00adyemi",
    "right-to-left mark": "Olu\u200f",
    "left-to-right mark": "\u200eOlu",
    "Arabic letter mark": "Olu\u061c",
    "tag characters": "Olu\U000e0041",
    "variation selector": "Olu\ufe0e",
    "combining grapheme joiner": "Ol\u034fu",
    "Hangul filler": "Olu\u3164Adeyemi",
    "no-break space": "Olu\u00a0Adeyemi",
    "word joiner": "Olu\u2060",
    "byte order mark": "\ufeffOlu",
    "line separator": "Olu\u2028Adeyemi",
    "zero-width non-joiner in Latin": "Ol\u200cu",
    "private use": "Olu\ue000",
    "bidi override": "Olu\u202e",
}


@pytest.mark.parametrize("bad", BAD_NAMES.values(), ids=BAD_NAMES.keys())
def test_names_hold_no_invisible_character(bad: str) -> None:
    problem = member_problem(Member("olu", bad), ())
    assert problem is not None and "name" in problem and "U+" in problem
    assert hidden_problem(bad) is not None


@pytest.mark.parametrize(
    "good",
    [
        "Олу Адейеми",  # any script
        "陈天奇",
        "محمد رحمن",
        "मोहन दास",
        "می\u200cخواهم",  # Persian spells with the zero-width non-joiner
        "क्\u200dष",  # Devanagari, a joiner after the virama
        "Zoë Müller-O'Brien",
    ],
)
def test_names_keep_every_script(good: str) -> None:
    assert member_problem(Member("someone", good), ()) is None


def test_an_import_refuses_such_rows_and_says_where(tmp_path: Path) -> None:
    text = (
        "id,name,email,github,binding\n\u043elu,Olu,o@x.org,,yes\nada,Ada\u200b L,a@x.org,,yes\n"
        "ok,Fine,f@x.org,,yes\n"
    )
    preview = preview_import(text, "csv", [], source="people.csv")
    assert [m.id for m in preview.new] == ["ok"]
    assert [where for where, _ in preview.bad_rows] == ["line 2", "line 3"]
    assert "not plain" in preview.bad_rows[0][1] and "U+200B" in preview.bad_rows[1][1]
    doc = {"committees": {"tvm": {"roster": {"o\u200blu": {"name": "Olu"}, "ada": {"name": "Ada\u00ad"}}}}}
    preview = preview_import(json.dumps(doc), "committee-info", [])
    assert preview.new == [] and len(preview.bad_rows) == 2


def test_loading_a_roster_with_such_an_id_is_one_line_naming_file_and_field(tmp_path: Path) -> None:
    store = Store(tmp_path)
    store.ensure()
    store.roster_path.write_text('[[roster]]\nid = "\u043elu"\nname = "Olu"\nemail = "olu@apache.org"\n')
    with pytest.raises(SessionFileError) as failed:
        store.load_roster()
    message = str(failed.value)
    assert "roster.toml" in message and "roster[0].id" in message and "line 2" in message
    assert "\n" not in message


# -- members who look alike ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("olu", "\u043elu"),  # Cyrillic о
        ("olu", "o1u"),
        ("olu", "oIu"),
        ("olu", "0lu"),
        ("Olu Adeyemi", "\u041elu \u0410deyemi"),  # Cyrillic О and А
        ("Olu Adeyemi", "OLU ADEYEMI"),
        ("Olu Adeyemi", "Olu  Adeyemi"),
        ("Olu Adeyemi", "ＯＬＵ Adeyemi"),
        ("Olu Adeyemi", "Olu\u200b Adeyemi"),  # a file written elsewhere may still hold one
        ("Maria", "Μaria"),  # Greek Μ
        ("mia", "rnia"),
        ("Iwan", "lwan"),
    ],
)
def test_look_alikes(a: str, b: str) -> None:
    assert look_alike(a, b)


@pytest.mark.parametrize(("a", "b"), [("olu", "ola"), ("Zoë", "Zoe"), ("Ada Lindqvist", "Ada Lindquist")])
def test_different_enough(a: str, b: str) -> None:
    assert not look_alike(a, b)


def test_an_import_flags_members_who_look_like_someone_already_there_or_in_the_file() -> None:
    existing = [Member("olu", "Olu Adeyemi", "olu@apache.org", github="olu-a")]
    text = (
        "id,name,email,github,binding\n"
        "olu2,\u041elu Adeyemi,o2@x.org,,yes\n"  # the same name, with a Cyrillic О
        "o1u,Somebody,s@x.org,,yes\n"  # an id drawn like olu
        "ada,Ada L,ada@x.org,olu-a,yes\n"  # olu's GitHub handle
        "bea,Bea,olu@apache.org,,yes\n"  # olu's address
        "cy,Cy,cy@x.org,,yes\ncy2,CY,cy2@x.org,,yes\n"  # two new ones alike
        "zed,Zed,zed@x.org,,yes\n"
    )
    preview = preview_import(text, "csv", existing)
    assert len(preview.new) == 7  # flagged, not refused: the manager decides
    flagged = "\n".join(preview.look_alikes)
    for words in (
        "olu (Olu Adeyemi) and olu2",
        "olu (Olu Adeyemi) and o1u (Somebody) have ids that look alike",
        "have the same GitHub handle",
        "share the address olu@apache.org",
        "cy (Cy) and cy2 (CY) have names that look alike",
    ):
        assert words in flagged, (words, flagged)
    assert "zed" not in flagged
    assert "look like someone else" in preview.summary()


def test_look_alikes_are_found_in_a_big_roster_quickly() -> None:
    members = [Member(f"m{i:05}", f"Member {i:05}", f"m{i}@apache.org") for i in range(10_000)]
    assert look_alikes(members) == []
    members.append(Member("m0OOO1", "Someone", "s@x.org"))  # drawn like m00001
    assert [pair.why for pair in look_alikes(members)] == ["have ids that look alike"]


def test_look_alike_warnings_are_few_lines() -> None:
    members = [Member(f"a{i}", "Same Name") for i in range(20)]
    lines = look_alike_warnings(members, limit=5)
    assert len(lines) == 5 and lines[-1] == "and 15 more pairs of roster members look alike"


# -- one vote counted once -------------------------------------------------------------------


def test_one_binding_vote_counts_once_however_the_voter_is_spelled() -> None:
    s = session(members=[Member("olu", "Olu Adeyemi", "olu@apache.org")])
    for spelling in ("olu", "OLU", "ｏｌｕ"):
        s.record(spelling, parse_vote("+1"), at=T0.add(hours=1))
    assert s.tally().binding.plus == 1 and s.tally().non_binding.cast == 0
    assert {b.voter for b in s.ballots} == {"olu"}


def test_a_guest_named_like_a_member_never_counts_as_them() -> None:
    from tvm_vote_tui.votethread.proposals import propose
    from tvm_vote_tui.votethread.to_ballots import to_ballot

    s = session([("olu", "+1")], members=[Member("olu", "Olu Adeyemi", "olu@apache.org")])
    mail = "From: OLU <someone@evil.example>\nDate: Tue, 25 Nov 2026 10:00:00 +0000\n\n-1 (binding)\n"
    stranger = propose(mail, s, at=T0.add(days=2)).proposed[0]
    assert stranger.voter == "OLU <someone@evil.example>"
    assert s.member(stranger.voter) is None and not stranger.binding and not stranger.clear
    s.import_ballots([to_ballot(stranger, T0.add(days=2))], "thread", T0.add(days=2))  # accepted as it is
    tally = s.tally()
    assert (tally.binding.plus, tally.binding.minus, tally.non_binding.minus) == (1, 0, 1)
    assert s.latest()["olu"].vote.text == "+1"  # olu's own vote stands


# -- a confirmed GitHub handle -------------------------------------------------------------------


def test_a_confirmed_handle_is_remembered_through_a_session_method(tmp_path: Path) -> None:
    store = Store(tmp_path)
    s = session(members=[Member("olu", "Olu Adeyemi"), Member("ada", "Ada", github="ada-l")])
    path = store.create(s)
    from tvm_vote_tui.store.sessions import OpenSession

    opened = OpenSession.open(store, path)
    try:
        change = opened.session.set_member_github("olu", "@Olu-A", T0)
        assert change is not None
        assert opened.session.set_member_github("olu", "olu-a", T0) is None  # the same handle
        with pytest.raises(ChangeRefused, match="not a GitHub user name"):
            opened.session.set_member_github("ada", "b\u043eb", T0)
        with pytest.raises(ChangeRefused, match="already the GitHub handle of Olu \\(olu\\)"):
            session(members=[Member("olu", "Olu", github="x"), Member("bo", "Bo")]).set_member_github(
                "bo", "X", T0
            )
        with pytest.raises(ChangeRefused, match="the roster gives @ada-l"):
            opened.session.set_member_github("ada", "ada", T0)
    finally:
        opened.close()
    saved = store.load(path)  # journalled: on disk
    assert saved.member("olu").github == "Olu-A"
    assert saved.log[-1].action == "roster" and "olu: GitHub handle @Olu-A confirmed" in saved.log[-1].detail
