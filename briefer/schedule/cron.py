"""Cron expressions: standard five-field cron (``@daily`` and friends too), Sunday as 0 or 7.

They are parsed here and handed to APScheduler as explicit values, because APScheduler 3's
``CronTrigger.from_crontab`` numbers weekdays from Monday. An expression that restricts both
the day of month and the day of week is refused: cron runs it on either day, APScheduler
and systemd only on days that are both. ``Cron.on_calendar()`` gives systemd's form.
"""

from __future__ import annotations

from dataclasses import dataclass
from zoneinfo import ZoneInfo

_FIELDS = (("minute", 0, 59), ("hour", 0, 23), ("day-of-month", 1, 31), ("month", 1, 12), ("day-of-week", 0, 7))
_MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
_DAYS = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"]
_MONTH_DAYS = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
_NICKNAMES = {"@yearly": "0 0 1 1 *", "@annually": "0 0 1 1 *", "@monthly": "0 0 1 * *",
              "@weekly": "0 0 * * 0", "@daily": "0 0 * * *", "@midnight": "0 0 * * *", "@hourly": "0 * * * *"}


@dataclass(frozen=True)
class Cron:
    """A parsed five-field cron expression: the set of values each field allows."""

    expr: str
    minutes: tuple[int, ...]
    hours: tuple[int, ...]
    days: tuple[int, ...]
    months: tuple[int, ...]
    weekdays: tuple[int, ...]  # 0 = Sunday ... 6 = Saturday

    def trigger(self, zone: ZoneInfo):
        from apscheduler.triggers.cron import CronTrigger

        def values(chosen: tuple[int, ...], lo: int, hi: int, names: list[str] | None = None) -> str:
            if len(chosen) == hi - lo + 1:
                return "*"
            return ",".join(names[v] if names else str(v) for v in chosen)

        return CronTrigger(minute=values(self.minutes, 0, 59), hour=values(self.hours, 0, 23),
                           day=values(self.days, 1, 31), month=values(self.months, 1, 12),
                           day_of_week=values(self.weekdays, 0, 6, _DAYS), timezone=zone)

    def on_calendar(self) -> str:
        """The systemd ``OnCalendar=`` form (without a time zone)."""
        weekdays = ""
        if len(self.weekdays) < 7:
            order = [(d - 1) % 7 for d in self.weekdays]  # systemd counts from Monday
            weekdays = _compress(sorted(order), 0, 6, names=["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]) + " "
        return (f"{weekdays}*-{_compress(self.months, 1, 12)}-{_compress(self.days, 1, 31)} "
                f"{_compress(self.hours, 0, 23)}:{_compress(self.minutes, 0, 59)}:00")


def _compress(values: tuple[int, ...] | list[int], lo: int, hi: int, names: list[str] | None = None) -> str:
    """systemd calendar values: ``*``, a repetition ``00/15``, or a list with ``a..b`` runs."""
    if len(values) == hi - lo + 1:
        return "*"
    say = (lambda v: names[v]) if names else (lambda v: f"{v:02d}")
    if not names and len(values) >= 3:
        step = values[1] - values[0]
        if step > 1 and list(values) == list(range(values[0], hi + 1, step)):
            return f"{say(values[0])}/{step}"
    parts, start = [], 0
    for i in range(1, len(values) + 1):
        if i == len(values) or values[i] != values[i - 1] + 1:
            run = values[start:i]
            parts.extend([f"{say(run[0])}..{say(run[-1])}"] if len(run) >= 3 else [say(v) for v in run])
            start = i
    return ",".join(parts)


def parse_cron(expr: str) -> Cron:
    """Parse standard cron; raises ValueError with a short reason."""
    text = _NICKNAMES.get(expr.strip().lower(), expr)
    if text.strip().startswith("@"):
        raise ValueError(f"unknown nickname {text.strip()!r} (use one of {', '.join(_NICKNAMES)})")
    parts = text.split()
    if len(parts) != 5:
        raise ValueError(f"expected 5 fields (minute hour day-of-month month day-of-week), got {len(parts)}")
    if not parts[2].startswith("*") and not parts[4].startswith("*"):
        raise ValueError("it restricts both the day of month and the day of week "
                         "(cron runs it on either, APScheduler and systemd only on both): use one")
    sets = []
    for part, (name, lo, hi) in zip(parts, _FIELDS):
        names = _MONTHS if name == "month" else _DAYS if name == "day-of-week" else None
        sets.append(_parse_field(part, name, lo, hi, names))
    weekdays = tuple(sorted({d % 7 for d in sets[4]}))
    if all(min(sets[2]) > _MONTH_DAYS[m - 1] for m in sets[3]):
        raise ValueError(f"day-of-month {min(sets[2])} never occurs in month {','.join(map(str, sorted(sets[3])))}")
    return Cron(expr, *(tuple(sorted(s)) for s in sets[:4]), weekdays)


def _parse_field(text: str, name: str, lo: int, hi: int, names: list[str] | None) -> set[int]:
    def number(token: str) -> int:
        if names and token.lower() in names:
            return names.index(token.lower()) + (1 if name == "month" else 0)
        if not token.isdigit():
            raise ValueError(f"{name} {token!r} is not a number" + (f" or a name ({names[0]}-{names[-1]})" if names else ""))
        value = int(token)
        if not lo <= value <= hi:
            raise ValueError(f"{name} {value} is out of range {lo}-{hi}")
        return value

    chosen: set[int] = set()
    for item in text.split(","):
        body, _, step_text = item.partition("/")
        step = 1
        if step_text:
            if not step_text.isdigit() or int(step_text) == 0:
                raise ValueError(f"{name} step {step_text!r} must be a positive number")
            step = int(step_text)
        if body == "*":
            first, last = lo, hi
        elif "-" in body:
            a, _, b = body.partition("-")
            first, last = number(a), number(b)
            if first > last:
                raise ValueError(f"{name} range {body} runs backwards")
        else:
            first = number(body)
            last = hi if step_text else first
        chosen.update(range(first, last + 1, step))
    return chosen
