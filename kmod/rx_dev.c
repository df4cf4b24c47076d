// SPDX-License-Identifier: GPL-2.0
/*
 * The served interface a request arrived on, as every receive path needs
 * it: its entry in the configuration, and the address this host answers
 * from there.  Neither looks at a packet.
 */

#include <linux/inetdevice.h>
#include <linux/netdevice.h>
#include <net/addrconf.h>
#include <net/udp.h>
#include "addr.h"
#include "dhcp6.h"

/**
 * pxefast_rx_dev - the configuration of the interface a packet arrived on
 * @cfg: the namespace's configuration
 * @ifindex: the interface
 *
 * Context: any; @cfg held (RCU read lock or a reference).
 *
 * Return: @ifindex's entry in @cfg, or NULL when it is not served.
 */
const struct pxefast_dev_cfg *pxefast_rx_dev(const struct pxefast_config *cfg,
					     int ifindex)
{
	unsigned int i;

	for (i = 0; i < cfg->ndevs; i++)
		if (cfg->devs[i].ifindex == ifindex)
			return &cfg->devs[i];
	return NULL;
}

/**
 * pxefast_server_addr - the address this host answers with on a device
 * @dcfg: the served interface's configuration
 * @dev: the device
 *
 * The configured address of the interface, else the device's primary IPv4
 * address (used for siaddr, option 54 and the reply's source).
 *
 * Context: any; RCU read lock held (the device's address list).
 *
 * Return: the address, or 0 when the device has none.
 */
__be32 pxefast_server_addr(const struct pxefast_dev_cfg *dcfg,
			   const struct net_device *dev)
{
	const struct in_device *in_dev;
	const struct in_ifaddr *ifa;

	if (dcfg->addr)
		return dcfg->addr;
	in_dev = __in_dev_get_rcu(dev);
	if (!in_dev)
		return 0;
	in_dev_for_each_ifa_rcu(ifa, in_dev) {
		if (!(ifa->ifa_flags & IFA_F_SECONDARY))
			return ifa->ifa_local;
	}
	return 0;
}

/**
 * pxefast_server_addr6 - the IPv6 address this host names on a device
 * @dcfg: the served interface's configuration
 * @dev: the device
 * @addr: set to the address
 *
 * The configured IPv6 address of the interface, else the first global
 * address of the device that is neither tentative nor failed its
 * duplicate address detection (boot file URLs need an address a client
 * reaches without a zone, RFC 5970 3.1).
 *
 * Context: any; RCU read lock held (the device).
 *
 * Return: true when @addr was set, false when the device has none.
 */
bool pxefast_server_addr6(const struct pxefast_dev_cfg *dcfg,
			  struct net_device *dev, struct in6_addr *addr)
{
	const struct inet6_ifaddr *ifp;
	struct inet6_dev *idev;
	bool found = false;

	if (!ipv6_addr_any(&dcfg->addr6)) {
		*addr = dcfg->addr6;
		return true;
	}
	idev = __in6_dev_get(dev);
	if (!idev)
		return false;
	read_lock_bh(&idev->lock);
	list_for_each_entry(ifp, &idev->addr_list, if_list) {
		if (pxefast_addr6_global(&ifp->addr) &&
		    !(ifp->flags & (IFA_F_TENTATIVE | IFA_F_DADFAILED))) {
			*addr = ifp->addr;
			found = true;
			break;
		}
	}
	read_unlock_bh(&idev->lock);
	return found;
}

/**
 * pxefast_udp_listened - whether a local UDP socket takes a datagram
 * @net: the namespace it arrived in
 * @saddr: its source address
 * @sport: its source port
 * @daddr: its destination address
 * @dport: its destination port
 * @dif: the interface it arrived on
 * @sdif: the L3 master device's slave interface, or 0
 *
 * The lookup UDP's receive path makes (a DHCP server on this host on 67):
 * where it finds none, UDP would answer a unicast datagram with an ICMP
 * port unreachable.  __udp4_lib_lookup(), not udp4_lib_lookup(): the
 * latter is only exported by kernels built with NF_SOCKET_IPV4 or
 * NF_TPROXY_IPV4.
 *
 * Context: any; RCU read lock held (the socket is only looked at).
 *
 * Return: true when some socket of @net would receive the datagram.
 */
bool pxefast_udp_listened(struct net *net, __be32 saddr, __be16 sport,
			  __be32 daddr, __be16 dport, int dif, int sdif)
{
	return __udp4_lib_lookup(net, saddr, sport, daddr, dport, dif, sdif,
				 pxefast_udp_table(net), NULL);
}

/**
 * pxefast_udp6_listened - whether a local UDP socket takes an IPv6 datagram
 * @net: the namespace it arrived in
 * @saddr: its source address
 * @sport: its source port
 * @daddr: its destination address
 * @dport: its destination port
 * @dif: the interface it arrived on
 * @sdif: the L3 master device's slave interface, or 0
 *
 * As pxefast_udp_listened(), over IPv6 (a DHCPv6 server on this host on
 * 547): where UDP finds no socket, it answers a unicast datagram with an
 * ICMPv6 port unreachable.
 *
 * Context: any; RCU read lock held (the socket is only looked at).
 *
 * Return: true when some socket of @net would receive the datagram.
 */
bool pxefast_udp6_listened(struct net *net, const struct in6_addr *saddr,
			   __be16 sport, const struct in6_addr *daddr,
			   __be16 dport, int dif, int sdif)
{
	return __udp6_lib_lookup(net, saddr, sport, daddr, dport, dif, sdif,
				 pxefast_udp_table(net), NULL);
}
