// SPDX-License-Identifier: GPL-2.0
/*
 * pxectl: parsing and formatting of single values.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "pxectl.h"

char errbuf[512];

int seterr(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(errbuf, sizeof(errbuf), fmt, ap);
	va_end(ap);
	return -1;
}

void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (!p) {
		fprintf(stderr, "pxectl: error: out of memory\n");
		exit(1);
	}
	return p;
}

void *xcalloc(size_t n, size_t m)
{
	void *p = calloc(n ? n : 1, m ? m : 1);

	if (!p) {
		fprintf(stderr, "pxectl: error: out of memory\n");
		exit(1);
	}
	return p;
}

char *xstrdup(const char *s)
{
	size_t n = strlen(s) + 1;

	return memcpy(xmalloc(n), s, n);
}

int set_str(char **dst, const char *s, size_t max, const char *what)
{
	if (strlen(s) >= max)
		return seterr("%s too long (at most %zu bytes)", what, max - 1);
	free(*dst);
	*dst = xstrdup(s);
	return 0;
}

/*
 * Does @s have a scheme UEFI HTTP boot takes, "http://" or "https://" (any
 * case)?  The rest (a host, no space) is the kernel's to check.
 */
bool is_http_url(const char *s)
{
	return !strncasecmp(s, "http://", 7) || !strncasecmp(s, "https://", 8);
}

int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int parse_u32(const char *s, uint32_t min, uint32_t max, uint32_t *v,
	      const char *what)
{
	unsigned long long x;
	char *end;

	if (!s)
		return seterr("%s: missing value", what);
	errno = 0;
	if (*s < '0' || *s > '9')
		goto bad;
	/* decimal, or hexadecimal after 0x; never octal */
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		x = hexval(s[2]) >= 0 ? strtoull(s + 2, &end, 16) :
					(end = (char *)s + 1, 0);
	else
		x = strtoull(s, &end, 10);
	if (errno || *end)
		goto bad;
	if (x < min || x > max)
		return seterr("%s: %s out of range %u..%u", what, s, min, max);
	*v = (uint32_t)x;
	return 0;
bad:
	return seterr("%s: '%s' is not a number", what, s);
}

int parse_bool(const char *s, bool *v, const char *what)
{
	if (!s)
		return seterr("%s: missing on|off", what);
	if (!strcmp(s, "on") || !strcmp(s, "yes") || !strcmp(s, "1"))
		*v = true;
	else if (!strcmp(s, "off") || !strcmp(s, "no") || !strcmp(s, "0"))
		*v = false;
	else
		return seterr("%s: expected on or off, not '%s'", what, s);
	return 0;
}

int parse_ipv4(const char *s, uint32_t *addr, const char *what)
{
	struct in_addr a;

	if (!s)
		return seterr("%s: missing address", what);
	if (inet_pton(AF_INET, s, &a) != 1)
		return seterr("%s: '%s' is not an IPv4 address", what, s);
	*addr = a.s_addr;
	return 0;
}

int parse_ipv6(const char *s, uint8_t addr[16], const char *what)
{
	if (!s)
		return seterr("%s: missing address", what);
	if (inet_pton(AF_INET6, s, addr) != 1)
		return seterr("%s: '%s' is not an IPv6 address", what, s);
	return 0;
}

/* Hex bytes, optionally separated by @seps at any byte boundary. */
static int parse_hex(const char *s, uint8_t *out, size_t n, const char *seps)
{
	size_t i = 0;

	while (*s && i < n) {
		int h = hexval(s[0]), l = h < 0 ? -1 : hexval(s[1]);

		if (h < 0 || l < 0)
			return -1;
		out[i++] = (uint8_t)(h << 4 | l);
		s += 2;
		if (*s && strchr(seps, *s) && i < n)
			s++;
	}
	return (i == n && !*s) ? 0 : -1;
}

int parse_mac(const char *s, uint8_t mac[6])
{
	if (!s)
		return seterr("mac: missing value");
	if (strlen(s) != 17 && strlen(s) != 12)
		goto bad;
	if (strlen(s) == 17)
		for (int i = 2; i < 17; i += 3)
			if (s[i] != ':' && s[i] != '-')
				goto bad;
	if (!parse_hex(s, mac, 6, ":-"))
		return 0;
bad:
	return seterr("mac: '%s' is not a MAC address (aa:bb:cc:dd:ee:ff)", s);
}

int parse_uuid(const char *s, uint8_t uuid[PXEFAST_UUID_LEN])
{
	char hex[33];
	size_t n = 0;

	if (!s)
		return seterr("uuid: missing value");
	if (strlen(s) == 36) {
		for (int i = 0; i < 36; i++) {
			if (i == 8 || i == 13 || i == 18 || i == 23) {
				if (s[i] != '-')
					goto bad;
				continue;
			}
			hex[n++] = s[i];
		}
		hex[n] = 0;
		s = hex;
	}
	if (strlen(s) == 32 && !parse_hex(s, uuid, PXEFAST_UUID_LEN, ""))
		return 0;
bad:
	return seterr("uuid: '%s' is not a UUID "
		      "(xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx)", s);
}

static const char *const disc_names[] = {
	"no-broadcast", "no-multicast", "server-list-only", "direct-boot-file",
};

const char *discovery_flag_name(int bit)
{
	return bit >= 0 && bit < 4 ? disc_names[bit] : "?";
}

int parse_discovery(const char *s, uint8_t *v)
{
	char buf[256], *tok, *save;
	uint32_t n;

	if (!s)
		return seterr("discovery: missing flags");
	if (!parse_u32(s, 0, 0xf, &n, "discovery")) {
		*v = (uint8_t)n;
		return 0;
	}
	if (strlen(s) >= sizeof(buf))
		return seterr("discovery: '%s' is not valid", s);
	strcpy(buf, s);
	*v = 0;
	for (tok = strtok_r(buf, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		size_t i;

		for (i = 0; i < 4; i++)
			if (!strcmp(tok, disc_names[i]))
				break;
		if (i == 4)
			return seterr("discovery: unknown flag '%s' (no-broadcast, "
				      "no-multicast, server-list-only, "
				      "direct-boot-file or a number)", tok);
		*v |= 1 << i;
	}
	return 0;
}

const char *fmt_discovery(uint8_t v, char *buf, size_t len)
{
	size_t off = 0;

	if (!v || v & ~0xf) {
		snprintf(buf, len, "%u", v);
		return buf;
	}
	buf[0] = 0;
	for (int i = 0; i < 4; i++)
		if (v & (1 << i))
			off += snprintf(buf + off, len - off, "%s%s",
					off ? "," : "", disc_names[i]);
	return buf;
}

const char *fmt_ipv4(uint32_t addr, char buf[16])
{
	struct in_addr a = { .s_addr = addr };

	return inet_ntop(AF_INET, &a, buf, 16);
}

const char *fmt_ipv6(const uint8_t addr[16], char buf[46])
{
	return inet_ntop(AF_INET6, addr, buf, 46);
}

/* Is @addr set (not ::, which stands for the default)? */
bool ipv6_set(const uint8_t addr[16])
{
	static const uint8_t any[16];

	return memcmp(addr, any, sizeof(any)) != 0;
}

/* "b8:27:eb": @min..@max bytes, two hex digits each, ':' between. */
int parse_bytes(const char *s, uint8_t *out, size_t min, size_t max,
		size_t *len, const char *what)
{
	size_t n = 0;

	if (!s)
		return seterr("%s: missing value", what);
	for (const char *p = s; *p; n++) {
		int h = hexval(p[0]), l = h < 0 ? -1 : hexval(p[1]);

		if (h < 0 || l < 0 || n == max || (p[2] && p[2] != ':') ||
		    (p[2] == ':' && !p[3]))
			goto bad;
		out[n] = (uint8_t)(h << 4 | l);
		p += p[2] ? 3 : 2;
	}
	if (n >= min) {
		*len = n;
		return 0;
	}
bad:
	return seterr("%s: '%s' is not %zu to %zu bytes in hex (aa:bb:cc)",
		      what, s, min, max);
}

/* Bytes as "aa:bb:cc"; @buf holds 3 * @n. */
const char *fmt_bytes(const uint8_t *b, size_t n, char *buf)
{
	buf[0] = 0;
	for (size_t i = 0; i < n; i++)
		sprintf(buf + (i ? 3 * i - 1 : 0), i ? ":%02x" : "%02x", b[i]);
	return buf;
}

const char *fmt_mac(const uint8_t m[6], char buf[18])
{
	snprintf(buf, 18, "%02x:%02x:%02x:%02x:%02x:%02x",
		 m[0], m[1], m[2], m[3], m[4], m[5]);
	return buf;
}

const char *fmt_uuid(const uint8_t u[16], char buf[37])
{
	size_t off = 0;

	for (int i = 0; i < 16; i++) {
		if (i == 4 || i == 6 || i == 8 || i == 10)
			buf[off++] = '-';
		off += snprintf(buf + off, 37 - off, "%02x", u[i]);
	}
	return buf;
}
