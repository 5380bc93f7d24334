// SPDX-License-Identifier: MIT
/* Command-line parsing: pure, host-tested (tests/host/test_cmdline.c). */
#include "kernel/cmdline.h"
#include "lib/printf.h"
#include "lib/string.h"

struct token {
	const char *key, *val;	/* val is NULL for a bare word */
	int klen, vlen;
};

static void config_warn(struct config *cfg, const char *fmt, ...)
{
	va_list ap;

	if (cfg->nwarnings < CONFIG_WARN_MAX) {
		va_start(ap, fmt);
		kvsnprintf(cfg->warnings[cfg->nwarnings], CONFIG_WARN_LEN, fmt, ap);
		va_end(ap);
	}
	cfg->nwarnings++;
}

/* Parse a decimal or 0x-prefixed number that fills exactly n characters. */
static int parse_u64(const char *s, int n, uint64_t *out)
{
	unsigned base = 10;
	uint64_t v = 0;

	if (n > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		s += 2;
		n -= 2;
	}
	if (n <= 0 || n > 18)
		return -1;
	for (; n; n--, s++) {
		unsigned d;

		if (*s >= '0' && *s <= '9')
			d = *s - '0';
		else if (base == 16 && *s >= 'a' && *s <= 'f')
			d = *s - 'a' + 10;
		else if (base == 16 && *s >= 'A' && *s <= 'F')
			d = *s - 'A' + 10;
		else
			return -1;
		v = v * base + d;
	}
	*out = v;
	return 0;
}

static int opt_console(struct config *cfg, const char *v, int n)
{
	static const uint16_t ports[] = { 0x3f8, 0x2f8, 0x3e8, 0x2e8 };
	int comma = 0;
	uint64_t port, baud = 115200;

	while (comma < n && v[comma] != ',')
		comma++;
	if (comma == 5 && !strncmp(v, "ttyS", 4) && v[4] >= '0' && v[4] <= '3')
		port = ports[v[4] - '0'];
	else if (comma > 3 && !strncmp(v, "io:", 3)) {
		if (parse_u64(v + 3, comma - 3, &port) || port == 0 || port > 0xfff8)
			return -1;
	} else
		return -1;
	if (comma < n && (parse_u64(v + comma + 1, n - comma - 1, &baud) ||
			  baud < 50 || baud > 115200))
		return -1;
	cfg->console_port = (uint16_t)port;
	cfg->console_baud = (uint32_t)baud;
	cfg->console_given = 1;
	return 0;
}

static int opt_tests(struct config *cfg, const char *v, int n)
{
	if (n <= 0 || n >= CONFIG_TESTS_LEN)
		return -1;
	memcpy(cfg->tests, v, n);
	cfg->tests[n] = 0;
	return 0;
}

static int opt_samples(struct config *cfg, const char *v, int n)
{
	uint64_t s;

	if (parse_u64(v, n, &s) || s < 1 || s > CONFIG_SAMPLES_MAX)
		return -1;
	cfg->samples = (uint32_t)s;
	return 0;
}

static int pick(const char *const *names, int count, const char *v, int n);

static const char *const exit_names[] = {
	[EXIT_AUTO] = "auto", [EXIT_QEMU] = "qemu",
	[EXIT_HALT] = "halt", [EXIT_REBOOT] = "reboot",
};

const char *exit_mode_name(enum exit_mode m)
{
	return exit_names[m];
}

static int opt_exit(struct config *cfg, const char *v, int n)
{
	int i = pick(exit_names, sizeof(exit_names) / sizeof(exit_names[0]), v, n);

	if (i < 0)
		return -1;
	cfg->exit = (enum exit_mode)i;
	return 0;
}

static int opt_cpus(struct config *cfg, const char *v, int n)
{
	uint64_t c;

	if (parse_u64(v, n, &c) || c < 1 || c > CONFIG_CPUS_MAX)
		return -1;
	cfg->cpus = (uint32_t)c;
	return 0;
}

static int pick(const char *const *names, int count, const char *v, int n)
{
	for (int i = 0; i < count; i++)
		if ((int)strlen(names[i]) == n && !strncmp(v, names[i], n))
			return i;
	return -1;
}

static int opt_apic(struct config *cfg, const char *v, int n)
{
	static const char *const names[] = { "auto", "xapic", "x2apic" };
	int i = pick(names, 3, v, n);

	if (i < 0)
		return -1;
	cfg->apic = (enum apic_choice)i;
	return 0;
}

static int opt_ir(struct config *cfg, const char *v, int n)
{
	static const char *const names[] = { "off", "on" };
	int i = pick(names, 2, v, n);

	if (i < 0)
		return -1;
	cfg->ir = i;
	return 0;
}

static const struct option {
	const char *key;
	int (*set)(struct config *cfg, const char *val, int len);
} options[] = {
	{ "console", opt_console },
	{ "tests", opt_tests },
	{ "samples", opt_samples },
	{ "exit", opt_exit },
	{ "cpus", opt_cpus },
	{ "apic", opt_apic },
	{ "ir", opt_ir },
};

static void apply(struct config *cfg, const struct token *t)
{
	for (unsigned i = 0; i < sizeof(options) / sizeof(options[0]); i++) {
		const struct option *o = &options[i];

		if ((int)strlen(o->key) != t->klen || strncmp(o->key, t->key, t->klen))
			continue;
		if (!t->val)
			config_warn(cfg, "option '%.*s' needs a value", t->klen, t->key);
		else if (o->set(cfg, t->val, t->vlen))
			config_warn(cfg, "option '%.*s': bad value '%.*s', ignored", t->klen, t->key,
			     t->vlen, t->val);
		return;
	}
	config_warn(cfg, "unknown option '%.*s', ignored", t->klen, t->key);
}

/* A first word without '=' that looks like a path is the image name that
 * QEMU's Multiboot loader and GRUB put in front of the options. */
static int is_image_path(const char *s, int n)
{
	for (int i = 0; i < n; i++)
		if (s[i] == '=')
			return 0;
	for (int i = 0; i < n; i++)
		if (s[i] == '/' || s[i] == '\\')
			return 1;
	return n > 4 && (!strncmp(s + n - 4, ".elf", 4) || !strncmp(s + n - 4, ".efi", 4) ||
			 !strncmp(s + n - 4, ".EFI", 4));
}

void config_parse(const char *cmdline, struct config *cfg)
{
	const char *p = cmdline ? cmdline : "";
	int first = 1;

	memset(cfg, 0, sizeof(*cfg));
	cfg->console_port = 0x3f8;
	cfg->console_baud = 115200;
	memcpy(cfg->tests, "*", 2);
	cfg->samples = CONFIG_SAMPLES_DEFAULT;
	cfg->exit = EXIT_AUTO;
	cfg->apic = APIC_AUTO;
	cfg->cpus = CONFIG_CPUS_MAX;
	cfg->ir = 1;

	while (*p == ' ' || *p == '\t')
		p++;
	cfg->options = p;
	while (*p) {
		struct token t = { .key = p };
		const char *end = p;

		while (*end && *end != ' ' && *end != '\t')
			end++;
		if (first && is_image_path(p, (int)(end - p))) {
			cfg->options = end;
			while (*cfg->options == ' ' || *cfg->options == '\t')
				cfg->options++;
		} else {
			while (t.key + t.klen < end && t.key[t.klen] != '=')
				t.klen++;
			if (t.key + t.klen < end) {
				t.val = t.key + t.klen + 1;
				t.vlen = (int)(end - t.val);
			}
			apply(cfg, &t);
		}
		first = 0;
		p = end;
		while (*p == ' ' || *p == '\t')
			p++;
	}
}
