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

/* Parse a decimal or 0x-prefixed number that fills exactly n characters.
 * One that does not fit in 64 bits is refused (the caller warns), never
 * taken modulo 2^64: samples=0x10000000000000005 is not 5. */
static int parse_u64(const char *s, int n, uint64_t *out)
{
	unsigned base = 10;
	uint64_t v = 0;

	if (n > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		s += 2;
		n -= 2;
	}
	if (n <= 0)
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
		if (v > (UINT64_MAX - d) / base)
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

	if (parse_u64(v, n, &s) || s < CONFIG_SAMPLES_MIN || s > CONFIG_SAMPLES_MAX)
		return -1;
	cfg->samples = s;
	return 0;
}

static int pick(const char *const *names, int count, const char *v, int n);

#define COUNT(a) ((int)(sizeof(a) / sizeof((a)[0])))

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
	int i = pick(exit_names, COUNT(exit_names), v, n);

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
static int choice(int *dst, const char *const *names, int count, const char *v, int n)
{
	int i = pick(names, count, v, n);

	if (i >= 0)
		*dst = i;
	return i < 0 ? -1 : 0;
}

static const char *const apic_names[] = { "auto", "xapic", "x2apic" };
static const char *const ir_names[] = { "off", "on" };
static const char *const idle_names[] = { "halt", "poll" };

static int opt_apic(struct config *cfg, const char *v, int n)
{
	int i = (int)cfg->apic, e = choice(&i, apic_names, COUNT(apic_names), v, n);

	cfg->apic = (enum apic_choice)i;
	return e;
}

static int opt_ir(struct config *cfg, const char *v, int n)
{
	return choice(&cfg->ir, ir_names, COUNT(ir_names), v, n);
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
	return choice(&cfg->idle_poll, idle_names, COUNT(idle_names), v, n);
}

#define STR_(x) #x
#define STR(x) STR_(x)
#define DURATION "a number and ms, s, m or h (30s, 10m, 8h)"

/* Each option, with its values as a warning lists them (docs/cmdline.md):
 * the names of a choice, or a description. */
static const struct option {
	const char *key;
	int (*set)(struct config *cfg, const char *val, int len);
	const char *const *names;
	int nnames;
	const char *values;
} options[] = {
	{ "console", opt_console, NULL, 0,
	  "auto, ttyS0-3, io:0xPORT, mmio,ADDR, mmio32,ADDR; each ,BAUD (50-115200)" },
	{ "tests", opt_tests, NULL, 0, "comma-separated globs over suite.name, or list" },
	{ "samples", opt_samples, NULL, 0,
	  STR(CONFIG_SAMPLES_MIN) " ... 10000000000 (the first is reported apart as cold)" },
	{ "exit", opt_exit, exit_names, COUNT(exit_names), NULL },
	{ "cpus", opt_cpus, NULL, 0, "1 ... " STR(CONFIG_CPUS_MAX) },
	{ "apic", opt_apic, apic_names, COUNT(apic_names), NULL },
	{ "ir", opt_ir, ir_names, COUNT(ir_names), NULL },
	{ "idle", opt_idle, idle_names, COUNT(idle_names), NULL },
	{ "soak", opt_soak, NULL, 0, DURATION },
	{ "progress", opt_progress, NULL, 0, DURATION },
};

static char lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

#define EDIT_MAX 32

/* Edits from a[0..n) to b (optimal string alignment: insert, delete,
 * replace, swap two neighbours; case does not count), or a large number
 * for words too long to be a typo of a name. */
static int distance(const char *a, int n, const char *b)
{
	int m = (int)strlen(b), d[EDIT_MAX + 1][EDIT_MAX + 1];

	if (n > EDIT_MAX || m > EDIT_MAX)
		return 1000;
	for (int i = 0; i <= n; i++)
		d[i][0] = i;
	for (int j = 0; j <= m; j++)
		d[0][j] = j;
	for (int i = 1; i <= n; i++) {
		for (int j = 1; j <= m; j++) {
			int cost = lower(a[i - 1]) != lower(b[j - 1]), x = d[i - 1][j - 1] + cost;

			if (d[i - 1][j] + 1 < x)
				x = d[i - 1][j] + 1;
			if (d[i][j - 1] + 1 < x)
				x = d[i][j - 1] + 1;
			if (i > 1 && j > 1 && lower(a[i - 1]) == lower(b[j - 2]) &&
			    lower(a[i - 2]) == lower(b[j - 1]) && d[i - 2][j - 2] + 1 < x)
				x = d[i - 2][j - 2] + 1;
			d[i][j] = x;
		}
	}
	return d[n][m];
}

/* The name closest to v[0..n), or NULL when none is close enough to be
 * what was meant: at most one edit in three characters of the name. Of
 * two as close, the one as long as v (x3apic: x2apic, not xapic). */
static const char *closest(const char *const *names, int count, int stride, const char *v, int n)
{
	const char *best = NULL;
	int best_d = 1000;

	for (int i = 0; i < count; i++) {
		const char *name = *(const char *const *)((const char *)names + (long)i * stride);
		int d = distance(v, n, name), rank = 2 * d + ((int)strlen(name) != n);

		if (rank < best_d && d * 3 <= (int)strlen(name) + 2) {
			best = name;
			best_d = rank;
		}
	}
	return best;
}

/* "a, b, c" into buf. */
static const char *join(char *buf, int size, const char *const *names, int count, int stride)
{
	int at = 0;

	buf[0] = 0;
	for (int i = 0; i < count && at < size; i++)
		at += ksnprintf(buf + at, (size_t)(size - at), "%s%s", i ? ", " : "",
				*(const char *const *)((const char *)names + (long)i * stride));
	return buf;
}

/* A word is echoed up to 32 characters, longer ones as 29 and "...": a
 * warning must fit the console's 160 (lib/console.c). */
#define ECHO_MAX 32
#define ECHO(len) ((len) > ECHO_MAX ? ECHO_MAX - 3 : (len))

static void apply(struct config *cfg, const struct token *t)
{
	char list[96], hint[48] = "";
	const char *near;

	for (int i = 0; i < COUNT(options); i++) {
		const struct option *o = &options[i];
		const char *values = o->values;

		if ((int)strlen(o->key) != t->klen || strncmp(o->key, t->key, t->klen))
			continue;
		if (o->names)
			values = join(list, sizeof(list), o->names, o->nnames, sizeof(o->names[0]));
		if (!t->val) {
			config_warn(cfg, "option '%.*s' needs a value: %s", t->klen, t->key, values);
		} else if (o->set(cfg, t->val, t->vlen)) {
			near = o->names ? closest(o->names, o->nnames, sizeof(o->names[0]), t->val,
						  t->vlen) : NULL;
			if (near)
				ksnprintf(hint, sizeof(hint), " did you mean '%s'?", near);
			config_warn(cfg, "option '%.*s': bad value '%.*s%s', ignored;%s values: %s",
				    t->klen, t->key, ECHO(t->vlen), t->val, t->vlen > ECHO_MAX ? "..." : "",
				    hint, values);
		}
		return;
	}
	near = closest(&options[0].key, COUNT(options), sizeof(options[0]), t->key, t->klen);
	if (near)
		ksnprintf(hint, sizeof(hint), " did you mean '%s'?", near);
	config_warn(cfg, "unknown option '%.*s%s', ignored;%s options: %s", ECHO(t->klen), t->key,
		    t->klen > ECHO_MAX ? "..." : "", hint, join(list, sizeof(list), &options[0].key, COUNT(options),
				       sizeof(options[0])));
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
