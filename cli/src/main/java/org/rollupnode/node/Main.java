package org.rollupnode.node;

import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** The {@code rollup-node} command. */
@Command(name = "rollup-node", mixinStandardHelpOptions = true, version = "rollup-node-java 0.1.0",
        description = "A Scroll L2 sequencer built as services that talk through Apache Kafka.",
        subcommands = {Main.Node.class, Main.Sequencer.class, Main.Signer.class, Main.L1Watcher.class, Main.RpcGateway.class,
            AuditCommands.ReplayCommand.class, AuditCommands.ExportCommand.class, AuditCommands.CheckCommand.class, org.rollupnode.bench.LoadGenCommand.class, StateTestCommand.class})
public final class Main implements Callable<Integer> {

    public static void main(String[] args) {
        LogConfig.apply(System.getenv("RUST_LOG"));
        System.exit(run(args));
    }

    /** Runs a command to completion (blocking for service commands). Returns the exit code. */
    public static int run(String... args) {
        return run(new java.io.PrintWriter(System.out, true), new java.io.PrintWriter(System.err, true), args);
    }

    public static int run(java.io.PrintWriter out, java.io.PrintWriter err, String... args) {
        CommandLine cl = new CommandLine(new Main());
        cl.setOut(out);
        cl.setErr(err);
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            if (ex instanceof ConfigException) {
                commandLine.getErr().println("error: " + ex.getMessage());
                return 2;
            }
            StringBuilder msg = new StringBuilder("error: ").append(ex.getMessage());
            for (Throwable c = ex.getCause(); c != null && c != c.getCause(); c = c.getCause()) {
                if (c.getMessage() != null && !msg.toString().contains(c.getMessage())) {
                    msg.append(": ").append(c.getMessage());
                }
            }
            commandLine.getErr().println(msg);
            return 1;
        });
        return cl.execute(args);
    }

    /** Starts {@code node} in this JVM and returns once it serves (tests, embedding). Args exclude "node". */
    public static RunningNode startNode(String... args) {
        Node cmd = new Node();
        new CommandLine(cmd).parseArgs(args);
        return NodeLauncher.launch(cmd.options, cmd.roles());
    }

    /** Starts one service command ("sequencer", "signer", "rpc-gateway", "l1-watcher") in this JVM. */
    public static RunningNode startService(String command, String... args) {
        ServiceCommand cmd = switch (command) {
            case "node" -> new Node();
            case "sequencer" -> new Sequencer();
            case "signer" -> new Signer();
            case "rpc-gateway" -> new RpcGateway();
            case "l1-watcher" -> new L1Watcher();
            default -> throw new IllegalArgumentException("unknown command " + command);
        };
        new CommandLine(cmd).parseArgs(args);
        if (cmd.roles().size() < 4 && cmd.options.kafkaBootstrapServers == null) {
            throw new ConfigException("a single service needs --kafka.bootstrap-servers (the embedded broker runs only with `node`)");
        }
        return NodeLauncher.launch(cmd.options, cmd.roles());
    }

    @Override
    public Integer call() {
        new CommandLine(this).usage(System.out);
        return 0;
    }

    abstract static class ServiceCommand implements Callable<Integer> {
        @Mixin
        NodeOptions options;

        abstract Set<Role> roles();

        @Override
        public Integer call() throws InterruptedException {
            if (roles().size() < 4 && options.kafkaBootstrapServers == null) {
                throw new ConfigException("a single service needs --kafka.bootstrap-servers (the embedded broker runs only with `node`)");
            }
            RunningNode node = NodeLauncher.launch(options, roles());
            CountDownLatch done = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                node.close();
                done.countDown();
            }, "shutdown"));
            done.await();
            return 0;
        }
    }

    @Command(name = "node", mixinStandardHelpOptions = true,
            description = "Run every service in one JVM, with an embedded Kafka broker unless --kafka.bootstrap-servers is given.")
    static final class Node extends ServiceCommand {
        @Override
        Set<Role> roles() {
            return EnumSet.allOf(Role.class);
        }
    }

    @Command(name = "sequencer", mixinStandardHelpOptions = true, description = "Run only the sequencer-service.")
    static final class Sequencer extends ServiceCommand {
        @Override
        Set<Role> roles() {
            return EnumSet.of(Role.SEQUENCER);
        }
    }

    @Command(name = "signer", mixinStandardHelpOptions = true, description = "Run only the signer-service.")
    static final class Signer extends ServiceCommand {
        @Override
        Set<Role> roles() {
            return EnumSet.of(Role.SIGNER);
        }
    }

    @Command(name = "l1-watcher", mixinStandardHelpOptions = true, description = "Run only the l1-watcher-service.")
    static final class L1Watcher extends ServiceCommand {
        @Override
        Set<Role> roles() {
            return EnumSet.of(Role.L1_WATCHER);
        }
    }

    @Command(name = "rpc-gateway", mixinStandardHelpOptions = true, description = "Run only an rpc-gateway replica.")
    static final class RpcGateway extends ServiceCommand {
        @Override
        Set<Role> roles() {
            return EnumSet.of(Role.RPC_GATEWAY);
        }
    }
}
