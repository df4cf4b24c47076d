// SPDX-License-Identifier: GPL-2.0
/*
 * A decoded configuration judged as a whole, before it is published: its
 * mappings put in matching order (two that would answer the same client
 * refuse the request) and what is accepted but likely a mistake reported
 * as warnings, each pointing at its object in the request.
 */

#include <linux/inetdevice.h>
#include <net/netlink.h>
#include <net/route.h>
#include "pxefast.h"

/* The @pos-th attribute of @type in a request, for error reports. */
static const struct nlattr *pxefast_nth_attr(const struct nlattr *head,
					     int len, int type, u32 pos)
{
	const struct nlattr *nla;
	int rem;

	nla_for_each_attr(nla, head, len, rem)
		if (nla_type(nla) == type && !pos--)
			return nla;
	return NULL;
}

static void pxefast_warn(struct pxefast_config_warnings *warn,
			 const struct nlattr *nla, const char *msg)
{
	if (warn->n < PXEFAST_MAX_WARNINGS) {
		warn->w[warn->n].nla = nla;
		warn->w[warn->n].msg = msg;
		warn->n++;
	}
}

/* Is @addr this host's, as a server address of @cfg's clients? */
static bool pxefast_addr_local(struct net *net,
			       const struct pxefast_config *cfg, __be32 addr)
{
	unsigned int i;

	for (i = 0; i < cfg->ndevs; i++)
		if (cfg->devs[i].addr == addr)
			return true;
	return inet_addr_type(net, addr) == RTN_LOCAL;
}

/*
 * PXE 2.1 option 43.8 against siaddr: the proxy offer lists the boot
 * servers, and EDK2 takes its TFTP server from the first address of the
 * first one rather than from siaddr (the mapping's next-server, or this
 * host).  Where the two differ, clients of that firmware fetch their boot
 * file elsewhere than the mapping says.  Legitimate when that boot server
 * is another host answering on 4011 itself, so a warning, not a refusal.
 * Only mappings a proxy offer can come from (no boot server type, or type
 * 0) count.
 */
static void pxefast_check_servers(struct net *net,
				  const struct pxefast_config *cfg,
				  const struct nlattr *head, int len,
				  struct pxefast_config_warnings *warn)
{
	bool addr_local, self_used = false;
	unsigned int i;
	__be32 addr;

	if (!cfg->nservers || !cfg->dhcp.proxy)
		return;
	addr = cfg->servers[0].naddrs ? cfg->servers[0].addrs[0] : 0;
	addr_local = !addr || pxefast_addr_local(net, cfg, addr);
	for (i = 0; i < cfg->nmaps; i++) {
		const struct pxefast_map *m = &cfg->maps[i];

		if ((m->fields & PXEFAST_MATCH_TYPE) && m->server_type)
			continue;
		if (!m->next_server) {
			self_used = true;
			continue;
		}
		if (addr ? m->next_server == addr :
			   pxefast_addr_local(net, cfg, m->next_server))
			continue;
		pxefast_warn(warn, pxefast_nth_attr(head, len, PXEFAST_A_MAP, m->pos),
			     "next-server is not the first boot server address (43.8), where EDK2 fetches the boot file");
	}
	if (self_used && !addr_local)
		pxefast_warn(warn, pxefast_nth_attr(head, len, PXEFAST_A_SERVER, 0),
			     "first boot server address (43.8) is not this host, which mappings without next-server name as TFTP server");
}

/**
 * pxefast_config_check - order and check a decoded configuration
 * @net: the namespace it is for (which addresses are this host's)
 * @cfg: the snapshot from pxefast_config_decode(), not published
 * @head: first top-level attribute of its SET_CONFIG request
 * @len: length of all top-level attributes
 * @extack: where the reason of a refusal goes
 * @warn: filled with what is accepted but likely a mistake; may be NULL
 *
 * Context: process (GFP_KERNEL).
 *
 * Return: 0; -EEXIST when two mappings can match the same client (the
 * later one in @extack); -ENOMEM.
 */
int pxefast_config_check(struct net *net, struct pxefast_config *cfg,
			 const struct nlattr *head, int len,
			 struct netlink_ext_ack *extack,
			 struct pxefast_config_warnings *warn)
{
	u32 clash;
	int err;

	err = pxefast_map_order(cfg, &clash);
	if (err == -EEXIST)
		NL_SET_ERR_MSG_ATTR(extack,
				    pxefast_nth_attr(head, len, PXEFAST_A_MAP, clash),
				    "mapping matches the same clients as another one");
	if (err)
		return err;
	if (warn) {
		warn->n = 0;
		pxefast_check_servers(net, cfg, head, len, warn);
	}
	return 0;
}
