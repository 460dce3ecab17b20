package dev.nabla.data;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

/**
 * Reads a classification data set from CSV: a header row naming the columns, then one example per
 * row, every column a number except the label column, whose values (strings or numbers) become
 * class ids in sorted order — numerically when every label is a number, else alphabetically — with
 * the names kept. Fields may be quoted ({@code "a, b"}, {@code ""} for a quote); blank lines are
 * skipped; a {@code .gz} file is decompressed.
 *
 * <p>Every problem is a {@link DataFormatException} naming the file, the 1-based line and what is
 * wrong: an empty file, a missing label column, a row with a different number of fields than the
 * header, a feature that is not a finite decimal number, a label column with a single class.
 */
public final class CsvReader {
    private static final Pattern NUMBER = Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");

    private CsvReader() {
    }

    /**
     * Reads {@code file} with the label in column {@code labelColumn}: a header name, or a 0-based
     * index (negative counts from the end, -1 is the last column) when no column has that name.
     *
     * @throws DataFormatException  for bad content (file, line, problem)
     * @throws UncheckedIOException if the file cannot be read (message names the file)
     */
    public static TensorDataset read(Path file, String labelColumn) {
        String source = file.toString();
        InputStream in;
        try {
            in = Files.newInputStream(file);
        } catch (NoSuchFileException e) {
            throw new UncheckedIOException(source + ": no such file", e);
        } catch (IOException e) {
            throw new UncheckedIOException(source + ": cannot read: " + e.getMessage(), e);
        }
        return read(source, in, labelColumn);
    }

    /** Reads CSV from a stream (closed afterwards); {@code source} names it in errors and is the data set name. */
    public static TensorDataset read(String source, InputStream in, String labelColumn) {
        try (InputStream raw = in;
             InputStream body = source.endsWith(".gz") ? new GZIPInputStream(raw) : raw;
             BufferedReader reader = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8
                     .newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                     .onUnmappableCharacter(CodingErrorAction.REPORT)))) {
            return parse(source, reader, labelColumn);
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new DataFormatException(source, "not UTF-8 text (" + e.getMessage() + ")");
        } catch (java.util.zip.ZipException e) {
            throw new DataFormatException(source, "not a valid gzip file (" + e.getMessage() + ")");
        } catch (IOException e) {
            throw new UncheckedIOException(source + ": cannot read: " + e.getMessage(), e);
        }
    }

    private static TensorDataset parse(String source, BufferedReader reader, String labelColumn) throws IOException {
        int lineNo = 0;
        List<String> header = null;
        String line;
        while (header == null) {
            line = reader.readLine();
            lineNo++;
            if (line == null) {
                throw new DataFormatException(source, 1, "the file is empty; a header row naming the columns is required");
            }
            if (lineNo == 1 && line.startsWith("\uFEFF")) {
                line = line.substring(1);
            }
            if (!line.isBlank()) {
                header = fields(source, lineNo, line);
            }
        }
        int headerLine = lineNo;
        if (header.size() < 2) {
            throw new DataFormatException(source, headerLine, "the header has " + header.size()
                    + " column; need at least one feature column and a label column");
        }
        int label = labelIndex(source, headerLine, header, labelColumn);
        int f = header.size() - 1;
        List<String> featureNames = new ArrayList<>(header);
        featureNames.remove(label);

        FloatList features = new FloatList();
        List<String> labels = new ArrayList<>();
        while ((line = reader.readLine()) != null) {
            lineNo++;
            if (line.isBlank()) {
                continue;
            }
            List<String> row = fields(source, lineNo, line);
            if (row.size() != header.size()) {
                throw new DataFormatException(source, lineNo, "ragged row: " + row.size() + " fields, but the header has "
                        + header.size() + " columns");
            }
            for (int c = 0; c < row.size(); c++) {
                String v = row.get(c).trim();
                if (c == label) {
                    if (v.isEmpty()) {
                        throw new DataFormatException(source, lineNo, "the label (column '" + header.get(c)
                                + "') is empty");
                    }
                    labels.add(v);
                } else {
                    features.add(number(source, lineNo, header.get(c), v));
                }
            }
        }
        if (labels.isEmpty()) {
            throw new DataFormatException(source, headerLine + 1, "no data rows after the header");
        }
        List<String> classes = sortedClasses(labels);
        if (classes.size() < 2) {
            throw new DataFormatException(source, headerLine, "label column '" + header.get(label)
                    + "' has only one class ('" + classes.get(0) + "'); classification needs at least two");
        }
        Map<String, Integer> ids = new HashMap<>();
        for (int i = 0; i < classes.size(); i++) {
            ids.put(classes.get(i), i);
        }
        int[] y = new int[labels.size()];
        for (int i = 0; i < y.length; i++) {
            y[i] = ids.get(labels.get(i));
        }
        String name = source.substring(Math.max(source.lastIndexOf('/'), source.lastIndexOf('\\')) + 1);
        return TensorDataset.classification(name, features.toArray(), f, y, classes, featureNames);
    }

    private static int labelIndex(String source, int line, List<String> header, String labelColumn) {
        String wanted = labelColumn == null ? "-1" : labelColumn.trim();
        for (int c = 0; c < header.size(); c++) {
            if (header.get(c).trim().equals(wanted)) {
                return c;
            }
        }
        int index;
        try {
            index = Integer.parseInt(wanted);
        } catch (NumberFormatException e) {
            throw new DataFormatException(source, line, "no label column named '" + wanted + "'; the columns are "
                    + String.join(", ", header));
        }
        int resolved = index < 0 ? header.size() + index : index;
        if (resolved < 0 || resolved >= header.size()) {
            throw new DataFormatException(source, line, "label column index " + index + " is out of range: the header has "
                    + header.size() + " columns (0.." + (header.size() - 1) + ", or -1 for the last)");
        }
        return resolved;
    }

    private static float number(String source, int line, String column, String v) {
        if (v.isEmpty()) {
            throw new DataFormatException(source, line, "feature '" + column + "' is empty; every feature must be a number");
        }
        if (!NUMBER.matcher(v).matches()) {
            throw new DataFormatException(source, line, "feature '" + column + "' is not a number: '" + v + "'");
        }
        float x = Float.parseFloat(v);
        if (!Float.isFinite(x)) {
            throw new DataFormatException(source, line, "feature '" + column + "' is out of float range: '" + v + "'");
        }
        return x;
    }

    private static List<String> sortedClasses(List<String> labels) {
        Set<String> distinct = new LinkedHashSet<>(labels);
        List<String> classes = new ArrayList<>(distinct);
        boolean numeric = classes.stream().allMatch(s -> NUMBER.matcher(s).matches());
        if (numeric) {
            classes.sort(Comparator.comparing((String s) -> new BigDecimal(s)).thenComparing(Comparator.naturalOrder()));
        } else {
            classes.sort(Comparator.naturalOrder());
        }
        return classes;
    }

    /** Splits one line into fields: commas separate, double quotes group, {@code ""} is a quote. */
    static List<String> fields(String source, int line, String text) {
        if (text.endsWith("\r")) {
            text = text.substring(0, text.length() - 1);
        }
        List<String> out = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        boolean wasQuoted = false;
        for (int i = 0; i < text.length(); i++) {
            char ch = text.charAt(i);
            if (quoted) {
                if (ch == '"') {
                    if (i + 1 < text.length() && text.charAt(i + 1) == '"') {
                        field.append('"');
                        i++;
                    } else {
                        quoted = false;
                    }
                } else {
                    field.append(ch);
                }
            } else if (ch == ',') {
                out.add(field.toString());
                field.setLength(0);
                wasQuoted = false;
            } else if (ch == '"' && field.toString().isBlank() && !wasQuoted) {
                field.setLength(0);
                quoted = true;
                wasQuoted = true;
            } else if (wasQuoted && !Character.isWhitespace(ch)) {
                throw new DataFormatException(source, line, "text after a closing quote in field " + (out.size() + 1));
            } else {
                field.append(ch);
            }
        }
        if (quoted) {
            throw new DataFormatException(source, line, "unterminated quote in field " + (out.size() + 1)
                    + " (fields may not span lines)");
        }
        out.add(field.toString());
        return out;
    }

    /** A growable float array (no boxing for large files). */
    private static final class FloatList {
        private float[] values = new float[1024];
        private int size;

        void add(float v) {
            if (size == values.length) {
                values = java.util.Arrays.copyOf(values, values.length * 2);
            }
            values[size++] = v;
        }

        float[] toArray() {
            return java.util.Arrays.copyOf(values, size);
        }
    }
}
