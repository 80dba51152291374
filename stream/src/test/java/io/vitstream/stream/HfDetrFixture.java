package io.vitstream.stream;

import java.io.IOException;
import java.nio.file.Path;

/** The Hugging Face DETR-R50 fixture of the heads module ({@code heads/src/test/resources/detr-hf}). */
public final class HfDetrFixture {

    /** The fixture's folder: test images, HF outputs, and one model folder per variant and config form. */
    public static final Path ROOT = ServiceProcess.moduleDir().toAbsolutePath().normalize().getParent()
            .resolve("heads/src/test/resources/detr-hf");

    private HfDetrFixture() {}

    /**
     * The C5 folder as transformers saved it, plus {@code score_threshold: 0} in its config.json
     * (a key HF ignores; our DETR head's post-processing reads it): random weights score every
     * class near 1/92, so at the default 0.5 nothing would be reported and nothing compared.
     *
     * @param copy where to write it (under the module's target/)
     */
    public static Path withAllQueries(Path copy) throws IOException {
        return io.vitstream.heads.detr.DetrFolders.withAllQueries(ROOT.resolve("c5/timm"), copy);
    }
}
