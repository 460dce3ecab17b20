package dev.nabla.cuda.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.text.ParseException;

/**
 * A Java Flight Recorder recording (the JDK's "profile" settings: execution and native-method
 * samples every 10-20 ms, allocation samples) of a piece of work, written to a file for
 * {@code jfr print}. The runtime may lack the {@code jdk.jfr} module: then nothing is recorded
 * and the returned line says so.
 */
final class FlightRecording {
    private FlightRecording() {
    }

    /** Runs {@code work} while recording; returns what happened, for the log. */
    static String record(Path file, Runnable work) {
        try {
            return Jfr.record(file, work);
        } catch (LinkageError e) {
            work.run();
            return "no profile: this runtime has no Flight Recorder (" + e + ")";
        }
    }

    /** Touches jdk.jfr only when called, so a runtime without it fails here, caught above. */
    private static final class Jfr {
        static String record(Path file, Runnable work) {
            try (jdk.jfr.Recording r = new jdk.jfr.Recording(jdk.jfr.Configuration.getConfiguration("profile"))) {
                r.start();
                work.run();
                r.stop();
                r.dump(file);
                return "profile written to " + file;
            } catch (IOException | ParseException e) {
                return "no profile: " + e;
            }
        }
    }
}
