package dev.nabla.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** {@code --plot FILE.png}: loss and accuracy per epoch, side by side, drawn with XChart without a display. */
final class TrainingPlot {
    private TrainingPlot() {
    }

    /** Per-epoch values, epoch 1 first. */
    record History(List<Double> loss, List<Double> trainAccuracy, List<Double> testAccuracy) {
    }

    static void write(Path file, String title, History h) {
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true"); // no display needed (servers, CI)
        }
        double[] epochs = new double[h.loss().size()];
        for (int i = 0; i < epochs.length; i++) {
            epochs[i] = i + 1;
        }
        XYChart loss = chart(title + ": training loss", "loss");
        loss.addSeries("train loss", epochs, toArray(h.loss())).setMarker(SeriesMarkers.NONE);
        XYChart accuracy = chart(title + ": accuracy", "accuracy");
        accuracy.addSeries("train", epochs, toArray(h.trainAccuracy())).setMarker(SeriesMarkers.NONE);
        accuracy.addSeries("test", epochs, toArray(h.testAccuracy())).setMarker(SeriesMarkers.NONE);
        accuracy.getStyler().setLegendPosition(Styler.LegendPosition.InsideSE);
        try (OutputStream os = Files.newOutputStream(file)) {
            BitmapEncoder.saveBitmap(List.of(loss, accuracy), 1, 2, os, BitmapEncoder.BitmapFormat.PNG);
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": cannot write the plot: " + e.getMessage(), e);
        }
    }

    private static XYChart chart(String title, String yAxis) {
        XYChart c = new XYChartBuilder().width(640).height(420).title(title).xAxisTitle("epoch").yAxisTitle(yAxis).build();
        c.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
        c.getStyler().setChartBackgroundColor(java.awt.Color.WHITE);
        return c;
    }

    private static double[] toArray(List<Double> v) {
        return v.stream().mapToDouble(Double::doubleValue).toArray();
    }
}
