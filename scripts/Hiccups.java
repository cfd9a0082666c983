import java.util.Arrays;
import java.util.concurrent.locks.LockSupport;

/**
 * How late this machine wakes a sleeping thread: a thread asks to sleep {@link #SLEEP_NS} again
 * and again for SECONDS (default 20) and counts how much later than asked it woke. A JVM that
 * does nothing else needs no safepoint, collection or compilation after its first second (not
 * counted), so what is left is the scheduler's and the hypervisor's. Run it beside a workload (for example
 * {@code ringchat bench --workloads paced}): a node's event loop waits for the same wake-ups, and
 * a latency's tail cannot be shorter than this machine's hiccups. Run as a single source file:
 *
 * <pre>java scripts/Hiccups.java [SECONDS]</pre>
 */
public final class Hiccups {

    /** The sleep asked for each time: about a paced line's interval at 1,000 lines a second. */
    static final long SLEEP_NS = 1_000_000;
    /** Sleeps before counting: the first second compiles this loop. */
    static final long WARM_UP_NS = 1_000_000_000L;
    /** The longest run it takes: a day. */
    static final long MAX_SECONDS = 86_400;
    /** Upper bounds of the lateness buckets, in ms; the last bucket is everything beyond. */
    static final double[] BOUNDS_MS = {1, 2, 5, 10, 20, 50, 100};

    public static void main(String[] args) {
        long seconds = seconds(args);
        long[] counts = new long[BOUNDS_MS.length + 1];
        long maxNs = 0;
        long sleeps = 0;
        for (long warm = System.nanoTime() + WARM_UP_NS; System.nanoTime() < warm; ) {
            LockSupport.parkNanos(SLEEP_NS);
        }
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        while (System.nanoTime() < end) {
            long before = System.nanoTime();
            LockSupport.parkNanos(SLEEP_NS);
            long lateNs = System.nanoTime() - before - SLEEP_NS;
            maxNs = Math.max(maxNs, lateNs);
            sleeps++;
            counts[bucket(lateNs / 1e6)]++;
        }
        StringBuilder out = new StringBuilder();
        out.append(String.format("%d sleeps of %.1f ms in %d s; woke late by at most %.1f ms%n", sleeps, SLEEP_NS / 1e6,
                seconds, maxNs / 1e6));
        for (int i = 0; i < counts.length; i++) {
            String range = i == 0 ? "< " + fmt(BOUNDS_MS[0]) + " ms"
                    : i < BOUNDS_MS.length ? fmt(BOUNDS_MS[i - 1]) + "-" + fmt(BOUNDS_MS[i]) + " ms"
                    : ">= " + fmt(BOUNDS_MS[BOUNDS_MS.length - 1]) + " ms";
            out.append(String.format("  late %-12s %d%n", range, counts[i]));
        }
        System.out.print(out);
    }

    /** SECONDS from the command line (default 20), 1 to {@link #MAX_SECONDS}; a one-line error and exit 2 otherwise. */
    private static long seconds(String[] args) {
        if (args.length == 0) {
            return 20;
        }
        try {
            long seconds = Long.parseLong(args[0]);
            if (seconds >= 1 && seconds <= MAX_SECONDS && args.length == 1) {
                return seconds;
            }
        } catch (NumberFormatException e) {
            // said below
        }
        System.err.println("usage: java scripts/Hiccups.java [SECONDS]  (SECONDS: a whole number from 1 to " + MAX_SECONDS + ")");
        System.exit(2);
        return 0;
    }

    private static int bucket(double lateMs) {
        int i = Arrays.binarySearch(BOUNDS_MS, lateMs);
        return i >= 0 ? i + 1 : -i - 1;
    }

    private static String fmt(double ms) {
        return ms == Math.rint(ms) ? Long.toString((long) ms) : Double.toString(ms);
    }
}
