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
 * libFuzzer target for src/lib/render.c.  The first byte picks a query
 * type, family and AS-path style; the rest is used both as a command
 * template (checked by render_template_check, then rendered when it
 * passes) and as the canonical text of an AS-path target, so the
 * Junos and BIRD translations see arbitrary input.  Whatever comes out
 * must be a command render is allowed to return.
 */

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lg.h"

int	 LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void
fz_check(const struct lg_driver *d, enum lg_query_type q, const char *cmd)
{
	const unsigned char	*p;

	if (strlen(cmd) >= LG_COMMAND_MAX)
		abort();
	for (p = (const unsigned char *)cmd; *p != '\0'; p++)
		if (*p < 0x20 || *p > 0x7e || strchr(";?{}\\", *p) != NULL ||
		    (*p == '|' && (q != Q_BGP_ASPATH ||
		    !d->aspath_alternation)))
			abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char		 aspath_tmpl[] = "show \"{aspath}\"";
	struct lg_driver	 d;
	struct lg_target	 t;
	struct lg_render_ctx	 ctx = { "198.18.0.1", "2001:2::1", "V" };
	enum lg_query_type	 q;
	enum lg_afi		 afi;
	char			 text[LG_COMMAND_MAX + 1];
	char			 cmd[LG_COMMAND_MAX], err[LG_ERRSTR_MAX];

	if (size < 1 || size > LG_COMMAND_MAX)
		return 0;
	q = (enum lg_query_type)(data[0] % Q_COUNT);
	afi = (enum lg_afi)((data[0] >> 3) % 3);
	memcpy(text, data + 1, size - 1);
	text[size - 1] = '\0';

	memset(&d, 0, sizeof(d));
	lg_strlcpy(d.name, "fuzz", sizeof(d.name));
	d.ping_count = 5;
	d.aspath_style = (enum lg_aspath_style)((data[0] >> 5) % 3);
	d.aspath_alternation = data[0] >> 7;
	if (render_template_check(q, afi, text, err, sizeof(err)) == 0) {
		d.queries[q].tmpl[afi] = text;
		memset(&t, 0, sizeof(t));
		t.kind = TGT_ADDRESS;
		t.family = afi == AFI_IPV6 ? AFI_IPV6 : AFI_IPV4;
		if (render_command(&d, q, afi, &t, &ctx, cmd, sizeof(cmd),
		    err, sizeof(err)) == LG_OK)
			fz_check(&d, q, cmd);
		d.queries[q].tmpl[afi] = NULL;
	}
	memset(&t, 0, sizeof(t));
	t.kind = TGT_ASPATH;
	lg_strlcpy(t.canon, text, sizeof(t.canon));
	d.queries[Q_BGP_ASPATH].tmpl[AFI_ANY] = aspath_tmpl;
	if (render_command(&d, Q_BGP_ASPATH, AFI_ANY, &t, &ctx, cmd,
	    sizeof(cmd), err, sizeof(err)) == LG_OK)
		fz_check(&d, Q_BGP_ASPATH, cmd);
	return 0;
}
