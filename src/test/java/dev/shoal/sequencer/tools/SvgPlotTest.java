package dev.shoal.sequencer.tools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** The benchmarks' figures: well-formed SVG, one line per series through its points, in range. */
class SvgPlotTest {

    private static Document parse(String svg) throws Exception {
        return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void drawsOneLinePerSeriesThroughEveryPointInsideThePlot() throws Exception {
        String svg = SvgPlot.render("Throughput & latency", "tx/s", "p50 (s)", List.of(
                new SvgPlot.Series("postgresql", List.of(new SvgPlot.Point(10_000, 0.4), new SvgPlot.Point(20_000, 0.7))),
                new SvgPlot.Series("memory", List.of(new SvgPlot.Point(15_000, 0.3), new SvgPlot.Point(30_000, 0.5),
                        new SvgPlot.Point(38_000, 1.1)))));
        Document doc = parse(svg);
        NodeList lines = doc.getElementsByTagName("polyline");
        assertThat(lines.getLength()).isEqualTo(2);
        Element pg = (Element) lines.item(0);
        assertThat(pg.getAttribute("data-name")).isEqualTo("postgresql");
        assertThat(pg.getAttribute("points").split(" ")).hasSize(2);
        assertThat(((Element) lines.item(1)).getAttribute("points").split(" ")).hasSize(3);
        for (int i = 0; i < lines.getLength(); i++) {
            for (String xy : ((Element) lines.item(i)).getAttribute("points").split(" ")) {
                double x = Double.parseDouble(xy.split(",")[0]);
                double y = Double.parseDouble(xy.split(",")[1]);
                assertThat(x).isBetween(80.0, 690.0);
                assertThat(y).isBetween(50.0, 380.0);
            }
        }
        assertThat(svg).contains("Throughput &amp; latency").contains("40,000"); // the x axis reaches past 38,000
    }

    @Test
    void ticksAreRoundNumbers() {
        assertThat(SvgPlot.niceStep(38_000)).isEqualTo(10_000);
        assertThat(SvgPlot.niceStep(1.1)).isEqualTo(0.5);
        assertThat(SvgPlot.niceStep(0)).isEqualTo(1);
    }

    @Test
    void refusesPointsItCannotDraw() {
        assertThatThrownBy(() -> SvgPlot.render("t", "x", "y", List.of(new SvgPlot.Series("s", List.of(new SvgPlot.Point(1, Double.NaN))))))
                .hasMessageContaining("finite");
    }

    @Test
    void readsTheBenchsPointFilesSkippingStepsWithoutLatency(@TempDir Path dir) throws Exception {
        Path points = dir.resolve("postgresql.points");
        Files.writeString(points, "20000 18000 700 1500\n10000 9900 400 900\n30000 0 NaN NaN\n");
        List<SvgPlot.Point> read = PlotMain.read(points, 2, 3, 0.001);
        assertThat(read).extracting(SvgPlot.Point::x).containsExactly(9900.0, 18000.0);
        assertThat(read.get(0).y()).isCloseTo(0.4, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(read.get(1).y()).isCloseTo(0.7, org.assertj.core.data.Offset.offset(1e-9));
    }
}
