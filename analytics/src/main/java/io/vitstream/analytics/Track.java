package io.vitstream.analytics;

/**
 * One object followed by a {@link Tracker}: its box filter, how many frames in a row it was
 * matched or missed, its class vote and, once confirmed, its id.
 */
public final class Track {

    private final BoxKalman filter;
    private final LabelVotes votes;
    private long id;
    private int hits;
    private int misses;
    private double[] birthBox;

    private Track(BoxKalman filter, LabelVotes votes, long id, int hits, int misses, double[] birthBox) {
        this.filter = filter;
        this.votes = votes;
        this.id = id;
        this.hits = hits;
        this.misses = misses;
        this.birthBox = birthBox;
    }

    /** A tentative track started by a detection (its first hit). */
    static Track born(Observation detection) {
        double w = detection.x2() - detection.x1();
        double h = detection.y2() - detection.y1();
        BoxKalman filter = BoxKalman.start(detection.x1() + w / 2, detection.y1() + h / 2, w, h);
        LabelVotes votes = new LabelVotes();
        votes.add(detection.labelId(), detection.label(), detection.score());
        double[] box = {detection.x1(), detection.y1(), detection.x2(), detection.y2()};
        return new Track(filter, votes, 0, 1, 0, box);
    }

    /** A track as a snapshot held it. */
    static Track restored(BoxKalman filter, LabelVotes votes, long id, int hits, int misses, double[] birthBox) {
        return new Track(filter, votes, id, hits, misses, birthBox);
    }

    /** Its id, 1, 2, 3, ... per camera from its confirmation on; 0 while tentative. */
    public long id() {
        return id;
    }

    /** Whether it has an id (it was matched {@link TrackerSettings#minHits()} frames in a row). */
    public boolean confirmed() {
        return id != 0;
    }

    /** Frames in a row it was matched, up to the last one (0 after a miss). */
    public int hits() {
        return hits;
    }

    /** Frames in a row it was not matched, up to the last one. */
    public int misses() {
        return misses;
    }

    /** Its class: the largest sum of detection scores per class, ties to the smaller index. */
    public String label() {
        return votes.label();
    }

    /** The index of {@link #label()}. */
    public int labelId() {
        return votes.labelId();
    }

    /** The filtered box (x1, y1, x2, y2) after this frame's prediction and update. */
    public double[] box() {
        return filter.box();
    }

    /**
     * The box (x1, y1, x2, y2) of the detection that started it, while it is tentative and on
     * the frame it is confirmed; null from the next frame on.
     */
    public double[] birthBox() {
        return birthBox == null ? null : birthBox.clone();
    }

    BoxKalman filter() {
        return filter;
    }

    LabelVotes votes() {
        return votes;
    }

    void predict() {
        if (misses > 0) {
            filter.holdSize();
        }
        filter.predict();
    }

    void hit(Observation detection) {
        double w = detection.x2() - detection.x1();
        double h = detection.y2() - detection.y1();
        filter.update(detection.x1() + w / 2, detection.y1() + h / 2, w, h);
        votes.add(detection.labelId(), detection.label(), detection.score());
        hits++;
        misses = 0;
    }

    void miss() {
        hits = 0;
        misses++;
    }

    void confirm(long newId) {
        id = newId;
    }

    void forgetBirth() {
        birthBox = null;
    }
}
