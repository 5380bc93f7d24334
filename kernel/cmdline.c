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

/* The next comma-separated field of v[0..n) from *at: its length. */
static int field(const char *v, int n, int *at, const char **f)
{
	int len = 0;

	*f = v + *at;
	while (*at + len < n && v[*at + len] != ',')
		len++;
	*at += len + (*at + len < n);	/* and past the comma, if there is one */
	return len;
}

/* auto | ttyS0-3[,baud] | io:0xPORT[,baud] | mmio,ADDR[,baud] | mmio32,ADDR[,baud] */
static int opt_console(struct config *cfg, const char *v, int n)
{
	static const uint16_t ports[] = { 0x3f8, 0x2f8, 0x3e8, 0x2e8 };
	enum console_kind kind = CONSOLE_IO;
	uint64_t base, baud = 115200;
	const char *f;
	int at = 0, len = field(v, n, &at, &f);

	if (len == 4 && !strncmp(f, "auto", 4) && at >= n) {
		cfg->console = CONSOLE_AUTO;
		cfg->console_base = ports[0];
		cfg->console_baud = 115200;
		return 0;
	}
	if (len == 5 && !strncmp(f, "ttyS", 4) && f[4] >= '0' && f[4] <= '3') {
		base = ports[f[4] - '0'];
	} else if (len > 3 && !strncmp(f, "io:", 3)) {
		if (parse_u64(f + 3, len - 3, &base) || base == 0 || base > 0xfff8)
			return -1;
	} else if ((len == 4 && !strncmp(f, "mmio", 4)) || (len == 6 && !strncmp(f, "mmio32", 6))) {
		kind = len == 4 ? CONSOLE_MMIO : CONSOLE_MMIO32;
		len = field(v, n, &at, &f);
		if (parse_u64(f, len, &base) || base == 0 || (base & (kind == CONSOLE_MMIO32 ? 3 : 0)))
			return -1;
	} else {
		return -1;
	}
	if (at < n && (len = field(v, n, &at, &f), parse_u64(f, len, &baud) || baud < 50 ||
		       baud > 115200 || at < n))
		return -1;
	cfg->console = kind;
	cfg->console_base = base;
	cfg->console_baud = (uint32_t)baud;
	return 0;
}

static int opt_tests(struct config *cfg, const char *v, int n)
{
	if (n <= 0 || n >= CONFIG_TESTS_LEN)
		return -1;
	memcpy(cfg->tests, v, n);
	cfg->tests[n] = 0;
	cfg->tests_given = 1;
	return 0;
}

static int opt_samples(struct config *cfg, const char *v, int n)
{
	uint64_t s;

	if (parse_u64(v, n, &s) || s < 1 || s > CONFIG_SAMPLES_MAX)
		return -1;
	cfg->samples = s;
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

/* An option that is one of a few names: *dst becomes the name's index. */
#define CHOICE(dst, v, n, ...) ({						\
	static const char *const names_[] = { __VA_ARGS__ };			\
	int i_ = pick(names_, sizeof(names_) / sizeof(names_[0]), v, n);	\
	if (i_ >= 0)								\
		dst = i_;							\
	i_ < 0 ? -1 : 0;							\
})

static int opt_apic(struct config *cfg, const char *v, int n)
{
	return CHOICE(cfg->apic, v, n, "auto", "xapic", "x2apic");
}

static int opt_ir(struct config *cfg, const char *v, int n)
{
	return CHOICE(cfg->ir, v, n, "off", "on");
}

/* A duration: a number and a unit, ms, s, m or h (30s, 10m, 8h). */
static int parse_duration_ms(const char *v, int n, uint64_t *ms)
{
	static const struct { const char *unit; uint64_t ms; } units[] = {
		{ "ms", 1 }, { "s", 1000 }, { "m", 60000 }, { "h", 3600000 },
	};
	int digits = 0;
	uint64_t x;

	while (digits < n && v[digits] >= '0' && v[digits] <= '9')
		digits++;
	if (digits == 0 || parse_u64(v, digits, &x))
		return -1;
	for (unsigned i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		if ((int)strlen(units[i].unit) != n - digits ||
		    strncmp(units[i].unit, v + digits, (size_t)(n - digits)))
			continue;
		if (x == 0 || x > CONFIG_DURATION_MAX_MS / units[i].ms)
			return -1;
		*ms = x * units[i].ms;
		return 0;
	}
	return -1;
}

static int opt_soak(struct config *cfg, const char *v, int n)
{
	return parse_duration_ms(v, n, &cfg->soak_ms);
}

static int opt_progress(struct config *cfg, const char *v, int n)
{
	return parse_duration_ms(v, n, &cfg->progress_ms);
}

static int opt_idle(struct config *cfg, const char *v, int n)
{
	return CHOICE(cfg->idle_poll, v, n, "halt", "poll");
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
	{ "idle", opt_idle },
	{ "soak", opt_soak },
	{ "progress", opt_progress },
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
	cfg->console = CONSOLE_AUTO;
	cfg->console_base = 0x3f8;
	cfg->console_baud = 115200;
	memcpy(cfg->tests, "*", 2);
	cfg->samples = CONFIG_SAMPLES_DEFAULT;
	cfg->exit = EXIT_AUTO;
	cfg->apic = APIC_AUTO;
	cfg->cpus = CONFIG_CPUS_MAX;
	cfg->ir = 1;
	cfg->progress_ms = CONFIG_PROGRESS_DEFAULT_MS;

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
	/* soak= alone means the soak (tests/fw/msi.c): a manual suite. */
	if (cfg->soak_ms && !cfg->tests_given)
		memcpy(cfg->tests, "soak.*", 7);
}
