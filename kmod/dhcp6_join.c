// SPDX-License-Identifier: GPL-2.0
/*
 * The All_DHCP_Relay_Agents_and_Servers group (ff02::1:2, RFC 8415 7.1),
 * which DHCPv6 clients send every request to, and the All_DHCP_Servers
 * group (ff05::1:3), which relay agents forward to when given no server's
 * address (ISC dhcrelay's default), joined on each interface served over
 * DHCPv6.  IPv6 delivers a multicast datagram to LOCAL_IN only
 * on an interface that joined its group, and the NIC filters on the
 * group's MAC: without a DHCPv6 server on this host (whose socket would
 * join), nobody else does.  Memberships are counted, so pxefast's and a
 * local server's coexist.
 */

#include <linux/netdevice.h>
#include <linux/rtnetlink.h>
#include <net/addrconf.h>
#include "pxefast.h"

static const struct in6_addr pxefast_dhcp6_groups[] = {
	{ { { 0xff, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01, 0, 0x02 } } },
	{ { { 0xff, 0x05, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01, 0, 0x03 } } },
};

static void pxefast_dhcp6_leave(struct net_device *dev, unsigned int n)
{
	while (n--)
		ipv6_dev_mc_dec(dev, &pxefast_dhcp6_groups[n]);
}

/* Join every group on @dev, or none.  Returns 0 or a negative errno. */
static int pxefast_dhcp6_join(struct net_device *dev)
{
	unsigned int i;
	int err;

	for (i = 0; i < ARRAY_SIZE(pxefast_dhcp6_groups); i++) {
		err = ipv6_dev_mc_inc(dev, &pxefast_dhcp6_groups[i]);
		if (err) {
			pxefast_dhcp6_leave(dev, i);
			return err;
		}
	}
	return 0;
}

static bool pxefast_dhcp6_wanted(const struct pxefast_config *cfg,
				 int ifindex)
{
	const struct pxefast_dev_cfg *d;

	d = cfg ? pxefast_rx_dev(cfg, ifindex) : NULL;
	return d && d->dhcp6;
}

static bool pxefast_dhcp6_joined(const struct pxefast_net *pn, int ifindex)
{
	unsigned int i;

	for (i = 0; i < pn->dhcp6_njoined; i++)
		if (pn->dhcp6_joined[i] == ifindex)
			return true;
	return false;
}

/**
 * pxefast_dhcp6_join_sync - join ff02::1:2 and ff05::1:3 where @cfg serves
 *	DHCPv6
 * @pn: the namespace, its lock held
 * @cfg: the configuration being published, or NULL to leave everywhere
 *	(namespace exit, module unload)
 *
 * Leaves the groups on interfaces no longer served over DHCPv6 and joins
 * them on the newly served ones (RFC 8415 7.1).  An interface that has left the namespace
 * took its memberships with it (its inet6_dev is gone): it is forgotten.
 * One where IPv6 is off cannot join; it is tried again at the next
 * configuration.
 *
 * Context: process context, RTNL held (ipv6_dev_mc_dec() asserts it on
 * 6.1) and then pxefast_net.lock.
 */
void pxefast_dhcp6_join_sync(struct pxefast_net *pn,
			     const struct pxefast_config *cfg)
{
	struct net_device *dev;
	unsigned int i, n = 0;

	ASSERT_RTNL();
	lockdep_assert_held(&pn->lock);
	for (i = 0; i < pn->dhcp6_njoined; i++) {
		int ifindex = pn->dhcp6_joined[i];

		if (pxefast_dhcp6_wanted(cfg, ifindex)) {
			pn->dhcp6_joined[n++] = ifindex;
			continue;
		}
		dev = __dev_get_by_index(pn->net, ifindex);
		if (dev)
			pxefast_dhcp6_leave(dev,
					    ARRAY_SIZE(pxefast_dhcp6_groups));
	}
	pn->dhcp6_njoined = n;

	for (i = 0; cfg && i < cfg->ndevs; i++) {
		const struct pxefast_dev_cfg *d = &cfg->devs[i];

		if (!d->dhcp6 || pxefast_dhcp6_joined(pn, d->ifindex) ||
		    pn->dhcp6_njoined == ARRAY_SIZE(pn->dhcp6_joined))
			continue;
		dev = __dev_get_by_index(pn->net, d->ifindex);
		if (dev && !pxefast_dhcp6_join(dev))
			pn->dhcp6_joined[pn->dhcp6_njoined++] = d->ifindex;
	}
}
