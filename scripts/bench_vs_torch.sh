#!/usr/bin/env bash
# One command for the engine comparison (issue #13): builds the release binary, then runs our
# `landmark bench train|infer` case and ../shared/reference/torch_fpn.py's network alternately, in
# fresh processes (3 runs each by default), at 1 and 2 threads. PyTorch variants: eager NCHW, eager
# channels_last, and torch.compile with freezing for inference. Prints the CPU model, the ISA found,
# and a table of ratios (ours / PyTorch) with peak RSS of both sides.
#
# PyTorch is a benchmark-only dependency: it goes into .bench-venv/ (git-ignored), never into
# setup.sh, the README's setup or the tests.
#
# Usage: scripts/bench_vs_torch.sh [--quick] [--no-build] [options of scripts/bench_vs_torch.py]
#   --quick      256² cases only, fewer iterations (about 5 minutes on a 2-vCPU Zen 5)
#   (default)    all four cases (train256, infer256, train512, infer512), 5 warm-up + 20 timed
#   --no-build   use the existing .build/release/landmark
#   --runs N, --threads 1,2, --cases ..., --variants ..., --summary FILE.json: see --help
# Environment: TORCH_SPEC (default "torch", e.g. "torch==2.15.0"), TORCH_INDEX_URL (e.g.
# https://download.pytorch.org/whl/cpu for the CPU-only wheel), BENCH_VENV (default .bench-venv).
set -euo pipefail
cd "$(dirname "$0")/.."
venv=${BENCH_VENV:-.bench-venv}
build=1
args=()
for a in "$@"; do
  case "$a" in
    --no-build) build=0 ;;
    *) args+=("$a") ;;
  esac
done

if [ ! -x "$venv/bin/python" ]; then
  echo "== creating $venv (benchmark-only virtual environment)"
  python3 -m venv "$venv"
fi
if ! "$venv/bin/python" -c "import torch" 2>/dev/null; then
  echo "== installing ${TORCH_SPEC:-torch} into $venv"
  idx=()
  [ -n "${TORCH_INDEX_URL:-}" ] && idx=(--index-url "$TORCH_INDEX_URL")
  "$venv/bin/pip" install -q "${idx[@]}" "${TORCH_SPEC:-torch}" numpy
fi

if [ "$build" = 1 ]; then
  echo "== swift build -c release"
  swift build -c release 2>&1 | tail -3
fi

exec "$venv/bin/python" scripts/bench_vs_torch.py "${args[@]}"
