"""A count in figures seven rows high, for the meter on a big screen or a projector (Textual's
Digits are three rows high)."""

from __future__ import annotations

from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget

FONT: dict[str, tuple[str, ...]] = {
    "0": (" ### ", "#   #", "#   #", "#   #", "#   #", "#   #", " ### "),
    "1": ("  #  ", " ##  ", "  #  ", "  #  ", "  #  ", "  #  ", " ### "),
    "2": (" ### ", "#   #", "    #", "   # ", "  #  ", " #   ", "#####"),
    "3": (" ### ", "#   #", "    #", "  ## ", "    #", "#   #", " ### "),
    "4": ("   # ", "  ## ", " # # ", "#  # ", "#####", "   # ", "   # "),
    "5": ("#####", "#    ", "#### ", "    #", "    #", "#   #", " ### "),
    "6": ("  ## ", " #   ", "#    ", "#### ", "#   #", "#   #", " ### "),
    "7": ("#####", "    #", "   # ", "  #  ", " #   ", " #   ", " #   "),
    "8": (" ### ", "#   #", "#   #", " ### ", "#   #", "#   #", " ### "),
    "9": (" ### ", "#   #", "#   #", " ####", "    #", "   # ", " ##  "),
    ",": ("     ", "     ", "     ", "     ", "     ", "  #  ", " #   "),
}
HEIGHT = 7


def figure_lines(value: str) -> list[str]:
    """`value` (digits and commas) drawn in full blocks, two cells a dot, a blank column between."""
    rows = [""] * HEIGHT
    for index, char in enumerate(value):
        glyph = FONT.get(char, FONT[","])
        for row in range(HEIGHT):
            gap = "  " if index else ""
            rows[row] += gap + glyph[row].replace("#", "██").replace(" ", "  ")
    return rows


class BigFigure(Widget):
    DEFAULT_CSS = "BigFigure { width: auto; height: 7; }"

    value: reactive[str] = reactive("0", layout=True)

    def __init__(self, value: str = "0", *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.set_reactive(BigFigure.value, value)

    def update(self, value: str) -> None:
        self.value = value

    def get_content_width(self, container: object, viewport: object) -> int:
        return len(figure_lines(self.value)[0])

    def render(self) -> Text:
        return Text("\n".join(figure_lines(self.value)), no_wrap=True)
