from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.factories import roster, session
from tvm_vote_tui import __version__
from tvm_vote_tui.cli import main
from tvm_vote_tui.store.format import session_to_toml
from tvm_vote_tui.store.sessions import Store


@pytest.fixture
def session_file(tmp_path: Path) -> Path:
    s = session(
        [("m0", "+1"), ("m1", "+1"), ("m2", "+1"), ("m3", "-1"), ("guest", "-1"), ("m4", "0")],
        members=roster(7),
    )
    path = tmp_path / "vote.toml"
    path.write_text(session_to_toml(s))
    return path


def test_tally_json(session_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["tally", str(session_file), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["rule"] == "lazy-two-thirds"
    assert data["passes"] is True
    assert data["binding"] == {"plus": 3, "zero": 1, "minus": 1}
    assert data["non_binding"] == {"plus": 0, "zero": 0, "minus": 1}
    assert data["votes_needed"] == 0
    assert data["minus_absorbable"] == 0
    assert data["not_voted"] == ["m5", "m6"]
    assert data["decided"] is False


def test_tally_with_other_rule(session_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["tally", str(session_file), "--json", "--rule", "consensus"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["rule"] == "consensus" and data["passes"] is False and data["votes_needed"] is None


def test_tally_text(session_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["tally", str(session_file)]) == 0
    out = capsys.readouterr().out
    assert "Rule: lazy-two-thirds" in out
    assert "Binding:     +1: 3  0: 1  -1: 1" in out
    assert "Member 5, Member 6" in out  # names, not only ids


def test_tally_by_saved_name(isolated_data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = Store(isolated_data_dir).create(session([("m0", "+1")], title="Named vote"))
    assert main(["tally", path.stem, "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["binding"]["plus"] == 1


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["tally", "missing.toml"], "no session file"),
        (["tally", "{session}", "--rule", "nope"], "unknown rule 'nope'"),
        (["frobnicate"], "invalid choice"),
        (["tally"], "required"),
    ],
)
def test_bad_input_exits_2_with_one_line(
    args: list[str], words: str, session_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = [a.replace("{session}", str(session_file)) for a in args]
    assert main(args) == 2
    err = capsys.readouterr().err
    assert words in err
    assert err.count("\n") == 1 and "Traceback" not in err


def test_damaged_file_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text('schema_version = 1\n[proposal]\ntitle = "x"\nopens_at = "tomorrow"\n')
    assert main(["tally", str(bad)]) == 2
    assert "bad.toml, line 4, field proposal.opens_at" in capsys.readouterr().err


def test_rules_lists_all(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["rules"]) == 0
    out = capsys.readouterr().out
    for name in (
        "lazy-two-thirds",
        "lazy-two-thirds-literal",
        "lazy-majority",
        "consensus",
        "lazy-consensus",
    ):
        assert f"\n{name}\n" in f"\n{out}"


def test_list(isolated_data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["list"]) == 0
    assert "No saved sessions" in capsys.readouterr().out
    Store(isolated_data_dir).create(session([("m0", "+1")], title="Adopt Relax"))
    assert main(["list"]) == 0
    assert "Adopt Relax" in capsys.readouterr().out


def test_version_and_help_in_a_real_process(session_file: Path) -> None:
    run = subprocess.run([sys.executable, "-m", "tvm_vote_tui", "--version"], capture_output=True, text=True)
    assert run.returncode == 0 and __version__ in run.stdout
    run = subprocess.run([sys.executable, "-m", "tvm_vote_tui", "--help"], capture_output=True, text=True)
    assert run.returncode == 0 and "tally" in run.stdout and "rules" in run.stdout
    run = subprocess.run(
        [sys.executable, "-m", "tvm_vote_tui", "tally", str(session_file), "--rule", "x"],
        capture_output=True,
        text=True,
    )
    assert run.returncode == 2 and "Traceback" not in run.stderr


def test_open_and_closed_votes_read_differently(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from tests.factories import T0

    s = session([(f"m{i}", "+1") for i in range(4)], members=roster(5))
    open_path = tmp_path / "open.toml"
    open_path.write_text(session_to_toml(s))
    assert main(["tally", str(open_path)]) == 0
    out = capsys.readouterr().out
    assert "Outcome: PASSING — cannot fail on the votes still out" in out  # decided, yet not final
    assert "PASSED" not in out and "DECIDED" not in out
    s.close(T0.add(days=8))
    closed_path = tmp_path / "closed.toml"
    closed_path.write_text(session_to_toml(s))
    assert main(["tally", str(closed_path)]) == 0
    assert "Outcome: CLOSED: PASSED" in capsys.readouterr().out
    assert main(["tally", str(closed_path), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert (data["status"], data["outcome"], data["final"]) == ("closed", "passed", True)
    assert main(["tally", str(open_path), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert (data["status"], data["outcome"], data["final"]) == ("open", "passing", False)
    assert data["not_voted_names"] == ["Member 4"]


def test_list_says_closed_and_the_result(isolated_data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from tests.factories import T0

    store = Store(isolated_data_dir)
    s = session([("m0", "-1")], members=roster(3), title="Closed one")
    s.close(T0.add(days=8))
    store.create(s)
    store.create(session([("m0", "+1")], members=roster(3), title="Open one"))
    assert main(["list"]) == 0
    lines = capsys.readouterr().out.splitlines()
    closed = next(line for line in lines if "Closed one" in line)
    opened = next(line for line in lines if "Open one" in line)
    assert "CLOSED: FAILED" in closed
    assert "failing" in opened and "FAILED" not in opened and "CLOSED" not in opened


@pytest.mark.parametrize("command", [["tally"], ["export", "-f", "json"], ["export", "-f", "result"]])
def test_output_into_a_closed_pipe_exits_quietly(tmp_path: Path, command: list[str]) -> None:
    """`tvm-vote-tui tally S | head -1` must not print a BrokenPipeError (output larger than a pipe)."""
    s = session([(f"m{i}", "+1") for i in range(1500)], members=roster(1500))
    path = tmp_path / "big.toml"
    path.write_text(session_to_toml(s))
    script = Path(sys.executable).parent / "tvm-vote-tui"
    args = " ".join(f"'{a}'" for a in [*command, str(path)])
    run = subprocess.run(
        f"'{script}' {args} | head -1; exit ${{PIPESTATUS[0]}}",
        shell=True,
        executable="/bin/bash",
        capture_output=True,
        text=True,
    )
    assert run.stdout.count("\n") == 1
    assert run.stderr == "" and run.returncode == 0


def test_export_to_dash_prints(session_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["export", str(session_file), "-f", "result", "-o", "-"]) == 0
    assert capsys.readouterr().out.startswith("Subject: [RESULT][VOTE]")
    assert not Path("-").exists()


def test_list_json_and_a_session_named_by_part_of_its_name_or_title(
    isolated_data_dir: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    store = Store(isolated_data_dir)
    relax = store.create(session([("m0", "+1")], title="Adopt Relax"))
    store.create(session([("m0", "-1")], title="Release Apache TVM v0.19.0.rc0"))
    (store.sessions_dir / "broken.toml").write_text("not = [toml")
    assert main(["list", "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    by_title = {entry.get("title"): entry for entry in listed}
    assert by_title["Adopt Relax"]["binding"] == {"plus": 1, "zero": 0, "minus": 0}
    assert by_title["Adopt Relax"]["status"] == "open" and by_title["Adopt Relax"]["final"] is False
    assert by_title["Adopt Relax"]["name"] == relax.stem
    assert "error" in by_title[None] and by_title[None]["name"] == "broken"
    assert main(["tally", "relax"]) == 0  # part of the file name
    out, err = capsys.readouterr()
    assert (
        out.startswith("Adopt Relax\n")
        and err == f"tvm-vote-tui: {relax.stem} (matched by part of its file name)\n"
    )
    assert main(["tally", "v0.19.0.RC0"]) == 0  # part of the title, case ignored
    out, err = capsys.readouterr()
    assert out.startswith("Release Apache TVM v0.19.0.rc0") and "matched by its title" in err
    assert main(["tally", "e"]) == 2  # several: said, none chosen
    assert "matches several sessions" in capsys.readouterr().err
    assert main(["tally", relax.stem]) == 0  # the full name: nothing said
    assert capsys.readouterr().err == ""


def test_a_session_open_in_the_app_is_found_by_its_new_title(
    isolated_data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A title changed in the app is in the journal, not yet in the TOML file: `list` shows it, so
    naming the session by it (or a part of it) finds the session too, and says which file."""
    from tvm_vote_tui.store.sessions import OpenSession

    store = Store(isolated_data_dir)
    path = store.create(session([("m0", "+1")], title="First try"))
    opened = OpenSession.open(store, path)
    try:
        opened.session.set_title("Second try")
        assert b"Second try" not in path.read_bytes()  # only in the journal
        assert main(["tally", "second try"]) == 0
        out, err = capsys.readouterr()
        assert out.startswith("Second try\n")
        assert err == f"tvm-vote-tui: {path.stem} (matched by its title, 'Second try')\n"
        assert main(["tally", "cond t"]) == 0  # a unique part of the title
        assert "matched by its title" in capsys.readouterr().err
    finally:
        opened.close()
