// SPDX-License-Identifier: GPL-2.0
/*
 * XDP_PASS for the client side of a veth pair: veth delivers the server's
 * native XDP_TX frames to its peer only while the peer has an XDP program
 * (its NAPI instance), see xdp.sh.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

SEC("xdp")
int xdp_pass(struct xdp_md *ctx)
{
	return XDP_PASS;
}

char _license[] SEC("license") = "GPL";
