package dev.nabla.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class MlpSpecTest {

    @Test
    void printsAndParsesTheArchitectureString() {
        MlpSpec s = MlpSpec.of(64, new int[] {128, 32}, 10, "relu", 0);
        assertThat(s.toString()).isEqualTo("mlp:64-128-32-10,relu");
        assertThat(MlpSpec.parse("mlp:64-128-32-10,relu")).isEqualTo(s);
        MlpSpec d = MlpSpec.parse(" mlp:4-16-3,TANH,dropout=0.25 ");
        assertThat(d.inputs()).isEqualTo(4);
        assertThat(d.hidden()).containsExactly(16);
        assertThat(d.outputs()).isEqualTo(3);
        assertThat(d.activation()).isEqualTo("tanh");
        assertThat(d.dropout()).isEqualTo(0.25);
        assertThat(MlpSpec.parse(d.toString())).isEqualTo(d);
        assertThat(MlpSpec.parse("mlp:2-3,sigmoid").hidden()).isEmpty();
    }

    @Test
    void rejectsMalformedArchitecturesNamingTheText() {
        assertThatThrownBy(() -> MlpSpec.parse("cnn:1-2,relu")).hasMessageContaining("'cnn:1-2,relu': only 'mlp:");
        assertThatThrownBy(() -> MlpSpec.parse("mlp:64-x-10,relu")).hasMessageContaining("sizes must be integers");
        assertThatThrownBy(() -> MlpSpec.parse("mlp:64-10,gelu")).hasMessageContaining("unknown activation 'gelu'");
        assertThatThrownBy(() -> MlpSpec.parse("mlp:64,relu")).hasMessageContaining("at least an input and an output");
        assertThatThrownBy(() -> MlpSpec.parse("mlp:64-0-10,relu")).hasMessageContaining("must be positive");
        assertThatThrownBy(() -> MlpSpec.parse("mlp:64-10,relu,dropout=1")).hasMessageContaining("dropout must be in [0, 1)");
        assertThatThrownBy(() -> MlpSpec.parse("mlp:64-10,relu,bn")).hasMessageContaining("unknown option 'bn'");
        assertThatThrownBy(() -> MlpSpec.parse("mlp:64-10")).hasMessageContaining("expected 'mlp:<sizes>,<activation>'");
    }
}
