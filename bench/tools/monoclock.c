/*
 * LD_PRELOAD shim for SIPp: its timestamps come from the coarse kernel clocks (4 ms steps on this kind of
 * machine), which hides every sub-4 ms response time. This maps the *_COARSE clocks to the precise ones.
 *   cc -shared -fPIC -O2 -o monoclock.so monoclock.c -ldl
 *   LD_PRELOAD=./monoclock.so sipp ...
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <time.h>

typedef int (*clock_gettime_fn)(clockid_t, struct timespec *);

int clock_gettime(clockid_t id, struct timespec *ts) {
    static clock_gettime_fn real;
    if (!real) {
        real = (clock_gettime_fn) dlsym(RTLD_NEXT, "clock_gettime");
    }
    if (id == CLOCK_MONOTONIC_COARSE) {
        id = CLOCK_MONOTONIC;
    } else if (id == CLOCK_REALTIME_COARSE) {
        id = CLOCK_REALTIME;
    }
    return real(id, ts);
}
