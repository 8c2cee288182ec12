/*
 * Copyright (c) 2026 The Lorgnette authors
 *
 * Permission to use, copy, modify, and distribute this software for any
 * purpose with or without fee is hereby granted, provided that the above
 * copyright notice and this permission notice appear in all copies.
 *
 * THE SOFTWARE IS PROVIDED "AS IS" AND THE AUTHOR DISCLAIMS ALL WARRANTIES
 * WITH REGARD TO THIS SOFTWARE INCLUDING ALL IMPLIED WARRANTIES OF
 * MERCHANTABILITY AND FITNESS. IN NO EVENT SHALL THE AUTHOR BE LIABLE FOR
 * ANY SPECIAL, DIRECT, INDIRECT, OR CONSEQUENTIAL DAMAGES OR ANY DAMAGES
 * WHATSOEVER RESULTING FROM LOSS OF USE, DATA OR PROFITS, WHETHER IN AN
 * ACTION OF CONTRACT, NEGLIGENCE OR OTHER TORTIOUS ACTION, ARISING OUT OF
 * OR IN CONNECTION WITH THE USE OR PERFORMANCE OF THIS SOFTWARE.
 */


/*
 * libFuzzer target for the validation path (validate.c and its kinds),
 * fed as a hostile HTTP client or front would feed it.  Input layout:
 * byte 0 picks the query type (one past the last is an unknown type),
 * byte 1 the afi (3 is invalid), the rest is the target, cut at the
 * first NUL as the C string API would see it.  The policy is the
 * built-in one with every query type offered.  Beyond "never crashes" it
 * aborts when an invariant fails:
 *
 *  - on LG_OK a target with a kind has a non-empty, printable canonical
 *    form without ';', newline, CR, quotes or backslash (and without '|'
 *    unless it is an AS-path regex), and validating that canonical form
 *    again gives the same form and kind (idempotence);
 *  - an address target passes validate_resolved with the same text;
 *  - on an error the message is non-empty, printable and names a field,
 *    and the target is left empty.
 */

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lg.h"

static struct lg_policy	 pol;
static char		 input[LG_TARGET_MAX * 4 + 1];

static int
printable(const char *s)
{
	for (; *s != '\0'; s++)
		if (*s < 0x20 || *s >= 0x7f)
			return 0;
	return 1;
}

static void
check_error(enum lg_err rc, const char *err)
{
	if (rc != LG_ERR_BAD_QUERY && rc != LG_ERR_DENIED)
		abort();
	if (*err == '\0' || !printable(err))
		abort();
	if (strncmp(err, "target: ", 8) != 0 && strncmp(err, "type: ", 6) != 0
	    && strncmp(err, "afi: ", 5) != 0)
		abort();
}

static void
check_ok(enum lg_query_type type, enum lg_afi afi, const struct lg_target *t)
{
	struct lg_target	 again;
	char			 err[LG_ERRSTR_MAX];

	if (t->kind == TGT_NONE) {
		if (t->canon[0] != '\0')
			abort();
		return;
	}
	if (t->canon[0] == '\0' || !printable(t->canon) ||
	    strpbrk(t->canon, ";\n\r\"'\\`") != NULL)
		abort();
	if (t->kind != TGT_ASPATH && strchr(t->canon, '|') != NULL)
		abort();
	if (validate_query(&pol, type, afi, t->canon, &again, err,
	    sizeof(err)) != LG_OK || strcmp(again.canon, t->canon) != 0 ||
	    again.kind != t->kind)
		abort();
	if (t->kind == TGT_ADDRESS) {
		if (validate_resolved(&pol, t->family, t->addr, &again, err,
		    sizeof(err)) != LG_OK || strcmp(again.canon, t->canon) != 0)
			abort();
	}
}

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct lg_target	 t;
	enum lg_query_type	 type;
	enum lg_afi		 afi;
	char			 err[LG_ERRSTR_MAX];
	enum lg_err		 rc;
	size_t			 n;

	if (pol.forbidden == NULL) {
		if (policy_init_defaults(&pol) == -1)
			abort();
		pol.queries = Q_MASK_ALL;
	}
	if (size < 2)
		return 0;
	type = (enum lg_query_type)(data[0] % (Q_COUNT + 1));
	afi = (enum lg_afi)(data[1] % 4);
	n = size - 2 < sizeof(input) - 1 ? size - 2 : sizeof(input) - 1;
	memcpy(input, data + 2, n);
	input[n] = '\0';

	err[0] = '\0';
	rc = validate_query(&pol, type, afi, input, &t, err, sizeof(err));
	if (rc == LG_OK)
		check_ok(type, afi, &t);
	else {
		check_error(rc, err);
		if (t.kind != TGT_NONE || t.canon[0] != '\0')
			abort();
	}

	/* The helpers the front uses on the same bytes. */
	(void)validate_router_name(input);
	err[0] = '\0';
	if (validate_afi_param(input, &afi, err, sizeof(err)) == -1 &&
	    !printable(err))
		abort();
	return 0;
}
