package dev.nabla.gpu;

import dev.nabla.backend.BinaryOp;
import dev.nabla.backend.ReduceOp;
import dev.nabla.backend.UnaryOp;

/**
 * The integer op codes of the kernels ({@code U_*}, {@code B_*} in elementwise.cl, the same binary
 * codes in integer.cl, {@code R_*} in reduce.cl), written out rather than taken from
 * {@code ordinal()} so that reordering an SPI enum cannot silently change which op a kernel runs.
 */
final class OpCodes {
    private OpCodes() {
    }

    /** {@code prefix + op} for every constant, indexed by ordinal (message names made once). */
    static String[] names(String prefix, Enum<?>[] ops) {
        String[] names = new String[ops.length];
        for (Enum<?> op : ops) {
            names[op.ordinal()] = prefix + op.name();
        }
        return names;
    }

    static int unary(UnaryOp op) {
        return switch (op) {
            case NEG -> 0;
            case EXP -> 1;
            case LOG -> 2;
            case SQRT -> 3;
            case ABS -> 4;
            case RELU -> 5;
            case LEAKY_RELU -> 6;
            case SIGMOID -> 7;
            case TANH -> 8;
            case POW -> 9;
            case SCALE -> 10;
            case ADD_SCALAR -> 11;
            case RECIPROCAL -> 12;
            case SQUARE -> 13;
            case SIGN -> 14;
        };
    }

    static int binary(BinaryOp op) {
        return switch (op) {
            case ADD -> 0;
            case SUB -> 1;
            case MUL -> 2;
            case DIV -> 3;
            case MAX -> 4;
            case MIN -> 5;
            case POW -> 6;
            case EQ -> 7;
            case NE -> 8;
            case LT -> 9;
            case LE -> 10;
            case GT -> 11;
            case GE -> 12;
        };
    }

    static int reduce(ReduceOp op) {
        return switch (op) {
            case SUM -> 0;
            case MEAN -> 1;
            case MAX -> 2;
            case MIN -> 3;
        };
    }
}
