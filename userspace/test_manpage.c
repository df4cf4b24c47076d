// SPDX-License-Identifier: GPL-2.0
/*
 * Host test: pxefast.conf(5) quotes the TFTP ranges and defaults of
 * include/uapi/linux/pxefast.h, and its DEFAULTS section is what pxectl
 * prints for an empty file.  A value changed on one side only fails here.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include "pxectl.h"
#include "test.h"

/* One setting's paragraph: from ".BI <key> " to the next ".TP". */
struct setting {
	const char *key;	/* as in the man page, '-' escaped */
	const char *range;	/* "MIN to MAX" */
	const char *def;	/* "default N" */
};

static char *xasprintf(const char *fmt, ...)
	__attribute__((format(printf, 1, 2)));

static char *xasprintf(const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) < 0)
		abort();
	va_end(ap);
	return s;
}

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	size_t len = 0;
	char *buf = NULL;
	FILE *o;
	int c;

	if (!f) {
		perror(path);
		exit(1);
	}
	o = open_memstream(&buf, &len);
	while ((c = fgetc(f)) != EOF)
		fputc(c, o);
	fclose(o);
	fclose(f);
	return buf;
}

/* The paragraph of @key in @man (NUL-terminated copy), or NULL. */
static char *paragraph(const char *man, const char *key)
{
	char *head = xasprintf("\n.BI %s \"", key);
	const char *p = strstr(man, head), *end;

	free(head);
	if (!p)
		return NULL;
	end = strstr(p + 1, "\n.TP");
	if (!end)
		end = p + strlen(p);
	return strndup(p, (size_t)(end - p));
}

static void check_setting(const char *man, const char *key, long min,
			  long max, const char *def)
{
	char *par = paragraph(man, key);
	char *range = xasprintf(" %ld to %ld", min, max);
	char *dflt = xasprintf("; default %s.", def);

	CHECK(par, "pxefast.conf.5: no paragraph for %s", key);
	if (par) {
		CHECK(strstr(par, range), "pxefast.conf.5, %s: range should read '%s':%s",
		      key, range, par);
		CHECK(strstr(par, dflt), "pxefast.conf.5, %s: default should read '%s':%s",
		      key, dflt, par);
	}
	free(par);
	free(range);
	free(dflt);
}

#define STR_(x) #x
#define STR(x) STR_(x)
#define SETTING(man, key, NAME) \
	check_setting(man, key, PXEFAST_TFTP_##NAME##_MIN, \
		      PXEFAST_TFTP_##NAME##_MAX, \
		      STR(PXEFAST_TFTP_##NAME##_DEFAULT))

/* "tftp off max-sessions 1024 ..." as printed, '-' escaped as in roff. */
static char *defaults_line(void)
{
	struct pxe_config *c = config_new();
	char *out = NULL, *line, *nl, *esc, *q;
	size_t len;
	FILE *o;

	o = open_memstream(&out, &len);
	conf_print(o, c);
	fclose(o);
	config_free(c);
	line = strstr(out, "tftp ");
	CHECK(line, "pxectl prints no tftp line for an empty file:\n%s", out);
	if (!line)
		line = out;
	nl = strchr(line, '\n');
	if (nl)
		*nl = 0;
	esc = q = malloc(2 * strlen(line) + 1);
	for (; *line; line++) {
		if (*line == '-')
			*q++ = '\\';
		*q++ = *line;
	}
	*q = 0;
	free(out);
	return esc;
}

int main(int argc, char **argv)
{
	char *man, *want, *ports, *delay;

	if (argc != 2) {
		fprintf(stderr, "usage: test_manpage pxefast.conf.5\n");
		return 2;
	}
	man = slurp(argv[1]);

	SETTING(man, "max\\-sessions", MAX_SESSIONS);
	SETTING(man, "max\\-per\\-client", MAX_PER_CLIENT);
	SETTING(man, "max\\-blksize", MAX_BLKSIZE);
	SETTING(man, "max\\-window", MAX_WINDOW);
	SETTING(man, "timeout\\-ms", TIMEOUT_MS);
	SETTING(man, "retries", RETRIES);
	SETTING(man, "idle\\-timeout\\-ms", IDLE_TIMEOUT_MS);
	ports = xasprintf("%d\\-%d", PXEFAST_TFTP_PORTS_DEFAULT_MIN,
			  PXEFAST_TFTP_PORTS_DEFAULT_MAX);
	check_setting(man, "ports", PXEFAST_TFTP_PORTS_MIN,
		      PXEFAST_TFTP_PORTS_MAX, ports);
	free(ports);

	delay = xasprintf("\n.BR delay\\-ms ,\n0 to %d,", PXEFAST_MAP_DELAY_MS_MAX);
	CHECK(strstr(man, delay), "pxefast.conf.5: delay-ms should read '0 to %d'",
	      PXEFAST_MAP_DELAY_MS_MAX);
	free(delay);

	want = defaults_line();
	CHECK(strstr(man, want), "pxefast.conf.5, DEFAULTS: should show\n%s", want);
	free(want);
	free(man);
	if (failures)
		fprintf(stderr, "test_manpage: %d failure(s)\n", failures);
	else
		printf("test_manpage: pxefast.conf.5 quotes the header's ranges and defaults\n");
	return failures ? 1 : 0;
}
