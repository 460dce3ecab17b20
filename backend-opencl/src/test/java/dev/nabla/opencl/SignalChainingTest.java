package dev.nabla.opencl;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SignalChainingTest {
    @Test
    void refusesWithoutLibjsigAndSaysHowToFixIt() {
        String maps = "7f0000000000-7f0000001000 r-xp 00000000 08:01 1 /usr/lib/jvm/x/lib/server/libjvm.so\n";
        String why = SignalChaining.refusal(maps, "/usr/lib/jvm/x");
        assertThat(why)
                .contains("signal chaining")
                .contains("LD_PRELOAD=/usr/lib/jvm/x/lib/libjsig.so")
                .contains("-Dnabla.opencl.signalChaining=off");
    }

    @Test
    void acceptsAPreloadedLibjsig() {
        String maps = "7f0000000000-7f0000001000 r-xp 00000000 08:01 1 /usr/lib/jvm/x/lib/libjsig.so\n";
        assertThat(SignalChaining.refusal(maps, "/usr/lib/jvm/x")).isNull();
    }

    @Test
    void theTestJvmRunsWithSignalChaining() {
        // mvn verify preloads the JDK's libjsig.so (root pom, profile signal-chaining); without it
        // the OpenCL tests here would be skipped instead of run on POCL.
        assertThat(SignalChaining.refusal()).isNull();
    }
}
