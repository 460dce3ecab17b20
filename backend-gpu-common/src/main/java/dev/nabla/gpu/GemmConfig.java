package dev.nabla.gpu;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Compile-time tile parameters of {@code gemm.cl}: a work-group computes a {@code bm × bn} tile of
 * C stepping {@code bk} through k, each work-item {@code tm × tn} outputs held in registers.
 * {@code warpTiled} picks the second kernel of the file ({@code WT=1}): 8×8 outputs per work-item
 * in warp-tiled 4×4 groups, double-buffered local memory, float4 local reads — the design of
 * backend-cuda's {@code sgemm.cu} — for float32 only; float64 runs {@link #forFloat64()}.
 * Only the {@link #CANDIDATES} exist, so the CUDA backend can precompile every one.
 */
public record GemmConfig(int bm, int bn, int bk, int tm, int tn, boolean warpTiled) {

    /** The safe choice used when autotuning is off: 256 work-items, 4×4 each. */
    public static final GemmConfig DEFAULT = new GemmConfig(64, 64, 16, 4, 4);

    /**
     * What the autotuner times, {@link #DEFAULT} first: the plain kernels, then the warp-tiled ones
     * (128×128 tiles of 256 work-items for large products, 64×64 of 64 work-items for products with
     * too few 128×128 tiles to fill the device).
     */
    public static final List<GemmConfig> CANDIDATES = List.of(
            DEFAULT,
            new GemmConfig(128, 128, 8, 8, 8),
            new GemmConfig(128, 64, 16, 8, 4),
            new GemmConfig(32, 32, 16, 2, 2),
            new GemmConfig(128, 128, 8, 8, 8, true),
            new GemmConfig(128, 128, 16, 8, 8, true),
            new GemmConfig(64, 64, 8, 8, 8, true));

    /** System property that forces one candidate for every GEMM (tests, comparisons): its {@link #toString()}. */
    public static final String FORCE_PROPERTY = "nabla.gpu.gemm.tiles";

    public GemmConfig {
        if (bm % tm != 0 || bn % tn != 0) {
            throw new IllegalArgumentException("gemm tile " + bm + "x" + bn + " is not a multiple of " + tm + "x" + tn);
        }
        if (warpTiled) {
            int threads = (bm / tm) * (bn / tn);
            if (tm != 8 || tn != 8 || (bn / 8) % 4 != 0 || (bm / 8) % 8 != 0 || bk % 8 != 0
                    || (bm * bk / 4) % threads != 0 || (bn * bk / 4) % threads != 0) {
                throw new IllegalArgumentException("warp-tiled gemm needs 8x8 per work-item, BN/8 % 4 == 0, "
                        + "BM/8 % 8 == 0, BK % 8 == 0 and whole float4 loads per work-item: " + bm + "x" + bn + "x" + bk);
            }
        }
    }

    /** A configuration of the plain kernel. */
    public GemmConfig(int bm, int bn, int bk, int tm, int tn) {
        this(bm, bn, bk, tm, tn, false);
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
        if (warpTiled) {
            return 2L * bk * ((bm + 4) + (bn + 4)) * elementBytes;
        }
        return (long) bk * ((bm + 1) + bn) * elementBytes;
    }

    /**
     * The configuration a float64 GEMM runs instead (the warp-tiled kernel is float32 only): itself
     * for the plain kernel, else the plain candidate with the same tile and work-items, else
     * {@link #DEFAULT}.
     */
    public GemmConfig forFloat64() {
        if (!warpTiled) {
            return this;
        }
        for (GemmConfig c : CANDIDATES) {
            if (!c.warpTiled && c.bm == bm && c.bn == bn && c.tm == tm && c.tn == tn) {
                return c;
            }
        }
        return DEFAULT;
    }

    /** The {@code -D} values of {@code gemm.cl} besides {@code REAL} ({@code WT=1} only for the warp-tiled kernel). */
    public Map<String, String> defines() {
        Map<String, String> d = new LinkedHashMap<>();
        d.put("BM", Integer.toString(bm));
        d.put("BN", Integer.toString(bn));
        d.put("BK", Integer.toString(bk));
        d.put("TM", Integer.toString(tm));
        d.put("TN", Integer.toString(tn));
        if (warpTiled) {
            d.put("WT", "1");
        }
        return d;
    }

    /** Compact form used in the cache file and the report: {@code 64x64x16/4x4}, {@code 128x128x8/8x8w} (warp-tiled). */
    @Override
    public String toString() {
        return bm + "x" + bn + "x" + bk + "/" + tm + "x" + tn + (warpTiled ? "w" : "");
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
