package org.rollupnode.execution.statetest;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.rollupnode.execution.statetest.StateTestRunner.Status;
import org.rollupnode.execution.statetest.StateTestRunner.SubtestResult;

/**
 * The official GeneralStateTests (Cancun) through {@link StateTestRunner}: one dynamic test per
 * fixture file, then a pass-rate check. Every failing subtest must be listed, with its reason,
 * in {@code KNOWN_STATETEST_FAILURES.md}; files listed there without a subtest are not run.
 */
class StateTestSuiteTest {
    private static final Pattern ENTRY = Pattern.compile("^- `([^`]+)`");

    @TestFactory
    Stream<DynamicTest> generalStateTests() throws IOException, URISyntaxException {
        Path root = Path.of(StateTestSuiteTest.class.getClassLoader()
                .getResource("ethereum-tests/GeneralStateTests").toURI());
        Set<String> excludedFiles = new HashSet<>();
        Set<String> knownFailures = new HashSet<>();
        for (String line : Files.readAllLines(Path.of("KNOWN_STATETEST_FAILURES.md"))) {
            Matcher m = ENTRY.matcher(line);
            if (m.find()) {
                (m.group(1).contains("::") ? knownFailures : excludedFiles).add(m.group(1));
            }
        }
        List<Path> files;
        try (Stream<Path> s = Files.walk(root)) {
            files = s.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        }
        assertTrue(files.size() > 2000, "fixtures missing: only " + files.size() + " files under " + root);
        StateTestRunner runner = new StateTestRunner(StateTestRunner.DEFAULT_FORK);
        AtomicInteger passed = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        List<DynamicTest> tests = new ArrayList<>();
        for (Path f : files) {
            String rel = root.relativize(f).toString().replace('\\', '/');
            if (excludedFiles.contains(rel)) {
                continue;
            }
            tests.add(DynamicTest.dynamicTest(rel, () -> {
                List<String> unexpected = new ArrayList<>();
                for (SubtestResult r : runner.runFile(f)) {
                    if (r.status() == Status.PASS) {
                        passed.incrementAndGet();
                    } else if (r.status() == Status.FAIL) {
                        failed.incrementAndGet();
                        if (!knownFailures.contains(r.id())) {
                            unexpected.add(r.line());
                        }
                    }
                }
                if (!unexpected.isEmpty()) {
                    fail("failing subtests not listed in KNOWN_STATETEST_FAILURES.md:\n" + String.join("\n", unexpected));
                }
            }));
        }
        tests.add(DynamicTest.dynamicTest("pass rate >= 99%", () -> {
            int total = passed.get() + failed.get();
            assertTrue(total > 14_000, "only " + total + " subtests ran");
            assertTrue(passed.get() * 100L >= total * 99L,
                    passed.get() + " of " + total + " subtests passed, below 99%");
        }));
        return tests.stream();
    }
}
