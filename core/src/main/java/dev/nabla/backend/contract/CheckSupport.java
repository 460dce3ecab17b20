package dev.nabla.backend.contract;

import dev.nabla.DType;
import dev.nabla.backend.Backend;
import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;

/** Assertions and input makers shared by the contract checks (no test framework in main code). */
final class CheckSupport {
    /** Sentinel written around outputs to see that nothing outside them is touched. */
    static final double SENTINEL = 12345;

    private CheckSupport() {
    }

    /** Ends the check as skipped (not passed) when the backend says it has no kernels for {@code dtype}. */
    static void requireSupport(Backend backend, DType dtype) {
        if (!backend.supports(dtype)) {
            throw new ContractCheck.Skipped(backend.name() + " does not support " + dtype.shortName());
        }
    }

    /** Relative-error tolerance of simple elementwise results. */
    static double tol(DType dtype) {
        return dtype == DType.FLOAT32 ? 1e-5 : 1e-12;
    }

    /** Deterministic input stream for one check. */
    static SplittableRandom random(String checkName) {
        return new SplittableRandom(checkName.hashCode() * 0x9E3779B97F4A7C15L + 17);
    }

    /** {@code v} as stored in {@code dtype}: float rounding, or truncation toward zero for INT32. */
    static double round(DType dtype, double v) {
        return switch (dtype) {
            case FLOAT32 -> (float) v;
            case FLOAT64 -> v;
            case INT32 -> (int) v;
        };
    }

    /** {@code n} values uniform in [lo, hi), rounded to {@code dtype} so references see the device's inputs. */
    static double[] uniform(SplittableRandom r, DType dtype, int n, double lo, double hi) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = round(dtype, lo + (hi - lo) * r.nextDouble());
        }
        return v;
    }

    /** An array of {@code n} sentinels. */
    static double[] sentinels(int n) {
        double[] v = new double[n];
        Arrays.fill(v, SENTINEL);
        return v;
    }

    static void check(boolean condition, String format, Object... args) {
        if (!condition) {
            throw new AssertionError(String.format(Locale.ROOT, format, args));
        }
    }

    /**
     * Compares {@code actual} with {@code expected}: where {@code written[i]} by relative error
     * {@code max|g − r| / max(max|r|, 1e-12)} (NaN and infinities must match exactly), elsewhere
     * bit for bit (nothing outside the output may change). {@code written == null} means everywhere.
     */
    static void assertClose(String what, double[] expected, double[] actual, boolean[] written, double tol) {
        check(expected.length == actual.length, "%s: length %d, expected %d", what, actual.length, expected.length);
        double maxRef = 0;
        for (int i = 0; i < expected.length; i++) {
            if ((written == null || written[i]) && Double.isFinite(expected[i])) {
                maxRef = Math.max(maxRef, Math.abs(expected[i]));
            }
        }
        double scale = Math.max(maxRef, 1e-12);
        double worst = 0;
        int worstAt = -1;
        for (int i = 0; i < expected.length; i++) {
            double e = expected[i];
            double a = actual[i];
            if (written != null && !written[i]) {
                check(Double.compare(e, a) == 0 || e == a,
                        "%s: element %d outside the output changed from %s to %s", what, i, e, a);
                continue;
            }
            if (!Double.isFinite(e)) {
                check(Double.compare(e, a) == 0 || (Double.isNaN(e) && Double.isNaN(a)),
                        "%s: element %d is %s, expected %s", what, i, a, e);
                continue;
            }
            check(Double.isFinite(a), "%s: element %d is %s, expected %s", what, i, a, e);
            double err = Math.abs(a - e) / scale;
            if (err > worst) {
                worst = err;
                worstAt = i;
            }
        }
        if (worst > tol) {
            throw new AssertionError(String.format(Locale.ROOT,
                    "%s: relative error %.3g > %.3g (worst at element %d: got %s, expected %s, max|ref| %.4g)",
                    what, worst, tol, worstAt, actual[worstAt], expected[worstAt], maxRef));
        }
    }

    static void assertClose(String what, double[] expected, double[] actual, double tol) {
        assertClose(what, expected, actual, null, tol);
    }

    /** Runs {@code action} and returns what it threw, failing unless it is a {@code type}. */
    static <T extends Throwable> T expectThrows(Class<T> type, String what, Runnable action) {
        try {
            action.run();
        } catch (Throwable t) {
            if (type.isInstance(t)) {
                String msg = t.getMessage();
                check(msg != null && !msg.isBlank(), "%s: %s has no message", what, t.getClass().getName());
                return type.cast(t);
            }
            AssertionError e = new AssertionError(what + ": expected " + type.getSimpleName() + " but got " + t);
            e.initCause(t);
            throw e;
        }
        throw new AssertionError(what + ": expected " + type.getSimpleName() + " but nothing was thrown");
    }

    /**
     * Ends the check as skipped when an optional fast path returned false: the backend does not
     * provide it, and core composes the operation from primitives instead.
     */
    static void provided(boolean done, Backend backend, String kernel) {
        if (!done) {
            throw new ContractCheck.Skipped(backend.name() + " does not provide the optional " + kernel
                    + " kernel: core composes it from primitives");
        }
    }

    /**
     * For an optional fast path given bad arguments: it must throw a {@code type}, or decline
     * (return false, leaving the work to core, which checks the arguments itself); accepting them
     * is a failure.
     */
    static <T extends Throwable> void expectRefused(Class<T> type, String what, java.util.function.BooleanSupplier call) {
        boolean[] accepted = new boolean[1];
        try {
            accepted[0] = call.getAsBoolean();
        } catch (Throwable t) {
            if (type.isInstance(t)) {
                String msg = t.getMessage();
                check(msg != null && !msg.isBlank(), "%s: %s has no message", what, t.getClass().getName());
                return;
            }
            AssertionError e = new AssertionError(what + ": expected " + type.getSimpleName() + " but got " + t);
            e.initCause(t);
            throw e;
        }
        check(!accepted[0], "%s: expected %s, or false for a kernel not provided, but the call ran", what,
                type.getSimpleName());
    }

    /**
     * For an optional fast path that must refuse its arguments: returns what it threw; a call that
     * returns false (kernel not provided) skips the check.
     */
    static <T extends Throwable> T expectThrowsIfProvided(Class<T> type, String what, Backend backend, String kernel,
                                                          java.util.function.BooleanSupplier call) {
        boolean[] declined = new boolean[1];
        T thrown = null;
        try {
            thrown = expectThrows(type, what, () -> declined[0] = !call.getAsBoolean());
        } catch (AssertionError e) {
            provided(!declined[0], backend, kernel);
            throw e;
        }
        return thrown;
    }

    /** Fails unless {@code message} contains every word (case-insensitive). */
    static void assertMentions(String what, String message, String... words) {
        String lower = message.toLowerCase(Locale.ROOT);
        for (String w : words) {
            check(lower.contains(w.toLowerCase(Locale.ROOT)), "%s: message \"%s\" does not mention \"%s\"",
                    what, message, w);
        }
    }

    /** Fails unless the message names the dtype (as {@code float32} or {@code FLOAT32}). */
    static void assertMentionsDtype(String what, String message, DType dtype) {
        assertMentions(what, message, dtype.shortName());
    }
}
