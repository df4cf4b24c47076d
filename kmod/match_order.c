// SPDX-License-Identifier: GPL-2.0
/*
 * The order the matcher (pxe_match.c) walks a snapshot's NBP mappings in:
 * most specific first, cut into runs of alike mappings, with mappings that
 * could answer the same client refused as ambiguous.
 */

#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/string.h>
#include "pxefast.h"

static int pxefast_str_cmp(const char *a, const char *b)
{
	return strcmp(a ?: "", b ?: "");
}

/*
 * Specificity, field by field from the most specific: the one having a
 * field the other lacks ranks first; of two prefixes of the same field,
 * the longer.  Negative when @a ranks first, 0 when they are alike (same
 * fields, same prefix lengths: one run of pxefast_config.runs).
 */
static int pxefast_map_rank(const struct pxefast_map *a,
			    const struct pxefast_map *b)
{
	u32 bit;

	for (bit = PXEFAST_MATCH_MAC; bit; bit >>= 1) {
		bool ha = a->fields & bit, hb = b->fields & bit;

		if (ha != hb)
			return ha ? -1 : 1;
		if (!ha)
			continue;
		if (bit == PXEFAST_MATCH_MAC_PREFIX &&
		    a->mac_plen != b->mac_plen)
			return a->mac_plen > b->mac_plen ? -1 : 1;
		if (bit == PXEFAST_MATCH_UUID_PREFIX &&
		    a->uuid_plen != b->uuid_plen)
			return a->uuid_plen > b->uuid_plen ? -1 : 1;
	}
	return 0;
}

/*
 * Match values other than the vendor class, compared in a fixed order;
 * 0 when they are all equal.
 */
static int pxefast_map_values_cmp(const struct pxefast_map *a,
				  const struct pxefast_map *b)
{
	int r;

	r = memcmp(a->mac, b->mac, ETH_ALEN);
	if (r)
		return r;
	r = memcmp(a->uuid, b->uuid, PXEFAST_UUID_LEN);
	if (r)
		return r;
	r = pxefast_str_cmp(a->user_class, b->user_class);
	if (r)
		return r;
	if (a->arch != b->arch)
		return a->arch < b->arch ? -1 : 1;
	if (a->server_type != b->server_type)
		return a->server_type < b->server_type ? -1 : 1;
	if (a->layer != b->layer)
		return a->layer < b->layer ? -1 : 1;
	return 0;
}

/*
 * Order mappings most specific first; among equally specific ones, by
 * their match values, so that duplicates and overlapping vendor-class
 * prefixes end up next to each other.
 */
static int pxefast_map_cmp(const void *pa, const void *pb)
{
	const struct pxefast_map *a = pa, *b = pb;

	return pxefast_map_rank(a, b) ?: pxefast_map_values_cmp(a, b) ?:
	       pxefast_str_cmp(a->vendor_class, b->vendor_class);
}

/*
 * Two neighbours in sort order are ambiguous when they have the same match
 * fields and could match the same client: equal values everywhere, the
 * vendor classes one a prefix of the other.  In sorted order, when some
 * vendor class is a prefix of a later one it is a prefix of its immediate
 * successor as well, so checking neighbours finds every ambiguity.
 */
static bool pxefast_map_ambiguous(const struct pxefast_map *a,
				  const struct pxefast_map *b)
{
	const char *va = a->vendor_class ?: "", *vb = b->vendor_class ?: "";

	if (pxefast_map_rank(a, b) || pxefast_map_values_cmp(a, b))
		return false;
	return !strncmp(va, vb, strlen(va));
}

/* Split the sorted mappings into runs of equal match fields and prefix
 * lengths.
 */
static int pxefast_map_runs(struct pxefast_config *cfg)
{
	unsigned int i, n = 0;

	for (i = 0; i < cfg->nmaps; i++)
		if (!i || pxefast_map_rank(&cfg->maps[i], &cfg->maps[i - 1]))
			n++;
	if (!n)
		return 0;
	cfg->runs = kcalloc(n, sizeof(*cfg->runs), GFP_KERNEL);
	if (!cfg->runs)
		return -ENOMEM;
	for (i = 0; i < cfg->nmaps; i++) {
		struct pxefast_map_run *r;

		if (!i || pxefast_map_rank(&cfg->maps[i], &cfg->maps[i - 1])) {
			r = &cfg->runs[cfg->nruns++];
			r->fields = cfg->maps[i].fields;
			r->mac_plen = cfg->maps[i].mac_plen;
			r->uuid_plen = cfg->maps[i].uuid_plen;
			r->start = i;
		}
		cfg->runs[cfg->nruns - 1].end = i + 1;
	}
	return 0;
}

/**
 * pxefast_map_order - put a new snapshot's mappings in matching order
 * @cfg: a snapshot being built, not yet published
 * @clash: set, on -EEXIST, to the request position (pxefast_map.pos) of
 *	the later of two ambiguous mappings
 *
 * Sorts @cfg->maps most specific first (the order of uapi's enum
 * pxefast_map_attr comment, which pxe_match.c relies on) and fills
 * @cfg->runs.  Process context (GFP_KERNEL).
 *
 * Return: 0; -EEXIST when two mappings with the same match fields can
 * match the same client; -ENOMEM.
 */
int pxefast_map_order(struct pxefast_config *cfg, u32 *clash)
{
	const struct pxefast_map *a, *b;
	unsigned int i;

	sort(cfg->maps, cfg->nmaps, sizeof(*cfg->maps), pxefast_map_cmp, NULL);
	for (i = 1; i < cfg->nmaps; i++) {
		a = &cfg->maps[i - 1];
		b = &cfg->maps[i];
		if (pxefast_map_ambiguous(a, b)) {
			*clash = max(a->pos, b->pos);
			return -EEXIST;
		}
	}
	return pxefast_map_runs(cfg);
}
