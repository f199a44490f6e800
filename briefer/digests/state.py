"""Digest state: what was seen, briefed and published, in one SQLite file (WAL).

At ``--state PATH``, else ``$BRIEFER_DATA_DIR/state.sqlite3``, else the user data folder.
The schema version is SQLite's ``user_version``; ``MIGRATIONS[i]`` takes a file from
version i to i + 1, so an old file is brought forward on open and a newer one refused.

    sources     every source given to a job, with its last error
    documents   every document seen: location, content hash, first and last seen
    briefs      per-document briefs, keyed by content hash + brief settings
    reductions  cross-document results, keyed by everything that went into them
    runs        one row per digest run: start, end, status, counts, error
    run_documents   which documents each run's digest covered (for "new since")
"""

from __future__ import annotations

import json
import os
import sqlite3
import time
from datetime import datetime, timezone
from pathlib import Path

from ..errors import BrieferError

MIGRATIONS = [
    # 0 -> 1
    """
    CREATE TABLE sources (location TEXT PRIMARY KEY, kind TEXT NOT NULL, first_seen REAL NOT NULL,
                          last_seen REAL NOT NULL, last_error TEXT);
    CREATE TABLE documents (location TEXT NOT NULL, sha256 TEXT NOT NULL, title TEXT,
                            first_seen REAL NOT NULL, last_seen REAL NOT NULL,
                            PRIMARY KEY (location, sha256));
    CREATE TABLE briefs (key TEXT PRIMARY KEY, sha256 TEXT NOT NULL, brief TEXT NOT NULL,
                         created REAL NOT NULL);
    CREATE TABLE runs (id INTEGER PRIMARY KEY, job TEXT NOT NULL, started REAL NOT NULL, ended REAL,
                       status TEXT NOT NULL, digest_date TEXT, counts TEXT, error TEXT, pid INTEGER);
    CREATE INDEX runs_job ON runs (job, status, started);
    CREATE TABLE run_documents (run_id INTEGER NOT NULL REFERENCES runs (id), sha256 TEXT NOT NULL,
                                PRIMARY KEY (run_id, sha256));
    """,
    # 1 -> 2: the cross-document step is remembered too, so a same-day re-run costs nothing
    """
    CREATE TABLE reductions (key TEXT PRIMARY KEY, result TEXT NOT NULL, created REAL NOT NULL);
    """,
]
VERSION = len(MIGRATIONS)


def default_state_path() -> Path:
    if os.environ.get("BRIEFER_DATA_DIR"):
        return Path(os.environ["BRIEFER_DATA_DIR"]) / "state.sqlite3"
    import platformdirs

    return Path(platformdirs.user_data_dir("briefer")) / "state.sqlite3"


def _utc(timestamp: float | None) -> datetime | None:
    return None if timestamp is None else datetime.fromtimestamp(timestamp, tz=timezone.utc)


class State:
    def __init__(self, path: str | Path | None = None):
        self.path = Path(path) if path else default_state_path()
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.db = sqlite3.connect(self.path, timeout=30, isolation_level=None)
            self.db.execute("PRAGMA journal_mode=WAL")
            self._migrate()
        except (sqlite3.Error, OSError) as exc:
            raise BrieferError(f"cannot open the digest state at {self.path}: {exc}") from exc

    def _migrate(self) -> None:
        self.db.execute("BEGIN IMMEDIATE")  # one process migrates; another waits, then sees it done
        try:
            version = self.db.execute("PRAGMA user_version").fetchone()[0]
            if version > VERSION:
                raise BrieferError(f"{self.path} was written by a newer briefer (state version {version}, "
                                   f"this one knows {VERSION})")
            for step in range(version, VERSION):
                for statement in filter(str.strip, MIGRATIONS[step].split(";")):
                    self.db.execute(statement)
            self.db.execute(f"PRAGMA user_version = {VERSION}")
            self.db.execute("COMMIT")
        except BaseException:
            self.db.execute("ROLLBACK")
            raise

    def version(self) -> int:
        return self.db.execute("PRAGMA user_version").fetchone()[0]

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> "State":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # ------------------------------------------------------------ sources and documents

    def saw_source(self, location: str, kind: str, error: str | None = None) -> None:
        now = time.time()
        self.db.execute(
            "INSERT INTO sources VALUES (?, ?, ?, ?, ?) ON CONFLICT (location) DO UPDATE SET "
            "kind = excluded.kind, last_seen = excluded.last_seen, last_error = excluded.last_error",
            (location, kind, now, now, error))

    def saw_document(self, location: str, sha256: str, title: str | None) -> None:
        now = time.time()
        self.db.execute(
            "INSERT INTO documents VALUES (?, ?, ?, ?, ?) ON CONFLICT (location, sha256) DO UPDATE SET "
            "last_seen = excluded.last_seen", (location, sha256, title, now, now))

    # ------------------------------------------------------------ remembered results

    def brief(self, key: str) -> str | None:
        row = self.db.execute("SELECT brief FROM briefs WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def put_brief(self, key: str, sha256: str, brief_json: str) -> None:
        self.db.execute("INSERT OR REPLACE INTO briefs VALUES (?, ?, ?, ?)", (key, sha256, brief_json, time.time()))

    def reduction(self, key: str) -> str | None:
        row = self.db.execute("SELECT result FROM reductions WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def put_reduction(self, key: str, result: str) -> None:
        self.db.execute("INSERT OR REPLACE INTO reductions VALUES (?, ?, ?)", (key, result, time.time()))

    # ------------------------------------------------------------ runs

    def start_run(self, job: str, digest_date: str) -> int:
        # A run still marked running holds no lock any more (the caller holds it now): it died.
        self.db.execute("UPDATE runs SET status = 'abandoned', error = 'the process ended before the run did' "
                        "WHERE job = ? AND status = 'running'", (job,))
        cursor = self.db.execute("INSERT INTO runs (job, started, status, digest_date, pid) VALUES (?, ?, ?, ?, ?)",
                                 (job, time.time(), "running", digest_date, os.getpid()))
        return cursor.lastrowid

    def finish_run(self, run_id: int, counts: dict, documents: list[str]) -> None:
        self.db.execute("BEGIN IMMEDIATE")
        self.db.executemany("INSERT OR IGNORE INTO run_documents VALUES (?, ?)", [(run_id, d) for d in documents])
        self.db.execute("UPDATE runs SET ended = ?, status = 'ok', counts = ? WHERE id = ?",
                        (time.time(), json.dumps(counts, sort_keys=True), run_id))
        self.db.execute("COMMIT")

    def fail_run(self, run_id: int, error: str, counts: dict | None = None) -> None:
        self.db.execute("UPDATE runs SET ended = ?, status = 'failed', error = ?, counts = ? WHERE id = ?",
                        (time.time(), error, json.dumps(counts or {}, sort_keys=True), run_id))

    def runs(self, job: str | None = None) -> list[dict]:
        where, args = ("WHERE job = ?", (job,)) if job else ("", ())
        rows = self.db.execute(f"SELECT id, job, started, ended, status, digest_date, counts, error FROM runs "
                               f"{where} ORDER BY id", args).fetchall()
        return [{"id": r[0], "job": r[1], "started": _utc(r[2]), "ended": _utc(r[3]), "status": r[4],
                 "digest_date": r[5], "counts": json.loads(r[6]) if r[6] else {}, "error": r[7]} for r in rows]

    def last_success(self, job: str) -> datetime | None:
        row = self.db.execute("SELECT MAX(started) FROM runs WHERE job = ? AND status = 'ok'", (job,)).fetchone()
        return _utc(row[0])

    def previous_documents(self, job: str, before_date: str) -> set[str] | None:
        """Content hashes in the job's newest good digest dated before ``before_date``;
        None when there is none (then everything counts as new)."""
        row = self.db.execute("SELECT id FROM runs WHERE job = ? AND status = 'ok' AND digest_date < ? "
                              "ORDER BY digest_date DESC, id DESC LIMIT 1", (job, before_date)).fetchone()
        if row is None:
            return None
        return {r[0] for r in self.db.execute("SELECT sha256 FROM run_documents WHERE run_id = ?", (row[0],))}
