package dev.nabla.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nabla.DType;
import dev.nabla.Device;
import dev.nabla.Tensor;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafetensorsTest {
    private static final Device CPU = Device.reference();

    @TempDir
    Path dir;

    /** The 8-byte little-endian length, the header, then the data. */
    private static byte[] file(String header, String dataHex) {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        byte[] d = HexFormat.of().parseHex(dataHex);
        ByteBuffer b = ByteBuffer.allocate(8 + h.length + d.length).order(ByteOrder.LITTLE_ENDIAN);
        return b.putLong(h.length).put(h).put(d).array();
    }

    private Path write(String name, byte[] bytes) throws IOException {
        Path p = dir.resolve(name);
        Files.write(p, bytes);
        return p;
    }

    @Test
    void readsAHandBuiltFileOfKnownBytes() throws IOException {
        String header = "{\"__metadata__\":{\"arch\":\"x\"},"
                + "\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                + "\"b\":{\"dtype\":\"I32\",\"shape\":[1,1],\"data_offsets\":[8,12]},"
                + "\"c\":{\"dtype\":\"F64\",\"shape\":[],\"data_offsets\":[12,20]}}";
        Path p = write("known.safetensors", file(header, "0000803f000020c0" + "07000000" + "000000000000e03f"));
        try (Safetensors.Contents c = Safetensors.load(p, CPU)) {
            assertThat(c.metadata()).containsExactly(Map.entry("arch", "x"));
            assertThat(c.tensors().keySet()).containsExactly("a", "b", "c");
            assertThat(c.tensors().get("a").toFloatArray()).containsExactly(1.0f, -2.5f);
            assertThat(c.tensors().get("b").dtype()).isEqualTo(DType.INT32);
            assertThat(c.tensors().get("b").dims()).containsExactly(1, 1);
            assertThat(c.tensors().get("b").toIntArray()).containsExactly(7);
            assertThat(c.tensors().get("c").rank()).isZero();
            assertThat(c.tensors().get("c").item()).isEqualTo(0.5);
        }
    }

    @Test
    void writesExactlyTheBytesOfTheFormat() throws IOException {
        Path p = dir.resolve("w.safetensors");
        try (Tensor w = Tensor.of(CPU, new float[] {1.0f, -2.5f})) {
            Safetensors.save(p, Map.of("w", w), Map.of("k", "v"));
        }
        // 79 bytes of JSON padded with one space to 80, so the data starts 8-byte aligned
        byte[] expected = file("{\"__metadata__\":{\"k\":\"v\"},\"w\":{\"dtype\":\"F32\",\"shape\":[2],"
                + "\"data_offsets\":[0,8]}} ", "0000803f000020c0");
        assertThat(Files.readAllBytes(p)).containsExactly(expected);
        try (var stream = Files.list(dir)) {
            assertThat(stream.map(f -> f.getFileName().toString())).containsExactly("w.safetensors"); // no temp file left
        }
    }

    @Test
    void roundTripsEveryDtypeShapeAndMetadataInOrder() {
        Path p = dir.resolve("rt.safetensors");
        LinkedHashMap<String, Tensor> tensors = new LinkedHashMap<>();
        tensors.put("z.last", Tensor.of(CPU, new float[] {1, 2, 3, 4, 5, 6}, 2, 3));
        tensors.put("a.first", Tensor.of(CPU, new double[] {Math.PI, -0.0, Double.MIN_VALUE}));
        tensors.put("labels", Tensor.of(CPU, new int[] {Integer.MIN_VALUE, 0, Integer.MAX_VALUE}));
        tensors.put("scalar", Tensor.scalar(CPU, 2.5));
        tensors.put("empty", Tensor.zeros(CPU, 0, 4));
        tensors.put("view", tensors.get("z.last").transpose()); // non-contiguous views are written in logical order
        LinkedHashMap<String, String> meta = new LinkedHashMap<>();
        meta.put("zeta", "1");
        meta.put("alpha", "ünïcödé \"quoted\"\n");
        Safetensors.save(p, tensors, meta);
        Safetensors.Header h = Safetensors.readHeader(p);
        assertThat(h.entries()).extracting(Safetensors.Entry::name)
                .containsExactly("z.last", "a.first", "labels", "scalar", "empty", "view");
        assertThat(h.dataStart() % 8).isZero();
        assertThat(h.metadata().keySet()).containsExactly("zeta", "alpha");
        try (Safetensors.Contents c = Safetensors.load(p, CPU)) {
            assertThat(c.metadata()).isEqualTo(meta);
            for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
                Tensor back = c.tensors().get(e.getKey());
                assertThat(back.shape()).as(e.getKey()).isEqualTo(e.getValue().shape());
                assertThat(back.dtype()).isEqualTo(e.getValue().dtype());
                assertThat(back.toDoubleArray()).as(e.getKey()).containsExactly(e.getValue().toDoubleArray());
            }
            assertThat(c.tensors().get("view").toFloatArray()).containsExactly(1, 4, 2, 5, 3, 6);
        }
        tensors.values().forEach(Tensor::close);
    }

    private void assertRejected(String name, byte[] bytes, String message) throws IOException {
        Path p = write(name, bytes);
        assertThatThrownBy(() -> Safetensors.load(p, CPU)).as(message).isInstanceOf(SafetensorsException.class)
                .hasMessage(p + ": " + message);
    }

    private static final String A = "\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}";
    private static final String EIGHT = "0000803f000020c0";

    @Test
    void rejectsTruncatedAndCorruptFilesNamingFileTensorAndProblem() throws IOException {
        assertRejected("tiny.safetensors", new byte[] {1, 0, 0},
                "the file has 3 bytes, too short for the 8-byte header length; it is truncated or not safetensors");
        byte[] good = file("{" + A + "}", EIGHT);
        byte[] cut = java.util.Arrays.copyOf(good, 40);
        assertRejected("cut.safetensors", cut, "header length 54 is beyond the end of the file (32 bytes follow the "
                + "length field); the file is truncated or not safetensors");
        byte[] huge = good.clone();
        huge[7] = (byte) 0x80; // length >= 2^63: negative as a Java long
        assertRejected("huge.safetensors", huge,
                "header length 9223372036854775862 is beyond the end of the file (62 bytes follow the length field); "
                        + "the file is truncated or not safetensors");
        byte[] dataCut = java.util.Arrays.copyOf(good, good.length - 3);
        assertRejected("datacut.safetensors", dataCut, "tensor 'a': data_offsets [0, 8] reach beyond the data section, "
                + "which has 5 bytes (is the file truncated?)");
        assertRejected("json.safetensors", file("{\"a\": {\"dtype\": \"F32\",}}", ""),
                "the header is not valid JSON: at offset 22: expected a string key");
        assertRejected("array.safetensors", file("[1, 2]", ""), "the header must be a JSON object");
        assertRejected("utf8.safetensors", file("{\"\u00e9\":1}", "").clone(), "tensor 'é': its description must be an "
                + "object with dtype, shape, data_offsets");
        byte[] badUtf8 = file("{\"x\":1}", "");
        badUtf8[10] = (byte) 0xC3;
        assertRejected("badutf8.safetensors", badUtf8, "the header is not valid UTF-8");
    }

    @Test
    void rejectsInconsistentTensorDescriptions() throws IOException {
        assertRejected("range.safetensors", file("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,16]}}", EIGHT),
                "tensor 'a': data_offsets [0, 16] reach beyond the data section, which has 8 bytes (is the file truncated?)");
        assertRejected("span.safetensors", file("{\"a\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}", EIGHT),
                "tensor 'a': data_offsets [0, 8] span 8 bytes but shape [3] F32 needs 12");
        assertRejected("dtype.safetensors", file("{\"a\":{\"dtype\":\"F16\",\"shape\":[4],\"data_offsets\":[0,8]}}", EIGHT),
                "tensor 'a': dtype F16 is not supported (Nabla reads F32, F64, I32)");
        assertRejected("unknown.safetensors", file("{\"a\":{\"dtype\":\"Q4\",\"shape\":[4],\"data_offsets\":[0,8]}}", EIGHT),
                "tensor 'a': unknown dtype 'Q4'");
        assertRejected("overlap.safetensors", file("{" + A + ",\"b\":{\"dtype\":\"I32\",\"shape\":[1],\"data_offsets\":[4,8]}}",
                EIGHT), "tensor 'b': data_offsets [4, 8] overlap tensor 'a', which ends at 8");
        assertRejected("gap.safetensors", file("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", EIGHT),
                "tensor 'a': data_offsets begin at 4, leaving a gap of 4 bytes at the start of the data section");
        assertRejected("gap2.safetensors", file("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[6,6]}}", EIGHT),
                "tensor 'b': data_offsets begin at 6, leaving a gap of 2 bytes after tensor 'a'");
        assertRejected("trailing.safetensors", file("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", EIGHT),
                "the data section has 8 bytes but the tensors cover 4; 4 bytes after tensor 'a' are not described");
        assertRejected("order.safetensors", file("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[8,4]}}", EIGHT),
                "tensor 'a': data_offsets [8, 4] must satisfy 0 <= begin <= end");
        assertRejected("offsets.safetensors", file("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0]}}", EIGHT),
                "tensor 'a': data_offsets must be [begin, end], two integers");
        assertRejected("shape.safetensors", file("{\"a\":{\"dtype\":\"F32\",\"shape\":[-2],\"data_offsets\":[0,8]}}", EIGHT),
                "tensor 'a': shape [-2]: sizes must be integers in [0, 2^31-1]");
        assertRejected("field.safetensors", file("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8],\"x\":1}}",
                EIGHT), "tensor 'a': unknown field 'x' (expected dtype, shape, data_offsets)");
        assertRejected("missing.safetensors", file("{\"a\":{\"dtype\":\"F32\",\"data_offsets\":[0,8]}}", EIGHT),
                "tensor 'a': field 'shape' is missing");
        assertRejected("meta.safetensors", file("{\"__metadata__\":{\"n\":1}," + A + "}", EIGHT),
                "__metadata__: the value of 'n' must be a string");
    }

    @Test
    void aCheckIsMadeBeforeAnyLargeAllocation() throws IOException {
        // a header that claims a 2^31-element tensor in a tiny file fails on the header, not with OutOfMemoryError
        assertRejected("claim.safetensors", file("{\"a\":{\"dtype\":\"F32\",\"shape\":[1073741824, 2],"
                + "\"data_offsets\":[0,8589934592]}}", EIGHT), "tensor 'a': data_offsets [0, 8589934592] reach beyond the "
                + "data section, which has 8 bytes (is the file truncated?)");
        ByteArrayOutputStream big = new ByteArrayOutputStream();
        ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(Safetensors.MAX_HEADER_BYTES + 1);
        big.write(len.array());
        Path p = dir.resolve("bighead.safetensors");
        Files.write(p, big.toByteArray());
        try (var ch = java.nio.channels.FileChannel.open(p, java.nio.file.StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(new byte[] {0}), Safetensors.MAX_HEADER_BYTES + 8); // sparse file, 100 MB + 9 bytes
        }
        assertThatThrownBy(() -> Safetensors.readHeader(p))
                .hasMessage(p + ": header length 104857601 exceeds the limit of 104857600 bytes");
    }

    @Test
    void reservedNamesCannotBeWritten() {
        try (Tensor t = Tensor.zeros(CPU, 1)) {
            assertThatThrownBy(() -> Safetensors.save(dir.resolve("x"), Map.of("__metadata__", t), Map.of()))
                    .hasMessageContaining("tensor name '__metadata__' is reserved or empty");
        }
        assertThat(List.of(DType.values())).extracting(Safetensors::code).containsExactly("F32", "F64", "I32");
    }
}
