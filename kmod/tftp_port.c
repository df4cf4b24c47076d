// SPDX-License-Identifier: GPL-2.0
/*
 * Server transfer IDs.  Each namespace serving TFTP binds a pool of kernel
 * UDP sockets to ports of the configured range: the ports are then
 * reserved (no local socket can take them) and the datagrams clients send
 * to them (ACK, ERROR) reach pxefast_tftp_input() straight from the UDP
 * receive path, without a socket queue.  Transfers take the pool's ports
 * in turn; one is told from another by the client's address and port.
 */

#include <linux/net.h>
#include <linux/random.h>
#include <linux/slab.h>
#include <linux/udp.h>
#include <net/udp_tunnel.h>
#include "tftp.h"

#define TFTP_POOL_MAX	64

static int tftp_encap_rcv(struct sock *sk, struct sk_buff *skb)
{
	struct pxefast_net *pn = rcu_dereference_sk_user_data(sk);

	if (pn)
		pxefast_tftp_input(pn, skb);
	else
		kfree_skb(skb);
	return 0;
}

static int tftp_bind(struct net *net, struct pxefast_net *pn, u16 port,
		     struct socket **sockp)
{
	struct udp_tunnel_sock_cfg tcfg = {
		.sk_user_data	= pn,
		.encap_type	= 1,
		.encap_rcv	= tftp_encap_rcv,
	};
	struct udp_port_cfg ucfg = {
		.family		= AF_INET,
		.local_ip.s_addr = htonl(INADDR_ANY),
		.local_udp_port	= htons(port),
		.use_udp_checksums = 1,
	};
	int err;

	err = udp_sock_create4(net, &ucfg, sockp);
	if (err)
		return err;
	setup_udp_tunnel_sock(net, *sockp, &tcfg);
	return 0;
}

/**
 * pxefast_tftp_pool_create - reserve server ports in [@port_min, @port_max]
 * @net: the namespace
 * @pn: its pxefast state, handed to the receive path
 * @port_min: first port of the range
 * @port_max: last port of the range
 * @poolp: the new pool
 *
 * Up to TFTP_POOL_MAX ports, from a random place in the range; ports in
 * use are skipped.  Fails with -EADDRINUSE when none is free.
 */
int pxefast_tftp_pool_create(struct net *net, struct pxefast_net *pn,
			     u16 port_min, u16 port_max,
			     struct pxefast_tftp_pool **poolp)
{
	u32 range = (u32)port_max - port_min + 1;
	u32 want = min_t(u32, range, TFTP_POOL_MAX);
	struct pxefast_tftp_pool *pool;
	u32 i, start;
	int err;

	pool = kzalloc(struct_size(pool, ports, want), GFP_KERNEL);
	if (!pool)
		return -ENOMEM;
	pool->port_min = port_min;
	pool->port_max = port_max;

	start = get_random_u32() % range;
	for (i = 0; i < range && pool->n < want; i++) {
		u16 port = port_min + (start + i) % range;

		err = tftp_bind(net, pn, port, &pool->ports[pool->n].sock);
		if (!err)
			pool->ports[pool->n++].port = htons(port);
		else if (err != -EADDRINUSE)
			goto fail;
		cond_resched();
	}
	if (!pool->n) {
		err = -EADDRINUSE;
		goto fail;
	}
	*poolp = pool;
	return 0;

fail:
	pxefast_tftp_pool_release(pool);
	return err;
}

void pxefast_tftp_pool_release(struct pxefast_tftp_pool *pool)
{
	unsigned int i;

	if (!pool)
		return;
	for (i = 0; i < pool->n; i++)
		udp_tunnel_sock_release(pool->ports[i].sock);
	/* Readers pick ports from the pool under RCU. */
	kfree_rcu(pool, rcu);
}
