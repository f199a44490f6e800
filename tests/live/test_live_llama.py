"""The real CLI against a real model server: llama.cpp's server running SmolLM2-135M.

The select map task (``--map select``) must produce a brief from the model's picks: the
example article and a second one each give a grounded brief whose meta says the model's
answers were used (``map_task`` select, ``model_picks`` > 0), with two sides, a dispute
and, for the example, Wang Yi's visit to Russia among the next steps. The select task is
the default with a model server, so the dry-run test plans and measures select calls.
Never a traceback. Run with
``pytest -m live tests/live`` (see conftest.py for the server).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

import briefer
from briefer import Backend
from briefer.briefs.plan import count_prompt_tokens
from briefer.errors import NotesError
from briefer.llm.openai_backend import OpenAIBackend
from briefer.schema import Brief

pytestmark = pytest.mark.live

ROOT = Path(__file__).resolve().parent.parent.parent
SOURCE = Path("examples") / "blinken-wang-munich.txt"
# The example is 875 tokens (tiktoken); at 600 it makes two chunks, whose extract prompts
# (~800 SmolLM2 tokens with the instructions) leave ~700 tokens of the server's n_ctx
# (conftest.N_CTX) for the notes. One chunk of the whole example would leave ~200: its
# answer is cut off and asked again for each half, a wasted call.
CHUNK_TOKENS = 600
# Seconds briefer waits for one answer. The default (120 s) is too short on a small CPU:
# llama.cpp's server answers one request at a time, so a request waits for those before
# it, and an answer that runs until the context is full takes up to a minute by itself.
ANSWER_TIMEOUT_S = 600
RUN_TIMEOUT_S = 15 * 60
NOTES_FAILURE = "model could not produce valid notes"


@dataclass
class CliRun:
    returncode: int
    stdout: str
    stderr: str
    elapsed_s: float


def isolated_env(home: Path) -> dict[str, str]:
    """No key, no server, no briefer setting (BRIEFER_CACHE_DIR, BRIEFER_CONFIG, ...) from
    outside: the cache and config folders follow the XDG variables into ``home`` only."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("OPENAI_API_KEY", "OPENAI_BASE_URL") and not k.startswith("BRIEFER_")}
    env.update(HOME=str(home), XDG_CACHE_HOME=str(home / ".cache"),
               XDG_CONFIG_HOME=str(home / ".config"), XDG_DATA_HOME=str(home / ".local" / "share"))
    return env


SECOND_SOURCE = Path("tests") / "data" / "grain-talks.txt"
SELECT = ("--chunk-tokens", "2000")  # the default map task (select, with a server); one chunk: one call per article


def run_brief(server, home: Path, *extra: str, source: Path = SOURCE) -> CliRun:
    """``briefer brief`` on the example through the live server, isolated under ``home``."""
    env = isolated_env(home)
    command = [sys.executable, "-m", "briefer.cli", "brief", str(source),
               "--base-url", server.base_url, "--model", server.model, "--format", "json",
               "--chunk-tokens", str(CHUNK_TOKENS), "--timeout", str(ANSWER_TIMEOUT_S), "-q", *extra]
    started = time.monotonic()
    proc = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True,
                          encoding="utf-8", timeout=RUN_TIMEOUT_S)
    run = CliRun(proc.returncode, proc.stdout, proc.stderr, round(time.monotonic() - started, 1))
    print(f"\n[live] briefer brief: exit {run.returncode} in {run.elapsed_s} s; "
          f"stderr: {run.stderr.strip()[:300]!r}; server log: {server.log}")
    server.check_alive()  # a crashed server explains any failure better than briefer can
    return run


def check_outcome(run: CliRun, source: Path = SOURCE) -> Brief | None:
    """The run is a grounded brief (returned) or a clean notes failure (None)."""
    assert "Traceback" not in run.stderr, run.stderr
    if run.returncode == 1:
        lines = run.stderr.splitlines()
        assert len(lines) == 1 and NOTES_FAILURE in lines[0], (
            f"exit 1 must be one line saying the {NOTES_FAILURE}; got stderr:\n{run.stderr}")
        assert run.stdout == ""
        return None
    assert run.returncode == 0, f"exit {run.returncode}; stderr:\n{run.stderr}"
    result = Brief.model_validate(json.loads(run.stdout))
    assert_grounded(result, (ROOT / source).read_text(encoding="utf-8"))
    assert result.meta.backend == "openai"
    print(f"[live] meta: {result.meta.model_dump_json()}")
    return result


def assert_grounded(result: Brief, source: str) -> None:
    evidence: list[tuple[str, list[str]]] = [("bluf", result.bluf_evidence)]
    for side in result.sides:
        evidence += [(f"side {side.name!r} position", p.evidence) for p in side.positions]
    evidence += [("agreement", a.evidence) for a in result.agreements]
    for dispute in result.disputes:
        evidence += [(f"dispute {dispute.issue!r} stance", s.evidence) for s in dispute.stances]
    evidence += [("next step", n.evidence) for n in result.next_steps]
    evidence += [("quote", q.evidence) for q in result.quotes]
    for where, ids in evidence:
        missing = [i for i in ids if i not in result.citations]
        assert not missing, f"{where} cites {missing}, which are not in citations"
    for sid, text in result.citations.items():
        assert text and text in source, f"citation {sid} is not verbatim source text: {text!r}"
    for quote in result.quotes:
        assert quote.text and quote.text in source, f"quote is not verbatim source text: {quote.text!r}"


@pytest.fixture(scope="module")
def cache_home(tmp_path_factory) -> Path:
    """One HOME (and so one XDG cache) shared by the runs of this module."""
    return tmp_path_factory.mktemp("live-home")


@pytest.fixture(scope="module")
def first_run(llama_server, cache_home) -> CliRun:
    return run_brief(llama_server, cache_home, *SELECT)


def check_model_brief(run: CliRun, source: Path) -> Brief:
    """A brief written from the model's picks, not an offline fallback or a failure."""
    result = check_outcome(run, source)
    assert result is not None, f"the select task failed:\n{run.stderr}"
    assert result.meta.map_task == "select" and result.meta.structured_output is not None
    assert result.meta.model_picks and result.meta.model_picks > 0, result.meta
    with_positions = [s for s in result.sides if s.positions]
    assert len(with_positions) >= 2, [s.name for s in result.sides]
    assert result.disputes, "no dispute"
    print(f"[live] {source}: sides {[s.name for s in result.sides]}; disputes {[d.issue for d in result.disputes]}; "
          f"next steps {[(n.actor, n.action) for n in result.next_steps]}")
    return result


def test_live_select_brief_from_model_picks(first_run):
    result = check_model_brief(first_run, SOURCE)
    assert any(n.actor == "Wang Yi" and n.action.startswith("visit Russia") for n in result.next_steps), (
        [(n.actor, n.action) for n in result.next_steps])


def test_live_select_brief_of_a_second_article(llama_server, cache_home):
    run = run_brief(llama_server, cache_home, *SELECT, source=SECOND_SOURCE)
    check_model_brief(run, SECOND_SOURCE)


# Meta fields that depend on where answers came from: cached answers count in cache_hits,
# not in calls, tokens or cost.
CACHE_DEPENDENT = {"elapsed_s", "cache_hits", "llm_calls", "prompt_tokens", "completion_tokens", "cost_usd"}


def _comparable(run: CliRun) -> dict:
    data = json.loads(run.stdout)
    data["meta"] = {k: v for k, v in data["meta"].items() if k not in CACHE_DEPENDENT and "cache" not in k}
    return data


def test_live_second_run_with_shared_cache_is_identical(llama_server, cache_home, first_run):
    """Same command, same cache: the same brief (only timing and cache figures may differ).
    When the first run ended in a notes failure there is nothing to compare: the second
    must fail as cleanly (its message may name another part of the chunk, since cut-off
    answers are not cached and the halves of a chunk are asked concurrently)."""
    first = check_outcome(first_run)
    second_run = run_brief(llama_server, cache_home, *SELECT)
    second = check_outcome(second_run)
    if first is None:
        assert second is None, "the second run produced a brief where the first failed"
        return
    assert second is not None, f"the second run failed where the first produced a brief:\n{second_run.stderr}"
    assert _comparable(second_run) == _comparable(first_run)
    answers = first.meta.llm_calls + first.meta.cache_hits
    assert (second.meta.llm_calls, second.meta.cache_hits) == (0, answers), (
        "the second run should take every answer from the cache")


class Recording(Backend):
    """The real backend, noting for each request (in the order they are sent) its task, how
    many messages it has (2 for a first attempt; a re-ask adds the answer and the problem)
    and the prompt tokens the server reports for it."""

    name = "openai"

    def __init__(self, inner: OpenAIBackend):
        self.inner = inner
        self.model = inner.model
        self.sent: list[dict] = []

    async def acomplete(self, request):
        entry = {"task": request.task, "messages": request.messages, "prompt_tokens": None}
        self.sent.append(entry)
        response = await self.inner.acomplete(request)
        entry["prompt_tokens"] = response.prompt_tokens
        return response

    async def aclose(self) -> None:
        await self.inner.aclose()


def test_live_dry_run_estimate_is_within_10_percent(llama_server, cache_home):
    """``--dry-run``'s map-call prompt tokens against what the server reports for the same
    calls in a real run. Only the map calls' first attempts are comparable: their prompts
    are known before anything is sent, while re-asks, reduce and brief prompts depend on
    what the model answers (the dry run estimates those from the offline engine's notes).
    The dry run counts with the server's own tokenizer (llama.cpp's tokenize endpoint)."""
    dry = run_brief(llama_server, cache_home, "--dry-run", "--no-cache")
    assert dry.returncode == 0, dry.stderr
    planned = json.loads(dry.stdout)
    assert planned["counted_with"].startswith("the server's tokenizer"), planned["counted_with"]
    # with a model server the map task is select (the default): one select call per chunk
    estimate = [c["prompt_tokens"] for c in planned["calls"] if c["task"] == "select"]
    assert len(estimate) == planned["chunks"]

    backend = Recording(OpenAIBackend(model=llama_server.model, base_url=llama_server.base_url,
                                      timeout=ANSWER_TIMEOUT_S))
    try:
        briefer.brief([ROOT / SOURCE], backend=backend, chunk_tokens=CHUNK_TOKENS, use_cache=False)
    except NotesError as exc:  # a 135M model may fail; its first attempts were answered anyway
        print(f"[live] the real run ended in a notes failure: {exc}")
    llama_server.check_alive()
    # every chunk's first attempt goes out before any answer comes back (chunks <= concurrency)
    first = [e for e in backend.sent if e["task"] == "select"][:len(estimate)]
    assert all(len(e["messages"]) == 2 for e in first)
    reported = [e["prompt_tokens"] for e in first]
    tiktoken_estimate = [count_prompt_tokens(e["messages"], None) for e in first]
    gap = sum(estimate) / sum(reported) - 1
    print(f"[live] map calls: dry run {estimate} (total {sum(estimate)}), server reported {reported} "
          f"(total {sum(reported)}): {100 * gap:+.1f}%; tiktoken cl100k_base would say "
          f"{tiktoken_estimate} ({100 * (sum(tiktoken_estimate) / sum(reported) - 1):+.1f}%)")
    assert abs(gap) <= 0.10
