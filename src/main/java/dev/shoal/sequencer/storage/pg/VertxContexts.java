package dev.shoal.sequencer.storage.pg;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.common.vertx.VertxContext;
import io.smallrye.mutiny.Uni;
import io.quarkus.vertx.core.runtime.context.VertxContextSafetyToggle;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.util.function.Supplier;

/**
 * Hibernate Reactive sessions must live on a Vert.x duplicated context. Store calls come from
 * REST handlers (already on one), from the consensus driver's thread and from tests (not), so
 * every Panache call goes through here.
 */
final class VertxContexts {
    private VertxContexts() {}

    static <T> Uni<T> onDuplicatedContext(Vertx vertx, Supplier<Uni<T>> work) {
        Context current = Vertx.currentContext();
        if (current != null && VertxContext.isDuplicatedContext(current)) {
            return Uni.createFrom().deferred(work::get);
        }
        Context ctx = VertxContext.createNewDuplicatedContext(vertx.getOrCreateContext());
        VertxContextSafetyToggle.setContextSafe(ctx, true);
        return Uni.createFrom().emitter(em -> ctx.runOnContext(ignored -> {
            try {
                work.get().subscribe().with(em::complete, em::fail);
            } catch (Throwable t) {
                em.fail(t);
            }
        }));
    }

    /** A Panache session on a duplicated context: how the store's API queries run. */
    static <T> Uni<T> withPanacheSession(Vertx vertx, Supplier<Uni<T>> work) {
        return onDuplicatedContext(vertx, () -> Panache.withSession(work));
    }
}
