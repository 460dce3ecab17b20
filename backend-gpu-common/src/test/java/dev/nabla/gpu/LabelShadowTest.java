package dev.nabla.gpu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nabla.DType;
import dev.nabla.backend.BinaryOp;
import dev.nabla.backend.Buffer;
import java.util.function.Consumer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * softmaxCrossEntropy validates labels against the host copy kept from copyFromHost (no read-back,
 * no synchronisation) and reads them back whenever the device may have changed them since.
 */
class LabelShadowTest {
    private static final int ROWS = 4;
    private static final int CLASSES = 3;

    private final FakeDevice device = new FakeDevice(false);
    private final KernelBackend backend = device.backend();
    private final Buffer logits = backend.allocate(DType.FLOAT32, ROWS * CLASSES);
    private final Buffer losses = backend.allocate(DType.FLOAT32, ROWS);
    private final Buffer grad = backend.allocate(DType.FLOAT32, ROWS * CLASSES);

    private Buffer labels(int... values) {
        Buffer b = backend.allocate(DType.INT32, values.length);
        backend.copyFromHost(java.nio.IntBuffer.wrap(values), b, 0);
        return b;
    }

    private void crossEntropy(Buffer labels, long offset) {
        backend.softmaxCrossEntropy(logits, 0, labels, offset, ROWS, CLASSES, losses, 0, grad, 0);
    }

    private long crossEntropyLaunches() {
        return device.launches.stream().filter(l -> l.kernel().equals("softmax_cross_entropy")).count();
    }

    @Test
    void labelsUploadedFromTheHostAreValidatedWithoutAReadBack() {
        Buffer y = labels(0, 2, 1, 2);
        crossEntropy(y, 0);
        crossEntropy(y, 0);
        assertThat(device.reads).isZero();
        assertThat(crossEntropyLaunches()).isEqualTo(2);
    }

    @Test
    void aBadLabelUploadedFromTheHostIsRejectedFromTheHostCopy() {
        Buffer y = labels(0, 2, 1, 3);
        assertThatThrownBy(() -> crossEntropy(y, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("label 3 of row 3 is outside [0, 3)");
        assertThat(device.reads).isZero();
        assertThat(crossEntropyLaunches()).isZero();
    }

    @Test
    void labelsFilledOnTheDeviceAreReadBackAndRejected() {
        Buffer y = labels(0, 2, 1, 2);
        crossEntropy(y, 0);
        backend.fill(y, 1, 1, 9);
        assertThatThrownBy(() -> crossEntropy(y, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("label 9 of row 1");
        assertThat(device.reads).isEqualTo(1);
        assertThat(crossEntropyLaunches()).isEqualTo(1);
    }

    @Test
    void labelsCopiedOnTheDeviceAreReadBackAndRejected() {
        Buffer y = labels(0, 2, 1, 2);
        Buffer bad = labels(-3, -3);
        crossEntropy(y, 0);
        backend.copy(bad, 0, new long[] {1}, y, 2, new long[] {1}, new int[] {2});
        assertThatThrownBy(() -> crossEntropy(y, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("label -3 of row 2");
        assertThat(crossEntropyLaunches()).isEqualTo(1);
    }

    /** Writers the fake device does not run: validation must not trust the host copy after them. */
    @ParameterizedTest
    @ValueSource(strings = {"cast", "binary", "argMax", "fill", "copy"})
    void everyDeviceWriteIntoTheLabelsForcesAReadBack(String writer) {
        Buffer y = labels(0, 2, 1, 2);
        Buffer floats = backend.allocate(DType.FLOAT32, ROWS * CLASSES);
        Buffer ints = labels(1, 1, 1, 1);
        Consumer<Buffer> write = switch (writer) {
            case "cast" -> b -> backend.cast(floats, 0, b, 0, ROWS);
            case "binary" -> b -> backend.binary(BinaryOp.ADD, b, 0, new long[] {1}, ints, 0, new long[] {1}, b, 0,
                    new int[] {ROWS});
            case "argMax" -> b -> backend.argMax(floats, 0, ROWS, CLASSES, 1, b, 0);
            case "fill" -> b -> backend.fill(b, 0, ROWS, 1);
            default -> b -> backend.copy(ints, 0, new long[] {1}, b, 0, new long[] {1}, new int[] {ROWS});
        };
        crossEntropy(y, 0);
        assertThat(device.reads).isZero();
        write.accept(y);
        crossEntropy(y, 0);
        assertThat(device.reads).as("read back after %s", writer).isEqualTo(1);
        crossEntropy(y, 0);
        assertThat(device.reads).as("what was read back is remembered").isEqualTo(1);
    }

    @Test
    void partialUploadsUpdateTheHostCopy() {
        Buffer y = labels(0, 2, 1, 2);
        backend.copyFromHost(java.nio.IntBuffer.wrap(new int[] {5, 7}, 1, 1), y, 3);
        assertThatThrownBy(() -> crossEntropy(y, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("label 7 of row 3");
        backend.copyFromHost(java.nio.IntBuffer.wrap(new int[] {1}, 0, 1), y, 3);
        crossEntropy(y, 0);
        assertThat(device.reads).isZero();
    }

    @Test
    void adjacentUploadsJoinAndDisjointOnesKeepOnlyTheNewest() {
        Buffer y = backend.allocate(DType.INT32, 8);
        backend.copyFromHost(java.nio.IntBuffer.wrap(new int[] {0, 1, 2, 0}, 0, 4), y, 0);
        backend.copyFromHost(java.nio.IntBuffer.wrap(new int[] {1, 2, 0, 1}, 0, 4), y, 4);
        crossEntropy(y, 2);
        assertThat(device.reads).as("rows 2..5 span both uploads").isZero();
        Buffer z = backend.allocate(DType.INT32, 12);
        backend.copyFromHost(java.nio.IntBuffer.wrap(new int[] {0, 1, 2, 0}, 0, 4), z, 0);
        backend.copyFromHost(java.nio.IntBuffer.wrap(new int[] {1, 2, 0, 1}, 0, 4), z, 8);
        crossEntropy(z, 8);
        assertThat(device.reads).isZero();
        crossEntropy(z, 0);
        assertThat(device.reads).as("the first range was forgotten").isEqualTo(1);
    }

    @Test
    void aBufferOnReusedMemoryStartsWithoutAHostCopy() {
        Buffer y = labels(0, 2, 1, 2);
        GpuDevice.Memory memory = ((GpuBuffer) y).memory();
        y.close();
        Buffer again = backend.allocate(DType.INT32, ROWS);
        assertThat(((GpuBuffer) again).memory()).as("the caching allocator hands the block out again")
                .isSameAs(memory);
        crossEntropy(again, 0);
        assertThat(device.reads).isEqualTo(1);
    }

    @Test
    void buffersTooLargeForAHostCopyAreReadBack() {
        Buffer y = backend.allocate(DType.INT32, IntShadow.MAX_ELEMENTS + 1);
        backend.copyFromHost(java.nio.IntBuffer.wrap(new int[] {0, 1, 2, 0}, 0, ROWS), y, 0);
        crossEntropy(y, 0);
        crossEntropy(y, 0);
        assertThat(device.reads).isEqualTo(2);
    }
}
