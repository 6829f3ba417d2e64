package tokenwatch.neo4j;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.connectors.HttpConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.graphdb.GraphDatabaseService;
import org.neo4j.io.ByteUnit;

/**
 * Starts Neo4j Community embedded with the Bolt connector on loopback.
 *
 * <p>Usage: {@code Launcher <home-dir> <bolt-port> [pagecache-mb] [tx-memory-mb]}. Prints
 * {@code TOKENWATCH-NEO4J READY bolt://127.0.0.1:<port>} once the default database answers,
 * and shuts the DBMS down cleanly on SIGTERM/SIGINT (a shutdown hook), so the store is never
 * left half-written.
 *
 * <p>With {@code -Dtokenwatch.exitOnStdinEof=true} (how {@code tokenwatch up}, {@code crawl} and
 * the tests start it) the launcher also stops when its standard input reaches end-of-file: the
 * parent holds the other end of that pipe, and the kernel closes it when the parent dies, even
 * by {@code kill -9}, so the database never outlives the process that owns it.
 */
public final class Launcher {
    private Launcher() {}

    /** Exit (running the shutdown hook) once stdin is closed: the parent is gone. */
    private static void exitWhenParentGoes() {
        Thread watcher = new Thread(() -> {
            InputStream in = System.in;
            byte[] buffer = new byte[256];
            try {
                while (in.read(buffer) >= 0) {
                    // the parent never writes; anything read is ignored
                }
            } catch (IOException e) {
                // a broken pipe is the same news as end-of-file
            }
            System.out.println("TOKENWATCH-NEO4J PARENT GONE");
            System.out.flush();
            System.exit(0);
        }, "tokenwatch-neo4j-parent-watch");
        watcher.setDaemon(true);
        watcher.start();
    }

    public static void main(String[] args) throws InterruptedException {
        if (args.length < 2) {
            System.err.println("usage: Launcher <home-dir> <bolt-port> [pagecache-mb] [tx-memory-mb]");
            System.exit(2);
        }
        Path home = Path.of(args[0]).toAbsolutePath();
        int port = Integer.parseInt(args[1]);
        long pageCacheMb = args.length > 2 ? Long.parseLong(args[2]) : 256;
        long txMemoryMb = args.length > 3 ? Long.parseLong(args[3]) : 256;
        if (Boolean.getBoolean("tokenwatch.exitOnStdinEof")) {
            exitWhenParentGoes();
        }

        DatabaseManagementService dbms = new DatabaseManagementServiceBuilder(home)
                .setConfig(BoltConnector.enabled, true)
                .setConfig(BoltConnector.listen_address, new SocketAddress("127.0.0.1", port))
                .setConfig(BoltConnector.advertised_address, new SocketAddress("127.0.0.1", port))
                .setConfig(HttpConnector.enabled, false)
                .setConfig(GraphDatabaseSettings.pagecache_memory, ByteUnit.mebiBytes(pageCacheMb))
                .setConfig(GraphDatabaseSettings.memory_transaction_global_max_size,
                        ByteUnit.mebiBytes(txMemoryMb))
                .setConfig(GraphDatabaseSettings.auth_enabled, false)
                .build();

        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("TOKENWATCH-NEO4J STOPPING");
            System.out.flush();
            dbms.shutdown();
            System.out.println("TOKENWATCH-NEO4J STOPPED");
            System.out.flush();
            stopped.countDown();
        }, "tokenwatch-neo4j-shutdown"));

        GraphDatabaseService db = dbms.database(GraphDatabaseSettings.DEFAULT_DATABASE_NAME);
        db.executeTransactionally("RETURN 1");
        System.out.println("TOKENWATCH-NEO4J READY bolt://127.0.0.1:" + port);
        System.out.flush();
        stopped.await();
    }
}
