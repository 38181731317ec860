#!/usr/bin/env python3
"""Aggregates `landmark report` outputs over seeds into the tables of docs/ACCURACY.md and docs/AFL.md.

    aggregate_reports.py accuracy DIR [DIR ...]
        one report directory per seed (one model each): per-protocol MRE, median, SDR and false
        negatives as mean ± sd over seeds, and the five worst landmarks.
    aggregate_reports.py table3 --arm NAME DIR [DIR ...] --arm NAME DIR [DIR ...] ...
        the AFL comparison: false negatives at each model's τ per protocol (mean ± sd over seeds),
        their sum with the relative change against the first arm that shares the name's prefix
        (the text before the first '+'), MRE over every ground-truth landmark, and FN summed over
        protocols against τ.

Only the standard library: this is a check script, not part of the toolkit.
"""
import json
import statistics
import sys
from collections import defaultdict


def load(d):
    with open(f"{d}/report.json") as f:
        return json.load(f)


def ms(values, fmt="{:.2f}"):
    values = [v for v in values if v is not None]
    if not values:
        return "n/a"
    m = statistics.mean(values)
    s = statistics.stdev(values) if len(values) > 1 else 0.0
    return f"{fmt.format(m)} ± {fmt.format(s)}"


def overall_rows(report):
    return {r["contrastProtocol"]: r for r in report["rows"] if r["scope"] == "overall"}


def mre_all(row):
    return row.get("mreAllMM", row.get("mreMM"))


def accuracy(dirs):
    reports = [load(d) for d in dirs]
    protocols = reports[0]["data"]["protocols"]
    radii = ["2", "2.5", "3", "4"]
    print(f"{len(dirs)} seeds: " + ", ".join(dirs))
    print()
    print("| protocol | MRE mm (all landmarks) | MRE mm (detected) | median mm | " + " | ".join(f"SDR {r} mm %" for r in radii) + " | FN |")
    print("|---|---|---|---|" + "---|" * len(radii) + "---|")
    for p in protocols:
        rows = [overall_rows(r)[p] for r in reports]
        sdr = [ms([100 * row["sdr"][i] if row["sdr"][i] is not None else None for row in rows], "{:.1f}") for i in range(len(radii))]
        fn = ms([row["falseNegatives"] for row in rows], "{:.1f}")
        total = rows[0]["groundTruthPresent"]
        print(f"| {p} | {ms([mre_all(r) for r in rows])} | {ms([r['mreMM'] for r in rows])} | {ms([r['medianMM'] for r in rows])} | "
              + " | ".join(sdr) + f" | {fn} of {total} |")
    print()
    per = defaultdict(list)
    for r in reports:
        for row in r["rows"]:
            if row["scope"] == "landmark":
                per[row["item"]].append(mre_all(row))
    worst = sorted(per.items(), key=lambda kv: -statistics.mean(kv[1]))[:5]
    print("Five worst landmarks (MRE over every protocol and seed):")
    print()
    print("| landmark | MRE mm |")
    print("|---|---|")
    for name, values in worst:
        print(f"| {name} | {statistics.mean(values):.2f} |")


def table3(args):
    arms, current = [], None
    for a in args:
        if a == "--arm":
            current = None
            continue
        if current is None:
            current = (a, [])
            arms.append(current)
        else:
            current[1].append(a)
    data = {name: [load(d) for d in dirs] for name, dirs in arms}
    protocols = next(iter(data.values()))[0]["data"]["protocols"]
    print("| arm | seeds | " + " | ".join(f"FN {p}" for p in protocols) + " | FN sum | change | MRE all mm (mean over protocols) |")
    print("|---|---|" + "---|" * len(protocols) + "---|---|---|")
    sums = {}
    for name, reports in data.items():
        per_p = {p: [overall_rows(r)[p]["falseNegatives"] for r in reports] for p in protocols}
        total = [sum(per_p[p][i] for p in protocols) for i in range(len(reports))]
        sums[name] = statistics.mean(total)
        base = next(n for n, _ in arms if n.split("+")[0] == name.split("+")[0])
        change = "" if base == name else f"{100 * (sums[name] - sums[base]) / sums[base]:+.0f} %" if sums[base] else "n/a"
        mre = [statistics.mean(mre_all(overall_rows(r)[p]) for p in protocols) for r in reports]
        print(f"| {name} | {len(reports)} | " + " | ".join(ms(per_p[p], "{:.1f}") for p in protocols)
              + f" | {ms(total, '{:.1f}')} | {change} | {ms(mre)} |")
    print()
    swept = {round(s["threshold"], 4) for s in next(iter(data.values()))[0]["sweep"]}
    taus = [t for t in (0.3, 0.4, 0.5, 0.6, 0.7, 0.8) if t in swept]
    print("FN summed over protocols against τ (mean over seeds):")
    print()
    print("| arm | " + " | ".join(f"τ={t:g}" for t in taus) + " |")
    print("|---|" + "---|" * len(taus))
    for name, reports in data.items():
        cells = []
        for t in taus:
            per_seed = [sum(s["falseNegatives"] for s in r["sweep"] if round(s["threshold"], 4) == t) for r in reports]
            cells.append(f"{statistics.mean(per_seed):.1f}")
        print(f"| {name} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    if len(sys.argv) < 3 or sys.argv[1] not in ("accuracy", "table3"):
        sys.exit(__doc__)
    accuracy(sys.argv[2:]) if sys.argv[1] == "accuracy" else table3(sys.argv[2:])
