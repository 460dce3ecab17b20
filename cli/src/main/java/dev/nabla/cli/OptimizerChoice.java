package dev.nabla.cli;

import dev.nabla.Tensor;
import dev.nabla.optim.AdaGrad;
import dev.nabla.optim.Adam;
import dev.nabla.optim.AdamW;
import dev.nabla.optim.Optimizer;
import dev.nabla.optim.RMSProp;
import dev.nabla.optim.SGD;
import java.util.List;
import java.util.Locale;

/** The {@code --optimizer} names, each with the learning rate used when {@code --lr} is not given. */
enum OptimizerChoice {
    SGD(0.1),
    MOMENTUM(0.05),
    NESTEROV(0.05),
    ADAGRAD(0.05),
    RMSPROP(0.001),
    ADAM(0.002),
    ADAMW(0.002);

    /** Momentum of {@code momentum} and {@code nesterov}. */
    static final double MOMENTUM_VALUE = 0.9;

    final double defaultLr;

    OptimizerChoice(double defaultLr) {
        this.defaultLr = defaultLr;
    }

    String cliName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Weight decay when {@code --weight-decay} is not given: AdamW's customary 0.01, else none. */
    double defaultWeightDecay() {
        return this == ADAMW ? 0.01 : 0;
    }

    static OptimizerChoice parse(String name) {
        for (OptimizerChoice c : values()) {
            if (c.cliName().equals(name.trim().toLowerCase(Locale.ROOT))) {
                return c;
            }
        }
        throw new IllegalArgumentException("--optimizer: unknown optimizer '" + name
                + "' (use sgd, momentum, nesterov, adagrad, rmsprop, adam or adamw)");
    }

    Optimizer create(List<Tensor> params, double lr, double weightDecay) {
        switch (this) {
            case SGD:
                return new dev.nabla.optim.SGD(params, lr, 0, 0, weightDecay, false);
            case MOMENTUM:
                return new dev.nabla.optim.SGD(params, lr, MOMENTUM_VALUE, 0, weightDecay, false);
            case NESTEROV:
                return new dev.nabla.optim.SGD(params, lr, MOMENTUM_VALUE, 0, weightDecay, true);
            case ADAGRAD:
                return new AdaGrad(params, lr, 0, weightDecay, 1e-10);
            case RMSPROP:
                return new RMSProp(params, lr, 0.99, 1e-8, weightDecay, 0, false);
            case ADAM:
                return new Adam(params, lr, 0.9, 0.999, 1e-8, weightDecay);
            default:
                return new AdamW(params, lr, 0.9, 0.999, 1e-8, weightDecay);
        }
    }
}
