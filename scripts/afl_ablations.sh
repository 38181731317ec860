#!/usr/bin/env bash
# Reproduces the AFL ablations of docs/AFL.md on the phantom: r18 at 128², 30 epochs, Adaptive Wing, protocols
# drawn per sample, trained on one phantom set (seed 1, 96 images), scored on two fresh sets: a selection set
# (seed 11) on which the variants are compared, and a test set (seed 7) that reports them. Three seeds per arm;
# about 4 minutes per run on one core (21 runs), then a report per run and set.
# Usage: scripts/afl_ablations.sh [OUT]
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-afl-ablations}
swift build -c release
B=.build/release/landmark
mkdir -p "$out"
[ -d "$out/phantom-train" ] || $B synth --out "$out/phantom-train" --count 96 --seed 1
[ -d "$out/phantom-select" ] || $B synth --out "$out/phantom-select" --count 48 --seed 11
[ -d "$out/phantom-test" ] || $B synth --out "$out/phantom-test" --count 48 --seed 7
# Each variant changes one setting of the paper's form (afl: {} is the paper's form).
declare -A variant=(
  [paper]="{}"
  [scale4]="{difficultyScale: 4}"
  [batchnorm]="{difficultyNormalization: batch}"
  [steps5]="{criticStepsPerStep: 5}"
  [lrwarm]="{criticWarmUpUpdates: 60}"
  [tau03]="{presenceThreshold: 0.3}"
)
for seed in 1 2 3; do
  run="$out/base-$seed"
  [ -f "$run/model/model.json" ] || $B train "$out/phantom-train" --preset r18 --loss awing --protocol random --epochs 30 \
      --input-size 128 --no-refine --threads 1 --seed "$seed" --out "$run"
  for v in "${!variant[@]}"; do
    printf 'afl: %s\n' "${variant[$v]}" > "$out/$v.yaml"
    run="$out/$v-$seed"
    [ -f "$run/model/model.json" ] || $B train "$out/phantom-train" --config "$out/$v.yaml" --preset r18 --loss awing \
        --protocol random --epochs 30 --input-size 128 --no-refine --threads 1 --seed "$seed" --afl --out "$run"
  done
done
for set in select test; do
  for v in base "${!variant[@]}"; do
    for seed in 1 2 3; do
      r="$out/$v-$seed-$set"
      [ -f "$r/report.json" ] || $B report "$out/$v-$seed" "$out/phantom-$set" --split all --no-refine --threads 1 --out "$r"
    done
  done
  arms=(--arm awing "$out/base-1-$set" "$out/base-2-$set" "$out/base-3-$set")
  for v in paper scale4 batchnorm steps5 lrwarm tau03; do
    arms+=(--arm "awing+AFL $v" "$out/$v-1-$set" "$out/$v-2-$set" "$out/$v-3-$set")
  done
  echo "## phantom $set set"
  python3 scripts/aggregate_reports.py table3 "${arms[@]}"
done
