package fr.communiques.cluster;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.opensearch.analysis.common.CommonAnalysisPlugin;
import org.opensearch.common.logging.LogConfigurator;
import org.opensearch.common.settings.Settings;
import org.opensearch.node.InternalSettingsPreparer;
import org.opensearch.node.Node;
import org.opensearch.painless.PainlessPlugin;
import org.opensearch.plugins.Plugin;
import org.opensearch.transport.Netty4Plugin;

/**
 * One OpenSearch node in this JVM, for the project's test cluster and `make cluster`.
 *
 * <p>The node is the server's own {@link Node} given its plugins from the classpath (HTTP and
 * transport over Netty, the common analysis chain: elision, stemmers, synonyms, ASCII folding,
 * and Painless, the scripting language every OpenSearch distribution ships, which the ranking's
 * coordination factor uses). It binds to 127.0.0.1 only, keeps its data and logs under the given
 * home folder, and runs until the JVM is asked to stop (SIGTERM or Ctrl-C), when it closes cleanly.
 *
 * <p>Usage: {@code ClusterNode NAME HTTP_PORT TRANSPORT_PORT HOME SEED_HOSTS INITIAL_MANAGERS},
 * the last two comma-separated (host:port and node names).
 */
public final class ClusterNode extends Node {

    static final String CLUSTER_NAME = "communiques-test";
    static final List<Class<? extends Plugin>> PLUGINS =
            List.of(Netty4Plugin.class, CommonAnalysisPlugin.class, PainlessPlugin.class);

    private ClusterNode(Settings settings) {
        super(InternalSettingsPreparer.prepareEnvironment(settings, java.util.Map.of(), null, () -> null),
                PLUGINS, true);
    }

    static Settings settings(String[] args) {
        Path home = Path.of(args[3]).toAbsolutePath();
        return Settings.builder()
                .put("cluster.name", CLUSTER_NAME)
                .put("node.name", args[0])
                .put("path.home", home.toString())
                .put("path.data", home.resolve("data").toString())
                .put("path.logs", home.resolve("logs").toString())
                .put("network.host", "127.0.0.1")
                .put("http.port", args[1])
                .put("transport.port", args[2])
                .putList("discovery.seed_hosts", args[4].split(","))
                .putList("cluster.initial_cluster_manager_nodes", args[5].split(","))
                // A test machine's disk may be nearly full: shards are placed all the same.
                .put("cluster.routing.allocation.disk.threshold_enabled", false)
                .put("bootstrap.memory_lock", false)
                .build();
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 6) {
            System.err.println("usage: ClusterNode NAME HTTP_PORT TRANSPORT_PORT HOME"
                    + " SEED_HOSTS INITIAL_MANAGERS");
            System.exit(2);
        }
        Settings settings = settings(args);
        Files.createDirectories(Path.of(settings.get("path.logs")));
        LogConfigurator.setNodeName(args[0]);
        Node node = new ClusterNode(settings);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> close(node, stopped), "node-close"));
        try {
            node.start();
        } catch (Exception e) {
            // Without this the transport threads would keep a half-started node alive.
            e.printStackTrace();
            System.err.println("node " + args[0] + " failed to start: " + rootCause(e));
            System.exit(1);
        }
        System.out.println("node " + args[0] + " started, http 127.0.0.1:" + args[1]);
        stopped.await();
    }

    private static String rootCause(Throwable e) {
        Throwable cause = e;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return e == cause ? e.toString() : e + " (cause: " + cause + ")";
    }

    private static void close(Node node, CountDownLatch stopped) {
        try {
            node.close();
            node.awaitClose(20, TimeUnit.SECONDS);
        } catch (Exception e) {
            e.printStackTrace();
        } finally {
            stopped.countDown();
        }
    }
}
