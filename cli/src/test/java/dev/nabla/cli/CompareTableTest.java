package dev.nabla.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nabla.cli.CliTest.Run;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@code nabla train --compare} on the digits with its fixed seeds: one row per technique, the best
 * at least 0.975 (scikit-learn's MLP reaches about 0.974 on this split's data), and the ensemble at
 * least as good as its best member. The whole table trains 15 models, in about 10 s on 2 idle cores.
 */
class CompareTableTest {
    private static final Pattern ROW = Pattern.compile("(?m)^(\\S.*?)\\s+(\\d\\.\\d{4})\\s+(\\d+\\.\\d) s$");

    @Test
    void theTableComparesEveryTechniqueAndTheEnsembleBeatsOrTiesItsBestMember() {
        Run r = CliTest.run("train", "--compare");
        assertThat(r.code()).as(r.err()).isZero();
        Map<String, Double> rows = new LinkedHashMap<>();
        Matcher m = ROW.matcher(r.out());
        while (m.find()) {
            rows.put(m.group(1), Double.parseDouble(m.group(2)));
        }
        assertThat(rows.keySet()).containsExactly("sgd", "momentum", "adagrad", "adam", "adam + weight decay 1e-4",
                "adam + dropout 0.2", "adam + max-norm 1.5", "adam + augmentation (noise 0.5)",
                "adam + augmentation (shift 1 pixel)", "adam + batch norm", "ensemble of 5 × (adam + dropout 0.2)");
        assertThat(rows.values().stream().mapToDouble(Double::doubleValue).max().orElseThrow()).isGreaterThanOrEqualTo(0.975);
        Matcher members = Pattern.compile("ensemble members:((?: \\d\\.\\d{4}){5}); total time (\\d+\\.\\d) s").matcher(r.out());
        assertThat(members.find()).as(r.out()).isTrue();
        List<Double> accuracies = new ArrayList<>();
        for (String a : members.group(1).trim().split(" ")) {
            accuracies.add(Double.parseDouble(a));
        }
        double ensemble = rows.get("ensemble of 5 × (adam + dropout 0.2)");
        assertThat(ensemble).isGreaterThanOrEqualTo(accuracies.stream().mapToDouble(Double::doubleValue).max().orElseThrow());
        // member 1 has the table's seed: it is the dropout row
        assertThat(accuracies.get(0)).isEqualTo(rows.get("adam + dropout 0.2"));
    }
}
