/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pxectl: shared declarations.
 */
#ifndef PXECTL_H
#define PXECTL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <net/if.h>
#include <linux/pxefast.h>

#define PXECTL_VERSION "0.1"

/* ---- in-memory configuration model (model.c) ----------------------- */

struct pxe_dev {
	char name[IF_NAMESIZE];
	uint32_t ifindex;		/* 0: unknown, look up by name */
	uint32_t addr;			/* network order, 0: default */
	uint8_t xdp;			/* enum pxefast_xdp_mode */
	bool dhcp6;			/* answer DHCPv6 boot requests */
	uint8_t addr6[16];		/* all zeros: default */
	int line;
};

struct pxe_tftp {
	bool enabled;
	char *root;			/* NULL: none */
	uint32_t max_sessions, max_per_client;
	uint16_t max_blksize, max_window;
	uint32_t timeout_ms;
	uint8_t retries;
	uint16_t port_min, port_max;
	uint32_t idle_timeout_ms;
	bool case_fold;
};

struct pxe_dhcp {
	bool proxy, boot_server;
	uint8_t discovery;
	uint32_t mcast_addr;		/* network order, 0: none */
	char *http_base;		/* HTTP boot base URL, NULL: none */
};

struct pxe_menu_item {
	uint16_t type;
	char *label;
	int line;
};

struct pxe_menu {
	char *prompt;			/* NULL: no menu */
	uint8_t timeout;
	unsigned int nitems;
	struct pxe_menu_item items[PXEFAST_MAX_MENU_ITEMS];
	int line;
};

struct pxe_arch {
	uint16_t code;
	bool enabled;
	int line;
};

struct pxe_server {
	uint16_t type;
	unsigned int naddrs;
	uint32_t addrs[PXEFAST_MAX_SERVER_ADDRS];	/* network order */
	char *label;
	int line;
};

/* Which match fields a mapping has. */
enum {
	MAP_ARCH	= 1 << 0,
	MAP_MAC		= 1 << 1,
	MAP_UUID	= 1 << 2,
	MAP_VCLASS	= 1 << 3,
	MAP_UCLASS	= 1 << 4,
	MAP_TYPE	= 1 << 5,
	MAP_LAYER	= 1 << 6,
	MAP_MAC_PREFIX	= 1 << 7,
	MAP_UUID_PREFIX	= 1 << 8,
};

/* Longest "aa:bb:..." of a UUID prefix (17 bytes), NUL included. */
#define PREFIX_STR_MAX	(3 * (1 + PXEFAST_UUID_LEN))

struct pxe_map {
	unsigned int has;		/* MAP_* */
	uint16_t arch;
	uint8_t mac[6];
	uint8_t uuid[PXEFAST_UUID_LEN];
	uint8_t mac_prefix[6];		/* mac_plen bytes, 1..5 */
	size_t mac_plen;
	uint8_t uuid_prefix[1 + PXEFAST_UUID_LEN];	/* option 97 bytes, 1..17 */
	size_t uuid_plen;
	uint32_t delay_ms;		/* 0: none */
	char *vendor_class, *user_class;
	uint16_t type, layer;
	char *file;
	uint32_t next_server;		/* network order, 0: default */
	char *bis_file;
	char *label;
	int line;
};

struct pxe_config {
	bool has_generation;
	uint32_t generation;
	struct pxe_tftp tftp;
	struct pxe_dhcp dhcp;
	struct pxe_menu menu;
	int tftp_line, dhcp_line;
	unsigned int ndevs, narchs, nservers, nmaps;
	unsigned int maps_cap;
	struct pxe_dev devs[PXEFAST_MAX_DEVS];
	struct pxe_arch archs[PXEFAST_MAX_ARCHS];
	struct pxe_server servers[PXEFAST_MAX_SERVERS];
	struct pxe_map *maps;
};

struct pxe_config *config_new(void);
void config_free(struct pxe_config *c);
void tftp_default(struct pxe_tftp *t);
void dhcp_default(struct pxe_dhcp *d);
void menu_clear(struct pxe_menu *m);
void map_free(struct pxe_map *m);
struct pxe_map *config_add_map(struct pxe_config *c);
bool map_same_match(const struct pxe_map *a, const struct pxe_map *b);

/* Object argument parsers shared by the verbs and the config file.  They
 * return 0 or -1 with a message in errbuf.
 */
extern char errbuf[512];
int seterr(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int parse_dev_args(int argc, char **argv, struct pxe_dev *d);
const char *xdp_mode_name(uint8_t mode);

/* xdp.c: pxefast's XDP program on this namespace's interfaces */
struct xdp_undo {
	unsigned int n;
	int ifindex[PXEFAST_MAX_DEVS];
};

int xdp_attach_all(const struct pxe_config *c, struct xdp_undo *undo);
void xdp_undo(struct xdp_undo *undo);
void xdp_prune(const struct pxe_config *c);
uint8_t xdp_attached_mode(const char *ifname);
bool xdp_mode_parse(const char *s, uint8_t *mode);
int parse_tftp_args(int argc, char **argv, struct pxe_tftp *t);
int parse_dhcp_args(int argc, char **argv, struct pxe_dhcp *d);
int parse_server_args(int argc, char **argv, struct pxe_server *s);
int parse_map_args(int argc, char **argv, struct pxe_map *m);
int parse_menu_args(int argc, char **argv, struct pxe_menu *m);

/* ---- value parsing and formatting (util.c) --------------------------- */
int hexval(char c);
int parse_u32(const char *s, uint32_t min, uint32_t max, uint32_t *v,
	      const char *what);
int parse_bool(const char *s, bool *v, const char *what);
int parse_ipv4(const char *s, uint32_t *addr, const char *what);
int parse_ipv6(const char *s, uint8_t addr[16], const char *what);
int parse_mac(const char *s, uint8_t mac[6]);
int parse_uuid(const char *s, uint8_t uuid[PXEFAST_UUID_LEN]);
int parse_discovery(const char *s, uint8_t *v);
int parse_bytes(const char *s, uint8_t *out, size_t min, size_t max,
		size_t *len, const char *what);
const char *fmt_bytes(const uint8_t *b, size_t n, char *buf);
const char *fmt_ipv4(uint32_t addr, char buf[16]);
const char *fmt_ipv6(const uint8_t addr[16], char buf[46]);
bool ipv6_set(const uint8_t addr[16]);
const char *fmt_mac(const uint8_t mac[6], char buf[18]);
const char *fmt_uuid(const uint8_t uuid[16], char buf[37]);
const char *discovery_flag_name(int bit);
const char *fmt_discovery(uint8_t v, char *buf, size_t len);
int set_str(char **dst, const char *s, size_t max, const char *what);
bool is_http_url(const char *s);
void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t m);
char *xstrdup(const char *s);

/* ---- architectures (arch.c) ----------------------------------------- */
const char *arch_name(uint16_t code);		/* NULL when unknown */
int parse_arch(const char *s, uint16_t *code);
void arch_list(FILE *f);

/* ---- config file (conffile.c) ---------------------------------------- */
/* Split one line into words; returns the count or -1 (errbuf set). */
int tokenize(char *line, char **argv, int max);
/* Parse a whole file into @c (fresh from config_new()); on error sets
 * conf_errline and errbuf, prints "NAME:LINE: msg" to stderr when @name is
 * not NULL and returns -1.
 */
extern int conf_errline;
int conf_parse(FILE *f, const char *name, struct pxe_config *c);
int conf_parse_line(char *line, int lineno, struct pxe_config *c);
int conf_print(FILE *f, const struct pxe_config *c);
void print_word(FILE *f, const char *s);

/* ---- JSON output (json.c) -------------------------------------------- */
void json_open(FILE *f, const char *key, char type);	/* type '{' or '[' */
void json_close(FILE *f);
void json_str(FILE *f, const char *key, const char *v);
void json_u64(FILE *f, const char *key, uint64_t v);
void json_bool(FILE *f, const char *key, bool v);
void json_end(FILE *f);				/* newline after the top */

/* ---- field tables (fields.c) ------------------------------------------ */
enum field_kind {
	F_U16, F_U32, F_U64,
	F_INET,		/* be32 IPv4 address, or a 16-byte IPv6 one */
	F_MAC,		/* 6 bytes */
	F_STR,
	F_ARCH,		/* u16 code; text "7 (uefi-x64)", JSON adds arch_name */
	F_IFINDEX,	/* u32; text the interface name, JSON adds dev */
	F_MS,		/* u64 milliseconds; text "12ms" */
	F_AGE,		/* u64 milliseconds; text "1.5s" */
};

/* One attribute of a nest, printed the same way by every renderer. */
struct field {
	int attr;		/* attribute type in the nest */
	const char *key;	/* JSON member name */
	const char *label;	/* text: word before the value, or column head */
	enum field_kind kind;
	int width;		/* text columns: right-aligned width */
};

struct nlattr;
/* JSON members (inside an open object) for the attributes of @tb present. */
void fields_json(FILE *f, const struct field *tab, size_t n, struct nlattr **tb);
/* " label value" for the attributes present, on one line. */
void fields_text_inline(FILE *f, const struct field *tab, size_t n,
			struct nlattr **tb);
/* A table: the header line, then one row per nest (last column free). */
void fields_text_header(FILE *f, const struct field *tab, size_t n);
void fields_text_row(FILE *f, const struct field *tab, size_t n,
		     struct nlattr **tb);

/* ---- netlink (nl.c) --------------------------------------------------- */
struct nl_sock;
struct nl_msg;
struct nlattr;

/* Ranges of a SET_CONFIG message and the config-file lines they came from,
 * to map an extack offset back to a line.
 */
struct enc_range {
	uint32_t start, end;
	int line;
	const char *what;
};

struct enc_map {
	struct enc_range *r;
	size_t n, cap;
};

struct nl_ctx {
	struct nl_sock *sk;
	int family;
	/* the last error reported by the kernel */
	int err;
	char msg[256];
	bool has_offs;
	uint32_t offs;
	/* warnings of an accepted SET_CONFIG (PXEFAST_A_WARNING) */
	unsigned int nwarn;
	struct {
		char msg[256];
		bool has_offs;
		uint32_t offs;
	} warn[PXEFAST_MAX_WARNINGS];
};

/* Enter network namespace NAME (/run/netns/NAME, or a path); -1 after a
 * message.
 */
int enter_netns(const char *name);
int ctl_open(struct nl_ctx *ctx, const char *netns);
void ctl_close(struct nl_ctx *ctx);
typedef int (*msg_handler)(struct nl_msg *msg, void *arg);
/* Send @msg (consumed), receive replies with @h until the ack/done.
 * Returns 0 or a negative errno; -EAGAIN when a dump was interrupted
 * (NLM_F_DUMP_INTR: its list changed meanwhile, so it may repeat or miss
 * entries).
 */
int ctl_transact(struct nl_ctx *ctx, struct nl_msg *msg, msg_handler h,
		void *arg);
struct nl_msg *ctl_msg(struct nl_ctx *ctx, int cmd, int flags, size_t size);
void ctl_error(const struct nl_ctx *ctx, const char *what);
int ctl_subscribe(struct nl_ctx *ctx, const char *group);
int ctl_monitor(struct nl_ctx *ctx, msg_handler h, void *arg);

/* ---- config over netlink (config.c) ----------------------------------- */
/* Dump the running configuration; returns 0 or a negative errno. */
int config_get(struct nl_ctx *ctx, struct pxe_config **out);
enum {
	SET_CAS		= 1 << 0,	/* PXEFAST_A_GENERATION = c->generation */
	SET_DRY_RUN	= 1 << 1,	/* PXEFAST_A_DRY_RUN: check, apply nothing */
};
/* Send @c whole, with SET_* @flags.  Fills @em (when not NULL) with the
 * message's object ranges.
 */
int config_set(struct nl_ctx *ctx, const struct pxe_config *c,
	       unsigned int flags, struct enc_map *em, uint32_t *new_gen);
const struct enc_range *enc_map_find(const struct enc_map *em, uint32_t offs);
/* Print the warnings of the last config_set() as "FILE:LINE: warning: ..."
 * (or "pxectl: warning: ..." without a file or line).
 */
void report_set_warnings(const struct nl_ctx *ctx, const struct enc_map *em,
			 const char *file);
void enc_map_free(struct enc_map *em);

/* ---- counters (stats.c reads them, stats_fmt.c prints them) ---------- */
struct arch_stat {
	uint16_t code;
	uint64_t requests, answers;
};

struct stats {
	bool has[__PXEFAST_STAT_MAX];
	uint64_t c[__PXEFAST_STAT_MAX];
	unsigned int narch;
	struct arch_stat arch[1024];
};

void stats_print_text(FILE *f, const struct stats *st);
void stats_print_json(FILE *f, const struct stats *st);
/* The Prometheus text exposition format (node_exporter's textfile
 * collector); every sample gets netns="@netns" when @netns is not NULL.
 */
void stats_print_prometheus(FILE *f, const struct stats *st, const char *netns);

/* ---- output (show.c, stats.c, sessions.c, monitor.c) ---------------- */
extern bool json;
int cmd_show(struct nl_ctx *ctx, int argc, char **argv);
int cmd_showconf(struct nl_ctx *ctx, int argc, char **argv);
int cmd_stats(struct nl_ctx *ctx, int argc, char **argv);
int cmd_xdp_list(struct nl_ctx *ctx, int argc, char **argv);
int cmd_xdp_unload(struct nl_ctx *ctx, int argc, char **argv);
int cmd_sessions(struct nl_ctx *ctx, int argc, char **argv);
int cmd_monitor(struct nl_ctx *ctx, int argc, char **argv);

/* ---- change verbs (set.c) --------------------------------------------- */
/* What a change verb does to the configuration it read. */
enum edit_op {
	DEV_ADD, DEV_DEL, TFTP_SET, DHCP_SET, ARCH_ENABLE, ARCH_DISABLE,
	SERVER_ADD, SERVER_REPLACE, SERVER_DEL, MAP_ADD, MAP_REPLACE, MAP_DEL,
	MENU_SET, MENU_ITEM_ADD, MENU_ITEM_DEL, MENU_CLEAR,
};

int cmd_setconf(struct nl_ctx *ctx, int argc, char **argv);
/* A change verb (current_verb->op) with the arguments after its words. */
int cmd_change(struct nl_ctx *ctx, int argc, char **argv);
int cmd_arch_list(struct nl_ctx *ctx, int argc, char **argv);

/* ---- the verb table (verbs.c) ------------------------------------------- */
enum { VERB_JSON = 1 << 0 };	/* takes -j */

struct verb {
	const char *words;		/* "map add" */
	const char *args;		/* usage of what follows the words */
	const char *help;		/* one line for -h */
	int (*run)(struct nl_ctx *ctx, int argc, char **argv);
	int op;				/* enum edit_op, for cmd_change */
	unsigned int flags;		/* VERB_* */
};

/* The verb being run; its handler reads op and prints usage from it. */
extern const struct verb *current_verb;
/* Find the verb @argv starts with and run it with the words after it. */
int verb_run(struct nl_ctx *ctx, int argc, char **argv);
/* Print the current verb's usage (and its siblings') to stderr; returns 1. */
int verb_usage_err(void);
void usage(FILE *f);
int cmd_help(struct nl_ctx *ctx, int argc, char **argv);

#endif
