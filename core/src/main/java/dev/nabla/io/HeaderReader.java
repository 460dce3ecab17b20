package dev.nabla.io;

import dev.nabla.DType;
import dev.nabla.Shape;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads and validates a safetensors header before any tensor data is touched: the length against
 * the file size and the cap, strict UTF-8 and JSON, every tensor's dtype, shape and offsets, and
 * that the tensors tile the data section exactly. Every problem names the file and the tensor.
 */
final class HeaderReader {
    private static final List<String> FIELDS = List.of("dtype", "shape", "data_offsets");
    private static final List<String> OTHER_DTYPES = List.of("BOOL", "U8", "I8", "F8_E4M3", "F8_E5M2", "I16", "U16",
            "F16", "BF16", "U32", "I64", "U64");

    private HeaderReader() {
    }

    static Safetensors.Header read(String src, FileChannel ch) throws IOException {
        long size = ch.size();
        if (size < 8) {
            throw new SafetensorsException(src + ": the file has " + size
                    + " bytes, too short for the 8-byte header length; it is truncated or not safetensors");
        }
        ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        Safetensors.readFully(ch, len, 0, src, null);
        long n = len.flip().getLong();
        if (n < 0 || n > size - 8) {
            throw new SafetensorsException(src + ": header length " + Long.toUnsignedString(n)
                    + " is beyond the end of the file (" + (size - 8) + " bytes follow the length field); "
                    + "the file is truncated or not safetensors");
        }
        if (n > Safetensors.MAX_HEADER_BYTES) {
            throw new SafetensorsException(src + ": header length " + n + " exceeds the limit of " + Safetensors.MAX_HEADER_BYTES
                    + " bytes");
        }
        if (n < 2) {
            throw new SafetensorsException(src + ": header length " + n + " is too small for a JSON object");
        }
        ByteBuffer hb = ByteBuffer.allocate((int) n);
        Safetensors.readFully(ch, hb, 8, src, null);
        hb.flip();
        String json;
        try {
            json = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(hb).toString();
        } catch (CharacterCodingException e) {
            throw new SafetensorsException(src + ": the header is not valid UTF-8", e);
        }
        Object parsed;
        try {
            parsed = Json.parse(json);
        } catch (IllegalArgumentException e) {
            throw new SafetensorsException(src + ": the header is not valid JSON: " + e.getMessage(), e);
        }
        if (!(parsed instanceof Map<?, ?> top)) {
            throw new SafetensorsException(src + ": the header must be a JSON object");
        }
        long dataLength = size - 8 - n;
        Map<String, String> metadata = new LinkedHashMap<>();
        List<Safetensors.Entry> entries = new ArrayList<>();
        for (Map.Entry<?, ?> kv : top.entrySet()) {
            String name = (String) kv.getKey();
            if (name.equals(Safetensors.METADATA_KEY)) {
                metadata = metadata(src, kv.getValue());
            } else {
                entries.add(entry(src, name, kv.getValue(), dataLength));
            }
        }
        entries.sort(Comparator.comparingLong(Safetensors.Entry::begin).thenComparingLong(Safetensors.Entry::end));
        long expected = 0;
        String previous = null;
        for (Safetensors.Entry e : entries) {
            if (e.begin() < expected) {
                throw new SafetensorsException(src + ": tensor '" + e.name() + "': data_offsets [" + e.begin() + ", "
                        + e.end() + "] overlap tensor '" + previous + "', which ends at " + expected);
            }
            if (e.begin() > expected) {
                throw new SafetensorsException(src + ": tensor '" + e.name() + "': data_offsets begin at " + e.begin()
                        + ", leaving a gap of " + (e.begin() - expected) + " bytes "
                        + (previous == null ? "at the start of the data section" : "after tensor '" + previous + "'"));
            }
            expected = e.end();
            previous = e.name();
        }
        if (expected != dataLength) {
            throw new SafetensorsException(src + ": the data section has " + dataLength + " bytes but the tensors cover "
                    + expected + "; " + (dataLength - expected) + " bytes after "
                    + (previous == null ? "the header" : "tensor '" + previous + "'") + " are not described");
        }
        return new Safetensors.Header(List.copyOf(entries), java.util.Collections.unmodifiableMap(metadata), 8 + n);
    }

    private static Map<String, String> metadata(String src, Object value) {
        if (!(value instanceof Map<?, ?> m)) {
            throw new SafetensorsException(src + ": " + Safetensors.METADATA_KEY + " must be an object of strings");
        }
        LinkedHashMap<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : m.entrySet()) {
            if (!(e.getValue() instanceof String s)) {
                throw new SafetensorsException(src + ": " + Safetensors.METADATA_KEY + ": the value of '" + e.getKey()
                        + "' must be a string");
            }
            out.put((String) e.getKey(), s);
        }
        return out;
    }

    private static Safetensors.Entry entry(String src, String name, Object value, long dataLength) {
        String where = src + ": tensor '" + name + "': ";
        if (name.isEmpty()) {
            throw new SafetensorsException(src + ": a tensor has an empty name");
        }
        if (!(value instanceof Map<?, ?> info)) {
            throw new SafetensorsException(where + "its description must be an object with dtype, shape, data_offsets");
        }
        for (Object k : info.keySet()) {
            if (!FIELDS.contains(k)) {
                throw new SafetensorsException(where + "unknown field '" + k + "' (expected dtype, shape, data_offsets)");
            }
        }
        for (String f : FIELDS) {
            if (!info.containsKey(f)) {
                throw new SafetensorsException(where + "field '" + f + "' is missing");
            }
        }
        DType dtype = dtype(where, info.get("dtype"));
        Shape shape = shape(where, info.get("shape"));
        if (!(info.get("data_offsets") instanceof List<?> off) || off.size() != 2
                || !(off.get(0) instanceof Long begin) || !(off.get(1) instanceof Long end)) {
            throw new SafetensorsException(where + "data_offsets must be [begin, end], two integers");
        }
        if (begin < 0 || end < begin) {
            throw new SafetensorsException(where + "data_offsets [" + begin + ", " + end
                    + "] must satisfy 0 <= begin <= end");
        }
        if (end > dataLength) {
            throw new SafetensorsException(where + "data_offsets [" + begin + ", " + end
                    + "] reach beyond the data section, which has " + dataLength + " bytes (is the file truncated?)");
        }
        long bytes;
        try {
            bytes = Math.multiplyExact(shape.numel(), (long) dtype.byteSize());
        } catch (ArithmeticException e) {
            throw new SafetensorsException(where + "shape " + shape + " is too large");
        }
        if (bytes != end - begin) {
            throw new SafetensorsException(where + "data_offsets [" + begin + ", " + end + "] span " + (end - begin)
                    + " bytes but shape " + shape + " " + Safetensors.code(dtype) + " needs " + bytes);
        }
        if (bytes > Integer.MAX_VALUE - 8) {
            throw new SafetensorsException(where + "shape " + shape + " " + Safetensors.code(dtype) + " holds " + bytes
                    + " bytes; Nabla reads tensors of up to 2 GB");
        }
        return new Safetensors.Entry(name, dtype, shape, begin, end);
    }

    private static DType dtype(String where, Object v) {
        if (!(v instanceof String s)) {
            throw new SafetensorsException(where + "dtype must be a string");
        }
        switch (s) {
            case "F32":
                return DType.FLOAT32;
            case "F64":
                return DType.FLOAT64;
            case "I32":
                return DType.INT32;
            default:
                if (OTHER_DTYPES.contains(s)) {
                    throw new SafetensorsException(where + "dtype " + s + " is not supported (Nabla reads F32, F64, I32)");
                }
                throw new SafetensorsException(where + "unknown dtype '" + s + "'");
        }
    }

    private static Shape shape(String where, Object v) {
        if (!(v instanceof List<?> list)) {
            throw new SafetensorsException(where + "shape must be an array of sizes");
        }
        int[] dims = new int[list.size()];
        long numel = 1;
        for (int i = 0; i < dims.length; i++) {
            if (!(list.get(i) instanceof Long d) || d < 0 || d > Integer.MAX_VALUE) {
                throw new SafetensorsException(where + "shape " + list + ": sizes must be integers in [0, 2^31-1]");
            }
            dims[i] = (int) (long) d;
            if (numel > 0 && dims[i] > Long.MAX_VALUE / numel) {
                throw new SafetensorsException(where + "shape " + list + " is too large");
            }
            numel *= dims[i];
        }
        return Shape.of(dims);
    }
}
