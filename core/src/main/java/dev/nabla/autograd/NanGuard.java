package dev.nabla.autograd;

import dev.nabla.Tensor;
import java.util.ArrayList;
import java.util.List;

/**
 * Debugging aid: when on ({@code -Dnabla.checkNaN=true}, {@code nabla train --check-nan}, or
 * {@link #setEnabled}), every op's output is scanned for NaN and infinity, forward and backward,
 * and the first op that produces one throws, naming the op, its input shapes and the training
 * step. Each check copies the output to the host, so it is slow on GPUs: for debugging only.
 */
public final class NanGuard {
    private static volatile boolean enabled = Boolean.getBoolean("nabla.checkNaN");
    private static volatile long step = -1;
    /** The op whose backward rule is running on this thread, if the guard is on. */
    private static final ThreadLocal<String> BACKWARD_OF = new ThreadLocal<>();

    private NanGuard() {
    }

    /** Whether outputs are checked. */
    public static boolean isEnabled() {
        return enabled;
    }

    /** Turns checking on or off for the whole JVM. */
    public static void setEnabled(boolean on) {
        enabled = on;
    }

    /** The training step that messages name; training loops set it ({@code -1}: none). */
    public static void setStep(long trainingStep) {
        step = trainingStep;
    }

    /** The step last set. */
    public static long step() {
        return step;
    }

    /** Names the op whose backward rule runs next on this thread (null: none); returns the previous one. */
    static String backwardOf(String op) {
        String previous = BACKWARD_OF.get();
        BACKWARD_OF.set(op);
        return previous;
    }

    /**
     * Throws when {@code output} holds NaN or infinity (only while enabled).
     *
     * @throws NonFiniteException naming the op, the input shapes, the step and the first bad element
     */
    public static void check(String op, Tensor output, Tensor... inputs) {
        if (!enabled || !output.dtype().isFloatingPoint()) {
            return;
        }
        double[] v = output.toDoubleArray();
        String rule = BACKWARD_OF.get();
        String what = rule == null ? op : rule + " backward" + (op.equals(rule + " backward") ? "" : " (its " + op + ")");
        for (int i = 0; i < v.length; i++) {
            if (!Double.isFinite(v[i])) {
                List<String> shapes = new ArrayList<>();
                for (Tensor t : inputs) {
                    shapes.add(t == null ? "-" : t.shape().toString());
                }
                throw new NonFiniteException(what + " produced " + (Double.isNaN(v[i]) ? "NaN" : v[i] > 0 ? "+Inf" : "-Inf")
                        + " at element " + i + " of its output " + output.shape() + "; inputs " + String.join(", ", shapes)
                        + (step >= 0 ? "; training step " + step : "")
                        + (GradMode.isEnabled() ? "" : " (during backward or under noGrad)"));
            }
        }
    }

    /** A NaN or infinity caught by the guard. */
    public static final class NonFiniteException extends IllegalStateException {
        private static final long serialVersionUID = 1L;

        NonFiniteException(String message) {
            super("NaN guard: " + message);
        }
    }
}
