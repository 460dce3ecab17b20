package dev.nabla.cuda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nabla.gpu.GpuDevice;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/** The CUDA ABI layout of packed kernel arguments: natural alignment, no trailing padding. */
class KernelParamsTest {
    private record Mem(long bytes) implements GpuDevice.Memory {
    }

    @Test
    void eachArgumentSitsAtTheNextMultipleOfItsSize() {
        ByteBuffer b = KernelParams.order(ByteBuffer.allocate(KernelParams.CAPACITY));
        GpuDevice.Memory m = new Mem(16);
        int size = KernelParams.pack(b, "k", new Object[] {7, m, 2.5f, 3L, 1, 0.25, 9}, x -> 0xABCDEF00L);
        assertThat(b.getInt(0)).isEqualTo(7);
        assertThat(b.getLong(8)).as("pointer after int: padded to 8").isEqualTo(0xABCDEF00L);
        assertThat(b.getFloat(16)).isEqualTo(2.5f);
        assertThat(b.getLong(24)).as("long after float: padded to 24").isEqualTo(3L);
        assertThat(b.getInt(32)).isEqualTo(1);
        assertThat(b.getDouble(40)).isEqualTo(0.25);
        assertThat(b.getInt(48)).isEqualTo(9);
        assertThat(size).as("ends after the last int, no tail padding").isEqualTo(52);
    }

    @Test
    void unsupportedTypesAndTooManyBytesAreRefused() {
        ByteBuffer b = KernelParams.order(ByteBuffer.allocate(KernelParams.CAPACITY));
        assertThatThrownBy(() -> KernelParams.pack(b, "k", new Object[] {1, "x"}, x -> 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("kernel k argument 1")
                .hasMessageContaining("java.lang.String");
        Object[] many = new Object[KernelParams.CAPACITY / 8 + 1];
        java.util.Arrays.fill(many, 1L);
        assertThatThrownBy(() -> KernelParams.pack(b, "k", many, x -> 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("more than 4096 bytes");
    }
}
