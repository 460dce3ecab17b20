package dev.nabla.opencl;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nabla.DType;
import dev.nabla.backend.Backend;
import dev.nabla.backend.Buffer;
import dev.nabla.backend.UnaryOp;
import org.junit.jupiter.api.Test;

class OpenClSmokeTest {
    @Test
    void unaryAndGemm() {
        Backend b = OpenClTestSupport.backend();
        long t0 = System.nanoTime();
        try (Buffer x = b.allocate(DType.FLOAT32, 5); Buffer y = b.allocate(DType.FLOAT32, 5)) {
            b.copyFromHost(new float[] {-1, 0, 1, 2, 3}, 0, x, 0, 5);
            b.unary(UnaryOp.EXP, 0, x, 0, y, 0, 5);
            float[] out = new float[5];
            b.copyToHost(y, 0, out, 0, 5);
            assertThat(out[2]).isCloseTo((float) Math.E, org.assertj.core.data.Offset.offset(1e-5f));
        }
        System.out.println("unary: " + (System.nanoTime() - t0) / 1e6 + " ms");
        t0 = System.nanoTime();
        try (Buffer a = b.allocate(DType.FLOAT32, 6); Buffer bb = b.allocate(DType.FLOAT32, 6);
             Buffer c = b.allocate(DType.FLOAT32, 4)) {
            b.copyFromHost(new float[] {1, 2, 3, 4, 5, 6}, 0, a, 0, 6);
            b.copyFromHost(new float[] {1, 2, 3, 4, 5, 6}, 0, bb, 0, 6);
            b.gemm(false, false, 2, 2, 3, 1, a, 0, 3, bb, 0, 2, 0, c, 0, 2);
            float[] out = new float[4];
            b.copyToHost(c, 0, out, 0, 4);
            assertThat(out).containsExactly(22, 28, 49, 64);
        }
        System.out.println("gemm: " + (System.nanoTime() - t0) / 1e6 + " ms");
        System.out.println(b.report());
    }
}
