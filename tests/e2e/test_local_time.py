"""A vote's window typed in the local time of the machine, in a real terminal: the installed app
runs with TZ set to each zone of tests/conftest.py (UTC, a half-hour offset, a week crossing a
daylight saving change); the window shows as that zone writes it, `+7d` is 168 hours, and the
saved file and the exports say the same week in UTC."""

from __future__ import annotations

import json
import re
from datetime import datetime, timedelta

from tests.conftest import Zone
from tests.e2e.conftest import Cli, StartTui
from tests.factories import T0

TITLE = "Adopt the local time"


def test_a_window_typed_in_local_time(start_tui: StartTui, cli: Cli, zone: Zone) -> None:
    tui = start_tui(size=(100, 40), env={"TZ": zone.name})  # the whole form in view
    tui.wait_for("No votes here yet")
    tui.press("n")
    tui.wait_for("Title of the proposal")
    tui.type_text(TITLE)
    tui.press("enter")
    tui.wait_for("DRAFT: not open yet")
    tui.press("o")  # open it now, as a vote called in a meeting: then its window can be typed
    tui.wait_for("Open the vote:", "Open now: a vote called in a meeting")
    tui.press("down", "enter")
    tui.wait_for("It opens now, with no thread yet")
    tui.press("ctrl+s")
    tui.wait_gone("Open the vote:")
    tui.wait_for("Opens at")
    tui.press("escape")  # out of any field: tab then goes to the first one
    for field in (
        "Title (required)",
        "Kind",
        "Rule",
        "Summary of the community",
        "Discussion links",
        "Opens at",
    ):
        tui.press("tab")
        tui.wait_focus(field)
    tui.type_text(zone.opens[:16])  # over the selected value: as the zone writes it, no offset
    tui.wait_until(lambda s: re.search(rf"▊\s+{zone.opens[:16]}\s+▎", s) is not None, "the opening typed")
    tui.press("tab")
    tui.wait_focus("Closes at")
    tui.type_text("+7d")
    tui.wait_until(lambda s: re.search(r"▎▊\s+\+7d\s", s) is not None, "+7d typed into 'Closes at'")
    tui.press("enter")
    screen = tui.wait_for(zone.opens, zone.closes)  # the offsets as the zone has them then
    assert "Shorter than 72 hours" not in screen
    tui.press("f5")
    tui.wait_for(zone.closes, "+1 binding")  # the meter: the end of the window, local
    tui.press("ctrl+q")
    assert tui.wait_exit() == 0

    name = cli("list").stdout.split()[0]
    data = json.loads(cli("export", name, "--format", "json").stdout)["proposal"]
    opens, closes = (datetime.fromisoformat(data[key]) for key in ("opens_at", "closes_at"))
    assert (opens, closes - opens) == (T0 + zone.shift, timedelta(days=7))
    announce = cli("export", name, "--format", "announce").stdout
    utc = [(T0 + zone.shift + timedelta(days=d)).strftime("%Y-%m-%d %H:%M UTC") for d in (0, 7)]
    assert f"The vote is open for 7 days, from {utc[0]} until {utc[1]}." in announce
