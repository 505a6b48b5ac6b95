package dev.shoal.sequencer.api;

import dev.shoal.sequencer.core.types.Committee;
import dev.shoal.sequencer.node.NodeIdentity;
import dev.shoal.sequencer.node.NodeLifecycle;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * Body of {@code GET /api/v1/status}. Later issues add rounds, commits and recovery as new
 * components; clients must ignore fields they do not know.
 */
@Schema(name = "Status", description = "This validator, its committee and its lifecycle state")
public record StatusResponse(ValidatorInfo validator, CommitteeInfo committee, NodeInfo node) {

    /** This validator. */
    @Schema(name = "ValidatorIdentity")
    public record ValidatorInfo(
            @Schema(description = "Validator name", examples = "validator-0") String name,
            @Schema(description = "Ed25519 public key, 64 hex characters") String publicKey,
            @Schema(description = "Position in the committee order (sorted by public key)") int index,
            @Schema(description = "True when running as a one-validator committee (no committee file)") boolean singleValidator) {
    }

    /** The committee of the current epoch. */
    @Schema(name = "Committee")
    public record CommitteeInfo(
            long epoch,
            @Schema(description = "Number of validators") int size,
            long totalStake,
            @Schema(description = "Stake for a certificate: 2N/3 + 1 (2f+1)") long quorumThreshold,
            @Schema(description = "Stake that includes an honest validator: (N+2)/3 (f+1)") long validityThreshold,
            @Schema(description = "Validators in committee order") List<Member> members) {
    }

    /** One committee member. */
    @Schema(name = "CommitteeMember")
    public record Member(int index, String name, String publicKey, long stake, String address) {
    }

    /** Lifecycle of this node. */
    @Schema(name = "NodeState")
    public record NodeInfo(
            @Schema(description = "STARTING, RECOVERING or READY") NodeLifecycle.State lifecycle,
            @Schema(description = "False while the database does not accept writes") boolean storageHealthy) {
    }

    static StatusResponse of(NodeIdentity identity, NodeLifecycle lifecycle) {
        Committee c = identity.committee();
        List<Member> members = new java.util.ArrayList<>(c.size());
        for (int i = 0; i < c.size(); i++) {
            var v = c.validator(i);
            members.add(new Member(i, v.name(), v.publicKey().toHex(), v.stake(), v.address()));
        }
        return new StatusResponse(
                new ValidatorInfo(identity.name(), identity.keyPair().publicKey().toHex(), identity.index(), identity.singleValidator()),
                new CommitteeInfo(c.epoch(), c.size(), c.totalStake(), c.quorumThreshold(), c.validityThreshold(), List.copyOf(members)),
                new NodeInfo(lifecycle.state(), lifecycle.storageHealthy()));
    }
}
