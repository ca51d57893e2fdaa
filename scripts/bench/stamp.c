/*
 * stamp: the job of scripts/bench-footprint. Writes "stamp start MICROS" as the first thing its
 * main does and "stamp end MICROS" as the last before it exits (CLOCK_REALTIME, microseconds since
 * the epoch), on stderr, so a supervisor's start and exit can be timed against the job's own.
 * With an argument, it lives that many milliseconds between the two (a job the guard attaches to).
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

static void stamp(const char *what) {
    struct timespec t;
    char line[64];
    clock_gettime(CLOCK_REALTIME, &t);
    int n = snprintf(line, sizeof line, "stamp %s %lld\n", what, (long long) t.tv_sec * 1000000 + t.tv_nsec / 1000);
    if (write(2, line, (size_t) n) < 0) {
        _exit(1);
    }
}

int main(int argc, char **argv) {
    stamp("start");
    if (argc > 1) {
        long ms = strtol(argv[1], NULL, 10);
        struct timespec d = {ms / 1000, (ms % 1000) * 1000000L};
        nanosleep(&d, NULL);
    }
    stamp("end");
    return 0;
}
