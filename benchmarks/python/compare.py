#!/usr/bin/env python3
"""The work of Nabla's JMH benchmarks, done by numpy or PyTorch, for the report's ratios.

Started by the report driver (dev.nabla.bench.report.PythonBaseline) with the same sizes the JMH
runs used; also usable by hand:

    OPENBLAS_NUM_THREADS=2 python3 compare.py --lib numpy --threads 2 --gemm 256,1024 --out numpy.tsv

Writes tab-separated lines ``lib  benchmark  key  threads  seconds`` (seconds per call: the
median of timed batches after a warm-up) and ``#meta  key  value`` lines describing the library.
With ``--device cuda`` PyTorch runs on the GPU (lib ``torch-cuda``; every call ends with a
synchronize, as Nabla's benchmarks end with device.synchronize()).
Thread counts: numpy's OpenBLAS reads OPENBLAS_NUM_THREADS when it loads (the driver sets it);
PyTorch is told with torch.set_num_threads. Only numpy or only torch is imported, so each part
can run under the interpreter that has it.
"""
import argparse
import statistics
import sys
import time


def timed(fn, seconds):
    """Seconds per call of fn: one warm-up call, then the median of up to 5 timed batches."""
    fn()
    t0 = time.perf_counter()
    fn()
    one = time.perf_counter() - t0
    if one >= seconds:
        return one
    batches = 5 if one * 5 <= seconds else max(1, int(seconds / one))
    reps = max(1, int(seconds / batches / max(one, 1e-9)))
    samples = []
    for _ in range(batches):
        t0 = time.perf_counter()
        for _ in range(reps):
            fn()
        samples.append((time.perf_counter() - t0) / reps)
    return statistics.median(samples)


def ints(text):
    return [int(v) for v in text.split(",") if v.strip()] if text else []


def words(text):
    return [v.strip() for v in text.split(",") if v.strip()] if text else []


def gemm_shape(spec):
    """(layout, m, k, n) of "1024", "512x784x1024" or "tn:1024" (A stored [k,m], A^T.B) / "nt:..." (A.B^T)."""
    layout, _, size = spec.lower().rpartition(":")
    parts = [int(p) for p in size.split("x")]
    m, k, n = (parts[0], parts[0], parts[0]) if len(parts) == 1 else tuple(parts)
    return layout or "nn", m, k, n


def mlp_spec(spec):
    widths, batch = spec.split(":")
    return [int(w) for w in widths.split("-")], int(batch)


class Out:
    def __init__(self, path, lib, threads):
        self.f = open(path, "w")
        self.lib = lib
        self.threads = threads

    def meta(self, key, value):
        self.f.write("#meta\t%s\t%s\n" % (key, str(value).replace("\t", " ").replace("\n", " ")))
        self.f.flush()

    def result(self, bench, key, seconds):
        self.f.write("%s\t%s\t%s\t%d\t%.9g\n" % (self.lib, bench, key, self.threads, seconds))
        self.f.flush()
        print("%s %s %s threads=%d: %.4f ms" % (self.lib, bench, key, self.threads, seconds * 1e3),
              file=sys.stderr, flush=True)


def run_numpy(args, out):
    import numpy as np
    out.meta("numpy", np.__version__)
    try:
        cfg = np.show_config(mode="dicts")
        blas = cfg.get("Build Dependencies", {}).get("blas", {})
        out.meta("blas", "%s %s" % (blas.get("name", "?"), blas.get("version", "?")))
    except Exception as e:  # older numpy: no dict mode
        out.meta("blas", "unknown (%s)" % e)
    rng = np.random.default_rng(0)
    for spec in words(args.gemm):
        layout, m, k, n = gemm_shape(spec)
        a = rng.standard_normal((k, m) if layout == "tn" else (m, k), dtype=np.float32)
        b = rng.standard_normal((n, k) if layout == "nt" else (k, n), dtype=np.float32)
        left = a.T if layout == "tn" else a
        right = b.T if layout == "nt" else b
        out.result("gemm", spec, timed(lambda: left @ right, args.seconds))
    for size in ints(args.elementwise):
        a = rng.standard_normal(size, dtype=np.float32)
        b = rng.standard_normal(size, dtype=np.float32)
        out.result("relu", str(size), timed(lambda: np.maximum(a, 0), args.seconds))
        out.result("add", str(size), timed(lambda: a + b, args.seconds))


def run_torch(args, out):
    import torch
    import torch.nn.functional as F
    torch.set_num_threads(args.threads)
    dev = torch.device(args.device)
    if args.device == "cuda":
        out.lib = "torch-cuda"
        out.meta("torch-cuda", "%s, CUDA %s, %s" % (torch.__version__, torch.version.cuda,
                                                   torch.cuda.get_device_name(0)))
        torch.backends.cuda.matmul.allow_tf32 = False  # float32 as Nabla computes it
        torch.backends.cudnn.allow_tf32 = False
    else:
        out.meta("torch", torch.__version__)
    torch.manual_seed(0)
    sync = torch.cuda.synchronize if args.device == "cuda" else (lambda: None)

    def measure(fn, seconds):
        """timed(), with the device's queued work finished inside each call."""
        def synced():
            fn()
            sync()
        return timed(synced, seconds)

    def mlp(sizes):
        params = []
        for i in range(len(sizes) - 1):
            w = (torch.randn(sizes[i], sizes[i + 1], device=dev) * (2.0 / sizes[i]) ** 0.5).requires_grad_()
            b = (torch.randn(sizes[i + 1], device=dev) * 0.1).requires_grad_()
            params += [w, b]
        return params

    def loss_of(params, x, y):
        h = x
        for i in range(0, len(params), 2):
            h = h @ params[i] + params[i + 1]
            if i + 2 < len(params):
                h = torch.relu(h)
        return F.cross_entropy(h, y)

    def batch(sizes, rows):
        return torch.randn(rows, sizes[0], device=dev), torch.randint(0, sizes[-1], (rows,), device=dev)

    for spec in words(args.gemm):
        layout, m, k, n = gemm_shape(spec)
        a = torch.randn(*((k, m) if layout == "tn" else (m, k)), device=dev)
        b = torch.randn(*((n, k) if layout == "nt" else (k, n)), device=dev)
        left = a.t() if layout == "tn" else a
        right = b.t() if layout == "nt" else b
        out.result("gemm", spec, measure(lambda: torch.mm(left, right), args.seconds))
    for size in ints(args.elementwise):
        a, b = torch.randn(size, device=dev), torch.randn(size, device=dev)
        out.result("relu", str(size), measure(lambda: torch.relu(a), args.seconds))
        out.result("add", str(size), measure(lambda: a + b, args.seconds))

    # Numerical vs backprop: the same MLP as GradientBenchmark (10 -> hidden -> 3, batch 16).
    numerical_hidden = set(ints(args.numerical_hidden))
    for hidden in ints(args.hidden):
        sizes = [10, hidden, 3]
        params = mlp(sizes)
        x, y = batch(sizes, 16)

        def backprop():
            for p in params:
                p.grad = None
            loss_of(params, x, y).backward()

        out.result("backprop", str(hidden), measure(backprop, args.seconds))
        if hidden in numerical_hidden:
            def numerical():
                grads = []
                with torch.no_grad():
                    for p in params:
                        flat = p.view(-1)
                        g = torch.empty_like(flat)
                        for i in range(flat.numel()):
                            v = flat[i].item()
                            flat[i] = v + args.step
                            plus = loss_of(params, x, y).item()
                            flat[i] = v - args.step
                            minus = loss_of(params, x, y).item()
                            flat[i] = v
                            g[i] = (plus - minus) / (2 * args.step)
                        grads.append(g)
                return grads

            seconds = measure(numerical, args.seconds)
            backprop()
            numeric = numerical()
            diff = max((g - p.grad.view(-1)).abs().max().item() for g, p in zip(numeric, params))
            scale = max(p.grad.abs().max().item() for p in params)
            out.meta("numerical rel. error hidden=%d" % hidden, "%.3e" % (diff / max(scale, 1e-12)))
            out.result("numerical", str(hidden), seconds)

    lr = 1e-3
    for spec in words(args.train):
        sizes, rows = mlp_spec(spec)
        params = mlp(sizes)
        x, y = batch(sizes, rows)

        def forward():
            loss_of(params, x, y)

        def forward_backward():
            for p in params:
                p.grad = None
            loss_of(params, x, y).backward()

        def step():
            forward_backward()
            with torch.no_grad():
                for p in params:
                    p.sub_(p.grad, alpha=lr)

        out.result("train_forward", spec, measure(forward, args.seconds))
        out.result("train_forward_backward", spec, measure(forward_backward, args.seconds))
        out.result("train_step", spec, measure(step, args.seconds))

    for spec in words(args.softmax):
        rows, classes = (int(v) for v in spec.lower().split("x"))
        logits = (3 * torch.randn(rows, classes, device=dev)).requires_grad_()
        y = torch.randint(0, classes, (rows,), device=dev)

        def softmax_ce():
            logits.grad = None
            F.cross_entropy(logits, y).backward()

        out.result("softmax_ce", spec, measure(softmax_ce, args.seconds))


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--lib", choices=["numpy", "torch"], required=True)
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--device", choices=["cpu", "cuda"], default="cpu", help="where PyTorch runs")
    p.add_argument("--out", required=True)
    p.add_argument("--seconds", type=float, default=0.5, help="time to spend per case")
    p.add_argument("--gemm", default="", help="comma-separated n or MxKxN, optionally tn: or nt: before it")
    p.add_argument("--elementwise", default="", help="comma-separated element counts")
    p.add_argument("--hidden", default="", help="hidden sizes of the 10-h-3 MLP (torch)")
    p.add_argument("--numerical-hidden", default="", help="hidden sizes also timed numerically (torch)")
    p.add_argument("--step", type=float, default=1e-2, help="finite-difference step")
    p.add_argument("--train", default="", help="comma-separated widths:batch (torch)")
    p.add_argument("--softmax", default="", help="comma-separated ROWSxCLASSES (torch)")
    args = p.parse_args()
    out = Out(args.out, args.lib, args.threads)
    out.meta("python", sys.version.split()[0] + " " + sys.executable)
    if args.lib == "numpy":
        run_numpy(args, out)
    else:
        run_torch(args, out)
    out.f.close()


if __name__ == "__main__":
    main()
