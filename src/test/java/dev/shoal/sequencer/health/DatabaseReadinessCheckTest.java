package dev.shoal.sequencer.health;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shoal.sequencer.config.devdb.DatabaseEndpoint;
import dev.shoal.sequencer.config.devdb.DevDatabaseBootstrap;
import dev.shoal.sequencer.support.PostgresTestResource;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.PoolOptions;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The database readiness check against a real PostgreSQL, a closed port and a server that never answers. */
class DatabaseReadinessCheckTest {
    private final Vertx vertx = Vertx.vertx();
    private final List<Pool> pools = new ArrayList<>();

    @AfterEach
    void close() {
        pools.forEach(p -> p.closeAndAwait());
        vertx.closeAndAwait();
    }

    private Pool pool(String host, int port, String database) {
        PgConnectOptions options = new PgConnectOptions().setHost(host).setPort(port).setDatabase(database)
                .setUser("postgres").setConnectTimeout(1000);
        Pool pool = Pool.newInstance(PgBuilder.pool().connectingTo(options).with(new PoolOptions().setMaxSize(1))
                .using(vertx.getDelegate()).build());
        pools.add(pool);
        return pool;
    }

    private static HealthCheckResponse run(DatabaseReadinessCheck check) {
        // Awaiting is fine in a test; the check itself never blocks.
        return check.call().await().atMost(Duration.ofSeconds(30));
    }

    @Test
    void upWhenTheDatabaseAnswers() {
        DatabaseEndpoint db = DevDatabaseBootstrap.resolve(DevDatabaseBootstrap.Mode.parse(
                System.getProperty("sequencer.dev-database.mode", System.getenv("SEQUENCER_DEV_DATABASE_MODE"))), PostgresTestResource.DATABASE, null);
        HealthCheckResponse r = run(new DatabaseReadinessCheck(pool(db.host(), db.port(), db.database()), Duration.ofSeconds(5)));
        assertThat(r.getStatus()).isEqualTo(HealthCheckResponse.Status.UP);
        assertThat(r.getName()).isEqualTo("database");
    }

    @Test
    void downWhenNothingListens() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        HealthCheckResponse r = run(new DatabaseReadinessCheck(pool("127.0.0.1", port, "none"), Duration.ofSeconds(5)));
        assertThat(r.getStatus()).isEqualTo(HealthCheckResponse.Status.DOWN);
        assertThat(r.getData()).hasValueSatisfying(d -> assertThat(d).containsKey("error"));
    }

    @Test
    void downWhenTheServerNeverAnswers() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
            Thread acceptor = new Thread(() -> {
                List<Socket> held = new ArrayList<>();
                try {
                    while (true) held.add(silent.accept()); // accept and never reply
                } catch (IOException closed) {
                    held.forEach(s -> {
                        try {
                            s.close();
                        } catch (IOException ignored) {
                            // closing test sockets
                        }
                    });
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            HealthCheckResponse r = run(new DatabaseReadinessCheck(pool("127.0.0.1", silent.getLocalPort(), "none"), Duration.ofMillis(300)));
            assertThat(r.getStatus()).isEqualTo(HealthCheckResponse.Status.DOWN);
            assertThat(r.getData().orElseThrow().get("error")).isEqualTo("no answer within 300 ms");
        }
    }
}
