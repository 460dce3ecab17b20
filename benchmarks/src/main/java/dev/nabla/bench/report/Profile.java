package dev.nabla.bench.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a report measures. {@code quick} fits in a few minutes on 2 cores (every benchmark, fewer
 * sizes and iterations, CPU at all cores); {@code full} adds sizes, the 1-thread CPU runs and
 * longer measurement; {@code compare-cpu} is GEMM and train steps on the CPU at 1 and all
 * threads, beside numpy and PyTorch (the CPU-performance issue's comparison); {@code smoke} runs
 * every benchmark method once on tiny sizes with no warm-up, to check the whole pipeline (its
 * times mean nothing).
 */
public enum Profile {
    QUICK("quick"),
    FULL("full"),
    COMPARE_CPU("compare-cpu"),
    SMOKE("smoke");

    /** Hidden sizes of {@code GradientBenchmark}: ~100 ... ~100,000 parameters. */
    static final List<String> HIDDEN = List.of("7", "21", "71", "171", "714", "2143", "7143");
    static final List<String> GEMM = List.of("256", "512", "1024", "2048", "512x784x1024");
    static final String GEMM_GPU_ONLY = "4096";
    /** Sizes of the transposed products ({@code layout} tn, nt) in the full and compare-cpu profiles. */
    static final List<String> GEMM_TRANSPOSED = List.of("1024", "512x784x1024");
    static final List<String> TRAIN = List.of("784-1024-1024-10:512", "4-256-3:120");
    static final String TRAIN_GPU_ONLY = "4096-4096-4096-10:4096";
    static final String SOFTMAX_CPU = "512x1000";
    static final String SOFTMAX_GPU = "8192x1024";

    private final String id;

    Profile(String id) {
        this.id = id;
    }

    /** The name used on the command line. */
    public String id() {
        return id;
    }

    /** The profile named {@code id}. */
    public static Profile of(String id) {
        for (Profile p : values()) {
            if (p.id.equals(id)) {
                return p;
            }
        }
        throw new IllegalArgumentException("unknown profile '" + id + "': expected quick, full, compare-cpu or smoke");
    }

    private JmhRun.Timing timing() {
        return switch (this) {
            case QUICK -> new JmhRun.Timing(1, 1, 1000, 2, 1000);
            case FULL -> new JmhRun.Timing(1, 3, 1000, 5, 1000);
            case COMPARE_CPU -> new JmhRun.Timing(1, 2, 1000, 5, 1000);
            case SMOKE -> new JmhRun.Timing(1, 0, 100, 1, 100);
        };
    }

    /** The numerical gradient's operations take up to seconds: one warm-up, few iterations. */
    private JmhRun.Timing numericalTiming() {
        return switch (this) {
            case FULL -> new JmhRun.Timing(1, 1, 1000, 2, 1000);
            case SMOKE -> timing();
            default -> new JmhRun.Timing(1, 1, 500, 2, 1000);
        };
    }

    /** Hidden sizes of the backprop runs. */
    List<String> hidden() {
        return this == SMOKE ? HIDDEN.subList(0, 1) : HIDDEN;
    }

    /** Hidden sizes whose numerical gradient is measured: up to ~10k parameters quick, ~100k full. */
    List<String> numericalHidden() {
        return switch (this) {
            case FULL -> HIDDEN;
            case SMOKE -> HIDDEN.subList(0, 1);
            default -> HIDDEN.subList(0, 5);
        };
    }

    List<String> elementwiseSizes() {
        return switch (this) {
            case FULL -> List.of("1048576", "4194304", "16777216", "67108864");
            case SMOKE -> List.of("1048576");
            default -> List.of("1048576", "16777216");
        };
    }

    List<String> gemmShapes(boolean cpu) {
        if (this == SMOKE) {
            return List.of("128", "64x96x32");
        }
        List<String> gemm = new ArrayList<>(GEMM);
        if (!cpu) {
            gemm.add(GEMM_GPU_ONLY);
        }
        return gemm;
    }

    List<String> trainModels(boolean cpu) {
        if (this == SMOKE) {
            return List.of(TRAIN.get(1));
        }
        List<String> train = new ArrayList<>(TRAIN);
        if (!cpu) {
            train.add(TRAIN_GPU_ONLY);
        }
        return train;
    }

    /** Whether this profile runs anything but the CPU comparison. */
    public boolean everything() {
        return this != COMPARE_CPU;
    }

    /**
     * The JMH runs for these available backends; {@code cpuThreads} are the CPU thread counts to
     * sweep in the GEMM and train-step benchmarks.
     */
    public List<JmhRun> plan(List<String> backends, List<Integer> cpuThreads) {
        List<JmhRun> runs = new ArrayList<>();
        for (String backend : backends) {
            boolean cpu = backend.equals("cpu");
            if (this == COMPARE_CPU && !cpu) {
                continue;
            }
            List<String> threads = cpu ? cpuThreads.stream().map(String::valueOf).toList() : List.of("0");
            if (everything()) {
                runs.add(new JmhRun("backprop gradient, " + backend, "GradientBenchmark", List.of("backprop"),
                        params("backend", List.of(backend), "hidden", hidden()), timing()));
                runs.add(new JmhRun("numerical gradient, " + backend, "GradientBenchmark", List.of("numerical"),
                        params("backend", List.of(backend), "hidden", numericalHidden()), numericalTiming()));
            }
            runs.add(new JmhRun("GEMM, " + backend, "GemmBenchmark", List.of("matmul"),
                    params("backend", List.of(backend), "shape", gemmShapes(cpu), "layout", List.of("nn"),
                            "threads", threads), timing()));
            if (this == FULL || this == COMPARE_CPU) {
                runs.add(new JmhRun("GEMM transposed (as backward), " + backend, "GemmBenchmark", List.of("matmul"),
                        params("backend", List.of(backend), "shape", GEMM_TRANSPOSED, "layout", List.of("tn", "nt"),
                                "threads", threads), timing()));
            }
            runs.add(new JmhRun("train step, " + backend, "TrainStepBenchmark",
                    this == COMPARE_CPU ? List.of("step") : List.of("forward", "forwardBackward", "step"),
                    params("backend", List.of(backend), "model", trainModels(cpu), "threads", threads), timing()));
            if (everything()) {
                runs.add(new JmhRun("elementwise, " + backend, "ElementwiseBenchmark", List.of("relu", "add"),
                        params("backend", List.of(backend), "size", elementwiseSizes()), timing()));
                runs.add(new JmhRun("softmax cross-entropy, " + backend, "SoftmaxCrossEntropyBenchmark",
                        List.of("forwardBackward"), params("backend", List.of(backend), "shape",
                        cpu ? List.of(SOFTMAX_CPU) : List.of(SOFTMAX_CPU, SOFTMAX_GPU)), timing()));
            }
        }
        return runs;
    }

    private static Map<String, List<String>> params(Object... kv) {
        Map<String, List<String>> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            @SuppressWarnings("unchecked")
            List<String> v = (List<String>) kv[i + 1];
            m.put((String) kv[i], v);
        }
        return m;
    }

    /** Seconds the Python baseline may take per library and thread count. */
    int pythonTimeoutSeconds() {
        return this == FULL ? 1800 : 300;
    }

    /** Seconds compare.py spends per case. */
    double pythonSecondsPerCase() {
        return switch (this) {
            case FULL -> 1.0;
            case SMOKE -> 0.05;
            default -> 0.4;
        };
    }
}
