package dev.shoal.sequencer.tools;

import java.io.IOException;
import java.io.StringReader;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import org.postgresql.PGConnection;

/**
 * Rows for PostgreSQL's {@code COPY ... FROM STDIN} in text format: tab-separated columns,
 * {@code \N} for NULL, bytea as {@code \\x<hex>} (the backslash doubled by the text format).
 * COPY is the fastest way to bulk-load rows, several times a multi-row INSERT.
 */
final class CopyRows {
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private final StringBuilder text = new StringBuilder(1 << 16);
    private boolean rowStarted;
    private int rows;

    private CopyRows sep() {
        if (rowStarted) text.append('\t');
        rowStarted = true;
        return this;
    }

    CopyRows bytes(byte[] b) {
        sep();
        if (b == null) {
            text.append("\\N");
            return this;
        }
        text.append("\\\\x");
        for (byte x : b) text.append(HEX[(x >> 4) & 0xf]).append(HEX[x & 0xf]);
        return this;
    }

    CopyRows num(long v) {
        sep();
        text.append(v);
        return this;
    }

    CopyRows bool(boolean v) {
        sep();
        text.append(v ? 't' : 'f');
        return this;
    }

    /** A plain identifier-like string (no tabs, newlines or backslashes). */
    CopyRows word(String s) {
        sep();
        text.append(s);
        return this;
    }

    CopyRows time(Instant t) {
        sep();
        text.append(t.toString());
        return this;
    }

    CopyRows nul() {
        sep();
        text.append("\\N");
        return this;
    }

    CopyRows endRow() {
        text.append('\n');
        rowStarted = false;
        rows++;
        return this;
    }

    int rows() {
        return rows;
    }

    /** Sends the rows with {@code COPY <table> (<columns>) FROM STDIN} on the connection; clears them. */
    long copyInto(Connection conn, String tableAndColumns) throws SQLException {
        if (rows == 0) return 0;
        try {
            long n = conn.unwrap(PGConnection.class).getCopyAPI()
                    .copyIn("COPY " + tableAndColumns + " FROM STDIN", new StringReader(text.toString()));
            text.setLength(0);
            rows = 0;
            return n;
        } catch (IOException e) {
            throw new SQLException("COPY into " + tableAndColumns + " failed: " + e.getMessage(), e);
        }
    }
}
