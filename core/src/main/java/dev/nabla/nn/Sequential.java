package dev.nabla.nn;

import dev.nabla.Tensor;
import dev.nabla.backend.UnaryOp;
import java.util.ArrayList;
import java.util.List;

/**
 * Modules applied one after another; child {@code i} is named {@code "i"} ({@code 0.weight}, ...).
 * A {@link Linear} directly followed by a {@link ReLU}, {@link Sigmoid} or {@link Tanh} runs as
 * one fused op ({@link Linear#forward(Tensor, UnaryOp)}): same values up to rounding, one output
 * tensor instead of three.
 */
public final class Sequential extends Module {
    private final List<Module> layers = new ArrayList<>();

    public Sequential(Module... layers) {
        for (Module m : layers) {
            add(m);
        }
    }

    public Sequential(List<? extends Module> layers) {
        for (Module m : layers) {
            add(m);
        }
    }

    /** Appends a layer. */
    public Sequential add(Module layer) {
        layers.add(registerModule(Integer.toString(layers.size()), layer));
        return this;
    }

    /** Layer {@code index}. */
    public Module get(int index) {
        return layers.get(index);
    }

    /** Number of layers. */
    public int size() {
        return layers.size();
    }

    /** The layers, in order. */
    public List<Module> layers() {
        return List.copyOf(layers);
    }

    @Override
    public Tensor forward(Tensor x) {
        Tensor h = x;
        for (int i = 0; i < layers.size(); i++) {
            Module m = layers.get(i);
            UnaryOp next = i + 1 < layers.size() ? activation(layers.get(i + 1)) : null;
            if (m instanceof Linear linear && next != null) {
                h = linear.forward(h, next);
                i++;
            } else {
                h = m.forward(h);
            }
        }
        return h;
    }

    /** The fusible activation a module computes, or null. */
    private static UnaryOp activation(Module m) {
        if (m instanceof ReLU) {
            return UnaryOp.RELU;
        }
        if (m instanceof Sigmoid) {
            return UnaryOp.SIGMOID;
        }
        if (m instanceof Tanh) {
            return UnaryOp.TANH;
        }
        return null;
    }
}
