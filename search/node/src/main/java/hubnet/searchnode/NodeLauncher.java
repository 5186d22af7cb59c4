package hubnet.searchnode;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.codelibs.opensearch.runner.OpenSearchRunner;

/**
 * Starts a single embedded OpenSearch node via the codelibs OpenSearchRunner and
 * keeps the JVM alive until it receives SIGTERM/SIGINT (the runner's shutdown
 * hook then closes the node cleanly).
 *
 * <p>Usage:
 *
 * <pre>
 * java -cp 'target/lib/*' hubnet.searchnode.NodeLauncher \
 *     --base-path DIR --conf-path DIR --cluster-name NAME \
 *     [--setting key=value]... [--list-setting key=a,b,c]... [--plugin CLASS]...
 * </pre>
 *
 * <p>{@code --plugin} names a plugin class on the classpath to load besides the
 * runner's bundled modules (e.g. {@code org.opensearch.knn.plugin.KNNPlugin}).
 *
 * <p>Settings passed with {@code --setting} take precedence over
 * {@code opensearch.yml} in the config dir. This launcher does not go through
 * OpenSearch's Bootstrap class, so there is no "can not run as root" check, no
 * security manager and no JarHell check.
 */
public final class NodeLauncher {

    private NodeLauncher() {
    }

    private static void usage(final String message) {
        System.err.println("NodeLauncher: " + message);
        System.err.println("usage: NodeLauncher --base-path DIR --conf-path DIR"
                + " --cluster-name NAME [--setting k=v]... [--list-setting k=a,b]..."
                + " [--plugin CLASS]...");
        System.exit(2);
    }

    public static void main(final String[] args) {
        String basePath = null;
        String confPath = null;
        String clusterName = "hubnet-search";
        final Map<String, String> settings = new LinkedHashMap<>();
        final Map<String, List<String>> listSettings = new LinkedHashMap<>();
        final List<String> plugins = new ArrayList<>();

        for (int i = 0; i < args.length; i++) {
            final String arg = args[i];
            if (i + 1 >= args.length) {
                usage("missing value for " + arg);
            }
            final String value = args[++i];
            switch (arg) {
                case "--base-path":
                    basePath = value;
                    break;
                case "--conf-path":
                    confPath = value;
                    break;
                case "--cluster-name":
                    clusterName = value;
                    break;
                case "--plugin":
                    plugins.add(value);
                    break;
                case "--setting":
                case "--list-setting": {
                    final int eq = value.indexOf('=');
                    if (eq <= 0) {
                        usage("expected key=value, got " + value);
                    }
                    final String key = value.substring(0, eq);
                    final String val = value.substring(eq + 1);
                    if (arg.equals("--setting")) {
                        settings.put(key, val);
                    } else {
                        listSettings.put(key, new ArrayList<>(Arrays.asList(val.split(","))));
                    }
                    break;
                }
                default:
                    usage("unknown argument " + arg);
            }
        }
        if (basePath == null || confPath == null) {
            usage("--base-path and --conf-path are required");
        }

        final OpenSearchRunner runner = new OpenSearchRunner();
        // Never probe/shift the HTTP port: use exactly the configured http.port.
        runner.setMaxHttpPort(-1);
        runner.onBuild((index, builder) -> {
            settings.forEach(builder::put);
            listSettings.forEach(builder::putList);
        });

        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                System.out.println("NodeLauncher: shutting down node");
                runner.close();
            } catch (final Exception e) {
                e.printStackTrace();
            }
        }, "node-shutdown"));

        try {
            final List<String> runnerArgs = new ArrayList<>(Arrays.asList("-basePath", basePath,
                    "-confPath", confPath, "-numOfNode", "1", "-clusterName", clusterName));
            if (!plugins.isEmpty()) {
                runnerArgs.add("-pluginTypes");
                runnerArgs.add(String.join(",", plugins));
            }
            runner.build(runnerArgs.toArray(new String[0]));
        } catch (final Throwable t) {
            System.err.println("NodeLauncher: failed to start node");
            t.printStackTrace();
            // halt: skip the shutdown hook, the node never came up
            Runtime.getRuntime().halt(1);
        }
        System.out.println("NodeLauncher: node started");

        try {
            while (!runner.isClosed()) {
                Thread.sleep(1000);
            }
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
