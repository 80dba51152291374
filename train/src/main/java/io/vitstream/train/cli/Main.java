package io.vitstream.train.cli;

import io.vitstream.backbone.Djl;

import java.util.Arrays;
import java.util.List;

/**
 * The training command line: {@code vitstream-train <subcommand> [--option value ...]}.
 * Subcommands: {@code train-classifier}, {@code train-detector}, {@code make-scenes},
 * {@code evaluate}. See {@code docs/training.md}.
 */
public final class Main {

    private static final String USAGE = "usage: vitstream-train <train-classifier|train-detector|make-scenes|evaluate>"
            + " [--option value ...]; see docs/training.md";

    private Main() {}

    public static void main(String[] argv) {
        Djl.ensureOffline();
        if (argv.length == 0) {
            System.err.println(USAGE);
            System.exit(2);
        }
        Args args = new Args(Arrays.asList(argv).subList(1, argv.length));
        try {
            run(argv[0], args);
        } catch (IllegalArgumentException e) {
            System.err.println("error: " + e.getMessage());
            System.exit(2);
        }
    }

    static void run(String command, Args args) {
        switch (command) {
            case "train-classifier": TrainClassifier.run(args, System.out); break;
            case "train-detector": TrainDetector.run(args, System.out); break;
            case "make-scenes": MakeScenes.run(args, System.out); break;
            case "evaluate": Evaluate.run(args, System.out); break;
            default: throw new IllegalArgumentException("unknown subcommand '" + command + "'; " + USAGE);
        }
    }

    /** For tests and scripts: runs a subcommand in this JVM. */
    public static void run(String command, List<String> options) {
        Djl.ensureOffline();
        run(command, new Args(options));
    }
}
