// SPDX-License-Identifier: MIT
/* The ACPI table header check shared by the parsers. See ACPI 6.5, 5.2.6. */
#include "drivers/acpi/table.h"
#include "drivers/acpi/acpi.h"
#include "lib/string.h"

int acpi_checksum_ok(const void *p, size_t len)
{
	const uint8_t *b = p;
	uint8_t sum = 0;

	while (len--)
		sum += *b++;
	return sum == 0;
}

void acpi_err(struct acpi_errors *e, const char *fmt, ...)
{
	va_list ap;

	if (e->n < ACPI_ERRORS_MAX) {
		va_start(ap, fmt);
		kvsnprintf(e->msg[e->n], sizeof(e->msg[0]), fmt, ap);
		va_end(ap);
	}
	e->n++;
}

size_t acpi_table_check(const void *t, size_t len, const char sig[4], size_t min_len,
			struct acpi_errors *e)
{
	const struct acpi_header *h = t;

	if (len < sizeof(*h) || len < min_len) {
		acpi_err(e, "%.4s: %zu bytes, shorter than its minimum of %zu", sig, len,
			 min_len > sizeof(*h) ? min_len : sizeof(*h));
		return 0;
	}
	if (memcmp(h->signature, sig, 4))
		acpi_err(e, "%.4s: signature is \"%.4s\"", sig, h->signature);
	if (h->length < min_len) {
		acpi_err(e, "%.4s: length field %u below the minimum of %zu", sig, h->length, min_len);
		return 0;
	}
	if (h->length > len) {
		acpi_err(e, "%.4s: length field %u runs past the %zu bytes available", sig,
			 h->length, len);
		return len;
	}
	if (!acpi_checksum_ok(t, h->length))
		acpi_err(e, "%.4s: checksum bad", sig);
	return h->length;
}
