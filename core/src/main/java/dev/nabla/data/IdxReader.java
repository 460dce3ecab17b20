package dev.nabla.data;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * Reads MNIST-style IDX files (LeCun's format: big-endian magic {@code 0x00000803} for unsigned-byte
 * images {@code [N, rows, cols]}, {@code 0x00000801} for unsigned-byte labels {@code [N]}), plain
 * or {@code .gz}. Pixels become floats in {@code [0, 1]}. The header is checked against the file
 * before the data is read: wrong magic, counts that disagree, or a length that does not match the
 * header is a {@link DataFormatException} naming the file.
 */
public final class IdxReader {
    /** Magic number of an unsigned-byte, 3-dimensional IDX file (images). */
    public static final int IMAGES_MAGIC = 0x00000803;
    /** Magic number of an unsigned-byte, 1-dimensional IDX file (labels). */
    public static final int LABELS_MAGIC = 0x00000801;

    private IdxReader() {
    }

    /** Images and labels as a classification data set with classes {@code 0..max label}, named "0", "1", ... */
    public static TensorDataset readMnist(Path images, Path labels) {
        byte[] img = bytes(images);
        byte[] lab = bytes(labels);
        String is = images.toString();
        String ls = labels.toString();
        int[] dims = header(is, img, IMAGES_MAGIC, 3);
        int[] ldims = header(ls, lab, LABELS_MAGIC, 1);
        if (dims[0] != ldims[0]) {
            throw new DataFormatException(ls, "has " + ldims[0] + " labels but " + is + " has " + dims[0] + " images");
        }
        int n = dims[0];
        int pixels = Math.multiplyExact(dims[1], dims[2]);
        float[] x = new float[Math.multiplyExact(n, pixels)];
        for (int i = 0; i < x.length; i++) {
            x[i] = (img[16 + i] & 0xFF) / 255f;
        }
        int[] y = new int[n];
        int max = 0;
        for (int i = 0; i < n; i++) {
            y[i] = lab[8 + i] & 0xFF;
            max = Math.max(max, y[i]);
        }
        List<String> classes = new ArrayList<>();
        for (int c = 0; c <= Math.max(max, 1); c++) {
            classes.add(Integer.toString(c));
        }
        List<String> names = new ArrayList<>();
        for (int r = 0; r < dims[1]; r++) {
            for (int c = 0; c < dims[2]; c++) {
                names.add("px" + r + "_" + c);
            }
        }
        String name = images.getFileName() == null ? is : images.getFileName().toString();
        return TensorDataset.classification(name, x, pixels, y, classes, names);
    }

    /**
     * Checks an IDX header: magic, dimension sizes, and that the data after the header is exactly
     * their product in bytes.
     *
     * @return the dimension sizes
     */
    static int[] header(String source, byte[] data, int magic, int rank) {
        int headerBytes = 4 + 4 * rank;
        if (data.length < headerBytes) {
            throw new DataFormatException(source, "truncated: " + data.length + " bytes, shorter than the "
                    + headerBytes + "-byte IDX header");
        }
        ByteBuffer b = ByteBuffer.wrap(data); // big-endian, as IDX is
        int found = b.getInt();
        if (found != magic) {
            throw new DataFormatException(source, String.format("bad magic number 0x%08X, expected 0x%08X (%s)", found,
                    magic, magic == IMAGES_MAGIC ? "unsigned-byte images [N, rows, cols]" : "unsigned-byte labels [N]"));
        }
        int[] dims = new int[rank];
        long expected = 1;
        for (int i = 0; i < rank; i++) {
            dims[i] = b.getInt();
            if (dims[i] < 0) {
                throw new DataFormatException(source, "dimension " + i + " is negative (" + dims[i] + ")");
            }
            expected *= dims[i];
        }
        long actual = data.length - headerBytes;
        if (actual != expected) {
            throw new DataFormatException(source, (actual < expected ? "truncated" : "trailing data") + ": the header "
                    + "promises " + expected + " data bytes but the file has " + actual);
        }
        return dims;
    }

    private static byte[] bytes(Path file) {
        String source = file.toString();
        try (InputStream raw = Files.newInputStream(file);
             InputStream in = source.endsWith(".gz") ? new GZIPInputStream(raw) : raw) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            in.transferTo(out);
            return out.toByteArray();
        } catch (NoSuchFileException e) {
            throw new UncheckedIOException(source + ": no such file", e);
        } catch (java.util.zip.ZipException | java.io.EOFException e) {
            throw new DataFormatException(source, "not a valid gzip file (" + e.getMessage() + ")");
        } catch (IOException e) {
            throw new UncheckedIOException(source + ": cannot read: " + e.getMessage(), e);
        }
    }
}
