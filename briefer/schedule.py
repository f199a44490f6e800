"""Digest jobs on a schedule: a TOML jobs file, cron triggers, run-once, run-forever, exports.

A jobs file holds one ``[jobs.NAME]`` table per job and an optional ``[defaults]`` table
merged into each::

    [defaults]
    timezone = "Europe/London"        # default: the machine's local zone
    backend = "auto"

    [jobs.morning]
    cron = "0 7 * * 1-5"              # minute hour day-of-month month day-of-week
    sources = ["news/*.txt", "https://example.org/feed.xml"]
    since = "24h"
    output = "digests/morning"        # relative paths resolve against this file's folder

**Due rule** (``schedule once`` without a job name, and the catch-up when ``schedule run``
starts): a job is due when it never succeeded, or when its most recent fire time at or
before now is later than the start of its last successful run (``State.last_success``).
A run that starts at or after a fire time therefore covers it; several fire times missed
in a row make one run.

Cron expressions are standard five-field cron (``@daily`` and friends too), with Sunday
as 0 or 7. They are parsed here and handed to APScheduler as explicit values, because
APScheduler 3's ``CronTrigger.from_crontab`` numbers weekdays from Monday. An expression
that restricts both the day of month and the day of week is refused: cron runs it on
either day, APScheduler and systemd only on days that are both.
"""

from __future__ import annotations

import re
import shlex
import shutil
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from .backends import BACKEND_NAMES
from .digest import DIGEST_FORMATS, parse_since
from .errors import BrieferError, InputError, JobBusy, UsageError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib

DEFAULT_GRACE = timedelta(hours=12)
_TYPES: dict[str, tuple[type, str]] = {  # key -> (type, how to say it)
    "cron": (str, "a string"), "timezone": (str, "a string"), "sources": (list, "a list of strings"),
    "since": (str, "a string"), "output": (str, "a string"), "title": (str, "a string"),
    "format": (str, "a string"), "formats": (list, "a list of strings"), "backend": (str, "a string"),
    "model": (str, "a string"), "base_url": (str, "a string"), "profile": (str, "a string"),
    "state": (str, "a string"), "misfire_grace": (str, "a duration string"),
}
_REQUIRED = ("cron", "sources", "output")
_JOB_NAME = re.compile(r"[A-Za-z0-9_-]+")
_URL = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://")
_DURATION = re.compile(r"(\d+)([smhd])")
_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


# --- cron expressions ---------------------------------------------------------------

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


# --- the jobs file ------------------------------------------------------------------


@dataclass
class Job:
    name: str
    cron: Cron
    zone_name: str
    explicit_zone: bool  # the file names the zone (else the machine's local zone)
    sources: list[str]
    output: Path
    since: str | None = "24h"
    title: str | None = None
    formats: tuple[str, ...] | None = None  # None: the digest's default
    backend: str = "auto"
    model: str | None = None
    base_url: str | None = None
    profile: str | None = None
    state: Path | None = None
    misfire_grace: timedelta = DEFAULT_GRACE
    trigger: Any = field(default=None, repr=False)

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.zone_name)

    def state_path(self) -> Path:
        if self.state is not None:
            return self.state
        from .state import default_state_path

        return default_state_path()


@dataclass
class JobsFile:
    path: Path  # as given
    jobs: dict[str, Job]

    def select(self, name: str | None) -> list[Job]:
        if name is None:
            return list(self.jobs.values())
        if name not in self.jobs:
            raise UsageError(f'no job "{name}" in {self.path} (jobs: {", ".join(self.jobs)})')
        return [self.jobs[name]]


class _Lines:
    """Finds the line of a table header or of a key inside a table, for error messages."""

    _HEADER = re.compile(r"\s*\[\s*([^\[\]]+?)\s*\]\s*(#.*)?$")

    def __init__(self, path: Path, text: str):
        self.path = path
        self.lines = text.splitlines()

    def _headers(self):
        for i, line in enumerate(self.lines):
            match = self._HEADER.match(line)
            if match:
                yield i, re.sub(r"\s*\.\s*", ".", match.group(1)).replace('"', "").replace("'", "")

    def _table(self, table: str) -> tuple[int, int] | None:
        """(header line index or -1 for the top level, end index) of a table."""
        start = -1 if table == "" else None
        for i, name in self._headers():
            if start is not None:
                return start, i
            if name == table:
                start = i
        return (start, len(self.lines)) if start is not None else None

    def of(self, table: str, key: str | None = None) -> int | None:
        found = self._table(table)
        if found is None:
            return None
        start, end = found
        if key is not None:
            pattern = re.compile(rf"""\s*(["']?){re.escape(key)}\1\s*=""")
            for i in range(start + 1, end):
                if pattern.match(self.lines[i]):
                    return i + 1
        return start + 1 if start >= 0 else None

    def error(self, message: str, table: str = "", key: str | None = None) -> UsageError:
        line = self.of(table, key)
        if line is None and key is not None:  # a key written as a table header: [key] or [key.sub]
            prefix = f"{table}.{key}" if table else key
            line = next((i + 1 for i, name in self._headers() if name == prefix or name.startswith(prefix + ".")), None)
        return UsageError(f"{self.path}:{line}: {message}" if line else f"{self.path}: {message}")


def local_zone_name() -> str:
    from tzlocal import get_localzone_name

    try:
        return get_localzone_name() or "UTC"
    except Exception:  # noqa: BLE001 - an unreadable local zone setting: fall back to UTC
        return "UTC"


def parse_duration(text: str | int) -> timedelta:
    """``90s``, ``30m``, ``6h``, ``1d`` or a number of seconds; more than zero."""
    if isinstance(text, int) and not isinstance(text, bool):
        if text <= 0:
            raise ValueError(text)
        return timedelta(seconds=text)
    match = _DURATION.fullmatch(str(text).strip())
    if not match or int(match.group(1)) == 0:
        raise ValueError(text)
    return timedelta(seconds=int(match.group(1)) * _UNITS[match.group(2)])


def load_jobs(path: str | Path) -> JobsFile:
    """Read and check a jobs file; every problem is a one-line UsageError naming the line."""
    path = Path(path)
    try:
        text = path.read_bytes().decode("utf-8")
    except FileNotFoundError:
        raise InputError(f"no such file: {path}") from None
    except IsADirectoryError:
        raise InputError(f"{path} is a directory, not a file") from None
    except UnicodeDecodeError as exc:
        raise InputError(f"{path} is not UTF-8 text") from exc
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror}") from exc
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        match = re.search(r"\s*\(at line (\d+), column (\d+)\)$", message)
        if match:
            raise UsageError(f"{path}:{match.group(1)}:{match.group(2)}: invalid TOML: "
                             f"{message[:match.start()]}") from exc
        raise UsageError(f"{path}:{max(1, len(text.splitlines()))}: invalid TOML: {message}") from exc
    lines = _Lines(path, text)
    for key in data:
        if key not in ("jobs", "defaults"):
            raise lines.error(f'unknown top-level key "{key}" (expected [jobs.NAME] tables and [defaults])', "", key)
    defaults = data.get("defaults", {})
    jobs = data.get("jobs", {})
    if not isinstance(defaults, dict):
        raise lines.error("defaults must be a table ([defaults])", "", "defaults")
    if not isinstance(jobs, dict) or not jobs:
        raise lines.error("no jobs (add a [jobs.NAME] table)", "", "jobs")
    for key in defaults:
        if key not in _TYPES:
            raise lines.error(f'unknown key "{key}" in [defaults] (known: {", ".join(sorted(_TYPES))})', "defaults", key)
    local = local_zone_name()
    checked = {}
    for name, table in jobs.items():
        if not isinstance(table, dict):
            raise lines.error(f'jobs.{name} must be a table ([jobs.{name}])', "jobs", name)
        if not _JOB_NAME.fullmatch(name):
            raise lines.error(f'job name "{name}" may only have letters, digits, "-" and "_"', f"jobs.{name}")
        checked[name] = _make_job(path, lines, name, table, defaults, local)
    return JobsFile(path, checked)


def _make_job(path: Path, lines: _Lines, name: str, table: dict, defaults: dict, local: str) -> Job:
    where = f"jobs.{name}"
    for key in table:
        if key not in _TYPES:
            raise lines.error(f'unknown key "{key}" in job "{name}" (known: {", ".join(sorted(_TYPES))})', where, key)
    merged = {**defaults, **table}

    def fail(key: str, message: str) -> UsageError:
        return lines.error(message, where, key) if key in table else lines.error(message, "defaults", key)

    for key in _REQUIRED:
        if key not in merged:
            raise lines.error(f'job "{name}" has no {key}', where)
    for key, value in merged.items():
        kind, said = _TYPES[key]
        if key == "sources" and isinstance(value, str):
            merged[key] = value = [value]
        if key == "misfire_grace" and isinstance(value, int) and not isinstance(value, bool) and value > 0:
            continue
        if not isinstance(value, kind) or (kind is list and not all(isinstance(v, str) for v in value)):
            raise fail(key, f'{key} in job "{name}" must be {said} (got {value!r})')
    try:
        cron = parse_cron(merged["cron"])
    except ValueError as exc:
        raise fail("cron", f'invalid cron expression {merged["cron"]!r} in job "{name}": {exc}') from None
    zone_name = merged.get("timezone") or local
    try:
        ZoneInfo(zone_name)
    except (ZoneInfoNotFoundError, ValueError):
        raise fail("timezone", f'unknown time zone {zone_name!r} in job "{name}"') from None
    if not merged["sources"]:
        raise fail("sources", f'job "{name}" has an empty sources list')
    since = merged.get("since", "24h")
    try:
        parse_since(since, datetime.now(timezone.utc))
    except UsageError:
        raise fail("since", f'since in job "{name}" must be a span such as "24h", "90m", "7d", "2w" '
                            f'or a date YYYY-MM-DD (got {since!r})') from None
    if "format" in merged and "formats" in merged:
        raise fail("formats", f'job "{name}" sets both format and formats: use one')
    formats = merged.get("formats", [merged["format"]] if "format" in merged else None)
    if formats is not None:
        key = "formats" if "formats" in merged else "format"
        for fmt in formats:
            if fmt not in DIGEST_FORMATS:
                raise fail(key, f'unknown format {fmt!r} in job "{name}" (choose {", ".join(DIGEST_FORMATS)})')
        if not formats:
            raise fail(key, f'job "{name}" has an empty formats list')
    backend = merged.get("backend", "auto")
    if backend not in BACKEND_NAMES:
        raise fail("backend", f'unknown backend {backend!r} in job "{name}" (choose {", ".join(BACKEND_NAMES)})')
    grace = DEFAULT_GRACE
    if "misfire_grace" in merged:
        try:
            grace = parse_duration(merged["misfire_grace"])
        except ValueError:
            raise fail("misfire_grace", f'misfire_grace in job "{name}" must be a duration such as "30m", '
                                        f'"6h" or "1d" (got {merged["misfire_grace"]!r})') from None
    folder = path.parent

    def local_path(text: str) -> Path:
        return folder / Path(text).expanduser()  # an absolute path stays absolute

    sources = [s if _URL.match(s) else str(local_path(s)) for s in merged["sources"]]
    return Job(name=name, cron=cron, zone_name=zone_name, explicit_zone="timezone" in merged,
               sources=sources, output=local_path(merged["output"]), since=since,
               title=merged.get("title"), formats=tuple(formats) if formats else None, backend=backend,
               model=merged.get("model"), base_url=merged.get("base_url"), profile=merged.get("profile"),
               state=local_path(merged["state"]) if "state" in merged else None, misfire_grace=grace,
               trigger=cron.trigger(ZoneInfo(zone_name)))


# --- when jobs run ------------------------------------------------------------------


def _utcnow() -> datetime:
    return datetime.now(timezone.utc)


def _after(job: Job, moment: datetime) -> datetime | None:
    """The first fire time at or after ``moment``."""
    return job.trigger.get_next_fire_time(None, moment.astimezone(job.zone))


def next_runs(jobs: list[Job], now: datetime | None = None, count: int = 3) -> dict[str, list[datetime]]:
    """The next ``count`` fire times of each job after ``now``, in the job's zone."""
    now = now or _utcnow()
    runs: dict[str, list[datetime]] = {}
    for job in jobs:
        times: list[datetime] = []
        moment = now
        while len(times) < count:
            fire = _after(job, moment)
            if fire is None:
                break
            times.append(fire)
            moment = fire.astimezone(timezone.utc) + timedelta(seconds=1)  # UTC: safe across DST
        runs[job.name] = times
    return runs


def previous_fire_time(job: Job, now: datetime | None = None) -> datetime | None:
    """The job's most recent fire time at or before ``now`` (None if none in 8 years)."""
    now = now or _utcnow()
    for back in (timedelta(hours=1), timedelta(days=1), timedelta(days=8), timedelta(days=32),
                 timedelta(days=367), timedelta(days=8 * 366)):
        fire = _after(job, now - back)
        if fire is None or fire > now:
            continue
        while True:
            following = _after(job, fire.astimezone(timezone.utc) + timedelta(seconds=1))
            if following is None or following > now:
                return fire
            fire = following
    return None


def last_success(job: Job) -> datetime | None:
    """Start of the job's newest successful run, from its state file (None: never, or no file)."""
    path = job.state_path()
    if not path.is_file():
        return None
    from .state import State

    with State(path) as state:
        return state.last_success(job.name)


def is_due(job: Job, now: datetime, last: datetime | None) -> bool:
    """The due rule: never succeeded, or a fire time has passed since the last success started."""
    if last is None:
        return True
    fire = previous_fire_time(job, now)
    return fire is not None and fire > last


def due_jobs(jobs: list[Job], now: datetime | None = None) -> list[Job]:
    now = now or _utcnow()
    return [job for job in jobs if is_due(job, now, last_success(job))]


# --- running jobs -------------------------------------------------------------------


@dataclass
class Outcome:
    job: str
    status: str  # "ok", "failed", "skipped" (another run holds the job's lock) or "not due"
    files: list[Path] = field(default_factory=list)
    message: str = ""
    exit_code: int = 0
    meta: Any = None  # the digest's DigestMeta when ok

    def describe(self) -> str:
        if self.status == "ok":
            m = self.meta
            files = ", ".join(str(f) for f in self.files) or "no files"
            return (f"{self.job}: ok, wrote {files} ({_n(m.documents, 'document')}: {m.briefed} briefed, "
                    f"{m.reused} reused; {_n(m.stories, 'story', 'stories')}; {_n(m.llm_calls, 'LLM call')})")
        return f"{self.job}: {self.status}" + (f": {self.message}" if self.message else "")


def _n(count: int, one: str, many: str | None = None) -> str:
    return f"{count} {one if count == 1 else many or one + 's'}"


def run_job(job: Job, now: datetime | None = None, notice: Callable[[str], None] | None = None) -> Outcome:
    """One digest run of ``job``, dated in the job's zone; every failure becomes an Outcome."""
    from .digest import digest  # looked up at call time (tests replace it)

    now = (now or _utcnow()).astimezone(job.zone)
    kwargs: dict[str, Any] = {"since": job.since, "out_dir": job.output, "title": job.title, "job": job.name,
                              "state": job.state, "backend": job.backend, "model": job.model,
                              "base_url": job.base_url, "profile": job.profile, "now": now, "notice": notice}
    if job.formats is not None:
        kwargs["formats"] = job.formats
    try:
        result = digest(list(job.sources), **kwargs)
    except JobBusy as exc:
        return Outcome(job.name, "skipped", message=str(exc))
    except BrieferError as exc:
        return Outcome(job.name, "failed", message=str(exc), exit_code=exc.exit_code)
    except Exception as exc:  # noqa: BLE001 - one job's crash must not stop the others
        return Outcome(job.name, "failed", message=f"unexpected {type(exc).__name__}: {exc}", exit_code=1)
    return Outcome(job.name, "ok", files=list(result.files), meta=result.digest.meta)


def run_once(path: str | Path, job: str | None = None, now: datetime | None = None,
             notice: Callable[[str], None] | None = None) -> list[Outcome]:
    """Run the named job (due or not), or every due job, once each, in file order."""
    jobs_file = load_jobs(path)
    outcomes = []
    for chosen in jobs_file.select(job):
        moment = now or _utcnow()
        if job is None:
            last = last_success(chosen)
            if not is_due(chosen, moment, last):
                upcoming = _after(chosen, moment)
                outcomes.append(Outcome(chosen.name, "not due", message=(
                    f"last success {_iso(last, chosen.zone)}, next run {_iso(upcoming, chosen.zone)}")))
                continue
        outcomes.append(run_job(chosen, now=now, notice=notice))
    return outcomes


def exit_code(outcomes: list[Outcome]) -> int:
    return max((o.exit_code for o in outcomes if o.status == "failed"), default=0)


def _iso(moment: datetime | None, zone: ZoneInfo) -> str:
    return moment.astimezone(zone).isoformat(timespec="seconds") if moment else "never"


def show(jobs_file: JobsFile, now: datetime | None = None, count: int = 3) -> str:
    """``schedule show``: job, cron, zone, the next runs and the last success, as a text table."""
    now = now or _utcnow()
    runs = next_runs(list(jobs_file.jobs.values()), now, count)
    rows = [("job", "cron", "zone", "next runs", "last success")]
    for job in jobs_file.jobs.values():
        times = [_iso(t, job.zone) for t in runs[job.name]] or ["never"]
        rows.append((job.name, job.cron.expr, job.zone_name, times[0], _iso(last_success(job), job.zone)))
        rows.extend(("", "", "", t, "") for t in times[1:])
    widths = [max(len(row[i]) for row in rows) for i in range(5)]
    return "".join("  ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip() + "\n" for row in rows)


# --- exports for cron and systemd ---------------------------------------------------


def briefer_command() -> list[str]:
    """The ``briefer`` executable beside this Python, else on PATH, else ``python -m briefer.cli``."""
    beside = Path(sys.executable).with_name("briefer")
    if beside.is_file():
        return [str(beside)]
    found = shutil.which("briefer")
    return [found] if found else [sys.executable, "-m", "briefer.cli"]


def export_cron(jobs_file: JobsFile, command: list[str] | None = None, local_zone: str | None = None) -> str:
    """Crontab lines that call ``briefer schedule once FILE JOB`` at each job's times."""
    command = " ".join(shlex.quote(part) for part in (command or briefer_command()))
    local_zone = local_zone or local_zone_name()
    path = jobs_file.path.resolve()
    zoned = any(job.zone_name != local_zone for job in jobs_file.jobs.values())
    out = [f"# briefer jobs from {path}",
           f"# install: (crontab -l; briefer schedule export {shlex.quote(str(path))} --cron) | crontab -",
           "# cron mails what a job prints: errors only (stdout goes to /dev/null)"]
    if zoned:
        out.append("# CRON_TZ= sets the time zone of the lines after it; cronie (Fedora, RHEL, Arch) honours it,")
        out.append("# other crons may ignore it and use the system zone: use --systemd there")
    for job in jobs_file.jobs.values():
        cron_expr = " ".join(job.cron.expr.split())
        line = (f"cd {shlex.quote(str(path.parent))} && {command} schedule once --quiet "
                f"{shlex.quote(str(path))} {job.name} >/dev/null").replace("%", "\\%")
        out.append(f"# {job.name}: {cron_expr} ({job.zone_name})")
        if zoned:
            out.append(f"CRON_TZ={job.zone_name}")
        out.append(f"{cron_expr} {line}")
    if zoned:
        out.extend(["# back to the machine's zone for any lines after these", f"CRON_TZ={local_zone}"])
    return "\n".join(out) + "\n"


def _systemd_quote(text: str) -> str:
    escaped = text.replace("%", "%%").replace("$", "$$")
    if re.fullmatch(r"[A-Za-z0-9_@%+=:,./$-]+", escaped):
        return escaped
    return '"' + escaped.replace("\\", "\\\\").replace('"', '\\"') + '"'


def export_systemd(jobs_file: JobsFile, command: list[str] | None = None) -> dict[str, str]:
    """A oneshot ``briefer-JOB.service`` and a ``briefer-JOB.timer`` per job: file name -> text."""
    command = command or briefer_command()
    path = jobs_file.path.resolve()
    units = {}
    for job in jobs_file.jobs.values():
        exec_start = " ".join([*(_systemd_quote(p) for p in command), "schedule", "once",
                               _systemd_quote(str(path)), job.name])
        units[f"briefer-{job.name}.service"] = (
            "[Unit]\n"
            f"Description=briefer digest job {job.name} from {str(path).replace('%', '%%')}\n\n"
            "[Service]\n"
            "Type=oneshot\n"
            f"WorkingDirectory={str(path.parent).replace('%', '%%')}\n"
            f"ExecStart={exec_start}\n")
        calendar = job.cron.on_calendar() + (f" {job.zone_name}" if job.explicit_zone else "")
        units[f"briefer-{job.name}.timer"] = (
            "[Unit]\n"
            f"Description=briefer digest job {job.name} at cron {' '.join(job.cron.expr.split())}\n\n"
            "[Timer]\n"
            f"OnCalendar={calendar}\n"
            "Persistent=true\n\n"
            "[Install]\n"
            "WantedBy=timers.target\n")
    return units


def render_units(units: dict[str, str], jobs_file: JobsFile) -> str:
    """All units on one stream, each after a ``# --- NAME ---`` header."""
    timers = " ".join(name for name in units if name.endswith(".timer"))
    head = (f"# briefer jobs from {jobs_file.path.resolve()}\n"
            f"# install: briefer schedule export {shlex.quote(str(jobs_file.path.resolve()))} --systemd -o ~/.config/systemd/user\n"
            f"#          systemctl --user daemon-reload && systemctl --user enable --now {timers}\n")
    return head + "".join(f"\n# --- {name} ---\n{text}" for name, text in units.items())


# --- the foreground scheduler -------------------------------------------------------

HEARTBEAT = timedelta(seconds=60)


def build_scheduler(jobs_file: JobsFile, scheduler_cls=None, *, fire: Callable[[Job], None],
                    missed: Callable[[str, datetime], None] | None = None, now: datetime | None = None):
    """An APScheduler scheduler with one cron job per entry: coalesced, one instance at a time,
    the job's misfire grace. Jobs run in the scheduler's own thread (DebugExecutor), one after
    another. A job that is due (see the module docstring) and whose latest fire time is within
    its grace is scheduled for that fire time, so it runs as soon as the scheduler starts.

    A 60-second heartbeat job makes the scheduler look at the wall clock at least once a minute:
    its waits run on the monotonic clock, which stands still while a laptop sleeps, so without
    it a run missed during sleep would wait out the rest of the old timeout after wake-up.
    """
    from apscheduler.events import EVENT_JOB_MISSED
    from apscheduler.executors.debug import DebugExecutor
    from apscheduler.schedulers.blocking import BlockingScheduler

    scheduler = (scheduler_cls or BlockingScheduler)(executors={"default": DebugExecutor()}, timezone=timezone.utc)
    now = now or _utcnow()
    for job in jobs_file.jobs.values():
        options: dict[str, Any] = {}
        previous = previous_fire_time(job, now)
        if previous is not None and now - previous <= job.misfire_grace and is_due(job, now, last_success(job)):
            options["next_run_time"] = previous
        scheduler.add_job(fire, job.trigger, args=[job], id=job.name, name=job.name, coalesce=True,
                          max_instances=1, misfire_grace_time=int(job.misfire_grace.total_seconds()), **options)
    scheduler.add_job(_heartbeat, "interval", seconds=int(HEARTBEAT.total_seconds()), id="_heartbeat",
                      coalesce=True, misfire_grace_time=None)
    if missed is not None:
        def on_missed(event) -> None:
            if event.job_id != "_heartbeat":
                missed(event.job_id, event.scheduled_run_time)

        scheduler.add_listener(on_missed, EVENT_JOB_MISSED)
    return scheduler


def _heartbeat() -> None:
    """Nothing: its firing makes the scheduler re-read the clock (see build_scheduler)."""


def run_forever(path: str | Path, *, report: Callable[[str], None], warn: Callable[[str], None],
                notice: Callable[[str], None] | None = None, verbose: bool = False) -> str | None:
    """``schedule run``: fire each job at its cron times until Ctrl-C or SIGTERM.

    ``report`` gets a line per finished run, ``warn`` failures and missed
    runs, ``notice`` the digest's notices and the start line. The file is read once: restart
    to apply changes. Returns the name of the job a stop interrupted, or None.
    """
    import logging
    import signal
    import threading

    jobs_file = load_jobs(path)
    log = logging.getLogger("apscheduler")  # its misfire warnings are reported by `missed`
    log.propagate = False
    log.handlers[:] = [logging.StreamHandler()] if verbose else [logging.NullHandler()]
    log.setLevel(logging.INFO if verbose else logging.WARNING)
    interrupted: list[str] = []
    stopper = threading.Thread(target=lambda: scheduler.shutdown(wait=False))

    def fire(job: Job) -> None:
        if interrupted:  # stopping: start no other job of this pass
            return
        try:
            outcome = run_job(job, notice=notice)
        except KeyboardInterrupt:
            # APScheduler would count the interrupt as a job error and carry on. Stop instead,
            # from another thread: shutting down inside the scheduler's pass breaks the pass.
            interrupted.append(job.name)
            stopper.start()
            return
        line = f"{_iso(_utcnow(), job.zone)} {outcome.describe()}"
        if outcome.status == "failed":
            warn(f"briefer: error: {line}")
        else:
            report(line)

    def missed(name: str, when: datetime) -> None:
        job = jobs_file.jobs[name]
        warn(f'briefer: job "{name}" missed its run at {_iso(when, job.zone)} '
             f"by more than its misfire grace ({job.misfire_grace})")

    scheduler = build_scheduler(jobs_file, fire=fire, missed=missed)
    upcoming = sorted((times[0], name) for name, times in next_runs(list(jobs_file.jobs.values()), count=1).items()
                      if times)
    count = len(jobs_file.jobs)
    started = (f"briefer: scheduling {count} job{'s' if count != 1 else ''} from {jobs_file.path}"
               + (f"; next: {upcoming[0][1]} at {_iso(upcoming[0][0], jobs_file.jobs[upcoming[0][1]].zone)}"
                  if upcoming else "") + " (Ctrl-C stops)")
    previous_term = None
    if threading.current_thread() is threading.main_thread():
        previous_term = signal.signal(signal.SIGTERM, signal.default_int_handler)  # stop like Ctrl-C
    try:
        if notice:
            notice(started)
        scheduler.start()
    except KeyboardInterrupt:
        if scheduler.running:
            scheduler.shutdown(wait=False)
    finally:
        if previous_term is not None:
            signal.signal(signal.SIGTERM, previous_term)
        if stopper.is_alive():
            stopper.join()
    return interrupted[0] if interrupted else None
