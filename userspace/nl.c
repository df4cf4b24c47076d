// SPDX-License-Identifier: GPL-2.0
/*
 * pxectl: the generic netlink socket, requests, replies and the kernel's
 * extended error reports.
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <linux/netlink.h>
#include <netlink/netlink.h>
#include <netlink/genl/genl.h>
#include <netlink/genl/ctrl.h>
#include "pxectl.h"

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif

int enter_netns(const char *name)
{
	char path[4096];
	int fd;

	if (strchr(name, '/'))
		snprintf(path, sizeof(path), "%s", name);
	else
		snprintf(path, sizeof(path), "/var/run/netns/%s", name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		fprintf(stderr, "pxectl: error: cannot open network namespace "
			"\"%s\": %s\n", name, strerror(errno));
		return -1;
	}
	if (setns(fd, CLONE_NEWNET) < 0) {
		fprintf(stderr, "pxectl: error: cannot enter network namespace "
			"\"%s\": %s\n", name, strerror(errno));
		close(fd);
		return -1;
	}
	close(fd);
	return 0;
}

int ctl_open(struct nl_ctx *ctx, const char *netns)
{
	int one = 1, fd, err;

	memset(ctx, 0, sizeof(*ctx));
	if (netns && enter_netns(netns))
		return -1;
	ctx->sk = nl_socket_alloc();
	if (!ctx->sk) {
		fprintf(stderr, "pxectl: error: out of memory\n");
		return -1;
	}
	err = genl_connect(ctx->sk);
	if (err) {
		fprintf(stderr, "pxectl: error: cannot open a generic netlink "
			"socket: %s\n", nl_geterror(err));
		goto fail;
	}
	fd = nl_socket_get_fd(ctx->sk);
	/* Errors carry the kernel's message and the offset of the attribute
	 * at fault, but not a copy of our (perhaps 1 MB) request.
	 */
	setsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	setsockopt(fd, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one));
	nl_socket_enable_msg_peek(ctx->sk);
	nl_socket_set_buffer_size(ctx->sk, 1 << 20, 0);

	ctx->family = genl_ctrl_resolve(ctx->sk, PXEFAST_GENL_NAME);
	if (ctx->family < 0) {
		fprintf(stderr, "pxectl: error: generic netlink family \"%s\" "
			"not found: is the pxefast module loaded?\n",
			PXEFAST_GENL_NAME);
		goto fail;
	}
	return 0;
fail:
	nl_socket_free(ctx->sk);
	ctx->sk = NULL;
	return -1;
}

void ctl_close(struct nl_ctx *ctx)
{
	if (ctx->sk)
		nl_socket_free(ctx->sk);
	ctx->sk = NULL;
}

struct nl_msg *ctl_msg(struct nl_ctx *ctx, int cmd, int flags, size_t size)
{
	struct nl_msg *msg = size ? nlmsg_alloc_size(size) : nlmsg_alloc();

	if (!msg)
		return NULL;
	if (!genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, ctx->family, 0, flags,
			 cmd, PXEFAST_GENL_VERSION)) {
		nlmsg_free(msg);
		return NULL;
	}
	return msg;
}

struct transact {
	struct nl_ctx *ctx;
	msg_handler h;
	void *arg;
	bool done;
	bool interrupted;	/* a dump message had NLM_F_DUMP_INTR */
};

/* A private copy of the socket's callbacks (nl_socket_get_cb() takes a
 * reference of its own, dropped here).
 */
static struct nl_cb *clone_cb(struct nl_sock *sk)
{
	struct nl_cb *orig = nl_socket_get_cb(sk), *cb;

	cb = nl_cb_clone(orig);
	nl_cb_put(orig);
	return cb;
}

static int on_valid(struct nl_msg *msg, void *arg)
{
	struct transact *t = arg;

	return t->h ? t->h(msg, t->arg) : NL_OK;
}

static int on_done(struct nl_msg *msg, void *arg)
{
	struct transact *t = arg;

	(void)msg;
	t->done = true;
	return NL_STOP;
}

/* The kernel saw its list change during the dump: read on, then report. */
static int on_dump_intr(struct nl_msg *msg, void *arg)
{
	struct transact *t = arg;

	(void)msg;
	t->interrupted = true;
	return NL_OK;
}

static int on_error(struct sockaddr_nl *nla, struct nlmsgerr *e, void *arg)
{
	struct transact *t = arg;
	struct nl_ctx *ctx = t->ctx;
	struct nlmsghdr *nlh = (struct nlmsghdr *)((char *)e - NLMSG_HDRLEN);
	size_t hlen = NLMSG_HDRLEN + sizeof(*e);
	struct nlattr *tb[NLMSGERR_ATTR_MAX + 1];

	(void)nla;
	t->done = true;
	ctx->err = -e->error;
	if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
		hlen += e->msg.nlmsg_len - NLMSG_HDRLEN;
	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS) || nlh->nlmsg_len <= hlen)
		return NL_STOP;
	if (nla_parse(tb, NLMSGERR_ATTR_MAX, (struct nlattr *)((char *)nlh + hlen),
		      (int)(nlh->nlmsg_len - hlen), NULL))
		return NL_STOP;
	if (tb[NLMSGERR_ATTR_MSG])
		snprintf(ctx->msg, sizeof(ctx->msg), "%.*s",
			 nla_len(tb[NLMSGERR_ATTR_MSG]),
			 (char *)nla_data(tb[NLMSGERR_ATTR_MSG]));
	if (tb[NLMSGERR_ATTR_OFFS]) {
		ctx->has_offs = true;
		ctx->offs = nla_get_u32(tb[NLMSGERR_ATTR_OFFS]);
	}
	return NL_STOP;
}

/* Make room in the socket's send buffer for a message of @len bytes. */
static void grow_sndbuf(struct nl_ctx *ctx, size_t len)
{
	int fd = nl_socket_get_fd(ctx->sk), size;

	if (len < 32768 || len > INT32_MAX / 2)
		return;
	size = (int)len + 65536;
	nl_socket_set_buffer_size(ctx->sk, 1 << 20, size);
	/* SO_SNDBUF stops at net.core.wmem_max; CAP_NET_ADMIN may go beyond. */
	setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &size, sizeof(size));
}

int ctl_transact(struct nl_ctx *ctx, struct nl_msg *msg, msg_handler h,
		void *arg)
{
	struct transact t = { .ctx = ctx, .h = h, .arg = arg };
	struct nl_cb *cb;
	int err;

	ctx->err = 0;
	ctx->msg[0] = 0;
	ctx->has_offs = false;
	grow_sndbuf(ctx, nlmsg_hdr(msg)->nlmsg_len);
	err = nl_send_auto(ctx->sk, msg);
	if (err < 0) {
		ctx->err = err == -NLE_MSGSIZE ? EMSGSIZE :
			   err == -NLE_NOMEM ? ENOMEM :
			   err == -NLE_PERM ? EPERM : EIO;
		if (ctx->err == EMSGSIZE)
			snprintf(ctx->msg, sizeof(ctx->msg), "request of %u bytes "
				 "too large for the socket send buffer (raise "
				 "net.core.wmem_max or run with CAP_NET_ADMIN)",
				 nlmsg_hdr(msg)->nlmsg_len);
		else
			snprintf(ctx->msg, sizeof(ctx->msg),
				 "cannot send the request: %s", nl_geterror(err));
		nlmsg_free(msg);
		return -ctx->err;
	}
	nlmsg_free(msg);
	cb = clone_cb(ctx->sk);
	if (!cb)
		return -ENOMEM;
	nl_cb_set(cb, NL_CB_VALID, NL_CB_CUSTOM, on_valid, &t);
	nl_cb_set(cb, NL_CB_FINISH, NL_CB_CUSTOM, on_done, &t);
	nl_cb_set(cb, NL_CB_ACK, NL_CB_CUSTOM, on_done, &t);
	nl_cb_set(cb, NL_CB_DUMP_INTR, NL_CB_CUSTOM, on_dump_intr, &t);
	nl_cb_err(cb, NL_CB_CUSTOM, on_error, &t);
	while (!t.done) {
		err = nl_recvmsgs(ctx->sk, cb);
		if (err < 0 && !ctx->err) {
			ctx->err = err == -NLE_NOMEM ? ENOBUFS : EIO;
			snprintf(ctx->msg, sizeof(ctx->msg),
				 "cannot receive the reply: %s", nl_geterror(err));
			break;
		}
		if (err < 0)
			break;
	}
	nl_cb_put(cb);
	if (!ctx->err && t.interrupted) {
		ctx->err = EAGAIN;
		snprintf(ctx->msg, sizeof(ctx->msg),
			 "the list changed while it was being read");
	}
	return -ctx->err;
}

void ctl_error(const struct nl_ctx *ctx, const char *what)
{
	if (ctx->msg[0])
		fprintf(stderr, "pxectl: error: %s\n", ctx->msg);
	else if (ctx->err == EPERM)
		fprintf(stderr, "pxectl: error: %s: %s (are you root?)\n", what,
			strerror(ctx->err));
	else
		fprintf(stderr, "pxectl: error: %s: %s\n", what,
			strerror(ctx->err));
}

int ctl_subscribe(struct nl_ctx *ctx, const char *group)
{
	int grp = genl_ctrl_resolve_grp(ctx->sk, PXEFAST_GENL_NAME, group);
	int err;

	if (grp < 0) {
		fprintf(stderr, "pxectl: error: multicast group \"%s\" not "
			"found: %s\n", group, nl_geterror(grp));
		return -1;
	}
	err = nl_socket_add_membership(ctx->sk, grp);
	if (err < 0) {
		fprintf(stderr, "pxectl: error: cannot join group \"%s\": %s\n",
			group, nl_geterror(err));
		return -1;
	}
	nl_socket_disable_seq_check(ctx->sk);
	return 0;
}

int ctl_monitor(struct nl_ctx *ctx, msg_handler h, void *arg)
{
	struct nl_cb *cb = clone_cb(ctx->sk);
	int err;

	if (!cb)
		return -1;
	nl_cb_set(cb, NL_CB_VALID, NL_CB_CUSTOM, h, arg);
	for (;;) {
		err = nl_recvmsgs(ctx->sk, cb);
		if (err == -NLE_NOMEM) {
			fprintf(stderr, "pxectl: warning: events lost "
				"(receive buffer overrun)\n");
			continue;
		}
		if (err < 0 && err != -NLE_INTR && err != -NLE_AGAIN) {
			fprintf(stderr, "pxectl: error: %s\n", nl_geterror(err));
			break;
		}
	}
	nl_cb_put(cb);
	return -1;
}
