package dev.nabla.nn;

import dev.nabla.DType;
import dev.nabla.Device;
import dev.nabla.Rng;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The architecture of a multi-layer perceptron as a short string that checkpoints carry, so a
 * model can be rebuilt without the code that trained it: {@code mlp:64-128-10,relu} is 64 inputs,
 * one hidden layer of 128 ReLU units and 10 outputs; {@code mlp:4-16-16-3,tanh,dropout=0.1} adds
 * dropout after each hidden activation, {@code mlp:64-128-10,relu,batchnorm} a {@link BatchNorm1d}
 * after each hidden {@link Linear}, before its activation.
 *
 * <p>{@link #build} makes {@code Linear, [BatchNorm1d], activation, [Dropout], ..., Linear} as a
 * {@link Sequential}, so parameter names are {@code 0.weight}, {@code 0.bias}, {@code 2.weight}...
 * (3 apart with dropout or batch normalisation, 4 with both). Hidden layers are initialised for their activation (He for ReLU, Xavier
 * otherwise), the output layer with Xavier.
 *
 * @param sizes      layer widths, inputs first and outputs last (at least two)
 * @param activation {@code relu}, {@code sigmoid} or {@code tanh}
 * @param dropout    drop probability after each hidden activation (0 for none)
 * @param batchNorm  batch normalisation after each hidden linear layer
 */
public record MlpSpec(int[] sizes, String activation, double dropout, boolean batchNorm) {
    /** The activations {@link #build} knows. */
    public static final List<String> ACTIVATIONS = List.of("relu", "sigmoid", "tanh");

    public MlpSpec {
        sizes = sizes.clone();
        if (sizes.length < 2) {
            throw new IllegalArgumentException("mlp: needs at least an input and an output size, got "
                    + Arrays.toString(sizes));
        }
        for (int s : sizes) {
            if (s <= 0) {
                throw new IllegalArgumentException("mlp: layer sizes must be positive, got " + Arrays.toString(sizes));
            }
        }
        if (!ACTIVATIONS.contains(activation)) {
            throw new IllegalArgumentException("mlp: unknown activation '" + activation + "' (known: "
                    + String.join(", ", ACTIVATIONS) + ")");
        }
        if (!(dropout >= 0 && dropout < 1)) {
            throw new IllegalArgumentException("mlp: dropout must be in [0, 1), got " + dropout);
        }
    }

    /** Without batch normalisation. */
    public MlpSpec(int[] sizes, String activation, double dropout) {
        this(sizes, activation, dropout, false);
    }

    /** {@code inputs → hidden... → outputs}. */
    public static MlpSpec of(int inputs, int[] hidden, int outputs, String activation, double dropout) {
        return of(inputs, hidden, outputs, activation, dropout, false);
    }

    /** {@code inputs → hidden... → outputs}, with batch normalisation after each hidden layer when asked. */
    public static MlpSpec of(int inputs, int[] hidden, int outputs, String activation, double dropout,
                             boolean batchNorm) {
        int[] sizes = new int[hidden.length + 2];
        sizes[0] = inputs;
        System.arraycopy(hidden, 0, sizes, 1, hidden.length);
        sizes[sizes.length - 1] = outputs;
        return new MlpSpec(sizes, activation, dropout, batchNorm);
    }

    /**
     * Parses {@link #toString()}'s form.
     *
     * @throws IllegalArgumentException naming the text and what is wrong with it
     */
    public static MlpSpec parse(String text) {
        String t = text.trim();
        if (!t.startsWith("mlp:")) {
            throw new IllegalArgumentException("architecture '" + text + "': only 'mlp:<sizes>,<activation>' is known");
        }
        String[] parts = t.substring(4).split(",");
        if (parts.length < 2) {
            throw new IllegalArgumentException("architecture '" + text + "': expected 'mlp:<sizes>,<activation>'");
        }
        String[] dims = parts[0].split("-");
        int[] sizes = new int[dims.length];
        try {
            for (int i = 0; i < dims.length; i++) {
                sizes[i] = Integer.parseInt(dims[i].trim());
            }
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("architecture '" + text + "': layer sizes must be integers joined by '-'");
        }
        double dropout = 0;
        boolean batchNorm = false;
        for (int i = 2; i < parts.length; i++) {
            String p = parts[i].trim();
            if (p.equals("batchnorm")) {
                batchNorm = true;
                continue;
            }
            if (!p.startsWith("dropout=")) {
                throw new IllegalArgumentException("architecture '" + text + "': unknown option '" + p + "'");
            }
            try {
                dropout = Double.parseDouble(p.substring("dropout=".length()));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("architecture '" + text + "': dropout must be a number");
            }
        }
        try {
            return new MlpSpec(sizes, parts[1].trim().toLowerCase(Locale.ROOT), dropout, batchNorm);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("architecture '" + text + "': " + e.getMessage(), e);
        }
    }

    /** Number of inputs. */
    public int inputs() {
        return sizes[0];
    }

    /** Number of outputs (classes). */
    public int outputs() {
        return sizes[sizes.length - 1];
    }

    /** Hidden layer widths. */
    public int[] hidden() {
        return Arrays.copyOfRange(sizes, 1, sizes.length - 1);
    }

    @Override
    public int[] sizes() {
        return sizes.clone();
    }

    /** A new model with weights drawn from {@code rng} (dropout masks from a generator forked from it). */
    public Sequential build(Device device, Rng rng) {
        Init hiddenInit = Init.forActivation(activation);
        List<Module> layers = new ArrayList<>();
        Rng dropoutRng = dropout > 0 ? rng.fork() : null;
        for (int i = 0; i + 1 < sizes.length; i++) {
            boolean last = i + 2 == sizes.length;
            layers.add(new Linear(device, sizes[i], sizes[i + 1], true, last ? Init.XAVIER_UNIFORM : hiddenInit, rng));
            if (!last) {
                if (batchNorm) {
                    layers.add(new BatchNorm1d(device, DType.FLOAT32, sizes[i + 1], 1e-5, 0.1, true));
                }
                layers.add(activationModule());
                if (dropout > 0) {
                    layers.add(new Dropout(dropout, dropoutRng));
                }
            }
        }
        return new Sequential(layers);
    }

    private Module activationModule() {
        switch (activation) {
            case "relu":
                return new ReLU();
            case "sigmoid":
                return new Sigmoid();
            default:
                return new Tanh();
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MlpSpec m && Arrays.equals(sizes, m.sizes) && activation.equals(m.activation)
                && Double.compare(dropout, m.dropout) == 0 && batchNorm == m.batchNorm;
    }

    @Override
    public int hashCode() {
        return (Arrays.hashCode(sizes) * 31 + activation.hashCode()) * 2 + (batchNorm ? 1 : 0);
    }

    /** {@code mlp:64-128-10,relu}, {@code mlp:64-128-10,relu,dropout=0.2} or {@code mlp:64-128-10,relu,batchnorm,dropout=0.2}. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("mlp:");
        for (int i = 0; i < sizes.length; i++) {
            sb.append(i == 0 ? "" : "-").append(sizes[i]);
        }
        sb.append(',').append(activation);
        if (batchNorm) {
            sb.append(",batchnorm");
        }
        if (dropout > 0) {
            sb.append(",dropout=").append(dropout);
        }
        return sb.toString();
    }
}
