"""Digest jobs on a schedule: which jobs are due, run-once, run-forever, cron and systemd exports.

The jobs file is read by ``briefer.jobs``, cron expressions by ``briefer.cron``.

**Due rule** (``schedule once`` without a job name, and the catch-up when ``schedule run``
starts): a job is due when it never succeeded, or when its most recent fire time at or
before now is later than the start of its last successful run (``State.last_success``).
A run that starts at or after a fire time therefore covers it; several fire times missed
in a row make one run.
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
from zoneinfo import ZoneInfo

from ..errors import BrieferError, InputError, JobBusy, UsageError  # noqa: F401
from .cron import Cron, parse_cron  # noqa: F401 - part of this module's interface
from .jobs import Job, JobsFile, load_jobs, local_zone_name, parse_duration  # noqa: F401

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
    from ..digests.state import State

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
    from ..digests.run import digest  # looked up at call time (tests replace it)

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

HEARTBEAT = timedelta(seconds=5)  # idle cost: about 0.2% of a core


def build_scheduler(jobs_file: JobsFile, scheduler_cls=None, *, fire: Callable[[Job], None],
                    missed: Callable[[str, datetime], None] | None = None, now: datetime | None = None):
    """An APScheduler scheduler with one cron job per entry: coalesced, one instance at a time,
    the job's misfire grace. Jobs run in the scheduler's own thread (DebugExecutor), one after
    another. A job that is due (see the module docstring) and whose latest fire time is within
    its grace is scheduled for that fire time, so it runs as soon as the scheduler starts.

    A five-second heartbeat job wakes the scheduler's thread at least every 5 s, for two
    reasons. Its waits run on the monotonic clock, which stands still while a laptop sleeps,
    so without it a run missed during sleep would wait out the rest of the old timeout after
    wake-up. And a signal (Ctrl-C, SIGTERM) delivered to another thread only sets a flag:
    Python runs its handler when the main thread next wakes, which could be hours away.
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
    handler = logging.StreamHandler() if verbose else logging.NullHandler()
    handler.addFilter(lambda record: "_heartbeat" not in record.getMessage())  # every 5 s: noise
    log.handlers[:] = [handler]
    log.setLevel(logging.INFO if verbose else logging.WARNING)
    interrupted: list[str] = []
    running_job: list[str] = []  # the job being run now, if any
    stop_requested = threading.Event()

    def stop_when_running() -> None:
        # From its own thread: shutting down inside the scheduler's pass breaks the pass, and
        # a stop asked for before the scheduler runs must wait for it to start.
        while not scheduler.running:
            if stopped.wait(0.01):
                return
        scheduler.shutdown(wait=False)

    stopped = threading.Event()
    stopper = threading.Thread(target=stop_when_running, daemon=True)

    def on_signal(signum, frame) -> None:
        # APScheduler catches BaseException around jobs, listeners and job submission, so a
        # KeyboardInterrupt raised at a random point may be swallowed and the scheduler would
        # run on. Between jobs: ask it to stop. During a digest: interrupt the digest.
        if running_job:
            raise KeyboardInterrupt
        if not stop_requested.is_set():
            stop_requested.set()
            stopper.start()

    def fire(job: Job) -> None:
        if stop_requested.is_set():  # stopping: start no other job of this pass
            return
        running_job.append(job.name)
        try:
            outcome = run_job(job, notice=notice)
        except KeyboardInterrupt:
            interrupted.append(job.name)
            if not stop_requested.is_set():
                stop_requested.set()
                stopper.start()
            return
        finally:
            running_job.clear()
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
    previous = {}
    if threading.current_thread() is threading.main_thread():
        previous = {sig: signal.signal(sig, on_signal) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        if notice:
            notice(started)
        scheduler.start()
    except KeyboardInterrupt:  # not installed as a handler (not the main thread), or raised early
        if scheduler.running:
            scheduler.shutdown(wait=False)
    finally:
        stopped.set()
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        if stopper.is_alive():
            stopper.join()
    return interrupted[0] if interrupted else None
