package dev.nabla.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvReaderTest {
    @TempDir
    Path dir;

    private Path csv(String name, String content) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, content);
        return p;
    }

    @Test
    void stringLabelsBecomeClassIdsInSortedOrderWithNamesKept() throws IOException {
        Path p = csv("flowers.csv", "petal,colour,sepal\n1.5,red,2\n-0.5,blue,3e-1\n\n2,green,.5\r\n4,red,+1\n");
        TensorDataset d = CsvReader.read(p, "colour");
        assertThat(d.name()).isEqualTo("flowers.csv");
        assertThat(d.size()).isEqualTo(4);
        assertThat(d.classNames()).containsExactly("blue", "green", "red");
        assertThat(d.labels()).containsExactly(2, 0, 1, 2);
        assertThat(d.featureNames()).containsExactly("petal", "sepal");
        assertThat(d.features()).containsExactly(1.5f, 2f, -0.5f, 0.3f, 2f, 0.5f, 4f, 1f);
    }

    @Test
    void numericLabelsSortNumericallyAndTheLabelColumnMayBeAnIndex() throws IOException {
        Path p = csv("n.csv", "a,b,y\n1,2,10\n3,4,2\n5,6,9\n");
        TensorDataset byIndex = CsvReader.read(p, "2");
        TensorDataset byLast = CsvReader.read(p, "-1");
        TensorDataset byDefault = CsvReader.read(p, null);
        assertThat(byIndex.classNames()).containsExactly("2", "9", "10");
        assertThat(byIndex.labels()).containsExactly(2, 0, 1);
        assertThat(byLast.labels()).containsExactly(2, 0, 1);
        assertThat(byDefault.labels()).containsExactly(2, 0, 1);
        TensorDataset first = CsvReader.read(p, "0");
        assertThat(first.featureNames()).containsExactly("b", "y");
        assertThat(first.classNames()).containsExactly("1", "3", "5");
    }

    @Test
    void quotedFieldsMayHoldCommasAndQuotes() throws IOException {
        Path p = csv("q.csv", "\"x, first\",label\n1,\"a, \"\"b\"\"\"\n2, \"c\" \n");
        TensorDataset d = CsvReader.read(p, "label");
        assertThat(d.featureNames()).containsExactly("x, first");
        assertThat(d.classNames()).containsExactly("a, \"b\"", "c");
    }

    @Test
    void readsGzipAndSkipsAByteOrderMark() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
            gz.write("\uFEFFf,y\n1,a\n2,b\n".getBytes(StandardCharsets.UTF_8));
        }
        Path p = dir.resolve("z.csv.gz");
        Files.write(p, bytes.toByteArray());
        TensorDataset d = CsvReader.read(p, "y");
        assertThat(d.featureNames()).containsExactly("f");
        assertThat(d.size()).isEqualTo(2);
    }

    @Test
    void eachProblemNamesFileLineAndWhatIsWrong() throws IOException {
        assertThatThrownBy(() -> CsvReader.read(csv("empty.csv", ""), "y"))
                .isInstanceOf(DataFormatException.class)
                .hasMessage(dir.resolve("empty.csv") + ":1: the file is empty; a header row naming the columns is required");
        assertThatThrownBy(() -> CsvReader.read(csv("blank.csv", "\n  \n"), "y"))
                .hasMessageEndingWith("blank.csv:1: the file is empty; a header row naming the columns is required");
        assertThatThrownBy(() -> CsvReader.read(csv("ragged.csv", "a,b,y\n1,2,x\n3,y\n"), "y"))
                .hasMessageEndingWith("ragged.csv:3: ragged row: 2 fields, but the header has 3 columns");
        assertThatThrownBy(() -> CsvReader.read(csv("nan.csv", "a,b,y\n1,2,x\n3,abc,y\n"), "y"))
                .hasMessageEndingWith("nan.csv:3: feature 'b' is not a number: 'abc'");
        assertThatThrownBy(() -> CsvReader.read(csv("hex.csv", "a,y\n0x10,x\n1,y\n"), "y"))
                .hasMessageEndingWith("hex.csv:2: feature 'a' is not a number: '0x10'");
        assertThatThrownBy(() -> CsvReader.read(csv("inf.csv", "a,y\nInfinity,x\n1,y\n"), "y"))
                .hasMessageEndingWith("inf.csv:2: feature 'a' is not a number: 'Infinity'");
        assertThatThrownBy(() -> CsvReader.read(csv("big.csv", "a,y\n1e39,x\n1,y\n"), "y"))
                .hasMessageEndingWith("big.csv:2: feature 'a' is out of float range: '1e39'");
        assertThatThrownBy(() -> CsvReader.read(csv("gap.csv", "a,y\n,x\n1,y\n"), "y"))
                .hasMessageEndingWith("gap.csv:2: feature 'a' is empty; every feature must be a number");
        assertThatThrownBy(() -> CsvReader.read(csv("nolabel.csv", "a,b,y\n1,2,x\n"), "species"))
                .hasMessageEndingWith("nolabel.csv:1: no label column named 'species'; the columns are a, b, y");
        assertThatThrownBy(() -> CsvReader.read(csv("index.csv", "a,b,y\n1,2,x\n"), "3"))
                .hasMessageEndingWith("index.csv:1: label column index 3 is out of range: the header has 3 columns "
                        + "(0..2, or -1 for the last)");
        assertThatThrownBy(() -> CsvReader.read(csv("one.csv", "a,y\n1,x\n2,x\n"), "y"))
                .hasMessageEndingWith("one.csv:1: label column 'y' has only one class ('x'); classification needs at least two");
        assertThatThrownBy(() -> CsvReader.read(csv("header.csv", "a,y\n"), "y"))
                .hasMessageEndingWith("header.csv:2: no data rows after the header");
        assertThatThrownBy(() -> CsvReader.read(csv("narrow.csv", "y\n1\n"), "y"))
                .hasMessageEndingWith("narrow.csv:1: the header has 1 column; need at least one feature column and a label column");
        assertThatThrownBy(() -> CsvReader.read(csv("quote.csv", "a,y\n1,\"x\n"), "y"))
                .hasMessageEndingWith("quote.csv:2: unterminated quote in field 2 (fields may not span lines)");
        assertThatThrownBy(() -> CsvReader.read(csv("emptylabel.csv", "a,y\n1,\n"), "y"))
                .hasMessageEndingWith("emptylabel.csv:2: the label (column 'y') is empty");
    }

    @Test
    void unreadableInputIsNamed() throws IOException {
        assertThatThrownBy(() -> CsvReader.read(dir.resolve("missing.csv"), "y"))
                .isInstanceOf(UncheckedIOException.class).hasMessageEndingWith("missing.csv: no such file");
        Path notGzip = csv("plain.csv.gz", "a,y\n1,x\n");
        assertThatThrownBy(() -> CsvReader.read(notGzip, "y")).isInstanceOf(DataFormatException.class)
                .hasMessageContaining("plain.csv.gz: not a valid gzip file");
        Path latin1 = dir.resolve("latin1.csv");
        Files.write(latin1, new byte[] {'a', ',', 'y', '\n', '1', ',', (byte) 0xE9, '\n'});
        assertThatThrownBy(() -> CsvReader.read(latin1, "y")).hasMessageContaining("latin1.csv: not UTF-8 text");
    }
}
