#!/usr/bin/env bash
# Reproduces the AFL tables of docs/AFL.md on hand-xray: r18 at 256², protocols drawn per sample, without
# AFL, with AFL in the paper's form (topology τ 0.5) and with AFL's default (topology τ 0.3); Adaptive Wing
# (30 epochs) and MSE (20 epochs), three seeds each (18 first-stage runs of 9-13 minutes on one core each),
# then one report per run on the validation split under all four protocols (first stage only: false
# negatives are decided there). Usage: scripts/afl_table3.sh [OUT]
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-afl-runs}
data=../shared/data/hand-xray
swift build -c release
B=.build/release/landmark
mkdir -p "$out"
printf 'afl: {presenceThreshold: 0.5}\n' > "$out/paper.yaml"
for loss in awing mse; do
  for seed in 1 2 3; do
    for arm in base afl afl-paper; do
      run="$out/$loss-$arm-$seed"
      flag=""; [ "$arm" = afl ] && flag="--afl"; [ "$arm" = afl-paper ] && flag="--afl --config $out/paper.yaml"
      epochs=30; [ "$loss" = mse ] && epochs=20
      [ -f "$run/model/model.json" ] || $B train "$data" --schema hand-37 --loss "$loss" --epochs "$epochs" --seed "$seed" --no-refine $flag --threads 1 --out "$run"
      [ -f "$run-report/report.json" ] || $B report "$run" "$data" --split valid --no-refine --out "$run-report"
    done
  done
done
arms=()
for loss in awing mse; do
  for arm in base afl-paper afl; do
    label=$loss; [ "$arm" = afl ] && label="$loss+AFL"; [ "$arm" = afl-paper ] && label="$loss+AFL (paper's form)"
    arms+=(--arm "$label" "$out/$loss-$arm-1-report" "$out/$loss-$arm-2-report" "$out/$loss-$arm-3-report")
  done
done
python3 scripts/aggregate_reports.py table3 "${arms[@]}"
