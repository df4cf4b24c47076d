// SPDX-License-Identifier: GPL-2.0
/*
 * pxectl: names of client system architectures (RFC 4578 option 93, IANA
 * "Processor Architecture Types").
 *
 * Codes 7 and 9 are named as the IANA registry lists them today: 7 is x64
 * UEFI (what x64 UEFI firmware in the field sends), 9 is EFI Byte Code.
 * RFC 4578 had them the other way round ("EFI BC" and "EFI x86-64"); its
 * names stay accepted as aliases so that older files keep their meaning.
 */
#include <string.h>
#include "pxectl.h"

struct arch_name {
	uint16_t code;
	const char *name;		/* the first of a code is its name */
};

static const struct arch_name arch_names[] = {
	{ 0, "bios" }, { 0, "x86-bios" },
	{ 1, "pc98" },
	{ 2, "efi-itanium" }, { 2, "ia64" },
	{ 3, "alpha" },
	{ 4, "arc-x86" },
	{ 5, "intel-lean-client" },
	{ 6, "efi-ia32" },
	{ 7, "uefi-x64" }, { 7, "x64-uefi" }, { 7, "efi-bc" },
	{ 8, "efi-xscale" },
	{ 9, "uefi-ebc" }, { 9, "efi-x64" },
	{ 10, "efi-arm32" },
	{ 11, "efi-arm64" },
	{ 12, "ppc-openfirmware" },
	{ 13, "ppc-epapr" },
	{ 14, "power-opal-v3" },
	{ 15, "efi-ia32-http" }, { 15, "uefi-x86-http" },
	{ 16, "efi-x64-http" }, { 16, "uefi-x64-http" },
	{ 17, "efi-bc-http" }, { 17, "uefi-ebc-http" },
	{ 18, "efi-arm32-http" }, { 18, "uefi-arm32-http" },
	{ 19, "efi-arm64-http" }, { 19, "uefi-arm64-http" },
	{ 20, "bios-http" },
	{ 21, "uboot-arm32" },
	{ 22, "uboot-arm64" },
	{ 23, "uboot-arm32-http" },
	{ 24, "uboot-arm64-http" },
	{ 25, "efi-riscv32" },
	{ 26, "efi-riscv32-http" },
	{ 27, "efi-riscv64" },
	{ 28, "efi-riscv64-http" },
	{ 29, "efi-riscv128" },
	{ 30, "efi-riscv128-http" },
	{ 31, "s390-basic" },
	{ 32, "s390-extended" },
	{ 33, "efi-mips32" },
	{ 34, "efi-mips64" },
	{ 35, "efi-sunway32" },
	{ 36, "efi-sunway64" },
	{ 37, "efi-loongarch32" },
	{ 38, "efi-loongarch32-http" },
	{ 39, "efi-loongarch64" },
	{ 40, "efi-loongarch64-http" },
	{ 41, "arm-rpiboot" },
};

#define N_ARCH_NAMES (sizeof(arch_names) / sizeof(arch_names[0]))

const char *arch_name(uint16_t code)
{
	for (size_t i = 0; i < N_ARCH_NAMES; i++)
		if (arch_names[i].code == code)
			return arch_names[i].name;
	return NULL;
}

int parse_arch(const char *s, uint16_t *code)
{
	uint32_t v;

	if (!s)
		return seterr("arch: missing architecture");
	for (size_t i = 0; i < N_ARCH_NAMES; i++) {
		if (!strcmp(s, arch_names[i].name)) {
			*code = arch_names[i].code;
			return 0;
		}
	}
	if (parse_u32(s, 0, 0xffff, &v, "arch"))
		return seterr("arch: unknown architecture '%s' "
			      "(a number 0..65535 or a name, see pxectl(8))", s);
	*code = (uint16_t)v;
	return 0;
}

void arch_list(FILE *f)
{
	for (size_t i = 0; i < N_ARCH_NAMES; i++)
		fprintf(f, "%u\t%s\n", arch_names[i].code, arch_names[i].name);
}
