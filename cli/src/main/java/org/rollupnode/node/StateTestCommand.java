package org.rollupnode.node;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.rollupnode.execution.statetest.StateTestRunner;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code rollup-node statetest <file-or-dir>...}: Ethereum GeneralStateTests through this node's EVM, like geth's {@code evm statetest}. */
@Command(name = "statetest", mixinStandardHelpOptions = true,
        description = "Run GeneralStateTests fixtures (fork Cancun): one line per subtest with expected and actual post-state root "
                + "and logs hash, then 'N passed, M failed, K skipped'. Blob (type 3) transactions are skipped. Exits 1 if any failed.")
final class StateTestCommand implements Callable<Integer> {
    @Parameters(arity = "1..*", paramLabel = "<file-or-dir>", description = "Fixture files, or directories searched for *.json.")
    List<Path> paths;

    @Override
    public Integer call() {
        try {
            return StateTestRunner.run(paths, System.out);
        } catch (IllegalArgumentException | java.io.UncheckedIOException e) {
            System.err.println("statetest: " + e.getMessage());
            return 2;
        }
    }
}
