// SPDX-License-Identifier: GPL-2.0
/*
 * pxectl: print netlink attributes described by a field table, as JSON
 * members or as text.  "monitor" and "sessions" each name their fields
 * once, in a table; these two renderers write every field of it.
 */
#include <inttypes.h>
#include <string.h>
#include <arpa/inet.h>
#include <net/if.h>
#include <netlink/netlink.h>
#include <netlink/attr.h>
#include "pxectl.h"

static uint64_t field_num(const struct nlattr *a, enum field_kind kind)
{
	uint64_t v = 0;

	switch (kind) {
	case F_U16:
	case F_ARCH:
		return nla_len(a) >= 2 ? nla_get_u16((struct nlattr *)a) : 0;
	case F_U32:
	case F_IFINDEX:
		return nla_len(a) >= 4 ? nla_get_u32((struct nlattr *)a) : 0;
	default:
		if (nla_len(a) >= 8)
			memcpy(&v, nla_data(a), 8);
		return v;
	}
}

/* Whether @a carries a value of @kind (length checked). */
static bool field_ok(const struct nlattr *a, enum field_kind kind)
{
	switch (kind) {
	case F_INET:
		return nla_len(a) == 4 || nla_len(a) == 16;
	case F_MAC:
		return nla_len(a) == 6;
	case F_STR:
		return true;
	case F_U16:
	case F_ARCH:
		return nla_len(a) >= 2;
	case F_U32:
	case F_IFINDEX:
		return nla_len(a) >= 4;
	default:
		return nla_len(a) >= 8;
	}
}

/*
 * The text form of @a in @buf: "%u", "1.2.3.4", "7 (uefi-x64)", "12ms",
 * "1.5s", an interface name...  Strings are returned as they are (the
 * caller quotes them with print_word()).
 */
static const char *field_text(const struct field *fd, const struct nlattr *a,
			      char *buf, size_t len)
{
	uint64_t v = field_num(a, fd->kind);
	const char *n;

	switch (fd->kind) {
	case F_INET:
		if (nla_len(a) == 16)
			return inet_ntop(AF_INET6, nla_data(a), buf, len);
		return fmt_ipv4(nla_get_u32((struct nlattr *)a), buf);
	case F_MAC:
		return fmt_mac(nla_data(a), buf);
	case F_STR:
		snprintf(buf, len, "%.*s", nla_len(a), (const char *)nla_data(a));
		return buf;
	case F_ARCH:
		n = arch_name((uint16_t)v);
		if (n)
			snprintf(buf, len, "%" PRIu64 " (%s)", v, n);
		else
			snprintf(buf, len, "%" PRIu64, v);
		return buf;
	case F_IFINDEX:
		if (!if_indextoname((unsigned int)v, buf))
			snprintf(buf, len, "ifindex %" PRIu64, v);
		return buf;
	case F_MS:
		snprintf(buf, len, "%" PRIu64 "ms", v);
		return buf;
	case F_AGE:
		snprintf(buf, len, "%.1fs", (double)v / 1000.0);
		return buf;
	default:
		snprintf(buf, len, "%" PRIu64, v);
		return buf;
	}
}

void fields_json(FILE *f, const struct field *tab, size_t n, struct nlattr **tb)
{
	char buf[PXEFAST_PATH_MAX];

	for (size_t i = 0; i < n; i++) {
		const struct field *fd = &tab[i];
		const struct nlattr *a = tb[fd->attr];
		uint64_t v;

		if (!a || !field_ok(a, fd->kind))
			continue;
		v = field_num(a, fd->kind);
		switch (fd->kind) {
		case F_INET:
		case F_MAC:
		case F_STR:
			json_str(f, fd->key, field_text(fd, a, buf, sizeof(buf)));
			break;
		case F_ARCH:
			json_u64(f, fd->key, v);
			if (arch_name((uint16_t)v))
				json_str(f, "arch_name", arch_name((uint16_t)v));
			break;
		case F_IFINDEX:
			json_u64(f, fd->key, v);
			if (if_indextoname((unsigned int)v, buf))
				json_str(f, "dev", buf);
			break;
		default:
			json_u64(f, fd->key, v);
			break;
		}
	}
}

void fields_text_inline(FILE *f, const struct field *tab, size_t n,
			struct nlattr **tb)
{
	char buf[PXEFAST_PATH_MAX];

	for (size_t i = 0; i < n; i++) {
		const struct field *fd = &tab[i];
		const struct nlattr *a = tb[fd->attr];

		if (!a || !field_ok(a, fd->kind))
			continue;
		field_text(fd, a, buf, sizeof(buf));
		if (fd->kind == F_IFINDEX && !strncmp(buf, "ifindex ", 8)) {
			fprintf(f, " %s", buf);
			continue;
		}
		fprintf(f, " %s ", fd->label);
		if (fd->kind == F_STR)
			print_word(f, buf);
		else
			fputs(buf, f);
	}
}

void fields_text_header(FILE *f, const struct field *tab, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (i + 1 < n)
			fprintf(f, "%*s ", tab[i].width, tab[i].label);
		else
			fprintf(f, "%s\n", tab[i].label);
	}
}

void fields_text_row(FILE *f, const struct field *tab, size_t n,
		     struct nlattr **tb)
{
	char buf[PXEFAST_PATH_MAX];

	for (size_t i = 0; i < n; i++) {
		const struct field *fd = &tab[i];
		const struct nlattr *a = tb[fd->attr];
		const char *s = a && field_ok(a, fd->kind) ?
			field_text(fd, a, buf, sizeof(buf)) : "-";

		if (i + 1 < n) {
			fprintf(f, "%*s ", fd->width, s);
		} else {
			print_word(f, s);
			fputc('\n', f);
		}
	}
}
