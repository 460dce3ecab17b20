package dev.nabla;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ShapeTest {

    @Test
    void basics() {
        Shape s = Shape.of(2, 3, 4);
        assertThat(s.rank()).isEqualTo(3);
        assertThat(s.numel()).isEqualTo(24);
        assertThat(s.dim(-1)).isEqualTo(4);
        assertThat(s.contiguousStrides()).containsExactly(12, 4, 1);
        assertThat(s).hasToString("[2, 3, 4]").isEqualTo(Shape.of(2, 3, 4));
        assertThat(Shape.scalar().numel()).isEqualTo(1);
        assertThat(Shape.of(0, 5).numel()).isZero();
    }

    @Test
    void broadcastingFollowsNumPy() {
        assertThat(Shape.broadcast("add", Shape.of(3, 1), Shape.of(1, 4))).isEqualTo(Shape.of(3, 4));
        assertThat(Shape.broadcast("add", Shape.of(5, 3, 4), Shape.of(4))).isEqualTo(Shape.of(5, 3, 4));
        assertThat(Shape.broadcast("add", Shape.scalar(), Shape.of(2))).isEqualTo(Shape.of(2));
        assertThat(Shape.of(3, 1).broadcastsTo(Shape.of(2, 3, 4))).isTrue();
        assertThat(Shape.of(3, 2).broadcastsTo(Shape.of(3, 4))).isFalse();
        assertThatThrownBy(() -> Shape.broadcast("mul", Shape.of(2, 3), Shape.of(3, 2)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("mul: shapes [2, 3] and [3, 2] cannot be broadcast: sizes 2 and 3 differ at axis -2 and neither is 1");
    }

    @Test
    void badAxesAndSizes() {
        assertThatThrownBy(() -> Shape.of(2, -1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(">= 0");
        assertThatThrownBy(() -> Shape.of(2, 3).axis(-3, "sum")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("sum: axis -3 is out of range for shape [2, 3] (rank 2)");
    }
}
