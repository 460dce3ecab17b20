package dev.nabla.data;

/**
 * Bad input data. The message starts with where the problem is — {@code file:line:} for text files
 * (lines count from 1), {@code file:} otherwise — then says what is wrong, so a front end can print
 * it as one line.
 */
public final class DataFormatException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final String source;
    private final int line;

    /** A problem at a line (1-based) of a text file. */
    public DataFormatException(String source, int line, String problem) {
        super(source + ":" + line + ": " + problem);
        this.source = source;
        this.line = line;
    }

    /** A problem with a file as a whole (binary formats). */
    public DataFormatException(String source, String problem) {
        super(source + ": " + problem);
        this.source = source;
        this.line = 0;
    }

    /** The file (or resource) name. */
    public String source() {
        return source;
    }

    /** The 1-based line, or 0 when the problem is not tied to a line. */
    public int line() {
        return line;
    }
}
