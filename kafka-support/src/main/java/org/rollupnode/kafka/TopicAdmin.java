package org.rollupnode.kafka;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.rollupnode.schemas.Topics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Creates the shared topics if they are missing and checks the ones that exist. */
public final class TopicAdmin {
    private static final Logger LOG = LoggerFactory.getLogger("rollup_node::kafka");

    private TopicAdmin() {}

    /**
     * A topic just created may not be in the broker's metadata yet (UnknownTopicOrPartition for a
     * moment, longer on a loaded machine): retry for up to 30 s before calling it an error.
     */
    private static Map<String, TopicDescription> describeWhenVisible(Admin admin, List<String> names)
            throws InterruptedException, ExecutionException, java.util.concurrent.TimeoutException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            try {
                return admin.describeTopics(names).allTopicNames().get(30, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof org.apache.kafka.common.errors.UnknownTopicOrPartitionException) || System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(100);
            }
        }
    }

    public static void ensureTopics(KafkaSettings settings, List<Topics.TopicSpec> specs) {
        try (Admin admin = Admin.create(settings.adminConfig())) {
            Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            List<NewTopic> missing = new ArrayList<>();
            for (Topics.TopicSpec spec : specs) {
                if (!existing.contains(spec.name())) {
                    missing.add(new NewTopic(spec.name(), Optional.of(spec.partitions()), Optional.empty()).configs(spec.configs()));
                }
            }
            if (!missing.isEmpty()) {
                try {
                    admin.createTopics(missing).all().get(30, TimeUnit.SECONDS);
                    LOG.info("Created topics {}", missing.stream().map(NewTopic::name).toList());
                } catch (ExecutionException e) {
                    // Another service may have created it between list and create; that is fine.
                    if (!(e.getCause() instanceof org.apache.kafka.common.errors.TopicExistsException)) {
                        throw e;
                    }
                }
            }
            Map<String, TopicDescription> described = describeWhenVisible(admin, specs.stream().map(Topics.TopicSpec::name).toList());
            for (Topics.TopicSpec spec : specs) {
                int actual = described.get(spec.name()).partitions().size();
                if (spec.partitions() == 1 && actual != 1) {
                    // Total order of blocks depends on it; refuse to run rather than fork silently.
                    throw new IllegalStateException("topic " + spec.name() + " must have exactly 1 partition, has " + actual);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topics", e);
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("cannot create or check topics on " + settings.bootstrapServers() + ": "
                    + (e.getCause() != null ? e.getCause().getMessage() : e.getMessage()), e);
        }
    }
}
