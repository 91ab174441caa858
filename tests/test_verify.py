"""The audit log's hash chain and `tvm-vote-tui verify`: our own exports prove or disprove the
result posted from them; each tampering is caught and named."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.test_publish import TRICKY, tricky_session
from tvm_vote_tui.cli import main
from tvm_vote_tui.demo import sample_session
from tvm_vote_tui.domain import chain
from tvm_vote_tui.domain.model import LogEntry, Session
from tvm_vote_tui.domain.votes import parse_vote
from tvm_vote_tui.publish.json_export import json_text
from tvm_vote_tui.publish.markdown import result_markdown
from tvm_vote_tui.publish.result import result_text
from tvm_vote_tui.store.format import session_from_toml, session_to_toml
from tvm_vote_tui.store.sessions import OpenSession, Store, load


def closed_vote() -> Session:
    """A vote with every kind of ballot change: live ballots, an import, a withdrawal and an undo."""
    s = sample_session()
    at = s.proposal.opens_at.add(hours=5)
    s.import_ballots([s.check_ballot(b) for b in _thread_ballots(s, at)], "thread apache/tvm#1", at)
    s.withdraw("priya", at=at.add(minutes=1))
    s.undo([s.ballots[-1]], at=at.add(minutes=2))
    s.record("olu", parse_vote("+1"), at=at.add(minutes=3))
    s.close(s.proposal.closes_at.add(minutes=1))
    return s


def _thread_ballots(s: Session, at: Any) -> list[Any]:
    from tvm_vote_tui.domain.model import Ballot

    return [
        Ballot("gruiz", parse_vote("+1"), at, source="thread"),
        Ballot("lena", parse_vote("0"), at, source="thread"),
    ]


def test_every_change_links_to_the_one_before_and_names_its_ballots() -> None:
    s = closed_vote()
    walked = chain.check(s.log, s.session_id)
    assert walked.breaks == () and walked.unlinked == ()
    assert walked.head == s.chain_head
    assert s.log[0].prev == chain.anchor(s.session_id)
    imported = next(e for e in s.log if e.action == "import")
    assert len(imported.ballots) == 2
    undo = next(e for e in s.log if e.action == "undo")
    assert undo.undone == (len(s.ballots) - 1,)  # the withdrawal, the last ballot then (one more came after)


def test_the_chain_survives_the_file_the_journal_and_the_mirror(tmp_path: Path) -> None:
    store = Store(tmp_path)
    path = store.create(sample_session(3))
    opened = OpenSession.open(store, path)
    session = opened.session
    session.record("olu", parse_vote("-1"), at=session.proposal.opens_at.add(hours=2))
    session.undo([session.ballots[-1]], at=session.proposal.opens_at.add(hours=3))
    head = session.chain_head
    replayed = load(path).session  # from the file and its journal
    assert [(e.prev, e.ballots, e.undone) for e in replayed.log] == [
        (e.prev, e.ballots, e.undone) for e in session.log
    ]
    assert replayed.chain_head == head
    opened.compact()
    opened.close()
    folded = load(path).session  # from the TOML file (or its mirror)
    assert folded.chain_head == head and chain.check(folded.log, folded.session_id).breaks == ()
    assert session_from_toml(session_to_toml(folded)).chain_head == head


def test_keeping_the_chain_costs_one_hash_per_change(monkeypatch: pytest.MonkeyPatch) -> None:
    """No re-hash of the whole log per ballot (benchmarks/run.py measures the time)."""
    s = sample_session()
    for i in range(300):
        s.record(f"free{i}", parse_vote("+1"), at=s.proposal.opens_at.add(minutes=i))
    calls: list[str] = []
    real = chain.link

    def counted(entry: LogEntry, prev: str) -> str:
        calls.append(prev)
        return real(entry, prev)

    monkeypatch.setattr(chain, "link", counted)
    s.record("olu", parse_vote("+1"), at=s.proposal.opens_at.add(days=1))
    assert 1 <= len(calls) <= 3


def test_a_log_from_before_the_chain_is_linked_from_its_first_entry() -> None:
    """Old session files record no links: theirs are computed, and new entries chain on top."""
    new = sample_session(4)
    old = Session(
        new.proposal, new.roster, new.ballots, [LogEntry(e.at, e.action, e.detail) for e in new.log]
    )
    old.session_id = new.session_id
    assert old.chain_head == chain.check(old.log, old.session_id).head  # computed from the contents
    old.record("olu", parse_vote("+1"), at=new.proposal.opens_at.add(hours=4))
    walked = chain.check(old.log, old.session_id)
    assert walked.breaks == () and walked.legacy == len(new.log) and walked.unlinked_after_start == ()
    text = session_to_toml(Session(new.proposal, new.roster, new.ballots, old.log[:-1], session_id="x"))
    assert "prev" not in text  # an old file is not given links it never had


def test_a_session_id_given_later_anchors_the_chain_again() -> None:
    s = Session(
        sample_session().proposal, (), (), [LogEntry(sample_session().opened_window[0], "create", "x")]
    )
    before = s.chain_head
    s.session_id = "0123456789abcdef"
    assert s.chain_head != before and s.chain_head == chain.head(s.log, "0123456789abcdef")


# -- verify ------------------------------------------------------------------------------------


@pytest.fixture
def exported(tmp_path: Path) -> tuple[Path, Path, Path]:
    s = closed_vote()
    export, result, markdown = tmp_path / "vote.json", tmp_path / "result.txt", tmp_path / "result.md"
    export.write_text(json_text(s), encoding="utf-8")
    result.write_text(result_text(s), encoding="utf-8")
    markdown.write_text(result_markdown(s), encoding="utf-8")
    return export, result, markdown


def verify(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, list[dict[str, Any]]]:
    code = main(["verify", *args, "--json"])
    out = json.loads(capsys.readouterr().out)
    return code, out["findings"]


def test_our_export_proves_the_result_posted_from_it(
    capsys: pytest.CaptureFixture[str], exported: tuple[Path, Path, Path], tmp_path: Path
) -> None:
    export, result, markdown = exported
    assert verify(capsys, str(export)) == (0, [])
    assert verify(capsys, str(export), "--result", str(result)) == (0, [])
    assert verify(capsys, str(export), "--result", str(markdown)) == (0, [])
    pasted = tmp_path / "comment.txt"  # posted as a GitHub comment: no subject line, CRLF, trailing spaces
    body = result.read_text(encoding="utf-8").split("\n", 2)[2]
    pasted.write_bytes(body.replace("\n", "  \r\n").encode())
    assert verify(capsys, str(export), "--result", str(pasted)) == (0, [])
    assert main(["verify", str(export), "--result", str(result)]) == 0
    assert capsys.readouterr().out.startswith("Consistent: 18 ballots, 22 log entries")


def test_a_vote_an_older_version_began_proves_its_result(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """The golden vote: a log an older version wrote (no links), continued by this one; tricky names."""
    s = tricky_session(names=[n for n in TRICKY if "\n" not in n])
    (tmp_path / "vote.json").write_text(json_text(s), encoding="utf-8")
    (tmp_path / "result.md").write_text(result_markdown(s), encoding="utf-8")
    code = main(["verify", str(tmp_path / "vote.json"), "--result", str(tmp_path / "result.md"), "--json"])
    out = json.loads(capsys.readouterr().out)
    assert (code, out["findings"]) == (0, [])
    assert any("before the log was chained" in note for note in out["notes"])
    assert out["fingerprint"] in (tmp_path / "result.md").read_text(encoding="utf-8")


Tamper = Callable[[dict[str, Any]], None]


def _ballot(data: dict[str, Any]) -> None:
    ballot = data["ballots"][3]
    ballot["vote"], ballot["counts_as"] = "+1", "plus"


def _log_line(data: dict[str, Any]) -> None:
    data["log"][6]["detail"] = "Hana Sato (hsato) voted -1"  # the sample opened: entry 2


def _last_log_line(data: dict[str, Any]) -> None:
    data["log"][-1]["detail"] = "closed; the vote passed (+1:12 0:1 -1:0 binding)"


def _drop_entry(data: dict[str, Any]) -> None:
    del data["log"][9]


def _drop_ballot(data: dict[str, Any]) -> None:
    del data["ballots"][6]


def _reorder_entries(data: dict[str, Any]) -> None:
    log = data["log"]
    log[5], log[6] = log[6], log[5]


def _reorder_ballots(data: dict[str, Any]) -> None:
    ballots = data["ballots"]
    ballots[4], ballots[5] = ballots[5], ballots[4]


def _after_window(data: dict[str, Any]) -> None:
    data["after_window"]["outcome_depends_on_them"] = True
    data["ballots"][2]["after_window"] = True


def test_a_changed_word_on_the_ballots_after_the_window_is_caught(
    capsys: pytest.CaptureFixture[str], exported: tuple[Path, Path, Path], tmp_path: Path
) -> None:
    """Derived, like counts_as: not in the fingerprint, but checked against the ballots."""
    export, result, _ = exported
    data = json.loads(export.read_text(encoding="utf-8"))
    _after_window(data)
    changed = tmp_path / "changed.json"
    changed.write_text(json.dumps(data), encoding="utf-8")
    code, findings = verify(capsys, str(changed), "--result", str(result))
    details = [f["detail"] for f in findings if f["kind"] == "tally"]
    assert code == 1 and len(details) == 2, findings
    assert "the export says after_window True, but the ballots give False" in details[1]
    assert "of the ballots after the window" in details[0]


@pytest.mark.parametrize(
    ("tamper", "named"),
    [
        (_ballot, {"ballot-changed": "ballot 4 (dorlov +1"}),
        (
            _log_line,
            {
                "log-link": "log entry 7 (2026-11-24 18:04 UTC, ballot: Hana Sato (hsato) voted -1) "
                "was changed"
            },
        ),
        (_last_log_line, {"chain-head": "log entry 22"}),
        (
            _drop_entry,
            {"log-link": "an entry between them was dropped", "log-entries": "entries were dropped"},
        ),
        (_drop_ballot, {"ballot-missing": "it was dropped"}),
        (_reorder_entries, {"log-order": "log entry 6 (2026-11-24 18:04 UTC"}),
        (_reorder_ballots, {"ballot-order": "is out of order"}),
    ],
)
def test_tampering_with_the_export_is_caught_and_named(
    capsys: pytest.CaptureFixture[str],
    exported: tuple[Path, Path, Path],
    tmp_path: Path,
    tamper: Tamper,
    named: dict[str, str],
) -> None:
    export, result, _ = exported
    data = json.loads(export.read_text(encoding="utf-8"))
    tamper(data)
    changed = tmp_path / "changed.json"
    changed.write_text(json.dumps(data), encoding="utf-8")
    code, findings = verify(capsys, str(changed), "--result", str(result))
    assert code == 1
    by_kind = {f["kind"]: f["detail"] for f in findings}
    for kind, words in named.items():
        assert kind in by_kind, findings
        assert words in by_kind[kind]
    assert "fingerprint" in by_kind and "result-fingerprint" in by_kind  # the posted result disproves it


def published_vote() -> Session:
    """A closed vote whose [VOTE] issue and mail and a status comment were published."""
    s = sample_session()
    opened = s.proposal.opens_at
    assert opened is not None
    s.record_post("vote", "https://github.com/apache/tvm/issues/18400", opened, 18400, logged_at=opened)
    s.record_post(
        "vote-mail", "", opened.add(minutes=2), message_id="<vote-18400@apache.org>", logged_at=opened
    )
    s.record_post(
        "status-comment",
        "https://github.com/apache/tvm/issues/18400#issuecomment-77",
        opened.add(days=1),
        77,
        logged_at=opened.add(days=1),
    )
    s.close(s.proposal.closes_at.add(minutes=1))
    return s


def _set(where: str, key: str | int, value: object) -> Tamper:
    def tamper(data: dict[str, Any]) -> None:
        table = data["proposal"]
        for part in where.split(".") if where else []:
            table = table[int(part)] if part.isdigit() else table[part]
        table[key] = value

    return tamper


@pytest.mark.parametrize(
    "tamper",
    [
        _set("", "status", "open"),
        _set("", "closed_at", "2026-12-01T17:06:00+00:00"),
        _set("", "opens_at", "2026-11-24T16:00:00+00:00"),
        _set("", "closes_at", "2026-12-02T17:00:00+00:00"),
        _set("published.0", "url", "https://github.com/apache/tvm/issues/18401"),
        _set("published.0", "number", 18401),
        _set("published.1", "message_id", "<other@apache.org>"),
        _set("published.2", "at", "2026-11-26T17:00:00+00:00"),
        _set("", "mailing_list", "private@tvm.apache.org"),
    ],
    ids=[
        "status",
        "closed_at",
        "opens_at",
        "closes_at",
        "published-url",
        "published-number",
        "published-message-id",
        "published-at",
        "mailing-list",
    ],
)
def test_changing_the_votes_life_in_the_export_is_caught(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, tamper: Tamper
) -> None:
    """Status, window, closing and what was published where are in the fingerprint: an export
    changed in any of them no longer proves the result posted from it."""
    s = published_vote()
    data = json.loads(json_text(s))
    result = tmp_path / "result.txt"
    result.write_text(result_text(s), encoding="utf-8")
    (tmp_path / "vote.json").write_text(json.dumps(data), encoding="utf-8")
    assert verify(capsys, str(tmp_path / "vote.json"), "--result", str(result)) == (0, [])
    tamper(data)
    changed = tmp_path / "changed.json"
    changed.write_text(json.dumps(data), encoding="utf-8")
    code, findings = verify(capsys, str(changed), "--result", str(result))
    assert code == 1
    kinds = {f["kind"] for f in findings}
    assert {"fingerprint", "result-fingerprint"} <= kinds, findings


@pytest.mark.parametrize(
    ("old", "new", "kind", "words"),
    [
        (
            "+1: 12 (10 binding)",
            "+1: 13 (10 binding)",
            "result-count",
            "the count of +1: it says '+1: 13 (10 binding)'",
        ),
        (
            "- Chen Wei (binding)",
            "- Chen Way (binding)",
            "result-name",
            "a name under +1: it says '- Chen Way (binding)'",
        ),
        ("has PASSED", "has FAILED", "result-outcome", "the outcome"),
        ("Fingerprint sha256:", "Fingerprint sha256:", "result-fingerprint", "is not the export's"),
    ],
)
def test_tampering_with_the_result_text_is_caught_and_named(
    capsys: pytest.CaptureFixture[str],
    exported: tuple[Path, Path, Path],
    tmp_path: Path,
    old: str,
    new: str,
    kind: str,
    words: str,
) -> None:
    export, result, _ = exported
    text = result.read_text(encoding="utf-8")
    assert old in text
    changed = tmp_path / "changed.txt"
    changed_text = text.replace(old, new, 1)
    if kind == "result-fingerprint":  # one digit of the fingerprint
        at = text.index(old) + len(old)
        changed_text = text[:at] + ("0" if text[at] != "0" else "1") + text[at + 1 :]
    changed.write_text(changed_text, encoding="utf-8")
    code, findings = verify(capsys, str(export), "--result", str(changed))
    assert code == 1
    assert [f["kind"] for f in findings] == [kind]
    assert words in findings[0]["detail"]


def test_a_name_left_out_of_the_result_is_named(
    capsys: pytest.CaptureFixture[str], exported: tuple[Path, Path, Path], tmp_path: Path
) -> None:
    export, result, _ = exported
    changed = tmp_path / "changed.txt"
    changed.write_text(
        result.read_text(encoding="utf-8").replace("- Hana Sato (binding)\n", ""), encoding="utf-8"
    )
    code, findings = verify(capsys, str(export), "--result", str(changed))
    assert code == 1 and [f["kind"] for f in findings] == ["result-name"]
    assert "leaves out a name under +1: '- Hana Sato (binding)'" in findings[0]["detail"]


def _undone_vote() -> Session:
    """A vote begun by this version whose log has both kinds of undo entry: one that took back a
    ballot (it records `undone`) and one that took back a roster flag (no ballots either way)."""
    s = sample_session(3)
    at = s.proposal.opens_at.add(hours=5)
    s.record("olu", parse_vote("-1"), at=at)
    s.undo([s.ballots[-1]], at=at.add(minutes=1))
    s.set_binding("priya", False, at=at.add(minutes=2))
    s.undo_flag("priya", "binding", False, at=at.add(minutes=3))
    s.record("olu", parse_vote("+1"), at=at.add(minutes=4))
    return s


def test_a_vote_with_undo_entries_gives_no_note_and_a_stripped_undo_is_caught(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    s = _undone_vote()
    export = tmp_path / "vote.json"
    export.write_text(json_text(s), encoding="utf-8")
    assert main(["verify", str(export), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert (out["findings"], out["notes"]) == ([], [])  # no "written before the log was chained"
    data = json.loads(export.read_text(encoding="utf-8"))
    undo = next(e for e in data["log"] if e.get("undone"))
    del undo["undone"]  # the taken-back ballot would count again
    export.write_text(json.dumps(data), encoding="utf-8")
    code, findings = verify(capsys, str(export))
    assert code == 1 and "log-link" in {f["kind"] for f in findings}, findings


def test_an_export_without_a_chain_cannot_be_proven(
    capsys: pytest.CaptureFixture[str], exported: tuple[Path, Path, Path], tmp_path: Path
) -> None:
    export, _, _ = exported
    data = json.loads(export.read_text(encoding="utf-8"))
    del data["chain"]
    old = tmp_path / "old.json"
    old.write_text(json.dumps(data), encoding="utf-8")
    code, findings = verify(capsys, str(old))
    assert code == 1 and [f["kind"] for f in findings] == ["no-chain"]


@pytest.mark.parametrize(
    ("content", "said"),
    [
        ("not json", "not a JSON export"),
        ('{"hello": 1}', "no export_version"),
        ('{"export_version": 1, "proposal": {"title": ""}}', "proposal"),
    ],
)
def test_bad_exports_are_one_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, content: str, said: str
) -> None:
    path = tmp_path / "bad.json"
    path.write_text(content, encoding="utf-8")
    assert main(["verify", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and said in err and "bad.json" in err
    assert main(["verify", str(tmp_path / "missing.json")]) == 2
    assert "no such file" in capsys.readouterr().err


def test_the_installed_command_checks_an_export(exported: tuple[Path, Path, Path], tmp_path: Path) -> None:
    """Through the installed `tvm-vote-tui`, as a reader of the result would run it."""
    import subprocess
    import sys

    export, result, _ = exported
    command = str(Path(sys.executable).with_name("tvm-vote-tui"))
    done = subprocess.run(
        [command, "verify", str(export), "--result", str(result)], capture_output=True, text=True
    )
    assert done.returncode == 0 and done.stdout.startswith("Consistent:")
    changed = tmp_path / "changed.txt"
    changed.write_text(result.read_text(encoding="utf-8").replace("Chen Wei", "Chen Way"), encoding="utf-8")
    done = subprocess.run(
        [command, "verify", str(export), "--result", str(changed)], capture_output=True, text=True
    )
    assert done.returncode == 1 and "Chen Way" in done.stdout and done.stderr == ""
    done = subprocess.run([command, "verify", str(tmp_path / "none.json")], capture_output=True, text=True)
    assert done.returncode == 2 and done.stderr.count("\n") == 1
