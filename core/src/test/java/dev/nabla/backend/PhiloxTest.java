package dev.nabla.backend;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PhiloxTest {

    /** Known-answer vectors of Random123's kat_vectors for philox4x32 with 10 rounds. */
    @Test
    void matchesRandom123KnownAnswers() {
        assertThat(Philox.block(0, 0, 0, 0, 0, 0))
                .containsExactly(0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8);
        assertThat(Philox.block(-1, -1, -1, -1, -1, -1))
                .containsExactly(0x408f276d, 0x41c83b0e, 0xa20bc7c6, 0x6d5451fd);
        assertThat(Philox.block(0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344, 0xa4093822, 0x299f31d0))
                .containsExactly(0xd16cfe09, 0x94fdcceb, 0x5001e420, 0x24126ea1);
    }

    @Test
    void uniformIsInUnitIntervalAndRoughlyUniform() {
        double sum = 0;
        int n = 100_000;
        for (int i = 0; i < n; i++) {
            float u = Philox.uniform(42, i);
            assertThat(u).isGreaterThanOrEqualTo(0f).isLessThan(1f);
            sum += u;
        }
        assertThat(sum / n).isBetween(0.49, 0.51);
        assertThat(Philox.uniform(1, 5)).isNotEqualTo(Philox.uniform(2, 5));
    }
}
