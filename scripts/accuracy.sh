#!/usr/bin/env bash
# Reproduces docs/ACCURACY.md: the recommended recipe (`landmark train` with no flags) on hand-xray, three
# seeds, then the false-negative report on the validation split with and without the refinement stage.
# About 20 minutes per seed on two cores (release build). Usage: scripts/accuracy.sh [OUT] [SEEDS...]
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-accuracy-runs}; shift || true
seeds=${*:-1 2 3}
data=../shared/data/hand-xray
swift build -c release
B=.build/release/landmark
mkdir -p "$out"
for s in $seeds; do
  [ -f "$out/seed$s/model/refiner.safetensors" ] || $B train "$data" --schema hand-37 --seed "$s" --out "$out/seed$s"
  $B report "$out/seed$s" "$data" --split valid --out "$out/report-seed$s"
  $B report "$out/seed$s" "$data" --split valid --no-refine --out "$out/report-seed$s-first-stage"
done
reports() { for s in $seeds; do printf '%s ' "$out/report-seed$s$1"; done; }
python3 scripts/aggregate_reports.py accuracy $(reports "")
python3 scripts/aggregate_reports.py accuracy $(reports "-first-stage")
