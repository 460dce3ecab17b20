package dev.nabla;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Device selection follows the policy and never falls back silently. */
class DeviceSelectionTest {

    @Test
    void autoChoosesAnAvailableDeviceAndExplainsWhatItSkipped() {
        Device.Selection s = Device.select("auto");
        assertThat(s.device().report().available()).isTrue();
        for (String skipped : s.skipped()) {
            assertThat(skipped).contains("unavailable (");
        }
        List<dev.nabla.backend.BackendReport> reports = Nabla.backends();
        assertThat(reports).extracting(dev.nabla.backend.BackendReport::backend).contains("cpu");
    }

    @Test
    void namedDevicesAreSharedForTheJvmsLife() {
        assertThat(Device.of("cpu")).isSameAs(Device.cpu()).isSameAs(Device.of("CPU:0"));
        assertThat(Device.cpu().name()).isEqualTo("cpu");
    }

    @Test
    void policyComesFromThePropertyThenTheEnvironment() {
        String old = System.getProperty("nabla.backend");
        try {
            System.setProperty("nabla.backend", "CPU");
            assertThat(Device.policy()).isEqualTo("cpu");
            assertThat(Device.auto()).isSameAs(Device.cpu());
        } finally {
            if (old == null) {
                System.clearProperty("nabla.backend");
            } else {
                System.setProperty("nabla.backend", old);
            }
        }
    }
}
