// SPDX-License-Identifier: GPL-2.0
/*
 * Served interfaces that go away.
 *
 * The configuration names interfaces by index.  When one it serves is
 * unregistered (deleted, or its veth peer's namespace dismantled) or moved
 * to another namespace, a snapshot without it is published, with the next
 * generation like any other change: the configuration never keeps an index
 * that a later device could take, and showconf | setconf keeps
 * round-tripping.  Renames need nothing: dumps look the name up by index.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/netdevice.h>
#include <linux/printk.h>
#include <linux/rtnetlink.h>
#include "pxefast.h"

/* @dev, served in its namespace, is leaving it: stop serving it. */
static void pxefast_netdev_drop(struct net_device *dev)
{
	struct pxefast_net *pn = pxefast_pernet(dev_net(dev));
	struct pxefast_config *cfg;
	u32 gen;
	int err;

	mutex_lock(&pn->lock);
	cfg = rcu_dereference_protected(pn->config, lockdep_is_held(&pn->lock));
	/* There is none only once the pernet exit has run, after the
	 * namespace's devices were all gone.
	 */
	if (!cfg || !pxefast_rx_dev(cfg, dev->ifindex)) {
		mutex_unlock(&pn->lock);
		return;
	}
	cfg = pxefast_config_without_dev(cfg, dev->ifindex);
	/*
	 * Cannot fail: with interfaces left the hook stays registered, with
	 * none it is unregistered, and neither can fail.
	 */
	err = pxefast_config_publish(pn, cfg);
	gen = pn->generation;
	mutex_unlock(&pn->lock);
	if (WARN_ON_ONCE(err))
		return;

	pr_info("%s (ifindex %d) left its namespace, no longer served (configuration generation %u)\n",
		dev->name, dev->ifindex, gen);
	pxefast_notify_config(pn->net, gen);
}

static int pxefast_netdev_event(struct notifier_block *nb,
				unsigned long event, void *ptr)
{
	struct net_device *dev = netdev_notifier_info_to_dev(ptr);

	if (event != NETDEV_UNREGISTER)
		return NOTIFY_DONE;
	ASSERT_RTNL();
	/*
	 * A device really leaving its namespace (unregistered or moved) has
	 * been unlisted before NETDEV_UNREGISTER.  Still listed, it is one of
	 * the events (un)register_netdevice_notifier() replays for devices
	 * that stay, at module unload: nothing to do.
	 */
	if (__dev_get_by_index(dev_net(dev), dev->ifindex) == dev)
		return NOTIFY_DONE;
	pxefast_netdev_drop(dev);
	return NOTIFY_DONE;
}

static struct notifier_block pxefast_netdev_nb = {
	.notifier_call = pxefast_netdev_event,
};

/**
 * pxefast_netdev_init - watch for served interfaces that go away
 *
 * Context: module init.  Registered after the pernet operations and
 * unregistered before them: every namespace a device event comes from has
 * its pxefast_net.  Lock order: RTNL, then pxefast_net.lock; nothing takes
 * RTNL under the latter.
 *
 * Return: 0 or a negative errno from register_netdevice_notifier().
 */
int pxefast_netdev_init(void)
{
	return register_netdevice_notifier(&pxefast_netdev_nb);
}

/**
 * pxefast_netdev_exit - stop watching interfaces
 *
 * Module exit, before the pernet operations go.
 */
void pxefast_netdev_exit(void)
{
	unregister_netdevice_notifier(&pxefast_netdev_nb);
}
