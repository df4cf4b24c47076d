// SPDX-License-Identifier: GPL-2.0
/*
 * pxefast: PXE network boot served from the kernel.
 *
 * Module entry and per-network-namespace state.
 */

#include <linux/module.h>
#include <linux/rtnetlink.h>
#include <net/genetlink.h>
#include "pxefast.h"
#include "tftp.h"
#include "xdp.h"

unsigned int pxefast_net_id __read_mostly;
struct workqueue_struct *pxefast_wq __read_mostly;

static int __net_init pxefast_net_init(struct net *net)
{
	struct pxefast_net *pn = pxefast_pernet(net);
	struct pxefast_config *cfg;
	int err;

	pn->net = net;
	mutex_init(&pn->lock);
	pxefast_tftp_net_init(pn);
	pxefast_dhcp_delay_init(pn);
	err = pxefast_stats_init(pn);
	if (err)
		return err;
	cfg = pxefast_config_default();
	if (!cfg) {
		pxefast_stats_exit(pn);
		return -ENOMEM;
	}
	rcu_assign_pointer(pn->config, cfg);
	return 0;
}

static void __net_exit pxefast_net_exit(struct net *net)
{
	struct pxefast_net *pn = pxefast_pernet(net);

	rtnl_lock();
	mutex_lock(&pn->lock);
	pxefast_nf_exit(pn);
	pxefast_dhcp6_join_sync(pn, NULL);
	mutex_unlock(&pn->lock);
	rtnl_unlock();
	pxefast_dhcp_delay_exit(pn);
	pxefast_tftp_net_exit(pn);
	pxefast_config_put(rcu_replace_pointer(pn->config, NULL, true));
	pxefast_stats_exit(pn);
	mutex_destroy(&pn->lock);
}

static struct pernet_operations pxefast_net_ops = {
	.init	= pxefast_net_init,
	.exit	= pxefast_net_exit,
	.id	= &pxefast_net_id,
	.size	= sizeof(struct pxefast_net),
};

static int __init pxefast_init(void)
{
	int err;

	/* First: a kfunc set cannot be unregistered, only unloaded. */
	err = pxefast_xdp_init();
	if (err)
		return err;
	pxefast_wq = alloc_workqueue("pxefast", WQ_UNBOUND, 0);
	if (!pxefast_wq)
		return -ENOMEM;
	err = register_pernet_subsys(&pxefast_net_ops);
	if (err)
		goto err_wq;
	err = pxefast_genl_init();
	if (err)
		goto err_pernet;
	err = pxefast_netdev_init();
	if (err)
		goto err_genl;
	return 0;

err_genl:
	pxefast_genl_exit();
err_pernet:
	unregister_pernet_subsys(&pxefast_net_ops);
err_wq:
	rcu_barrier();
	destroy_workqueue(pxefast_wq);
	return err;
}

static void __exit pxefast_exit(void)
{
	pxefast_netdev_exit();
	pxefast_genl_exit();
	unregister_pernet_subsys(&pxefast_net_ops);
	/* Snapshots are freed from RCU callbacks queueing work: wait for the
	 * callbacks, then drain the work they queued.
	 */
	rcu_barrier();
	destroy_workqueue(pxefast_wq);
}

module_init(pxefast_init);
module_exit(pxefast_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("PXE boot service in the kernel: proxy DHCP, PXE boot server, TFTP");
MODULE_AUTHOR("The pxefast developers");
MODULE_VERSION("0.1");
MODULE_ALIAS_GENL_FAMILY(PXEFAST_GENL_NAME);
