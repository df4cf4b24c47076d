/* SPDX-License-Identifier: GPL-2.0 */
/*
 * DHCP/BOOTP wire format (RFC 2131/2132), PXE 2.1 vendor options and the
 * proxy-DHCP / boot-server path: receive, answer (parse, decide, build),
 * transmit, account.  The answer takes and gives bytes, never an sk_buff,
 * so that any receive path can call it.
 */
#ifndef _PXEFAST_DHCP_H
#define _PXEFAST_DHCP_H

#include <linux/types.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <linux/netdevice.h>
#include <linux/skbuff.h>
#include <linux/udp.h>
#include "compat.h"
#include "pxefast.h"

#define DHCP_SERVER_PORT	67
#define DHCP_CLIENT_PORT	68
#define PXE_BINL_PORT		4011

#define BOOTP_REQUEST		1
#define BOOTP_REPLY		2
#define BOOTP_HTYPE_ETHER	1
#define BOOTP_FLAG_BROADCAST	0x8000
#define DHCP_MAGIC		0x63825363

/* Fixed BOOTP header (RFC 951/2131), then the magic cookie and options. */
struct bootp_hdr {
	u8 op;
	u8 htype;
	u8 hlen;
	u8 hops;
	__be32 xid;
	__be16 secs;
	__be16 flags;
	__be32 ciaddr;
	__be32 yiaddr;
	__be32 siaddr;
	__be32 giaddr;
	u8 chaddr[16];
	char sname[64];
	char file[128];
	__be32 magic;
	u8 options[];
} __packed;

#define BOOTP_MIN_LEN		sizeof(struct bootp_hdr)
/* Smallest reply clients must accept (RFC 2131: 576-byte IP datagram). */
#define DHCP_MIN_MAX_MSG	576

enum dhcp_option {
	DHO_PAD			= 0,
	DHO_SERVER_NAME_66	= 66,
	DHO_BOOTFILE_67		= 67,
	DHO_VENDOR_OPTS		= 43,
	DHO_MSG_TYPE		= 53,
	DHO_SERVER_ID		= 54,
	DHO_REQUESTED_IP	= 50,
	DHO_PARAM_LIST		= 55,
	DHO_MAX_MSG_SIZE	= 57,
	DHO_VENDOR_CLASS	= 60,
	DHO_CLIENT_ID		= 61,
	DHO_USER_CLASS		= 77,
	DHO_RELAY_INFO		= 82,
	DHO_CLIENT_ARCH		= 93,
	DHO_CLIENT_NDI		= 94,
	DHO_CLIENT_UUID		= 97,
	DHO_IPXE_ENCAP		= 175,
	DHO_END			= 255,
};

enum dhcp_msg_type {
	DHCPDISCOVER	= 1,
	DHCPOFFER	= 2,
	DHCPREQUEST	= 3,
	DHCPACK		= 5,
	DHCPINFORM	= 8,
};

/* PXE 2.1 option 43 sub-options. */
enum pxe_vendor_option {
	PXE_DISCOVERY_CONTROL	= 6,
	PXE_DISCOVERY_MCAST	= 7,
	PXE_BOOT_SERVERS	= 8,
	PXE_BOOT_MENU		= 9,
	PXE_MENU_PROMPT		= 10,
	PXE_CREDENTIAL_TYPES	= 12,
	PXE_BOOT_ITEM		= 71,
};

#define PXE_LAYER_CREDENTIALS	0x8000	/* 43.71 layer bit: BIS credentials */
#define PXE_LAYER_MASK		0x7fff

/*
 * What became of a request: answered, or why not (each reason maps to a
 * counter).  PXEFAST_PARSED is the parser's "well formed, not yet decided"
 * and never reaches the counters.
 */
enum pxefast_verdict {
	PXEFAST_ANSWER,
	PXEFAST_PARSED,
	PXEFAST_IGNORE,			/* not ours (not PXE, not a request) */
	PXEFAST_DROP_MALFORMED,
	PXEFAST_DROP_HTYPE,
	PXEFAST_DROP_ARCH,
	PXEFAST_DROP_NO_MAP,
	PXEFAST_DROP_NO_BIS,
	PXEFAST_DROP_NO_ADDR,
	PXEFAST_DROP_NO_URL,		/* HTTP boot client, mapping has no URL */
	PXEFAST_DROP_TX,		/* reply does not fit the client's limit
					 * or the caller's buffer
					 */
};

/* What a request says, with pointers into the packet it was parsed from. */
struct pxefast_dhcp_req {
	const struct bootp_hdr *hdr;	/* NULL for a DHCPv6 request */
	const u8 *mac;			/* ETH_ALEN bytes: chaddr, or a DHCPv6
					 * client's link-layer address
					 */
	u8 msg_type;
	u16 max_msg;			/* option 57, 0 if absent */
	__be32 server_id;		/* option 54, 0 if absent */
	bool wants_lease;		/* option 50: asks for an address */
	bool pxe;			/* option 60 "PXEClient..." or 93 */
	bool http;			/* option 60 "HTTPClient...": UEFI
					 * HTTP boot (UEFI spec, "HTTP Boot")
					 */
	bool has_arch;
	u16 arch;			/* option 93, first entry */
	bool has_uuid;			/* option 97 is type 0 + 16 bytes */
	u8 uuid[PXEFAST_UUID_LEN];	/* option 97 after its type byte */
	const u8 *vclass;		/* option 60 */
	u8 vclass_len;
	const u8 *uclass;		/* option 77 as sent */
	u8 uclass_len;
	bool uclass_be16;		/* @uclass is DHCPv6 option 15: class
					 * lengths are 2 bytes
					 */
	bool ipxe;			/* option 175 present */
	bool has_item;
	u16 item_type;			/* option 43.71 */
	u16 item_layer;
	const u8 *ndi;			/* option 94, 3 bytes */
	const u8 *relay_info;		/* option 82, echoed (RFC 3046 2.2) */
	u8 relay_info_len;
	unsigned int bad_options;	/* options ignored as unusable */
};

/**
 * struct pxefast_dhcp_rx - a request as its receive path saw it
 * @pn: the namespace it arrived in
 * @cfg: the namespace's configuration snapshot (RCU)
 * @ifindex: the served interface it arrived on
 * @server_addr: this host's address on that interface
 *	(pxefast_server_addr()); 0 when it has none
 * @saddr: the request's IPv4 source
 * @daddr: the request's IPv4 destination
 * @sport: the request's UDP source port
 * @dport: the request's UDP destination port: DHCP_SERVER_PORT (proxy
 *	DHCP) or PXE_BINL_PORT (boot server)
 *
 * All a receive path hands to the protocol core besides the request's
 * bytes: no sk_buff, no device.
 */
struct pxefast_dhcp_rx {
	struct pxefast_net *pn;
	const struct pxefast_config *cfg;
	int ifindex;
	__be32 server_addr;
	__be32 saddr;
	__be32 daddr;
	__be16 sport;
	__be16 dport;
};

static inline bool pxefast_dhcp_binl(const struct pxefast_dhcp_rx *rx)
{
	return rx->dport == htons(PXE_BINL_PORT);
}

/**
 * struct pxefast_dhcp_reply - what the protocol core made of a request
 * @verdict: PXEFAST_ANSWER when a reply was built, else why there is none
 * @pxe: the request is a PXE client's (option 60 "PXEClient" or 93)
 * @http: the request is a UEFI HTTP boot client's (option 60 "HTTPClient")
 * @discover: the request is a DHCPDISCOVER
 * @bad_options: options of the request ignored as unusable
 * @arch: the client's architecture (RFC 4578 option 93), 0 when absent
 * @mac: the client's hardware address (chaddr)
 * @ack: the reply is a DHCPACK rather than a DHCPOFFER
 * @broadcast: the reply goes to the link-layer broadcast address, else
 *	to the request's link-layer source
 * @file: the boot file the reply names (to an HTTP boot client, its
 *	URL), or NULL; points into the configuration snapshot
 * @delay_ms: send the reply this much later (the mapping's delay-ms, on
 *	UDP 67 only)
 *
 * Filled in by pxefast_dhcp_answer() for every request, answered or not;
 * read by pxefast_dhcp_account() at the end of the path.
 */
struct pxefast_dhcp_reply {
	enum pxefast_verdict verdict;
	bool pxe;
	bool http;
	bool discover;
	unsigned int bad_options;
	u16 arch;
	u8 mac[ETH_ALEN];
	bool ack;
	bool broadcast;
	const char *file;
	u32 delay_ms;
};

/* The largest DHCP payload sent: fits any Ethernet MTU >= 1500. */
#define PXEFAST_DHCP_REPLY_MAX	1472
/* The IPv4 header pxefast writes (no options) and the UDP header. */
#define PXEFAST_DHCP_HDRS_LEN	(sizeof(struct iphdr) + sizeof(struct udphdr))
/* The largest reply frame, IPv4 header on. */
#define PXEFAST_DHCP_FRAME_MAX	(PXEFAST_DHCP_HDRS_LEN + PXEFAST_DHCP_REPLY_MAX)

/*
 * Option 43.6 of a proxy offer.  With a menu or boot servers the client
 * discovers a boot server and asks it on UDP 4011; without, the offer
 * names the boot file and discovery control tells the client to take it
 * directly, unless the administrator set discovery control otherwise.
 */
static inline u8 pxefast_dhcp_discovery(const struct pxefast_config *cfg)
{
	u8 disc = cfg->dhcp.discovery;

	if (!cfg->menu.prompt && !cfg->nservers)
		disc |= PXEFAST_DISC_DIRECT_BOOT_FILE;
	return disc;
}

/* Appends options to a reply without ever writing past its end. */
struct dhcp_writer {
	u8 *p;
	u8 *end;
	bool overflow;
};

/* Room for @len more bytes at @w, or NULL (and @w overflows). */
static inline u8 *dhcp_put(struct dhcp_writer *w, unsigned int len)
{
	u8 *p = w->p;

	if (w->overflow || len > w->end - w->p) {
		w->overflow = true;
		return NULL;
	}
	w->p += len;
	return p;
}

/* dhcp_answer.c: the core every receive path calls */
int pxefast_dhcp_answer(const struct pxefast_dhcp_rx *rx, const u8 *data,
			unsigned int len, u8 *buf, unsigned int size,
			struct pxefast_dhcp_reply *reply);

/* dhcp_parse.c */
enum pxefast_verdict pxefast_dhcp_parse(const u8 *data, unsigned int len,
					struct pxefast_dhcp_req *req);
void pxefast_dhcp_vclass(struct pxefast_dhcp_req *req, const u8 *p, u8 len);
void pxefast_dhcp_arch_from_vclass(struct pxefast_dhcp_req *req);

/* dhcp_match.c */
bool pxefast_dhcp_arch_enabled(const struct pxefast_config *cfg, u16 arch);
const struct pxefast_map *pxefast_map_lookup(const struct pxefast_config *cfg,
					     const struct pxefast_dhcp_req *req);
const struct pxefast_map *
pxefast_dhcp_decide(const struct pxefast_dhcp_rx *rx,
		    const struct pxefast_dhcp_req *req,
		    struct pxefast_dhcp_reply *reply);

/* dhcp_build.c */
int pxefast_dhcp_build(const struct pxefast_dhcp_rx *rx,
		       const struct pxefast_dhcp_req *req,
		       const struct pxefast_map *map,
		       struct pxefast_dhcp_reply *reply, u8 *buf,
		       unsigned int size);

/* http_url.c */
bool pxefast_http_url(const char *s);
char *pxefast_http_url_join(const char *base, const char *name);
size_t pxefast_url_path_len(const char *name);
char *pxefast_url_path_put(char *q, const char *name);

/* rx_dev.c (pxefast_rx_dev() is in pxefast.h) */
bool pxefast_udp_listened(struct net *net, __be32 saddr, __be16 sport,
			  __be32 daddr, __be16 dport, int dif, int sdif);
__be32 pxefast_server_addr(const struct pxefast_dev_cfg *dcfg,
			   const struct net_device *dev);

/* rx_nf.c */
int pxefast_udp_pull_at(struct sk_buff *skb, unsigned int hook, u8 pf,
			unsigned int thoff);
int pxefast_udp_pull(struct sk_buff *skb, unsigned int hook);
const struct pxefast_dev_cfg *pxefast_nf_dev(struct pxefast_net *pn,
					     const struct nf_hook_state *state,
					     struct pxefast_config **cfgp);

/* dhcp_xmit.c */
int pxefast_dhcp_xmit(struct net_device *dev, const u8 *frame,
		      unsigned int len, const u8 *dst_mac);

/* dhcp_delay.c */
int pxefast_dhcp_delay(const struct pxefast_dhcp_rx *rx,
		       const struct pxefast_dhcp_reply *reply,
		       const u8 *frame, unsigned int len, const u8 *dst_mac);

/* dhcp_account.c */
void pxefast_dhcp_account(const struct pxefast_dhcp_rx *rx,
			  const struct pxefast_dhcp_reply *reply, int err);
void pxefast_dhcp_account_tx(const struct pxefast_dhcp_rx *rx,
			     const struct pxefast_dhcp_reply *reply, int err);

#endif /* _PXEFAST_DHCP_H */
