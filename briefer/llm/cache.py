"""The response cache: a re-run of the same request costs nothing.

SQLite (WAL, busy timeout) in the user cache folder, or ``$BRIEFER_CACHE_DIR``. Answers
are keyed by a hash of everything that shapes them: server, model, messages, response
schema and sampling parameters. It also remembers which structured-output mode each
server and model accepted. API keys are never part of a key or a row.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import time
from pathlib import Path

from ..errors import BrieferError
from .base import ChatRequest, ChatResponse

SCHEMA_VERSION = 1
_TABLES = """
CREATE TABLE IF NOT EXISTS responses (
    key TEXT PRIMARY KEY, created REAL NOT NULL, server TEXT NOT NULL, model TEXT,
    content TEXT NOT NULL, prompt_tokens INTEGER NOT NULL, completion_tokens INTEGER NOT NULL,
    finish_reason TEXT, mode TEXT);
CREATE TABLE IF NOT EXISTS capabilities (
    server TEXT NOT NULL, model TEXT NOT NULL, mode TEXT NOT NULL, updated REAL NOT NULL,
    PRIMARY KEY (server, model));
CREATE TABLE IF NOT EXISTS info (name TEXT PRIMARY KEY, value TEXT NOT NULL);
"""


def cache_dir() -> Path:
    if os.environ.get("BRIEFER_CACHE_DIR"):
        return Path(os.environ["BRIEFER_CACHE_DIR"])
    import platformdirs

    return Path(platformdirs.user_cache_dir("briefer"))


def request_key(server: str, model: str | None, request: ChatRequest) -> str:
    payload = {"server": server.rstrip("/"), "model": model, "messages": request.messages,
               "schema_name": request.schema_name, "schema": request.schema,
               "temperature": request.temperature, "max_tokens": request.max_tokens}
    canonical = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


class ResponseCache:
    def __init__(self, path: Path | str | None = None):
        self.path = Path(path) if path else cache_dir() / "cache.sqlite3"
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            # autocommit; a writer waits up to 30 s for another process instead of failing
            self.db = sqlite3.connect(self.path, timeout=30, isolation_level=None,
                                      check_same_thread=False)
            self._set_up()
        except (sqlite3.Error, OSError) as exc:
            raise BrieferError(f"cannot open the response cache at {self.path}: {exc}") from exc

    def _set_up(self, attempts: int = 50) -> None:
        """WAL mode and the tables. Two processes opening a new cache at once can get
        "database is locked" here without SQLite's busy wait (switching the journal mode
        and WAL recovery do not wait), so this step alone is retried, briefly."""
        for attempt in range(attempts):
            try:
                self.db.execute("PRAGMA journal_mode=WAL")
                self.db.execute("PRAGMA synchronous=NORMAL")
                self.db.executescript(_TABLES)
                self.db.execute("INSERT OR IGNORE INTO info VALUES ('schema_version', ?)", (str(SCHEMA_VERSION),))
                return
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) or attempt == attempts - 1:
                    raise
                time.sleep(0.05 + 0.01 * attempt)

    def get(self, key: str) -> ChatResponse | None:
        row = self.db.execute(
            "SELECT content, prompt_tokens, completion_tokens, finish_reason, mode FROM responses WHERE key = ?",
            (key,)).fetchone()
        if row is None:
            return None
        content, prompt_tokens, completion_tokens, finish_reason, mode = row
        return ChatResponse(content=content, prompt_tokens=prompt_tokens, completion_tokens=completion_tokens,
                            finish_reason=finish_reason, extra={"mode": mode, "cached": True})

    def put(self, key: str, server: str, model: str | None, response: ChatResponse) -> None:
        self.db.execute(
            "INSERT OR REPLACE INTO responses VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (key, time.time(), server, model, response.content, response.prompt_tokens,
             response.completion_tokens, response.finish_reason, response.extra.get("mode")))

    def get_mode(self, server: str, model: str | None) -> str | None:
        row = self.db.execute("SELECT mode FROM capabilities WHERE server = ? AND model = ?",
                              (server.rstrip("/"), model or "")).fetchone()
        return row[0] if row else None

    def set_mode(self, server: str, model: str | None, mode: str) -> None:
        self.db.execute("INSERT OR REPLACE INTO capabilities VALUES (?, ?, ?, ?)",
                        (server.rstrip("/"), model or "", mode, time.time()))

    def stats(self) -> dict:
        count, prompt, completion = self.db.execute(
            "SELECT COUNT(*), COALESCE(SUM(prompt_tokens), 0), COALESCE(SUM(completion_tokens), 0) "
            "FROM responses").fetchone()
        servers = self.db.execute("SELECT COUNT(*) FROM capabilities").fetchone()[0]
        size = sum(p.stat().st_size for p in self.path.parent.glob(self.path.name + "*") if p.is_file())
        return {"path": str(self.path), "responses": count, "prompt_tokens": prompt,
                "completion_tokens": completion, "servers": servers, "bytes": size}

    def clear(self) -> int:
        count = self.db.execute("SELECT COUNT(*) FROM responses").fetchone()[0]
        self.db.execute("DELETE FROM responses")
        self.db.execute("DELETE FROM capabilities")
        self.db.execute("VACUUM")
        return count

    def close(self) -> None:
        self.db.close()
