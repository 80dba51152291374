package io.vitstream.analytics;

import java.util.ArrayList;
import java.util.List;

/**
 * A track's class by a score-weighted vote of its detections: each detection adds its score to
 * its class; the class with the largest total wins, ties to the smaller class index.
 */
final class LabelVotes {

    /** One class's votes: its index, its name (as first seen) and the sum of scores. */
    record Vote(int labelId, String label, double total) {}

    /** Sorted by labelId; a track rarely sees more than two classes. */
    private final List<Vote> votes = new ArrayList<>(2);
    private int winner = -1;

    void add(int labelId, String label, double score) {
        int i = 0;
        while (i < votes.size() && votes.get(i).labelId() < labelId) {
            i++;
        }
        if (i < votes.size() && votes.get(i).labelId() == labelId) {
            Vote old = votes.get(i);
            votes.set(i, new Vote(labelId, old.label(), old.total() + score));
        } else {
            votes.add(i, new Vote(labelId, label, score));
        }
        winner = 0;
        for (int k = 1; k < votes.size(); k++) {
            if (votes.get(k).total() > votes.get(winner).total()) {
                winner = k;
            }
        }
    }

    /** The winning class's name; only after a first {@link #add}. */
    String label() {
        return votes.get(winner).label();
    }

    int labelId() {
        return votes.get(winner).labelId();
    }

    /** The votes in class order, for snapshots. */
    List<Vote> votes() {
        return List.copyOf(votes);
    }
}
