// SPDX-License-Identifier: GPL-2.0
/*
 * TFTP packets without sk_buffs: parse a read request and its options,
 * build OACK and ERROR packets, map a client's file name to a path below
 * the root.
 */

#include <linux/kernel.h>
#include <linux/string.h>
#include "compat.h"
#include "tftp.h"

/* The NUL-terminated string at @p within @end, or NULL. */
static const char *tftp_str(const u8 *p, const u8 *end, unsigned int *len)
{
	const u8 *nul = memchr(p, 0, end - p);

	if (!nul)
		return NULL;
	*len = nul - p;
	return (const char *)p;
}

static bool tftp_num(const char *s, unsigned int len, u32 max, u32 *val)
{
	u64 v = 0;
	unsigned int i;

	if (!len || len > 10)
		return false;
	for (i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		v = v * 10 + (s[i] - '0');
	}
	if (v > max)
		return false;
	*val = v;
	return true;
}

static bool tftp_is(const char *s, unsigned int len, const char *word)
{
	return len == strlen(word) && !strncasecmp(s, word, len);
}

static int tftp_bad(u16 *code, const char **why, u16 c, const char *w)
{
	*code = c;
	*why = w;
	return -EINVAL;
}

/**
 * pxefast_tftp_parse_rrq - parse a read request
 * @p: the packet, opcode included
 * @len: its length
 * @req: filled in
 * @code: set to the TFTP error code of a refusal
 * @why: set to the reason of a refusal
 *
 * Return: 0, or -EINVAL with *@code and *@why set to the TFTP error to
 * answer with.  Unknown options and options with values out of range are
 * ignored (RFC 2347), as are the repeats of an option.
 */
int pxefast_tftp_parse_rrq(const u8 *p, unsigned int len,
			   struct pxefast_tftp_req *req, u16 *code,
			   const char **why)
{
	struct pxefast_tftp_opts *o = &req->opts;
	const u8 *end = p + len;
	const char *mode, *name, *val;
	unsigned int mode_len, name_len, val_len;
	u32 v;

	memset(req, 0, sizeof(*req));
	if (len < TFTP_HDR_LEN)
		return tftp_bad(code, why, TFTP_EBADOP, "malformed request");
	p += 2;
	req->file = tftp_str(p, end, &req->file_len);
	if (!req->file)
		return tftp_bad(code, why, TFTP_EBADOP, "malformed request");
	p += req->file_len + 1;
	mode = p < end ? tftp_str(p, end, &mode_len) : NULL;
	if (!mode)
		return tftp_bad(code, why, TFTP_EBADOP, "malformed request");
	p += mode_len + 1;

	if (tftp_is(mode, mode_len, "netascii"))
		return tftp_bad(code, why, TFTP_EUNDEF,
				"netascii mode is not supported, use octet (binary)");
	if (!tftp_is(mode, mode_len, "octet"))
		return tftp_bad(code, why, TFTP_EBADOP, "unknown transfer mode");
	if (!req->file_len)
		return tftp_bad(code, why, TFTP_ENOTFOUND, "empty file name");
	if (req->file_len >= PXEFAST_PATH_MAX)
		return tftp_bad(code, why, TFTP_EACCESS, "file name too long");

	while (p < end) {
		name = tftp_str(p, end, &name_len);
		if (!name)
			break;		/* trailing garbage: ignore options */
		p += name_len + 1;
		if (p >= end)
			break;
		val = tftp_str(p, end, &val_len);
		if (!val)
			break;
		p += val_len + 1;

		if (tftp_is(name, name_len, "blksize")) {
			if (!o->blksize &&
			    tftp_num(val, val_len, U32_MAX, &v) &&
			    v >= TFTP_BLKSIZE_MIN)
				o->blksize = min_t(u32, v, TFTP_BLKSIZE_MAX);
		} else if (tftp_is(name, name_len, "windowsize")) {
			if (!o->window &&
			    tftp_num(val, val_len, U32_MAX, &v) && v >= 1)
				o->window = min_t(u32, v, TFTP_WINDOW_MAX);
		} else if (tftp_is(name, name_len, "timeout")) {
			if (!o->timeout &&
			    tftp_num(val, val_len, 255, &v) && v >= 1)
				o->timeout = v;
		} else if (tftp_is(name, name_len, "tsize")) {
			/* In a read request the value is 0 (RFC 2349). */
			if (tftp_num(val, val_len, U32_MAX, &v))
				o->tsize = true;
		}
	}
	return 0;
}

/**
 * pxefast_tftp_build_error - build an ERROR packet (RFC 1350 section 5)
 * @buf: where to build it
 * @size: @buf's size in bytes, at least TFTP_HDR_LEN + 1
 * @code: the TFTP error code
 * @msg: the message, cut to fit
 *
 * Any context.
 *
 * Return: the packet's length in bytes.
 */
unsigned int pxefast_tftp_build_error(u8 *buf, unsigned int size, u16 code,
				      const char *msg)
{
	unsigned int n = strnlen(msg, size - TFTP_HDR_LEN - 1);

	put_unaligned_be16(TFTP_ERROR, buf);
	put_unaligned_be16(code, buf + 2);
	memcpy(buf + TFTP_HDR_LEN, msg, n);
	buf[TFTP_HDR_LEN + n] = 0;
	return TFTP_HDR_LEN + n + 1;
}

static unsigned int tftp_put_opt(u8 *buf, unsigned int pos, unsigned int size,
				 const char *name, u64 val)
{
	int n = snprintf((char *)buf + pos, size - pos, "%s%c%llu", name, 0,
			 val);

	if (n < 0 || pos + n + 1 > size)
		return pos;
	return pos + n + 1;
}

/**
 * pxefast_tftp_build_oack - build an OACK (RFC 2347) naming the granted options
 * @buf: where to build it
 * @size: @buf's size in bytes
 * @blksize: the granted block size in bytes (RFC 2348), 0: not granted
 * @window: the granted window size in blocks (RFC 7440), 0: not granted
 * @timeout: the granted timeout in seconds (RFC 2349), 0: not granted
 * @tsize: whether to answer the transfer size option (RFC 2349)
 * @file_size: the file's size in bytes, for tsize
 *
 * Only options the client sent are named.  Any context.
 *
 * Return: the packet's length in bytes.
 */
unsigned int pxefast_tftp_build_oack(u8 *buf, unsigned int size,
				     u16 blksize, u16 window, u8 timeout,
				     bool tsize, u64 file_size)
{
	unsigned int pos = 2;

	put_unaligned_be16(TFTP_OACK, buf);
	if (blksize)
		pos = tftp_put_opt(buf, pos, size, "blksize", blksize);
	if (tsize)
		pos = tftp_put_opt(buf, pos, size, "tsize", file_size);
	if (timeout)
		pos = tftp_put_opt(buf, pos, size, "timeout", timeout);
	if (window)
		pos = tftp_put_opt(buf, pos, size, "windowsize", window);
	return pos;
}

/**
 * pxefast_tftp_map_name - turn a client's file name into a relative path
 * @name: NUL-terminated, rewritten in place
 *
 * PXE firmware and Windows-derived loaders send backslashes; they become
 * slashes.  Leading slashes are dropped: "/pxelinux.0" is the file
 * pxelinux.0 in the TFTP root, as tftp-hpa's "-s" and dnsmasq do.  The
 * lookup itself refuses every way out of the root.
 *
 * Return: 0, or -EINVAL when nothing is left.
 */
int pxefast_tftp_map_name(char *name)
{
	char *p, *s = name;

	for (p = name; *p; p++)
		if (*p == '\\')
			*p = '/';
	while (*s == '/')
		s++;
	if (!*s)
		return -EINVAL;
	if (s != name)
		memmove(name, s, strlen(s) + 1);
	return 0;
}

/**
 * pxefast_tftp_name_check - whether a boot file name can be served
 * @name: a mapping's file or BIS file, as the client will ask for it
 *
 * Applies the rules of pxefast_tftp_map_name() (backslashes separate, a
 * leading slash is the root) and follows the name's ".." components: a
 * name that climbs above the root would be refused at every boot, so the
 * configuration naming it is refused at once.  URLs (with "://") are
 * not TFTP names and pass.  Any context.
 *
 * Return: 0, -EACCES when @name climbs above the root, -ENOENT when it
 * names nothing beneath it (empty, only separators and dots).
 */
int pxefast_tftp_name_check(const char *name)
{
	const char *p = name;
	int depth = 0;
	bool any = false;

	if (strstr(name, "://"))
		return 0;
	while (*p) {
		size_t len;

		p += strspn(p, "/\\");
		len = strcspn(p, "/\\");
		if (!len)
			break;
		if (len == 2 && p[0] == '.' && p[1] == '.') {
			if (--depth < 0)
				return -EACCES;
		} else if (len != 1 || p[0] != '.') {
			depth++;
			any = true;
		}
		p += len;
	}
	return any ? 0 : -ENOENT;
}
