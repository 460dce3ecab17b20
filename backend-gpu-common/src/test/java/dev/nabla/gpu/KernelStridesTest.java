package dev.nabla.gpu;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class KernelStridesTest {
    @Test
    void contiguousAxesMergeAndUnitAxesDisappear() {
        KernelStrides.Layout l = KernelStrides.collapse(new int[] {2, 1, 3, 4}, new long[] {12, 99, 4, 1}, new long[] {0, 5, 0, 1});
        assertThat(l.shape()).containsExactly(6, 4);
        assertThat(l.strides()[1]).containsExactly(0, 1);
        KernelStrides.Layout both = KernelStrides.collapse(new int[] {2, 3, 4}, new long[] {12, 4, 1}, new long[] {12, 4, 1});
        assertThat(both.shape()).containsExactly(24);
        assertThat(both.strides()[0]).containsExactly(1);
        KernelStrides.Layout broadcast = KernelStrides.collapse(new int[] {5, 6, 7}, new long[] {0, 0, 1}, new long[] {42, 7, 1});
        assertThat(broadcast.shape()).containsExactly(30, 7);
        assertThat(broadcast.strides()[0]).containsExactly(0, 1);
        assertThat(broadcast.strides()[1]).containsExactly(7, 1);
        assertThat(KernelStrides.collapse(new int[] {1, 1}, new long[] {3, 1}).rank()).isZero();
    }

    @Test
    void splitVisitsEveryLeadingIndexWithAdvancedOffsets() {
        int[] shape = {2, 3, 1, 1, 1, 1, 1, 1, 1, 2};
        long[] s = KernelStrides.contiguous(shape);
        KernelStrides.Layout l = new KernelStrides.Layout(shape, new long[][] {s});
        List<Long> offsets = new ArrayList<>();
        KernelStrides.split(l, new long[] {100}, (at, piece) -> {
            assertThat(piece.rank()).isEqualTo(KernelStrides.MAX_RANK);
            offsets.add(at[0]);
        });
        assertThat(offsets).containsExactly(100L, 102L, 104L, 106L, 108L, 110L);
    }

    @Test
    void kernelArgumentsAreInnermostFirstAndPadded() {
        KernelStrides.Layout l = new KernelStrides.Layout(new int[] {3, 5}, new long[][] {{10, 2}, {0, 1}});
        assertThat(KernelStrides.kernelArgs(l)).containsExactly(2, 5, 3, 1, 1, 1, 1, 1, 1,
                2L, 10L, 0L, 0L, 0L, 0L, 0L, 0L, 1L, 0L, 0L, 0L, 0L, 0L, 0L, 0L);
    }
}
