/* SPDX-License-Identifier: GPL-2.0 */
/*
 * DHCPv6 wire format (RFC 8415), its network boot options (RFC 5970) and
 * the path that answers netboot clients over IPv6 beside the site's
 * DHCPv6 server: receive (rx_nf6.c, dhcp6_rx.c), answer (parse, decide,
 * build), transmit, account.  As for DHCP over IPv4 (dhcp.h), the answer
 * takes and gives bytes, never an sk_buff; the mapping is chosen by the
 * same matcher (pxefast_map_lookup()).
 */
#ifndef _PXEFAST_DHCP6_H
#define _PXEFAST_DHCP6_H

#include <linux/in6.h>
#include <linux/netdevice.h>
#include "dhcp.h"

#define DHCP6_CLIENT_PORT	546
#define DHCP6_SERVER_PORT	547

/* RFC 8415 7.3 message types. */
enum dhcp6_msg_type {
	DHCP6_SOLICIT		= 1,
	DHCP6_ADVERTISE		= 2,
	DHCP6_REQUEST		= 3,
	DHCP6_REPLY		= 7,
	DHCP6_INFORMATION_REQUEST = 11,
	DHCP6_RELAY_FORW	= 12,
	DHCP6_RELAY_REPL	= 13,
};

/* RFC 8415 21 and RFC 5970 3 option codes. */
enum dhcp6_option {
	D6O_CLIENTID		= 1,
	D6O_SERVERID		= 2,
	D6O_IA_NA		= 3,
	D6O_IA_TA		= 4,
	D6O_ORO			= 6,
	D6O_RELAY_MSG		= 9,
	D6O_USER_CLASS		= 15,
	D6O_VENDOR_CLASS	= 16,
	D6O_INTERFACE_ID	= 18,
	D6O_IA_PD		= 25,
	D6O_BOOTFILE_URL	= 59,
	D6O_CLIENT_ARCH		= 61,
	D6O_CLIENT_LINKLAYER_ADDR = 79,	/* RFC 6939 */
};

/* RFC 8415 11: DUID types; a DUID has 2 to 130 bytes, its type included. */
#define DHCP6_DUID_LLT		1
#define DHCP6_DUID_LL		3
#define DHCP6_DUID_UUID		4	/* RFC 6355 */
#define DHCP6_DUID_MAX		130
#define DHCP6_HWTYPE_ETHER	1	/* IANA hardware type */

/*
 * The enterprise number of option 16 in PXE and HTTP boot clients' and
 * servers' messages (EDK2, iPXE): "PXEClient" and "HTTPClient" classes.
 */
#define DHCP6_ENTERPRISE_PXE	343

/* msg-type and transaction-id (RFC 8415 8), then options. */
#define DHCP6_HDR_LEN		4
#define DHCP6_OPT_HDR_LEN	4
/*
 * A relay message (RFC 8415 9): msg-type, hop-count, link-address and
 * peer-address, then options; relay agents nest at most HOP_COUNT_LIMIT
 * deep (7.6).
 */
#define DHCP6_RELAY_HDR_LEN	34
#define DHCP6_HOP_COUNT_LIMIT	8

/*
 * The PXEv6 boot server step's Reply is sent this many milliseconds after
 * its Request came.  EDK2's UefiPxeBcDxe (PxeBcRequestBootService())
 * sends the Request to UDP 4011 and only then configures the UDP instance
 * it reads the Reply with: a Reply sent at once (within a millisecond)
 * comes before and is dropped ("PXE-E16: No valid offer received").  The
 * firmware then waits 3 s for the Reply (PXEBC_UDP_TIMEOUT), so the delay
 * costs the client little; it leaves room for firmware running slower than
 * real hardware (under emulation).  Replies on UDP 547 leave at once.
 */
#define PXEFAST_DHCP6_BINL_DELAY_MS	50

/* The largest reply: IPv6's minimum MTU less the IPv6 and UDP headers. */
#define PXEFAST_DHCP6_REPLY_MAX	1232
/* A DUID-LL: type, hardware type, link-layer address. */
#define PXEFAST_DHCP6_DUID_LL_MAX (4 + MAX_ADDR_LEN)

/**
 * struct pxefast_dhcp6_req - what a DHCPv6 request says
 * @m: what the matcher reads, as for a DHCP request: the client's
 *	link-layer address (@m.mac), architecture (option 61), UUID (a
 *	DUID-UUID client identifier), vendor class (the first class of
 *	option 16) and user class (option 15); @m.pxe and @m.http as for
 *	option 60 "PXEClient" and "HTTPClient"
 * @msg_type: the message type (RFC 8415 7.3)
 * @xid: the 3-byte transaction id, in the request
 * @client_id: option 1's DUID in the request, or NULL
 * @client_id_len: its length in bytes
 * @server_id: option 2's DUID in the request, or NULL
 * @server_id_len: its length in bytes
 * @has_ia: the request has an IA_NA, IA_TA or IA_PD option
 */
struct pxefast_dhcp6_req {
	struct pxefast_dhcp_req m;
	u8 msg_type;
	const u8 *xid;
	const u8 *client_id;
	u16 client_id_len;
	const u8 *server_id;
	u16 server_id_len;
	bool has_ia;
};

/**
 * struct pxefast_dhcp6_rx - a DHCPv6 request as its receive path saw it
 * @pn: the namespace it arrived in
 * @cfg: the namespace's configuration snapshot (RCU)
 * @ifindex: the served interface it arrived on
 * @dport: the request's UDP destination port: DHCP6_SERVER_PORT or
 *	PXE_BINL_PORT
 * @mac: the request's link-layer source (ETH_ALEN bytes), or NULL
 * @saddr: the client's address: the request's source (link-local as a
 *	rule), or behind relay agents the innermost Relay-forward's
 *	peer-address (@peer); NULL until the receive path has checked it
 * @relay_mac: the client's link-layer address (ETH_ALEN bytes) a relay
 *	agent gave in option 79 (RFC 6939), or NULL
 * @peer: storage for @saddr of a relayed request
 * @duid: this server's DUID on that interface (option 2 of replies)
 * @duid_len: its length in bytes
 * @has_addr: @addr is set
 * @addr: this host's address in tftp:// boot file URLs
 *	(pxefast_server_addr6())
 */
struct pxefast_dhcp6_rx {
	struct pxefast_net *pn;
	const struct pxefast_config *cfg;
	int ifindex;
	u16 dport;
	const u8 *mac;
	const struct in6_addr *saddr;
	const u8 *relay_mac;
	struct in6_addr peer;
	const u8 *duid;
	unsigned int duid_len;
	bool has_addr;
	struct in6_addr addr;
};

/**
 * struct pxefast_dhcp6_reply - what the DHCPv6 core made of a request
 * @verdict: PXEFAST_ANSWER when a reply was built, else why there is none
 * @msg_type: the reply's message type (DHCP6_ADVERTISE or DHCP6_REPLY)
 * @pxe: the request is a PXE client's (option 16 "PXEClient" or 61)
 * @http: the request is an HTTP boot client's (option 16 "HTTPClient")
 * @solicit: the request is a Solicit
 * @relayed: the request came in a Relay-forward (RFC 8415 19)
 * @bad_options: options of the request ignored as unusable
 * @arch: the client's architecture (option 61), 0 when absent
 * @mac: the client's link-layer address, zeros when unknown
 * @file: the mapping's boot file or URL the reply's option 59 is made
 *	of; points into the configuration snapshot
 * @delay_ms: send the reply this much later: on UDP 4011
 *	PXEFAST_DHCP6_BINL_DELAY_MS, on UDP 547 the mapping's delay-ms
 */
struct pxefast_dhcp6_reply {
	enum pxefast_verdict verdict;
	u8 msg_type;
	bool pxe;
	bool http;
	bool solicit;
	bool relayed;
	unsigned int bad_options;
	u16 arch;
	u8 mac[ETH_ALEN];
	const char *file;
	u32 delay_ms;
};

/*
 * Step over the header of the option at *@p (RFC 8415 21.1), the message
 * ending at @end: its code and length in *@code and *@len, *@p moved to
 * its content.  Returns false when the header or the content runs past
 * @end.
 */
static inline bool pxefast_dhcp6_option(const u8 **p, const u8 *end,
					u16 *code, u16 *len)
{
	if (end - *p < DHCP6_OPT_HDR_LEN)
		return false;
	*code = get_unaligned_be16(*p);
	*len = get_unaligned_be16(*p + 2);
	*p += DHCP6_OPT_HDR_LEN;
	return *len <= end - *p;
}

/*
 * Whether requests to UDP @port (DHCP6_SERVER_PORT or PXE_BINL_PORT) on
 * the interface of @dcfg are answered under @cfg.
 */
static inline bool pxefast_dhcp6_served(const struct pxefast_config *cfg,
					const struct pxefast_dev_cfg *dcfg,
					u16 port)
{
	if (!dcfg->dhcp6)
		return false;
	return port == PXE_BINL_PORT ? cfg->dhcp.boot_server : cfg->dhcp.proxy;
}

/* dhcp6_parse.c */
enum pxefast_verdict pxefast_dhcp6_parse(const u8 *data, unsigned int len,
					 const u8 *relay_mac, const u8 *l2_mac,
					 struct pxefast_dhcp6_req *req);

/* dhcp6_relay.c */
int pxefast_dhcp6_relay(struct pxefast_dhcp6_rx *rx, const u8 *data,
			unsigned int len, u8 *buf, unsigned int size,
			struct pxefast_dhcp6_reply *reply);

/* dhcp6_answer.c */
int pxefast_dhcp6_answer(const struct pxefast_dhcp6_rx *rx, const u8 *data,
			 unsigned int len, u8 *buf, unsigned int size,
			 struct pxefast_dhcp6_reply *reply);

/* dhcp6_build.c */
int pxefast_dhcp6_build(const struct pxefast_dhcp6_rx *rx,
			const struct pxefast_dhcp6_req *req,
			struct pxefast_dhcp6_reply *reply, u8 *buf,
			unsigned int size);

/* dhcp6_rx.c */
bool pxefast_dhcp6_rx(struct pxefast_net *pn, const struct pxefast_config *cfg,
		      const struct pxefast_dev_cfg *dcfg, struct sk_buff *skb,
		      unsigned int thoff, u16 port);

/* dhcp6_xmit.c */
int pxefast_dhcp6_xmit(struct net_device *dev, const struct in6_addr *saddr,
		       const struct in6_addr *daddr, __be16 sport,
		       __be16 dport, const u8 *data, unsigned int len);

/* dhcp_delay.c */
int pxefast_dhcp6_delay(const struct pxefast_dhcp6_rx *rx,
			const struct pxefast_dhcp6_reply *reply,
			const struct in6_addr *saddr,
			const struct in6_addr *daddr, __be16 dport,
			const u8 *data, unsigned int len);

/* rx_dev.c */
bool pxefast_server_addr6(const struct pxefast_dev_cfg *dcfg,
			  struct net_device *dev, struct in6_addr *addr);
bool pxefast_udp6_listened(struct net *net, const struct in6_addr *saddr,
			   __be16 sport, const struct in6_addr *daddr,
			   __be16 dport, int dif, int sdif);

/* dhcp_account.c */
void pxefast_dhcp6_account(const struct pxefast_dhcp6_rx *rx,
			   const struct pxefast_dhcp6_reply *reply, int err);
void pxefast_dhcp6_account_tx(const struct pxefast_dhcp6_rx *rx,
			      const struct pxefast_dhcp6_reply *reply, int err);

#endif /* _PXEFAST_DHCP6_H */
