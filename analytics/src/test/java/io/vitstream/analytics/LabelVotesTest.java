package io.vitstream.analytics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class LabelVotesTest {

    @Test
    void labelVoteTiesGoToTheSmallerClassIndex() {
        LabelVotes votes = new LabelVotes();
        votes.add(3, "truck", 0.5);
        votes.add(1, "car", 0.25);
        assertEquals("truck", votes.label());
        votes.add(1, "car", 0.25);
        assertEquals("car", votes.label(), "0.5 each: the smaller index");
        assertEquals(1, votes.labelId());
        assertEquals(List.of(new LabelVotes.Vote(1, "car", 0.5), new LabelVotes.Vote(3, "truck", 0.5)),
                votes.votes());
    }
}
