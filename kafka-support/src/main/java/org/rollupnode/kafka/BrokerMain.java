package org.rollupnode.kafka;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * Runs the embedded single-node KRaft broker as its own process: {@code BrokerMain <dir>}. Prints
 * {@code BROKER_READY <host:port>} once it serves. For distributed tests and small deployments without
 * a packaged Kafka; the broker keeps its ports in {@code <dir>/broker.properties} across restarts.
 */
public final class BrokerMain {
    private BrokerMain() {}

    public static void main(String[] args) throws InterruptedException {
        if (args.length != 1) {
            System.err.println("usage: BrokerMain <data directory>");
            System.exit(2);
        }
        EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker(Path.of(args[0])).start();
        CountDownLatch done = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            broker.close();
            done.countDown();
        }));
        System.out.println("BROKER_READY " + broker.bootstrapServers());
        System.out.flush();
        done.await();
    }
}
