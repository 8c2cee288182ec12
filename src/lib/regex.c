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
 * The pcre2 wrapper used by driver tables, output filters and the prompt
 * matcher: compile once at load time (with a message naming the offset
 * of a bad pattern), match many times on router output.  The pattern text
 * is kept beside the code so that diagnostics can show it.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef PCRE2_CODE_UNIT_WIDTH
#define PCRE2_CODE_UNIT_WIDTH 8
#endif
#include <pcre2.h>

#include "lg.h"

/*
 * Compiles src into re.  Returns 0, or -1 with pcre2's message and the
 * offset of the fault in err.  JIT is an optimisation: its failure is
 * not an error.
 */
int
regex_compile(struct lg_regex *re, const char *src, char *err, size_t errsz)
{
	pcre2_code	*code;
	PCRE2_UCHAR	 msg[128];
	PCRE2_SIZE	 off;
	int		 rc;

	re->re = NULL;
	re->src = NULL;
	code = pcre2_compile((PCRE2_SPTR)src, PCRE2_ZERO_TERMINATED, 0, &rc,
	    &off, NULL);
	if (code == NULL) {
		pcre2_get_error_message(rc, msg, sizeof(msg));
		snprintf(err, errsz, "%s at offset %zu", (char *)msg,
		    (size_t)off);
		return -1;
	}
	(void)pcre2_jit_compile(code, PCRE2_JIT_COMPLETE);
	re->re = code;
	re->src = xstrdup(src);
	return 0;
}

void
regex_free(struct lg_regex *re)
{
	pcre2_code_free(re->re);
	free(re->src);
	re->re = NULL;
	re->src = NULL;
}

int
regex_find(const struct lg_regex *re, const char *buf, size_t len,
    size_t *start, size_t *end)
{
	pcre2_match_data	*md;
	PCRE2_SIZE		*ov;
	int			 rc;

	if (re->re == NULL)
		return 0;
	if ((md = pcre2_match_data_create(1, NULL)) == NULL)
		return -1;
	rc = pcre2_match(re->re, (PCRE2_SPTR)buf, len, 0, 0, md, NULL);
	if (rc >= 0) {
		ov = pcre2_get_ovector_pointer(md);
		if (start != NULL)
			*start = ov[0];
		if (end != NULL)
			*end = ov[1];
	}
	pcre2_match_data_free(md);
	if (rc == PCRE2_ERROR_NOMATCH)
		return 0;
	return rc >= 0 ? 1 : -1;
}

int
regex_match(const struct lg_regex *re, const char *buf, size_t len)
{
	return regex_find(re, buf, len, NULL, NULL);
}
