package io.vitstream.train.cli;

import io.vitstream.backbone.Djl;

import java.util.Arrays;
import java.util.List;

/**
 * The training command line: {@code vitstream-train <subcommand> [--option value ...]}.
 * Subcommands: {@code train-classifier}, {@code train-detector}, {@code make-scenes},
 * {@code make-sprites}, {@code make-sequences}, {@code evaluate}, {@code evaluate-tracking}. See
 * {@code docs/training.md}.
 */
public final class Main {

    private static final String USAGE = "usage: vitstream-train <train-classifier|train-detector|make-scenes|make-sprites|make-sequences|evaluate|evaluate-tracking>"
            + " [--option value ...]; vitstream-train --help lists them";

    private Main() {}

    public static void main(String[] argv) {
        List<String> all = Arrays.asList(argv);
        if (argv.length == 0 || List.of("--help", "-h", "help").contains(argv[0])) {
            (argv.length == 0 ? System.err : System.out).print(Help.overview());
            System.exit(argv.length == 0 ? 2 : 0);
        }
        if (all.contains("--help") || all.contains("-h")) {
            String help = Help.of(argv[0]);
            if (help == null) {
                System.err.println("error: unknown subcommand '" + argv[0] + "'\n");
                System.err.print(Help.overview());
                System.exit(2);
            }
            System.out.print(help);
            System.exit(0);
        }
        Djl.ensureOffline();
        try {
            run(argv[0], new Args(all.subList(1, argv.length)));
        } catch (IllegalArgumentException e) {
            System.err.println("error: " + e.getMessage());
            if (Help.of(argv[0]) != null) {
                System.err.println("(vitstream-train " + argv[0] + " --help lists the options)");
            }
            System.exit(2);
        }
    }

    static void run(String command, Args args) {
        switch (command) {
            case "train-classifier": TrainClassifier.run(args, System.out); break;
            case "train-detector": TrainDetector.run(args, System.out); break;
            case "make-scenes": MakeScenes.run(args, System.out); break;
            case "make-sprites": MakeSprites.run(args, System.out); break;
            case "make-sequences": MakeSequences.run(args, System.out); break;
            case "evaluate-tracking": EvaluateTracking.run(args, System.out); break;
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
