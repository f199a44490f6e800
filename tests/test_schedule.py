"""Scheduled digest jobs: the jobs file, cron, the due rule, exports, `schedule once/run`, misfires."""

import importlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
from datetime import datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from typer.testing import CliRunner

from briefer.backends import OFFLINE_NOTICE
from briefer.cli import app
from briefer.digests.run import job_lock
from briefer.digests.state import State, default_state_path
from briefer.schedule import jobs
from briefer.schedule import runner as schedule

ROOT = Path(__file__).resolve().parent.parent
UTC = timezone.utc
LONDON = ZoneInfo("Europe/London")
runner = CliRunner()


def run(*args):
    return runner.invoke(app, [str(a) for a in args])


def at(*parts) -> datetime:
    return datetime(*parts, tzinfo=UTC)


@pytest.fixture
def local_berlin(monkeypatch):
    """Pretend the machine's zone is Europe/Berlin, so nothing depends on where tests run."""
    monkeypatch.setattr(jobs, "local_zone_name", lambda: "Europe/Berlin")
    monkeypatch.setattr(schedule, "local_zone_name", lambda: "Europe/Berlin")


def write(folder: Path, text: str, name: str = "jobs.toml") -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


# --- the jobs file ------------------------------------------------------------------

FULL = """\
[defaults]
timezone = "Europe/London"
backend = "mock"
misfire_grace = "6h"

[jobs.morning]
cron = "0 7 * * 1-5"
sources = ["news/*.txt", "https://example.org/feed.xml", "/srv/report.txt"]
output = "digests/morning"
title = "Morning"
format = "md"

[jobs.weekly]
cron = "@weekly"
timezone = "America/New_York"
sources = "week"
since = "7d"
output = "/var/digests"
formats = ["md", "json"]
misfire_grace = 600
state = "state/weekly.sqlite3"
"""


def test_jobs_file_defaults_and_paths(tmp_path, local_berlin):
    jobs = schedule.load_jobs(write(tmp_path, FULL)).jobs
    morning, weekly = jobs["morning"], jobs["weekly"]
    assert list(jobs) == ["morning", "weekly"]
    assert (morning.zone_name, morning.explicit_zone, morning.backend) == ("Europe/London", True, "mock")
    assert morning.sources == [str(tmp_path / "news/*.txt"), "https://example.org/feed.xml", "/srv/report.txt"]
    assert morning.output == tmp_path / "digests/morning"
    assert (morning.since, morning.title, morning.formats) == ("24h", "Morning", ("md",))
    assert (morning.misfire_grace, morning.state) == (timedelta(hours=6), None)
    assert morning.state_path() == default_state_path()
    assert weekly.cron.expr == "@weekly" and weekly.cron.weekdays == (0,) and weekly.cron.hours == (0,)
    assert weekly.zone_name == "America/New_York"
    assert weekly.sources == [str(tmp_path / "week")]
    assert (weekly.since, weekly.output, weekly.formats) == ("7d", Path("/var/digests"), ("md", "json"))
    assert (weekly.misfire_grace, weekly.state) == (timedelta(minutes=10), tmp_path / "state/weekly.sqlite3")


def test_minimal_job_uses_local_zone_and_digest_defaults(tmp_path, local_berlin):
    path = write(tmp_path, '[jobs.a]\ncron = "*/15 * * * *"\nsources = ["x.txt"]\noutput = "out"\n')
    job = schedule.load_jobs(path).jobs["a"]
    assert (job.zone_name, job.explicit_zone, job.formats, job.backend) == ("Europe/Berlin", False, None, "auto")
    assert (job.since, job.misfire_grace, job.title) == ("24h", timedelta(hours=12), None)
    assert job.cron.minutes == (0, 15, 30, 45)


def test_relative_file_keeps_relative_paths(tmp_path, monkeypatch):
    write(tmp_path, '[jobs.a]\ncron = "0 7 * * *"\nsources = ["*.txt"]\noutput = "digests"\n')
    monkeypatch.chdir(tmp_path)
    job = schedule.load_jobs("jobs.toml").jobs["a"]
    assert (job.sources, job.output) == (["*.txt"], Path("digests"))


GOOD_JOB = '[jobs.morning]\ncron = "0 7 * * *"\nsources = ["a.txt"]\noutput = "out"\n'


@pytest.mark.parametrize("text, message", [
    ('[jobs.morning]\ncron = "0 7 * * *\n', "jobs.toml:2:18: invalid TOML: Illegal character '\\n'"),
    ("[jobs.morning\n", "jobs.toml:1:14: invalid TOML: Expected ']' at the end of a table declaration"),
    ("# jobs\n[jobs.morning", "jobs.toml:2: invalid TOML: Expected ']' at the end of a table declaration (at end of document)"),
    (('# morning digest\n\n[jobs.morning]\nsources = ["a.txt"]\noutput = "out"\n\n'
      'cron = "61 7 * * *"\n'),
     "jobs.toml:7: invalid cron expression '61 7 * * *' in job \"morning\": minute 61 is out of range 0-59"),
    (GOOD_JOB.replace("0 7 * * *", "0 7 * *"),
     ("jobs.toml:2: invalid cron expression '0 7 * *' in job \"morning\": "
      "expected 5 fields (minute hour day-of-month month day-of-week), got 4")),
    (GOOD_JOB.replace("0 7 * * *", "0 7 1 * mon"),
     ("jobs.toml:2: invalid cron expression '0 7 1 * mon' in job \"morning\": it restricts both the day of month "
      "and the day of week (cron runs it on either, APScheduler and systemd only on both): use one")),
    (GOOD_JOB.replace("0 7 * * *", "0 7 30 2 *"),
     "jobs.toml:2: invalid cron expression '0 7 30 2 *' in job \"morning\": day-of-month 30 never occurs in month 2"),
    (GOOD_JOB.replace("0 7 * * *", "0 7 * * funday"),
     ("jobs.toml:2: invalid cron expression '0 7 * * funday' in job \"morning\": "
      "day-of-week 'funday' is not a number or a name (sun-sat)")),
    (GOOD_JOB.replace("0 7 * * *", "0 17-9 * * *"),
     "jobs.toml:2: invalid cron expression '0 17-9 * * *' in job \"morning\": hour range 17-9 runs backwards"),
    (GOOD_JOB.replace("0 7 * * *", "*/0 * * * *"),
     "jobs.toml:2: invalid cron expression '*/0 * * * *' in job \"morning\": minute step '0' must be a positive number"),
    (GOOD_JOB.replace("0 7 * * *", "@reboot"),
     ("jobs.toml:2: invalid cron expression '@reboot' in job \"morning\": unknown nickname '@reboot' "
      "(use one of @yearly, @annually, @monthly, @weekly, @daily, @midnight, @hourly)")),
    (GOOD_JOB + 'timezone = "Europe/Londn"\n', "jobs.toml:5: unknown time zone 'Europe/Londn' in job \"morning\""),
    ('[defaults]\ntimezone = "Mars/Olympus"\n\n' + GOOD_JOB,
     "jobs.toml:2: unknown time zone 'Mars/Olympus' in job \"morning\""),
    (GOOD_JOB + 'crn = "0 8 * * *"\n',
     ('jobs.toml:5: unknown key "crn" in job "morning" (known: backend, base_url, cron, format, formats, '
      'misfire_grace, model, output, profile, since, sources, state, timezone, title)')),
    ("[defaults]\nwindow = \"24h\"\n" + GOOD_JOB,
     ('jobs.toml:2: unknown key "window" in [defaults] (known: backend, base_url, cron, format, formats, '
      'misfire_grace, model, output, profile, since, sources, state, timezone, title)')),
    ("[job.morning]\ncron = \"0 7 * * *\"\n",
     'jobs.toml:1: unknown top-level key "job" (expected [jobs.NAME] tables and [defaults])'),
    ('[jobs.morning]\nsources = ["a.txt"]\noutput = "out"\n', 'jobs.toml:1: job "morning" has no cron'),
    (GOOD_JOB.replace('["a.txt"]', "3"), "jobs.toml:3: sources in job \"morning\" must be a list of strings (got 3)"),
    (GOOD_JOB + 'since = "yesterday"\n',
     ('jobs.toml:5: since in job "morning" must be a span such as "24h", '
      "\"90m\", \"7d\", \"2w\" or a date YYYY-MM-DD (got 'yesterday')")),
    (GOOD_JOB + 'format = "pdf"\n', "jobs.toml:5: unknown format 'pdf' in job \"morning\" (choose md, json, html)"),
    (GOOD_JOB + 'format = "md"\nformats = ["md"]\n', 'jobs.toml:6: job "morning" sets both format and formats: use one'),
    (GOOD_JOB + 'backend = "gpt"\n', "jobs.toml:5: unknown backend 'gpt' in job \"morning\" (choose auto, mock, openai)"),
    (GOOD_JOB + 'misfire_grace = "soon"\n',
     ("jobs.toml:5: misfire_grace in job \"morning\" must be a duration "
      "such as \"30m\", \"6h\" or \"1d\" (got 'soon')")),
    (GOOD_JOB.replace("[jobs.morning]", '[jobs."morning digest"]'),
     'jobs.toml:1: job name "morning digest" may only have letters, digits, "-" and "_"'),
    ("[defaults]\nbackend = \"mock\"\n", "jobs.toml: no jobs (add a [jobs.NAME] table)"),
])
def test_bad_jobs_file_is_one_line_naming_the_line(tmp_path, monkeypatch, text, message):
    write(tmp_path, text)
    monkeypatch.chdir(tmp_path)
    with pytest.raises(schedule.UsageError) as caught:
        schedule.load_jobs("jobs.toml")
    assert str(caught.value) == message
    result = run("schedule", "show", "jobs.toml")
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == f"briefer: error: {message}\n"


def test_missing_jobs_file(tmp_path):
    result = run("schedule", "once", tmp_path / "nope.toml")
    assert (result.exit_code, result.stderr) == (2, f"briefer: error: no such file: {tmp_path / 'nope.toml'}\n")


# --- cron expressions ---------------------------------------------------------------


@pytest.mark.parametrize("expr, calendar", [
    ("0 7 * * *", "*-*-* 07:00:00"),
    ("*/15 9-17 * * mon-fri", "Mon..Fri *-*-* 09..17:00/15:00"),
    ("0 7,19 1 */3 *", "*-01/3-01 07,19:00:00"),
    ("30 6 * * 0,6", "Sat,Sun *-*-* 06:30:00"),
    ("0 8 * * 5-7", "Fri..Sun *-*-* 08:00:00"),
    ("5 4 * * SUN", "Sun *-*-* 04:05:00"),
    ("0 0 1,15 jan-mar *", "*-01..03-01,15 00:00:00"),
    ("0-10/5 0 * * 1,3", "Mon,Wed *-*-* 00:00,05,10:00"),
    ("10/20 * * * *", "*-*-* *:10/20:00"),
    ("0 12 * * 0-6", "*-*-* 12:00:00"),
    ("@monthly", "*-*-01 00:00:00"),
])
def test_cron_to_systemd_calendar(expr, calendar):
    assert schedule.parse_cron(expr).on_calendar() == calendar


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="needs systemd-analyze")
@pytest.mark.parametrize("expr", ["*/15 9-17 * * mon-fri", "0 7,19 1 */3 *", "0 8 * * 5-7", "0-10/5 0 * * 1,3"])
def test_systemd_agrees_with_apscheduler(expr, tmp_path):
    """systemd's own parser, asked for the next 5 elapses, lists the times APScheduler does."""
    (job,) = schedule.load_jobs(write(tmp_path, f'[jobs.a]\ncron = "{expr}"\ntimezone = "UTC"\n'
                                                 'sources = ["a"]\noutput = "o"\n')).jobs.values()
    now = datetime.now(UTC)
    ours = [t.strftime("%Y-%m-%d %H:%M:%S") for t in schedule.next_runs([job], now, 5)["a"]]
    out = subprocess.run(["systemd-analyze", "calendar", "--iterations=5", job.cron.on_calendar()],
                         capture_output=True, text=True, env={**os.environ, "TZ": "UTC"}, check=True).stdout
    theirs = re.findall(r"(?:Next elapse|Iter\. #\d+): \w{3} (\S+ \S+) UTC", out)
    assert theirs == ours


def one_job(folder: Path, cron: str, zone: str = "Europe/London", **keys) -> schedule.Job:
    extra = "".join(f"{k} = {json.dumps(v)}\n" for k, v in keys.items())
    path = write(folder, f'[jobs.a]\ncron = "{cron}"\ntimezone = "{zone}"\nsources = ["*.txt"]\n'
                         f'output = "digests"\nsince = "3650d"\n{extra}')
    return schedule.load_jobs(path).jobs["a"]


def test_weekday_numbers_are_cron_numbers(tmp_path):
    """APScheduler's from_crontab reads 0 as Monday; cron (and briefer) read it as Sunday."""
    sunday = one_job(tmp_path, "0 7 * * 0")
    saturday_noon = at(2026, 11, 28, 12)
    assert schedule.next_runs([sunday], saturday_noon, 2)["a"] == [
        datetime(2026, 11, 29, 7, tzinfo=LONDON), datetime(2026, 12, 6, 7, tzinfo=LONDON)]
    assert [t.strftime("%a") for t in schedule.next_runs([one_job(tmp_path, "0 7 * * 1-5")], saturday_noon, 5)["a"]] \
        == ["Mon", "Tue", "Wed", "Thu", "Fri"]


def test_next_runs_across_dst_in_london(tmp_path):
    spring = schedule.next_runs([one_job(tmp_path, "0 7 * * *")], at(2026, 3, 28, 6), 3)["a"]
    assert [t.isoformat() for t in spring] == [
        "2026-03-28T07:00:00+00:00", "2026-03-29T07:00:00+01:00", "2026-03-30T07:00:00+01:00"]
    # 01:30 does not exist on 29 March: APScheduler fires an hour later in wall-clock terms
    gap = schedule.next_runs([one_job(tmp_path, "30 1 * * *")], at(2026, 3, 28, 6), 3)["a"]
    assert [t.isoformat() for t in gap] == [
        "2026-03-29T01:30:00+00:00", "2026-03-30T01:30:00+01:00", "2026-03-31T01:30:00+01:00"]
    # 01:30 happens twice on 25 October: APScheduler fires at both
    autumn = schedule.next_runs([one_job(tmp_path, "30 1 * * *")], at(2026, 10, 24, 12), 3)["a"]
    assert [t.astimezone(UTC).isoformat() for t in autumn] == [
        "2026-10-25T00:30:00+00:00", "2026-10-25T01:30:00+00:00", "2026-10-26T01:30:00+00:00"]


def test_previous_fire_time(tmp_path):
    daily = one_job(tmp_path, "0 7 * * *")
    assert schedule.previous_fire_time(daily, at(2026, 11, 28, 6, 59)) == at(2026, 11, 27, 7)
    assert schedule.previous_fire_time(daily, at(2026, 11, 28, 7)) == at(2026, 11, 28, 7)
    yearly = one_job(tmp_path, "0 0 29 2 *")
    assert schedule.previous_fire_time(yearly, at(2026, 11, 28)) == at(2024, 2, 29)


# --- the due rule, with real state files and controlled time ------------------------


def record_run(job: schedule.Job, ok: bool = True) -> None:
    """A run of ``job`` starting now (time.time(), as the digest records it)."""
    state = State(job.state_path())
    run_id = state.start_run(job.name, "2026-11-28")
    if ok:
        state.finish_run(run_id, {}, [])
    else:
        state.fail_run(run_id, "boom")
    state.close()


def test_due_rule(tmp_path):
    job = one_job(tmp_path, "0 7 * * *", state="state.sqlite3")
    assert schedule.due_jobs([job], at(2026, 11, 28, 6)) == [job]  # never ran
    with time_machine.travel(at(2026, 11, 27, 7, 0, 5), tick=False):
        record_run(job)
    assert schedule.last_success(job) == at(2026, 11, 27, 7, 0, 5)
    assert schedule.due_jobs([job], at(2026, 11, 27, 9)) == []
    assert schedule.due_jobs([job], at(2026, 11, 28, 6, 59, 59)) == []
    assert schedule.due_jobs([job], at(2026, 11, 28, 7)) == [job]  # a fire time passed since
    assert schedule.due_jobs([job], at(2026, 11, 30, 12)) == [job]  # several passed: still one run
    with time_machine.travel(at(2026, 11, 28, 7, 1), tick=False):
        record_run(job, ok=False)
    assert schedule.due_jobs([job], at(2026, 11, 28, 8)) == [job]  # a failed run covers nothing
    with time_machine.travel(at(2026, 11, 28, 7, 1, 30), tick=False), State(job.state_path()) as state:
        state.start_run(job.name, "2026-11-28")  # and neither does one killed mid-way
    assert schedule.due_jobs([job], at(2026, 11, 28, 8)) == [job]
    with time_machine.travel(at(2026, 11, 28, 7, 2), tick=False):
        record_run(job)
    assert schedule.due_jobs([job], at(2026, 11, 28, 8)) == []
    assert schedule.due_jobs([job], at(2026, 11, 29, 7)) == [job]


# --- exports ------------------------------------------------------------------------

EXPORT_JOBS = """\
[jobs.morning]
cron = "0 7 * * 1-5"
timezone = "Europe/London"
sources = ["news"]
output = "digests"

[jobs.evening]
cron = "30 18 * * *"
sources = ["news"]
output = "digests"
"""
BRIEFER = ["/opt/briefer/bin/briefer"]


def test_export_cron_text(tmp_path, local_berlin):
    jobs = schedule.load_jobs(write(tmp_path, EXPORT_JOBS))
    assert schedule.export_cron(jobs, BRIEFER, "Europe/London") == f"""\
# briefer jobs from {tmp_path}/jobs.toml
# install: (crontab -l; briefer schedule export {tmp_path}/jobs.toml --cron) | crontab -
# cron mails what a job prints: errors only (stdout goes to /dev/null)
# CRON_TZ= sets the time zone of the lines after it; cronie (Fedora, RHEL, Arch) honours it,
# other crons may ignore it and use the system zone: use --systemd there
# morning: 0 7 * * 1-5 (Europe/London)
CRON_TZ=Europe/London
0 7 * * 1-5 cd {tmp_path} && /opt/briefer/bin/briefer schedule once --quiet {tmp_path}/jobs.toml morning >/dev/null
# evening: 30 18 * * * (Europe/Berlin)
CRON_TZ=Europe/Berlin
30 18 * * * cd {tmp_path} && /opt/briefer/bin/briefer schedule once --quiet {tmp_path}/jobs.toml evening >/dev/null
# back to the machine's zone for any lines after these
CRON_TZ=Europe/London
"""


def test_export_cron_in_the_local_zone_needs_no_cron_tz(tmp_path, local_berlin):
    folder = tmp_path / "my jobs"
    folder.mkdir()
    jobs = schedule.load_jobs(write(folder, EXPORT_JOBS.replace('timezone = "Europe/London"\n', "")))
    text = schedule.export_cron(jobs, BRIEFER, "Europe/Berlin")
    assert "CRON_TZ" not in text
    assert text.splitlines()[-1] == (f"30 18 * * * cd '{folder}' && /opt/briefer/bin/briefer schedule once "
                                     f"--quiet '{folder}/jobs.toml' evening >/dev/null")


def test_export_systemd_units(tmp_path, local_berlin):
    jobs = schedule.load_jobs(write(tmp_path, EXPORT_JOBS))
    units = schedule.export_systemd(jobs, BRIEFER)
    assert list(units) == ["briefer-morning.service", "briefer-morning.timer",
                           "briefer-evening.service", "briefer-evening.timer"]
    assert units["briefer-morning.service"] == f"""\
[Unit]
Description=briefer digest job morning from {tmp_path}/jobs.toml

[Service]
Type=oneshot
WorkingDirectory={tmp_path}
ExecStart=/opt/briefer/bin/briefer schedule once {tmp_path}/jobs.toml morning
"""
    assert units["briefer-morning.timer"] == """\
[Unit]
Description=briefer digest job morning at cron 0 7 * * 1-5

[Timer]
OnCalendar=Mon..Fri *-*-* 07:00:00 Europe/London
Persistent=true

[Install]
WantedBy=timers.target
"""
    # no zone in the file: the timer keeps the machine's zone, like the job
    assert "OnCalendar=*-*-* 18:30:00\n" in units["briefer-evening.timer"]
    text = schedule.render_units(units, jobs)
    assert text.startswith(f"# briefer jobs from {tmp_path}/jobs.toml\n")
    assert [line for line in text.splitlines() if line.startswith("# ---")] == [
        "# --- briefer-morning.service ---", "# --- briefer-morning.timer ---",
        "# --- briefer-evening.service ---", "# --- briefer-evening.timer ---"]
    assert units["briefer-evening.timer"] in text


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="needs systemd-analyze")
def test_systemd_accepts_the_units(tmp_path):
    jobs = schedule.load_jobs(write(tmp_path, EXPORT_JOBS))
    paths = []
    for name, text in schedule.export_systemd(jobs, [sys.executable, "-m", "briefer.cli"]).items():
        paths.append(tmp_path / name)
        paths[-1].write_text(text)
    checked = subprocess.run(["systemd-analyze", "verify", *map(str, paths)], capture_output=True, text=True,
                             check=False)
    if "Failed to initialize manager" in checked.stderr:
        pytest.skip("systemd-analyze cannot run here")
    assert (checked.returncode, checked.stderr) == (0, "")


def test_systemd_quoting():
    assert schedule._systemd_quote("/opt/my tools/briefer") == '"/opt/my tools/briefer"'
    assert schedule._systemd_quote("/data/100%/$HOME") == "/data/100%%/$$HOME"


def test_export_cli(tmp_path, local_berlin):
    path = write(tmp_path, EXPORT_JOBS)
    command = schedule.briefer_command()
    cron = run("schedule", "export", path, "--cron")
    assert cron.exit_code == 0
    assert cron.stdout == schedule.export_cron(schedule.load_jobs(path), command, "Europe/Berlin")
    units = run("schedule", "export", path, "--systemd", "-o", tmp_path / "units")
    assert units.exit_code == 0
    assert units.stdout == "".join(f"wrote {tmp_path / 'units' / name}\n" for name in
                                   ("briefer-morning.service", "briefer-morning.timer",
                                    "briefer-evening.service", "briefer-evening.timer"))
    assert units.stderr == ("briefer: for user units: systemctl --user daemon-reload && systemctl --user enable "
                            "--now briefer-morning.timer briefer-evening.timer\n")
    assert (tmp_path / "units" / "briefer-morning.timer").read_text() == \
        schedule.export_systemd(schedule.load_jobs(path), command)["briefer-morning.timer"]
    for flags in ([], ["--cron", "--systemd"]):
        result = run("schedule", "export", path, *flags)
        assert (result.exit_code, result.stderr) == (2, "briefer: error: choose one of --cron and --systemd\n")


# --- schedule show ------------------------------------------------------------------


def test_show_table(tmp_path, local_berlin):
    path = write(tmp_path, EXPORT_JOBS)
    with time_machine.travel(at(2026, 11, 27, 18, 30, 3), tick=False):
        record_run(schedule.load_jobs(path).jobs["evening"])
    with time_machine.travel(at(2026, 11, 27, 20), tick=False):
        result = run("schedule", "show", path)
    assert result.exit_code == 0
    assert result.stdout == """\
job      cron         zone           next runs                  last success
morning  0 7 * * 1-5  Europe/London  2026-11-30T07:00:00+00:00  never
                                     2026-12-01T07:00:00+00:00
                                     2026-12-02T07:00:00+00:00
evening  30 18 * * *  Europe/Berlin  2026-11-28T18:30:00+01:00  2026-11-27T19:30:03+01:00
                                     2026-11-29T18:30:00+01:00
                                     2026-11-30T18:30:00+01:00
"""


# --- schedule once: the real digest over real files ---------------------------------

JOBS = """\
[jobs.example]
cron = "0 7 * * *"
timezone = "Europe/London"
sources = ["*.txt"]
since = "3650d"
output = "digests"
"""


@pytest.fixture
def job_folder(tmp_path, example_path):
    article = tmp_path / example_path.name
    shutil.copy(example_path, article)
    stamp = at(2026, 11, 27).timestamp()
    os.utime(article, (stamp, stamp))  # inside every window below, whatever today's date
    write(tmp_path, JOBS)
    return tmp_path


def test_once_runs_due_jobs_then_nothing(job_folder):
    jobs = job_folder / "jobs.toml"
    with time_machine.travel(at(2026, 11, 28, 8), tick=False):
        first = run("schedule", "once", jobs)
        assert first.exit_code == 0
        assert first.stderr == OFFLINE_NOTICE + "\n"
        assert first.stdout == (f"example: ok, wrote {job_folder}/digests/2026-11-28.md, "
                                f"{job_folder}/digests/2026-11-28.json (1 document: 1 briefed, 0 reused; "
                                "1 story; 3 LLM calls)\n")
        data = json.loads((job_folder / "digests" / "2026-11-28.json").read_text())
        assert (data["kind"], data["job"], data["date"]) == ("digest", "example", "2026-11-28")
        assert (job_folder / "digests" / "2026-11-28.md").read_text().startswith("# ")

        again = run("schedule", "once", jobs)
        assert (again.exit_code, again.stderr) == (0, "")
        assert again.stdout == ("example: not due: last success 2026-11-28T08:00:00+00:00, "
                                "next run 2026-11-29T07:00:00+00:00\n")

        forced = run("schedule", "once", "-q", jobs, "example")  # a named job runs, due or not
        assert forced.exit_code == 0
        assert forced.stdout.endswith("(1 document: 0 briefed, 1 reused; 1 story; 0 LLM calls)\n")
    with State(default_state_path()) as state:
        runs = state.runs("example")
    assert [(r["status"], r["started"]) for r in runs] == [("ok", at(2026, 11, 28, 8))] * 2

    with time_machine.travel(at(2026, 11, 29, 7, 0, 30), tick=False):
        next_day = run("schedule", "once", "-q", jobs)
    assert next_day.stdout.startswith(f"example: ok, wrote {job_folder}/digests/2026-11-29.md")
    assert sorted(p.name for p in (job_folder / "digests").iterdir()) == [
        "2026-11-28.json", "2026-11-28.md", "2026-11-29.json", "2026-11-29.md"]


def test_digest_is_dated_in_the_jobs_zone(job_folder):
    jobs = write(job_folder, JOBS.replace("Europe/London", "America/New_York"))
    with time_machine.travel(at(2026, 11, 28, 3), tick=False):  # 22:00 on the 27th in New York
        result = run("schedule", "once", "-q", jobs)
    assert result.stdout.startswith(f"example: ok, wrote {job_folder}/digests/2026-11-27.md")


def test_busy_job_is_skipped_not_a_crash(job_folder):
    lock = default_state_path().parent / "locks" / "example.lock"
    with job_lock(default_state_path(), "example"):  # the lock digest() takes, held elsewhere
        result = run("schedule", "once", "-q", job_folder / "jobs.toml")
        assert (result.exit_code, result.stderr) == (0, "")
        result = run("schedule", "once", job_folder / "jobs.toml", "example")
    assert (result.exit_code, result.stderr) == (0, "")
    assert result.stdout == f"example: skipped: digest job 'example' is already running (lock {lock})\n"
    assert not (job_folder / "digests" / "2026-11-28.md").exists()


def test_one_failed_job_does_not_stop_the_others(job_folder):
    write(job_folder, '[jobs.broken]\ncron = "0 7 * * *"\nsources = ["missing.txt"]\noutput = "out"\n\n' + JOBS)
    with time_machine.travel(at(2026, 11, 28, 8), tick=False):
        result = run("schedule", "once", "-q", job_folder / "jobs.toml")
    assert result.exit_code == 1
    assert result.stderr.startswith("briefer: error: broken: failed: nothing to digest: all 1 source(s) were skipped")
    assert result.stderr.count("\n") == 1
    assert result.stdout.startswith("example: ok, wrote ")
    outcomes = schedule.run_once(job_folder / "jobs.toml", "broken")
    assert [(o.job, o.status, o.exit_code) for o in outcomes] == [("broken", "failed", 1)]
    assert schedule.exit_code(outcomes) == 1


def test_unknown_job_name(job_folder):
    result = run("schedule", "once", job_folder / "jobs.toml", "nightly")
    assert (result.exit_code, result.stderr) == (
        2, f'briefer: error: no job "nightly" in {job_folder / "jobs.toml"} (jobs: example)\n')


def test_example_jobs_file(tmp_path, monkeypatch):
    """The README's commands on examples/jobs.toml, run on a copy so the repository stays clean."""
    shutil.copytree(ROOT / "examples", tmp_path / "examples")
    monkeypatch.chdir(tmp_path)
    shown = run("schedule", "show", "examples/jobs.toml")
    assert shown.exit_code == 0 and shown.stdout.startswith("job      cron       zone")
    once = run("schedule", "once", "-q", "examples/jobs.toml")
    assert once.exit_code == 0
    assert re.fullmatch(r"example: ok, wrote examples/digests/(\S+)\.md, examples/digests/\1\.json \(3 documents: "
                        r"3 briefed, 0 reused; \d+ stor(y|ies); \d+ LLM calls?\)\n", once.stdout)
    assert run("schedule", "once", "examples/jobs.toml").stdout.startswith("example: not due: last success ")
    cron = run("schedule", "export", "examples/jobs.toml", "--cron")
    assert cron.exit_code == 0
    assert cron.stdout.splitlines()[-1].startswith(f"0 7 * * * cd {tmp_path}/examples && ")


# --- schedule run: APScheduler, misfires and coalescing -----------------------------


class Recorder:
    """Starts a real BackgroundScheduler built by build_scheduler and records what fires."""

    def __init__(self, jobs_file):
        from apscheduler.events import EVENT_JOB_EXECUTED, EVENT_JOB_MISSED
        from apscheduler.schedulers.background import BackgroundScheduler

        self.fired, self.missed, self.events = [], [], []
        self.done = threading.Event()
        self.scheduler = schedule.build_scheduler(jobs_file, BackgroundScheduler, fire=self.fired.append,
                                                  missed=lambda name, when: self.missed.append((name, when)))

        def listen(event):
            if event.job_id != "_heartbeat":
                self.events.append((event.code, event.scheduled_run_time.astimezone(UTC)))
                self.done.set()

        self.scheduler.add_listener(listen, EVENT_JOB_EXECUTED | EVENT_JOB_MISSED)
        self.scheduler.start(paused=True)

    def next_run(self, name="a"):
        """(get_job waits for the scheduler's current pass over its jobs to end.)"""
        return self.scheduler.get_job(name).next_run_time.astimezone(UTC)

    def resume_and_wait(self):
        self.scheduler.resume()
        assert self.done.wait(10)

    def stop(self):
        self.scheduler.shutdown(wait=False)


def test_scheduler_job_settings(tmp_path):
    one_job(tmp_path, "0 7 * * *", misfire_grace="6h")
    with time_machine.travel(at(2026, 11, 27, 20), tick=False):
        recorder = Recorder(schedule.load_jobs(tmp_path / "jobs.toml"))
    job = recorder.scheduler.get_job("a")
    assert (job.coalesce, job.max_instances, job.misfire_grace_time) == (True, 1, 6 * 3600)
    assert type(recorder.scheduler._lookup_executor("default")).__name__ == "DebugExecutor"
    heartbeat = recorder.scheduler.get_job("_heartbeat")
    assert heartbeat.trigger.interval == timedelta(seconds=5)
    recorder.stop()


def test_runs_missed_while_asleep_run_once_on_wake(tmp_path):
    """Asleep from Friday 20:00 to Sunday 09:00: Saturday's and Sunday's 07:00 runs make one run."""
    one_job(tmp_path, "0 7 * * *")
    jobs_file = schedule.load_jobs(tmp_path / "jobs.toml")
    with time_machine.travel(at(2026, 11, 27, 20), tick=False) as traveller:
        recorder = Recorder(jobs_file)
        assert recorder.next_run() == at(2026, 11, 28, 7)  # Friday's 07:00 is past the 12h grace
        traveller.move_to(at(2026, 11, 29, 9))
        recorder.resume_and_wait()
        assert recorder.next_run() == at(2026, 11, 30, 7)
        recorder.stop()
    assert [job.name for job in recorder.fired] == ["a"]
    assert recorder.events == [(4096, at(2026, 11, 29, 7))]  # EVENT_JOB_EXECUTED, the latest fire time
    assert recorder.missed == []


def test_a_run_missed_beyond_its_grace_is_reported_not_run(tmp_path):
    one_job(tmp_path, "0 7 * * *", misfire_grace="1h")
    jobs_file = schedule.load_jobs(tmp_path / "jobs.toml")
    with time_machine.travel(at(2026, 11, 27, 20), tick=False) as traveller:
        recorder = Recorder(jobs_file)
        traveller.move_to(at(2026, 11, 29, 9))
        recorder.resume_and_wait()
        assert recorder.next_run() == at(2026, 11, 30, 7)
        recorder.stop()
    assert recorder.fired == []
    assert recorder.events == [(16384, at(2026, 11, 29, 7))]  # EVENT_JOB_MISSED, once
    assert recorder.missed == [("a", at(2026, 11, 29, 7))]


def test_start_catches_up_a_due_job_within_grace(tmp_path):
    one_job(tmp_path, "0 7 * * *", state="s.sqlite3")
    jobs_file = schedule.load_jobs(tmp_path / "jobs.toml")
    with time_machine.travel(at(2026, 11, 28, 9), tick=False):
        recorder = Recorder(jobs_file)
        assert recorder.next_run() == at(2026, 11, 28, 7)
        recorder.resume_and_wait()
        assert recorder.next_run() == at(2026, 11, 29, 7)
        recorder.stop()
    assert [job.name for job in recorder.fired] == ["a"]

    with time_machine.travel(at(2026, 11, 28, 7, 0, 4), tick=False):
        record_run(jobs_file.jobs["a"])
    with time_machine.travel(at(2026, 11, 28, 9), tick=False):
        recorder = Recorder(jobs_file)  # it ran after 07:00: nothing to catch up
        assert recorder.next_run() == at(2026, 11, 29, 7)
        recorder.stop()


def test_run_stops_cleanly_when_interrupted_mid_job(job_folder, monkeypatch):
    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    # the module (briefer.digest as an attribute is the function, re-exported by briefer)
    monkeypatch.setattr(importlib.import_module("briefer.digests.run"), "digest", interrupted)
    with time_machine.travel(at(2026, 11, 28, 7, 0, 30), tick=False):  # due, within grace: runs at start
        result = run("schedule", "run", job_folder / "jobs.toml")
    assert result.exit_code == 0
    assert result.stdout == ""
    assert result.stderr == (f"briefer: scheduling 1 job from {job_folder / 'jobs.toml'}; next: example at "
                             "2026-11-29T07:00:00+00:00 (Ctrl-C stops)\n"
                             "briefer: scheduler stopped (interrupted job example: its next run reuses "
                             "the briefs already made)\n")


def test_run_stops_on_ctrl_c_while_waiting(tmp_path):
    """A real process: waiting for the next run, SIGINT stops it with exit 0 and one line."""
    path = write(tmp_path, '[jobs.yearly]\ncron = "0 7 1 1 *"\nsources = ["a.txt"]\noutput = "out"\n'
                           'misfire_grace = "1m"\n')
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}
    process = subprocess.Popen([sys.executable, "-m", "briefer.cli", "schedule", "run", str(path)],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    started = process.stderr.readline()
    assert started.startswith(f"briefer: scheduling 1 job from {path}; next: yearly at ")
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=20)
    assert (process.returncode, out, err) == (0, "", "briefer: scheduler stopped\n")


@pytest.mark.parametrize("command", ["run", "once", "show", "export"])
def test_schedule_commands_have_help_with_example(command):
    result = run("schedule", command, "--help")
    assert result.exit_code == 0
    assert "Example" in result.stdout
