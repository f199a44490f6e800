"""Digests with real parts: files on disk, a web site and feed on loopback, SQLite state,
and a child process killed mid-run."""

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from openai_server import FakeOpenAI
from typer.testing import CliRunner
from web_server import WebSite

import briefer
from briefer import MockBackend
from briefer.cli import app
from briefer.digests.run import job_lock, parse_since
from briefer.digests.state import MIGRATIONS, VERSION, State
from briefer.errors import BackendError, BrieferError, JobBusy
from briefer.schema import Digest

ROOT = Path(__file__).resolve().parent.parent
FILES = [ROOT / "examples" / "blinken-wang-munich.txt", ROOT / "tests" / "data" / "grain-talks.txt",
         ROOT / "tests" / "data" / "nurses-strike.txt"]
NOW = datetime(2026, 11, 28, 9, 0, tzinfo=timezone.utc)


@pytest.fixture
def site():
    with WebSite() as web:
        yield web


@pytest.fixture
def files(tmp_path):
    """The three source files, copied so that tests can change them."""
    folder = tmp_path / "inbox"
    folder.mkdir()
    return [Path(shutil.copy(f, folder / f.name)) for f in FILES]


def make(sources, tmp_path, **kw):
    kw.setdefault("now", NOW)  # the backend is the default: offline here (no key, no server)
    return briefer.digest([str(s) for s in sources], out_dir=tmp_path / "out", state=tmp_path / "state.sqlite3", **kw)


def assert_grounded(d: Digest, texts: dict[str, str]):
    """Every id a story uses is cited, and every citation is a sentence of its document."""
    for story in d.stories:
        ids = story.evidence + [sid for p in story.points for sid in p.evidence]
        assert ids, story.headline
        assert story.sources == sorted({sid.split(".")[0] for sid in ids}, key=lambda s: int(s[1:]))
        for sid in ids:
            doc = sid.split(".")[0]
            assert " ".join(d.citations[sid].split()) in texts[doc], sid


def test_three_files_and_a_feed_make_one_grounded_digest_and_a_rerun_costs_nothing(site, files, tmp_path):
    first = make([*files, site.url + "/feed.xml"], tmp_path, title="Morning digest")
    d = first.digest
    assert [doc.location for doc in d.documents] == [str(f) for f in files] + [
        site.url + "/grain-istanbul.html", site.url + "/port-expansion.html"]
    assert [s.sources for s in d.stories] == [["D2", "D4"], ["D1"], ["D3"], ["D5"]]
    assert d.stories[0].headline == "Ukraine and Russia clash over grain corridor at Istanbul talks"
    assert [(s.source, s.reason) for s in d.skipped] == [(site.url + "/gone.html", "HTTP 404 Not Found")]
    assert "/regatta.html" not in site.requests  # its entry is older than the window
    texts = {f"D{i}": " ".join(f.read_text().split()) for i, f in enumerate(files, start=1)}
    for doc_id, page in (("D4", "grain-istanbul.html"), ("D5", "port-expansion.html")):
        texts[doc_id] = " ".join((ROOT / "tests" / "data" / "web" / page).read_text().split())
    assert_grounded(d, texts)
    assert (d.meta.documents, d.meta.briefed, d.meta.reused, d.meta.skipped, d.meta.stories) == (5, 5, 0, 1, 4)
    assert d.meta.llm_calls == 11  # the offline engine: extract + brief per document, one digest call
    assert first.files == [tmp_path / "out" / "2026-11-28.md", tmp_path / "out" / "2026-11-28.json"]
    markdown = first.files[0].read_text()
    assert markdown.startswith("# Morning digest, 2026-11-28\n\n_4 stories from 5 documents, 2026-11-27 09:00 to "
                               "2026-11-28 09:00; offline extractive engine.")
    assert "\n## 1. Ukraine and Russia clash over grain corridor at Istanbul talks (new)\n" in markdown
    assert f"\n## Sources skipped\n\n- {site.url}/gone.html: HTTP 404 Not Found\n" in markdown
    assert Digest.model_validate_json(first.files[1].read_text()).stories == d.stories

    again = make([*files, site.url + "/feed.xml"], tmp_path, title="Morning digest")
    m = again.digest.meta
    assert (m.llm_calls, m.cache_hits, m.briefed, m.reused) == (0, 0, 0, 5)
    assert again.files[0].read_text() == markdown
    runs = State(tmp_path / "state.sqlite3").runs("digest")
    assert [(r["status"], r["counts"]["briefed"], r["counts"]["reused"]) for r in runs] == [("ok", 5, 0), ("ok", 0, 5)]


def test_bad_sources_are_listed_as_skipped_and_the_rest_is_made(site, files, tmp_path):
    folder = files[0].parent
    (folder / "scan.pdf").write_bytes(b"%PDF-1.4\x00\x01\x02")
    (folder / "blob.txt").write_bytes(b"\x00\x01\x02" * 100)
    (folder / "huge.txt").write_text("Words in a sentence. " * 60_000)
    (folder / ".hidden.txt").write_text("A hidden file is not a document anyone dropped here.")
    old = folder / "old.txt"
    old.write_text("An old report that falls outside the window, written weeks ago.")
    stamp = (NOW - timedelta(days=30)).timestamp()
    os.utime(old, (stamp, stamp))
    for f in files + [folder / "scan.pdf", folder / "blob.txt", folder / "huge.txt"]:
        os.utime(f, (NOW.timestamp() - 60, NOW.timestamp() - 60))
    sources = [folder, site.url + "/bad-feed.xml", site.url + "/empty.html", "http://127.0.0.1:9/down.html",
               str(tmp_path / "missing.txt")]
    options = briefer.BriefOptions(max_input_bytes=2**20)
    d = make(sources, tmp_path, options=options).digest
    assert [doc.location for doc in d.documents] == [str(f) for f in files]
    reasons = [(s.source.replace(str(tmp_path), "TMP").replace(site.url, "SITE"), s.reason) for s in d.skipped]
    assert reasons == [
        ("TMP/inbox/blob.txt", "looks like a binary file, not text"),
        ("TMP/inbox/huge.txt", "is 1.2 MB, over the 1 MB input limit (--max-input-mb)"),
        ("TMP/inbox/scan.pdf", "not a text, Markdown or HTML file (.pdf)"),
        ("SITE/bad-feed.xml", "not an RSS or Atom feed (<unknown>:2:0: syntax error)"),
        ("SITE/empty.html", "no main text found on the page"),
        ("http://127.0.0.1:9/down.html", "unreachable: [Errno 111] Connection refused"),
        ("TMP/missing.txt", f"no such file: {tmp_path}/missing.txt"),
    ]
    assert d.meta.stories == 3
    with State(tmp_path / "state.sqlite3") as state:
        errors = dict(state.db.execute("SELECT location, last_error FROM sources WHERE last_error IS NOT NULL"))
    assert errors == {site.url + "/bad-feed.xml": "not an RSS or Atom feed (<unknown>:2:0: syntax error)",
                      "http://127.0.0.1:9/down.html": "unreachable: [Errno 111] Connection refused"}


class FailsAtDigest(MockBackend):
    def complete(self, request):
        if request.task == "digest":
            raise BackendError("server at http://127.0.0.1:9/v1 answered 503")
        return super().complete(request)


def test_a_failed_run_never_replaces_a_good_digest(files, tmp_path):
    good = make(files, tmp_path).files
    before = [f.read_bytes() for f in good]
    (files[0].parent / "new.txt").write_text("The harbour master said the new pier will open on Monday, two weeks late.")
    with pytest.raises(BackendError):
        make([*files, files[0].parent / "new.txt"], tmp_path, backend=FailsAtDigest())
    with pytest.raises(BrieferError, match=r"^nothing to digest: all 1 source\(s\) were skipped \(first: "):
        make([tmp_path / "missing.txt"], tmp_path)
    assert [f.read_bytes() for f in good] == before
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["2026-11-28.json", "2026-11-28.md"]
    runs = State(tmp_path / "state.sqlite3").runs("digest")
    assert [r["status"] for r in runs] == ["ok", "failed", "failed"]
    assert runs[1]["error"] == "server at http://127.0.0.1:9/v1 answered 503"


def test_through_a_model_server_each_document_is_paid_for_once(files, tmp_path):
    with FakeOpenAI() as server:
        first = make(files[:2], tmp_path, backend="openai", base_url=server.base_url, model="test-model")
        paid = len(server.requests)
        more = make(files, tmp_path, backend="openai", base_url=server.base_url, model="test-model")
        after_more = len(server.requests)
        again = make(files, tmp_path, backend="openai", base_url=server.base_url, model="test-model")
    assert paid == first.digest.meta.llm_calls == 3  # one select call for each document, one digest call
    assert (more.digest.meta.briefed, more.digest.meta.reused) == (1, 2)
    assert after_more - paid == more.digest.meta.llm_calls == 2  # only the new document, and a new digest
    assert len(server.requests) == after_more and again.digest.meta.llm_calls == 0
    assert [s.sources for s in again.digest.stories] == [["D1"], ["D2"], ["D3"]]


def test_an_edited_prompt_means_new_briefs(files, tmp_path):
    from briefer.llm.prompts import builtin_prompts_dir

    make(files[:1], tmp_path)
    edited = tmp_path / "prompts"
    edited.mkdir()
    text = (builtin_prompts_dir() / "brief.j2").read_text()
    (edited / "brief.j2").write_text(text.replace("busy analysts", "busy ministers"))
    again = make(files[:1], tmp_path, options=briefer.BriefOptions(prompts_dir=edited)).digest.meta
    same = make(files[:1], tmp_path, options=briefer.BriefOptions(prompts_dir=edited)).digest.meta
    assert (again.briefed, again.reused, same.briefed, same.reused) == (1, 0, 0, 1)


def test_stories_are_new_when_a_document_was_not_in_the_previous_days_digest(files, tmp_path):
    make(files[:2], tmp_path, now=NOW - timedelta(days=1), since="7d")
    today = make(files, tmp_path, since="7d").digest
    assert [(s.sources, s.new) for s in today.stories] == [(["D1"], False), (["D2"], False), (["D3"], True)]
    again = make(files, tmp_path, since="7d").digest  # a same-day re-run compares with yesterday too
    assert [s.new for s in again.stories] == [False, False, True]


def test_one_run_per_job_at_a_time(files, tmp_path):
    state = tmp_path / "state.sqlite3"
    State(state).close()
    with job_lock(state, "morning"):
        with pytest.raises(JobBusy, match=r"^digest job 'morning' is already running \(lock "):
            make(files, tmp_path, job="morning")
        make(files, tmp_path, job="evening")  # another job is free to run
    assert JobBusy.exit_code == 75


CHILD = """
import sys, time
from datetime import datetime
import briefer
from briefer import MockBackend

class Slow(MockBackend):
    def complete(self, request):
        time.sleep(0.3)
        return super().complete(request)

out, state, *sources = sys.argv[1:]
briefer.digest(sources, out_dir=out, state=state, backend=Slow(), now=datetime.fromisoformat("{now}"))
"""


def test_a_run_killed_mid_way_leaves_nothing_and_the_next_completes_without_briefing_twice(tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    sources = []
    for n in range(5):  # five distinct documents
        path = inbox / f"report-{n}.txt"
        path.write_text(FILES[n % 3].read_text() + f"\n\nThis copy is number {n} of the report.\n")
        sources.append(str(path))
    out, state = tmp_path / "out", tmp_path / "state.sqlite3"
    out.mkdir()
    child = subprocess.Popen([sys.executable, "-c", CHILD.format(now=NOW.isoformat()), str(out), str(state), *sources])
    try:
        deadline = time.monotonic() + 60
        stored = 0
        while stored == 0 and time.monotonic() < deadline and child.poll() is None:
            time.sleep(0.05)
            if state.exists():
                try:
                    stored = sqlite3.connect(state).execute("SELECT COUNT(*) FROM briefs").fetchone()[0]
                except sqlite3.OperationalError:  # the table is not there yet
                    pass
        assert child.poll() is None, "the child finished before it could be killed"
        child.send_signal(signal.SIGKILL)
    finally:
        child.wait()
    assert child.returncode == -signal.SIGKILL
    assert list(out.iterdir()) == []  # no digest, no temporary file
    killed = sqlite3.connect(state).execute("SELECT COUNT(*) FROM briefs").fetchone()[0]
    assert 1 <= killed < 5

    result = briefer.digest(sources, out_dir=out, state=state, backend="mock", now=NOW)
    assert (result.digest.meta.reused, result.digest.meta.briefed) == (killed, 5 - killed)
    assert sorted(p.name for p in out.iterdir()) == ["2026-11-28.json", "2026-11-28.md"]
    with State(state) as s:
        assert s.db.execute("SELECT COUNT(*) FROM briefs").fetchone()[0] == 5
        assert [r["status"] for r in s.runs()] == ["abandoned", "ok"]


def test_state_migrates_forward_and_refuses_a_newer_file(tmp_path):
    path = tmp_path / "old.sqlite3"
    db = sqlite3.connect(path)
    db.executescript(MIGRATIONS[0])
    db.execute("INSERT INTO runs (job, started, status) VALUES ('morning', 1.0, 'ok')")
    db.execute("PRAGMA user_version = 1")
    db.commit()
    db.close()
    with State(path) as state:
        assert state.version() == VERSION == 2
        assert state.runs("morning")[0]["status"] == "ok"
        state.put_reduction("k", "{}")
        assert state.reduction("k") == "{}"
    db = sqlite3.connect(path)
    db.execute("PRAGMA user_version = 9")
    db.commit()
    db.close()
    with pytest.raises(BrieferError, match=r"was written by a newer briefer \(state version 9, this one knows 2\)$"):
        State(path)


def test_since_spans_and_dates():
    assert parse_since("24h", NOW) == NOW - timedelta(hours=24)
    assert parse_since("90m", NOW) == NOW - timedelta(minutes=90)
    assert parse_since("7d", NOW) == NOW - timedelta(days=7)
    assert parse_since("2026-11-20", NOW) == datetime(2026, 11, 20, tzinfo=timezone.utc)
    with pytest.raises(BrieferError, match="bad --since 'yesterday'"):
        parse_since("yesterday", NOW)


runner = CliRunner()


def test_cli_digest_writes_the_day_file_and_says_what_it_did(files, tmp_path):
    args = ["digest", *map(str, files), "-o", str(tmp_path / "out"), "--state", str(tmp_path / "s.sqlite3"),
            "--since", "3650d", "--backend", "mock"]
    first = runner.invoke(app, args)
    assert first.exit_code == 0, first.stderr
    day = datetime.now().astimezone().date().isoformat()
    out = tmp_path / "out"
    assert first.stderr == (f"briefer: digest {day}: 3 stories from 3 documents (3 briefed, 0 reused, 0 skipped), "
                            f"7 model calls -> {out / day}.md, {out / day}.json\n")
    second = runner.invoke(app, args)
    assert second.stderr == (f"briefer: digest {day}: 3 stories from 3 documents (0 briefed, 3 reused, 0 skipped), "
                             f"0 model calls -> {out / day}.md, {out / day}.json\n")
    printed = runner.invoke(app, ["digest", str(files[1]), "--format", "json", "-q", "--backend", "mock"])
    assert printed.exit_code == 0 and printed.stderr == ""
    assert json.loads(printed.stdout)["stories"][0]["sources"] == ["D1"]


@pytest.mark.parametrize("args, message", [
    (["--since", "yesterday"], "bad --since 'yesterday': use a span such as 24h, 90m, 7d, or a date YYYY-MM-DD"),
    (["--format", "pdf"], "unknown format 'pdf' (choose md, json, html)"),
])
def test_cli_digest_bad_options_are_one_line(files, args, message):
    result = runner.invoke(app, ["digest", str(files[0]), *args])
    assert result.exit_code == 2
    assert result.stderr == f"briefer: error: {message}\n"
