package dev.nabla.cuda;

import dev.nabla.DType;
import dev.nabla.backend.Buffer;
import dev.nabla.gpu.KernelBackend;
import dev.nabla.gpu.KernelSources;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The CUDA backend: the shared kernels and dispatch of {@link KernelBackend} on one
 * {@link CudaDevice}, with GEMM routed to the first engine of {@link GemmEngines#ORDER} that works
 * (cuBLAS via FFM, JCublas, our own kernel once verified, else the portable kernel). The report
 * names the engine in use and why each other one is not.
 *
 * <p>TF32 ({@code nabla.cuda.tf32=true}) lets cuBLAS round the inputs of FP32 products to TF32
 * (10-bit mantissa) on tensor cores: expect relative errors near 1e-3 instead of 1e-6, about
 * twice the speed on A100/H100. Off by default.
 */
public final class CudaBackend extends KernelBackend {
    private final CudaDevice cuda;
    private final boolean tf32 = GemmEngines.tf32();
    private final Map<String, String> gemmStatus = new LinkedHashMap<>();
    private final Map<String, String> facts;
    private GemmEngine engine;
    private boolean verified;

    CudaBackend(int index, CudaDevice device, Map<String, String> facts) {
        super("cuda", index, device);
        this.cuda = device;
        this.facts = new LinkedHashMap<>(facts);
        // A device whose driver cannot JIT our PTX is unusable: find out now, with the reason.
        long t0 = System.nanoTime();
        device.loadPtx(KernelSources.copy().tag());
        this.facts.put("ptx jit", String.format(java.util.Locale.ROOT, "ok (copy.ptx loaded in %.0f ms)",
                (System.nanoTime() - t0) / 1e6));
        device.verifyPackedLaunch();
        this.facts.put("kernel arguments", device.launchMode());
        chooseGemm(GemmEngines.forced());
    }

    /** Tries the engines in order (or only the forced one); the first created is used. */
    private void chooseGemm(String forced) {
        if (engine != null) {
            cuda.bind();
            engine.close();
            engine = null;
        }
        gemmStatus.clear();
        verified = false;
        for (String name : GemmEngines.ORDER) {
            if (forced != null && !forced.equals(name)) {
                gemmStatus.put(name, "not used: " + GemmEngines.PROPERTY + "=" + forced);
            } else if (engine != null) {
                gemmStatus.put(name, "not needed: " + engine.name() + " comes first");
            } else if (name.equals(GemmEngines.PORTABLE)) {
                gemmStatus.put(name, "in use" + (forced == null ? " (no faster engine available)" : " (forced)"));
            } else {
                try {
                    cuda.bind();
                    engine = GemmEngines.create(name, cuda, tf32);
                    gemmStatus.put(name, "in use: " + engine.description()
                            + (engine instanceof OwnGemm ? " (verified against the portable kernel on first use)" : ""));
                } catch (GemmEngineUnavailableException e) {
                    gemmStatus.put(name, "unavailable: " + e.getMessage());
                }
            }
        }
        if (engine == null && forced != null && !forced.equals(GemmEngines.PORTABLE)) {
            gemmStatus.put(GemmEngines.PORTABLE, "in use (" + forced + " was forced but is unavailable)");
        }
    }

    /**
     * Switches the GEMM engine ({@code auto} or a name of {@link GemmEngines#ORDER}), as
     * {@code nabla.cuda.gemm} does at start-up; for benchmarks and tests. Returns the engine in use
     * afterwards: the asked one, or {@code portable} when it is unavailable.
     */
    public synchronized String useGemm(String name) {
        String forced = name == null || name.equals("auto") ? null : name;
        if (forced != null && !GemmEngines.ORDER.contains(forced)) {
            throw new IllegalArgumentException("cuda: no GEMM engine " + name + " (auto or one of " + GemmEngines.ORDER + ")");
        }
        chooseGemm(forced);
        return gemmInUse();
    }

    /** The engine {@code gemmBatched} uses now for FLOAT32 ({@code portable} when none). */
    public synchronized String gemmInUse() {
        return engine == null ? GemmEngines.PORTABLE : engine.name();
    }

    /** Why each engine is or is not used, in order of preference. */
    public synchronized Map<String, String> gemmStatus() {
        return Map.copyOf(gemmStatus);
    }

    @Override
    protected void runGemm(GemmCall call) {
        if (call.m() == 0 || call.n() == 0 || call.batch() == 0) {
            return;
        }
        GemmEngine e = engine;
        if (route == Route.PORTABLE) {
            e = null;
        } else if (route == Route.AUTO && e instanceof OwnGemm && !verified) {
            e = verifyOwn(e);
        }
        if (e == null || !e.supports(call.dtype()) || call.k() == 0) {
            portableGemm(call);
            return;
        }
        long size = call.dtype().byteSize();
        cuda.bind();
        e.gemm(new GemmArgs(call.dtype(), call.transA(), call.transB(), call.m(), call.n(), call.k(), call.alpha(),
                CudaDevice.address(call.a()) + call.aOffset() * size, call.lda(), call.strideA(),
                CudaDevice.address(call.b()) + call.bOffset() * size, call.ldb(), call.strideB(), call.beta(),
                CudaDevice.address(call.c()) + call.cOffset() * size, call.ldc(), call.strideC(), call.batch()));
    }

    /** Where {@link #runGemm} sends a call: the normal choice, or (while verifying) one side. */
    private enum Route { AUTO, ENGINE, PORTABLE }

    private Route route = Route.AUTO;

    /** Compares our kernel with the portable one; on disagreement it is switched off for good. */
    private GemmEngine verifyOwn(GemmEngine own) {
        verified = true;
        String failure;
        try {
            failure = GemmVerifier.verify(new VerifierTarget());
        } finally {
            route = Route.AUTO;
        }
        if (failure == null) {
            gemmStatus.put(OwnGemm.NAME, "in use: " + own.description() + " (verified against the portable kernel)");
            return own;
        }
        own.close();
        engine = null;
        gemmStatus.put(OwnGemm.NAME, "disabled: " + failure);
        gemmStatus.put(GemmEngines.PORTABLE, "in use (the own kernel failed verification)");
        return null;
    }

    /** The verifier's access to this backend: buffers, copies and both GEMM routes through gemmBatched. */
    private final class VerifierTarget implements GemmVerifier.Target {
        @Override
        public Object allocate(long floats) {
            return CudaBackend.this.allocate(DType.FLOAT32, floats);
        }

        @Override
        public void write(Object memory, float[] data) {
            copyFromHost(java.nio.FloatBuffer.wrap(data), (Buffer) memory, 0);
        }

        @Override
        public float[] read(Object memory, int floats) {
            float[] out = new float[floats];
            copyToHost((Buffer) memory, 0, java.nio.FloatBuffer.wrap(out));
            return out;
        }

        @Override
        public void candidate(GemmVerifier.Problem p, Object a, Object b, Object c) {
            run(Route.ENGINE, p, a, b, c);
        }

        @Override
        public void portable(GemmVerifier.Problem p, Object a, Object b, Object c) {
            run(Route.PORTABLE, p, a, b, c);
        }

        private void run(Route r, GemmVerifier.Problem p, Object a, Object b, Object c) {
            route = r;
            gemmBatched(p.transA(), p.transB(), p.m(), p.n(), p.k(), p.alpha(), (Buffer) a, p.aOffset(), p.lda(),
                    p.strideA(), (Buffer) b, p.bOffset(), p.ldb(), p.strideB(), p.beta(), (Buffer) c, p.cOffset(),
                    p.ldc(), p.strideC(), p.batch());
        }

        @Override
        public void free(Object memory) {
            ((Buffer) memory).close();
        }
    }

    @Override
    protected void reportDetails(Map<String, String> details) {
        String portable = details.get("gemm");
        details.putAll(facts);
        details.put("gemm", engine == null ? "portable " + portable : engine.name() + ": " + engine.description());
        for (Map.Entry<String, String> e : gemmStatus.entrySet()) {
            String line = e.getValue();
            if (e.getKey().equals(GemmEngines.PORTABLE)) {
                line += "; " + portable;
            }
            details.put("gemm " + e.getKey(), line);
        }
        details.put("tf32", tf32 ? "on for cuBLAS (nabla.cuda.tf32=true): FP32 products with ~1e-3 relative error"
                : "off (nabla.cuda.tf32=true lets cuBLAS use TF32 tensor cores, ~1e-3 relative error)");
    }

    @Override
    protected String float64MissingReason() {
        return " (the device has no double precision)";
    }

    @Override
    public synchronized void close() {
        if (engine != null) {
            try {
                cuda.bind();
                engine.close();
            } catch (RuntimeException e) {
                // Closing the device below frees everything the engine held in the context anyway.
            }
            engine = null;
        }
        super.close();
    }
}
