// SPDX-License-Identifier: GPL-2.0
/*
 * Decide: whether a parsed request is answered, with which NBP mapping
 * and which boot file.  Reads the configuration only; builds nothing.
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
 * a list of length-prefixed classes, as DHCPv6's option 15 is (2-byte
 * lengths, RFC 8415 21.15).  A mapping's class matches either.  The class
 * "iPXE" also matches a client sending iPXE's own option 175, which builds
 * with another user class still do.
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
		unsigned int clen = *p++;

		if (req->uclass_be16) {		/* RFC 8415 21.15 */
			if (p >= end)
				return false;
			clen = clen << 8 | *p++;
		}
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
	    memcmp(m->mac, req->mac, ETH_ALEN))
		return false;
	if ((f & PXEFAST_MATCH_MAC_PREFIX) &&
	    memcmp(m->mac, req->mac, m->mac_plen))
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
			key = req->mac;
			klen = ETH_ALEN;
		} else if (run->fields & PXEFAST_MATCH_MAC_PREFIX) {
			key = req->mac;
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

/* Is this a request pxefast answers on this port, per the config? */
static bool dhcp_wanted(const struct pxefast_dhcp_rx *rx,
			const struct pxefast_dhcp_req *req)
{
	const struct pxefast_dhcp_cfg *d = &rx->cfg->dhcp;

	/*
	 * An HTTP boot client takes its URL from a proxy offer and asks
	 * only the server that gives it an address for it; it never asks
	 * a boot server (EDK2 HttpBootDxe has no UDP 4011 step).
	 */
	if (req->http)
		return d->proxy && !pxefast_dhcp_binl(rx) &&
		       req->msg_type == DHCPDISCOVER;
	if (!req->pxe)
		return false;
	if (pxefast_dhcp_binl(rx))
		return d->boot_server && (req->msg_type == DHCPREQUEST ||
					  req->msg_type == DHCPINFORM);
	if (!d->proxy)
		return false;
	if (req->msg_type == DHCPDISCOVER)
		return true;
	/*
	 * A REQUEST on 67 is for us only when it names us as its server and
	 * asks for no address.  One asking for an address takes a lease from
	 * a DHCP server, which may share our address (and so option 54) when
	 * it runs on this host: an address-less ACK from us would be taken
	 * for its ACK, and EDK2 then declines the lease (PXE-E07).
	 */
	return req->msg_type == DHCPREQUEST && !req->wants_lease &&
	       req->server_id == rx->server_addr;
}

/**
 * pxefast_dhcp_decide - whether and how a parsed request is answered
 * @rx: where it came from and the configuration to apply
 * @req: the request, from pxefast_dhcp_parse()
 * @reply: on an answer, its @ack, @file and @delay_ms are set; else its
 *	@verdict says why there is none
 *
 * Context: any; RCU read lock held for @rx->cfg.
 *
 * A PXE client's DHCPDISCOVER, or its DHCPREQUEST asking for no address,
 * on UDP 67 gets a proxy offer or ACK (PXE 2.1 2.2); its DHCPREQUEST or
 * DHCPINFORM on UDP 4011 a boot server ACK (PXE 2.1 2.4).  A UEFI HTTP
 * boot client's DHCPDISCOVER (option 60 "HTTPClient") gets a proxy offer
 * naming its mapping's URL, and nothing else it sends is answered.  Only
 * mapped clients of enabled architectures are answered, and only from an
 * interface with an address.
 *
 * Return: the client's mapping, or NULL when the request gets no answer.
 */
const struct pxefast_map *
pxefast_dhcp_decide(const struct pxefast_dhcp_rx *rx,
		    const struct pxefast_dhcp_req *req,
		    struct pxefast_dhcp_reply *reply)
{
	const struct pxefast_config *cfg = rx->cfg;
	bool binl = pxefast_dhcp_binl(rx);
	const struct pxefast_map *map;
	bool bis;

	if (!dhcp_wanted(rx, req)) {
		reply->verdict = PXEFAST_IGNORE;
		return NULL;
	}
	if (!pxefast_dhcp_arch_enabled(cfg, req->has_arch ? req->arch : 0)) {
		reply->verdict = PXEFAST_DROP_ARCH;
		return NULL;
	}
	/* Only mapped clients are answered, menus or not: that is how a
	 * client that cannot use boot servers (iPXE's EFI build) is kept
	 * away from an offer that would send it to them.
	 */
	map = pxefast_map_lookup(cfg, req);
	if (!map) {
		reply->verdict = PXEFAST_DROP_NO_MAP;
		return NULL;
	}
	bis = binl && (req->item_layer & PXE_LAYER_CREDENTIALS);
	if (bis && !map->bis_file) {
		reply->verdict = PXEFAST_DROP_NO_BIS;
		return NULL;
	}
	if (req->http && !map->url) {
		reply->verdict = PXEFAST_DROP_NO_URL;
		return NULL;
	}
	if (!rx->server_addr) {
		reply->verdict = PXEFAST_DROP_NO_ADDR;
		return NULL;
	}

	reply->verdict = PXEFAST_ANSWER;
	if (req->http) {
		reply->file = map->url;
		reply->delay_ms = map->delay_ms;
		return map;
	}
	reply->ack = req->msg_type != DHCPDISCOVER;
	reply->file = bis ? map->bis_file : map->file;
	if (!binl &&
	    !(pxefast_dhcp_discovery(cfg) & PXEFAST_DISC_DIRECT_BOOT_FILE))
		reply->file = NULL;
	reply->delay_ms = binl ? 0 : map->delay_ms;
	return map;
}
