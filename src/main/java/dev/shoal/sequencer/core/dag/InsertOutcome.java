package dev.shoal.sequencer.core.dag;

import dev.shoal.sequencer.core.types.Certificate;
import dev.shoal.sequencer.core.types.Digest;
import java.util.List;

/**
 * What {@link Dag#insert} did with a certificate.
 *
 * @param status         the fate of the certificate passed in
 * @param inserted       every certificate that entered the DAG as a result of this call, in causal
 *                       (insertion) order: the certificate itself first when it entered, then the
 *                       pending certificates it released. Pass each one to the consensus, in this order.
 * @param missingParents for {@link Status#PENDING}: the parent digests the DAG is waiting for
 * @param rejection      for {@link Status#REJECTED}: why; null otherwise
 * @param droppedPending pending certificates that were released by this call but then failed a structural
 *                       check (for example a parent of the wrong round); they are gone from the pending set
 */
public record InsertOutcome(Status status, List<Certificate> inserted, List<Digest> missingParents,
                            Rejection rejection, List<Rejection> droppedPending) {

    /** The fate of the certificate passed to {@link Dag#insert}. */
    public enum Status {
        /** The certificate entered the DAG (and maybe released pending ones). */
        INSERTED,
        /** The same certificate is already in the DAG or pending: nothing changed. */
        DUPLICATE,
        /** Its round is below the DAG's GC round: ignored. */
        BELOW_GC,
        /** Some parents are missing: it waits in the pending set. */
        PENDING,
        /** A structural check failed. */
        REJECTED
    }

    /**
     * A refused certificate.
     *
     * @param reason      the check that failed
     * @param certificate the refused certificate
     * @param detail      a human-readable explanation
     * @param existing    for {@link InsertRejection#EQUIVOCATION}: the certificate already held for that
     *                    (author, round); null otherwise
     */
    public record Rejection(InsertRejection reason, Certificate certificate, String detail, Certificate existing) {
        @Override
        public String toString() {
            return reason + " " + certificate + ": " + detail;
        }
    }

    public InsertOutcome {
        inserted = List.copyOf(inserted);
        missingParents = List.copyOf(missingParents);
        droppedPending = List.copyOf(droppedPending);
    }

    static InsertOutcome inserted(List<Certificate> inserted, List<Rejection> dropped) {
        return new InsertOutcome(Status.INSERTED, inserted, List.of(), null, dropped);
    }

    static InsertOutcome of(Status status) {
        return new InsertOutcome(status, List.of(), List.of(), null, List.of());
    }

    static InsertOutcome pending(List<Digest> missing) {
        return new InsertOutcome(Status.PENDING, List.of(), missing, null, List.of());
    }

    static InsertOutcome rejected(Rejection r) {
        return new InsertOutcome(Status.REJECTED, List.of(), List.of(), r, List.of());
    }

    public boolean isInserted() {
        return status == Status.INSERTED;
    }

    public boolean isRejected() {
        return status == Status.REJECTED;
    }

    public boolean isEquivocation() {
        return rejection != null && rejection.reason() == InsertRejection.EQUIVOCATION;
    }

    @Override
    public String toString() {
        return switch (status) {
            case INSERTED -> "inserted " + inserted.size() + " certificate(s)"
                    + (droppedPending.isEmpty() ? "" : ", dropped pending " + droppedPending);
            case PENDING -> "pending (missing parents: " + missingParents.stream().map(Digest::shortHex).toList() + ")";
            case REJECTED -> "rejected: " + rejection;
            default -> status.name().toLowerCase();
        };
    }
}
