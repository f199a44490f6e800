"""A small OpenAI-compatible chat server on loopback, for tests that use the real SDK.

By default it answers like briefer's offline engine would (so whole briefs run over real
HTTP) and reports prompt tokens counted with tiktoken the way chat formats count them.
``script`` queues replies (``Reply``) that are served first; ``reject_json_schema``
answers 500 to ``response_format: json_schema`` as llama.cpp's server does; ``latency``
delays every answer; ``tokenize`` adds llama-cpp-python's ``POST /extras/tokenize/count``,
which counts whitespace-separated words. Other paths get 404.
"""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from briefer import ChatRequest, MockBackend
from briefer.briefs.plan import count_prompt_tokens
from briefer.text.tokens import count_tokens


@dataclass
class Reply:
    status: int = 200
    body: dict | None = None  # None: answer with the offline engine
    headers: dict = field(default_factory=dict)
    delay: float = 0.0
    finish_reason: str | None = None  # override the engine answer's finish_reason
    refusal: str | None = None


class FakeOpenAI:
    def __init__(self, reject_json_schema: bool = False, latency: float = 0.0, tokenize: bool = False):
        self.reject_json_schema = reject_json_schema
        self.latency = latency
        self.tokenize = tokenize
        self.requests: list[dict] = []  # chat completions
        self.other_requests: list[str] = []  # paths of every other request
        self.script: list[Reply] = []
        self.in_flight = 0
        self.max_in_flight = 0
        self._lock = threading.Lock()
        self._engine = MockBackend()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.server.daemon_threads = True
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

    def engine_answer(self, body: dict, finish_reason: str = "stop", refusal: str | None = None) -> dict:
        system = body["messages"][0]["content"]
        task = ("brief" if "one-page briefings" in system else "reduce" if "condense" in system
                else "select" if system.startswith("You pick sentences")
                else "digest" if "daily digest" in system else "extract")
        with self._lock:  # the engine is not shared across threads
            reply = self._engine.complete(ChatRequest(task=task, messages=body["messages"], schema_name="", schema={}))
        prompt = count_prompt_tokens(body["messages"], None)
        return completion(reply.content, prompt_tokens=prompt, completion_tokens=count_tokens(reply.content),
                          finish_reason=finish_reason, refusal=refusal)

    def answer(self, body: dict) -> Reply:
        with self._lock:
            scripted = self.script.pop(0) if self.script else None
        if scripted is not None:
            if scripted.body is None and scripted.status == 200:
                scripted.body = self.engine_answer(body, scripted.finish_reason or "stop", scripted.refusal)
            return scripted
        fmt = body.get("response_format") or {}
        if self.reject_json_schema and fmt.get("type") == "json_schema":
            return Reply(500, {"error": {"message": "response_format json_schema is not supported"}})
        return Reply(200, self.engine_answer(body))

    def _handler(self):
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # keep test output clean
                pass

            def _json(self, status: int, payload: dict) -> None:
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_POST(self):
                length = int(self.headers.get("content-length", 0))
                body = json.loads(self.rfile.read(length))
                if not self.path.endswith("/chat/completions"):
                    with fake._lock:
                        fake.other_requests.append(self.path)
                    if fake.tokenize and self.path == "/extras/tokenize/count":
                        self._json(200, {"count": len(body["input"].split())})
                    else:
                        self._json(404, {"detail": "Not Found"})
                    return
                with fake._lock:
                    fake.requests.append({"path": self.path, "body": body,
                                          "authorization": self.headers.get("authorization")})
                    fake.in_flight += 1
                    fake.max_in_flight = max(fake.max_in_flight, fake.in_flight)
                try:
                    reply = fake.answer(body)
                    time.sleep(fake.latency + reply.delay)
                    data = json.dumps(reply.body or {}).encode()
                    self.send_response(reply.status)
                    self.send_header("content-type", "application/json")
                    self.send_header("content-length", str(len(data)))
                    for name, value in reply.headers.items():
                        self.send_header(name, value)
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (a timeout test)
                finally:
                    with fake._lock:
                        fake.in_flight -= 1

        return Handler


def completion(content: str, prompt_tokens: int = 10, completion_tokens: int = 5,
               finish_reason: str = "stop", refusal: str | None = None) -> dict:
    message = {"role": "assistant", "content": None if refusal else content}
    if refusal:
        message["refusal"] = refusal
    return {
        "id": "chatcmpl-test", "object": "chat.completion", "created": 0, "model": "test-model",
        "choices": [{"index": 0, "finish_reason": finish_reason, "message": message}],
        "usage": {"prompt_tokens": prompt_tokens, "completion_tokens": completion_tokens,
                  "total_tokens": prompt_tokens + completion_tokens},
    }
