package dev.shoal.sequencer.node;

import dev.shoal.sequencer.core.crypto.KeyPair;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;

/**
 * The node's use of {@link KeyFile} (hex secret seed, 0600, atomic writes): turns its errors into
 * one-line {@link IdentityException}s and never overwrites an existing key.
 */
final class ValidatorKeyFile {
    private ValidatorKeyFile() {}

    /** Parses a hex secret key; {@code what} names the source in errors. */
    static KeyPair parse(String text, String what) {
        try {
            return KeyFile.parse(text.strip(), what);
        } catch (IllegalArgumentException e) {
            throw new IdentityException(e.getMessage());
        }
    }

    static KeyPair read(Path file) {
        try {
            return KeyFile.read(file);
        } catch (NoSuchFileException e) {
            throw new IdentityException("validator key file " + file + " does not exist");
        } catch (IOException e) {
            throw new IdentityException("validator key file " + file + " cannot be read: " + e.getMessage());
        } catch (IllegalArgumentException e) {
            throw new IdentityException("validator " + e.getMessage());
        }
    }

    /** True when the file exists and group or others may read or write it. */
    static boolean tooOpen(Path file) {
        try {
            if (!Files.getFileStore(file).supportsFileAttributeView("posix")) return false;
            Set<PosixFilePermission> p = Files.getPosixFilePermissions(file);
            p.removeAll(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_EXECUTE));
            return !p.isEmpty();
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }

    /** Writes a new key file (0600, atomic); refuses to replace an existing one. */
    static void writeNew(Path file, KeyPair key) {
        if (Files.exists(file)) {
            throw new IdentityException("validator key file " + file + " already exists; refusing to overwrite it");
        }
        try {
            KeyFile.write(file, key);
        } catch (IOException e) {
            throw new IdentityException("cannot write validator key file " + file + ": " + e);
        }
    }
}
