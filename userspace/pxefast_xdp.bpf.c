// SPDX-License-Identifier: GPL-2.0
/*
 * pxefast's XDP program: hands every frame to the module's kfunc and
 * returns its verdict.  All parsing and deciding is in the module
 * (kmod/xdp_rx.c), so that one object verifies the same on every kernel.
 * The kfunc may rewrite the frame and move data_end: nothing may touch
 * the packet after the call.  Calling a kfunc requires a GPL program.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

extern int pxefast_xdp_rx(struct xdp_md *ctx) __ksym;

SEC("xdp")
int pxefast_xdp(struct xdp_md *ctx)
{
	return pxefast_xdp_rx(ctx);
}

char _license[] SEC("license") = "GPL";
