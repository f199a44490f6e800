"""A small OpenAI-compatible chat server on loopback, for tests that use the real SDK.

By default it answers like briefer's offline engine would (so whole briefs can run over
real HTTP); ``script`` queues raw (status, body) replies; ``reject_json_schema`` makes it
answer 500 to ``response_format: json_schema`` as llama.cpp's server does.
"""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from briefer.backends import ChatRequest, MockBackend


class FakeOpenAI:
    def __init__(self, reject_json_schema: bool = False):
        self.reject_json_schema = reject_json_schema
        self.requests: list[dict] = []
        self.script: list[tuple[int, dict]] = []
        self._engine = MockBackend()
        handler = self._handler()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}/v1"

    def __enter__(self) -> "FakeOpenAI":
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()

    def answer(self, body: dict) -> tuple[int, dict]:
        if self.script:
            return self.script.pop(0)
        fmt = body.get("response_format") or {}
        if self.reject_json_schema and fmt.get("type") == "json_schema":
            return 500, {"error": {"message": "response_format json_schema is not supported"}}
        system = body["messages"][0]["content"]
        task = "brief" if "one-page briefings" in system else "reduce" if "condense" in system else "extract"
        reply = self._engine.complete(ChatRequest(task=task, messages=body["messages"],
                                                  schema_name="", schema={}))
        return 200, completion(reply.content, prompt_tokens=100, completion_tokens=50)

    def _handler(self):
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # keep test output clean
                pass

            def do_POST(self):
                length = int(self.headers.get("content-length", 0))
                body = json.loads(self.rfile.read(length))
                fake.requests.append({"path": self.path, "body": body,
                                      "authorization": self.headers.get("authorization")})
                status, payload = fake.answer(body)
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        return Handler


def completion(content: str, prompt_tokens: int = 10, completion_tokens: int = 5,
               finish_reason: str = "stop") -> dict:
    return {
        "id": "chatcmpl-test", "object": "chat.completion", "created": 0, "model": "test-model",
        "choices": [{"index": 0, "finish_reason": finish_reason,
                     "message": {"role": "assistant", "content": content}}],
        "usage": {"prompt_tokens": prompt_tokens, "completion_tokens": completion_tokens,
                  "total_tokens": prompt_tokens + completion_tokens},
    }
