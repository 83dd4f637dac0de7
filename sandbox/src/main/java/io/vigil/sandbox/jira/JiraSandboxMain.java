package io.vigil.sandbox.jira;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;

/**
 * Runs the JSM sandbox on its own:
 * {@code java -cp … io.vigil.sandbox.jira.JiraSandboxMain --port N --dataset FILE|demo|generate:ISSUES:CIS:SEED
 * [--latency-ms 20] [--contracts strict|record|off] [--commands-on-stdin]}. Prints the URLs and serves until the
 * process is stopped. Contracts default to {@code record} (violations are printed, answers served). On exit it prints
 * the requests it served by endpoint. With {@code --commands-on-stdin} it also reads commands from its standard input
 * (see {@link #serveCommands}); without, it never reads it (a sandbox started in the background of a terminal would
 * otherwise be stopped by the shell for reading it).
 */
public final class JiraSandboxMain {
    private JiraSandboxMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        int port = 0;
        String dataset = null;
        long latency = 0;
        ContractMode mode = ContractMode.RECORD;
        boolean commands = false;
        try {
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--port" -> port = Integer.parseInt(args[++i]);
                    case "--dataset" -> dataset = args[++i];
                    case "--latency-ms" -> latency = Long.parseLong(args[++i]);
                    case "--contracts" -> mode = ContractMode.valueOf(args[++i].toUpperCase(Locale.ROOT));
                    case "--commands-on-stdin" -> commands = true;
                    default -> throw new IllegalArgumentException("unknown option " + args[i]);
                }
            }
            if (dataset == null) {
                throw new IllegalArgumentException("--dataset is required");
            }
        } catch (RuntimeException e) {
            System.err.println(e.getMessage());
            System.err.println("usage: JiraSandboxMain --port N --dataset FILE|demo|generate:ISSUES:CIS:SEED "
                    + "[--latency-ms 20] [--contracts strict|record|off] [--commands-on-stdin]");
            System.exit(2);
            return;
        }
        JiraDataset data;
        try {
            data = load(dataset);
        } catch (DatasetException | IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(1);
            return;
        }
        JiraSandbox sandbox = JiraSandbox.start(data, port, mode);
        sandbox.setLatency(Duration.ofMillis(latency));
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            sandbox.close();
            printCounts(sandbox);
        }));
        System.out.println("JSM sandbox (" + data.issueCount() + " issues, " + data.objectCount() + " CIs) at " + sandbox.baseUrl());
        System.out.println("Assets at " + sandbox.assetsBaseUrl());
        System.out.println("Connector account: " + SiteTemplate.VIGIL_EMAIL + " (API token in docs/jsm-sandbox.md)");
        if (mode == ContractMode.RECORD) {
            Thread reporter = new Thread(() -> {
                int seen = 0;
                while (true) {
                    var v = sandbox.violations();
                    for (int i = seen; i < v.size(); i++) {
                        System.err.println("contract violation: " + v.get(i));
                    }
                    seen = v.size();
                    try {
                        Thread.sleep(1000);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "contract-reporter");
            reporter.setDaemon(true);
            reporter.start();
        }
        if (commands) {
            serveCommands(new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)), sandbox, System.out,
                    System.err);
        }
        new CountDownLatch(1).await();
    }

    /**
     * Commands, one a line, until the input ends (the sandbox serves on): {@code forget} drops every query result and
     * rendering the sandbox keeps between requests, as a write to the site does, and answers {@code forgot} — a
     * benchmark that warmed the sandbox up with a throwaway collection measures the next one with the sandbox's code
     * compiled but nothing of the warm-up's answers kept. Anything else is named on {@code err} and ignored.
     */
    static void serveCommands(BufferedReader in, JiraSandbox sandbox, PrintStream out, PrintStream err) {
        try {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                String command = line.strip();
                if (command.isEmpty()) {
                    continue;
                }
                if (command.equals("forget")) {
                    sandbox.forgetCaches();
                    out.println("forgot");
                    out.flush();
                } else {
                    err.println("unknown command '" + command + "' on standard input (known: forget); ignored");
                }
            }
        } catch (IOException e) {
            err.println("reading commands from standard input failed (" + e.getMessage() + "); serving on without them");
        }
    }

    /** What was served, by endpoint: printed when the sandbox is stopped, for benchmarks to check their counts. */
    static void printCounts(JiraSandbox sandbox) {
        StringBuilder out = new StringBuilder("Requests served: " + sandbox.requestCount() + "\n");
        sandbox.requestCounts().forEach((endpoint, n) -> out.append(String.format(Locale.ROOT, "%10d  %s%n", n, endpoint)));
        System.out.print(out);
        System.out.flush();
    }

    static JiraDataset load(String spec) {
        if (spec.equals("demo")) {
            return JiraDataset.demo();
        }
        if (spec.startsWith("generate:")) {
            String[] p = spec.split(":");
            if (p.length != 4) {
                throw new IllegalArgumentException("give generate:ISSUES:CIS:SEED, e.g. generate:100000:20000:42");
            }
            return JiraDataset.generate(Integer.parseInt(p[1]), Integer.parseInt(p[2]), Long.parseLong(p[3]));
        }
        return JiraDataset.load(Path.of(spec));
    }
}
