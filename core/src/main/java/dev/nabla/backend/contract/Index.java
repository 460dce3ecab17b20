package dev.nabla.backend.contract;

import java.util.function.Consumer;

/** Row-major iteration over every index of a shape (the references' loop nest). */
final class Index {
    private Index() {
    }

    /** Calls {@code body} with each index of {@code shape} in row-major order (once for rank 0). */
    static void forEach(int[] shape, Consumer<long[]> body) {
        for (int extent : shape) {
            if (extent == 0) {
                return;
            }
        }
        long[] idx = new long[shape.length];
        while (true) {
            body.accept(idx);
            int d = shape.length - 1;
            while (d >= 0 && ++idx[d] == shape[d]) {
                idx[d] = 0;
                d--;
            }
            if (d < 0) {
                return;
            }
        }
    }

    static long count(int[] shape) {
        long n = 1;
        for (int e : shape) {
            n *= e;
        }
        return n;
    }
}
