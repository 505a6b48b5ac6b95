package dev.shoal.sequencer.node;

import dev.shoal.sequencer.core.crypto.Ed25519;
import dev.shoal.sequencer.core.crypto.KeyPair;
import dev.shoal.sequencer.core.types.Hex;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * A validator key file: the 32-byte Ed25519 secret seed as 64 hex characters (one line),
 * permissions 0600. Written atomically (temporary file in the same directory, fsync, rename), so a
 * crash never leaves a half-written key.
 * <p>
 * Package-private stand-in until {@code core.crypto.KeyFile} (branch codec-crypto) lands; then
 * this class should delegate to it or go.
 */
final class ValidatorKeyFile {
    static final Set<PosixFilePermission> OWNER_READ_WRITE = PosixFilePermissions.fromString("rw-------");

    private ValidatorKeyFile() {}

    /** Parses a hex secret key (surrounding whitespace allowed); {@code what} names the source in errors. */
    static KeyPair parse(String text, String what) {
        String hex = text.strip();
        if (hex.length() != 2 * Ed25519.SECRET_KEY_LENGTH) {
            throw new IdentityException(what + " is malformed: expected " + 2 * Ed25519.SECRET_KEY_LENGTH
                    + " hex characters (a 32-byte Ed25519 secret key), found " + hex.length() + " characters");
        }
        try {
            return KeyPair.fromSecret(Hex.decode(hex));
        } catch (IllegalArgumentException e) {
            throw new IdentityException(what + " is malformed: it is not a hex string");
        }
    }

    static KeyPair read(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.US_ASCII);
        } catch (NoSuchFileException e) {
            throw new IdentityException("validator key file " + file + " does not exist");
        } catch (IOException | RuntimeException e) {
            throw new IdentityException("validator key file " + file + " cannot be read: " + e.getMessage());
        }
        return parse(text, "validator key file " + file);
    }

    /** True when the file exists and group or others may read or write it. */
    static boolean tooOpen(Path file) {
        if (!isPosix(file)) return false;
        try {
            Set<PosixFilePermission> p = Files.getPosixFilePermissions(file);
            p.removeAll(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_EXECUTE));
            return !p.isEmpty();
        } catch (IOException e) {
            return false;
        }
    }

    /** Writes a new key file atomically with permissions 0600; never replaces an existing file. */
    static void writeNew(Path file, KeyPair key) {
        Path target = file.toAbsolutePath();
        Path dir = target.getParent();
        Path tmp = null;
        try {
            Files.createDirectories(dir);
            tmp = isPosix(dir)
                    ? Files.createTempFile(dir, ".validator-key-", ".tmp", PosixFilePermissions.asFileAttribute(OWNER_READ_WRITE))
                    : Files.createTempFile(dir, ".validator-key-", ".tmp");
            byte[] content = (Hex.encode(key.secretBytes()) + "\n").getBytes(StandardCharsets.US_ASCII);
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                ch.write(ByteBuffer.wrap(content));
                ch.force(true);
            }
            if (Files.exists(target)) {
                throw new IdentityException("validator key file " + target + " appeared while generating a new key; refusing to overwrite it");
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target);
            }
            tmp = null;
            fsyncDirectory(dir);
        } catch (IOException e) {
            throw new IdentityException("cannot write validator key file " + target + ": " + e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // best effort: the temporary file holds a key nobody uses
                }
            }
        }
    }

    private static boolean isPosix(Path p) {
        return p.getFileSystem().supportedFileAttributeViews().contains("posix");
    }

    /** Makes the rename durable; not supported everywhere, so failures are ignored. */
    private static void fsyncDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | RuntimeException ignored) {
            // directories cannot be opened for sync on every platform
        }
    }
}
