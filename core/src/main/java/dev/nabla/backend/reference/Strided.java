package dev.nabla.backend.reference;

/** Visiting every index of a shape in row-major order, and the offset strides give it. */
final class Strided {
    private Strided() {
    }

    /** What is done at each index: {@code flat} counts in row-major order, {@code index} is reused. */
    interface Visitor {
        void at(long flat, int[] index);
    }

    static long count(int[] shape) {
        long n = 1;
        for (int e : shape) {
            n *= e;
        }
        return n;
    }

    static long offset(int[] index, long[] strides) {
        long o = 0;
        for (int d = 0; d < index.length; d++) {
            o += index[d] * strides[d];
        }
        return o;
    }

    static void forEach(int[] shape, Visitor visitor) {
        long n = count(shape);
        int[] index = new int[shape.length];
        for (long flat = 0; flat < n; flat++) {
            visitor.at(flat, index);
            for (int d = shape.length - 1; d >= 0; d--) {
                if (++index[d] < shape[d]) {
                    break;
                }
                index[d] = 0;
            }
        }
    }
}
