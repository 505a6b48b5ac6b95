package dev.shoal.sequencer.tools;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Draws a benchmark's figure from its point files ({@link SvgPlot}): one line per NAME=FILE, each
 * FILE holding whitespace-separated columns per line (lines starting with # are skipped, and so are
 * points that are not numbers, such as a step without latency).
 *
 * <pre>PlotMain --out FILE.svg --title T --x-label X --y-label Y [--x-column 1] [--y-column 2]
 *          [--y-scale 1] NAME=FILE [NAME=FILE ...]</pre>
 *
 * Used by scripts/bench-e2e.sh (ordered tx/s against p50 latency) and scripts/bench-recovery.sh
 * (recovery time against certificates).
 */
public final class PlotMain {
    private PlotMain() {}

    public static void main(String[] args) {
        ToolExit.run("plot", () -> plot(args));
    }

    private static void plot(String[] args) throws IOException {
        Map<String, String> o = new HashMap<>();
        List<String> files = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            if (args[i].startsWith("--")) {
                if (i + 1 >= args.length) throw new IllegalArgumentException("option " + args[i] + " needs a value");
                o.put(args[i].substring(2), args[++i]);
            } else {
                files.add(args[i]);
            }
        }
        if (!o.containsKey("out") || files.isEmpty()) {
            throw new IllegalArgumentException("usage: PlotMain --out FILE.svg --title T --x-label X --y-label Y [--x-column 1]"
                    + " [--y-column 2] [--y-scale 1] NAME=FILE [NAME=FILE ...]");
        }
        int xColumn = Integer.parseInt(o.getOrDefault("x-column", "1"));
        int yColumn = Integer.parseInt(o.getOrDefault("y-column", "2"));
        double yScale = Double.parseDouble(o.getOrDefault("y-scale", "1"));
        List<SvgPlot.Series> series = new ArrayList<>();
        for (String f : files) {
            int eq = f.indexOf('=');
            if (eq <= 0) throw new IllegalArgumentException("expected NAME=FILE, got '" + f + "'");
            series.add(new SvgPlot.Series(f.substring(0, eq), read(Path.of(f.substring(eq + 1)), xColumn, yColumn, yScale)));
        }
        Path out = Path.of(o.get("out"));
        Files.writeString(out, SvgPlot.render(o.getOrDefault("title", ""), o.getOrDefault("x-label", ""), o.getOrDefault("y-label", ""), series));
        System.out.println("plot: " + out);
    }

    /** The points of one file, by x. */
    static List<SvgPlot.Point> read(Path file, int xColumn, int yColumn, double yScale) throws IOException {
        List<SvgPlot.Point> points = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            if (line.startsWith("#")) continue;
            String[] f = line.trim().split("\\s+");
            if (f.length < Math.max(xColumn, yColumn)) continue;
            double x = Double.parseDouble(f[xColumn - 1]);
            double y = Double.parseDouble(f[yColumn - 1]) * yScale;
            if (Double.isFinite(x) && Double.isFinite(y)) points.add(new SvgPlot.Point(x, y));
        }
        points.sort(java.util.Comparator.comparingDouble(SvgPlot.Point::x));
        return points;
    }
}
