package dev.shoal.sequencer.api;

import dev.shoal.sequencer.core.types.Certificate;
import dev.shoal.sequencer.core.types.Digest;
import dev.shoal.sequencer.core.types.Signature;
import dev.shoal.sequencer.storage.StoredCertificate;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * A certificate as GET /api/v1/certificates shows it: its header's fields, who signed it and
 * whether (and in which committed sub-DAG) it is committed.
 */
@Schema(name = "Certificate", description = "A certificate: header fields, signers and commit mark")
public record CertificateView(
        @Schema(description = "Certificate digest, hex") String digest,
        @Schema(description = "Digest of the certified header, hex") String headerDigest,
        long epoch,
        long round,
        @Schema(description = "Committee index of the author") int author,
        @Schema(description = "Author's header timestamp, milliseconds since the epoch") long timestampMs,
        @Schema(description = "Digests (hex) of the round-1 certificates it builds on, ascending") List<String> parents,
        @Schema(description = "Digests (hex) of the batches it orders, in header order") List<String> batchDigests,
        @Schema(description = "Committee indexes of the validators whose votes it carries, ascending") List<Integer> signers,
        @Schema(description = "Their Ed25519 signatures of the header's vote message, hex, in signer order") List<String> signatures,
        boolean committed,
        @Schema(description = "Index of the committed sub-DAG that holds it; null while uncommitted", nullable = true) Long commitIndex) {

    static CertificateView of(StoredCertificate stored) {
        Certificate c = stored.certificate();
        return new CertificateView(c.digest().toHex(), c.header().digest().toHex(), c.epoch(), c.round(), c.author(),
                c.header().timestampMs(), hex(c.parents()), hex(c.header().batchDigests()), c.signers().signers(),
                c.signatures().stream().map(Signature::toHex).toList(), stored.committed(),
                stored.committed() ? stored.commitIndex() : null);
    }

    private static List<String> hex(List<Digest> digests) {
        return digests.stream().map(Digest::toHex).toList();
    }
}
