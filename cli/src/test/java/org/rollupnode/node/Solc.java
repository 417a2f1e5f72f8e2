package org.rollupnode.node;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.concurrent.TimeUnit;

/** Compiles a test contract offline with solc-js from the pinned npm packages under .tools (see .ci/run). */
final class Solc {
    private Solc() {}

    static String bytecode(String resource, String contract) throws Exception {
        Path tools = tools();
        Path sol = Paths.get(Solc.class.getResource("/solidity/" + resource).toURI());
        Path script = Paths.get(Solc.class.getResource("/solidity/compile.cjs").toURI());
        ProcessBuilder pb = new ProcessBuilder("node", script.toString(), sol.toString(), contract);
        pb.environment().put("NODE_PATH", tools.resolve("node_modules").toString());
        pb.redirectError(ProcessBuilder.Redirect.INHERIT);
        Process p = pb.start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("solc-js failed to compile " + resource);
        }
        JsonNode json = new ObjectMapper().readTree(new String(out, StandardCharsets.UTF_8));
        return json.get("bytecode").asText();
    }

    private static Path tools() throws Exception {
        for (Path p = Paths.get("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve(".tools/node_modules/solc"))) {
                return p.resolve(".tools");
            }
        }
        Path root = Paths.get("").toAbsolutePath().getParent();
        // Not inheritIO(): npm makes the descriptors it inherits non-blocking, and the surefire fork's
        // stdin/stdout are its command channel ("std/in stream corrupted: Resource temporarily unavailable").
        Process p = new ProcessBuilder("npm", "install", "--prefix", root.resolve(".tools").toString(), "--no-audit", "--no-fund",
                "--save-exact", "@foundry-rs/anvil@1.7.1", "solc@0.8.37").redirectErrorStream(true).start();
        p.getOutputStream().close();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IllegalStateException("npm install of solc into .tools failed:\n" + output);
        }
        return root.resolve(".tools");
    }
}
