"""The jobs file: one ``[jobs.NAME]`` table per digest job, and ``[defaults]`` merged into each.

    [defaults]
    timezone = "Europe/London"        # default: the machine's local zone
    backend = "auto"

    [jobs.morning]
    cron = "0 7 * * 1-5"              # minute hour day-of-month month day-of-week
    sources = ["news/*.txt", "https://example.org/feed.xml"]
    since = "24h"
    output = "digests/morning"        # relative paths resolve against this file's folder

Every mistake is one line naming the file and line: ``jobs.toml:7: ...``.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from ..backends import BACKEND_NAMES
from ..digests.run import DIGEST_FORMATS, parse_since
from ..errors import InputError, UsageError
from .cron import Cron, parse_cron

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
        from ..digests.state import default_state_path

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
