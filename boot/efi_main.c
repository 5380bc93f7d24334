// SPDX-License-Identifier: MIT
/*
 * UEFI entry (GNU-EFI, without libefi): command line from the load options,
 * RSDP from the configuration table, the memory map, ExitBootServices, then
 * msilab_main() on our own stack. See UEFI Specification 2.10, 4.6
 * (configuration table), 7.2 (GetMemoryMap, memory types), 7.4
 * (ExitBootServices), 9.1 (EFI_LOADED_IMAGE_PROTOCOL).
 */
#include <efi.h>
#include "tests/harness/main.h"
#include "arch/x86/cpu.h"
#include "arch/x86/cpu_state.h"
#include "lib/printf.h"
#include "lib/string.h"
#include <stdarg.h>

extern char kernel_stack_top[];
void call_on_stack(void *arg, void (*fn)(void *), void *stack_top) __attribute__((noreturn));

static struct boot_info bi;
static uint8_t mmap_buf[48 * 1024];

static int guid_eq(const EFI_GUID *a, const EFI_GUID *b)
{
	return !memcmp(a, b, sizeof(*a));
}

/* UCS-2 load options to ASCII; anything else than printable text is a
 * firmware's private data, not a command line. */
static void take_cmdline(const EFI_LOADED_IMAGE *li)
{
	const CHAR16 *s = li->LoadOptions;
	UINT32 n = li->LoadOptionsSize / 2, i, o = 0;

	if (!s)
		return;
	for (i = 0; i < n && s[i]; i++) {
		if (s[i] < 0x20 || s[i] > 0x7e) {
			ksnprintf(bi.error, sizeof(bi.error),
				  "load options are not text (%u bytes); ignored",
				  li->LoadOptionsSize);
			bi.cmdline[0] = 0;
			return;
		}
		if (o < sizeof(bi.cmdline) - 1)
			bi.cmdline[o++] = (char)s[i];
		else
			bi.cmdline_truncated = 1;
	}
	bi.cmdline[o] = 0;
}

static void take_rsdp(const EFI_SYSTEM_TABLE *st)
{
	static const EFI_GUID acpi20 = ACPI_20_TABLE_GUID, acpi10 = ACPI_TABLE_GUID;

	for (UINTN i = 0; i < st->NumberOfTableEntries; i++) {
		const EFI_CONFIGURATION_TABLE *t = &st->ConfigurationTable[i];

		if (guid_eq(&t->VendorGuid, &acpi20))
			bi.rsdp = (uintptr_t)t->VendorTable;
		else if (guid_eq(&t->VendorGuid, &acpi10) && !bi.rsdp)
			bi.rsdp = (uintptr_t)t->VendorTable;
	}
}

static uint32_t mem_type(UINT32 efi)
{
	switch (efi) {
	case EfiConventionalMemory:
		return MEM_USABLE;
	case EfiLoaderCode:
	case EfiLoaderData:
		return MEM_LOADER;
	/* Free after ExitBootServices, but the firmware's page tables live
	 * there until paging_init() replaces them: kept out of the allocator;
	 * the AP trampoline may take a page of it below 640 KiB. */
	case EfiBootServicesCode:
	case EfiBootServicesData:
		return MEM_BOOT_SERVICES;
	case EfiACPIReclaimMemory:
		return MEM_ACPI_RECLAIM;
	case EfiACPIMemoryNVS:
		return MEM_ACPI_NVS;
	case EfiUnusableMemory:
		return MEM_BAD;
	case EfiMemoryMappedIO:
	case EfiMemoryMappedIOPortSpace:
		return MEM_MMIO;
	default:
		return MEM_RESERVED;
	}
}

static void take_memmap(const uint8_t *map, UINTN size, UINTN desc_size)
{
	bi.nregions = 0;
	bi.memmap_dropped = 0;
	for (UINTN off = 0; off + desc_size <= size; off += desc_size) {
		const EFI_MEMORY_DESCRIPTOR *d = (const void *)(map + off);

		if (bi.nregions == BOOT_MEMMAP_MAX) {
			bi.memmap_dropped++;
			continue;
		}
		bi.memmap[bi.nregions++] = (struct mem_region){
			.base = d->PhysicalStart, .size = d->NumberOfPages * 4096,
			.type = mem_type(d->Type)
		};
	}
}

/* A line on the EFI console: before ExitBootServices the only place an
 * error can be read (UEFI 2.10, 12.4 OutputString takes UCS-2). */
static void efi_say(EFI_SYSTEM_TABLE *st, const char *fmt, ...)
{
	char line[160];
	CHAR16 wide[164];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = kvsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (!st->ConOut || n < 0)
		return;
	for (n = 0; line[n] && n < 160; n++)
		wide[n] = (CHAR16)line[n];
	wide[n++] = '\r';
	wide[n++] = '\n';
	wide[n] = 0;
	st->ConOut->OutputString(st->ConOut, wide);
}

/* msilab's page tables and trampoline are 4-level: firmware that hands over
 * with 5-level paging (CR4.LA57, bit 12; SDM Vol. 3A 4.5) is refused here,
 * where the message can still be read, rather than faulting later. */
static int check_paging(EFI_SYSTEM_TABLE *st)
{
	if (!(read_cr4() & CR4_LA57))
		return 0;
	efi_say(st, "msilab: the firmware runs with 5-level paging (CR4.LA57); msilab builds "
		"4-level tables only and cannot start. Disable 5-level paging in the firmware setup.");
	return -1;
}

/* The memory map, sized from the firmware's first answer (UEFI 2.10 7.2:
 * GetMemoryMap with a too small buffer says how big it must be) with room
 * for what the allocation of the buffer itself adds, then ExitBootServices
 * (7.4). After a failed ExitBootServices only the memory allocation
 * services may be used, so no message can follow one. */
static EFI_STATUS exit_boot_services(EFI_HANDLE image, EFI_SYSTEM_TABLE *st)
{
	EFI_BOOT_SERVICES *bs = st->BootServices;
	UINTN size = 0, cap, key, desc_size = 0;
	UINT32 desc_ver;
	uint8_t *map = mmap_buf;
	EFI_STATUS s;

	s = bs->GetMemoryMap(&size, NULL, &key, &desc_size, &desc_ver);
	if (s != EFI_BUFFER_TOO_SMALL || !desc_size) {
		efi_say(st, "msilab: GetMemoryMap did not say the map's size (status 0x%lx); "
			"cannot start", (uint64_t)s);
		return s == EFI_SUCCESS ? EFI_DEVICE_ERROR : s;
	}
	cap = size + 8 * desc_size;
	if (cap > sizeof(mmap_buf) &&
	    (s = bs->AllocatePool(EfiLoaderData, cap, (void **)&map)) != EFI_SUCCESS) {
		efi_say(st, "msilab: no memory for a %lu-byte memory map (status 0x%lx); "
			"cannot start", (uint64_t)cap, (uint64_t)s);
		return s;
	}
	/* The map changes until ExitBootServices succeeds: retry a few times. */
	for (int tries = 0; tries < 4; tries++) {
		size = cap;
		s = bs->GetMemoryMap(&size, (EFI_MEMORY_DESCRIPTOR *)map, &key, &desc_size,
				     &desc_ver);
		if (s != EFI_SUCCESS) {
			if (!tries)
				efi_say(st, "msilab: GetMemoryMap failed (status 0x%lx, %lu bytes "
					"needed, %lu given); cannot start", (uint64_t)s,
					(uint64_t)size, (uint64_t)cap);
			return s;
		}
		take_memmap(map, size, desc_size);
		if (bs->ExitBootServices(image, key) == EFI_SUCCESS)
			return EFI_SUCCESS;
	}
	return EFI_ABORTED;
}

static void enter_kernel(void *arg)
{
	msilab_main(arg);
}

EFI_STATUS efi_main(EFI_HANDLE image, EFI_SYSTEM_TABLE *st)
{
	static const EFI_GUID lip = EFI_LOADED_IMAGE_PROTOCOL_GUID;
	EFI_BOOT_SERVICES *bs = st->BootServices;
	EFI_LOADED_IMAGE *li = NULL;
	EFI_STATUS s;

	bi.loader = BOOT_UEFI;
	bi.efi_system_table = (uintptr_t)st;
	if (bs->HandleProtocol(image, (EFI_GUID *)&lip, (void **)&li) == EFI_SUCCESS && li) {
		bi.image_base = (uintptr_t)li->ImageBase;
		bi.image_size = li->ImageSize;
		take_cmdline(li);
	}
	take_rsdp(st);
	/* The last thing on the screen: where to look for the report. */
	if (st->ConOut)
		st->ConOut->OutputString(st->ConOut, (CHAR16 *)L"msilab: the report goes to the "
			"serial console (console= if given, else the SPCR UART, else COM1-COM4)\r\n");

	if (check_paging(st))
		return EFI_UNSUPPORTED;
	if ((s = exit_boot_services(image, st)) != EFI_SUCCESS)
		return s;
	asm volatile("cli");
	call_on_stack(&bi, enter_kernel, kernel_stack_top);
}
