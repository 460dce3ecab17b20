package dev.nabla.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxReaderTest {
    @TempDir
    Path dir;

    private static byte[] images(int magic, int n, int rows, int cols, int dataBytes) {
        ByteBuffer b = ByteBuffer.allocate(16 + dataBytes);
        b.putInt(magic).putInt(n).putInt(rows).putInt(cols);
        for (int i = 0; i < dataBytes; i++) {
            b.put((byte) (i * 51)); // 0, 51, 102, 153, 204, 255, ...
        }
        return b.array();
    }

    private static byte[] labels(int magic, int... values) {
        ByteBuffer b = ByteBuffer.allocate(8 + values.length);
        b.putInt(magic).putInt(values.length);
        for (int v : values) {
            b.put((byte) v);
        }
        return b.array();
    }

    private Path write(String name, byte[] data) throws IOException {
        Path p = dir.resolve(name);
        Files.write(p, data);
        return p;
    }

    @Test
    void readsImagesAsFloatsInZeroToOneWithTheirLabels() throws IOException {
        Path img = write("img.idx", images(0x803, 3, 2, 2, 12));
        Path lab = write("lab.idx", labels(0x801, 7, 0, 9));
        TensorDataset d = IdxReader.readMnist(img, lab);
        assertThat(d.size()).isEqualTo(3);
        assertThat(d.featureCount()).isEqualTo(4);
        assertThat(d.labels()).containsExactly(7, 0, 9);
        assertThat(d.classNames()).hasSize(10);
        assertThat(d.feature(0, 0)).isEqualTo(0f);
        assertThat(d.feature(0, 1)).isEqualTo(51 / 255f);
        assertThat(d.feature(1, 1)).isEqualTo(1f); // byte 5 = 255
        assertThat(d.featureNames()).containsExactly("px0_0", "px0_1", "px1_0", "px1_1");
    }

    @Test
    void readsGzippedFiles() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(images(0x803, 1, 1, 3, 3));
        }
        Path img = write("img.idx.gz", out.toByteArray());
        Path lab = write("lab.idx", labels(0x801, 1));
        assertThat(IdxReader.readMnist(img, lab).featureCount()).isEqualTo(3);
    }

    @Test
    void checksMagicNumbersLengthsAndCounts() throws IOException {
        Path lab = write("lab.idx", labels(0x801, 1, 2));
        Path wrongMagic = write("magic.idx", images(0x801, 2, 2, 2, 8));
        assertThatThrownBy(() -> IdxReader.readMnist(wrongMagic, lab)).isInstanceOf(DataFormatException.class)
                .hasMessageEndingWith("magic.idx: bad magic number 0x00000801, expected 0x00000803 "
                        + "(unsigned-byte images [N, rows, cols])");
        Path truncated = write("trunc.idx", images(0x803, 2, 2, 2, 7));
        assertThatThrownBy(() -> IdxReader.readMnist(truncated, lab))
                .hasMessageEndingWith("trunc.idx: truncated: the header promises 8 data bytes but the file has 7");
        Path trailing = write("trail.idx", images(0x803, 2, 2, 2, 9));
        assertThatThrownBy(() -> IdxReader.readMnist(trailing, lab))
                .hasMessageEndingWith("trail.idx: trailing data: the header promises 8 data bytes but the file has 9");
        Path shortFile = write("short.idx", new byte[] {0, 0, 8});
        assertThatThrownBy(() -> IdxReader.readMnist(shortFile, lab))
                .hasMessageEndingWith("short.idx: truncated: 3 bytes, shorter than the 16-byte IDX header");
        Path three = write("three.idx", images(0x803, 3, 1, 1, 3));
        assertThatThrownBy(() -> IdxReader.readMnist(three, lab))
                .hasMessageContaining("lab.idx: has 2 labels but").hasMessageEndingWith("three.idx has 3 images");
        Path labelsAsImages = write("l2.idx", labels(0x803, 1, 2));
        Path img = write("ok.idx", images(0x803, 2, 1, 1, 2));
        assertThatThrownBy(() -> IdxReader.readMnist(img, labelsAsImages))
                .hasMessageContaining("l2.idx: bad magic number 0x00000803, expected 0x00000801");
    }
}
