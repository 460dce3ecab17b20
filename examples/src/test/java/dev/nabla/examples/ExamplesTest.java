package dev.nabla.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Runs every example with small sizes and checks what it claims. */
class ExamplesTest {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

    private String printed() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void gradientDescentDrivesTheCostDownStepByStep() {
        GradientDescent.Result r = GradientDescent.run(out, 40);
        assertThat(r.costs()).hasSize(40);
        for (int i = 1; i < r.costs().size(); i++) {
            assertThat(r.costs().get(i)).as("cost at step %d", i + 1).isLessThan(r.costs().get(i - 1));
        }
        assertThat(r.costs().get(39)).isLessThan(r.costs().get(0) / 50);
        assertThat(r.w()).isBetween(2.5, 3.5);
        assertThat(r.b()).isBetween(-2.5, -1.5);
        assertThat(printed()).contains("step   cost").contains("fitted y = ");
    }

    @Test
    void numericalAndBackpropGradientsAgreeAndBackpropIsFaster() {
        NumericalVsBackprop.Result r = NumericalVsBackprop.run(out, 8);
        assertThat(r.weights()).isEqualTo(10 * 8 + 8 + 8 * 3 + 3);
        assertThat(r.maxRelativeError()).isLessThan(1e-7);
        assertThat(r.numericalNanos()).isGreaterThan(r.backpropNanos());
        assertThat(printed()).contains("0.weight").contains("2.bias").contains("numerical:").contains("backprop:");
    }

    @Test
    void digitsTechniquesPrintsATestAccuracyForEveryTechniqueAndResumesExactly() {
        DigitsTechniques.Result r = DigitsTechniques.run(out, 3);
        assertThat(r.rows()).extracting(DigitsTechniques.Row::technique).containsExactly("sgd", "momentum", "adagrad",
                "adam", "adam + weight decay 1e-4", "adam + dropout 0.2", "adam + max-norm 1.5",
                "adam + per-layer lr, cosine", "adam + augmentation (noise)", "adam + batch norm",
                "adam + early stopping", "ensemble of 5 × (adam + dropout)");
        assertThat(r.rows()).allSatisfy(row -> assertThat(row.testAccuracy()).as(row.toString()).isGreaterThan(0.85));
        assertThat(r.resumedExactly()).isTrue();
        assertThat(printed().lines().filter(l -> l.matches("(sgd|momentum|adagrad|adam|ensemble) .*\\d s"))).hasSize(12);
        assertThat(printed()).contains("bit for bit: true");
    }

    @Test
    void handWrittenBackpropMatchesAutogradAndTrains() {
        IrisBackprop.Result r = IrisBackprop.run(out, 60);
        assertThat(r.maxRelativeError()).isLessThan(1e-5);
        assertThat(r.lastLoss()).isLessThan(r.firstLoss() / 2);
        assertThat(r.testAccuracy()).isGreaterThan(0.85);
        assertThat(printed()).contains("0.weight").contains("test accuracy");
    }

    @Test
    void mainsRunWithArguments() {
        PrintStream saved = System.out;
        System.setOut(out);
        try {
            GradientDescent.main(new String[] {"3"});
            NumericalVsBackprop.main(new String[] {"2"});
            IrisBackprop.main(new String[] {"2"});
            DigitsTechniques.main(new String[] {"2"});
        } finally {
            System.setOut(saved);
        }
        assertThat(printed()).contains("fitted y").contains("backprop:").contains("test accuracy").contains("adam");
    }
}
