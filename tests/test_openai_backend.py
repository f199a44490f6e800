"""The openai backend through the real SDK against a loopback OpenAI-compatible server."""

import pytest
from openai_server import FakeOpenAI, completion

from briefer import BrieferError, brief
from briefer.backends.openai_backend import OpenAIBackend
from briefer.schema import Notes


def test_whole_brief_over_http_matches_offline(example_path):
    with FakeOpenAI() as server:
        backend = OpenAIBackend(model="test-model", base_url=server.base_url, max_retries=0)
        online = brief([example_path], backend=backend)
    offline = brief([example_path], backend="mock")
    assert online.model_dump(exclude={"meta"}) == offline.model_dump(exclude={"meta"})
    assert (online.meta.backend, online.meta.model) == ("openai", "test-model")
    assert (online.meta.llm_calls, online.meta.prompt_tokens, online.meta.completion_tokens) == (2, 200, 100)
    first = server.requests[0]
    assert first["path"] == "/v1/chat/completions"
    body = first["body"]
    assert body["model"] == "test-model"
    assert body["temperature"] == 0.0
    assert [m["role"] for m in body["messages"]] == ["system", "user"]
    assert body["response_format"]["type"] == "json_schema"
    assert body["response_format"]["json_schema"]["name"] == "notes"
    assert body["response_format"]["json_schema"]["strict"] is True
    schema = body["response_format"]["json_schema"]["schema"]
    assert schema["additionalProperties"] is False
    assert set(schema["required"]) == set(Notes.model_fields)


def test_server_rejecting_json_schema_falls_back_to_json_object(example_path):
    with FakeOpenAI(reject_json_schema=True) as server:
        backend = OpenAIBackend(model="m", base_url=server.base_url, max_retries=0)
        result = brief([example_path], backend=backend)
    formats = [r["body"].get("response_format", {}).get("type") for r in server.requests]
    assert formats == ["json_schema", "json_object", "json_object"]
    assert backend.mode == "json_object"
    # llama.cpp's server takes the schema inside json_object as a grammar
    assert server.requests[1]["body"]["response_format"]["schema"]["required"] == list(Notes.model_fields)
    assert server.requests[1]["body"]["messages"] == server.requests[0]["body"]["messages"]
    assert result.sides
    assert result.meta.structured_output == "json_object"


def test_invalid_json_is_reasked_over_http(example_path):
    with FakeOpenAI() as server:
        server.script.append((200, completion("I cannot do JSON today.")))
        backend = OpenAIBackend(model="m", base_url=server.base_url, max_retries=0)
        result = brief([example_path], backend=backend)
    assert result.meta.llm_calls == 3
    assert server.requests[1]["body"]["messages"][-2]["content"] == "I cannot do JSON today."


def test_unreachable_server_is_one_clean_error(example_path):
    backend = OpenAIBackend(model="m", base_url="http://127.0.0.1:9/v1", max_retries=0, timeout=2)
    with pytest.raises(BrieferError, match=r"^cannot reach the model server at http://127.0.0.1:9/v1"):
        brief([example_path], backend=backend)


def test_auth_failure_is_one_clean_error(example_path):
    with FakeOpenAI() as server:
        server.script.append((401, {"error": {"message": "bad key"}}))
        backend = OpenAIBackend(model="m", base_url=server.base_url, api_key="sk-wrong", max_retries=0)
        with pytest.raises(BrieferError) as info:
            brief([example_path], backend=backend)
    assert str(info.value) == (f"the model server at {server.base_url} rejected the API key "
                               "(HTTP 401); check OPENAI_API_KEY")
    assert server.requests[0]["authorization"] == "Bearer sk-wrong"


def test_auto_backend_uses_server_when_base_url_given(example_path, monkeypatch):
    with FakeOpenAI() as server:
        monkeypatch.setenv("OPENAI_BASE_URL", server.base_url)
        result = brief([example_path], backend="auto", model="m")
    assert result.meta.backend == "openai"
    assert len(server.requests) == 2
