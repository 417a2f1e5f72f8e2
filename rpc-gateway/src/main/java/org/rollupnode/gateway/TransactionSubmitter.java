package org.rollupnode.gateway;

import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.rollupnode.execution.tx.Transaction;
import org.rollupnode.execution.types.Address;
import org.rollupnode.execution.types.Hex;
import org.rollupnode.kafka.KafkaSettings;
import org.rollupnode.schemas.EventCodec;
import org.rollupnode.schemas.PendingTransaction;
import org.rollupnode.schemas.Topics;

/**
 * Writes accepted transactions to {@code pending-transactions}, keyed by sender so one sender's
 * transactions stay in order on one partition. Returns only once Kafka acknowledged the record
 * with acks=all: a hash given to a client is never lost (invariant 4).
 */
public final class TransactionSubmitter implements AutoCloseable {
    private final KafkaProducer<String, byte[]> producer;
    private final String gatewayId;

    public TransactionSubmitter(KafkaSettings kafka, String gatewayId) {
        Map<String, Object> config = kafka.producerConfig(gatewayId + "-submitter");
        // Every send is awaited by a JSON-RPC worker before the next one of its batch starts, so
        // lingering only adds its full delay to every transaction; concurrent workers' records
        // still share a request whenever one is in flight.
        config.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        this.producer = new KafkaProducer<>(config);
        this.gatewayId = gatewayId;
    }

    /** @throws SubmitException when Kafka did not acknowledge in time; the client must retry */
    public void submit(Transaction tx, Address sender) throws SubmitException {
        PendingTransaction record = new PendingTransaction(tx.hash().toHex(), sender.toHex(), Hex.encode(tx.encoded()),
                System.currentTimeMillis(), gatewayId);
        try {
            producer.send(new ProducerRecord<>(Topics.PENDING_TRANSACTIONS.name(), sender.toHex(),
                    EventCodec.PENDING_TRANSACTION.encode(record))).get(15, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SubmitException("interrupted before Kafka acknowledged the transaction");
        } catch (ExecutionException e) {
            throw new SubmitException("Kafka did not accept the transaction: " + e.getCause().getMessage());
        } catch (TimeoutException e) {
            throw new SubmitException("Kafka did not acknowledge the transaction within 15 s");
        } catch (RuntimeException e) {
            throw new SubmitException("Kafka is unavailable: " + e.getMessage());
        }
    }

    public static final class SubmitException extends Exception {
        public SubmitException(String message) {
            super(message);
        }
    }

    @Override
    public void close() {
        producer.close();
    }
}
