"""Counting prompt tokens with the model server's own tokenizer, for ``--dry-run``.

tiktoken's encodings are OpenAI's; a local model's tokenizer can differ by 10% or more
(SmolLM2's gives ~8% more tokens than cl100k_base for English news text). Servers that
expose their tokenizer are asked instead, once per distinct text:

- llama-cpp-python's server: ``POST /extras/tokenize/count`` ``{"input", "model"}``
  -> ``{"count"}``
- llama.cpp's own server: ``POST /tokenize`` ``{"content"}`` -> ``{"tokens": [...]}``

Only token counts are asked for: no chat request is sent. A server without either
endpoint (OpenAI's, Ollama's, ...) gets ``None`` from ``ServerTokenizer.connect`` and the
dry run counts with tiktoken as before.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from collections.abc import Callable
from typing import Any

OPENAI_HOST = "api.openai.com"

# (path under the server root, request body, token count from the answer)
_ENDPOINTS: tuple[tuple[str, Callable[[str, str], dict], Callable[[Any], int]], ...] = (
    ("/extras/tokenize/count", lambda text, model: {"input": text, "model": model},
     lambda answer: int(answer["count"])),
    ("/tokenize", lambda text, model: {"content": text}, lambda answer: len(answer["tokens"])),
)


class ServerTokenizer:
    def __init__(self, root: str, model: str, api_key: str | None, endpoint, timeout: float):
        self.root = root
        self.model = model
        self._api_key = api_key
        self.path, self._body, self._count = endpoint
        self.timeout = timeout
        self._known: dict[str, int] = {}  # prompts repeat their instructions: ask once

    @classmethod
    def connect(cls, base_url: str, model: str, api_key: str | None = None,
                timeout: float = 10.0) -> ServerTokenizer | None:
        """A tokenizer for the server at ``base_url`` (``.../v1``), or None when it has none."""
        if OPENAI_HOST in base_url:
            return None  # OpenAI has no tokenize endpoint: tiktoken is its tokenizer
        root = base_url.rstrip("/").removesuffix("/v1")
        for endpoint in _ENDPOINTS:
            tokenizer = cls(root, model, api_key, endpoint, timeout)
            try:
                tokenizer.count("Hello")
            except (OSError, ValueError, KeyError, TypeError):  # 404, refused, not JSON, ...
                continue
            return tokenizer
        return None

    @property
    def description(self) -> str:
        return f"the server's tokenizer (POST {self.path})"

    def count(self, text: str) -> int:
        known = self._known.get(text)
        if known is None:
            headers = {"content-type": "application/json"}
            if self._api_key:
                headers["authorization"] = f"Bearer {self._api_key}"
            request = urllib.request.Request(self.root + self.path, headers=headers,
                                             data=json.dumps(self._body(text, self.model)).encode())
            with urllib.request.urlopen(request, timeout=self.timeout) as reply:
                known = self._known[text] = self._count(json.load(reply))
        return known
