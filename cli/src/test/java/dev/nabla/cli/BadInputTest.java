package dev.nabla.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nabla.Device;
import dev.nabla.io.Safetensors;
import dev.nabla.cli.CliTest.Run;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad input to train and evaluate: one line on stderr naming file, line or tensor and the problem; exit code 2. */
class BadInputTest {
    @TempDir
    static Path dir;

    static Path model;

    @BeforeAll
    static void trainASmallModel() {
        model = dir.resolve("iris.safetensors");
        Run r = CliTest.run("train", "--data", "iris", "--epochs", "2", "--hidden", "8", "--save", model.toString());
        assertThat(r.code()).as(r.err()).isZero();
    }

    private static String fails(String... args) {
        Run r = CliTest.run(args);
        assertThat(r.code()).as(r.out()).isEqualTo(2);
        String err = r.err().strip();
        assertThat(err).startsWith("nabla: ").doesNotContain("\n").doesNotContain("Exception").doesNotContain("\tat ");
        return err;
    }

    private static Path csv(String name, String content) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, content);
        return p;
    }

    private static String train(Path csv, String label) {
        return fails("train", "--data", "csv:" + csv, "--label-column", label, "--epochs", "1");
    }

    @Test
    void badCsvFilesNameFileLineAndProblem() throws IOException {
        assertThat(train(csv("ragged.csv", "a,b,y\n1,2,x\n3,y\n"), "y"))
                .isEqualTo("nabla: " + dir.resolve("ragged.csv") + ":3: ragged row: 2 fields, but the header has 3 columns");
        assertThat(train(csv("text.csv", "a,b,y\n1,2,x\n3,four,y\n"), "y"))
                .isEqualTo("nabla: " + dir.resolve("text.csv") + ":3: feature 'b' is not a number: 'four'");
        assertThat(train(csv("nolabel.csv", "a,b,y\n1,2,x\n"), "species"))
                .isEqualTo("nabla: " + dir.resolve("nolabel.csv") + ":1: no label column named 'species'; the columns are a, b, y");
        assertThat(train(csv("empty.csv", ""), "y"))
                .isEqualTo("nabla: " + dir.resolve("empty.csv") + ":1: the file is empty; a header row naming the columns is required");
        assertThat(train(csv("oneclass.csv", "a,y\n1,x\n2,x\n3,x\n"), "y")).isEqualTo("nabla: " + dir.resolve("oneclass.csv")
                + ":1: label column 'y' has only one class ('x'); classification needs at least two");
        assertThat(fails("train", "--data", "csv:" + dir.resolve("absent.csv"), "--epochs", "1"))
                .isEqualTo("nabla: " + dir.resolve("absent.csv") + ": no such file");
    }

    @Test
    void badOptionValuesAreOneLine() {
        assertThat(fails("train", "--batch", "0")).isEqualTo("nabla: --batch must be at least 1, got 0");
        assertThat(fails("train", "--epochs", "0")).isEqualTo("nabla: --epochs must be at least 1, got 0");
        assertThat(fails("train", "--lr", "-1")).isEqualTo("nabla: --lr must be a positive number, got -1.0");
        assertThat(fails("train", "--dropout", "1")).isEqualTo("nabla: --dropout must be in [0, 1), got 1.0");
        assertThat(fails("train", "--test-split", "0")).contains("--test-split must be between 0 and 1");
        assertThat(fails("train", "--hidden", "64,x")).contains("--hidden: '64,x' must be comma-separated positive integers");
        assertThat(fails("train", "--optimizer", "lbfgs")).contains("unknown optimizer 'lbfgs'");
        assertThat(fails("train", "--activation", "gelu")).contains("unknown activation 'gelu'");
        assertThat(fails("train", "--data", "mnist")).contains("unknown data set 'mnist'");
        assertThat(fails("train", "--data", "iris", "--label-column", "species"))
                .contains("--label-column applies to csv:PATH data only");
        assertThat(fails("train", "--backend", "tpu")).contains("no backend named 'tpu'");
        assertThat(fails("evaluate", "--model", model.toString(), "--split", "dev")).contains("--split must be test");
        Path nowhere = dir.resolve("missing-folder").resolve("m.safetensors");
        assertThat(fails("train", "--save", nowhere.toString())).isEqualTo("nabla: --save " + nowhere + ": the folder "
                + nowhere.getParent() + " does not exist");
        assertThat(fails("train", "--plot", dir.toString())).isEqualTo("nabla: --plot " + dir + ": is a folder; give a file name");
    }

    @Test
    void badTechniqueOptionsAreOneLine() {
        assertThat(fails("train", "--ensemble", "0")).isEqualTo("nabla: --ensemble must be at least 1, got 0");
        assertThat(fails("train", "--max-norm", "-1")).isEqualTo("nabla: --max-norm must be a positive number, got -1.0");
        assertThat(fails("train", "--val-split", "1.5"))
                .isEqualTo("nabla: --val-split must be between 0 and 1 (exclusive), got 1.5");
        assertThat(fails("train", "--patience", "3"))
                .isEqualTo("nabla: --patience needs --val-split: early stopping watches the validation loss");
        assertThat(fails("train", "--val-split", "0.1", "--patience", "0")).isEqualTo("nabla: --patience must be at least 1, got 0");
        assertThat(fails("train", "--save-every", "2")).isEqualTo("nabla: --save-every needs --save FILE");
        assertThat(fails("train", "--augment-shift", "-1")).isEqualTo("nabla: --augment-shift must be >= 0 pixels, got -1");
        assertThat(fails("train", "--augment-noise", "-0.5")).isEqualTo("nabla: --augment-noise must be >= 0, got -0.5");
        assertThat(fails("train", "--augment-flip")).startsWith("nabla: --augment-flip: digits are not mirror-symmetric");
        assertThat(fails("train", "--data", "iris", "--augment-shift", "1"))
                .isEqualTo("nabla: --augment-shift and --augment-flip need image data: digits, or csv data with --image HxW; "
                        + "iris is not an image");
        assertThat(fails("train", "--data", "iris", "--image", "2x3")).isEqualTo("nabla: --image 2x3 has 6 pixels but iris has 4 features");
        assertThat(fails("train", "--layer-lr", "0.1")).isEqualTo("nabla: --layer-lr gives 1 rate(s) but the model has 2 linear layer(s)");
        assertThat(fails("train", "--layer-lr", "0.1,x")).startsWith("nabla: --layer-lr: '0.1,x' must be positive numbers");
        assertThat(fails("train", "--layer-lr", "0.1,0.1", "--lr", "0.1")).contains("give one of them");
        assertThat(fails("train", "--ensemble", "2", "--resume", model.toString()))
                .isEqualTo("nabla: --resume works on a single model, not with --ensemble");
        assertThat(fails("train", "--compare", "--optimizer", "sgd")).startsWith("nabla: --compare sets the optimizer and "
                + "techniques of each row itself; drop --optimizer");
        assertThat(fails("train", "--resume", dir.resolve("absent.safetensors").toString())).contains("absent.safetensors");
    }

    @Test
    void resumingFromAnotherArchitectureOrOtherSettingsIsOneLine() {
        assertThat(fails("train", "--data", "iris", "--epochs", "4", "--hidden", "16", "--resume", model.toString()))
                .isEqualTo("nabla: --resume " + model + ": the checkpoint holds a mlp:4-8-3,relu model but these flags "
                        + "build mlp:4-16-3,relu (use the same --hidden, --activation, --dropout and --batch-norm)");
        assertThat(fails("train", "--data", "iris", "--epochs", "4", "--hidden", "8", "--batch-norm", "--resume",
                model.toString())).contains("but these flags build mlp:4-8-3,relu,batchnorm");
        assertThat(fails("train", "--data", "iris", "--epochs", "4", "--hidden", "8", "--optimizer", "sgd", "--resume",
                model.toString())).isEqualTo("nabla: --resume " + model + ": the checkpoint was trained with --optimizer "
                + "adam, these flags give sgd; resume with the flags of the saved run");
        assertThat(fails("train", "--data", "iris", "--epochs", "4", "--hidden", "8", "--max-norm", "3", "--resume",
                model.toString())).contains("the checkpoint was trained with --max-norm 0.0, these flags give 3.0");
        assertThat(fails("train", "--data", "iris", "--epochs", "2", "--hidden", "8", "--resume", model.toString()))
                .isEqualTo("nabla: --resume " + model + ": the checkpoint has already trained 2 epochs; give --epochs "
                        + "more than that to continue");
    }

    @Test
    void aCheckpointWhoseShapesDoNotFitTheModelNamesTheTensor() {
        Path wrong = dir.resolve("wrong-arch.safetensors");
        try (Safetensors.Contents c = Safetensors.load(model, Device.cpu())) {
            Map<String, String> meta = new LinkedHashMap<>(c.metadata());
            meta.put("arch", "mlp:4-6-3,relu");
            Safetensors.save(wrong, c.tensors(), meta);
        }
        assertThat(fails("evaluate", "--model", wrong.toString())).isEqualTo("nabla: " + wrong
                + ": tensor '0.weight' has shape [4, 8] but the model's parameter has shape [4, 6]");
        assertThat(fails("evaluate", "--model", model.toString(), "--data", "digits"))
                .isEqualTo("nabla: " + model + ": the model takes 4 features but digits has 64");
    }

    @Test
    void truncatedOrCorruptCheckpointsAreOneLine() throws IOException {
        byte[] bytes = Files.readAllBytes(model);
        Path truncated = dir.resolve("truncated.safetensors");
        Files.write(truncated, java.util.Arrays.copyOf(bytes, 100));
        assertThat(fails("evaluate", "--model", truncated.toString())).startsWith("nabla: " + truncated + ": header length ")
                .endsWith("is beyond the end of the file (92 bytes follow the length field); the file is truncated or not safetensors");

        Path dataCut = dir.resolve("datacut.safetensors");
        Files.write(dataCut, java.util.Arrays.copyOf(bytes, bytes.length - 10));
        assertThat(fails("evaluate", "--model", dataCut.toString())).startsWith("nabla: " + dataCut + ": tensor '")
                .contains("reach beyond the data section");

        Path badJson = dir.resolve("badjson.safetensors");
        byte[] corrupt = bytes.clone();
        corrupt[8] = '['; // the header's opening brace
        Files.write(badJson, corrupt);
        assertThat(fails("evaluate", "--model", badJson.toString()))
                .startsWith("nabla: " + badJson + ": the header is not valid JSON: at offset ");

        String header = "{\"0.weight\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,400]}}";
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        Path offsets = dir.resolve("offsets.safetensors");
        Files.write(offsets, ByteBuffer.allocate(8 + h.length + 4).order(ByteOrder.LITTLE_ENDIAN).putLong(h.length).put(h)
                .putFloat(1f).array());
        assertThat(fails("evaluate", "--model", offsets.toString())).isEqualTo("nabla: " + offsets
                + ": tensor '0.weight': data_offsets [0, 400] reach beyond the data section, which has 4 bytes (is the file truncated?)");

        Path foreign = dir.resolve("foreign.safetensors");
        String fh = "{\"0.weight\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}";
        byte[] fb = fh.getBytes(StandardCharsets.UTF_8);
        Files.write(foreign, ByteBuffer.allocate(8 + fb.length + 4).order(ByteOrder.LITTLE_ENDIAN).putLong(fb.length).put(fb)
                .putFloat(1f).array());
        assertThat(fails("evaluate", "--model", foreign.toString())).isEqualTo("nabla: " + foreign
                + ": not a model written by 'nabla train' (metadata format is missing, expected 'nabla-mlp-classifier/1')");
        assertThat(fails("evaluate", "--model", dir.resolve("none.safetensors").toString()))
                .isEqualTo("nabla: " + dir.resolve("none.safetensors") + ": no such file");
    }
}
