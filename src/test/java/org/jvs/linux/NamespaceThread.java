package org.jvs.linux;

import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/** Test helper: one platform thread living in a network namespace; sockets opened there stay there. */
final class NamespaceThread implements AutoCloseable {
    private final ExecutorService executor;

    NamespaceThread(String namespace) throws Exception {
        executor = Executors.newSingleThreadExecutor(Thread.ofPlatform().name("in-" + namespace).daemon().factory());
        call(() -> {
            NetworkNamespace.enterOnCurrentThread(namespace);
            return null;
        });
    }

    <T> T call(Callable<T> task) throws Exception {
        try {
            return executor.submit(task).get(30, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof Exception cause) {
                throw cause;
            }
            throw e;
        }
    }

    @Override
    public void close() {
        executor.shutdownNow();
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
