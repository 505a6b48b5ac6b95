package dev.shoal.sequencer.storage;

import dev.shoal.sequencer.core.types.Digest;

/** Safety rule 2: this validator voted for headerDigest as the header of (author, round). */
public record VoteRecord(int author, long round, Digest headerDigest) {}
