// SPDX-License-Identifier: GPL-2.0
/*
 * Which NBP mapping a client gets, and whether its architecture is served.
 */

#include <linux/string.h>
#include "dhcp.h"

/**
 * pxefast_dhcp_arch_enabled - whether an architecture's clients are answered
 * @cfg: the configuration
 * @arch: the client's architecture (RFC 4578 option 93)
 *
 * Architectures not listed in the configuration are enabled.  Any context.
 *
 * Return: false when @arch is disabled.
 */
bool pxefast_dhcp_arch_enabled(const struct pxefast_config *cfg, u16 arch)
{
	unsigned int i;

	for (i = 0; i < cfg->narchs; i++)
		if (cfg->archs[i].code == arch)
			return cfg->archs[i].enabled;
	return true;
}

/*
 * Option 77 as iPXE sends it is the bare string ("iPXE"); RFC 3004 makes it
 * a list of length-prefixed classes.  A mapping's class matches either.
 * The class "iPXE" also matches a client sending iPXE's own option 175,
 * which builds with another user class still do.
 */
static bool pxefast_uclass_match(const char *want,
				 const struct pxefast_dhcp_req *req)
{
	size_t wlen = strlen(want);
	const u8 *p = req->uclass, *end = p + req->uclass_len;

	if (req->ipxe && !strcmp(want, "iPXE"))
		return true;
	if (!p)
		return false;
	if (req->uclass_len == wlen && !memcmp(p, want, wlen))
		return true;
	while (p < end) {
		u8 clen = *p++;

		if (clen > end - p)
			return false;
		if (clen == wlen && !memcmp(p, want, wlen))
			return true;
		p += clen;
	}
	return false;
}

static bool pxefast_map_match(const struct pxefast_map *m,
			      const struct pxefast_dhcp_req *req)
{
	u32 f = m->fields;

	if ((f & PXEFAST_MATCH_MAC) &&
	    memcmp(m->mac, req->hdr->chaddr, ETH_ALEN))
		return false;
	if ((f & PXEFAST_MATCH_MAC_PREFIX) &&
	    memcmp(m->mac, req->hdr->chaddr, m->mac_plen))
		return false;
	if ((f & PXEFAST_MATCH_UUID) &&
	    (!req->has_uuid || memcmp(m->uuid, req->uuid, PXEFAST_UUID_LEN)))
		return false;
	if ((f & PXEFAST_MATCH_UUID_PREFIX) &&
	    (!req->has_uuid || memcmp(m->uuid, req->uuid, m->uuid_plen)))
		return false;
	if ((f & PXEFAST_MATCH_UCLASS) &&
	    !pxefast_uclass_match(m->user_class, req))
		return false;
	if (f & PXEFAST_MATCH_VCLASS) {
		size_t vlen = strlen(m->vendor_class);

		if (!req->vclass || req->vclass_len < vlen ||
		    memcmp(req->vclass, m->vendor_class, vlen))
			return false;
	}
	if ((f & PXEFAST_MATCH_ARCH) &&
	    (!req->has_arch || req->arch != m->arch))
		return false;
	if ((f & PXEFAST_MATCH_TYPE) &&
	    (req->has_item ? req->item_type : 0) != m->server_type)
		return false;
	if ((f & PXEFAST_MATCH_LAYER) &&
	    (req->item_layer & PXE_LAYER_MASK) != m->layer)
		return false;
	return true;
}

/*
 * First mapping of @run whose key (the first @klen bytes of its MAC or
 * UUID) is not below @key.
 */
static unsigned int pxefast_run_lower(const struct pxefast_config *cfg,
				      const struct pxefast_map_run *run,
				      const u8 *key, unsigned int klen,
				      bool mac)
{
	unsigned int lo = run->start, hi = run->end;

	while (lo < hi) {
		unsigned int mid = lo + (hi - lo) / 2;
		const struct pxefast_map *m = &cfg->maps[mid];

		if (memcmp(mac ? m->mac : m->uuid, key, klen) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/**
 * pxefast_map_lookup - the most specific mapping matching a request
 * @cfg: the configuration
 * @req: the parsed request
 *
 * Context: any; RCU read lock held for @cfg.
 *
 * Runs are ordered most specific first, so the first match wins.  Runs
 * keyed by MAC, MAC prefix, UUID or UUID prefix (the large ones at sites
 * that list machines) are sorted by that key and searched in O(log n).
 * Any context, @cfg held.
 *
 * Return: the mapping, or NULL when none matches.
 */
const struct pxefast_map *pxefast_map_lookup(const struct pxefast_config *cfg,
					     const struct pxefast_dhcp_req *req)
{
	unsigned int r, i;

	for (r = 0; r < cfg->nruns; r++) {
		const struct pxefast_map_run *run = &cfg->runs[r];
		unsigned int klen = 0;
		const u8 *key = NULL;
		bool mac = true;

		if (run->fields & PXEFAST_MATCH_MAC) {
			key = req->hdr->chaddr;
			klen = ETH_ALEN;
		} else if (run->fields & PXEFAST_MATCH_MAC_PREFIX) {
			key = req->hdr->chaddr;
			klen = run->mac_plen;
		} else if (run->fields & (PXEFAST_MATCH_UUID |
					  PXEFAST_MATCH_UUID_PREFIX)) {
			if (!req->has_uuid)
				continue;
			key = req->uuid;
			mac = false;
			klen = run->fields & PXEFAST_MATCH_UUID ?
			       PXEFAST_UUID_LEN : run->uuid_plen;
		}
		i = key ? pxefast_run_lower(cfg, run, key, klen, mac) :
			  run->start;

		for (; i < run->end; i++) {
			const struct pxefast_map *m = &cfg->maps[i];

			if (key && memcmp(mac ? m->mac : m->uuid, key, klen))
				break;
			if (pxefast_map_match(m, req))
				return m;
		}
	}
	return NULL;
}
