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
#include "lib/printf.h"
#include "lib/string.h"

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
	/* Boot-services memory would be free after ExitBootServices, but the
	 * firmware's page tables live there until paging_init() replaces
	 * them: keep it out of the allocator. */
	case EfiBootServicesCode:
	case EfiBootServicesData:
		return MEM_LOADER;
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

static void enter_kernel(void *arg)
{
	msilab_main(arg);
}

EFI_STATUS efi_main(EFI_HANDLE image, EFI_SYSTEM_TABLE *st)
{
	static const EFI_GUID lip = EFI_LOADED_IMAGE_PROTOCOL_GUID;
	EFI_BOOT_SERVICES *bs = st->BootServices;
	EFI_LOADED_IMAGE *li = NULL;
	UINTN size, key, desc_size;
	UINT32 desc_ver;
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

	/* The map changes until ExitBootServices succeeds: retry a few times. */
	for (int tries = 0; tries < 4; tries++) {
		size = sizeof(mmap_buf);
		s = bs->GetMemoryMap(&size, (EFI_MEMORY_DESCRIPTOR *)mmap_buf, &key,
				     &desc_size, &desc_ver);
		if (s != EFI_SUCCESS)
			return s;
		take_memmap(mmap_buf, size, desc_size);
		if (bs->ExitBootServices(image, key) == EFI_SUCCESS)
			break;
		if (tries == 3)
			return EFI_ABORTED;
	}
	asm volatile("cli");
	call_on_stack(&bi, enter_kernel, kernel_stack_top);
}
