package dev.nabla;

import java.util.Locale;

/**
 * NumPy-like text of a tensor's values: nested brackets, aligned columns, and "..." for large
 * axes (first and last three entries), followed by dtype and device.
 */
final class TensorFormat {
    private static final int SUMMARY_THRESHOLD = 1000;
    private static final int EDGE = 3;

    private TensorFormat() {
    }

    static String format(Tensor t) {
        double[] v = t.toDoubleArray();
        int[] dims = t.dims();
        boolean summarize = t.numel() > SUMMARY_THRESHOLD;
        boolean integral = t.dtype() == DType.INT32;
        if (!integral) {
            integral = true;
            for (double x : v) {
                if (Double.isFinite(x) && x != Math.rint(x)) {
                    integral = false;
                    break;
                }
            }
        }
        String[] cells = new String[v.length];
        int width = 0;
        for (int i = 0; i < v.length; i++) {
            cells[i] = cell(v[i], integral, t.dtype() == DType.INT32);
            width = Math.max(width, cells[i].length());
        }
        StringBuilder sb = new StringBuilder("tensor(");
        int indent = sb.length();
        append(sb, cells, dims, 0, 0, width, summarize, indent);
        sb.append(", ").append(t.dtype().shortName()).append(", ").append(t.device());
        if (t.requiresGrad()) {
            sb.append(", requiresGrad");
        }
        return sb.append(')').toString();
    }

    private static String cell(double x, boolean integral, boolean isInt) {
        if (isInt) {
            return Long.toString((long) x);
        }
        if (Double.isNaN(x)) {
            return "nan";
        }
        if (Double.isInfinite(x)) {
            return x > 0 ? "inf" : "-inf";
        }
        if (integral && Math.abs(x) < 1e16) {
            return (long) x + ".";
        }
        double a = Math.abs(x);
        if (a != 0 && (a >= 1e8 || a < 1e-4)) {
            return String.format(Locale.ROOT, "%.4e", x);
        }
        return String.format(Locale.ROOT, "%.4f", x);
    }

    private static void append(StringBuilder sb, String[] cells, int[] dims, int axis, int base, int width,
                               boolean summarize, int indent) {
        if (dims.length == 0) {
            sb.append(cells[0]);
            return;
        }
        int n = dims[axis];
        int stride = 1;
        for (int d = axis + 1; d < dims.length; d++) {
            stride *= dims[d];
        }
        sb.append('[');
        boolean cut = summarize && n > 2 * EDGE;
        for (int i = 0; i < n; i++) {
            if (cut && i == EDGE) {
                sb.append(axis == dims.length - 1 ? "..., " : "...,\n" + " ".repeat(indent + axis + 1));
                i = n - EDGE;
            }
            if (axis == dims.length - 1) {
                String c = cells[base + i];
                sb.append(" ".repeat(width - c.length())).append(c);
            } else {
                append(sb, cells, dims, axis + 1, base + i * stride, width, summarize, indent);
            }
            if (i < n - 1) {
                sb.append(',');
                if (axis == dims.length - 1) {
                    sb.append(' ');
                } else {
                    sb.append("\n".repeat(dims.length - axis - 1)).append(" ".repeat(indent + axis + 1));
                }
            }
        }
        sb.append(']');
    }
}
