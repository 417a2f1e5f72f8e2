package org.rollupnode.watcher;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.http.HttpService;

/**
 * A real anvil (npm {@code @foundry-rs/anvil}, pinned in {@link NodeTools}) as a child process on
 * a free port, with {@code --slots-in-an-epoch 1} so {@code safe}/{@code finalized} trail the head
 * by 1 and 2 blocks. Automine: every transaction gets its own block.
 */
final class Anvil implements AutoCloseable {
    static final String DEV0 = "0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266";

    private final int port;
    private final Path stateFile;
    private Process process;
    private Web3j web3j;

    private Anvil(int port, Path stateFile) {
        this.port = port;
        this.stateFile = stateFile;
    }

    /** @param stateFile null, or a file anvil loads at start and dumps at exit (survives a restart) */
    static Anvil start(Path stateFile) throws Exception {
        Anvil a = new Anvil(freePort(), stateFile);
        a.launch();
        return a;
    }

    void launch() throws Exception {
        List<String> cmd = new ArrayList<>(List.of(NodeTools.anvil().toString(), "--host", "127.0.0.1", "--port",
                String.valueOf(port), "--slots-in-an-epoch", "1", "--silent"));
        if (stateFile != null) {
            cmd.add("--state");
            cmd.add(stateFile.toString());
        }
        process = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        web3j = Web3j.build(new HttpService(url()));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            try {
                web3j.ethBlockNumber().send().getBlockNumber();
                return;
            } catch (IOException e) {
                if (!process.isAlive() || System.nanoTime() > deadline) {
                    throw new IllegalStateException("anvil did not start on port " + port + " (alive=" + process.isAlive() + ")", e);
                }
                Thread.sleep(50);
            }
        }
    }

    /** SIGTERM, so that anvil dumps its state file; the port is then free for {@link #launch()}. */
    void stop() throws InterruptedException {
        if (process != null) {
            process.destroy();
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
            web3j.shutdown();
            process = null;
        }
    }

    String url() {
        return "http://127.0.0.1:" + port;
    }

    Web3j web3j() {
        return web3j;
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }

    /** Where the pinned npm packages live; installs them there on first use if missing. */
    static final class NodeTools {
        static final String ANVIL = "@foundry-rs/anvil@1.7.1";
        static final String SOLC = "solc@0.8.37";

        private NodeTools() {}

        static synchronized Path dir() throws IOException, InterruptedException {
            Path dir = locate();
            if (findAnvil(dir) == null || !Files.isDirectory(dir.resolve("node_modules/solc"))) {
                Files.createDirectories(dir);
                Process p = new ProcessBuilder("npm", "install", "--prefix", dir.toString(), "--no-audit", "--no-fund", "--save-exact", ANVIL, SOLC)
                        .inheritIO().start();
                if (p.waitFor() != 0) {
                    throw new IllegalStateException("npm install --prefix " + dir + " " + ANVIL + " " + SOLC + " failed");
                }
            }
            return dir;
        }

        static Path anvil() throws IOException, InterruptedException {
            Path bin = findAnvil(dir());
            if (bin == null) {
                throw new IllegalStateException("no anvil binary for " + System.getProperty("os.name") + "/" + System.getProperty("os.arch")
                        + " under " + dir() + "/node_modules/@foundry-rs");
            }
            return bin;
        }

        /** -Drollupnode.tools, else the nearest ancestor's .tools, else the reactor root's .tools. */
        private static Path locate() {
            String prop = System.getProperty("rollupnode.tools");
            if (prop != null && !prop.isBlank()) {
                return Paths.get(prop).toAbsolutePath();
            }
            Path start = Paths.get("").toAbsolutePath();
            for (Path p = start; p != null; p = p.getParent()) {
                if (Files.isDirectory(p.resolve(".tools/node_modules"))) {
                    return p.resolve(".tools");
                }
            }
            Path root = start.getParent() != null && Files.exists(start.getParent().resolve("pom.xml")) ? start.getParent() : start;
            return root.resolve(".tools");
        }

        private static Path findAnvil(Path dir) throws IOException {
            Path scope = dir.resolve("node_modules/@foundry-rs");
            if (!Files.isDirectory(scope)) {
                return null;
            }
            try (Stream<Path> s = Files.list(scope)) {
                return s.filter(p -> p.getFileName().toString().startsWith("anvil-"))
                        .map(p -> p.resolve("bin/anvil"))
                        .filter(Files::isExecutable)
                        .findFirst().orElse(null);
            }
        }
    }
}
