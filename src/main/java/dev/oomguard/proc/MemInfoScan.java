package dev.oomguard.proc;

/**
 * The host's use, read straight from the bytes of {@code /proc/meminfo} without a string or an
 * object made: what the checkpoint reflex compares with its level every millisecond or so near it.
 * The same figure as {@code Limits.host(MemInfo)}'s used bytes: (MemTotal + SwapTotal) −
 * (MemAvailable + SwapFree).
 */
public final class MemInfoScan {
    private MemInfoScan() {
    }

    private static final byte[] MEM_TOTAL = "MemTotal:".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    private static final byte[] MEM_AVAILABLE = "MemAvailable:".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    private static final byte[] SWAP_TOTAL = "SwapTotal:".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    private static final byte[] SWAP_FREE = "SwapFree:".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    /** Bytes in use on the host from the first {@code n} bytes of {@code b}; -1 when a field is missing. */
    public static long usedBytes(byte[] b, int n) {
        long total = kib(b, n, MEM_TOTAL);
        long available = kib(b, n, MEM_AVAILABLE);
        long swapTotal = kib(b, n, SWAP_TOTAL);
        long swapFree = kib(b, n, SWAP_FREE);
        if (total < 0 || available < 0 || swapTotal < 0 || swapFree < 0) {
            return -1;
        }
        return Math.max(0, total + swapTotal - available - swapFree) * 1024;
    }

    /** The value in KiB of the line starting with {@code key}; -1 when there is none. */
    static long kib(byte[] b, int n, byte[] key) {
        int i = 0;
        while (i < n) {
            if (startsWith(b, n, i, key)) {
                int j = i + key.length;
                while (j < n && b[j] == ' ') {
                    j++;
                }
                long v = 0;
                int digits = 0;
                while (j < n && b[j] >= '0' && b[j] <= '9' && digits < 18) {
                    v = v * 10 + (b[j] - '0');
                    j++;
                    digits++;
                }
                return digits == 0 ? -1 : v;
            }
            while (i < n && b[i] != '\n') {
                i++;
            }
            i++;
        }
        return -1;
    }

    /** A plain decimal number at the start of {@code b} (a cgroup file such as memory.current); -1 if none. */
    public static long number(byte[] b, int n) {
        long v = 0;
        int digits = 0;
        for (int j = 0; j < n && b[j] >= '0' && b[j] <= '9' && digits < 19; j++, digits++) {
            v = v * 10 + (b[j] - '0');
        }
        return digits == 0 ? -1 : v;
    }

    private static boolean startsWith(byte[] b, int n, int at, byte[] key) {
        if (at + key.length > n) {
            return false;
        }
        for (int k = 0; k < key.length; k++) {
            if (b[at + k] != key[k]) {
                return false;
            }
        }
        return true;
    }
}
