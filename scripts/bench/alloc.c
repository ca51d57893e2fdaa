/*
 * reaction-alloc: the job of scripts/bench-reaction. It allocates anonymous memory at a given
 * rate, touching every page, and measures how long a supervisor took to signal it after its
 * memory crossed a threshold, and how far past the threshold it was by then.
 *
 * The threshold is given in the supervisor's own terms and turned into "bytes this process has
 * allocated" from a reading taken just before allocating:
 *   --host-below KIB      host MemAvailable + SwapFree falls below KIB (earlyoom -M, oomguard "2G"-style levels)
 *   --cgroup-above BYTES  the working set of this process's memory cgroup v1 (usage - total_inactive_file)
 *                         rises to BYTES (oomguard's percent levels on a cgroup limit)
 * A timeline (monotonic start and end of every MiB) is kept in memory; the crossing of the own
 * allocation is interpolated inside the MiB that crossed (the own_* figures). The figures that
 * count time the crossing as the supervisors see it: the group's memory.usage_in_bytes (less the
 * inactive file cache at the start) is read every 64 KiB, since page tables and other kernel
 * memory are charged to the group too; on the host, where other processes allocate and free as
 * well, the headroom (one pread of /proc/meminfo) is read after every MiB.
 * The handlers (USR1, TERM) only record the arrival time, the pages touched so far and one pread
 * of the usage file into a static buffer, all async-signal-safe; the report is written after,
 * as one line of key=value pairs (and, at the crossing, "reaction-alloc crossed achieved_mib_s=N",
 * which is all that is left when the kernel kills the process):
 *   reaction-alloc outcome=signalled|after_cap|no_signal|not_crossed|early signal=USR1 latency_ms=... overshoot_mib=...
 * (not_crossed: no signal, and the threshold was never crossed, e.g. others freed memory meanwhile)
 * The process stops allocating when the --stop-on signal arrives (the other one is recorded
 * too), or at the cap (--cap-mib past the threshold), where it waits --wait-ms for a late signal.
 * It makes itself the kernel's (and earlyoom's) first choice: oom_score_adj 1000.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#define MIB (1024L * 1024L)
#define PAGE 4096L
#define SNAP 4096

static volatile long pages_touched;
static volatile sig_atomic_t stop_now;
static int stop_sig = SIGUSR1;
static int usage_fd = -1;

struct arrival {
    volatile sig_atomic_t seen;
    struct timespec at;
    long pages;
    char snap[SNAP];
    ssize_t snap_len;
};
static struct arrival on_usr1, on_term;

static double ms(const struct timespec *t) { return t->tv_sec * 1e3 + t->tv_nsec / 1e6; }

static void handler(int sig) {
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    struct arrival *a = sig == SIGUSR1 ? &on_usr1 : &on_term;
    if (a->seen) return;
    a->at = now;
    a->pages = pages_touched;
    a->snap_len = usage_fd >= 0 ? pread(usage_fd, a->snap, SNAP - 1, 0) : -1;
    a->seen = 1;
    if (sig == stop_sig) stop_now = 1;
}

static void die(const char *what) {
    fprintf(stderr, "reaction-alloc: %s\n", what);
    exit(2);
}

/* The value of "Key:" in a meminfo text, KiB; -1 when absent. */
static long meminfo_kib(const char *text, const char *key) {
    const char *p = strstr(text, key);
    return p ? strtol(p + strlen(key), NULL, 10) : -1;
}

static long host_headroom_kib(const char *text) {
    long avail = meminfo_kib(text, "MemAvailable:"), swap = meminfo_kib(text, "SwapFree:");
    return avail < 0 ? -1 : avail + (swap < 0 ? 0 : swap);
}

static ssize_t slurp(const char *path, char *buf, size_t size) {
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return -1;
    ssize_t n = read(fd, buf, size - 1);
    close(fd);
    if (n >= 0) buf[n] = 0;
    return n;
}

/* This process's memory cgroup v1 directory, from /proc/self/cgroup and /proc/self/mounts. */
static int cgroup_dir(char *out, size_t size) {
    char cg[8192], mounts[65536];
    if (slurp("/proc/self/cgroup", cg, sizeof cg) < 0 || slurp("/proc/self/mounts", mounts, sizeof mounts) < 0) return -1;
    char *line = strstr(cg, ":memory:");
    if (!line) return -1;
    char rel[4096];
    if (sscanf(line + 8, "%4095s", rel) != 1) return -1;
    char *lines, *opt;
    for (char *l = strtok_r(mounts, "\n", &lines); l; l = strtok_r(NULL, "\n", &lines)) {
        char dev[256], dir[1024], type[64], opts[1024];
        if (sscanf(l, "%255s %1023s %63s %1023s", dev, dir, type, opts) == 4 && strcmp(type, "cgroup") == 0) {
            for (char *o = strtok_r(opts, ",", &opt); o; o = strtok_r(NULL, ",", &opt)) {
                if (strcmp(o, "memory") == 0) {
                    int n = snprintf(out, size, "%s%s", dir, strcmp(rel, "/") == 0 ? "" : rel);
                    return n > 0 && (size_t)n < size ? 0 : -1;
                }
            }
        }
    }
    return -1;
}

static long cgroup_working_set(const char *dir, long *inactive_out) {
    char path[4200], buf[SNAP], stat[16384];
    snprintf(path, sizeof path, "%s/memory.usage_in_bytes", dir);
    if (slurp(path, buf, sizeof buf) < 0) return -1;
    long usage = strtol(buf, NULL, 10);
    snprintf(path, sizeof path, "%s/memory.stat", dir);
    *inactive_out = 0;
    if (slurp(path, stat, sizeof stat) < 0) return usage;
    const char *p = strstr(stat, "\ntotal_inactive_file ");
    long inactive = p ? strtol(p + 21, NULL, 10) : 0;
    if (inactive > usage) inactive = 0;
    *inactive_out = inactive;
    return usage - inactive;
}

static void usage(void) {
    fputs("usage: reaction-alloc --rate MIB_PER_S|max (--host-below KIB | --cgroup-above BYTES)\n"
          "                      [--cap-mib N] [--delay-ms MS] [--wait-ms MS] [--stop-on USR1|TERM] [--out FILE]\n",
          stderr);
    exit(2);
}

int main(int argc, char **argv) {
    double rate = 0; /* MiB/s; 0 = as fast as it can */
    long host_below_kib = -1, cgroup_above = -1, cap_mib = 1024, delay_ms = 1500, wait_ms = 3000;
    const char *out_path = NULL;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!v) usage();
        if (!strcmp(a, "--rate")) rate = strcmp(v, "max") == 0 ? 0 : atof(v);
        else if (!strcmp(a, "--host-below")) host_below_kib = atol(v);
        else if (!strcmp(a, "--cgroup-above")) cgroup_above = atol(v);
        else if (!strcmp(a, "--cap-mib")) cap_mib = atol(v);
        else if (!strcmp(a, "--delay-ms")) delay_ms = atol(v);
        else if (!strcmp(a, "--wait-ms")) wait_ms = atol(v);
        else if (!strcmp(a, "--stop-on")) stop_sig = strcmp(v, "TERM") == 0 ? SIGTERM : SIGUSR1;
        else if (!strcmp(a, "--out")) out_path = v;
        else usage();
        i++;
    }
    if ((host_below_kib < 0) == (cgroup_above < 0)) usage();

    int out = out_path ? open(out_path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644) : dup(1);
    if (out < 0) die("cannot open --out");
    int adj = open("/proc/self/oom_score_adj", O_WRONLY | O_CLOEXEC);
    if (adj >= 0) {
        if (write(adj, "1000", 4) < 0) { /* best effort: non-root may not raise it that far */ }
        close(adj);
    }

    char cgdir[8192] = "";
    if (cgroup_above >= 0) {
        if (cgroup_dir(cgdir, sizeof cgdir) < 0) die("no memory cgroup v1 for this process");
        char path[4200];
        snprintf(path, sizeof path, "%s/memory.usage_in_bytes", cgdir);
        usage_fd = open(path, O_RDONLY | O_CLOEXEC);
    } else {
        usage_fd = open("/proc/meminfo", O_RDONLY | O_CLOEXEC);
    }
    if (usage_fd < 0) die("cannot open the usage file");

    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = handler;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESTART;
    sigaction(SIGUSR1, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);

    /* Let the supervisor settle (a JVM starts, takes its first samples) before anything grows. */
    struct timespec d = {delay_ms / 1000, (delay_ms % 1000) * 1000000L};
    while (nanosleep(&d, &d) < 0 && errno == EINTR && !stop_now) {}

    long base; /* the supervisor's quantity just before allocating */
    long inactive0 = 0; /* the group's inactive file cache then: usage - this = its working set */
    double threshold_bytes;
    char buf[SNAP];
    if (cgroup_above >= 0) {
        base = cgroup_working_set(cgdir, &inactive0);
        threshold_bytes = (double)cgroup_above - base;
    } else {
        ssize_t n = pread(usage_fd, buf, SNAP - 1, 0);
        buf[n > 0 ? n : 0] = 0;
        base = host_headroom_kib(buf);
        threshold_bytes = ((double)base - host_below_kib) * 1024;
    }
    if (base < 0) die("cannot read the starting usage");
    double threshold_mib = threshold_bytes / MIB;
    long total_mib = threshold_mib > 0 ? (long)threshold_mib + 1 + cap_mib : cap_mib;

    char *mem = mmap(NULL, total_mib * MIB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (mem == MAP_FAILED) die("mmap failed");
    madvise(mem, total_mib * MIB, MADV_NOHUGEPAGE); /* one fault, one page: the count stays exact */
    struct timespec *t_start = calloc(total_mib + 1, sizeof *t_start), *t_end = calloc(total_mib + 1, sizeof *t_end);
    if (!t_start || !t_end) die("out of memory for the timeline");
    memset(t_start, 0, (total_mib + 1) * sizeof *t_start); /* touched now, not during the race */
    memset(t_end, 0, (total_mib + 1) * sizeof *t_end);

    /* On the host, others allocate and free too: the crossing that counts is the one the
       supervisors see, so the headroom is read after every MiB (one pread of /proc/meminfo). */
    double seen_cross_ms = -1;
    int crossed_told = 0;
    struct timespec t0, next;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    next = t0;
    long mib = 0;
    int capped = 0;
    for (; mib < total_mib && !stop_now; mib++) {
        clock_gettime(CLOCK_MONOTONIC, &t_start[mib]);
        char *p = mem + mib * MIB;
        for (long off = 0; off < MIB && !stop_now; off += PAGE) {
            p[off] = 1;
            pages_touched++;
            if (cgroup_above >= 0 && seen_cross_ms < 0 && (pages_touched & 15) == 0) {
                /* The group's usage, as oomguard sees it, every 64 KiB (a read costs ~1 us). */
                ssize_t n = pread(usage_fd, buf, SNAP - 1, 0);
                buf[n > 0 ? n : 0] = 0;
                if (n > 0 && strtol(buf, NULL, 10) - inactive0 >= cgroup_above) {
                    struct timespec now;
                    clock_gettime(CLOCK_MONOTONIC, &now);
                    seen_cross_ms = ms(&now);
                }
            }
        }
        clock_gettime(CLOCK_MONOTONIC, &t_end[mib]);
        if (host_below_kib >= 0 && seen_cross_ms < 0) {
            ssize_t n = pread(usage_fd, buf, SNAP - 1, 0);
            buf[n > 0 ? n : 0] = 0;
            long h = host_headroom_kib(buf);
            if (h >= 0 && h < host_below_kib) seen_cross_ms = ms(&t_end[mib]);
        }
        if (!crossed_told && seen_cross_ms >= 0) {
            /* Said now, once: if the kernel kills this process, the bench still learns its rate. */
            crossed_told = 1;
            double s = (ms(&t_end[mib]) - ms(&t0)) / 1e3;
            dprintf(out, "reaction-alloc crossed achieved_mib_s=%.0f\n", s > 0 ? (mib + 1) / s : 0);
        }
        if (rate > 0) {
            long step = (long)(1e9 / rate);
            next.tv_nsec += step;
            while (next.tv_nsec >= 1000000000L) { next.tv_nsec -= 1000000000L; next.tv_sec++; }
            while (!stop_now && clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &next, NULL) == EINTR) {}
        }
    }
    struct timespec done;
    clock_gettime(CLOCK_MONOTONIC, &done);
    if (!stop_now) {
        /* At the cap: wait for a late signal, and on the host keep looking for the crossing
           (when others freed memory meanwhile, it may come only now), every millisecond. */
        capped = 1;
        for (long waited = 0; waited < wait_ms && !stop_now; waited++) {
            struct timespec w = {0, 1000000L};
            nanosleep(&w, NULL);
            if (host_below_kib >= 0 && seen_cross_ms < 0) {
                ssize_t n = pread(usage_fd, buf, SNAP - 1, 0);
                buf[n > 0 ? n : 0] = 0;
                long h = host_headroom_kib(buf);
                struct timespec now;
                clock_gettime(CLOCK_MONOTONIC, &now);
                if (h >= 0 && h < host_below_kib) seen_cross_ms = ms(&now);
            }
        }
    }

    /* When this process's own allocation crossed the threshold: inside MiB k, by the fraction of it. */
    double own_cross_ms = -1;
    if (threshold_mib <= 0) {
        own_cross_ms = ms(&t0);
    } else {
        long k = (long)threshold_mib;
        if (k < mib && t_end[k].tv_sec) {
            double frac = threshold_mib - k;
            own_cross_ms = ms(&t_start[k]) + frac * (ms(&t_end[k]) - ms(&t_start[k]));
        }
    }
    struct arrival *a = stop_sig == SIGUSR1 ? &on_usr1 : &on_term;
    struct arrival *other = stop_sig == SIGUSR1 ? &on_term : &on_usr1;
    double at_ms = ms(&a->at);
    double own_mib = (a->seen ? a->pages : pages_touched) * (double)PAGE / MIB;
    long seen_usage = -1; /* the supervisor's quantity at arrival, as the kernel file said */
    if (a->seen && a->snap_len > 0) {
        a->snap[a->snap_len] = 0;
        seen_usage = cgroup_above >= 0 ? strtol(a->snap, NULL, 10) : host_headroom_kib(a->snap);
    }

    /* The figures that count. In a cgroup of its own the job is all there is: its own count. On
       the host, what the supervisors see: a signal that arrives between two reads, the headroom
       already below the threshold, has latency 0 (reads are one MiB apart); overshoot is the
       headroom read in the handler, below the threshold. */
    double latency = -1, overshoot = -1;
    int early;
    if (cgroup_above >= 0) {
        long ws = seen_usage - inactive0;
        early = a->seen && seen_usage >= 0 && ws < cgroup_above;
        if (a->seen && seen_usage >= 0) overshoot = (ws - cgroup_above) / (double)MIB;
        if (a->seen && !early) latency = seen_cross_ms >= 0 && seen_cross_ms < at_ms ? at_ms - seen_cross_ms : 0;
    } else {
        early = a->seen && seen_usage >= host_below_kib;
        if (a->seen && seen_usage >= 0) overshoot = (host_below_kib - seen_usage) / 1024.0;
        if (a->seen && !early) latency = seen_cross_ms >= 0 && seen_cross_ms < at_ms ? at_ms - seen_cross_ms : 0;
    }
    int crossed = seen_cross_ms >= 0;
    const char *outcome = !a->seen ? (crossed ? "no_signal" : "not_crossed") : early ? "early" : capped && at_ms >= ms(&done) ? "after_cap" : "signalled";
    double elapsed_s = (ms(&done) - ms(&t0)) / 1e3;
    char rate_text[32] = "max";
    if (rate > 0) snprintf(rate_text, sizeof rate_text, "%g", rate);
    dprintf(out, "reaction-alloc outcome=%s signal=%s rate_mib_s=%s achieved_mib_s=%.0f latency_ms=%.3f overshoot_mib=%.3f"
            " threshold_mib=%.2f allocated_mib=%.2f own_latency_ms=%.3f own_overshoot_mib=%.3f start_%s=%ld at_signal_%s=%ld"
            " other_signal_ms=%.3f\n",
            outcome, stop_sig == SIGUSR1 ? "USR1" : "TERM", rate_text,
            elapsed_s > 0 ? pages_touched * (double)PAGE / MIB / elapsed_s : 0, latency, overshoot, threshold_mib, own_mib,
            a->seen && own_cross_ms >= 0 ? at_ms - own_cross_ms : -1, a->seen ? own_mib - threshold_mib : -1,
            cgroup_above >= 0 ? "ws_bytes" : "headroom_kib", base, cgroup_above >= 0 ? "usage_bytes" : "headroom_kib",
            seen_usage, other->seen && own_cross_ms >= 0 ? ms(&other->at) - own_cross_ms : -1);
    return 0;
}
