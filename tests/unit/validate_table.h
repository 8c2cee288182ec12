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
 * The table runner shared by the validation tests (test_validate*.c): one
 * row is a query type, an afi, the raw input, the expected code and either
 * the exact canonical text (LG_OK) or a substring of the message.  Every
 * row is also checked for the invariants that hold for any input: a
 * message names its field and is printable, a canonical form contains no
 * separator and validates again to itself.
 */

#ifndef VALIDATE_TABLE_H
#define VALIDATE_TABLE_H

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "lg.h"

struct vcase {
	enum lg_query_type	 type;
	enum lg_afi		 afi;
	const char		*input;
	enum lg_err		 code;
	const char		*expect;	/* canon, or message part */
};

#define OK(t, a, in, canon)	{ Q_##t, AFI_##a, in, LG_OK, canon }
#define BAD(t, a, in, msg)	{ Q_##t, AFI_##a, in, LG_ERR_BAD_QUERY, msg }
#define DENY(t, a, in, msg)	{ Q_##t, AFI_##a, in, LG_ERR_DENIED, msg }
#define NCASES(a)		(sizeof(a) / sizeof((a)[0]))

static size_t	 vcases_run;	/* reported at the end of each binary */
static struct lg_policy vpol;	/* the built-in policy */

static int
vgroup_setup(void **state)
{
	(void)state;
	return policy_init_defaults(&vpol);
}

static int
vgroup_teardown(void **state)
{
	(void)state;
	policy_free(&vpol);
	return 0;
}

static int
vprintable(const char *s)
{
	for (; *s != '\0'; s++)
		if (*s < 0x20 || *s >= 0x7f)
			return 0;
	return 1;
}

/* The invariants of any answer; returns a complaint or NULL. */
static const char *
vinvariants(const struct lg_policy *pol, const struct vcase *c,
    enum lg_err rc, const struct lg_target *t, const char *err)
{
	struct lg_target	 again;
	char			 err2[LG_ERRSTR_MAX];

	if (rc != LG_OK) {
		if (t->kind != TGT_NONE || t->canon[0] != '\0')
			return "a refused target is not empty";
		if (!vprintable(err) || *err == '\0')
			return "message empty or not printable";
		if (strncmp(err, "target: ", 8) != 0 &&
		    strncmp(err, "type: ", 6) != 0 &&
		    strncmp(err, "afi: ", 5) != 0)
			return "message does not name a field";
		return NULL;
	}
	if (!vprintable(t->canon) || strpbrk(t->canon, ";\n\r\"'\\`") != NULL)
		return "canonical form has a forbidden byte";
	if (t->kind != TGT_ASPATH && strchr(t->canon, '|') != NULL)
		return "canonical form has a '|'";
	if (t->kind == TGT_NONE)
		return t->canon[0] == '\0' ? NULL : "TGT_NONE with a canon";
	if (validate_query(pol, c->type, c->afi, t->canon, &again, err2,
	    sizeof(err2)) != LG_OK)
		return "canonical form does not validate again";
	if (strcmp(again.canon, t->canon) != 0 || again.kind != t->kind)
		return "canonical form is not a fixed point";
	return NULL;
}

/* Runs one row; returns 0, or -1 after printing what went wrong. */
static int
vcase_run(const struct lg_policy *pol, const struct vcase *c, size_t i)
{
	struct lg_target	 t;
	char			 err[LG_ERRSTR_MAX] = "";
	const char		*why = NULL;
	enum lg_err		 rc;

	vcases_run++;
	rc = validate_query(pol, c->type, c->afi, c->input, &t, err,
	    sizeof(err));
	if (rc != c->code)
		why = "wrong code";
	else if (rc == LG_OK && strcmp(t.canon, c->expect) != 0)
		why = "wrong canonical form";
	else if (rc != LG_OK && strstr(err, c->expect) == NULL)
		why = "message lacks the expected text";
	else
		why = vinvariants(pol, c, rc, &t, err);
	if (why == NULL)
		return 0;
	print_error("row %zu (%s, %s, \"%s\"): %s: got %s \"%s\", want %s "
	    "\"%s\"\n", i, query_name(c->type), afi_name(c->afi),
	    c->input == NULL ? "(null)" : vprintable(c->input) ? c->input :
	    "<binary>", why,
	    lg_err_name(rc), rc == LG_OK ? t.canon : err,
	    lg_err_name(c->code), c->expect);
	return -1;
}

static void
vtable_run(const struct vcase *cases, size_t n)
{
	size_t			 i, failed = 0;

	for (i = 0; i < n; i++)
		if (vcase_run(&vpol, &cases[i], i) == -1)
			failed++;
	assert_int_equal(failed, 0);
}

#endif /* VALIDATE_TABLE_H */
