package dev.nabla.gpu;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Compile-time tile parameters of {@code gemm.cl}: a work-group computes a {@code bm × bn} tile of
 * C stepping {@code bk} through k, each work-item {@code tm × tn} outputs held in registers.
 * Only the {@link #CANDIDATES} exist, so the CUDA backend can precompile every one.
 */
public record GemmConfig(int bm, int bn, int bk, int tm, int tn) {

    /** The safe choice used when autotuning is off: 256 work-items, 4×4 each. */
    public static final GemmConfig DEFAULT = new GemmConfig(64, 64, 16, 4, 4);

    /** What the autotuner times, {@link #DEFAULT} first. */
    public static final List<GemmConfig> CANDIDATES = List.of(
            DEFAULT,
            new GemmConfig(128, 128, 8, 8, 8),
            new GemmConfig(128, 64, 16, 8, 4),
            new GemmConfig(32, 32, 16, 2, 2));

    public GemmConfig {
        if (bm % tm != 0 || bn % tn != 0) {
            throw new IllegalArgumentException("gemm tile " + bm + "x" + bn + " is not a multiple of " + tm + "x" + tn);
        }
    }

    /** Work-items along n (local size axis 0). */
    public int threadsX() {
        return bn / tn;
    }

    /** Work-items along m (local size axis 1). */
    public int threadsY() {
        return bm / tm;
    }

    /** Local memory one work-group needs for elements of {@code elementBytes}. */
    public long localBytes(int elementBytes) {
        return (long) bk * ((bm + 1) + bn) * elementBytes;
    }

    /** The {@code -D} values of {@code gemm.cl} besides {@code REAL}. */
    public Map<String, String> defines() {
        Map<String, String> d = new LinkedHashMap<>();
        d.put("BM", Integer.toString(bm));
        d.put("BN", Integer.toString(bn));
        d.put("BK", Integer.toString(bk));
        d.put("TM", Integer.toString(tm));
        d.put("TN", Integer.toString(tn));
        return d;
    }

    /** Compact form used in the cache file and the report: {@code 64x64x16/4x4}. */
    @Override
    public String toString() {
        return bm + "x" + bn + "x" + bk + "/" + tm + "x" + tn;
    }

    /** The candidate whose {@link #toString()} is {@code text}, or null. */
    public static GemmConfig parse(String text) {
        for (GemmConfig c : CANDIDATES) {
            if (c.toString().equals(text)) {
                return c;
            }
        }
        return null;
    }
}
