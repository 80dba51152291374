package io.vitstream.backbone.image;

import io.vitstream.backbone.image.BadImageException.Reason;

import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.imgcodecs.Imgcodecs;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;

/**
 * JPEG and PNG decoding in native code: OpenCV's {@code imdecode} from the {@code org.openpnp:opencv}
 * artifact, which bundles OpenCV built with libjpeg-turbo and libpng. JPEG can be decoded at 1/2,
 * 1/4 or 1/8 of its size straight from the DCT coefficients, which skips most of the work.
 *
 * <p>OpenCV's JPEG decoder is libjpeg-turbo with the default (islow) IDCT and fancy upsampling,
 * the same code PIL uses, so full-size decoding gives PIL's bytes; the parity tests guard it.
 * EXIF orientation is ignored here, as PIL's {@code Image.open} does; callers apply it afterwards
 * ({@link ExifOrientation}), as {@code exif_transpose} does.
 *
 * <p>Loading: the library is {@code System.load}ed from the environment variable
 * {@code OPENCV_JAVA_LIBRARY} (or the system property {@code opencv.java.library}) when set, as the container images do with
 * their baked copy; otherwise it is extracted once from the jar to
 * {@code java.io.tmpdir/vitstream-opencv-<size>/} and reused by later starts. If it cannot load
 * (another platform, a read-only temp folder), {@link #available()} is false, the reason is
 * logged once and callers fall back to ImageIO.
 */
public final class NativeCodec {

    private static final Logger LOG = LoggerFactory.getLogger(NativeCodec.class);

    private static final String RESOURCE = "/nu/pattern/opencv/linux/x86_64/libopencv_java490.so";
    private static final int IGNORE_ORIENTATION = Imgcodecs.IMREAD_IGNORE_ORIENTATION;

    private static volatile Boolean loaded;
    private static volatile String failure = "";

    private NativeCodec() {}

    /** One decoded image: {@code width x height} BGR bytes at the start of {@code bgr}. */
    record Decoded(int width, int height, byte[] bgr) {}

    /** Whether the native library is loaded (loads it on first call). */
    public static boolean available() {
        Boolean l = loaded;
        if (l == null) {
            synchronized (NativeCodec.class) {
                if (loaded == null) {
                    loaded = load();
                }
                l = loaded;
            }
        }
        return l;
    }

    /** Why the library is not available ({@code ""} when it is). */
    public static String unavailableReason() {
        return available() ? "" : failure;
    }

    /** A short description for logs and {@code /v1/model}. */
    public static String describe() {
        return available() ? "OpenCV " + org.opencv.core.Core.VERSION + " (libjpeg-turbo, libpng)" : "ImageIO (" + failure + ")";
    }

    private static boolean load() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch", "");
        String configured = System.getProperty("opencv.java.library", System.getenv("OPENCV_JAVA_LIBRARY"));
        try {
            if (NativeCodec.class.getClassLoader() != Mat.class.getClassLoader()) {
                // JNI binds a library to the class loader that loads it, and OpenCV's classes look
                // for it in theirs. Where the two differ (Quarkus dev and test mode put workspace
                // modules and dependency jars in different loaders), let OpenCV's own loader,
                // which lives beside its classes, extract and load a copy.
                nu.pattern.OpenCV.loadLocally();
            } else if (configured != null && !configured.isBlank()) {
                System.load(Path.of(configured).toAbsolutePath().toString());
            } else if (os.contains("linux") && (arch.equals("amd64") || arch.equals("x86_64"))) {
                System.load(extract().toString());
            } else {
                failure = "no bundled native decoder for " + os + "/" + arch;
                LOG.warn("Native image decoding unavailable: {}; decoding with ImageIO", failure);
                return false;
            }
            // Loaded is not linked: prove a native call works before saying yes.
            new Mat().release();
            LOG.debug("Native image decoding: OpenCV {}", org.opencv.core.Core.VERSION);
            return true;
        } catch (IOException | LinkageError | RuntimeException e) {
            failure = e.getClass().getSimpleName() + ": " + e.getMessage();
            LOG.warn("Native image decoding unavailable ({}); decoding with ImageIO", failure);
            return false;
        }
    }

    /** The bundled library in a folder of the temp dir, written once (atomically) and reused. */
    private static Path extract() throws IOException {
        java.net.URL url = NativeCodec.class.getResource(RESOURCE);
        if (url == null) {
            throw new IOException(RESOURCE + " is not on the class path");
        }
        long size = url.openConnection().getContentLengthLong();
        Path dir = Path.of(System.getProperty("java.io.tmpdir"), "vitstream-opencv-" + size);
        Path lib = dir.resolve("libopencv_java490.so");
        if (Files.isRegularFile(lib) && Files.size(lib) == size) {
            return lib;
        }
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, "lib", ".part");
        try (InputStream in = NativeCodec.class.getResourceAsStream(RESOURCE)) {
            Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
            Files.move(tmp, lib, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
        return lib;
    }

    /**
     * Decodes to BGR at {@code 1/reduce} of the size ({@code reduce} 1, 2, 4 or 8; JPEG only for
     * more than 1), into {@code reuse} when it is large enough.
     *
     * @param format what the header probe found (for messages)
     * @throws BadImageException {@code CORRUPT} when the decoder rejects the data
     */
    static Decoded decode(byte[] bytes, ImageFormat format, int reduce, byte[] reuse) {
        int flags = IGNORE_ORIENTATION | switch (reduce) {
            case 1 -> Imgcodecs.IMREAD_COLOR;
            case 2 -> Imgcodecs.IMREAD_REDUCED_COLOR_2;
            case 4 -> Imgcodecs.IMREAD_REDUCED_COLOR_4;
            case 8 -> Imgcodecs.IMREAD_REDUCED_COLOR_8;
            default -> throw new IllegalArgumentException("reduce must be 1, 2, 4 or 8, got " + reduce);
        };
        MatOfByte encoded = new MatOfByte(bytes);
        Mat image = null;
        try {
            try {
                image = Imgcodecs.imdecode(encoded, flags);
            } catch (org.opencv.core.CvException e) {
                throw new BadImageException(Reason.CORRUPT, format + " data is damaged or uses a feature the decoder"
                        + " does not support (" + bytes.length + " bytes; OpenCV says " + e.getMessage().strip() + ")", e);
            }
            if (image.empty() || image.channels() != 3 || image.depth() != org.opencv.core.CvType.CV_8U) {
                throw new BadImageException(Reason.CORRUPT, format + " data is damaged or uses a feature the decoder"
                        + " does not support (" + bytes.length + " bytes; OpenCV returned no 8-bit colour image)");
            }
            int w = image.cols();
            int h = image.rows();
            int n = Math.toIntExact((long) w * h * 3); // imdecode's Mat is one Java array's worth after the budget
            byte[] out = reuse != null && reuse.length >= n ? reuse : new byte[n];
            image.get(0, 0, out); // imdecode's result is one continuous block
            return new Decoded(w, h, out);
        } finally {
            encoded.release();
            if (image != null) {
                image.release();
            }
        }
    }
}
