package dev.nabla.opencl;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nabla.Device;
import dev.nabla.autograd.OpGradChecks;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every differentiable op of core, forward and backward, on OpenCL: the Tensor/autograd layer over
 * the shared kernels. With fp64 (POCL has it) each op is a float64 central-difference check.
 */
class OpenClOpGradTest {
    @TestFactory
    Stream<DynamicTest> everyOpPassesItsGradientCheck() {
        return OpGradChecks.cases().stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> {
            Device device = Device.wrap(OpenClTestSupport.backend());
            OpGradChecks.Outcome o = OpGradChecks.run(c, device);
            assertThat(o.passed()).as(c.name() + " (" + o.method() + "): max rel error " + o.maxRelError()).isTrue();
        }));
    }
}
