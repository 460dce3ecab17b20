package dev.nabla.backend.contract;

import dev.nabla.Device;
import dev.nabla.Nabla;
import dev.nabla.Scope;
import dev.nabla.Tensor;
import dev.nabla.autograd.GradMode;
import dev.nabla.backend.UnaryOp;

/** Core's rules evaluated in float64 on the reference backend: what optional fast paths must equal. */
final class Reference {
    private Reference() {
    }

    /** {@code op}'s backward rule at inputs {@code x}, outputs {@code y} and output gradients {@code dy}. */
    static double[] unaryRule(UnaryOp op, double p, double[] x, double[] y, double[] dy) {
        Device ref = Device.reference();
        try (Scope s = Nabla.scope(); GradMode.Guard g = GradMode.disable()) {
            Tensor xt = Tensor.of(ref, x.clone());
            Tensor yt = Tensor.of(ref, y.clone());
            Tensor gt = Tensor.of(ref, dy.clone());
            return op.backward(gt, op.saves() == UnaryOp.Saves.INPUT ? xt : null,
                    op.saves() == UnaryOp.Saves.OUTPUT ? yt : null, p).toDoubleArray();
        }
    }
}
