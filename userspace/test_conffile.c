// SPDX-License-Identifier: GPL-2.0
/*
 * Host test of the pxefast.conf parser and printer (no kernel needed):
 * canonical printing, round trips, error line numbers.
 */
#include <stdlib.h>
#include <string.h>
#include "pxectl.h"
#include "test.h"

/* Parse @text; return the canonical print (malloc'd) or NULL on error. */
static char *parse_print(const char *text)
{
	FILE *in = fmemopen((void *)text, strlen(text), "r");
	struct pxe_config *c = config_new();
	char *out = NULL;
	size_t len;
	FILE *o;

	if (conf_parse(in, NULL, c)) {
		fclose(in);
		config_free(c);
		return NULL;
	}
	fclose(in);
	o = open_memstream(&out, &len);
	conf_print(o, c);
	fclose(o);
	config_free(c);
	return out;
}

static void expect_print(const char *text, const char *want)
{
	char *got = parse_print(text), *again;

	CHECK(got, "parse failed: line %d: %s", conf_errline, errbuf);
	if (!got)
		return;
	CHECK(!strcmp(got, want), "got:\n%swant:\n%s", got, want);
	again = parse_print(got);
	CHECK(again && !strcmp(again, got), "round trip differs:\n%s\n%s",
	      got, again ? again : "(parse error)");
	free(again);
	free(got);
}

static void expect_error(const char *text, int line, const char *msg)
{
	char *got = parse_print(text);

	CHECK(!got, "parsed but should fail at line %d:\n%s", line, text);
	free(got);
	if (got)
		return;
	CHECK(conf_errline == line, "error on line %d, want %d (%s)",
	      conf_errline, line, errbuf);
	CHECK(strstr(errbuf, msg), "error \"%s\" lacks \"%s\"", errbuf, msg);
}

static const char defaults[] =
	"tftp off max-sessions 1024 max-per-client 16 max-blksize 1468"
	" max-window 64 timeout-ms 1000 retries 5 ports 49152-65535"
	" idle-timeout-ms 30000 case-fold off\n"
	"dhcp proxy on boot-server on discovery 0\n";

/* Parse and print each file named: a check of sample files by eye. */
static int print_files(int argc, char **argv)
{
	int ret = 0;

	for (int i = 1; i < argc; i++) {
		struct pxe_config *c = config_new();
		FILE *f = fopen(argv[i], "r");

		if (!f) {
			perror(argv[i]);
			ret = 1;
		} else if (conf_parse(f, argv[i], c)) {
			ret = 1;
		} else {
			conf_print(stdout, c);
		}
		if (f)
			fclose(f);
		config_free(c);
	}
	return ret;
}

int main(int argc, char **argv)
{
	char want[4096];

	if (argc > 1)
		return print_files(argc, argv);

	expect_print("", defaults);
	expect_print("# only a comment\n\n   \t\n", defaults);

	expect_print(
		"# a full file\n"
		"dev eth0 addr 10.0.0.1\n"
		"dev eth1   # served on its primary address\n"
		"tftp on root /srv/tftp max-sessions 1024 max-blksize 1468 "
		"max-window 64 timeout-ms 1000 retries 5 ports 49152-65535 "
		"idle-timeout-ms 30000 max-per-client 16 case-fold on\n"
		"dhcp proxy on boot-server off discovery 5 mcast-addr 224.0.1.2\n"
		"arch disable efi-ia32\n"
		"arch enable 0\n"
		"server 0 addr 10.0.0.1,10.0.0.2 label \"PXE bootstrap\"\n"
		"server 7\n"
		"menu prompt \"Press F8\" timeout 5\n"
		"menu item 0 \"Boot Linux\"\n"
		"map arch 0 file pxelinux.0\n"
		"map user-class iPXE arch efi-bc file boot.ipxe\n"
		"map mac 52-54-00-AB-cd-EF uuid 00112233445566778899aabbccddeeff "
		"file \"my file\" next-server 10.0.0.3 bis-file x.bis label L\n"
		"map type 3 layer 1 vendor-class PXEClient:Arch:00000 file l1\n"
		"map file default.0\n",
		"dev eth0 addr 10.0.0.1\n"
		"dev eth1\n"
		"tftp on root /srv/tftp max-sessions 1024 max-per-client 16"
		" max-blksize 1468 max-window 64 timeout-ms 1000 retries 5"
		" ports 49152-65535 idle-timeout-ms 30000 case-fold on\n"
		"dhcp proxy on boot-server off discovery no-broadcast,server-list-only"
		" mcast-addr 224.0.1.2\n"
		"arch disable 6\n"
		"arch enable 0\n"
		"server 0 addr 10.0.0.1,10.0.0.2 label \"PXE bootstrap\"\n"
		"server 7\n"
		"menu prompt \"Press F8\" timeout 5\n"
		"menu item 0 \"Boot Linux\"\n"
		"map arch 0 file pxelinux.0\n"
		"map arch 7 user-class iPXE file boot.ipxe\n"
		"map mac 52:54:00:ab:cd:ef uuid 00112233-4455-6677-8899-aabbccddeeff"
		" file \"my file\" next-server 10.0.0.3 bis-file x.bis label L\n"
		"map vendor-class PXEClient:Arch:00000 type 3 layer 1 file l1\n"
		"map file default.0\n");

	/* quoting: escapes in, canonical escapes out */
	snprintf(want, sizeof(want), "%s%s", defaults,
		 "map file \"a \\\"b\\\" \\\\c\\td\\ne\\x01\" label \"\"\n");
	expect_print("map file \"a \\\"b\\\" \\\\c\\td\\ne\\x01\" label \"\"\n", want);
	snprintf(want, sizeof(want), "%s%s", defaults,
		 "map file \"#not a comment\"\n");
	expect_print("map file \"#not a comment\" # a comment\n", want);

	/* Raspberry Pi: prefixes, reply delay, menu text kept verbatim */
	snprintf(want, sizeof(want), "%s%s", defaults,
		 "menu prompt \"Raspberry Pi Boot   \" timeout 0\n"
		 "menu item 0 \"Raspberry Pi Boot   \"\n"
		 "map mac-prefix b8:27:eb file pi3/bootcode.bin delay-ms 1000\n"
		 "map uuid-prefix 00:80:01:75:90 file pi4/start4.elf\n"
		 "map mac-prefix dc:a6 uuid-prefix 00 file x\n");
	expect_print("menu prompt \"Raspberry Pi Boot   \" timeout 0\n"
		     "menu item 0 \"Raspberry Pi Boot   \"\n"
		     "map mac-prefix B8:27:EB delay-ms 1000 file pi3/bootcode.bin\n"
		     "map uuid-prefix 00:80:01:75:90 file pi4/start4.elf\n"
		     "map uuid-prefix 00 mac-prefix dc:a6 file x delay-ms 0\n", want);
	expect_error("map mac-prefix b8:27:eb:01:02:03 file x\n", 1, "1 to 5 bytes");
	expect_error("map mac-prefix b8:27: file x\n", 1, "1 to 5 bytes");
	expect_error("map mac-prefix b827eb file x\n", 1, "1 to 5 bytes");
	expect_error("map uuid-prefix 01:80 file x\n", 1, "type byte");
	expect_error("map mac 11:22:33:44:55:66 mac-prefix 11 file x\n", 1,
		     "together");
	expect_error("map uuid-prefix 00 uuid 00112233445566778899aabbccddeeff"
		     " file x\n", 1, "together");
	expect_error("map delay-ms 60001 file x\n", 1, "out of range");

	/* numbers: decimal or 0x hex, never octal */
	snprintf(want, sizeof(want), "%s%s", defaults, "arch disable 10\narch disable 16\n");
	expect_print("arch disable 010\narch disable 0x10\n", want);
	expect_error("arch disable 0x\n", 1, "unknown architecture");
	expect_error("tftp retries -1\n", 1, "not a number");
	expect_error("tftp retries 1x\n", 1, "not a number");

	/* errors name the line; nothing is half-parsed */
	expect_error("dev eth0\n\nbogus 1\n", 3, "unknown object");
	/* HTTP boot: a base URL, URL and relative mappings, IANA names. */
	expect_print(
		"dhcp http-base http://10.0.0.1/tftp/\n"
		"map arch uefi-x64-http file http://10.0.0.1/x64/boot.efi\n"
		"map arch efi-arm64-http file arm64/boot.efi\n",
		"tftp off max-sessions 1024 max-per-client 16"
		" max-blksize 1468 max-window 64 timeout-ms 1000 retries 5"
		" ports 49152-65535 idle-timeout-ms 30000 case-fold off\n"
		"dhcp proxy on boot-server on discovery 0"
		" http-base http://10.0.0.1/tftp/\n"
		"map arch 16 file http://10.0.0.1/x64/boot.efi\n"
		"map arch 19 file arm64/boot.efi\n");
	expect_error("dhcp http-base tftp://10.0.0.1/\n", 1, "http-base");
	expect_error("dhcp http-base /tftp/\n", 1, "not an http");

	expect_error("tftp on\ntftp off\n", 2, "twice");
	expect_error("map arch 0\n", 1, "needs a boot file");
	expect_error("\nmap arch 0 file \"x\n", 2, "unterminated");
	expect_error("map arch nosuch file x\n", 1, "unknown architecture");
	expect_error("tftp ports 2000-1999\n", 1, "empty");
	expect_error("tftp max-blksize 100\n", 1, "out of range");
	expect_error("tftp root relative/dir\n", 1, "absolute");
	expect_error("tftp case-fold maybe\n", 1, "case-fold");
	expect_error("dhcp mcast-addr 10.0.0.1\n", 1, "not a multicast");
	expect_error("dhcp discovery bogus\n", 1, "unknown flag");
	expect_error("map mac 11:22:33 file x\n", 1, "MAC");
	expect_error("map layer 1 file x\n", 1, "layer");
	expect_error("map arch 0 arch 1 file x\n", 1, "twice");
	expect_error("# x\nmenu item 0 a\n", 2, "without a menu prompt");
	expect_error("\n\nmenu prompt p\n", 3, "without items");
	expect_error("arch disable 6\narch enable 6\n", 2, "twice");
	expect_error("server 0\nserver 0\n", 2, "twice");
	expect_error("dev eth0\ndev eth0\n", 2, "twice");
	expect_error("dev eth0 xdp bogus\n", 1, "unknown word 'bogus'");

	/* XDP mode: "xdp" alone is generic, off is not printed. */
	expect_print("dev eth0 xdp\ndev eth1 xdp native addr 10.0.0.1\n"
		     "dev eth2 xdp off\n",
		     "dev eth0 xdp generic\ndev eth1 addr 10.0.0.1 xdp native\n"
		     "dev eth2\n"
		     "tftp off max-sessions 1024 max-per-client 16 max-blksize 1468"
		     " max-window 64 timeout-ms 1000 retries 5 ports 49152-65535"
		     " idle-timeout-ms 30000 case-fold off\n"
		     "dhcp proxy on boot-server on discovery 0\n");
	expect_error("map file a\"b\n", 1, "unexpected");
	expect_error("map file \"a\"b\n", 1, "followed by a space");
	expect_error("map file \"\\q\"\n", 1, "unknown escape");
	expect_error("server 0 addr 1.2.3.4,x\n", 1, "not an IPv4");

	if (failures) {
		fprintf(stderr, "test_conffile: %d failed\n", failures);
		return 1;
	}
	printf("test_conffile: all passed\n");
	return 0;
}
