// SPDX-License-Identifier: GPL-2.0
/*
 * Per-namespace counters, per CPU so that the packet path never shares a
 * cache line between CPUs.
 */

#include <linux/percpu.h>
#include <linux/string.h>
#include "pxefast.h"

/**
 * pxefast_stats_init - allocate a namespace's counters
 * @pn: the namespace
 *
 * Pernet init (process context).
 *
 * Return: 0 or -ENOMEM.
 */
int pxefast_stats_init(struct pxefast_net *pn)
{
	int cpu;

	pn->stats = alloc_percpu(struct pxefast_pcpu_stats);
	if (!pn->stats)
		return -ENOMEM;
	for_each_possible_cpu(cpu)
		u64_stats_init(&per_cpu_ptr(pn->stats, cpu)->syncp);
	return 0;
}

/**
 * pxefast_stats_exit - free a namespace's counters
 * @pn: the namespace, which no packet path can reach any more
 */
void pxefast_stats_exit(struct pxefast_net *pn)
{
	free_percpu(pn->stats);
}

/**
 * pxefast_stat_add - add to one counter
 * @pn: the namespace
 * @idx: the counter
 * @val: what to add
 *
 * Any context; per-CPU, no lock shared between CPUs.
 */
void pxefast_stat_add(struct pxefast_net *pn, enum pxefast_stat idx, u64 val)
{
	struct pxefast_pcpu_stats *s = get_cpu_ptr(pn->stats);
	unsigned long flags;

	flags = u64_stats_update_begin_irqsave(&s->syncp);
	u64_stats_add(&s->c[idx], val);
	u64_stats_update_end_irqrestore(&s->syncp, flags);
	put_cpu_ptr(pn->stats);
}

/**
 * pxefast_stat_arch - count a PXE request or answer per architecture
 * @pn: the namespace
 * @arch: the client's architecture (RFC 4578 option 93); codes beyond the
 *	table are not counted
 * @answered: false for a request, true for an answer
 *
 * Any context.
 */
void pxefast_stat_arch(struct pxefast_net *pn, u16 arch, bool answered)
{
	struct pxefast_pcpu_stats *s;
	unsigned long flags;

	if (arch >= PXEFAST_ARCH_STATS_CODES)
		return;
	s = get_cpu_ptr(pn->stats);
	flags = u64_stats_update_begin_irqsave(&s->syncp);
	u64_stats_inc(answered ? &s->arch_ans[arch] : &s->arch_req[arch]);
	u64_stats_update_end_irqrestore(&s->syncp, flags);
	put_cpu_ptr(pn->stats);
}

static u64 pxefast_stat_fetch(const struct u64_stats_sync *syncp,
			      const u64_stats_t *p)
{
	unsigned int start;
	u64 v;

	do {
		start = u64_stats_fetch_begin(syncp);
		v = u64_stats_read(p);
	} while (u64_stats_fetch_retry(syncp, start));
	return v;
}

/**
 * pxefast_stats_read - sum every CPU's counters
 * @pn: the namespace
 * @snap: filled in
 *
 * Any context; each counter is read consistently, the set as a whole is not
 * a single instant.
 */
void pxefast_stats_read(struct pxefast_net *pn,
			struct pxefast_stats_snapshot *snap)
{
	int cpu, i;

	memset(snap, 0, sizeof(*snap));
	for_each_possible_cpu(cpu) {
		const struct pxefast_pcpu_stats *s = per_cpu_ptr(pn->stats, cpu);

		for (i = 0; i < __PXEFAST_STAT_MAX; i++)
			snap->c[i] += pxefast_stat_fetch(&s->syncp, &s->c[i]);
		for (i = 0; i < PXEFAST_ARCH_STATS_CODES; i++) {
			snap->arch_req[i] +=
				pxefast_stat_fetch(&s->syncp, &s->arch_req[i]);
			snap->arch_ans[i] +=
				pxefast_stat_fetch(&s->syncp, &s->arch_ans[i]);
		}
	}
}

/**
 * pxefast_stats_clear - zero a namespace's counters
 * @pn: the namespace
 *
 * Increments racing with this may survive it.  Process context.
 */
void pxefast_stats_clear(struct pxefast_net *pn)
{
	int cpu, i;

	for_each_possible_cpu(cpu) {
		struct pxefast_pcpu_stats *s = per_cpu_ptr(pn->stats, cpu);
		unsigned long flags;

		flags = u64_stats_update_begin_irqsave(&s->syncp);
		for (i = 0; i < __PXEFAST_STAT_MAX; i++)
			u64_stats_set(&s->c[i], 0);
		for (i = 0; i < PXEFAST_ARCH_STATS_CODES; i++) {
			u64_stats_set(&s->arch_req[i], 0);
			u64_stats_set(&s->arch_ans[i], 0);
		}
		u64_stats_update_end_irqrestore(&s->syncp, flags);
	}
}
