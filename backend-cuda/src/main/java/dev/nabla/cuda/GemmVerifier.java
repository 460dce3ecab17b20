package dev.nabla.cuda;

import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Compares a {@link GemmEngine} (through the backend's GEMM path) with the portable kernel on random FLOAT32 problems before the
 * engine is used: every transpose combination, ragged edges, offsets, padded leading dimensions,
 * batches, {@code beta} of 0 (C pre-filled with NaN, which must not leak through) and not 0, and
 * problems large enough for both of the own kernel's tile sizes.
 */
final class GemmVerifier {

    /** Relative error allowed, {@code max|g − r| / max|r|}: both sides sum in FP32, k ≤ 512. */
    static final double TOLERANCE = 1e-4;

    /** What the verifier needs from the backend: memory, host copies and the two GEMM paths. */
    interface Target {
        /** Device memory of {@code floats} floats, as an opaque handle. */
        Object allocate(long floats);

        void write(Object memory, float[] data);

        float[] read(Object memory, int floats);

        /** The engine under test on memory handles with element offsets. */
        void candidate(Problem p, Object a, Object b, Object c);

        /** The portable kernel, the reference. */
        void portable(Problem p, Object a, Object b, Object c);

        void free(Object memory);
    }

    /** One test problem; offsets count elements. */
    record Problem(boolean transA, boolean transB, int m, int n, int k, float alpha, float beta,
                   long aOffset, int lda, long strideA, long bOffset, int ldb, long strideB,
                   long cOffset, int ldc, long strideC, int batch) {

        long aElements() {
            return aOffset + (batch - 1L) * strideA + (long) (transA ? k : m) * lda;
        }

        long bElements() {
            return bOffset + (batch - 1L) * strideB + (long) (transB ? n : k) * ldb;
        }

        long cElements() {
            return cOffset + (batch - 1L) * strideC + (long) m * ldc;
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%s%s m=%d n=%d k=%d batch=%d beta=%s", transA ? "T" : "N",
                    transB ? "T" : "N", m, n, k, batch, beta);
        }
    }

    /** The problems, chosen to reach every code path of {@code sgemm.cu}. */
    static List<Problem> problems() {
        return List.of(
                // Ragged, unaligned (offsets 1..3, odd leading dimensions): scalar loads; beta 0 over NaN.
                problem(false, false, 131, 67, 45, 1.5f, 0f, 1, 3, 2, 1, 5),
                problem(false, true, 70, 33, 19, 1f, 0f, 3, 1, 0, 2, 0),
                problem(true, false, 200, 129, 17, -1f, 0f, 0, 4, 1, 0, 3),
                problem(true, true, 257, 300, 130, 0.5f, -1f, 2, 0, 3, 5, 1),
                // Aligned (offsets and leading dimensions multiples of 4): float4 loads and stores.
                problem(false, false, 512, 512, 512, 1f, 0f, 0, 0, 0, 0, 0),
                problem(true, true, 64, 128, 64, 1f, 0f, 4, 0, 8, 4, 0),
                // Enough tiles (260×260 × 70) for the 128×128 kernel on up to ~300 SMs.
                batched(false, false), batched(true, true), batched(false, true), batched(true, false));
    }

    private static Problem problem(boolean ta, boolean tb, int m, int n, int k, float alpha, float beta,
                                   int aOff, int aPad, int bOff, int bPad, int cPad) {
        int lda = (ta ? m : k) + aPad, ldb = (tb ? k : n) + bPad, ldc = n + cPad;
        return new Problem(ta, tb, m, n, k, alpha, beta, aOff, lda, 0, bOff, ldb, 0, aOff + bOff, ldc, 0, 1);
    }

    private static Problem batched(boolean ta, boolean tb) {
        int m = 260, n = 260, k = 40, batch = 70;
        int lda = ta ? m : k, ldb = tb ? k : n;
        return new Problem(ta, tb, m, n, k, 1f, 0.25f, 0, lda, (long) m * k, 0, ldb, (long) k * n + 4,
                0, n, (long) m * n, batch);
    }

    /** Null when the candidate agrees with the portable kernel on every problem, else why not. */
    static String verify(Target target) {
        SplittableRandom random = new SplittableRandom(20261126);
        for (Problem p : problems()) {
            String failure = check(target, p, random);
            if (failure != null) {
                return failure;
            }
        }
        return null;
    }

    private static String check(Target t, Problem p, SplittableRandom random) {
        Object a = null, b = null, c = null, ref = null;
        try {
            a = t.allocate(p.aElements());
            b = t.allocate(p.bElements());
            c = t.allocate(p.cElements());
            ref = t.allocate(p.cElements());
            t.write(a, randoms(random, p.aElements()));
            t.write(b, randoms(random, p.bElements()));
            float[] c0 = p.beta() == 0 ? nans(p.cElements()) : randoms(random, p.cElements());
            t.write(c, c0);
            t.write(ref, c0);
            t.candidate(p, a, b, c);
            t.portable(p, a, b, ref);
            float[] got = t.read(c, (int) p.cElements());
            float[] want = t.read(ref, (int) p.cElements());
            boolean[] inside = new boolean[got.length];
            double maxDiff = 0, maxRef = 0;
            for (int i = 0; i < p.batch(); i++) {
                for (int r = 0; r < p.m(); r++) {
                    for (int j = 0; j < p.n(); j++) {
                        int at = Math.toIntExact(p.cOffset() + i * p.strideC() + (long) r * p.ldc() + j);
                        inside[at] = true;
                        double d = Math.abs((double) got[at] - want[at]);
                        maxDiff = Double.isNaN(d) ? Double.POSITIVE_INFINITY : Math.max(maxDiff, d);
                        maxRef = Math.max(maxRef, Math.abs(want[at]));
                    }
                }
            }
            for (int at = 0; at < got.length; at++) {
                if (!inside[at] && Float.floatToRawIntBits(got[at]) != Float.floatToRawIntBits(c0[at])) {
                    return "writes outside C on " + p + " (element " + at + ")";
                }
            }
            double rel = maxDiff / Math.max(maxRef, 1e-12);
            if (!(rel <= TOLERANCE)) {
                return String.format(Locale.ROOT, "disagrees with the portable kernel on %s: relative error %.2e > %.0e",
                        p, rel, TOLERANCE);
            }
            return null;
        } catch (RuntimeException e) {
            return "failed on " + p + ": " + e.getMessage();
        } finally {
            for (Object mem : new Object[] {a, b, c, ref}) {
                if (mem != null) {
                    t.free(mem);
                }
            }
        }
    }

    private static float[] randoms(SplittableRandom random, long count) {
        float[] v = new float[Math.toIntExact(count)];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (random.nextDouble() * 2 - 1);
        }
        return v;
    }

    private static float[] nans(long count) {
        float[] v = new float[Math.toIntExact(count)];
        java.util.Arrays.fill(v, Float.NaN);
        return v;
    }
}
