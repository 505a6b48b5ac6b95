package dev.shoal.sequencer.storage.memory;

import dev.shoal.sequencer.storage.SequencerStore;
import dev.shoal.sequencer.storage.SequencerStoreContract;

/** The store contract on the in-memory store (plain JUnit: it needs no runtime). */
class InMemoryStoreTest extends SequencerStoreContract {
    @Override
    protected SequencerStore emptyStore() {
        return new InMemoryStore();
    }
}
