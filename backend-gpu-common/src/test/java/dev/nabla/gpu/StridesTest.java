package dev.nabla.gpu;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class StridesTest {
    @Test
    void contiguousAxesMergeAndUnitAxesDisappear() {
        Strides.Layout l = Strides.collapse(new int[] {2, 1, 3, 4}, new long[] {12, 99, 4, 1}, new long[] {0, 5, 0, 1});
        assertThat(l.shape()).containsExactly(6, 4);
        assertThat(l.strides()[1]).containsExactly(0, 1);
        Strides.Layout both = Strides.collapse(new int[] {2, 3, 4}, new long[] {12, 4, 1}, new long[] {12, 4, 1});
        assertThat(both.shape()).containsExactly(24);
        assertThat(both.strides()[0]).containsExactly(1);
        Strides.Layout broadcast = Strides.collapse(new int[] {5, 6, 7}, new long[] {0, 0, 1}, new long[] {42, 7, 1});
        assertThat(broadcast.shape()).containsExactly(30, 7);
        assertThat(broadcast.strides()[0]).containsExactly(0, 1);
        assertThat(broadcast.strides()[1]).containsExactly(7, 1);
        assertThat(Strides.collapse(new int[] {1, 1}, new long[] {3, 1}).rank()).isZero();
    }

    @Test
    void splitVisitsEveryLeadingIndexWithAdvancedOffsets() {
        int[] shape = {2, 3, 1, 1, 1, 1, 1, 1, 1, 2};
        long[] s = Strides.contiguous(shape);
        Strides.Layout l = new Strides.Layout(shape, new long[][] {s});
        List<Long> offsets = new ArrayList<>();
        Strides.split(l, new long[] {100}, (at, piece) -> {
            assertThat(piece.rank()).isEqualTo(Strides.MAX_RANK);
            offsets.add(at[0]);
        });
        assertThat(offsets).containsExactly(100L, 102L, 104L, 106L, 108L, 110L);
    }

    @Test
    void kernelArgumentsAreInnermostFirstAndPadded() {
        Strides.Layout l = new Strides.Layout(new int[] {3, 5}, new long[][] {{10, 2}, {0, 1}});
        assertThat(Strides.kernelArgs(l)).containsExactly(2, 5, 3, 1, 1, 1, 1, 1, 1,
                2L, 10L, 0L, 0L, 0L, 0L, 0L, 0L, 1L, 0L, 0L, 0L, 0L, 0L, 0L, 0L);
    }
}
