/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers shared by the load generators of make bench: clock, CPU time,
 * fatal errors and percentiles.
 */
#ifndef PXEFAST_BENCH_COMMON_H
#define PXEFAST_BENCH_COMMON_H

#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static inline double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static inline void die(const char *msg)
{
	perror(msg);
	exit(2);
}

/* CPU time this process used, in seconds */
static inline double self_cpu(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 +
	       ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
}

/*
 * Idle time (idle + iowait) of CPU @cpu (-1: all CPUs) since boot, in
 * seconds, from /proc/stat.  Busy time is measured as elapsed time minus
 * this: with NO_HZ the kernel measures idle periods exactly, while busy
 * time is sampled by ticks, and softirq bursts on a mostly idle CPU fall
 * between ticks (Debian's kernels have no IRQ_TIME_ACCOUNTING).
 */
static inline double cpu_idle(int cpu)
{
	unsigned long long v[5] = { 0 };
	char name[16], want[16], line[512];
	double idle = -1;
	FILE *f = fopen("/proc/stat", "r");

	if (!f)
		return -1;
	if (cpu < 0)
		snprintf(want, sizeof(want), "cpu");
	else
		snprintf(want, sizeof(want), "cpu%d", cpu);
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%15s %llu %llu %llu %llu %llu", name,
			   &v[0], &v[1], &v[2], &v[3], &v[4]) != 6 ||
		    strcmp(name, want))
			continue;
		idle = (double)(v[3] + v[4]) / sysconf(_SC_CLK_TCK);
		break;
	}
	fclose(f);
	return idle;
}

static inline int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* The @p-quantile (0..1) of @n values, sorting them in place. */
static inline double percentile(double *v, size_t n, double p)
{
	if (!n)
		return 0;
	qsort(v, n, sizeof(*v), cmp_double);
	return v[(size_t)(p * (n - 1) + 0.5)];
}

#endif
