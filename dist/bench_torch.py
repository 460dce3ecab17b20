#!/usr/bin/env python3
"""The PyTorch side of dist/gpu-check.sh: the same work as dev.nabla.cuda.bench.GpuBench, in fp32
with TF32 off, timed the same way: warm-up calls for WARMUP_SECONDS (at least two), each followed
by synchronize, then synchronize + perf_counter around each timed call, median; the per-call
overhead metrics are the mean of N calls followed by one synchronize, the better of two rounds
after a warm-up round (GpuBench's OverheadBench). Writes one tab-separated line per metric: key,
value, unit; the keys match the fourth column of GpuBench's lines.

    python3 dist/bench_torch.py --out torch.tsv [--device cuda] [--tiny]
"""
import argparse
import statistics
import sys
import time

import torch
import torch.nn.functional as F


WARMUP_SECONDS = 1.0


def timed(fn, sync, reps, budget=3.0):
    warm_end = time.perf_counter() + WARMUP_SECONDS
    done = 0
    while done < 2 or time.perf_counter() < warm_end:
        fn()
        sync()
        done += 1
    times = []
    start = time.perf_counter()
    for _ in range(reps):
        t0 = time.perf_counter()
        fn()
        sync()
        times.append(time.perf_counter() - t0)
        if time.perf_counter() - start > budget and len(times) >= 3:
            break
    return statistics.median(times)


def per_call(fn, sync, calls):
    """Mean seconds per call of `calls` calls and one synchronize: the better of two rounds after a warm-up round."""
    best = float("inf")
    for rnd in range(3):
        t0 = time.perf_counter()
        for _ in range(calls):
            fn()
        sync()
        if rnd > 0:
            best = min(best, (time.perf_counter() - t0) / calls)
    return best


def mega(count):
    return "%dM" % (count >> 20) if count % (1 << 20) == 0 else str(count)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--out", required=True)
    p.add_argument("--device", default="cuda")
    p.add_argument("--tiny", action="store_true", help="tiny sizes, for a dry run")
    args = p.parse_args()

    torch.backends.cuda.matmul.allow_tf32 = False
    torch.backends.cudnn.allow_tf32 = False
    dev = torch.device(args.device)
    sync = torch.cuda.synchronize if dev.type == "cuda" else (lambda: None)
    global WARMUP_SECONDS
    calls = 10000
    if args.tiny:
        sizes, relu_n, sm, mlps = [64, 96], 1 << 16, (64, 32), ["16-32-32-10:8", "32-48-48-10:16"]
        WARMUP_SECONDS, calls = 0.05, 200
    else:
        sizes, relu_n, sm = [1024, 4096, 8192], 64 << 20, (8192, 1024)
        mlps = ["784-1024-1024-10:512", "4096-4096-4096-10:4096"]
    rows = []

    def record(key, value, unit):
        rows.append("%s\t%.4g\t%s" % (key, value, unit))
        print("  %-40s %12.4g %s" % (key, value, unit), flush=True)

    print("PyTorch %s on %s (%s), TF32 off" % (torch.__version__, dev,
          torch.cuda.get_device_name(dev) if dev.type == "cuda" else "cpu"), flush=True)
    with torch.no_grad():
        for n in sizes:
            a = torch.full((n, n), 0.5, device=dev)
            b = torch.full((n, n), 0.25, device=dev)
            c = torch.empty((n, n), device=dev)
            s = timed(lambda: torch.mm(a, b, out=c), sync, 5 if n >= 4096 else 20)
            record("sgemm_%d" % n, 2.0 * n ** 3 / s / 1e12, "TFLOP/s")
            del a, b, c
        x = torch.full((relu_n,), -0.5, device=dev)
        y = torch.empty_like(x)
        s = timed(lambda: torch.clamp_min(x, 0.0, out=y), sync, 20)
        record("relu_%s" % mega(relu_n), 2.0 * 4 * relu_n / s / 1e9, "GB/s")
        del x, y

    rows_, cols = sm
    logits = torch.full((rows_, cols), 0.1, device=dev, requires_grad=True)
    labels = torch.randint(0, cols, (rows_,), device=dev)

    def softmax_ce():
        logits.grad = None
        F.cross_entropy(logits, labels).backward()

    s = timed(softmax_ce, sync, 50)
    record("softmax_ce_%dx%d" % (rows_, cols), s * 1e6, "us (fwd+bwd)")

    with torch.no_grad():
        record("overhead_sync", per_call(sync, sync, calls) * 1e6, "us/call")
        x1 = torch.full((1,), -1.0, device=dev)
        y1 = torch.empty_like(x1)
        record("overhead_unary_1", per_call(lambda: torch.clamp_min(x1, 0.0, out=y1), sync, calls) * 1e6, "us/call")
        a1 = torch.ones(1, device=dev)
        b1 = torch.ones(1, device=dev)
        record("overhead_tensor_add_1", per_call(lambda: a1 + b1, sync, calls) * 1e6, "us/call")
        a64 = torch.full((64, 64), 0.5, device=dev)
        b64 = torch.full((64, 64), 0.25, device=dev)
        c64 = torch.empty((64, 64), device=dev)
        record("overhead_gemm_64", per_call(lambda: torch.mm(a64, b64, out=c64), sync, calls) * 1e6, "us/call")

    for index, spec in enumerate(mlps):
        widths, batch = spec.split(":")
        w = [int(v) for v in widths.split("-")]
        batch = int(batch)
        layers = []
        for i in range(len(w) - 1):
            layers.append(torch.nn.Linear(w[i], w[i + 1]))
            if i + 2 < len(w):
                layers.append(torch.nn.ReLU())
        model = torch.nn.Sequential(*layers).to(dev)
        opt = torch.optim.SGD(model.parameters(), lr=0.01)
        xb = torch.randn(batch, w[0], device=dev)
        yb = torch.arange(batch, device=dev) % w[-1]

        def step():
            opt.zero_grad(set_to_none=False)
            F.cross_entropy(model(xb), yb).backward()
            opt.step()

        s = timed(step, sync, 10 if batch >= 4096 else 30)
        record("mlp_%s_b%d" % (widths, batch), s * 1e3, "ms/step")
        if index == 0:
            # The parts of the first MLP's step, as GpuBench --only overhead splits it.
            def forward():
                F.cross_entropy(model(xb), yb)

            def fwd_bwd():
                F.cross_entropy(model(xb), yb).backward()

            record("mlp_%s_b%d_forward" % (widths, batch), timed(forward, sync, 30) * 1e3, "ms")
            record("mlp_%s_b%d_fwd_bwd" % (widths, batch), timed(fwd_bwd, sync, 30) * 1e3, "ms")

    with open(args.out, "a") as f:
        f.write("\n".join(rows) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
