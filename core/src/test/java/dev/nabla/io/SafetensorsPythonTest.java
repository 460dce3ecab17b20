package dev.nabla.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.nabla.Device;
import dev.nabla.Tensor;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Cross-checks the format with an independent reader and writer: Python's json and numpy, which
 * know nothing of Nabla. Skipped (with the reason) where python3 with numpy is not installed.
 */
class SafetensorsPythonTest {
    private static final Device CPU = Device.reference();

    @TempDir
    Path dir;

    @BeforeAll
    static void needsPythonWithNumpy() {
        assumeTrue(run("import numpy").exit == 0, "python3 with numpy is not installed");
    }

    private record Result(int exit, String output) {
    }

    private static Result run(String script, String... args) {
        try {
            List<String> cmd = new java.util.ArrayList<>(List.of("python3", "-c", script));
            cmd.addAll(List.of(args));
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return new Result(-1, "timed out");
            }
            return new Result(p.exitValue(), out.strip());
        } catch (IOException e) {
            return new Result(-1, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(-1, e.toString());
        }
    }

    private static final String READ = String.join("\n",
            "import json, struct, sys, numpy as np",
            "b = open(sys.argv[1], 'rb').read()",
            "n = struct.unpack('<Q', b[:8])[0]",
            "h = json.loads(b[8:8 + n].decode('utf-8'))",
            "data = b[8 + n:]",
            "dt = {'F32': '<f4', 'F64': '<f8', 'I32': '<i4'}",
            "out = {'__metadata__': h.pop('__metadata__', {})}",
            "for k, v in h.items():",
            "    s, e = v['data_offsets']",
            "    a = np.frombuffer(data[s:e], dtype=dt[v['dtype']]).reshape(v['shape'])",
            "    out[k] = [v['dtype'], list(a.shape), a.ravel().tolist()]",
            "print(json.dumps(out, sort_keys=True))");

    @Test
    void numpyReadsWhatNablaWrites() {
        Path p = dir.resolve("n.safetensors");
        LinkedHashMap<String, Tensor> t = new LinkedHashMap<>();
        t.put("0.weight", Tensor.of(CPU, new float[] {1, 2, 3, 4.5f, 5, 6}, 2, 3));
        t.put("labels", Tensor.of(CPU, new int[] {3, -1}));
        t.put("d", Tensor.of(CPU, new double[] {0.25}));
        Safetensors.save(p, t, Map.of("arch", "mlp:3-2,relu"));
        Result r = run(READ, p.toString());
        assertThat(r.exit).as(r.output).isZero();
        assertThat(r.output).isEqualTo("{\"0.weight\": [\"F32\", [2, 3], [1.0, 2.0, 3.0, 4.5, 5.0, 6.0]], "
                + "\"__metadata__\": {\"arch\": \"mlp:3-2,relu\"}, \"d\": [\"F64\", [1], [0.25]], "
                + "\"labels\": [\"I32\", [2], [3, -1]]}");
        t.values().forEach(Tensor::close);
    }

    @Test
    void nablaReadsWhatNumpyWrites() {
        Path p = dir.resolve("py.safetensors");
        String write = String.join("\n",
                "import json, struct, sys, numpy as np",
                "a = np.arange(6, dtype='<f4').reshape(3, 2) / 4",
                "b = np.array([[7, -8]], dtype='<i4')",
                // header keys deliberately not in data order, no padding
                "h = {'b': {'dtype': 'I32', 'shape': [1, 2], 'data_offsets': [24, 32]},",
                "     'a': {'dtype': 'F32', 'shape': [3, 2], 'data_offsets': [0, 24]},",
                "     '__metadata__': {'origin': 'numpy'}}",
                "hb = json.dumps(h).encode('utf-8')",
                "open(sys.argv[1], 'wb').write(struct.pack('<Q', len(hb)) + hb + a.tobytes() + b.tobytes())");
        Result r = run(write, p.toString());
        assertThat(r.exit).as(r.output).isZero();
        try (Safetensors.Contents c = Safetensors.load(p, CPU)) {
            assertThat(c.metadata()).containsExactly(Map.entry("origin", "numpy"));
            assertThat(c.tensors().keySet()).containsExactly("a", "b"); // data order
            assertThat(c.tensors().get("a").toFloatArray()).containsExactly(0, 0.25f, 0.5f, 0.75f, 1, 1.25f);
            assertThat(c.tensors().get("b").dims()).containsExactly(1, 2);
            assertThat(c.tensors().get("b").toIntArray()).containsExactly(7, -8);
        }
    }
}
