package org.rollupnode.gateway;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.InterruptException;
import org.rollupnode.execution.tx.Transaction;
import org.rollupnode.execution.types.Address;
import org.rollupnode.execution.types.Hex;
import org.rollupnode.kafka.KafkaSettings;
import org.rollupnode.schemas.EventCodec;
import org.rollupnode.schemas.PendingTransaction;
import org.rollupnode.schemas.Topics;

/**
 * Writes accepted transactions to {@code pending-transactions}, keyed by sender so one sender's
 * transactions stay in order on one partition. A submission completes only once Kafka
 * acknowledged the record with acks=all, so a hash given to a client after that is never lost
 * (invariant 4).
 */
public final class TransactionSubmitter implements AutoCloseable {
    private final KafkaProducer<String, byte[]> producer;
    private final String gatewayId;

    /** How long a client waits at most for the acknowledgement before it is told to retry. */
    public static final Duration ACK_TIMEOUT = Duration.ofSeconds(15);

    private final Duration ackTimeout;
    /**
     * Why send() last blocked and failed (no metadata for the topic, buffer full), or null once a
     * record was acknowledged since: while set, only one caller at a time, and at most once per
     * probe interval, waits in send(); the others fail at once.
     */
    private volatile String unavailable;
    private volatile long lastBlockedFailure;
    private final AtomicBoolean probing = new AtomicBoolean();
    /** While Kafka is unavailable, how often a caller may wait in send() again to find out whether it is back. */
    private static final long PROBE_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(1);

    public TransactionSubmitter(KafkaSettings kafka, String gatewayId) {
        this(kafka, gatewayId, ACK_TIMEOUT);
    }

    /** @param ackTimeout bound on the wait for Kafka's acknowledgement (tests shorten it) */
    public TransactionSubmitter(KafkaSettings kafka, String gatewayId, Duration ackTimeout) {
        Map<String, Object> config = kafka.producerConfig(gatewayId + "-submitter");
        // The calls of a JSON-RPC batch send without waiting for each other's acks, and workers
        // send concurrently, so records pile up in the accumulator while a request is in flight
        // and share the next one anyway; lingering would only add its full delay to a lone
        // transaction.
        config.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        this.producer = new KafkaProducer<>(config);
        this.gatewayId = gatewayId;
        this.ackTimeout = ackTimeout;
    }

    /**
     * Sends the transaction's record. The future completes once Kafka acknowledged it, on the
     * producer's I/O thread (keep what depends on it short), or fails with a {@link SubmitException}
     * (wrapped in a CompletionException) when Kafka refused it or did not answer within the ack
     * timeout; the client must then retry. May block up to the producer's max.block.ms when Kafka's
     * metadata or buffer space is not available; after such a failure one caller per probe interval
     * waits again and the others fail at once, so a batch does not wait max.block.ms per call.
     */
    public CompletableFuture<Void> submitAsync(Transaction tx, Address sender) {
        PendingTransaction record = new PendingTransaction(tx.hash().toHex(), sender.toHex(), Hex.encode(tx.encoded()),
                System.currentTimeMillis(), gatewayId);
        CompletableFuture<Void> acked = new CompletableFuture<>();
        // armed before send(), so time send() spends blocked counts against the bound too
        CompletableFuture<Void> bounded = acked.orTimeout(ackTimeout.toMillis(), TimeUnit.MILLISECONDS)
                .exceptionally(this::asSubmitFailure);
        String down = unavailable;
        boolean probe = down != null && System.nanoTime() - lastBlockedFailure >= PROBE_INTERVAL_NANOS
                && probing.compareAndSet(false, true);
        if (down != null && !probe) {
            acked.completeExceptionally(new SubmitException("Kafka is unavailable: " + down));
            return bounded;
        }
        try {
            Future<RecordMetadata> sent = producer.send(new ProducerRecord<>(Topics.PENDING_TRANSACTIONS.name(), sender.toHex(),
                    EventCodec.PENDING_TRANSACTION.encode(record)), (metadata, e) -> {
                        if (e == null) {
                            if (unavailable != null) {
                                unavailable = null;
                            }
                            acked.complete(null);
                        } else {
                            acked.completeExceptionally(new SubmitException("Kafka did not accept the transaction: " + e.getMessage()));
                        }
                    });
            // send() answers a missing topic/partition metadata or a full buffer, after max.block.ms,
            // with a failed future instead of throwing
            if (sent.isDone()) {
                try {
                    sent.get();
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof org.apache.kafka.common.errors.TimeoutException) {
                        lastBlockedFailure = System.nanoTime();
                        unavailable = e.getCause().getMessage();
                    }
                }
            }
        } catch (InterruptException | InterruptedException e) {
            Thread.currentThread().interrupt();
            acked.completeExceptionally(new SubmitException("interrupted before Kafka acknowledged the transaction"));
        } catch (RuntimeException e) {
            acked.completeExceptionally(new SubmitException("Kafka is unavailable: " + e.getMessage()));
        } finally {
            if (probe) {
                probing.set(false);
            }
        }
        return bounded;
    }

    private Void asSubmitFailure(Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        if (cause instanceof SubmitException) {
            throw new CompletionException(cause);
        }
        if (cause instanceof TimeoutException) {
            throw new CompletionException(new SubmitException(
                    "Kafka did not acknowledge the transaction within " + seconds(ackTimeout)));
        }
        throw new CompletionException(new SubmitException("Kafka is unavailable: " + cause.getMessage()));
    }

    private static String seconds(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }

    public static final class SubmitException extends Exception {
        public SubmitException(String message) {
            super(message);
        }
    }

    @Override
    public void close() {
        // Bounded by the ack timeout: every client waiting on a record still held after that has
        // already been told to retry, and an unbounded close hangs shutdown while Kafka is away.
        producer.close(ackTimeout);
    }
}
