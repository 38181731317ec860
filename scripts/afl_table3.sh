#!/usr/bin/env bash
# Reproduces the AFL table of docs/AFL.md on hand-xray: r18 at 256², protocols drawn per sample, without
# and with AFL, Adaptive Wing (30 epochs) and MSE (20 epochs, to fit the session), three seeds each (12
# first-stage runs of 9-13 minutes on one core each), then one report per run on the validation split under all four protocols (first stage only:
# false negatives are decided there). Usage: scripts/afl_table3.sh [OUT]
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-afl-runs}
data=../shared/data/hand-xray
swift build -c release
B=.build/release/landmark
mkdir -p "$out"
for loss in awing mse; do
  for seed in 1 2 3; do
    for arm in base afl; do
      run="$out/$loss-$arm-$seed"
      flag=""; [ "$arm" = afl ] && flag="--afl"
      epochs=30; [ "$loss" = mse ] && epochs=20
      [ -f "$run/model/model.json" ] || $B train "$data" --schema hand-37 --loss "$loss" --epochs "$epochs" --seed "$seed" --no-refine $flag --threads 1 --out "$run"
      [ -f "$run-report/report.json" ] || $B report "$run" "$data" --split valid --no-refine --out "$run-report"
    done
  done
done
arms=()
for loss in awing mse; do
  for arm in base afl; do
    label=$loss; [ "$arm" = afl ] && label="$loss+AFL"
    arms+=(--arm "$label" "$out/$loss-$arm-1-report" "$out/$loss-$arm-2-report" "$out/$loss-$arm-3-report")
  done
done
python3 scripts/aggregate_reports.py table3 "${arms[@]}"
