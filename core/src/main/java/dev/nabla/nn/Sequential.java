package dev.nabla.nn;

import dev.nabla.Tensor;
import java.util.ArrayList;
import java.util.List;

/** Modules applied one after another; child {@code i} is named {@code "i"} ({@code 0.weight}, ...). */
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
        for (Module m : layers) {
            h = m.forward(h);
        }
        return h;
    }
}
