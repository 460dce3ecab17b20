package dev.nabla.io;

import dev.nabla.DType;
import dev.nabla.Device;
import dev.nabla.Shape;
import dev.nabla.Tensor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads and writes the safetensors format (Hugging Face), so checkpoints open in other tools:
 * <pre>
 * 8 bytes   N, the header length, unsigned little-endian
 * N bytes   UTF-8 JSON: {"__metadata__": {"key": "value", ...},
 *                        "name": {"dtype": "F32", "shape": [2, 3], "data_offsets": [begin, end]}, ...}
 * rest      the data section: each tensor's elements, little-endian, row-major, at
 *           [begin, end) relative to the start of the section
 * </pre>
 * Nabla writes tensors in the order given, back to back from offset 0, and pads the header with
 * spaces to a multiple of 8 bytes (as the reference implementation does) so the data is aligned.
 *
 * <p>Loading validates everything before reading any tensor data: the header length against the
 * file size and a 100 MB cap, strict UTF-8 and JSON, known dtypes (F32, F64, I32), that each
 * shape's byte size equals its offsets' span, that offsets lie in the data section, and that the
 * tensors cover it exactly (no overlap, no gap). Each problem is a {@link SafetensorsException}
 * naming the file, the tensor and the problem.
 */
public final class Safetensors {
    /** Largest header accepted (the reference implementation's limit). */
    public static final long MAX_HEADER_BYTES = 100L * 1024 * 1024;
    /** The header key holding string-to-string metadata. */
    public static final String METADATA_KEY = "__metadata__";


    private Safetensors() {
    }

    /**
     * One tensor as the header describes it.
     *
     * @param begin first byte in the data section
     * @param end   one past the last byte
     */
    public record Entry(String name, DType dtype, Shape shape, long begin, long end) {
    }

    /**
     * A validated header.
     *
     * @param entries     tensors in data order
     * @param metadata    the {@code __metadata__} map (empty when absent)
     * @param dataStart   file offset of the data section ({@code 8 + N})
     */
    public record Header(List<Entry> entries, Map<String, String> metadata, long dataStart) {
    }

    /**
     * The tensors of a file (in data order) and its metadata. Closing frees the tensors.
     */
    public record Contents(Map<String, Tensor> tensors, Map<String, String> metadata) implements AutoCloseable {
        @Override
        public void close() {
            tensors.values().forEach(Tensor::close);
        }
    }

    /** The safetensors name of a dtype: {@code F32}, {@code F64}, {@code I32}. */
    public static String code(DType dtype) {
        switch (dtype) {
            case FLOAT32:
                return "F32";
            case FLOAT64:
                return "F64";
            default:
                return "I32";
        }
    }

    // ------------------------------------------------------------------ writing

    /**
     * Writes {@code tensors} (in iteration order) and {@code metadata} to {@code file}, through a
     * temporary file in the same directory that replaces {@code file} only when complete.
     *
     * @throws SafetensorsException for a name that is empty or {@code __metadata__}
     * @throws UncheckedIOException if the file cannot be written
     */
    public static void save(Path file, Map<String, Tensor> tensors, Map<String, String> metadata) {
        LinkedHashMap<String, Object> header = new LinkedHashMap<>();
        if (metadata != null && !metadata.isEmpty()) {
            header.put(METADATA_KEY, new LinkedHashMap<>(metadata));
        }
        long offset = 0;
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            String name = e.getKey();
            if (name.isEmpty() || name.equals(METADATA_KEY)) {
                throw new SafetensorsException(file + ": tensor name '" + name + "' is reserved or empty");
            }
            Tensor t = e.getValue();
            long bytes = t.numel() * t.dtype().byteSize();
            LinkedHashMap<String, Object> info = new LinkedHashMap<>();
            info.put("dtype", code(t.dtype()));
            List<Object> shape = new ArrayList<>();
            for (int d : t.dims()) {
                shape.add((long) d);
            }
            info.put("shape", shape);
            info.put("data_offsets", List.of(offset, offset + bytes));
            header.put(name, info);
            offset += bytes;
        }
        byte[] json = Json.write(header).getBytes(StandardCharsets.UTF_8);
        int padded = (json.length + 7) / 8 * 8;
        ByteBuffer head = ByteBuffer.allocate(8 + padded).order(ByteOrder.LITTLE_ENDIAN);
        head.putLong(padded).put(json);
        while (head.hasRemaining()) {
            head.put((byte) ' ');
        }
        head.flip();
        Path dir = file.toAbsolutePath().getParent();
        Path tmp = null;
        try {
            tmp = Files.createTempFile(dir, "." + file.getFileName(), ".tmp");
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                writeFully(ch, head);
                for (Tensor t : tensors.values()) {
                    writeFully(ch, data(t));
                }
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            tmp = null;
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": cannot write: " + e, e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // the original error matters more
                }
            }
        }
    }

    private static ByteBuffer data(Tensor t) {
        int n = Math.toIntExact(t.numel());
        ByteBuffer b = ByteBuffer.allocate(Math.multiplyExact(n, t.dtype().byteSize())).order(ByteOrder.LITTLE_ENDIAN);
        switch (t.dtype()) {
            case FLOAT32:
                b.asFloatBuffer().put(t.toFloatArray());
                break;
            case FLOAT64:
                b.asDoubleBuffer().put(t.toDoubleArray());
                break;
            default:
                b.asIntBuffer().put(t.toIntArray());
        }
        return b;
    }

    private static void writeFully(FileChannel ch, ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            ch.write(b);
        }
    }

    // ------------------------------------------------------------------ reading

    /**
     * Reads and validates the header of {@code file} without reading tensor data.
     *
     * @throws SafetensorsException naming the file (and tensor) for any violation of the format
     * @throws UncheckedIOException if the file cannot be read
     */
    public static Header readHeader(Path file) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            return HeaderReader.read(file.toString(), ch);
        } catch (NoSuchFileException e) {
            throw new UncheckedIOException(file + ": no such file", e);
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": cannot read: " + e, e);
        }
    }

    /**
     * Reads every tensor of {@code file} onto {@code device}, after validating the whole header.
     *
     * @throws SafetensorsException naming the file (and tensor) for any violation of the format
     * @throws UncheckedIOException if the file cannot be read
     */
    public static Contents load(Path file, Device device) {
        String src = file.toString();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            Header h = HeaderReader.read(src, ch);
            LinkedHashMap<String, Tensor> tensors = new LinkedHashMap<>();
            try {
                for (Entry e : h.entries()) {
                    ByteBuffer b = ByteBuffer.allocate((int) (e.end() - e.begin())).order(ByteOrder.LITTLE_ENDIAN);
                    readFully(ch, b, h.dataStart() + e.begin(), src, e.name());
                    b.flip();
                    tensors.put(e.name(), tensor(device, e, b));
                }
            } catch (RuntimeException ex) {
                tensors.values().forEach(Tensor::close);
                throw ex;
            }
            return new Contents(tensors, h.metadata());
        } catch (NoSuchFileException e) {
            throw new UncheckedIOException(src + ": no such file", e);
        } catch (IOException e) {
            throw new UncheckedIOException(src + ": cannot read: " + e, e);
        }
    }

    private static Tensor tensor(Device device, Entry e, ByteBuffer b) {
        int[] dims = e.shape().dims();
        int n = (int) e.shape().numel();
        Tensor flat;
        switch (e.dtype()) {
            case FLOAT32: {
                float[] v = new float[n];
                b.asFloatBuffer().get(v);
                flat = Tensor.of(device, v, n);
                break;
            }
            case FLOAT64: {
                double[] v = new double[n];
                b.asDoubleBuffer().get(v);
                flat = Tensor.of(device, v, n);
                break;
            }
            default: {
                int[] v = new int[n];
                b.asIntBuffer().get(v);
                flat = Tensor.of(device, v, n);
            }
        }
        if (dims.length == 1) {
            return flat;
        }
        Tensor shaped = flat.asStrided(e.shape(), e.shape().contiguousStrides(), 0);
        flat.close();
        return shaped;
    }

    static void readFully(FileChannel ch, ByteBuffer b, long position, String src, String tensor)
            throws IOException {
        long p = position;
        while (b.hasRemaining()) {
            int r = ch.read(b, p);
            if (r < 0) {
                throw new SafetensorsException(src + ": " + (tensor == null ? "" : "tensor '" + tensor + "': ")
                        + "unexpected end of file (truncated while reading)");
            }
            p += r;
        }
    }
}
