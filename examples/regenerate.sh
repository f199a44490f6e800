#!/usr/bin/env bash
# Regenerate the example briefs (offline engine) from the repository root:
#   bash examples/regenerate.sh
set -euo pipefail
cd "$(dirname "$0")/.."
briefer brief examples/blinken-wang-munich.txt -q -o examples/blinken-wang-munich.md
briefer brief examples/blinken-wang-munich.txt -q --format json -o examples/blinken-wang-munich.json
