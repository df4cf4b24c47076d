// SPDX-License-Identifier: GPL-2.0
/*
 * PXE requests answered at XDP, before an sk_buff exists (native mode) or
 * before the stack's taps and netfilter (generic mode).
 *
 * pxectl attaches a BPF program (userspace/pxefast_xdp.bpf.c) that only
 * calls the kfunc pxefast_xdp_rx() and returns its verdict: all parsing
 * and deciding happens here, in C, with the protocol core the netfilter
 * hook calls (pxefast_dhcp_answer(), which counts nothing).  A PXE request
 * on UDP 67 or 4011 to a served interface in XDP mode that the core
 * answers is turned into its reply in place: the core's IPv4 frame after
 * the link-layer header pxefast_dhcp_xmit() would write, so the bytes on
 * the wire are the netfilter path's, and XDP_TX.  Everything else goes on
 * to the stack (XDP_PASS), where the netfilter hook handles and counts it
 * once, as without XDP: DHCP that is not PXE or is refused, TFTP, requests
 * to other hosts, damaged headers or checksums, replies longer than the
 * frame's tailroom or to be delayed, and on UDP 67 any request while a
 * local socket (a DHCP server) listens, which must still receive it.
 *
 * The kfunc rewrites the packet and moves data_end itself: the program
 * must not touch packet pointers after the call.
 */

#include <linux/bpf.h>
#include <linux/etherdevice.h>
#include <linux/filter.h>
#include <linux/ip.h>
#include <linux/netdevice.h>
#include <linux/udp.h>
#include <net/checksum.h>
#include <net/ip.h>
#include <net/route.h>
#include <net/udp.h>
#include <net/xdp.h>
#include "dhcp.h"
#include "xdp.h"

/* The request's headers, checked. */
struct pxefast_xdp_frame {
	struct ethhdr *eth;
	struct iphdr *iph;
	struct udphdr *uh;
	const u8 *payload;
	unsigned int len;		/* UDP payload bytes */
};

/* Replies are built here, then copied over the request. */
struct pxefast_xdp_scratch {
	u8 buf[PXEFAST_DHCP_FRAME_MAX];
};

static DEFINE_PER_CPU(struct pxefast_xdp_scratch, pxefast_xdp_scratch);

/*
 * RFC 768: a zero checksum is none.  A sender on this host (veth, other
 * virtual devices) may leave the checksum to an offload that never runs:
 * the field then holds the pseudo-header sum (CHECKSUM_PARTIAL), which
 * the stack trusts, and so does this.
 */
static bool pxefast_xdp_udp_csum_ok(const struct iphdr *iph,
				    const struct udphdr *uh, unsigned int ulen)
{
	if (!uh->check)
		return true;
	if (!csum_tcpudp_magic(iph->saddr, iph->daddr, ulen, IPPROTO_UDP,
			       csum_partial(uh, ulen, 0)))
		return true;
	return uh->check == (__force __sum16)~csum_tcpudp_magic(iph->saddr,
				iph->daddr, ulen, IPPROTO_UDP, 0);
}

/* Ethernet, IPv4 without fragments, UDP to 67 or 4011: the headers as
 * ip_rcv() and the UDP receive path would accept them.
 */
static bool pxefast_xdp_parse(struct xdp_buff *xdp, struct pxefast_xdp_frame *f)
{
	u8 *data = xdp->data, *end = xdp->data_end;
	unsigned int ihl, tot, ulen;
	__be16 dport;

	if (xdp_buff_has_frags(xdp) ||
	    end - data < ETH_HLEN + sizeof(struct iphdr) + sizeof(struct udphdr))
		return false;
	f->eth = (struct ethhdr *)data;
	if (f->eth->h_proto != htons(ETH_P_IP))
		return false;
	f->iph = (struct iphdr *)(f->eth + 1);
	ihl = f->iph->ihl * 4;
	tot = ntohs(f->iph->tot_len);
	if (f->iph->version != 4 || ihl < sizeof(struct iphdr) ||
	    tot < ihl + sizeof(struct udphdr) || tot > end - data - ETH_HLEN ||
	    f->iph->protocol != IPPROTO_UDP || ip_is_fragment(f->iph) ||
	    ip_fast_csum(f->iph, f->iph->ihl))
		return false;
	f->uh = (struct udphdr *)((u8 *)f->iph + ihl);
	dport = f->uh->dest;
	if (dport != htons(DHCP_SERVER_PORT) && dport != htons(PXE_BINL_PORT))
		return false;
	ulen = ntohs(f->uh->len);
	if (ulen < sizeof(struct udphdr) || ulen > tot - ihl)
		return false;
	if (!pxefast_xdp_udp_csum_ok(f->iph, f->uh, ulen))
		return false;
	f->payload = (const u8 *)(f->uh + 1);
	f->len = ulen - sizeof(struct udphdr);
	return true;
}

/* Would the stack deliver it locally (LOCAL_IN, where netfilter sees it)? */
static bool pxefast_xdp_local(struct net_device *dev,
			      const struct pxefast_xdp_frame *f)
{
	__be32 daddr = f->iph->daddr;
	unsigned int type;

	if (!is_multicast_ether_addr(f->eth->h_dest) &&
	    !ether_addr_equal(f->eth->h_dest, dev->dev_addr))
		return false;
	if (ipv4_is_lbcast(daddr))
		return true;
	if (ipv4_is_multicast(daddr) || ipv4_is_zeronet(daddr))
		return false;
	type = inet_addr_type_dev_table(dev_net(dev), dev, daddr);
	return type == RTN_LOCAL || type == RTN_BROADCAST;
}

/* Put the reply the core built (IPv4 header on) in the frame, after a
 * link-layer header as pxefast_dhcp_xmit() writes it.
 */
static int pxefast_xdp_build(struct xdp_buff *xdp, struct net_device *dev,
			     const u8 *frame, unsigned int len,
			     const struct pxefast_dhcp_reply *reply)
{
	struct ethhdr *eth = xdp->data;

	if ((u8 *)xdp->data + ETH_HLEN + len > (u8 *)xdp_data_hard_end(xdp))
		return -EMSGSIZE;
	/* The request's source becomes the destination before it is lost. */
	ether_addr_copy(eth->h_dest, reply->broadcast ? dev->broadcast :
						       eth->h_source);
	ether_addr_copy(eth->h_source, dev->dev_addr);
	eth->h_proto = htons(ETH_P_IP);
	memcpy(eth + 1, frame, len);
	xdp->data_end = xdp->data + ETH_HLEN + len;
	return 0;
}

/**
 * pxefast_xdp_rx - answer a PXE request at XDP
 * @xdp_ctx: the frame (the program's context, a struct xdp_buff)
 *
 * The kfunc of pxefast's XDP program, which returns its result.  Context:
 * the driver's NAPI poll (native) or the receive path (generic), softirq,
 * RCU read lock held.  Answers only on interfaces the namespace's
 * configuration serves in XDP mode: PXE 2.1 proxy DHCP (UDP 67) and boot
 * server (UDP 4011) requests the protocol core answers, with a reply that
 * fits the frame and is not to be delayed.  The frame is then rewritten
 * and its length changed, within xdp_data_hard_end().
 *
 * Return: XDP_TX (the frame is the reply, accounted as sent) or XDP_PASS
 * (left to the stack and the netfilter hook, which account for it).
 */
__bpf_kfunc int pxefast_xdp_rx(struct xdp_md *xdp_ctx)
{
	struct xdp_buff *xdp = (struct xdp_buff *)xdp_ctx;
	struct net_device *dev = xdp->rxq->dev;
	struct pxefast_net *pn = pxefast_pernet(dev_net(dev));
	u8 *buf = this_cpu_ptr(&pxefast_xdp_scratch)->buf;
	const struct pxefast_dev_cfg *dcfg;
	const struct pxefast_config *cfg;
	struct pxefast_dhcp_reply reply;
	struct pxefast_xdp_frame f;
	struct pxefast_dhcp_rx rx;
	enum pxefast_stat pass;
	bool binl;
	int len;

	if (!pxefast_xdp_parse(xdp, &f))
		return XDP_PASS;
	cfg = rcu_dereference(pn->config);
	dcfg = cfg ? pxefast_rx_dev(cfg, dev->ifindex) : NULL;
	if (!dcfg || dcfg->xdp == PXEFAST_XDP_OFF)
		return XDP_PASS;

	binl = f.uh->dest == htons(PXE_BINL_PORT);
	pass = binl ? PXEFAST_STAT_XDP_BOOT_PASS : PXEFAST_STAT_XDP_DHCP_PASS;
	if (!(binl ? cfg->dhcp.boot_server : cfg->dhcp.proxy) ||
	    !pxefast_xdp_local(dev, &f) ||
	    (!binl && pxefast_udp_listened(dev_net(dev), f.iph->saddr,
					   f.uh->source, f.iph->daddr,
					   f.uh->dest, dev->ifindex, 0)))
		goto pass;

	rx = (struct pxefast_dhcp_rx) {
		.pn = pn,
		.cfg = cfg,
		.ifindex = dev->ifindex,
		.server_addr = pxefast_server_addr(dcfg, dev),
		.saddr = f.iph->saddr,
		.daddr = f.iph->daddr,
		.sport = f.uh->source,
		.dport = f.uh->dest,
	};
	len = pxefast_dhcp_answer(&rx, f.payload, f.len, buf,
				  PXEFAST_DHCP_FRAME_MAX, &reply);
	if (len <= 0)
		goto pass;	/* not ours, or refused: the hook accounts */
	if (reply.delay_ms || pxefast_xdp_build(xdp, dev, buf, len, &reply)) {
		pass = PXEFAST_STAT_XDP_FALLBACK;
		goto pass;
	}
	pxefast_dhcp_account(&rx, &reply, 0);
	pxefast_stat_add(pn, binl ? PXEFAST_STAT_XDP_BOOT_TX :
			 PXEFAST_STAT_XDP_DHCP_TX, 1);
	return XDP_TX;

pass:
	pxefast_stat_add(pn, pass, 1);
	return XDP_PASS;
}

BTF_KFUNCS_START(pxefast_xdp_kfunc_ids)
BTF_ID_FLAGS(func, pxefast_xdp_rx)
BTF_KFUNCS_END(pxefast_xdp_kfunc_ids)

static const struct btf_kfunc_id_set pxefast_xdp_kfunc_set = {
	.owner	= THIS_MODULE,
	.set	= &pxefast_xdp_kfunc_ids,
};

/**
 * pxefast_xdp_init - make pxefast_xdp_rx() callable from XDP programs
 *
 * Context: module init, process context.  Without module BTF the kernel
 * logs that it cannot register kfuncs and this succeeds: the module serves
 * through netfilter, and loading a program that calls the kfunc fails
 * (pxectl checks /sys/kernel/btf/pxefast first).  The set is dropped with
 * the module's BTF at unload.
 *
 * Return: 0 or a negative errno from register_btf_kfunc_id_set().
 */
int pxefast_xdp_init(void)
{
	return register_btf_kfunc_id_set(BPF_PROG_TYPE_XDP,
					 &pxefast_xdp_kfunc_set);
}
