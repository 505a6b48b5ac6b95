package dev.shoal.sequencer.core.validator;

import dev.shoal.sequencer.core.consensus.CommittedSubDag;
import dev.shoal.sequencer.core.types.Certificate;
import dev.shoal.sequencer.core.types.Digest;
import dev.shoal.sequencer.core.types.Header;

/**
 * A record the driver must make durable before it acts on the rest of an {@link Output}.
 * {@link ValidatorStateMachine#restore} rebuilds a validator from exactly the list of these
 * records it produced, in the order they were produced.
 */
public sealed interface PersistRecord {

    /** Safety rule 1: our header for its round, durable before it is sent. */
    record OwnHeaderRecord(Header header) implements PersistRecord {}

    /** Safety rule 2: we voted for this header of (author, round), durable before the vote is sent. */
    record VoteRecord(int author, long round, Digest headerDigest) implements PersistRecord {}

    /** Safety rule 3: a checked certificate, durable before anything that depends on it is published. */
    record CertificateRecord(Certificate certificate) implements PersistRecord {}

    /** Safety rule 4: a committed sub-DAG, durable before it is published to clients. */
    record CommittedSubDagRecord(CommittedSubDag subDag) implements PersistRecord {}
}
