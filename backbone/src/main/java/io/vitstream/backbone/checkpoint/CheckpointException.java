package io.vitstream.backbone.checkpoint;

/** A checkpoint folder that cannot be used as it is; the message names the file and key. */
public class CheckpointException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public CheckpointException(String message) {
        super(message);
    }

    public CheckpointException(String message, Throwable cause) {
        super(message, cause);
    }
}
