/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _PXEFAST_XMIT_H
#define _PXEFAST_XMIT_H

#include <linux/if_ether.h>
#include <linux/skbuff.h>

struct net_device;

struct pxefast_udp_ep {
	__be32 saddr;
	__be32 daddr;
	__be16 sport;
	__be16 dport;
	bool broadcast;			/* link-layer broadcast */
	u8 dst_mac[ETH_ALEN];		/* else this link-layer address */
};

struct sk_buff *pxefast_alloc_udp(struct net_device *dev, unsigned int len,
				  gfp_t gfp);
struct iphdr;
void pxefast_ip_hdr(struct iphdr *iph, const struct pxefast_udp_ep *ep,
		    unsigned int tot_len);
int pxefast_xmit_udp(struct net_device *dev, struct sk_buff *skb,
		     const struct pxefast_udp_ep *ep);

#endif /* _PXEFAST_XMIT_H */
