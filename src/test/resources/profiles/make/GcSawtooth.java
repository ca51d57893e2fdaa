import java.util.ArrayList;
import java.util.List;

/**
 * A JVM batch loop: each round caches MIB MiB (default 250) of records, works on them, then drops
 * the cache. Usage: java ... GcSawtooth.java [ROUNDS [MIB]].
 * Run with a small -Xms, -Xmx512m and SerialGC with tight heap free ratios, so the collector
 * gives the heap back after each round: a sawtooth well below -Xmx.
 */
public class GcSawtooth {
    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        int mib = args.length > 1 ? Integer.parseInt(args[1]) : 250;
        long checksum = 0;
        for (int r = 0; r < rounds; r++) {
            List<byte[]> cache = new ArrayList<>();
            for (int i = 0; i < mib; i++) {
                byte[] b = new byte[1 << 20];
                for (int j = 0; j < b.length; j += 4096) {
                    b[j] = (byte) (i + j + r);
                }
                cache.add(b);
                if (i % 25 == 0) {
                    Thread.sleep(100);
                }
            }
            for (byte[] b : cache) {
                checksum += b[4096];
            }
            cache = null;
            Thread.sleep(1000);
            System.gc(); // the end of a batch: what a long-lived service's old-gen collection does
            Thread.sleep(1000);
        }
        System.out.println("gc-sawtooth: checksum " + checksum);
    }
}
