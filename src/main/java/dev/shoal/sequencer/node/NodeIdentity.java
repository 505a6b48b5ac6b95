package dev.shoal.sequencer.node;

import dev.shoal.sequencer.core.crypto.KeyPair;
import dev.shoal.sequencer.core.types.Committee;
import dev.shoal.sequencer.core.types.Validator;

/**
 * Who this node is: its key pair, the committee it belongs to and its index in that committee.
 *
 * @param keyPair          this validator's Ed25519 key
 * @param committee        the committee of the current epoch
 * @param index            this validator's index in the committee order
 * @param singleValidator  true when no committee file was configured and the node runs alone
 * @param keySource        where the key came from (for the log and the status endpoint)
 */
public record NodeIdentity(KeyPair keyPair, Committee committee, int index, boolean singleValidator, String keySource) {
    public NodeIdentity {
        if (!committee.isMember(index) || !committee.validator(index).publicKey().equals(keyPair.publicKey())) {
            throw new IllegalArgumentException("index " + index + " is not this key's position in the committee");
        }
    }

    public Validator self() {
        return committee.validator(index);
    }

    public String name() {
        return self().name();
    }
}
