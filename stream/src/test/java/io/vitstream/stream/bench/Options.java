package io.vitstream.stream.bench;

/**
 * Command-line options of {@link StreamBenchmark}.
 *
 * @param model checkpoint folder or {@code demo}
 * @param frames folder of JPEG/PNG frames, or {@code demo} for the bundled ones
 * @param batch {@code vitstream.batch.size}
 * @param precision {@code vitstream.model.precision}
 * @param count frames in the throughput run
 * @param minutes length of the steady-input run for the memory check
 * @param topic result topic to count
 * @param out markdown file whose {@code stream-benchmark} section is rewritten, or null
 * @param decode {@code vitstream.decode.mode}
 * @param decodeThreads {@code vitstream.batch.decode-threads}
 */
record Options(String model, String frames, int batch, String precision, int count, int minutes, String topic, String out,
        String decode, int decodeThreads) {

    static Options parse(String[] args) {
        String model = "demo";
        String frames = "demo";
        int batch = 8;
        String precision = "auto";
        int count = 400;
        int minutes = 10;
        String topic = "detections";
        String out = null;
        String decode = "exact";
        int decodeThreads = 2;
        for (int i = 0; i < args.length; i++) {
            String v = i + 1 < args.length ? args[i + 1] : null;
            switch (args[i]) {
                case "--model" -> { model = v; i++; }
                case "--frames" -> { frames = v; i++; }
                case "--batch" -> { batch = Integer.parseInt(v); i++; }
                case "--precision" -> { precision = v; i++; }
                case "--count" -> { count = Integer.parseInt(v); i++; }
                case "--minutes" -> { minutes = Integer.parseInt(v); i++; }
                case "--topic" -> { topic = v; i++; }
                case "--out" -> { out = v; i++; }
                case "--decode" -> { decode = v; i++; }
                case "--decode-threads" -> { decodeThreads = Integer.parseInt(v); i++; }
                default -> throw new IllegalArgumentException("unknown option " + args[i]
                        + "; known: --model --frames --batch --precision --count --minutes --topic --out --decode --decode-threads");
            }
        }
        return new Options(model, frames, batch, precision, count, minutes, topic, out, decode, decodeThreads);
    }
}
