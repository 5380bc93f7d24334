// SPDX-License-Identifier: MIT
/* Formatting into a buffer; kprintf() is in lib/console.c. */
#include <stdint.h>
#include "lib/printf.h"

struct out {
	char *buf;
	size_t size;
	size_t len;	/* characters produced, as C's snprintf counts them */
};

static void put(struct out *o, char c)
{
	if (o->len + 1 < o->size)
		o->buf[o->len] = c;
	o->len++;
}

static void pad(struct out *o, char c, int n)
{
	while (n-- > 0)
		put(o, c);
}

struct spec {
	int left, zero, width, prec;
};

static void emit(struct out *o, const struct spec *s, const char *str, int n,
		 const char *prefix)
{
	int plen = 0, fill;

	while (prefix[plen])
		plen++;
	fill = s->width - n - plen;
	if (!s->left && !s->zero)
		pad(o, ' ', fill);
	while (*prefix)
		put(o, *prefix++);
	if (!s->left && s->zero)
		pad(o, '0', fill);
	while (n--)
		put(o, *str++);
	if (s->left)
		pad(o, ' ', fill);
}

static void number(struct out *o, const struct spec *s, uint64_t v,
		   unsigned base, int upper, const char *prefix)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char tmp[24];
	int n = sizeof(tmp);

	do {
		tmp[--n] = digits[v % base];
		v /= base;
	} while (v);
	emit(o, s, tmp + n, (int)sizeof(tmp) - n, prefix);
}

int kvsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct out o = { .buf = buf, .size = size };

	for (; *fmt; fmt++) {
		struct spec s = { .prec = -1 };
		int lng = 0;

		if (*fmt != '%') {
			put(&o, *fmt);
			continue;
		}
		for (fmt++;; fmt++) {
			if (*fmt == '-')
				s.left = 1;
			else if (*fmt == '0')
				s.zero = 1;
			else
				break;
		}
		if (*fmt == '*') {
			s.width = va_arg(ap, int);
			fmt++;
		}
		while (*fmt >= '0' && *fmt <= '9')
			s.width = s.width * 10 + *fmt++ - '0';
		if (*fmt == '.') {
			s.prec = 0;
			if (*++fmt == '*') {
				s.prec = va_arg(ap, int);
				fmt++;
			}
			while (*fmt >= '0' && *fmt <= '9')
				s.prec = s.prec * 10 + *fmt++ - '0';
		}
		for (; *fmt == 'l' || *fmt == 'z'; fmt++)
			lng++;
		switch (*fmt) {
		case 'd':
		case 'i': {
			int64_t v = lng ? va_arg(ap, int64_t) : va_arg(ap, int);

			number(&o, &s, v < 0 ? 0 - (uint64_t)v : (uint64_t)v, 10, 0, v < 0 ? "-" : "");
			break;
		}
		case 'u':
		case 'x':
		case 'X': {
			uint64_t v = lng ? va_arg(ap, uint64_t) : va_arg(ap, unsigned);

			number(&o, &s, v, *fmt == 'u' ? 10 : 16, *fmt == 'X', "");
			break;
		}
		case 'p': {
			struct spec ps = s;

			ps.zero = 0;
			number(&o, &ps, (uintptr_t)va_arg(ap, void *), 16, 0, "0x");
			break;
		}
		case 's': {
			const char *str = va_arg(ap, const char *);
			int n = 0;

			if (!str)
				str = "(null)";
			while (str[n] && (s.prec < 0 || n < s.prec))
				n++;
			s.zero = 0;
			emit(&o, &s, str, n, "");
			break;
		}
		case 'c': {
			char c = (char)va_arg(ap, int);

			s.zero = 0;
			emit(&o, &s, &c, 1, "");
			break;
		}
		case '%':
			put(&o, '%');
			break;
		case 0:		/* a lone '%' at the end */
			put(&o, '%');
			fmt--;
			break;
		default:
			put(&o, '%');
			put(&o, *fmt);
			break;
		}
	}
	if (size)
		buf[o.len < size ? o.len : size - 1] = 0;
	return (int)o.len;
}

int ksnprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = kvsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}
