// SPDX-License-Identifier: MIT
/*
 * tools/acpi/msilab_acpi.c as a Unix tool: its exit status, its command
 * line, and what its summary says msilab would do. The tool's main() runs
 * in a child process per call (its state is static), its output in a file.
 * tests/check/acpi-tool.t holds the same behaviour from outside; this copy
 * is what make mutate can run (docs/design.md, "How we know a test can
 * fail").
 */
#include "tests/host/host.h"
#include "tests/host/fixture.h"
#include <sys/wait.h>

#define main msilab_acpi_main
#include "tools/acpi/msilab_acpi.c"
#undef main

#define QEMU FIXTURES "/qemu-q35-smp4-iommu"

static char out[1 << 16], err[4096], dir[64];

static void slurp(const char *path, char *buf, size_t size)
{
	FILE *f = fopen(path, "r");
	size_t n = f ? fread(buf, 1, size - 1, f) : 0;

	buf[n] = 0;
	if (f)
		fclose(f);
}

/* Run the tool with these words; its exit status, stdout in out[], stderr
 * in err[]. */
static int tool(const char *const *words)
{
	char o[96], e[96];
	int argc = 1, status;
	char *argv[16] = { "msilab-acpi" };
	pid_t pid;

	while (words[argc - 1])
		argv[argc] = (char *)words[argc - 1], argc++;
	snprintf(o, sizeof(o), "%s/out", dir);
	snprintf(e, sizeof(e), "%s/err", dir);
	fflush(NULL);
	pid = fork();
	if (pid == 0) {
		if (!freopen(o, "w", stdout) || !freopen(e, "w", stderr))
			_exit(99);
		status = msilab_acpi_main(argc, argv);
		fflush(NULL);
		_exit(status);
	}
	assert_true(pid > 0);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	slurp(o, out, sizeof(out));
	slurp(e, err, sizeof(err));
	assert_true(WIFEXITED(status));
	return WEXITSTATUS(status);
}

#define TOOL(...) tool((const char *const[]){ __VA_ARGS__, NULL })

/* A copy of a fixture table in dir/NAME, with `edit` applied (or none). */
static const char *plant(const char *name, const char *fixture_name, void (*edit)(uint8_t *, size_t))
{
	static char path[128];
	size_t len;
	uint8_t *t = fixture(fixture_name, &len);
	FILE *f;

	if (edit)
		edit(t, len);
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(t, 1, len, f), len);
	fclose(f);
	free(t);
	return path;
}

static void bad_checksum(uint8_t *t, size_t len)
{
	(void)len;
	t[9] ^= 1;
}

static int setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/test_acpi_tool.XXXXXX");
	return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
	char cmd[96];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	return system(cmd);
}

/* 0 when every path was read and every table is sound; 1 for a path that
 * cannot be read, or a table that fails its checksum, whether msilab reads
 * it (MCFG) or not (WAET: its header and checksum, ACPI 6.5, 5.2.6). */
static void exit_status(void **state)
{
	(void)state;
	assert_int_equal(TOOL(QEMU), 0);
	assert_int_equal(TOOL(QEMU, "/nonexistent/tables"), 1);
	assert_non_null(strstr(out, "cannot be read"));
	assert_int_equal(TOOL(plant("MCFG", "qemu-q35-smp4-iommu/MCFG.bin", bad_checksum)), 1);
	assert_non_null(strstr(out, "checksum bad"));
	assert_int_equal(TOOL(plant("WAET", "qemu-q35-smp4-iommu/WAET.bin", NULL)), 0);
	assert_int_equal(TOOL(plant("WAET", "qemu-q35-smp4-iommu/WAET.bin", bad_checksum)), 1);
	assert_non_null(strstr(out, "WAET: checksum bad"));
}

/* --help is usage on stdout and status 0, not a file; options anywhere;
 * an unknown option is a usage error (2) with nothing read. */
static void command_line(void **state)
{
	(void)state;
	assert_int_equal(TOOL("--help"), 0);
	assert_ptr_equal(strstr(out, "usage: msilab-acpi"), out);
	assert_null(strstr(out, "file: --help"));
	assert_int_equal(TOOL(QEMU, "--json"), 0);
	assert_int_equal(out[0], '{');
	assert_null(strstr(out, "--json"));
	assert_int_equal(TOOL("--jsno", QEMU), 2);
	assert_string_equal(out, "");
	assert_non_null(strstr(err, "unknown option '--jsno'"));
	assert_int_equal(TOOL("--json"), 2);
	assert_non_null(strstr(err, "usage"));
}

/* A DMAR that fails its checksum is refused by the firmware's dmar_parse
 * (kernel/main.c, drivers/iommu/intel/irq_remap.c): no VT-d, remapping
 * off, and said so. */
static void dmar_bad_checksum_is_no_vtd(void **state)
{
	(void)state;
	plant("APIC", "qemu-q35-smp4-iommu/APIC.bin", NULL);
	assert_int_equal(TOOL(plant("DMAR", "qemu-q35-smp4-iommu/DMAR.bin", bad_checksum)), 1);
	assert_null(strstr(out, "iommu: vt-d"));
	assert_non_null(strstr(out, "iommu: none\n  iommu_problem: DMAR: checksum bad\n"));
	assert_non_null(strstr(out, "interrupt_remapping: false"));
	assert_int_equal(TOOL(plant("DMAR", "qemu-q35-smp4-iommu/DMAR.bin", NULL)), 0);
	assert_non_null(strstr(out, "iommu: vt-d"));
}

/* The fourth CPU online-capable only, in a revision 5 MADT (ACPI 6.3,
 * 5.2.12.2): listed, not among the CPUs msilab starts. */
static void online_capable(uint8_t *t, size_t len)
{
	int seen = 0;

	t[8] = 5;
	for (size_t off = 44; off + 2 <= len && t[off + 1]; off += t[off + 1]) {
		if (t[off] == MADT_TYPE_LAPIC && ++seen == 4) {
			uint32_t flags = MADT_CPU_ONLINE_CAPABLE;

			memcpy(t + off + 4, &flags, 4);
		}
	}
	fixture_checksum(t, len);
}

static void online_capable_not_counted(void **state)
{
	(void)state;
	assert_int_equal(TOOL(plant("APIC.oc", "qemu-q35-smp4-iommu/APIC.bin", online_capable)), 0);
	assert_non_null(strstr(out, "online_capable: true"));
	assert_non_null(strstr(out, "\n  cpus: 3\n  cpus_online_capable: 1\n  max_apic_id: 2\n"));
	assert_non_null(strstr(out, "madt: 1 online-capable CPUs not started"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(exit_status),
		cmocka_unit_test(command_line),
		cmocka_unit_test(dmar_bad_checksum_is_no_vtd),
		cmocka_unit_test(online_capable_not_counted),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
