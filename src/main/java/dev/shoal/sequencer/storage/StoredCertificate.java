package dev.shoal.sequencer.storage;

import dev.shoal.sequencer.core.types.Certificate;

/**
 * A certificate with its commit mark.
 *
 * @param certificate the certificate
 * @param commitIndex index of the committed sub-DAG that holds it, or 0 while uncommitted
 */
public record StoredCertificate(Certificate certificate, long commitIndex) {
    public boolean committed() {
        return commitIndex > 0;
    }
}
