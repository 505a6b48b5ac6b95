package dev.shoal.sequencer.tools;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A line chart as a standalone SVG document, for the benchmarks' figures (throughput against
 * latency, like the Narwhal and Bullshark papers' plots): linear axes from zero with round ticks,
 * one marked polyline per series, a legend. No dependency; the output opens in any browser.
 */
public final class SvgPlot {
    /** One point of a series. */
    public record Point(double x, double y) {}

    /** A named line. */
    public record Series(String name, List<Point> points) {
        public Series {
            points = List.copyOf(points);
        }
    }

    private static final int WIDTH = 720;
    private static final int HEIGHT = 440;
    private static final int LEFT = 80;
    private static final int RIGHT = 30;
    private static final int TOP = 50;
    private static final int BOTTOM = 60;
    private static final String[] COLOURS = {"#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b"};

    private SvgPlot() {}

    /** The chart; series without points are listed in the legend only. */
    public static String render(String title, String xLabel, String yLabel, List<Series> series) {
        double maxX = 0;
        double maxY = 0;
        for (Series s : series) {
            for (Point p : s.points()) {
                if (p.x() < 0 || p.y() < 0 || !Double.isFinite(p.x()) || !Double.isFinite(p.y())) {
                    throw new IllegalArgumentException("points must be finite and non-negative, got " + p + " in " + s.name());
                }
                maxX = Math.max(maxX, p.x());
                maxY = Math.max(maxY, p.y());
            }
        }
        double stepX = niceStep(maxX);
        double stepY = niceStep(maxY);
        double topX = Math.max(stepX, Math.ceil(maxX / stepX) * stepX);
        double topY = Math.max(stepY, Math.ceil(maxY / stepY) * stepY);
        int plotW = WIDTH - LEFT - RIGHT;
        int plotH = HEIGHT - TOP - BOTTOM;
        StringBuilder svg = new StringBuilder();
        svg.append(String.format(Locale.ROOT,
                "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" font-size=\"12\">%n",
                WIDTH, HEIGHT, WIDTH, HEIGHT));
        svg.append(String.format(Locale.ROOT, "<rect width=\"%d\" height=\"%d\" fill=\"white\"/>%n", WIDTH, HEIGHT));
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"28\" text-anchor=\"middle\" font-size=\"15\">%s</text>%n", WIDTH / 2, escape(title)));
        for (double v = 0; v <= topX + stepX / 2; v += stepX) {
            double x = LEFT + v / topX * plotW;
            svg.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#ddd\"/>%n", x, TOP, x, TOP + plotH));
            svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>%n", x, TOP + plotH + 18, tick(v)));
        }
        for (double v = 0; v <= topY + stepY / 2; v += stepY) {
            double y = TOP + plotH - v / topY * plotH;
            svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#ddd\"/>%n", LEFT, y, LEFT + plotW, y));
            svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>%n", LEFT - 8, y + 4, tick(v)));
        }
        svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" stroke=\"#333\"/>%n", LEFT, TOP, plotW, plotH));
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">%s</text>%n", LEFT + plotW / 2, HEIGHT - 15, escape(xLabel)));
        svg.append(String.format(Locale.ROOT, "<text x=\"18\" y=\"%d\" text-anchor=\"middle\" transform=\"rotate(-90 18 %d)\">%s</text>%n",
                TOP + plotH / 2, TOP + plotH / 2, escape(yLabel)));
        for (int i = 0; i < series.size(); i++) {
            Series s = series.get(i);
            String colour = COLOURS[i % COLOURS.length];
            List<String> coords = new ArrayList<>();
            for (Point p : s.points()) {
                coords.add(String.format(Locale.ROOT, "%.1f,%.1f", LEFT + p.x() / topX * plotW, TOP + plotH - p.y() / topY * plotH));
            }
            if (!coords.isEmpty()) {
                svg.append(String.format(Locale.ROOT, "<polyline class=\"series\" data-name=\"%s\" fill=\"none\" stroke=\"%s\" stroke-width=\"2\" points=\"%s\"/>%n",
                        escape(s.name()), colour, String.join(" ", coords)));
                for (String c : coords) {
                    String[] xy = c.split(",");
                    svg.append(String.format(Locale.ROOT, "<circle cx=\"%s\" cy=\"%s\" r=\"3.5\" fill=\"%s\"/>%n", xy[0], xy[1], colour));
                }
            }
            int ly = TOP + 16 + 18 * i;
            svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"%s\" stroke-width=\"2\"/>%n",
                    LEFT + 12, ly - 4, LEFT + 32, ly - 4, colour));
            svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\">%s</text>%n", LEFT + 38, ly, escape(s.name())));
        }
        svg.append("</svg>\n");
        return svg.toString();
    }

    /** 1, 2 or 5 times a power of ten, about a fifth of the range. */
    static double niceStep(double max) {
        if (max <= 0) return 1;
        double raw = max / 5;
        double power = Math.pow(10, Math.floor(Math.log10(raw)));
        double m = raw / power;
        return (m <= 1 ? 1 : m <= 2 ? 2 : m <= 5 ? 5 : 10) * power;
    }

    private static String tick(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) return String.format(Locale.ROOT, "%,d", (long) v);
        return String.format(Locale.ROOT, "%.2f", v);
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
