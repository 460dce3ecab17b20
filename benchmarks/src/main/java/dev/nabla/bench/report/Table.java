package dev.nabla.bench.report;

import java.util.ArrayList;
import java.util.List;

/**
 * A titled table of strings, rendered as Markdown (which also reads well in a terminal).
 *
 * @param title  heading
 * @param note   one paragraph under the heading (may be empty)
 * @param header column names
 * @param rows   cells, one list per row
 */
record Table(String title, String note, List<String> header, List<List<String>> rows) {

    String markdown() {
        StringBuilder sb = new StringBuilder("### ").append(title).append("\n\n");
        if (!note.isEmpty()) {
            sb.append(note).append("\n\n");
        }
        if (rows.isEmpty()) {
            return sb.append("(nothing measured)\n\n").toString();
        }
        int[] w = new int[header.size()];
        List<List<String>> all = new ArrayList<>();
        all.add(header);
        all.addAll(rows);
        for (List<String> r : all) {
            for (int i = 0; i < w.length; i++) {
                w[i] = Math.max(w[i], Math.max(3, r.get(i).length()));
            }
        }
        line(sb, header, w);
        sb.append('|');
        for (int width : w) {
            sb.append("-".repeat(width + 2)).append('|');
        }
        sb.append('\n');
        for (List<String> r : rows) {
            line(sb, r, w);
        }
        return sb.append('\n').toString();
    }

    private static void line(StringBuilder sb, List<String> cells, int[] w) {
        sb.append('|');
        for (int i = 0; i < w.length; i++) {
            String c = cells.get(i);
            sb.append(' ').append(c).append(" ".repeat(w[i] - c.length())).append(" |");
        }
        sb.append('\n');
    }
}
