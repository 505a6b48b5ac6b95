package dev.shoal.sequencer.tools;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Draws bench-e2e's throughput-latency figure (scripts/bench-e2e.sh runs it): ordered transactions
 * per second against p50 submit-to-commit latency, one line per storage mode, from the point files
 * E2eBenchMain wrote ({@code --points}: "offered ordered p50_ms p99_ms" per step).
 *
 * <pre>ThroughputLatencyPlotMain --out FILE.svg NAME=POINTS_FILE [NAME=POINTS_FILE ...]</pre>
 */
public final class ThroughputLatencyPlotMain {
    private ThroughputLatencyPlotMain() {}

    public static void main(String[] args) {
        ToolExit.run("throughput-latency plot", () -> plot(args));
    }

    private static void plot(String[] args) throws IOException {
        if (args.length < 3 || !args[0].equals("--out")) {
            throw new IllegalArgumentException("usage: ThroughputLatencyPlotMain --out FILE.svg NAME=POINTS_FILE [NAME=POINTS_FILE ...]");
        }
        Path out = Path.of(args[1]);
        List<SvgPlot.Series> series = new ArrayList<>();
        for (int i = 2; i < args.length; i++) {
            int eq = args[i].indexOf('=');
            if (eq <= 0) throw new IllegalArgumentException("expected NAME=POINTS_FILE, got '" + args[i] + "'");
            series.add(new SvgPlot.Series(args[i].substring(0, eq), read(Path.of(args[i].substring(eq + 1)))));
        }
        Files.writeString(out, SvgPlot.render("Throughput and latency (p50, submit to commit)", "ordered transactions per second",
                "p50 latency (s)", series));
        System.out.println("plot: " + out);
    }

    /** The steps of one run, by ordered rate: ordered tx/s and p50 in seconds. */
    static List<SvgPlot.Point> read(Path file) throws IOException {
        List<SvgPlot.Point> points = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            String[] f = line.trim().split("\\s+");
            if (f.length < 3 || line.startsWith("#")) continue;
            double ordered = Double.parseDouble(f[1]);
            double p50 = Double.parseDouble(f[2]);
            if (Double.isFinite(p50)) points.add(new SvgPlot.Point(ordered, p50 / 1000));
        }
        points.sort(java.util.Comparator.comparingDouble(SvgPlot.Point::x));
        return points;
    }
}
