// SPDX-License-Identifier: GPL-2.0
/*
 * pxectl: attach and detach pxefast's XDP program (libbpf).
 *
 * The program (pxefast_xdp.bpf.o) only calls the module's kfunc; the
 * module decides per interface, from the configuration, whether to answer
 * there.  pxectl attaches it through netlink (bpf_xdp_attach()), so the
 * interface owns it: nothing is pinned, and an interface that goes away
 * with its namespace takes the program with it.  Before a configuration
 * is set, every interface it puts in XDP mode gets the program in that
 * mode; after it is set, the program is detached from every interface of
 * the namespace that it no longer puts in XDP mode.  A program of pxefast
 * is known by its name, PXEFAST_XDP_PROG.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <net/if.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/if_link.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "pxectl.h"

#ifndef PXEFAST_LIBDIR
#define PXEFAST_LIBDIR "/usr/lib/pxefast"
#endif
#define XDP_OBJ_NAME "pxefast_xdp.bpf.o"
#define MODULE_BTF "/sys/kernel/btf/pxefast"

static struct bpf_object *xdp_obj;
static int xdp_fd = -1;
static char kernel_msg[256];	/* the last attach's extack message */

/* Keep the kernel's extack message that libbpf logs; stay quiet otherwise. */
static int libbpf_log(enum libbpf_print_level level, const char *fmt,
		      va_list ap)
{
	static const char tag[] = "Kernel error message: ";
	char line[512];
	const char *m;

	if (level != LIBBPF_WARN)
		return 0;
	vsnprintf(line, sizeof(line), fmt, ap);
	m = strstr(line, tag);
	if (m) {
		snprintf(kernel_msg, sizeof(kernel_msg), "%s", m + strlen(tag));
		kernel_msg[strcspn(kernel_msg, "\n")] = 0;
	} else if (getenv("PXECTL_DEBUG")) {
		fputs(line, stderr);
	}
	return 0;
}

/* PXEFAST_XDP_OBJ, else beside pxectl (a build tree), else installed. */
static const char *xdp_obj_path(char *buf, size_t size)
{
	const char *env = getenv("PXEFAST_XDP_OBJ");
	char exe[PATH_MAX];
	ssize_t n;
	char *slash;

	if (env)
		return env;
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n > 0) {
		exe[n] = 0;
		slash = strrchr(exe, '/');
		if (slash) {
			*slash = 0;
			if (snprintf(buf, size, "%s/" XDP_OBJ_NAME, exe) <
			    (int)size && !access(buf, R_OK))
				return buf;
		}
	}
	return PXEFAST_LIBDIR "/" XDP_OBJ_NAME;
}

static int xdp_err(const char *ifname, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static int xdp_err(const char *ifname, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "pxectl: error: %s: ", ifname);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return -1;
}

/* Load the program once per run; it stays loaded while attached. */
static int xdp_prog_load(const char *ifname)
{
	struct bpf_program *prog;
	char buf[PATH_MAX];
	const char *path;
	int err;

	if (xdp_fd >= 0)
		return xdp_fd;
	if (access(MODULE_BTF, F_OK))
		return xdp_err(ifname, "XDP mode needs the pxefast module with BTF, "
			       "and there is no " MODULE_BTF ": %s",
			       access("/sys/module/pxefast", F_OK) ?
			       "the module is not loaded" :
			       "the module was built without module BTF, or for "
			       "another build of this kernel (rebuild it; the "
			       "netfilter mode works without)");
	libbpf_set_print(libbpf_log);
	path = xdp_obj_path(buf, sizeof(buf));
	xdp_obj = bpf_object__open_file(path, NULL);
	if (!xdp_obj)
		return xdp_err(ifname, "cannot open the XDP program %s: %s",
			       path, strerror(errno));
	err = bpf_object__load(xdp_obj);
	prog = bpf_object__find_program_by_name(xdp_obj, PXEFAST_XDP_PROG);
	if (err || !prog) {
		bpf_object__close(xdp_obj);
		xdp_obj = NULL;
		return xdp_err(ifname, "cannot load the XDP program %s: %s "
			       "(PXECTL_DEBUG=1 shows libbpf's log)", path,
			       strerror(err ? -err : ENOENT));
	}
	xdp_fd = bpf_program__fd(prog);
	return xdp_fd;
}

/* Is program @id pxefast's?  Its name says so. */
static bool xdp_is_ours(uint32_t id)
{
	struct bpf_prog_info info;
	uint32_t len = sizeof(info);
	bool ours;
	int fd;

	fd = bpf_prog_get_fd_by_id(id);
	if (fd < 0)
		return false;
	memset(&info, 0, sizeof(info));
	ours = !bpf_obj_get_info_by_fd(fd, &info, &len) &&
	       info.type == BPF_PROG_TYPE_XDP &&
	       !strcmp(info.name, PXEFAST_XDP_PROG);
	close(fd);
	return ours;
}

static int xdp_query(int ifindex, struct bpf_xdp_query_opts *q)
{
	memset(q, 0, sizeof(*q));
	q->sz = sizeof(*q);
	return bpf_xdp_query(ifindex, 0, q);
}

static const char *xdp_flag_mode(uint32_t flags)
{
	return flags & XDP_FLAGS_DRV_MODE ? "native" :
	       flags & XDP_FLAGS_HW_MODE ? "offloaded" : "generic";
}

/* Detach whatever of ours is attached to @ifindex. */
static void xdp_detach_ours(int ifindex, const struct bpf_xdp_query_opts *q)
{
	if (q->drv_prog_id && xdp_is_ours(q->drv_prog_id))
		bpf_xdp_detach(ifindex, XDP_FLAGS_DRV_MODE, NULL);
	if (q->skb_prog_id && xdp_is_ours(q->skb_prog_id))
		bpf_xdp_detach(ifindex, XDP_FLAGS_SKB_MODE, NULL);
}

/* Attach in @mode unless ours already is; *attached when this did. */
static int xdp_attach_one(int ifindex, const char *ifname, uint8_t mode,
			  bool *attached)
{
	uint32_t flags = mode == PXEFAST_XDP_NATIVE ? XDP_FLAGS_DRV_MODE :
						      XDP_FLAGS_SKB_MODE;
	struct bpf_xdp_query_opts q;
	uint32_t have;
	int fd, err;

	*attached = false;
	if (xdp_query(ifindex, &q))
		return xdp_err(ifname, "cannot query its XDP programs: %s",
			       strerror(errno));
	have = flags == XDP_FLAGS_DRV_MODE ? q.drv_prog_id : q.skb_prog_id;
	if (have && xdp_is_ours(have) &&
	    !(flags == XDP_FLAGS_DRV_MODE ? q.skb_prog_id : q.drv_prog_id))
		return 0;
	if (q.hw_prog_id)
		return xdp_err(ifname, "it already has an offloaded XDP program "
			       "(id %u): detach it first", q.hw_prog_id);
	if ((q.drv_prog_id && !xdp_is_ours(q.drv_prog_id)) ||
	    (q.skb_prog_id && !xdp_is_ours(q.skb_prog_id)))
		return xdp_err(ifname, "it already has another XDP program "
			       "(id %u, %s mode): detach it first (ip link set "
			       "dev %s xdp off)",
			       q.drv_prog_id ?: q.skb_prog_id,
			       q.drv_prog_id ? "native" : "generic", ifname);
	fd = xdp_prog_load(ifname);
	if (fd < 0)
		return -1;
	/* Generic and native cannot be attached at once: ours changes mode,
	 * and goes back to the old one when the new one is refused.
	 */
	xdp_detach_ours(ifindex, &q);
	kernel_msg[0] = 0;
	err = bpf_xdp_attach(ifindex, fd, flags | XDP_FLAGS_UPDATE_IF_NOEXIST,
			     NULL);
	if (!err) {
		*attached = true;
		return 0;
	}
	err = -err;
	if ((q.drv_prog_id || q.skb_prog_id) &&
	    bpf_xdp_attach(ifindex, fd, q.drv_prog_id ? XDP_FLAGS_DRV_MODE :
			   XDP_FLAGS_SKB_MODE, NULL))
		fprintf(stderr, "pxectl: warning: %s: pxefast's XDP program could "
			"not be put back in %s mode: %s\n", ifname,
			q.drv_prog_id ? "native" : "generic", strerror(errno));
	if (err == EOPNOTSUPP && flags == XDP_FLAGS_DRV_MODE)
		return xdp_err(ifname, "its driver has no native XDP%s%s%s: "
			       "use 'xdp generic'",
			       kernel_msg[0] ? " (kernel: " : "", kernel_msg,
			       kernel_msg[0] ? ")" : "");
	if (strstr(kernel_msg, "MTU"))
		return xdp_err(ifname, "MTU too large for XDP in %s mode "
			       "(kernel: %s): lower the MTU (of the peer, for "
			       "veth)", xdp_flag_mode(flags), kernel_msg);
	if (err == EBUSY || err == EEXIST)
		return xdp_err(ifname, "it already has another XDP program: "
			       "detach it first (ip link set dev %s xdp off)",
			       ifname);
	return xdp_err(ifname, "cannot attach XDP in %s mode: %s%s%s%s",
		       xdp_flag_mode(flags), strerror(err),
		       kernel_msg[0] ? " (kernel: " : "", kernel_msg,
		       kernel_msg[0] ? ")" : "");
}

static int dev_ifindex(const struct pxe_dev *d)
{
	return d->ifindex ? (int)d->ifindex : (int)if_nametoindex(d->name);
}

/**
 * xdp_attach_all - attach the program where @c asks for XDP mode
 * @c: the configuration about to be set
 * @undo: filled with the interfaces this call attached to
 *
 * Return: 0, or -1 after an error message (nothing attached then).
 */
int xdp_attach_all(const struct pxe_config *c, struct xdp_undo *undo)
{
	undo->n = 0;
	for (unsigned int i = 0; i < c->ndevs; i++) {
		const struct pxe_dev *d = &c->devs[i];
		char name[IF_NAMESIZE];
		int ifindex;
		bool attached;

		if (d->xdp == PXEFAST_XDP_OFF)
			continue;
		ifindex = dev_ifindex(d);
		if (!ifindex)
			continue;	/* the kernel names the missing interface */
		if (!d->name[0] && !if_indextoname(ifindex, name))
			snprintf(name, sizeof(name), "ifindex %d", ifindex);
		if (xdp_attach_one(ifindex, d->name[0] ? d->name : name,
				   d->xdp, &attached)) {
			xdp_undo(undo);
			return -1;
		}
		if (attached)
			undo->ifindex[undo->n++] = ifindex;
	}
	return 0;
}

/**
 * xdp_undo - detach what xdp_attach_all() attached
 * @undo: its record
 */
void xdp_undo(struct xdp_undo *undo)
{
	struct bpf_xdp_query_opts q;

	for (unsigned int i = 0; i < undo->n; i++)
		if (!xdp_query(undo->ifindex[i], &q))
			xdp_detach_ours(undo->ifindex[i], &q);
	undo->n = 0;
}

/**
 * xdp_prune - detach the program from interfaces @c does not put in XDP mode
 * @c: the configuration just set (every interface of this namespace is
 *	looked at)
 */
void xdp_prune(const struct pxe_config *c)
{
	struct if_nameindex *ifs = if_nameindex(), *it;

	if (!ifs)
		return;
	for (it = ifs; it->if_index; it++) {
		struct bpf_xdp_query_opts q;
		bool keep = false;

		for (unsigned int i = 0; i < c->ndevs; i++)
			if (c->devs[i].xdp != PXEFAST_XDP_OFF &&
			    dev_ifindex(&c->devs[i]) == (int)it->if_index)
				keep = true;
		if (keep || xdp_query((int)it->if_index, &q) ||
		    !(q.drv_prog_id || q.skb_prog_id))
			continue;
		xdp_detach_ours((int)it->if_index, &q);
	}
	if_freenameindex(ifs);
}

/**
 * xdp_attached_mode - the mode pxefast's program is attached in
 * @ifname: an interface of this namespace
 *
 * Return: PXEFAST_XDP_NATIVE, PXEFAST_XDP_GENERIC, or PXEFAST_XDP_OFF
 * when it is not attached (or the interface is unknown).
 */
uint8_t xdp_attached_mode(const char *ifname)
{
	struct bpf_xdp_query_opts q;
	int ifindex = (int)if_nametoindex(ifname);

	if (!ifindex || xdp_query(ifindex, &q))
		return PXEFAST_XDP_OFF;
	if (q.drv_prog_id && xdp_is_ours(q.drv_prog_id))
		return PXEFAST_XDP_NATIVE;
	if (q.skb_prog_id && xdp_is_ours(q.skb_prog_id))
		return PXEFAST_XDP_GENERIC;
	return PXEFAST_XDP_OFF;
}

/* ---- xdp list, xdp unload ------------------------------------------------ */

/* Print "NETNS IFACE MODE" for each interface of the current namespace
 * with pxefast's program; return how many.
 */
static unsigned int xdp_list_here(FILE *f, const char *ns)
{
	struct if_nameindex *ifs = if_nameindex(), *it;
	unsigned int n = 0;
	uint8_t mode;

	if (!ifs)
		return 0;
	for (it = ifs; it->if_index; it++) {
		mode = xdp_attached_mode(it->if_name);
		if (mode == PXEFAST_XDP_OFF)
			continue;
		fprintf(f, "%s %s %s\n", ns, it->if_name, xdp_mode_name(mode));
		n++;
	}
	if_freenameindex(ifs);
	return n;
}

/*
 * Every interface with pxefast's program, in this namespace ("-") and in
 * each named one (/run/netns); *programs: how many of pxefast's programs
 * the kernel holds, attached or not, in any namespace.
 */
static unsigned int xdp_list_all(FILE *f, unsigned int *programs)
{
	int self = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	unsigned int n = xdp_list_here(f, "-");
	struct dirent *de;
	uint32_t id = 0;
	DIR *d;

	d = opendir("/run/netns");
	while (d && (de = readdir(d))) {
		if (de->d_name[0] == '.' || enter_netns(de->d_name))
			continue;
		n += xdp_list_here(f, de->d_name);
		if (self >= 0)
			setns(self, CLONE_NEWNET);
	}
	if (d)
		closedir(d);
	if (self >= 0)
		close(self);
	*programs = 0;
	while (!bpf_prog_get_next_id(id, &id))
		*programs += xdp_is_ours(id);
	return n;
}

int cmd_xdp_list(struct nl_ctx *ctx, int argc, char **argv)
{
	unsigned int programs, n;

	(void)ctx;
	(void)argv;
	if (argc)
		return verb_usage_err();
	n = xdp_list_all(stdout, &programs);
	if (programs > n)
		printf("(%u more of pxefast's programs: in namespaces without a "
		       "name, or not attached)\n", programs - n);
	return 0;
}

/*
 * modprobe -r pxefast runs this (pxefast's modprobe.d "remove" line): a
 * loaded program that calls the module's kfunc holds the module, and the
 * kernel's refusal ("in use") does not say what to do.
 */
int cmd_xdp_unload(struct nl_ctx *ctx, int argc, char **argv)
{
	char *buf = NULL;
	size_t size = 0;
	unsigned int programs, n;
	FILE *f;

	(void)ctx;
	(void)argv;
	if (argc)
		return verb_usage_err();
	f = open_memstream(&buf, &size);
	if (!f)
		return 1;
	n = xdp_list_all(f, &programs);
	fclose(f);
	if (programs) {
		fprintf(stderr, "pxectl: error: cannot unload pxefast: %u XDP "
			"program(s) of pxefast hold it.  Detach them first: in each "
			"namespace, pxectl [-n NETNS] dev del IFACE, or a setconf "
			"without xdp, or systemctl stop pxefast[@NETNS].\n", programs);
		if (n)
			fprintf(stderr, "Attached (namespace interface mode):\n%s",
				buf);
		free(buf);
		return 1;
	}
	free(buf);
	execl("/sbin/modprobe", "modprobe", "-r", "--ignore-remove", "pxefast",
	      (char *)NULL);
	fprintf(stderr, "pxectl: error: /sbin/modprobe: %s\n", strerror(errno));
	return 1;
}
