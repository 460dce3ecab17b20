package dev.nabla.cuda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Engine order, the forcing property, and the FFM engine's absence explained (this module's tests never see backend-cuda-cublas). */
class GemmEnginesTest {

    @Test
    void preferenceOrder() {
        assertThat(GemmEngines.ORDER).containsExactly("cublas-ffm", "jcublas", "own", "portable");
    }

    @Test
    void ffmProviderAbsenceSaysItNeedsJdk22() {
        assertThatThrownBy(GemmEngines::ffmProvider).isInstanceOf(GemmEngineUnavailableException.class)
                .hasMessageStartingWith("cuBLAS via FFM needs JDK 22+");
        if (Runtime.version().feature() < 22) {
            assertThatThrownBy(GemmEngines::ffmProvider).hasMessageContaining("running " + System.getProperty("java.version"));
        } else {
            assertThatThrownBy(GemmEngines::ffmProvider).hasMessageContaining("not on the class path");
        }
    }

    @Test
    void forcedEngineIsValidated() {
        String old = System.getProperty(GemmEngines.PROPERTY);
        try {
            System.clearProperty(GemmEngines.PROPERTY);
            assertThat(GemmEngines.forced()).isNull();
            System.setProperty(GemmEngines.PROPERTY, "auto");
            assertThat(GemmEngines.forced()).isNull();
            System.setProperty(GemmEngines.PROPERTY, "Own");
            assertThat(GemmEngines.forced()).isEqualTo("own");
            System.setProperty(GemmEngines.PROPERTY, "cublas");
            assertThatThrownBy(GemmEngines::forced).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("nabla.cuda.gemm=cublas is not one of auto, cublas-ffm, jcublas, own, portable");
        } finally {
            if (old == null) {
                System.clearProperty(GemmEngines.PROPERTY);
            } else {
                System.setProperty(GemmEngines.PROPERTY, old);
            }
        }
    }

    @Test
    void ownKernelTileFillsTheMultiprocessors() {
        assertThat(OwnGemm.tile(1024, 1024, 1, 132)).isEqualTo(64);
        assertThat(OwnGemm.tile(4096, 4096, 1, 132)).isEqualTo(128);
        assertThat(OwnGemm.tile(256, 256, 100, 132)).isEqualTo(128);
    }
}
