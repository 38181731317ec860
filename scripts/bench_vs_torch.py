#!/usr/bin/env python3
"""LandmarkKit against the PyTorch reference (../shared/reference/torch_fpn.py), one command.

Run it through scripts/bench_vs_torch.sh, which builds the release binary and provides a virtual
environment with torch. Every measurement is a fresh process. Within one run the order is:
for each case and thread count, ours, then each PyTorch variant, back to back. This makes a
slow phase of the shared host hit both sides.

PyTorch variants:
  eager_nchw     eager, NCHW            (train and infer)
  eager_cl       eager, channels_last   (train and infer)
  compile_frz    torch.compile, inductor freezing, eval + no_grad (infer only; skipped if
                 torch.compile is missing or fails, and the table says so)

Timing rules are the same on both sides: W warm-up iterations, then the median of N timed
iterations. For the eager variants at the defaults (5 + 20) the script runs
`torch_fpn.py --one CASE --threads T --memfmt M` itself. Otherwise (--quick, other counts, and
torch.compile) it imports torch_fpn's model, targets and cases, and runs the same loop as
torch_fpn.run_one with the chosen counts. The torch.compile variant compiles on the first call,
outside the warm-up and the timing.

Peak RSS comes from os.wait4 on each child process (its ru_maxrss), taken the same way for both
sides.
"""
import argparse, datetime, json, os, platform, statistics, subprocess, sys, time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
DEFAULT_REF = os.path.normpath(os.path.join(ROOT, "..", "shared", "reference", "torch_fpn.py"))
ALL_CASES = ["train256", "infer256", "train512", "infer512"]
VARIANTS = ["eager_nchw", "eager_cl", "compile_frz"]
LABEL = {"eager_nchw": "eager NCHW", "eager_cl": "eager channels_last", "compile_frz": "compile+freezing"}


# ----------------------------------------------------------------------------------------------
# worker: one PyTorch measurement in this process (called as a fresh child by the driver)
# ----------------------------------------------------------------------------------------------
def torch_one(ref, case, threads, variant, warm, timed):
    import resource
    sys.path.insert(0, os.path.dirname(ref))
    import torch_fpn as R
    import torch
    torch.set_num_threads(threads)
    torch.manual_seed(0)
    mode, res, batch = R.CASES[case]
    gen = torch.Generator().manual_seed(0)
    model = R.build_model()
    x = torch.randn(batch, 1, res, res, generator=gen)
    if variant == "eager_cl":
        model = model.to(memory_format=torch.channels_last)
        x = x.contiguous(memory_format=torch.channels_last)
    times, extra = [], {}
    if mode == "train":
        if variant == "compile_frz":
            raise SystemExit("compile_frz is an inference variant")
        model.train()
        y = R.gaussian_targets(torch, batch, res // 4, gen)
        opt = torch.optim.Adam(model.parameters(), lr=1e-3)
        for i in range(warm + timed):
            t0 = time.perf_counter()
            opt.zero_grad(set_to_none=True)
            loss = torch.nn.functional.mse_loss(model(x), y)
            loss.backward()
            opt.step()
            dt = time.perf_counter() - t0
            if i >= warm: times.append(dt)
        extra["final_loss"] = float(loss)
    else:
        model.eval()
        fn = model
        with torch.no_grad():
            if variant == "compile_frz":
                import torch._inductor.config as icfg
                icfg.freezing = True
                fn = torch.compile(model)
                t0 = time.perf_counter()
                fn(x)  # compiles (or loads the inductor cache); outside warm-up and timing
                extra["compile_s"] = time.perf_counter() - t0
                ref_out = model(x)
                extra["max_abs_diff_vs_eager"] = float((fn(x) - ref_out).abs().max())
            for i in range(warm + timed):
                t0 = time.perf_counter()
                out = fn(x)
                dt = time.perf_counter() - t0
                if i >= warm: times.append(dt)
        extra["out_shape"] = list(out.shape)
    med = statistics.median(times)
    return {"case": case, "mode": mode, "res": res, "batch": batch, "threads": threads, "variant": variant,
            "warmup": warm, "iterations": timed, "median_s": med, "img_per_s": batch / med,
            "peak_rss_mib_self": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            "torch": torch.__version__, "torch_cpu_capability": torch.backends.cpu.get_cpu_capability(),
            "timed_by": "bench_vs_torch.py (torch_fpn model and loop)", **extra}


# ----------------------------------------------------------------------------------------------
# driver
# ----------------------------------------------------------------------------------------------
def cpu_info():
    info = {"model": "?", "family": None, "cpu_model": None, "flags": set()}
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                k, _, v = line.partition(":")
                k, v = k.strip(), v.strip()
                if k == "model name" and info["model"] == "?": info["model"] = v
                elif k == "cpu family" and info["family"] is None: info["family"] = int(v)
                elif k == "model" and info["cpu_model"] is None: info["cpu_model"] = int(v)
                elif k == "flags" and not info["flags"]: info["flags"] = set(v.split())
    except OSError:
        pass
    fl = info["flags"]
    isa = "avx512f" if "avx512f" in fl else "avx2" if "avx2" in fl else "neither avx2 nor avx512f"
    if isa != "avx512f" and "avx2" in fl: isa = "avx2 (no avx512f)"
    extras = [x for x in ("avx512f", "avx512bw", "avx512vl", "avx512_bf16", "avx512_vnni", "avx2", "fma") if x in fl]
    fam, mod = info["family"], info["cpu_model"]
    uarch = ""
    if "AMD" in info["model"] and fam is not None:  # a guess from family/model numbers, for the reader
        if fam == 25: uarch = "Zen 3" if mod < 0x10 or 0x20 <= mod < 0x60 else "Zen 4"
        elif fam == 26: uarch = "Zen 5"
        elif fam == 23: uarch = "Zen/Zen 2"
    return {"model": info["model"], "family": fam, "cpu_model": mod, "uarch_guess": uarch,
            "isa": isa, "isa_flags": extras, "nproc": os.cpu_count()}


def run_child(cmd, env):
    """Run a fresh process, return (returncode, stdout, stderr, peak RSS MiB from wait4, wall s)."""
    import tempfile
    t0 = time.perf_counter()
    with tempfile.TemporaryFile("w+") as fo, tempfile.TemporaryFile("w+") as fe:
        p = subprocess.Popen(cmd, env=env, stdout=fo, stderr=fe, text=True)
        _, status, ru = os.wait4(p.pid, 0)  # reap it ourselves to get its rusage
        p.returncode = rc = os.waitstatus_to_exitcode(status)
        wall = time.perf_counter() - t0
        fo.seek(0); fe.seek(0)
        return rc, fo.read(), fe.read(), ru.ru_maxrss / 1024, wall


def last_json(text):
    for line in reversed(text.strip().splitlines()):
        line = line.strip()
        if line.startswith("{"):
            return json.loads(line)
    raise ValueError("no JSON line in output")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true",
                    help="256² cases only, 3 runs, fewer iterations (train 2+5, infer 3+10)")
    ap.add_argument("--cases", help=f"comma list from {','.join(ALL_CASES)} (default: all; --quick: train256,infer256)")
    ap.add_argument("--threads", default="1,2", help="comma list (default 1,2)")
    ap.add_argument("--runs", type=int, default=3, help="fresh processes per side, case and thread count (min 3)")
    ap.add_argument("--warmup", type=int, help="warm-up iterations, both sides (default 5; --quick: train 2, infer 3)")
    ap.add_argument("--iterations", type=int, help="timed iterations, both sides (default 20; --quick: train 5, infer 10)")
    ap.add_argument("--variants", default=",".join(VARIANTS), help="PyTorch variants (default: all three)")
    ap.add_argument("--reference", default=DEFAULT_REF, help="path of torch_fpn.py")
    ap.add_argument("--landmark", default=os.path.join(ROOT, ".build", "release", "landmark"))
    ap.add_argument("--out", help="results JSON (default out/bench_vs_torch-<UTC time>.json)")
    ap.add_argument("--summary", metavar="JSON", help="re-print the table of an earlier results JSON")
    # worker mode
    ap.add_argument("--torch-one", metavar="CASE", help=argparse.SUPPRESS)
    ap.add_argument("--variant", default="eager_nchw", help=argparse.SUPPRESS)
    a = ap.parse_args()

    if a.torch_one:
        t = int(a.threads.split(",")[0])
        print(json.dumps(torch_one(a.reference, a.torch_one, t, a.variant, a.warmup, a.iterations)), flush=True)
        return
    if a.summary:
        with open(a.summary) as f:
            print_report(json.load(f))
        return

    if a.runs < 3:
        print(f"note: --runs {a.runs} is below the 3 fresh processes the comparison asks for", file=sys.stderr)
    cases = (a.cases or ("train256,infer256" if a.quick else ",".join(ALL_CASES))).split(",")
    for c in cases:
        if c not in ALL_CASES: sys.exit(f"unknown case {c}")
    threads = [int(t) for t in a.threads.split(",")]
    variants = a.variants.split(",")
    for v in variants:
        if v not in VARIANTS: sys.exit(f"unknown variant {v}")
    if not os.path.exists(a.reference): sys.exit(f"reference not found: {a.reference}")
    if not os.access(a.landmark, os.X_OK): sys.exit(f"not built: {a.landmark} (swift build -c release)")

    def counts(mode):
        if a.quick: w, n = (2, 5) if mode == "train" else (3, 10)
        else: w, n = 5, 20
        return (a.warmup if a.warmup is not None else w), (a.iterations if a.iterations is not None else n)

    cpu = cpu_info()
    # torch's version from a child: the driver never imports torch, because Linux carries a
    # process's peak RSS across fork + exec, and the children's ru_maxrss would include it
    probe = subprocess.run([sys.executable, "-c", "import json, torch; print(json.dumps([torch.__version__, "
                            "torch.backends.cpu.get_cpu_capability(), hasattr(torch, 'compile')]))"],
                           capture_output=True, text=True)
    if probe.returncode != 0: sys.exit(f"torch does not import:\n{probe.stderr}")
    tv, tcap, has_compile = json.loads(probe.stdout.strip().splitlines()[-1])
    try:
        git = subprocess.run(["git", "-C", ROOT, "describe", "--always", "--dirty"], capture_output=True, text=True).stdout.strip()
    except OSError:
        git = "?"
    started = datetime.datetime.now(datetime.timezone.utc)
    meta = {"started_utc": started.strftime("%Y-%m-%d %H:%M UTC"), "cpu": cpu, "torch": tv, "torch_cpu_capability": tcap,
            "python": platform.python_version(), "git": git, "quick": a.quick, "runs": a.runs, "threads": threads,
            "cases": cases, "variants": variants, "loadavg_start": os.getloadavg(),
            "counts": {m: counts(m) for m in ("train", "infer")}, "command": " ".join(sys.argv[1:])}
    print(f"CPU: {cpu['model']} (family {cpu['family']} model {cpu['cpu_model']}"
          f"{', ' + cpu['uarch_guess'] if cpu['uarch_guess'] else ''}), {cpu['nproc']} logical CPUs")
    print(f"ISA found: {cpu['isa']}   [{' '.join(cpu['isa_flags'])}]   torch {tv} dispatches {tcap}")
    print(f"LandmarkKit {git}; load average at start {' '.join(f'{x:.2f}' for x in meta['loadavg_start'])}", flush=True)

    rows, compile_fail = [], {}
    for run in range(a.runs):
        for case in cases:
            mode = "train" if case.startswith("train") else "infer"
            w, n = counts(mode)
            for t in threads:
                env = dict(os.environ, OMP_NUM_THREADS=str(t), MKL_NUM_THREADS=str(t), OPENBLAS_NUM_THREADS=str(t))
                jobs = [("ours", [a.landmark, "bench", mode, "--cases", case, "--threads", str(t),
                                  "--warmup", str(w), "--iterations", str(n), "--json"])]
                for v in variants:
                    if v == "compile_frz" and (mode == "train" or not has_compile or compile_fail.get(t)):
                        continue
                    if v != "compile_frz" and (w, n) == (5, 20):  # the reference script itself
                        cmd = [sys.executable, a.reference, "--one", case, "--threads", str(t),
                               "--memfmt", "channels_last" if v == "eager_cl" else "contiguous"]
                    else:
                        cmd = [sys.executable, os.path.abspath(__file__), "--torch-one", case, "--threads", str(t),
                               "--variant", v, "--warmup", str(w), "--iterations", str(n), "--reference", a.reference]
                    jobs.append((v, cmd))
                for side, cmd in jobs:
                    cenv = env
                    if side == "compile_frz":  # one inductor cache per thread count; no compile worker pool
                        cenv = dict(env, TORCHINDUCTOR_COMPILE_THREADS="1",
                                    TORCHINDUCTOR_CACHE_DIR=os.path.join(ROOT, ".bench-venv", f"inductor-cache-t{t}"))
                    rc, out, err, rss, wall = run_child(cmd, cenv)
                    if rc != 0:
                        tail = "\n".join(err.strip().splitlines()[-15:])
                        if side == "compile_frz":
                            compile_fail[t] = tail
                            print(f"run {run+1} {case} t={t} compile_frz FAILED (skipped from now on at {t} threads):\n{tail}", flush=True)
                            continue
                        sys.exit(f"{side} {case} t={t} failed (exit {rc}):\n{tail}")
                    r = last_json(out)
                    ips = r["img_per_s"]
                    row = {"run": run, "case": case, "threads": t, "side": side, "img_per_s": ips,
                           "median_ms": r.get("median_ms", r.get("median_s", 0) * 1e3),
                           "peak_rss_mib": rss if rss is not None else r.get("peak_rss_mib", r.get("peak_rss_mib_self")),
                           "wall_s": wall, "loadavg": os.getloadavg()[0], "raw": r}
                    rows.append(row)
                    cs = f"  compile {r['compile_s']:.1f} s" if "compile_s" in r else ""
                    if "blas_kernels" in r: cs += f"  OpenBLAS kernels {r['blas_kernels']}"
                    print(f"run {run+1}/{a.runs} {case:8s} t={t} {side:12s} {ips:7.2f} img/s  {row['median_ms']:8.1f} ms/iter  "
                          f"peak RSS {row['peak_rss_mib']:.0f} MiB  (wall {wall:.0f} s, load {row['loadavg']:.2f}){cs}", flush=True)
    meta["loadavg_end"] = os.getloadavg()
    meta["finished_utc"] = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    meta["compile_failures"] = {str(k): v for k, v in compile_fail.items()}
    if not has_compile: meta["compile_failures"]["all"] = "torch.compile not available in this torch"
    data = {"meta": meta, "rows": rows}
    out = a.out or os.path.join(ROOT, "out", f"bench_vs_torch-{started.strftime('%Y%m%dT%H%M%SZ')}.json")
    os.makedirs(os.path.dirname(os.path.abspath(out)), exist_ok=True)
    with open(out, "w") as f:
        json.dump(data, f, indent=1)
    print()
    print_report(data)
    print(f"\nraw results: {os.path.relpath(out, os.getcwd())}")


def print_report(data):
    meta, rows = data["meta"], data["rows"]
    cpu = meta["cpu"]
    med = statistics.median
    print(f"## LandmarkKit vs PyTorch {meta['torch']} — {meta['started_utc']} to {meta.get('finished_utc', '?')}")
    print(f"CPU: {cpu['model']}, family {cpu['family']} model {cpu['cpu_model']}"
          f"{' (' + cpu['uarch_guess'] + ')' if cpu['uarch_guess'] else ''}; ISA found: {cpu['isa']} "
          f"[{' '.join(cpu['isa_flags'])}]; torch dispatches {meta['torch_cpu_capability']}")
    c = meta["counts"]
    print(f"{meta['runs']} runs, fresh process each, ours then PyTorch alternating; warm-up + timed iterations: "
          f"train {c['train'][0]}+{c['train'][1]}, infer {c['infer'][0]}+{c['infer'][1]}; load average "
          f"{meta['loadavg_start'][0]:.2f} at start, {meta.get('loadavg_end', [float('nan')])[0]:.2f} at end; LandmarkKit {meta['git']}")
    print()
    print("img/s: median of runs [min–max]. Ratio: ours / PyTorch, median of the per-run ratios (each run's processes "
          "back to back) [min–max].")
    print()
    vs = [v for v in meta["variants"] if any(r["side"] == v for r in rows)]
    hdr = ["case", "thr", "LandmarkKit img/s"] + [f"{LABEL[v]} img/s" for v in vs] + [f"ours / {LABEL[v]}" for v in vs] \
        + ["peak RSS MiB: ours / " + " / ".join(LABEL[v] for v in vs)]
    print("| " + " | ".join(hdr) + " |")
    print("|" + "---|" * len(hdr))
    fmt = lambda xs: f"{med(xs):.2f} [{min(xs):.2f}–{max(xs):.2f}]" if xs else "—"
    for case in meta["cases"]:
        for t in meta["threads"]:
            sel = [r for r in rows if r["case"] == case and r["threads"] == t]
            if not sel: continue
            by = lambda side: [r for r in sel if r["side"] == side]
            ours = by("ours")
            cells = [case, str(t), fmt([r["img_per_s"] for r in ours])]
            ratios, rss = [], [f"{med([r['peak_rss_mib'] for r in ours]):.0f}"]
            for v in vs:
                vr = by(v)
                cells.append(fmt([r["img_per_s"] for r in vr]))
                paired = []
                for r in vr:
                    o = [x for x in ours if x["run"] == r["run"]]
                    if o: paired.append(o[0]["img_per_s"] / r["img_per_s"])
                if vr:
                    ratios.append(f"**{med(paired):.2f}×** [{min(paired):.2f}–{max(paired):.2f}]")
                    rss.append(f"{med([r['peak_rss_mib'] for r in vr]):.0f}")
                else:
                    why = "failed" if str(t) in meta.get("compile_failures", {}) or "all" in meta.get("compile_failures", {}) else "n/a"
                    ratios.append("—" if case.startswith("train") and v == "compile_frz" else why)
                    rss.append("—")
            print("| " + " | ".join(cells + ratios + [" / ".join(rss)]) + " |")
    fails = meta.get("compile_failures", {})
    if fails:
        print()
        for k, v in fails.items():
            print(f"torch.compile failed ({k} threads): {v.splitlines()[-1] if v else '?'}")
    comp = [r["raw"] for r in rows if r["side"] == "compile_frz"]
    if comp:
        print(f"\ntorch.compile + freezing: compile (or cache load) {med([r['compile_s'] for r in comp]):.1f} s median, "
              f"outside the timing; max |compiled − eager| {max(r['max_abs_diff_vs_eager'] for r in comp):.2e}")


if __name__ == "__main__":
    main()
