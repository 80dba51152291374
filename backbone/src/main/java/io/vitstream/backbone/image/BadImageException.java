package io.vitstream.backbone.image;

/**
 * Bytes that cannot become a model input. The {@link Reason} is machine-readable (the stream
 * service puts it in a dead-letter header); the message says what was received.
 */
public class BadImageException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** Why an input was refused. */
    public enum Reason {
        /** Zero bytes. */
        EMPTY,
        /** Not an image format we know (first bytes in the message). */
        NOT_AN_IMAGE,
        /**
         * A known image format that is not JPEG or PNG (GIF, BMP, WebP, ...), or a JPEG whose
         * samples no decoder here reads as PIL does (12/16-bit, CMYK without an Adobe marker).
         */
        UNSUPPORTED_FORMAT,
        /** JPEG or PNG whose data ends early. */
        TRUNCATED,
        /** More bytes than the configured limit. */
        TOO_LARGE,
        /**
         * Width x height over the configured limit, or the decoded bytes or the resize's working
         * memory over the budget derived from it; read from the header before decoding.
         */
        TOO_MANY_PIXELS,
        /** A JPEG or PNG the decoder rejects (corrupt data, a feature it lacks; its text as detail). */
        CORRUPT;

        /** The kebab-case code used in headers and metrics, e.g. {@code not-an-image}. */
        public String code() {
            return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        }
    }

    private final Reason reason;

    public BadImageException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public BadImageException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    /** Why the input was refused. */
    public Reason reason() {
        return reason;
    }
}
