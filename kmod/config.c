// SPDX-License-Identifier: GPL-2.0
/*
 * The life of a configuration snapshot: made with the defaults or from a
 * SET_CONFIG request, published whole with RCU under pxefast_net.lock,
 * read by the packet path under RCU, freed after a grace period once its
 * last reference goes.
 */

#include <linux/netdevice.h>
#include <linux/rtnetlink.h>
#include <linux/slab.h>
#include "pxefast.h"
#include "tftp.h"

/* Free a snapshot that owns everything it points to. */
static void pxefast_config_free_owner(struct pxefast_config *cfg)
{
	unsigned int i;

	if (cfg->tftp.root.dentry)
		path_put(&cfg->tftp.root);
	kfree(cfg->tftp.root_name);
	kfree(cfg->menu.prompt);
	kfree(cfg->dhcp.http_base);
	for (i = 0; i < cfg->menu.nitems; i++)
		kfree(cfg->menu.items[i].label);
	kfree(cfg->menu.items);
	kvfree(cfg->devs);
	kvfree(cfg->archs);
	for (i = 0; i < cfg->nservers; i++)
		kfree(cfg->servers[i].label);
	kvfree(cfg->servers);
	for (i = 0; i < cfg->nmaps; i++) {
		struct pxefast_map *m = &cfg->maps[i];

		kfree(m->vendor_class);
		kfree(m->user_class);
		if (m->url != m->file)
			kfree(m->url);
		kfree(m->file);
		kfree(m->bis_file);
		kfree(m->label);
	}
	kvfree(cfg->maps);
	kfree(cfg->runs);
	kfree(cfg);
}

static void pxefast_config_free(struct pxefast_config *cfg)
{
	struct pxefast_config *base = cfg->base;

	if (!base) {
		pxefast_config_free_owner(cfg);
		return;
	}
	kvfree(cfg->devs);
	kfree(cfg);
	/*
	 * @base stopped being published when the first snapshot sharing it
	 * was published in its place, no later than @cfg was (they are made
	 * only to be published at once, which cannot fail for them), and a
	 * grace period has passed since @cfg's last reference went, later
	 * still: no RCU reader can see @base any more.  When this was its
	 * last reference it is freed here and now, not through another RCU
	 * work item (which module unload could not wait for: rcu_barrier()
	 * comes before draining the workqueue).
	 */
	if (refcount_dec_and_test(&base->ref))
		pxefast_config_free_owner(base);
}

static void pxefast_config_free_work(struct work_struct *work)
{
	struct pxefast_config *cfg =
		container_of(to_rcu_work(work), struct pxefast_config, free_work);

	pxefast_config_free(cfg);
}

/**
 * pxefast_config_put - drop a reference on a configuration snapshot
 * @cfg: the snapshot, or NULL
 *
 * The last reference frees the snapshot after an RCU grace period, in a work
 * item (process context: path_put() may sleep).  Any context.
 */
void pxefast_config_put(struct pxefast_config *cfg)
{
	if (cfg && refcount_dec_and_test(&cfg->ref)) {
		INIT_RCU_WORK(&cfg->free_work, pxefast_config_free_work);
		queue_rcu_work(pxefast_wq, &cfg->free_work);
	}
}

/**
 * pxefast_config_get - take a reference on a snapshot found under RCU
 * @cfg: the snapshot, read with rcu_dereference() in the current RCU section
 *
 * Any context.
 *
 * Return: true with a reference taken, false if the snapshot is being freed.
 */
bool pxefast_config_get(struct pxefast_config *cfg)
{
	return refcount_inc_not_zero(&cfg->ref);
}

/**
 * pxefast_config_default - the configuration of a new namespace
 *
 * Context: process context (GFP_KERNEL).  The new configuration serves
 * nothing: no interface, TFTP off, every default of the uapi header.
 *
 * Return: a snapshot holding one reference, or NULL when out of memory.
 */
struct pxefast_config *pxefast_config_default(void)
{
	struct pxefast_config *cfg = kzalloc(sizeof(*cfg), GFP_KERNEL);

	if (!cfg)
		return NULL;
	refcount_set(&cfg->ref, 1);
	cfg->tftp.max_sessions = PXEFAST_TFTP_MAX_SESSIONS_DEFAULT;
	cfg->tftp.max_per_client = PXEFAST_TFTP_MAX_PER_CLIENT_DEFAULT;
	cfg->tftp.max_blksize = PXEFAST_TFTP_MAX_BLKSIZE_DEFAULT;
	cfg->tftp.max_window = PXEFAST_TFTP_MAX_WINDOW_DEFAULT;
	cfg->tftp.timeout_ms = PXEFAST_TFTP_TIMEOUT_MS_DEFAULT;
	cfg->tftp.retries = PXEFAST_TFTP_RETRIES_DEFAULT;
	cfg->tftp.port_min = PXEFAST_TFTP_PORTS_DEFAULT_MIN;
	cfg->tftp.port_max = PXEFAST_TFTP_PORTS_DEFAULT_MAX;
	cfg->tftp.idle_timeout_ms = PXEFAST_TFTP_IDLE_TIMEOUT_MS_DEFAULT;
	cfg->dhcp.proxy = true;
	cfg->dhcp.boot_server = true;
	return cfg;
}

/**
 * pxefast_config_build - build a snapshot from a SET_CONFIG request
 * @net: namespace the interfaces are looked up in
 * @head: first top-level attribute of the request
 * @len: length of all top-level attributes
 * @extack: where the reason of a refusal goes
 * @warn: filled with what is accepted but likely a mistake; may be NULL
 *
 * The defaults of the uapi header, overridden by what the request says
 * (pxefast_config_decode()), checked as a whole (pxefast_config_check()).
 * The request has been validated against
 * pxefast_set_config_policy by the generic netlink core.
 *
 * Context: process, may sleep.
 *
 * Return: a snapshot holding one reference, or an ERR_PTR: the error of
 * pxefast_config_decode() or pxefast_config_check() (with the reason in
 * @extack), or -ENOMEM.
 */
struct pxefast_config *pxefast_config_build(struct net *net,
					    const struct nlattr *head, int len,
					    struct netlink_ext_ack *extack,
					    struct pxefast_config_warnings *warn)
{
	struct pxefast_config *cfg;
	int err;

	cfg = pxefast_config_default();
	if (!cfg)
		return ERR_PTR(-ENOMEM);
	err = pxefast_config_decode(net, cfg, head, len, extack) ?:
	      pxefast_config_check(net, cfg, head, len, extack, warn);
	if (err) {
		pxefast_config_free(cfg);
		return ERR_PTR(err);
	}
	return cfg;
}

/**
 * pxefast_config_without_dev - a snapshot like @cfg, without one interface
 * @cfg: the published snapshot, pxefast_net.lock held
 * @ifindex: the interface to leave out
 *
 * Only the interface list is copied; everything else is shared with the
 * owner of @cfg's objects, which the copy holds a reference on.
 *
 * Cannot fail.  It runs for NETDEV_UNREGISTER, which cannot be refused,
 * and the fallbacks all leave the gone interface's index in the
 * configuration, where a device registered later with that index would be
 * served unasked.  The two allocations are small (a few hundred bytes
 * each), where __GFP_NOFAIL is the documented way to ask for memory that
 * cannot be done without.
 *
 * Return: the new snapshot, holding one reference.
 */
struct pxefast_config *
pxefast_config_without_dev(struct pxefast_config *cfg, int ifindex)
{
	struct pxefast_config *owner = cfg->base ?: cfg;
	struct pxefast_config *copy;
	unsigned int i;

	copy = kmemdup(cfg, sizeof(*cfg), GFP_KERNEL | __GFP_NOFAIL);
	refcount_set(&copy->ref, 1);
	copy->devs = NULL;
	copy->ndevs = 0;
	if (cfg->ndevs)
		copy->devs = kcalloc(cfg->ndevs, sizeof(*copy->devs),
				     GFP_KERNEL | __GFP_NOFAIL);
	for (i = 0; i < cfg->ndevs; i++)
		if (cfg->devs[i].ifindex != ifindex)
			copy->devs[copy->ndevs++] = cfg->devs[i];
	refcount_inc(&owner->ref);
	copy->base = owner;
	return copy;
}

/**
 * pxefast_config_publish - make @cfg the namespace's configuration
 * @pn: the namespace, RTNL and then its lock held
 * @cfg: the new snapshot; its reference is consumed
 *
 * Every change goes through here and gets the next generation, so a
 * read-modify-write based on the replaced snapshot gets -ESTALE.  The
 * caller sends the change notification once the lock is dropped.
 *
 * Return: 0, or a negative errno from registering the netfilter hooks the
 * new configuration needs (the old one stays published).
 */
int pxefast_config_publish(struct pxefast_net *pn, struct pxefast_config *cfg)
{
	struct pxefast_config *old;
	int err;

	lockdep_assert_held(&pn->lock);
	err = pxefast_nf_sync(pn, cfg);
	if (err) {
		pxefast_config_put(cfg);
		return err;
	}
	pxefast_dhcp6_join_sync(pn, cfg);
	pxefast_tftp_commit(pn, cfg);
	cfg->generation = ++pn->generation;
	old = rcu_replace_pointer(pn->config, cfg, lockdep_is_held(&pn->lock));
	pxefast_config_put(old);
	return 0;
}

/*
 * The interfaces of @cfg were looked up before pxefast_net.lock was taken;
 * one may have been unregistered since.  Its NETDEV_UNREGISTER notifier
 * runs after it has left the index lists and then waits for the lock, so
 * looking again under the lock closes the window: either the interface is
 * still listed (and the notifier will drop it from @cfg once published),
 * or it is refused here.
 */
static bool pxefast_config_devs_live(struct net *net,
				     const struct pxefast_config *cfg)
{
	bool live = true;
	unsigned int i;

	rcu_read_lock();
	for (i = 0; i < cfg->ndevs && live; i++)
		live = !!dev_get_by_index_rcu(net, cfg->devs[i].ifindex);
	rcu_read_unlock();
	return live;
}

/**
 * pxefast_config_replace - publish @cfg as the namespace's configuration
 * @pn: the namespace
 * @cfg: a snapshot from pxefast_config_build(); its reference is consumed
 * @expect_gen: when not NULL, refuse unless this is the current generation
 * @new_gen: set to the generation of @cfg once published
 * @extack: where the reason of a refusal goes
 *
 * Takes RTNL (interfaces join multicast groups) and then
 * pxefast_net.lock; process context.
 *
 * Return: 0, -ESTALE when @expect_gen is not the current generation, or a
 * negative errno from pxefast_config_publish().
 */
int pxefast_config_replace(struct pxefast_net *pn, struct pxefast_config *cfg,
			   const u32 *expect_gen, u32 *new_gen,
			   struct netlink_ext_ack *extack)
{
	int err;

	rtnl_lock();
	mutex_lock(&pn->lock);
	if (expect_gen && *expect_gen != pn->generation) {
		mutex_unlock(&pn->lock);
		rtnl_unlock();
		pxefast_config_put(cfg);
		NL_SET_ERR_MSG(extack,
			       "configuration changed since it was read");
		return -ESTALE;
	}
	if (!pxefast_config_devs_live(pn->net, cfg)) {
		mutex_unlock(&pn->lock);
		rtnl_unlock();
		pxefast_config_put(cfg);
		NL_SET_ERR_MSG(extack,
			       "an interface went away while the configuration was applied");
		return -ENODEV;
	}
	err = pxefast_config_publish(pn, cfg);
	if (err) {
		mutex_unlock(&pn->lock);
		rtnl_unlock();
		NL_SET_ERR_MSG(extack, "cannot register the netfilter hook");
		return err;
	}
	*new_gen = pn->generation;
	mutex_unlock(&pn->lock);
	rtnl_unlock();

	pxefast_notify_config(pn->net, *new_gen);
	return 0;
}
