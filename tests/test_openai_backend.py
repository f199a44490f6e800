"""The openai backend through the real SDK against a loopback OpenAI-compatible server:
exact requests, format fallback, retries, timeouts, re-asks, truncation, refusals, cache."""

import os
import subprocess
import sys
import time

import pytest
from openai_server import FakeOpenAI, Reply, completion

from briefer import BrieferError, MockBackend, brief
from briefer.briefs.plan import plan
from briefer.llm.cache import ResponseCache
from briefer.llm.openai_backend import OpenAIBackend
from briefer.schema import Notes, strict_json_schema


def online(example_path, server, **kwargs):
    """The notes map task (these tests are about its request shapes); tests/test_select.py
    covers the select task, the default with a model server."""
    kwargs.setdefault("map_task", "notes")
    return brief([example_path], backend="openai", base_url=server.base_url, model="test-model", **kwargs)


def test_exact_request_json(example_path):
    offline = MockBackend()
    brief([example_path], backend=offline)
    with FakeOpenAI() as server:
        result = online(example_path, server)
    assert server.requests[0]["path"] == "/v1/chat/completions"
    assert server.requests[0]["body"] == {
        "model": "test-model",
        "messages": offline.requests[0].messages,
        "temperature": 0.0,
        "response_format": {"type": "json_schema", "json_schema": {
            "name": "notes", "schema": strict_json_schema(Notes), "strict": True}},
    }
    assert server.requests[1]["body"]["response_format"]["json_schema"]["name"] == "briefdraft"
    assert result.model_dump(exclude={"meta"}) == brief([example_path], backend="mock").model_dump(exclude={"meta"})
    assert (result.meta.backend, result.meta.model, result.meta.llm_calls) == ("openai", "test-model", 2)
    assert result.meta.structured_output == "json_schema"


def test_server_rejecting_json_schema_falls_back_to_json_object(example_path):
    with FakeOpenAI(reject_json_schema=True) as server:
        result = online(example_path, server)
    formats = [r["body"].get("response_format", {}).get("type") for r in server.requests]
    assert formats == ["json_schema", "json_object", "json_object"]
    # llama.cpp's server takes the schema inside json_object as a grammar
    assert server.requests[1]["body"]["response_format"]["schema"]["required"] == list(Notes.model_fields)
    assert server.requests[1]["body"]["messages"] == server.requests[0]["body"]["messages"]
    assert result.sides and result.meta.structured_output == "json_object"
    assert result.meta.llm_calls == 2  # the refused probe answered nothing


def test_mode_is_remembered_across_runs(example_path, tmp_path):
    other = tmp_path / "other.txt"
    other.write_text("The minister said the talks will resume next week.\n")
    with FakeOpenAI(reject_json_schema=True) as server:
        online(example_path, server)
        first_run = len(server.requests)
        online(other, server)
    later = [r["body"]["response_format"]["type"] for r in server.requests[first_run:]]
    assert later == ["json_object", "json_object"]  # no second probe


def test_text_mode_puts_schema_in_prompt(example_path):
    with FakeOpenAI() as server:
        server.script = [Reply(400, {"error": {"message": "no json_schema"}}),
                         Reply(400, {"error": {"message": "no json_object either"}})]
        result = online(example_path, server)
    assert "response_format" not in server.requests[2]["body"]
    assert "follows this JSON schema" in server.requests[2]["body"]["messages"][1]["content"]
    assert result.meta.structured_output == "text"


def test_rate_limit_with_retry_after_then_success(example_path):
    with FakeOpenAI() as server:
        backend = OpenAIBackend(model="m", base_url=server.base_url, max_retries=2)
        backend.mode = "json_schema"
        server.script = [Reply(429, {"error": {"message": "slow down"}}, headers={"retry-after": "1"})]
        started = time.monotonic()
        result = brief([example_path], backend=backend, map_task="notes")
        waited = time.monotonic() - started
    assert [r["body"]["model"] for r in server.requests] == ["m", "m", "m"]
    assert waited >= 1.0
    assert result.meta.llm_calls == 2


def test_timeout_then_success(example_path):
    with FakeOpenAI() as server:
        backend = OpenAIBackend(model="m", base_url=server.base_url, timeout=0.5, max_retries=1)
        backend.mode = "json_schema"
        server.script = [Reply(delay=2.0)]
        result = brief([example_path], backend=backend, map_task="notes")
    assert len(server.requests) == 3 and result.sides


def test_timeout_exhausted_is_one_clean_error(example_path):
    with FakeOpenAI() as server:
        backend = OpenAIBackend(model="m", base_url=server.base_url, timeout=0.3, max_retries=1)
        backend.mode = "json_schema"
        server.script = [Reply(delay=1.0), Reply(delay=1.0)]
        with pytest.raises(BrieferError) as info:
            brief([example_path], backend=backend)
    assert str(info.value) == (f"the model server at {server.base_url} did not answer within 0.3 s "
                               "(1 retries); raise --timeout")


def test_invalid_json_then_valid_is_reasked(example_path):
    with FakeOpenAI() as server:
        server.script = [Reply(body=completion("I cannot do JSON today."))]
        result = online(example_path, server)
    assert result.meta.llm_calls == 3
    assert server.requests[1]["body"]["messages"][-2] == {"role": "assistant", "content": "I cannot do JSON today."}
    assert server.requests[1]["body"]["messages"][-1]["content"].startswith(
        "Your answer could not be used: the answer contains no JSON object")


def test_truncated_answer_splits_the_chunk(example_path):
    with FakeOpenAI() as server:
        server.script = [Reply(finish_reason="length")]
        result = online(example_path, server)
    assert len(server.requests) == 4  # cut-off chunk, its two halves, the brief
    assert result.meta.llm_calls == 4 and result.sides


def test_refusal_is_reasked(example_path):
    with FakeOpenAI() as server:
        server.script = [Reply(refusal="I can't help with that.")]
        result = online(example_path, server)
    assert server.requests[1]["body"]["messages"][-1]["content"].startswith(
        "Your answer could not be used: the model refused: I can't help with that.")
    assert result.meta.llm_calls == 3


def test_second_run_is_served_from_cache(example_path):
    with FakeOpenAI() as server:
        first = online(example_path, server)
        seen = len(server.requests)
        second = online(example_path, server)
    assert len(server.requests) == seen == 2
    assert (second.meta.llm_calls, second.meta.cache_hits, second.meta.prompt_tokens) == (0, 2, 0)
    assert second.model_dump(exclude={"meta"}) == first.model_dump(exclude={"meta"})


def test_no_cache_flag_asks_again(example_path):
    with FakeOpenAI() as server:
        online(example_path, server)
        online(example_path, server, use_cache=False)
    assert len(server.requests) == 4


def test_api_key_never_stored(example_path, monkeypatch):
    secret = "sk-test-very-secret-key-0123456789"
    monkeypatch.setenv("OPENAI_API_KEY", secret)
    with FakeOpenAI() as server:
        online(example_path, server)
    assert server.requests[0]["authorization"] == f"Bearer {secret}"
    cache_dir = os.environ["BRIEFER_CACHE_DIR"]
    files = [os.path.join(cache_dir, name) for name in os.listdir(cache_dir)]
    assert files
    for path in files:
        with open(path, "rb") as handle:
            assert secret.encode() not in handle.read()


def test_cache_is_safe_with_two_processes(tmp_path):
    path = tmp_path / "shared.sqlite3"
    writer = (
        "import sys; from briefer.llm.cache import ResponseCache; from briefer import ChatResponse\n"
        "cache = ResponseCache(sys.argv[1])\n"
        "for i in range(300):\n"
        "    cache.put(f'{sys.argv[2]}-{i}', 'http://x', 'm', ChatResponse(content='{}', prompt_tokens=1))\n"
    )
    procs = [subprocess.Popen([sys.executable, "-c", writer, str(path), name]) for name in ("a", "b")]
    assert [p.wait(timeout=60) for p in procs] == [0, 0]
    assert ResponseCache(path).stats()["responses"] == 600


def test_map_calls_run_concurrently(example_path):
    with FakeOpenAI(latency=0.3) as server:
        started = time.monotonic()
        result = online(example_path, server, chunk_tokens=120, concurrency=4, use_cache=False)
        wall = time.monotonic() - started
    chunks = result.meta.chunks
    assert chunks >= 8
    assert server.max_in_flight == 4
    ideal = (-(-chunks // 4) + 1) * 0.3  # map rounds + the brief call (the probe is the first map call)
    assert wall < ideal + 0.3 + 1.5  # one probe round and start-up slack


def test_dry_run_estimate_matches_server_report(example_path):
    with FakeOpenAI() as server:
        planned = plan([example_path], backend="openai", base_url=server.base_url, model="test-model",
                       map_task="notes")
        assert server.requests == []
        result = online(example_path, server)
    assert [c.task for c in planned.calls] == ["extract", "brief"]
    assert abs(planned.prompt_tokens - result.meta.prompt_tokens) <= 0.10 * result.meta.prompt_tokens


def test_dry_run_plans_the_select_task_with_a_server(example_path):
    """With a model server the default map task is select: one call per chunk, planned so."""
    with FakeOpenAI() as server:
        planned = plan([example_path], backend="openai", base_url=server.base_url, model="test-model")
        assert server.requests == []
        result = brief([example_path], backend="openai", base_url=server.base_url, model="test-model")
    assert [c.task for c in planned.calls] == ["select"] and result.meta.map_task == "select"
    assert abs(planned.prompt_tokens - result.meta.prompt_tokens) <= 0.10 * result.meta.prompt_tokens


def test_unreachable_server_is_one_clean_error(example_path):
    backend = OpenAIBackend(model="m", base_url="http://127.0.0.1:9/v1", max_retries=0, timeout=2)
    with pytest.raises(BrieferError, match=r"^cannot reach the model server at http://127.0.0.1:9/v1"):
        brief([example_path], backend=backend)


def test_auth_failure_is_one_clean_error(example_path):
    with FakeOpenAI() as server:
        server.script = [Reply(401, {"error": {"message": "bad key"}})]
        backend = OpenAIBackend(model="m", base_url=server.base_url, api_key="sk-wrong", max_retries=0)
        with pytest.raises(BrieferError) as info:
            brief([example_path], backend=backend)
    assert str(info.value) == (f"the model server at {server.base_url} rejected the API key "
                               "(HTTP 401); check OPENAI_API_KEY")
    assert server.requests[0]["authorization"] == "Bearer sk-wrong"
    assert len(server.requests) == 1


def test_auto_backend_uses_server_when_base_url_set(example_path, monkeypatch):
    with FakeOpenAI() as server:
        monkeypatch.setenv("OPENAI_BASE_URL", server.base_url)
        result = brief([example_path], backend="auto", model="m")
    assert result.meta.backend == "openai"
    assert len(server.requests) == 1 and result.meta.map_task == "select"  # one chunk, one select call


def test_cost_for_known_model(example_path):
    with FakeOpenAI() as server:
        result = brief([example_path], backend="openai", base_url=server.base_url, model="gpt-4o-mini")
    expected = round((result.meta.prompt_tokens * 0.15 + result.meta.completion_tokens * 0.60) / 1e6, 6)
    assert result.meta.cost_usd == expected


def test_no_event_loop_noise_after_runs(tmp_path):
    """The async client is closed inside its own loop: nothing on stderr at exit."""
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    script = (
        "import gc, sys\n"
        f"sys.path.insert(0, {os.path.join(root, 'tests')!r})\n"
        "from openai_server import FakeOpenAI\n"
        "from briefer import brief\n"
        "from briefer.llm.openai_backend import OpenAIBackend\n"
        "with FakeOpenAI() as server:\n"
        "    for _ in range(2):\n"
        "        backend = OpenAIBackend(model='m', base_url=server.base_url)\n"
        f"        brief([{os.path.join(root, 'examples', 'blinken-wang-munich.txt')!r}], backend=backend, use_cache=False)\n"
        "        del backend\n"
        "        gc.collect()\n"
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0
    assert out.stderr == ""
