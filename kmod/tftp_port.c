// SPDX-License-Identifier: GPL-2.0
/*
 * Server transfer IDs.  Each transfer binds a kernel UDP socket of its
 * client's IP version (an IPv6 one is IPv6-only) to a free port of the
 * configured range: the port is then reserved, so no local socket of that
 * version can take it while the transfer lives, and it is released when
 * the transfer ends.  What the client sends to it (ACK, ERROR) reaches the
 * transfer straight from the UDP receive path (encap_rcv), without a socket
 * queue and without a lookup: the socket knows its transfer.
 */

#include <linux/ip.h>
#include <linux/net.h>
#include <linux/random.h>
#include <linux/udp.h>
#include <net/udp_tunnel.h>
#include "tftp.h"

/* Ports tried before giving up: enough to find a free one in a range that
 * is mostly in use, few enough to bound the cost of a crowded range.
 */
#define TFTP_BIND_TRIES	256

static int tftp_encap_rcv(struct sock *sk, struct sk_buff *skb)
{
	struct pxefast_tftp_session *s = rcu_dereference_sk_user_data(sk);

	if (s)
		pxefast_tftp_input(s, skb);
	else
		kfree_skb(skb);
	return 0;
}

static int tftp_bind_port(struct net *net, struct pxefast_tftp_session *s,
			  u16 port, struct socket **sockp)
{
	struct udp_tunnel_sock_cfg tcfg = {
		.sk_user_data	= s,
		.encap_type	= 1,
		.encap_rcv	= tftp_encap_rcv,
	};
	struct udp_port_cfg ucfg = {
		.local_udp_port	= htons(port),
	};
	int err;

	if (pxefast_tftp_peer_v6(&s->peer)) {
		ucfg.family = AF_INET6;
		ucfg.local_ip6 = in6addr_any;
		ucfg.ipv6_v6only = 1;
		/* RFC 8200 section 8.1: no zero UDP checksum over IPv6 */
		ucfg.use_udp6_rx_checksums = 1;
		ucfg.use_udp6_tx_checksums = 1;
		err = udp_sock_create6(net, &ucfg, sockp);
	} else {
		ucfg.family = AF_INET;
		ucfg.local_ip.s_addr = htonl(INADDR_ANY);
		ucfg.use_udp_checksums = 1;
		err = udp_sock_create4(net, &ucfg, sockp);
	}
	if (err)
		return err;
	setup_udp_tunnel_sock(net, *sockp, &tcfg);
	return 0;
}

/**
 * pxefast_tftp_bind - reserve a server port for @s in [@port_min, @port_max]
 * @s: the transfer, its dst_cache set up; @s->sock and @s->sport are set
 *	on success
 * @port_min: first port of the range
 * @port_max: last port of the range
 *
 * Tries ports from a random place in the range.  Process context.
 *
 * Return: 0 or -EADDRINUSE when no port was free.
 */
int pxefast_tftp_bind(struct pxefast_tftp_session *s, u16 port_min,
		      u16 port_max)
{
	u32 range = (u32)port_max - port_min + 1;
	u32 i, start = get_random_u32() % range;
	int err = -EADDRINUSE;

	for (i = 0; i < min_t(u32, range, TFTP_BIND_TRIES); i++) {
		u16 port = port_min + (start + i) % range;

		err = tftp_bind_port(s->pn->net, s, port, &s->sock);
		if (!err) {
			/* Pairs with pxefast_tftp_send_buf(): the port
			 * says the session's dst_cache is ready.
			 */
			smp_store_release(&s->sport, htons(port));
			return 0;
		}
		if (err != -EADDRINUSE)
			return err;
	}
	return err;
}

/**
 * pxefast_tftp_unbind - release a transfer's server port
 * @s: the transfer
 *
 * Process context, once no packet can be sent from the port.
 */
void pxefast_tftp_unbind(struct pxefast_tftp_session *s)
{
	if (s->sock)
		udp_tunnel_sock_release(s->sock);
	s->sock = NULL;
}
