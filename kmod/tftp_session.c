// SPDX-License-Identifier: GPL-2.0
/*
 * TFTP transfers' table and lifecycle: a session is created for a read
 * request (or the request is found to repeat one), admitted against the
 * limits once its file is open, ended (once, however many paths race to
 * end it), and freed when its last reference goes.  The per-namespace
 * table is what duplicate requests, per-client limits and dumps look up.
 *
 * What a session does while it lives (open, OACK, windows, ACKs, timers)
 * is tftp_transfer.c's; the packets that drive it arrive in tftp_rx.c.
 */

#include <linux/hash.h>
#include <linux/jiffies.h>
#include <linux/module.h>
#include <linux/path.h>
#include <linux/slab.h>
#include <linux/wait_bit.h>
#include "compat.h"
#include "tftp.h"

static unsigned int max_sessions = 65536;
module_param(max_sessions, uint, 0444);
MODULE_PARM_DESC(max_sessions,
		 "Most TFTP transfers at once, all network namespaces together (default 65536)");

static atomic_t pxefast_tftp_total = ATOMIC_INIT(0);

/* A session joined or left the table: dumps in progress are told. */
static void tftp_table_changed(struct pxefast_tftp_net *tn)
{
	lockdep_assert_held(&tn->lock);
	/*
	 * After the list change (release: a dump that reads the new value
	 * walks the changed list); 0 would turn off the dump's check.
	 */
	smp_store_release(&tn->gen, tn->gen + 1 ?: 1);
}

static u32 tftp_hash(const struct in6_addr *caddr)
{
	return hash_32(ipv6_addr_hash(caddr), PXEFAST_TFTP_HASH_BITS);
}

/**
 * pxefast_tftp_put - drop a reference to a session
 * @s: the session
 *
 * The last reference queues the session's freeing, which sleeps, on
 * pxefast_wq.  Any context.
 */
void pxefast_tftp_put(struct pxefast_tftp_session *s)
{
	if (refcount_dec_and_test(&s->ref))
		queue_work(pxefast_wq, &s->free_work);
}

static void tftp_free_work(struct work_struct *work)
{
	struct pxefast_tftp_session *s =
		container_of(work, struct pxefast_tftp_session, free_work);
	struct pxefast_net *pn = s->pn;

	/* A timer or work item that dropped the last reference may still be
	 * returning.
	 */
	timer_delete_sync(&s->timer);
	cancel_work_sync(&s->work);
	pxefast_tftp_unbind(s);
	if (s->file)
		fput(s->file);
	pxefast_config_put(s->cfg);
	path_put(&s->root);
	/* A no-op on a cache never set up (the file was not opened): the
	 * session was zeroed.
	 */
	dst_cache_destroy(&s->dst_cache);
	kfree(s->name);
	kfree(s->rrq);
	kfree_rcu(s, rcu);

	/* The last one wakes pxefast_tftp_net_exit(), which takes the lock
	 * before it returns: @pn outlives the wake-up.
	 */
	spin_lock_bh(&pn->tftp.lock);
	if (atomic_dec_and_test(&pn->tftp.nobjs))
		wake_up_var(&pn->tftp.nobjs);
	spin_unlock_bh(&pn->tftp.lock);
}

/* Mark @s ended; false when it was already.  Takes s->lock. */
static bool tftp_mark_dead(struct pxefast_tftp_session *s)
{
	bool was_dead;

	spin_lock_bh(&s->lock);
	was_dead = s->state == TFTP_S_DEAD;
	s->state = TFTP_S_DEAD;
	spin_unlock_bh(&s->lock);
	return !was_dead;
}

/* Take @s out of the table and its counts; the table's lock held. */
static void tftp_unhash_locked(struct pxefast_tftp_net *tn,
			       struct pxefast_tftp_session *s)
{
	hlist_del_rcu(&s->node);
	tftp_table_changed(tn);
	s->hashed = false;
	if (s->admitted) {
		atomic_dec(&tn->nsessions);
		atomic_dec(&pxefast_tftp_total);
	} else {
		atomic_dec(&tn->npending);
	}
}

/*
 * The rest of ending @s, once marked dead and unhashed: tell the client
 * why when @msg is set, count it, drop the table's reference.
 */
static void tftp_finish(struct pxefast_tftp_session *s, enum tftp_end_how how,
			u16 code, const char *msg)
{
	struct pxefast_net *pn = s->pn;
	enum pxefast_event_type ev;
	u8 buf[TFTP_HDR_LEN + 64];
	unsigned int len;

	if (msg) {
		len = pxefast_tftp_build_error(buf, sizeof(buf), code, msg);
		pxefast_tftp_send_buf(s, buf, len);
	}

	switch (how) {
	case TFTP_END_DONE:
		pxefast_tftp_stat(s, PXEFAST_STAT_TFTP_DONE);
		ev = PXEFAST_EVENT_TRANSFER_DONE;
		break;
	case TFTP_END_PROBE:
		/* Not a failure: the client had what it asked for. */
		pxefast_tftp_stat(s, PXEFAST_STAT_TFTP_SIZE_PROBES);
		ev = PXEFAST_EVENT_UNSPEC;
		break;
	case TFTP_END_TIMEOUT:
		pxefast_tftp_stat(s, PXEFAST_STAT_TFTP_TIMEOUTS);
		fallthrough;
	default:
		pxefast_tftp_stat(s, PXEFAST_STAT_TFTP_FAILED);
		ev = PXEFAST_EVENT_TRANSFER_FAILED;
		break;
	}
	if (ev != PXEFAST_EVENT_UNSPEC)
		pxefast_notify_transfer(pn->net, ev, s->ifindex, &s->peer.caddr,
					s->name, s->bytes,
					jiffies_to_msecs(jiffies - s->start),
					how == TFTP_END_DONE ? 0 : code);

	if (timer_delete(&s->timer))
		pxefast_tftp_put(s);
	pxefast_tftp_put(s);		/* the table's reference */
}

/**
 * pxefast_tftp_end - end a transfer
 * @s: the session; the caller holds a reference
 * @how: why it ends, for the counters and the monitor's event
 * @code: the TFTP error code (RFC 1350 section 5) sent with @msg, or
 *	reported for a client's ERROR
 * @msg: the ERROR message for the client, or NULL to end silently
 *
 * Takes the session out of the table, tells the client why when @msg is
 * set, counts the end and drops the table's reference.  Ending twice is
 * harmless: the second call does nothing.  Softirq or process context.
 */
void pxefast_tftp_end(struct pxefast_tftp_session *s, enum tftp_end_how how,
		      u16 code, const char *msg)
{
	struct pxefast_tftp_net *tn = &s->pn->tftp;

	if (!tftp_mark_dead(s))
		return;
	/*
	 * Unhash before answering: a client may send its next request from
	 * the same port as soon as it has the ERROR, and while this session
	 * is hashed that request looks like a retransmission of this one.
	 */
	spin_lock_bh(&tn->lock);
	tftp_unhash_locked(tn, s);
	spin_unlock_bh(&tn->lock);
	tftp_finish(s, how, code, msg);
}

/**
 * pxefast_tftp_admit - count a session whose file is open as a transfer
 * @s: the session
 *
 * The per-client and per-namespace limits (and the module's
 * max_sessions) count transfers only, so that lookups of absent names
 * (firmware probing names in a burst) never take a transfer's place,
 * however many are in flight.  Takes the table's lock (BHs off).
 *
 * Return: NULL when admitted, or ended meanwhile (the caller then stops
 * at the session's state); else the ERROR message saying why not.
 */
const char *pxefast_tftp_admit(struct pxefast_tftp_session *s)
{
	struct pxefast_tftp_net *tn = &s->pn->tftp;
	struct pxefast_tftp_session *o;
	unsigned int per_client = 0;
	const char *busy = NULL;

	spin_lock_bh(&tn->lock);
	if (!s->hashed) {
		/* Ended meanwhile: the caller stops at the state. */
		spin_unlock_bh(&tn->lock);
		return NULL;
	}
	hlist_for_each_entry(o, &tn->hash[tftp_hash(&s->peer.caddr)], node)
		if (pxefast_tftp_same_host(&o->peer, &s->peer) && o->admitted &&
		    READ_ONCE(o->state) != TFTP_S_DEAD)
			per_client++;
	if (per_client >= s->max_per_client) {
		busy = "too many transfers from this client";
	} else if (atomic_read(&tn->nsessions) >= s->max_sessions) {
		busy = "server busy";
	} else if (atomic_inc_return(&pxefast_tftp_total) > max_sessions) {
		atomic_dec(&pxefast_tftp_total);
		busy = "server busy";
	} else {
		s->admitted = true;
		atomic_dec(&tn->npending);
		atomic_inc(&tn->nsessions);
	}
	spin_unlock_bh(&tn->lock);
	return busy;
}

/* Free a session pxefast_tftp_new() did not hash: only its names. */
static void tftp_discard(struct pxefast_tftp_session *s)
{
	pxefast_config_put(s->cfg);
	kfree(s->name);
	kfree(s->rrq);
	kfree(s);
}

/*
 * Is a read request of @len bytes at @rrq, from @o's client address and
 * port, a retransmission of @o's?  Only a byte-identical request, and only
 * while the client has not answered @o (it cannot have had @o's reply):
 * anything else from that port is a new request, such as a PXE ROM's
 * after a reset, which reuses its source ports on every boot.  The
 * table's lock held.
 */
static bool tftp_is_retransmit(struct pxefast_tftp_session *o, const u8 *rrq,
			       unsigned int len)
{
	bool heard;

	spin_lock(&o->lock);
	heard = o->heard;
	spin_unlock(&o->lock);
	return !heard && o->rrq_len == len && !memcmp(o->rrq, rrq, len);
}

/**
 * pxefast_tftp_new - start a transfer for a read request
 * @pn: the namespace
 * @cfg: its configuration (RCU), TFTP enabled
 * @req: the parsed request (pxefast_tftp_parse_rrq())
 * @rrq: the request as received, opcode on
 * @rrq_len: its length in bytes
 * @ifindex: the interface it arrived on
 * @peer: the client's address and port, this host's address it sent to
 *
 * Either IP version.  A transfer from the same client address and port
 * is either answered again (a retransmitted request, byte for byte) or
 * ended, quietly, in favour of the new request.  The number of lookups
 * in flight is limited here; the limits on transfers once the file is
 * found (pxefast_tftp_admit()).  Softirq, RCU read lock held.
 *
 * Return: 0 when the request was taken (a new session, or its earlier
 * copy's answer sent again), -ENOENT when the name is refused, -EBUSY
 * when too many lookups are in flight, -ENOMEM, or -ESTALE when @cfg is
 * being retired (the client will ask again).  The caller answers -ENOENT
 * and -EBUSY with an ERROR.
 */
int pxefast_tftp_new(struct pxefast_net *pn, struct pxefast_config *cfg,
		     const struct pxefast_tftp_req *req, const u8 *rrq,
		     unsigned int rrq_len, int ifindex,
		     const struct pxefast_tftp_peer *peer)
{
	const struct pxefast_tftp_cfg *t = &cfg->tftp;
	struct pxefast_tftp_net *tn = &pn->tftp;
	struct pxefast_tftp_session *s, *o, *old = NULL;
	struct hlist_head *head;

	s = kzalloc(sizeof(*s), GFP_ATOMIC);
	if (!s)
		return -ENOMEM;
	s->name = kmemdup_nul(req->file, req->file_len, GFP_ATOMIC);
	s->rrq = kmemdup(rrq, rrq_len, GFP_ATOMIC);
	if (!s->name || !s->rrq) {
		tftp_discard(s);
		return -ENOMEM;
	}
	s->rrq_len = rrq_len;
	if (pxefast_tftp_map_name(s->name)) {
		tftp_discard(s);
		return -ENOENT;
	}

	refcount_set(&s->ref, 1);
	spin_lock_init(&s->lock);
	s->pn = pn;
	INIT_WORK(&s->free_work, tftp_free_work);
	pxefast_tftp_transfer_init(s);
	s->peer = *peer;
	s->ifindex = ifindex;
	s->state = TFTP_S_OPENING;
	s->max_retries = t->retries;
	s->max_blksize = t->max_blksize;
	s->max_window = t->max_window;
	s->max_sessions = t->max_sessions;
	s->max_per_client = t->max_per_client;
	s->port_min = t->port_min;
	s->port_max = t->port_max;
	s->timeout_ms = t->timeout_ms;
	s->idle_ms = t->idle_timeout_ms;
	s->case_fold = t->case_fold;
	s->asked = req->opts;
	s->blksize = TFTP_BLKSIZE_DEFAULT;
	s->window = 1;
	s->start = jiffies;
	s->last_rx = s->start;

	/* A snapshot being retired: drop the request, the client resends. */
	if (!pxefast_config_get(cfg)) {
		tftp_discard(s);
		return -ESTALE;
	}
	s->cfg = cfg;

	head = &tn->hash[tftp_hash(&peer->caddr)];
	spin_lock(&tn->lock);
	hlist_for_each_entry(o, head, node) {
		if (!pxefast_tftp_same_host(&o->peer, peer) ||
		    o->peer.cport != peer->cport ||
		    READ_ONCE(o->state) == TFTP_S_DEAD)
			continue;
		if (tftp_is_retransmit(o, rrq, rrq_len)) {
			refcount_inc(&o->ref);
			spin_unlock(&tn->lock);
			tftp_discard(s);
			pxefast_tftp_resend(o);
			pxefast_tftp_put(o);
			return 0;
		}
		/* One live session per client address and port. */
		if (tftp_mark_dead(o)) {
			tftp_unhash_locked(tn, o);
			old = o;
		}
		break;
	}
	if (atomic_read(&tn->npending) >= t->max_sessions) {
		spin_unlock(&tn->lock);
		if (old)
			tftp_finish(old, TFTP_END_CLIENT, TFTP_EUNDEF, NULL);
		tftp_discard(s);
		return -EBUSY;
	}
	atomic_inc(&tn->npending);
	atomic_inc(&tn->nobjs);
	s->hashed = true;
	hlist_add_head_rcu(&s->node, head);
	tftp_table_changed(tn);
	spin_unlock(&tn->lock);

	/* Quietly: an ERROR would reach the client as the new one's answer. */
	if (old)
		tftp_finish(old, TFTP_END_CLIENT, TFTP_EUNDEF, NULL);
	pxefast_tftp_kick(s);
	return 0;
}

/**
 * pxefast_tftp_end_all - end every transfer of a namespace
 * @pn: the namespace
 * @why: the ERROR message for the clients, or NULL to end them silently
 *
 * Process context.
 */
void pxefast_tftp_end_all(struct pxefast_net *pn, const char *why)
{
	struct pxefast_tftp_session *s;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(pn->tftp.hash); i++) {
		rcu_read_lock();
		hlist_for_each_entry_rcu(s, &pn->tftp.hash[i], node) {
			if (!refcount_inc_not_zero(&s->ref))
				continue;
			pxefast_tftp_end(s, TFTP_END_FAILED, TFTP_EUNDEF, why);
			pxefast_tftp_put(s);
		}
		rcu_read_unlock();
	}
}

/**
 * pxefast_tftp_net_init - set up a namespace's transfer table
 * @pn: the namespace
 *
 * Pernet init; cannot fail.
 */
void pxefast_tftp_net_init(struct pxefast_net *pn)
{
	unsigned int i;

	spin_lock_init(&pn->tftp.lock);
	for (i = 0; i < ARRAY_SIZE(pn->tftp.hash); i++)
		INIT_HLIST_HEAD(&pn->tftp.hash[i]);
	atomic_set(&pn->tftp.nsessions, 0);
	atomic_set(&pn->tftp.npending, 0);
	atomic_set(&pn->tftp.nobjs, 0);
	pn->tftp.gen = 1;
}

/*
 * Under the lock the last tftp_free_work() wakes us with: once this is
 * true, that work item has let go of @tn.
 */
static bool tftp_all_freed(struct pxefast_tftp_net *tn)
{
	bool done;

	spin_lock_bh(&tn->lock);
	done = !atomic_read(&tn->nobjs);
	spin_unlock_bh(&tn->lock);
	return done;
}

/**
 * pxefast_tftp_net_exit - end a namespace's transfers and wait for them
 * @pn: the namespace, its netfilter hook already unregistered
 *
 * Transfers free themselves (and their sockets) from work items; this waits
 * until the last one has.  Pernet exit (process context, may sleep).
 */
void pxefast_tftp_net_exit(struct pxefast_net *pn)
{
	struct pxefast_tftp_net *tn = &pn->tftp;

	if (atomic_read(&tn->nobjs))
		pxefast_tftp_end_all(pn, NULL);
	/* Transfers free themselves (and their sockets) from work items. */
	wait_var_event(&tn->nobjs, tftp_all_freed(tn));
}

/**
 * pxefast_tftp_commit - apply a new configuration to running transfers
 * @pn: the namespace, its lock held
 * @cfg: the configuration being published
 *
 * Transfers keep running across changes, with the file they opened and
 * the limits they started with; turning TFTP off ends them, with an
 * error to their clients.
 */
void pxefast_tftp_commit(struct pxefast_net *pn,
			 const struct pxefast_config *cfg)
{
	lockdep_assert_held(&pn->lock);
	if (!cfg->tftp.enabled && (atomic_read(&pn->tftp.nsessions) ||
				   atomic_read(&pn->tftp.npending)))
		pxefast_tftp_end_all(pn, "TFTP service stopped");
}
