/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pxefast internal interfaces shared by the module's files.
 */
#ifndef _PXEFAST_H
#define _PXEFAST_H

#include <linux/types.h>
#include <linux/if_ether.h>
#include <linux/in6.h>
#include <linux/mutex.h>
#include <linux/netfilter.h>
#include <linux/path.h>
#include <linux/rcupdate.h>
#include <linux/refcount.h>
#include <linux/spinlock.h>
#include <linux/u64_stats_sync.h>
#include <linux/workqueue.h>
#include <net/net_namespace.h>
#include <net/netlink.h>
#include <net/netns/generic.h>
#include <uapi/linux/pxefast.h>

struct genl_family;
struct netlink_callback;
struct netlink_ext_ack;
struct nlattr;
struct sk_buff;

/* Match fields of an NBP mapping, most specific first: the numeric value
 * of a mapping's field mask orders mappings by specificity, and among
 * mappings with the same prefix field the longer prefix ranks first
 * (pxefast_map_cmp()).
 */
enum pxefast_match_field {
	PXEFAST_MATCH_LAYER	= 1 << 0,
	PXEFAST_MATCH_TYPE	= 1 << 1,
	PXEFAST_MATCH_ARCH	= 1 << 2,
	PXEFAST_MATCH_VCLASS	= 1 << 3,
	PXEFAST_MATCH_UCLASS	= 1 << 4,
	PXEFAST_MATCH_UUID_PREFIX = 1 << 5,
	PXEFAST_MATCH_UUID	= 1 << 6,
	PXEFAST_MATCH_MAC_PREFIX = 1 << 7,
	PXEFAST_MATCH_MAC	= 1 << 8,
};

struct pxefast_dev_cfg {
	int ifindex;
	__be32 addr;		/* 0: the device's primary IPv4 */
	u8 xdp;			/* enum pxefast_xdp_mode */
	bool dhcp6;		/* answer DHCPv6 boot requests here */
	struct in6_addr addr6;	/* ::: the device's first global IPv6 */
};

struct pxefast_tftp_cfg {
	bool enabled;
	char *root_name;	/* as configured, for dumps */
	struct path root;	/* held while the snapshot lives */
	u32 max_sessions;
	u32 max_per_client;
	u16 max_blksize;
	u16 max_window;
	u32 timeout_ms;
	u8 retries;
	u16 port_min;
	u16 port_max;
	u32 idle_timeout_ms;
	bool case_fold;		/* fall back to names matched ignoring case */
};

struct pxefast_dhcp_cfg {
	bool proxy;
	bool boot_server;
	u8 discovery;
	__be32 mcast_addr;
	char *http_base;	/* HTTP boot: URL files are joined to, or NULL */
};

struct pxefast_menu_item {
	u16 type;
	char *label;
};

struct pxefast_menu {
	char *prompt;
	u8 timeout;
	unsigned int nitems;
	struct pxefast_menu_item *items;
};

struct pxefast_arch_cfg {
	u16 code;
	bool enabled;
};

struct pxefast_server {
	u16 type;
	u8 naddrs;
	__be32 addrs[PXEFAST_MAX_SERVER_ADDRS];
	char *label;
};

struct pxefast_map {
	u32 fields;		/* enum pxefast_match_field bits */
	u16 arch;
	u16 server_type;
	u16 layer;
	u8 mac[ETH_ALEN];		/* MAC, or MAC prefix then zeros */
	u8 uuid[PXEFAST_UUID_LEN];	/* UUID, or UUID prefix then zeros */
	u8 mac_plen;			/* bytes of a MAC prefix */
	u8 uuid_plen;			/* bytes of a UUID prefix (no type) */
	u32 delay_ms;			/* proxy replies sent this much later */
	char *vendor_class;
	char *user_class;
	char *file;
	char *url;		/* HTTP boot: @file if an http(s) URL, else
				 * the HTTP base joined with @file (owned);
				 * NULL: HTTP boot clients get no answer
				 */
	__be32 next_server;
	char *bis_file;
	char *label;
	u32 pos;		/* position in the SET request */
};

/* Mappings with the same match fields (and prefix lengths), consecutive
 * in pxefast_config.maps.
 */
struct pxefast_map_run {
	u32 fields;
	u8 mac_plen;
	u8 uuid_plen;
	u32 start;
	u32 end;
};

/*
 * One namespace's whole configuration.  Immutable once published; replaced
 * whole under pxefast_net.lock and read under RCU.  Dumps that span several
 * messages hold a reference.
 *
 * A snapshot made by dropping an interface (pxefast_config_without_dev())
 * owns only its @devs and shares everything else with @base, on which it
 * holds a reference.
 */
struct pxefast_config {
	refcount_t ref;
	struct rcu_work free_work;
	u32 generation;
	struct pxefast_config *base;	/* owner of the rest, or NULL */

	struct pxefast_tftp_cfg tftp;
	struct pxefast_dhcp_cfg dhcp;
	struct pxefast_menu menu;

	unsigned int ndevs;
	struct pxefast_dev_cfg *devs;
	unsigned int narchs;
	struct pxefast_arch_cfg *archs;
	unsigned int nservers;
	struct pxefast_server *servers;
	unsigned int nmaps;
	struct pxefast_map *maps;	/* most specific first */
	unsigned int nruns;
	struct pxefast_map_run *runs;	/* most specific first */
};

/* Per-CPU counters. */
#define PXEFAST_ARCH_STATS_CODES 64	/* codes 0..63 are counted per arch */

struct pxefast_pcpu_stats {
	struct u64_stats_sync syncp;
	u64_stats_t c[__PXEFAST_STAT_MAX];
	u64_stats_t arch_req[PXEFAST_ARCH_STATS_CODES];
	u64_stats_t arch_ans[PXEFAST_ARCH_STATS_CODES];
};

struct pxefast_stats_snapshot {
	u64 c[__PXEFAST_STAT_MAX];
	u64 arch_req[PXEFAST_ARCH_STATS_CODES];
	u64 arch_ans[PXEFAST_ARCH_STATS_CODES];
};

/* TFTP transfers of a namespace (tftp_session.c). */
#define PXEFAST_TFTP_HASH_BITS	10

struct pxefast_tftp_net {
	spinlock_t lock;		/* writers of @hash */
	struct hlist_head hash[1 << PXEFAST_TFTP_HASH_BITS]; /* by client */
	atomic_t nsessions;		/* in @hash, file open: transfers */
	atomic_t npending;		/* in @hash, file being looked up */
	atomic_t nobjs;			/* allocated, not yet freed */
	u32 gen;			/* changes of @hash, under @lock; never 0 */
};

struct pxefast_net {
	struct net *net;
	struct mutex lock;		/* serialises config replacement */
	struct pxefast_config __rcu *config;
	u32 generation;			/* last published, under lock */
	bool nf_hooks;			/* nf_ops registered, under lock */
	struct nf_hook_ops nf_ops[2];	/* IPv4, IPv6 LOCAL_IN */
	unsigned int nf_nops;		/* in use, under lock */
	/*
	 * Interfaces that joined ff02::1:2 and ff05::1:3 (dhcp6_join.c),
	 * under RTNL and @lock.
	 */
	unsigned int dhcp6_njoined;
	int dhcp6_joined[PXEFAST_MAX_DEVS];
	struct pxefast_pcpu_stats __percpu *stats;
	struct pxefast_tftp_net tftp;
	/* Delayed proxy replies (dhcp_delay.c). */
	spinlock_t delay_lock;		/* @delay_list, counters, closing */
	struct list_head delay_list;	/* sorted by due time */
	unsigned int delay_pending;
	bool delay_closing;
	struct delayed_work delay_work;
};

extern unsigned int pxefast_net_id;
extern struct workqueue_struct *pxefast_wq;

static inline struct pxefast_net *pxefast_pernet(const struct net *net)
{
	return net_generic(net, pxefast_net_id);
}

/* What a SET_CONFIG is accepted with but likely a mistake: the object
 * (its nest in the request) and why.
 */
struct pxefast_config_warnings {
	unsigned int n;
	struct {
		const struct nlattr *nla;
		const char *msg;	/* static */
	} w[PXEFAST_MAX_WARNINGS];
};

/* nl_policy.c */
extern const struct nla_policy pxefast_set_config_policy[PXEFAST_A_MAX + 1];
extern const struct nla_policy pxefast_get_stats_policy[PXEFAST_A_MAX + 1];
extern const struct nla_policy pxefast_no_attr_policy[PXEFAST_A_MAX + 1];

/* config_nl.c */
int pxefast_config_decode(struct net *net, struct pxefast_config *cfg,
			  const struct nlattr *head, int len,
			  struct netlink_ext_ack *extack);

/* config_check.c */
int pxefast_config_check(struct net *net, struct pxefast_config *cfg,
			 const struct nlattr *head, int len,
			 struct netlink_ext_ack *extack,
			 struct pxefast_config_warnings *warn);

/* match_order.c */
int pxefast_map_order(struct pxefast_config *cfg, u32 *clash);

/* config.c */
struct pxefast_config *pxefast_config_default(void);
struct pxefast_config *pxefast_config_build(struct net *net,
					    const struct nlattr *head, int len,
					    struct netlink_ext_ack *extack,
					    struct pxefast_config_warnings *warn);
void pxefast_config_put(struct pxefast_config *cfg);
bool pxefast_config_get(struct pxefast_config *cfg);
int pxefast_config_replace(struct pxefast_net *pn, struct pxefast_config *cfg,
			   const u32 *expect_gen, u32 *new_gen,
			   struct netlink_ext_ack *extack);
struct pxefast_config *
pxefast_config_without_dev(struct pxefast_config *cfg, int ifindex);
int pxefast_config_publish(struct pxefast_net *pn, struct pxefast_config *cfg);

/* netdev_notify.c */
int pxefast_netdev_init(void);
void pxefast_netdev_exit(void);

/* stats.c */
int pxefast_stats_init(struct pxefast_net *pn);
void pxefast_stats_exit(struct pxefast_net *pn);
void pxefast_stat_add(struct pxefast_net *pn, enum pxefast_stat idx, u64 val);
void pxefast_stats_read(struct pxefast_net *pn,
			struct pxefast_stats_snapshot *snap);
void pxefast_stats_clear(struct pxefast_net *pn);
void pxefast_stat_arch(struct pxefast_net *pn, u16 arch, bool answered);

/* config_dump.c */
int pxefast_get_config_start(struct netlink_callback *cb);
int pxefast_get_config_dumpit(struct sk_buff *skb, struct netlink_callback *cb);
int pxefast_get_config_done(struct netlink_callback *cb);

/* netlink.c */
extern struct genl_family pxefast_genl_family;
int pxefast_genl_init(void);
void pxefast_genl_exit(void);
void pxefast_notify_config(struct net *net, u32 generation);
void pxefast_notify_client(struct net *net, enum pxefast_event_type type,
			   int ifindex, const u8 *mac,
			   const struct in6_addr *addr, u16 arch,
			   const char *file);
void pxefast_notify_transfer(struct net *net, enum pxefast_event_type type,
			     int ifindex, const struct in6_addr *addr,
			     const char *file, u64 bytes, u32 duration_ms,
			     u16 error);

/* dhcp_delay.c */
void pxefast_dhcp_delay_init(struct pxefast_net *pn);
void pxefast_dhcp_delay_exit(struct pxefast_net *pn);

/* rx_nf.c */
int pxefast_nf_sync(struct pxefast_net *pn, const struct pxefast_config *cfg);
void pxefast_nf_exit(struct pxefast_net *pn);

/* rx_nf6.c */
void pxefast_nf6_ops(struct pxefast_net *pn, struct nf_hook_ops *ops);

/* dhcp6_join.c */
void pxefast_dhcp6_join_sync(struct pxefast_net *pn,
			     const struct pxefast_config *cfg);

/* rx_dev.c: a served interface's entry in a snapshot */
const struct pxefast_dev_cfg *pxefast_rx_dev(const struct pxefast_config *cfg,
					     int ifindex);

#endif /* _PXEFAST_H */
