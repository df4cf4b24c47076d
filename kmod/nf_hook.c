// SPDX-License-Identifier: GPL-2.0
/*
 * The netfilter hook: IPv4 LOCAL_IN, after the filter table, registered in
 * a namespace only while its configuration serves some interface.
 *
 * UDP 67: PXE requests are answered and then passed on (NF_ACCEPT), so a
 * DHCP server on this host still receives every packet; one answered where
 * no socket listens on 67 is consumed (no ICMP port unreachable).  UDP 4011: the
 * boot server's port; the datagrams are consumed.  UDP 69, while TFTP is
 * on: read requests start transfers, and are consumed.  With a service
 * off, its port is left to whatever listens on the host.
 */

#include <linux/ip.h>
#include <linux/netfilter.h>
#include <linux/netfilter_ipv4.h>
#include <linux/udp.h>
#include <net/ip.h>
#include "dhcp.h"
#include "tftp.h"

/**
 * pxefast_config_dev - a served interface's entry in a configuration
 * @cfg: the configuration (RCU or a reference)
 * @ifindex: the interface
 *
 * Any context.
 *
 * Return: the entry, or NULL when @cfg does not serve @ifindex.
 */
const struct pxefast_dev_cfg *
pxefast_config_dev(const struct pxefast_config *cfg, int ifindex)
{
	unsigned int i;

	for (i = 0; i < cfg->ndevs; i++)
		if (cfg->devs[i].ifindex == ifindex)
			return &cfg->devs[i];
	return NULL;
}

static unsigned int pxefast_nf_local_in(void *priv, struct sk_buff *skb,
					const struct nf_hook_state *state)
{
	struct pxefast_net *pn = priv;
	const struct pxefast_dev_cfg *dcfg;
	struct pxefast_config *cfg;
	const struct iphdr *iph = ip_hdr(skb);
	struct udphdr _uh;
	const struct udphdr *uh;
	u16 port;

	if (iph->protocol != IPPROTO_UDP || ip_is_fragment(iph))
		return NF_ACCEPT;
	uh = skb_header_pointer(skb, ip_hdrlen(skb), sizeof(_uh), &_uh);
	if (!uh)
		return NF_ACCEPT;
	port = ntohs(uh->dest);
	if (port != DHCP_SERVER_PORT && port != PXE_BINL_PORT &&
	    port != TFTP_PORT)
		return NF_ACCEPT;

	cfg = rcu_dereference(pn->config);
	dcfg = cfg && state->in ? pxefast_config_dev(cfg, state->in->ifindex) :
				  NULL;
	if (!dcfg)
		return NF_ACCEPT;

	if (port == TFTP_PORT) {
		if (!cfg->tftp.enabled)
			return NF_ACCEPT;
		pxefast_tftp_rx(pn, cfg, dcfg, skb);
		consume_skb(skb);
		return NF_STOLEN;
	}
	if (port == DHCP_SERVER_PORT) {
		/*
		 * Answered, and no DHCP server here to take it too: UDP would
		 * only answer a unicast request (a relay's) with an ICMP port
		 * unreachable, so the datagram ends here.
		 */
		if (cfg->dhcp.proxy &&
		    pxefast_dhcp_rx(pn, cfg, dcfg, skb, false) &&
		    !pxefast_udp_listened(skb)) {
			consume_skb(skb);
			return NF_STOLEN;
		}
		return NF_ACCEPT;
	}
	if (!cfg->dhcp.boot_server)
		return NF_ACCEPT;
	pxefast_dhcp_rx(pn, cfg, dcfg, skb, true);
	consume_skb(skb);
	return NF_STOLEN;
}

/**
 * pxefast_nf_sync - register or unregister @pn's hooks for @cfg
 * @pn: the namespace, its lock held
 * @cfg: the configuration about to be published
 *
 * Called before @cfg is published, so that a failure refuses it.  Process
 * context.
 *
 * Return: 0 or a negative errno from nf_register_net_hooks().
 */
int pxefast_nf_sync(struct pxefast_net *pn, const struct pxefast_config *cfg)
{
	bool want = cfg->ndevs > 0;
	int err;

	lockdep_assert_held(&pn->lock);
	if (want == pn->nf_hooks)
		return 0;
	if (!want) {
		nf_unregister_net_hooks(pn->net, pn->nf_ops,
					ARRAY_SIZE(pn->nf_ops));
		pn->nf_hooks = false;
		return 0;
	}
	pn->nf_ops[0] = (struct nf_hook_ops) {
		.hook		= pxefast_nf_local_in,
		.priv		= pn,
		.pf		= NFPROTO_IPV4,
		.hooknum	= NF_INET_LOCAL_IN,
		.priority	= NF_IP_PRI_FILTER + 1,
	};
	err = nf_register_net_hooks(pn->net, pn->nf_ops,
				    ARRAY_SIZE(pn->nf_ops));
	if (!err)
		pn->nf_hooks = true;
	return err;
}

/**
 * pxefast_nf_exit - drop a namespace's netfilter hooks
 * @pn: the namespace, which is going away
 *
 * Pernet exit (process context).
 */
void pxefast_nf_exit(struct pxefast_net *pn)
{
	if (pn->nf_hooks)
		nf_unregister_net_hooks(pn->net, pn->nf_ops,
					ARRAY_SIZE(pn->nf_ops));
	pn->nf_hooks = false;
}
