package dev.nabla;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class RngTest {

    @Test
    void sameSeedSameStreamAndStateRestores() {
        Rng a = new Rng(42);
        Rng b = new Rng(42);
        for (int i = 0; i < 100; i++) {
            assertThat(a.nextLong()).isEqualTo(b.nextLong());
        }
        long state = a.state();
        double x = a.nextGaussian();
        a.setState(state);
        assertThat(a.nextGaussian()).isEqualTo(x);
    }

    @Test
    void splitMix64ReferenceValues() {
        // SplitMix64 (Steele, Lea, Flood 2014) from seed 0: its first outputs are published widely.
        Rng r = new Rng(0);
        assertThat(r.nextLong()).isEqualTo(0xE220A8397B1DCDAFL);
        assertThat(r.nextLong()).isEqualTo(0x6E789E6AA1B965F4L);
    }

    @Test
    void distributions() {
        Rng r = new Rng(1);
        int n = 200_000;
        double sum = 0, sq = 0;
        int[] counts = new int[7];
        for (int i = 0; i < n; i++) {
            double g = r.nextGaussian();
            sum += g;
            sq += g * g;
            counts[r.nextInt(7)]++;
        }
        assertThat(sum / n).isCloseTo(0, within(0.01));
        assertThat(sq / n).isCloseTo(1, within(0.02));
        for (int c : counts) {
            assertThat(c).isBetween(n / 7 - 1000, n / 7 + 1000);
        }
        assertThatThrownBy(() -> r.nextInt(0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shuffleIsAPermutation() {
        int[] v = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9};
        new Rng(3).shuffle(v);
        assertThat(v).containsExactlyInAnyOrder(0, 1, 2, 3, 4, 5, 6, 7, 8, 9).isNotEqualTo(new int[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9});
    }
}
