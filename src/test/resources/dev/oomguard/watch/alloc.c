/*
 * A test allocator: waits DELAY_S seconds, then touches MAX_MIB MiB one page at a time, at
 * RATE_MIB_S MiB/s (0: full speed), then holds it HOLD_S seconds. On SIGUSR1 or SIGTERM it stops
 * allocating, says "alloc: signal N at M MiB" on stderr and exits 0.
 * Usage: alloc MAX_MIB [RATE_MIB_S [HOLD_S [DELAY_S]]]
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t got = 0;

static void on(int s) { got = s; }

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec / 1e9;
}

int main(int argc, char **argv) {
    long max_mib = argc > 1 ? atol(argv[1]) : 1024;
    double rate = argc > 2 ? atof(argv[2]) : 0;
    int hold = argc > 3 ? atoi(argv[3]) : 0;
    double delay = argc > 4 ? atof(argv[4]) : 0;
    signal(SIGUSR1, on);
    signal(SIGTERM, on);
    if (delay > 0) {
        usleep((useconds_t) (delay * 1e6));
    }
    long page = sysconf(_SC_PAGESIZE);
    long held = 0;
    double start = now();
    while (!got && held < (max_mib << 20)) {
        char *p = malloc(1 << 20);
        for (long i = 0; i < (1 << 20) && !got; i += page) {
            p[i] = 1;
        }
        held += 1 << 20;
        if (rate > 0) {
            double due = start + (held >> 20) / rate;
            double left = due - now();
            if (left > 0) {
                usleep((useconds_t) (left * 1e6));
            }
        }
    }
    if (got) {
        fprintf(stderr, "alloc: signal %d at %ld MiB\n", (int) got, held >> 20);
        return 0;
    }
    fprintf(stderr, "alloc: done %ld MiB\n", held >> 20);
    if (hold > 0) {
        sleep(hold);
    }
    return 0;
}
