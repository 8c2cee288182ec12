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
 * libFuzzer target for the driver table loader (src/lib/driver*.c): the
 * input is written to a .conf file and loaded; a table that loads is then
 * rendered for every query type, family and a few targets, and every
 * command that comes out must pass the same checks render promises.  Seeds:
 * tests/fuzz/corpus/driver/, copies of the tables in drivers/.
 */

#include <arpa/inet.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lg.h"

int	 LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static char	 fz_dir[] = "/tmp/lg-fuzz-driver.XXXXXX";
static char	 fz_file[sizeof(fz_dir) + 32];

/* The scratch directory goes when libFuzzer exits at the end of its run. */
static void
fz_cleanup(void)
{
	unlink(fz_file);
	rmdir(fz_dir);
}

static void
fz_target(struct lg_target *t, enum lg_target_kind kind, const char *text)
{
	memset(t, 0, sizeof(*t));
	t->kind = kind;
	lg_strlcpy(t->canon, text, sizeof(t->canon));
	if (kind == TGT_ADDRESS || kind == TGT_PREFIX) {
		t->family = strchr(text, ':') != NULL ? AFI_IPV6 : AFI_IPV4;
		inet_pton(t->family == AFI_IPV4 ? AF_INET : AF_INET6, text,
		    t->addr);
		t->prefixlen = t->family == AFI_IPV4 ? 32 : 128;
	}
	if (kind == TGT_COMMUNITY) {
		t->comm_kind = strcmp(text, "65000:1:2") == 0 ? COMM_LARGE :
		    COMM_STANDARD;
		t->comm[0] = 65000;
		t->comm[1] = 1;
		t->comm[2] = 2;
	}
}

static void
fz_render(const struct lg_driver *d)
{
	static const struct { enum lg_target_kind k; const char *s; } tg[] = {
		{ TGT_ADDRESS, "198.18.1.1" }, { TGT_ADDRESS, "2001:2::1" },
		{ TGT_PREFIX, "198.18.0.0" }, { TGT_COMMUNITY, "65000:1" },
		{ TGT_COMMUNITY, "65000:1:2" }, { TGT_ASPATH, "_65000_" },
		{ TGT_ASPATH, "^65000_[0-9]+$" }, { TGT_NONE, "" },
	};
	struct lg_render_ctx	 ctx = { "198.18.0.1", "2001:2::1", "V" };
	struct lg_target	 t;
	enum lg_afi		 fam[2];
	char			 cmd[LG_COMMAND_MAX], err[LG_ERRSTR_MAX];
	unsigned int		 q, a, i;
	int			 n, k;

	for (q = 0; q < Q_COUNT; q++)
		for (a = AFI_ANY; a <= AFI_IPV6; a++)
			for (i = 0; i < sizeof(tg) / sizeof(tg[0]); i++) {
				fz_target(&t, tg[i].k, tg[i].s);
				n = render_families(d, (enum lg_query_type)q,
				    (enum lg_afi)a, &t, fam);
				for (k = 0; k < n; k++)
					if (render_command(d,
					    (enum lg_query_type)q, fam[k], &t,
					    &ctx, cmd, sizeof(cmd), err,
					    sizeof(err)) == LG_OK &&
					    strpbrk(cmd, ";?\n\r{}") != NULL)
						abort();
			}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct lg_driver	 d;
	struct lg_diag		 diag;
	FILE			*fp;

	if (fz_file[0] == '\0') {
		if (mkdtemp(fz_dir) == NULL)
			abort();
		snprintf(fz_file, sizeof(fz_file), "%s/fuzz.conf", fz_dir);
		atexit(fz_cleanup);
	}
	if ((fp = fopen(fz_file, "wb")) == NULL)
		abort();
	if (size > 0 && fwrite(data, 1, size, fp) != size)
		abort();
	fclose(fp);
	diag_init(&diag);
	if (driver_load_file(fz_file, &d, &diag) == 0) {
		fz_render(&d);
		driver_free(&d);
	} else if (diag.nerrors == 0)
		abort();	/* refused without saying why */
	diag_free(&diag);
	return 0;
}
