"""CalendarHeatmap: active minutes per day over the last weeks, like a contribution graph."""

from __future__ import annotations

from datetime import date, timedelta

from textual.content import Content
from textual.geometry import Size
from textual.reactive import reactive
from textual.widget import Widget

from gluteterm.core.history import week_start

SHADES = ((0.0, "·"), (0.1, "░"), (8.0, "▒"), (15.0, "▓"), (25.0, "█"))
DAY_LABELS = ("Mon", "", "Wed", "", "Fri", "", "Sun")


def shade(minutes: float) -> str:
    """A block that gets darker with more minutes; readable without colour."""
    mark = SHADES[0][1]
    for threshold, char in SHADES:
        if minutes >= threshold:
            mark = char
    return mark


class CalendarHeatmap(Widget):
    """Seven rows (Monday to Sunday), one column per week, newest on the right."""

    DEFAULT_CSS = """
    CalendarHeatmap {
        width: auto;
        height: 9;
        color: $success;
    }
    """

    minutes: reactive[dict[date, float]] = reactive(dict, layout=True)
    today: reactive[date] = reactive(date.today)
    weeks: reactive[int] = reactive(16, layout=True)

    def render(self) -> Content:
        first = week_start(self.today) - timedelta(weeks=self.weeks - 1)
        lines: list[Content] = []
        month_row = [" "] * (4 + 2 * self.weeks + 2)
        for w in range(self.weeks):
            monday = first + timedelta(weeks=w)
            if monday.day <= 7 or w == 0:
                at = 4 + 2 * w
                if all(c == " " for c in month_row[at - 1 : at + 3]) or w == 0:
                    month_row[at : at + 3] = list(monday.strftime("%b"))
        lines.append(Content("".join(month_row).rstrip()).stylize("$text-muted"))
        for weekday in range(7):
            parts: list[Content | str | tuple[str, str]] = [
                (f"{DAY_LABELS[weekday]:<4}", "$text-muted")
            ]
            for w in range(self.weeks):
                day = first + timedelta(weeks=w, days=weekday)
                if day > self.today:
                    parts.append("  ")
                    continue
                value = self.minutes.get(day, 0.0)
                style = "bold" if day == self.today else ""
                parts.append((shade(value) + " ", style))
            lines.append(Content.assemble(*parts))
        legend = "    less " + " ".join(char for _, char in SHADES) + " more"
        lines.append(Content(legend).stylize("$text-muted"))
        return Content("\n").join(lines)

    # Textual's signatures; the grid's size depends only on the weeks shown.
    def get_content_width(self, container: Size, viewport: Size) -> int:  # noqa: ARG002
        return 5 + 2 * self.weeks  # a month name may start in the last week: 3 cells

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:  # noqa: ARG002
        return 9
