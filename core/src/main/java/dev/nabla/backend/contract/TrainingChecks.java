package dev.nabla.backend.contract;

import static dev.nabla.backend.contract.CheckSupport.assertClose;
import static dev.nabla.backend.contract.CheckSupport.check;
import static dev.nabla.backend.contract.CheckSupport.tol;

import dev.nabla.DType;
import dev.nabla.backend.Backend;
import dev.nabla.backend.Buffer;
import dev.nabla.backend.Philox;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** dropout (the Philox rule) and the fused optimizer steps against scalar references of their Javadoc. */
final class TrainingChecks {
    private static final int[] SIZES = {1, 7, 1031, 4099};
    private static final int STEPS = 5;

    private TrainingChecks() {
    }

    static List<ContractCheck> all() {
        List<ContractCheck> list = new ArrayList<>();
        for (DType t : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            list.add(new ContractCheck("dropout " + t.shortName() + ": Philox mask, p = 0/0.25/0.5/1, in place",
                    b -> dropout(b, t)));
            list.add(new ContractCheck("dropout " + t.shortName() + ": same seed same mask, other seed other mask",
                    b -> dropoutSeeds(b, t)));
            // lr, momentum, dampening, weightDecay, nesterov (1 = true)
            double[][] sgd = {{0.1, 0, 0, 0, 0}, {0.05, 0.9, 0, 0, 0}, {0.1, 0.9, 0.1, 0.01, 0}, {0.02, 0.8, 0, 1e-3, 1},
                {0.1, 0, 0, 0.05, 0}};
            for (double[] c : sgd) {
                String name = String.format("sgdStep %s: lr=%s momentum=%s dampening=%s weightDecay=%s nesterov=%b",
                        t.shortName(), c[0], c[1], c[2], c[3], c[4] != 0);
                list.add(new ContractCheck(name, b -> sgd(b, t, c[0], c[1], c[2], c[3], c[4] != 0)));
            }
            // lr, beta1, beta2, eps, weightDecay, decoupled (1 = true)
            double[][] adam = {{1e-2, 0.9, 0.999, 1e-8, 0, 0}, {1e-3, 0.8, 0.99, 1e-6, 0.01, 0},
                {1e-2, 0.9, 0.999, 1e-8, 0.05, 1}};
            for (double[] c : adam) {
                String name = String.format("adamStep %s: lr=%s beta1=%s beta2=%s eps=%s weightDecay=%s decoupled=%b",
                        t.shortName(), c[0], c[1], c[2], c[3], c[4], c[5] != 0);
                list.add(new ContractCheck(name, b -> adam(b, t, c[0], c[1], c[2], c[3], c[4], c[5] != 0)));
            }
        }
        return list;
    }

    private static void dropout(Backend backend, DType t) {
        CheckSupport.requireSupport(backend, t);
        SplittableRandom r = CheckSupport.random("dropout" + t);
        long[] seeds = {42, -1L, 0x0123_4567_89AB_CDEFL};
        try (CheckBuffers s = new CheckBuffers(backend)) {
            int run = 0;
            for (int n : SIZES) {
                for (double p : new double[] {0, 0.25, 0.5, 1}) {
                    long seed = seeds[run++ % seeds.length];
                    double[] x = CheckSupport.uniform(r, t, n, -3, 3);
                    double[] mask = new double[n];
                    double[] y = new double[n];
                    for (int i = 0; i < n; i++) {
                        boolean keep = Philox.uniform(seed, i) >= p;
                        mask[i] = keep ? CheckSupport.round(t, 1 / (1 - p)) : 0;
                        y[i] = keep ? CheckSupport.round(t, x[i] * mask[i]) : 0;
                    }
                    Buffer xb = s.upload(t, ElementwiseChecks.pad(x, 2));
                    Buffer yb = s.upload(t, CheckSupport.sentinels(n + 1));
                    Buffer mb = s.upload(t, CheckSupport.sentinels(n + 3));
                    CheckSupport.provided(backend.dropout(p, seed, xb, 2, yb, 1, mb, 3, n), backend, "dropout");
                    String what = String.format("dropout %s n=%d p=%s seed=%d", t.shortName(), n, p, seed);
                    assertClose(what + " mask", mask, s.read(mb, 3, n), tol(t));
                    assertClose(what + " y", y, s.read(yb, 1, n), tol(t));
                    double[] yAll = s.read(yb);
                    check(yAll[0] == CheckSupport.SENTINEL, "%s: wrote y before its offset", what);
                    // In place: y aliases x exactly.
                    backend.dropout(p, seed, xb, 2, xb, 2, mb, 3, n);
                    assertClose(what + " in place", y, s.read(xb, 2, n), tol(t));
                }
            }
        }
    }

    private static void dropoutSeeds(Backend backend, DType t) {
        CheckSupport.requireSupport(backend, t);
        int n = 1000;
        try (CheckBuffers s = new CheckBuffers(backend)) {
            Buffer xb = s.upload(t, CheckSupport.uniform(CheckSupport.random("dropoutSeeds"), t, n, 1, 2));
            Buffer y = s.alloc(t, n);
            Buffer m1 = s.alloc(t, n);
            Buffer m2 = s.alloc(t, n);
            Buffer m3 = s.alloc(t, n);
            CheckSupport.provided(backend.dropout(0.5, 7, xb, 0, y, 0, m1, 0, n), backend, "dropout");
            backend.dropout(0.5, 7, xb, 0, y, 0, m2, 0, n);
            backend.dropout(0.5, 8, xb, 0, y, 0, m3, 0, n);
            double[] a = s.read(m1);
            double[] b = s.read(m2);
            double[] c = s.read(m3);
            check(java.util.Arrays.equals(a, b), "dropout %s: same seed gave different masks", t.shortName());
            check(!java.util.Arrays.equals(a, c), "dropout %s: seeds 7 and 8 gave the same mask", t.shortName());
            int kept = 0;
            for (double v : a) {
                kept += v != 0 ? 1 : 0;
            }
            check(kept > 400 && kept < 600, "dropout %s p=0.5: kept %d of %d", t.shortName(), kept, n);
        }
    }

    private static void sgd(Backend backend, DType t, double lr, double momentum, double dampening, double wd,
                            boolean nesterov) {
        CheckSupport.requireSupport(backend, t);
        SplittableRandom r = CheckSupport.random("sgd" + t + lr + momentum + dampening + wd + nesterov);
        try (CheckBuffers s = new CheckBuffers(backend)) {
            for (int n : SIZES) {
                double[] param = CheckSupport.uniform(r, t, n, -1, 1);
                double[] vel = new double[n];
                Buffer pb = s.upload(t, ElementwiseChecks.pad(param, 1));
                Buffer vb = momentum == 0 ? null : s.upload(t, CheckSupport.sentinels(n + 3));
                Buffer gb = s.alloc(t, n + 2);
                for (int step = 1; step <= STEPS; step++) {
                    double[] grad = CheckSupport.uniform(r, t, n, -1, 1);
                    s.write(gb, 2, grad);
                    boolean first = step == 1;
                    CheckSupport.provided(backend.sgdStep(pb, 1, gb, 2, vb, 3, n, lr, momentum, dampening, wd, nesterov, first), backend, "sgdStep");
                    for (int i = 0; i < n; i++) {
                        double g = grad[i] + wd * param[i];
                        if (momentum != 0) {
                            vel[i] = CheckSupport.round(t, first ? g : momentum * vel[i] + (1 - dampening) * g);
                            g = nesterov ? g + momentum * vel[i] : vel[i];
                        }
                        param[i] = CheckSupport.round(t, param[i] - lr * g);
                    }
                    String what = String.format("sgdStep %s n=%d step %d", t.shortName(), n, step);
                    assertClose(what + " param", param, s.read(pb, 1, n), tol(t));
                    if (vb != null) {
                        assertClose(what + " velocity", vel, s.read(vb, 3, n), tol(t));
                    }
                }
                double[] all = s.read(pb);
                check(Double.isNaN(all[0]) && Double.isNaN(all[n + 1]), "sgdStep: wrote outside the parameters");
            }
        }
    }

    private static void adam(Backend backend, DType t, double lr, double beta1, double beta2, double eps, double wd,
                             boolean decoupled) {
        CheckSupport.requireSupport(backend, t);
        SplittableRandom r = CheckSupport.random("adam" + t + lr + beta1 + beta2 + eps + wd + decoupled);
        try (CheckBuffers s = new CheckBuffers(backend)) {
            for (int n : SIZES) {
                double[] param = CheckSupport.uniform(r, t, n, -1, 1);
                double[] m = new double[n];
                double[] v = new double[n];
                Buffer pb = s.upload(t, ElementwiseChecks.pad(param, 2));
                Buffer mb = s.alloc(t, n + 1);
                Buffer vb = s.alloc(t, n + 4);
                backend.fill(mb, 1, n, 0);
                backend.fill(vb, 4, n, 0);
                Buffer gb = s.alloc(t, n);
                for (int step = 1; step <= STEPS; step++) {
                    double[] grad = CheckSupport.uniform(r, t, n, -1, 1);
                    s.write(gb, 0, grad);
                    CheckSupport.provided(backend.adamStep(pb, 2, gb, 0, mb, 1, vb, 4, n, lr, beta1, beta2, eps, wd, decoupled, step), backend, "adamStep");
                    for (int i = 0; i < n; i++) {
                        double p = param[i];
                        double g = grad[i];
                        if (decoupled) {
                            p *= 1 - lr * wd;
                        } else {
                            g += wd * p;
                        }
                        m[i] = CheckSupport.round(t, beta1 * m[i] + (1 - beta1) * g);
                        v[i] = CheckSupport.round(t, beta2 * v[i] + (1 - beta2) * g * g);
                        double mHat = m[i] / (1 - Math.pow(beta1, step));
                        double vHat = v[i] / (1 - Math.pow(beta2, step));
                        param[i] = CheckSupport.round(t, p - lr * mHat / (Math.sqrt(vHat) + eps));
                    }
                    String what = String.format("adamStep %s n=%d step %d", t.shortName(), n, step);
                    assertClose(what + " param", param, s.read(pb, 2, n), tol(t));
                    assertClose(what + " m", m, s.read(mb, 1, n), tol(t));
                    assertClose(what + " v", v, s.read(vb, 4, n), 4 * tol(t));
                }
                double[] all = s.read(pb);
                check(Double.isNaN(all[1]) && Double.isNaN(all[n + 2]), "adamStep: wrote outside the parameters");
            }
        }
    }
}
