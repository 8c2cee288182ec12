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
 * libFuzzer target for the broker's output pipeline (src/lgbrokerd/
 * output.c): raw router bytes through the terminal clean-up, echo
 * removal, prompt and pager detection, error patterns, drop and replace
 * filters and the output cap, fed in chunks whose size the input's first
 * byte chooses.  Beyond not crashing, it aborts when what would leave the
 * broker holds a control byte other than newline and tab (C1 in UTF-8
 * included), or passes the cap.
 */

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lg.h"
#include "lgbrokerd/broker.h"

#define FUZZ_CAP	4096

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static struct lg_driver	 drv;
static struct lg_regex	 errs[2];
static struct lg_filter	 filters[2];
static int		 ready;

static void
compile(struct lg_regex *re, const char *src)
{
	char	 err[128];

	if (regex_compile(re, src, err, sizeof(err)) == -1)
		abort();
}

static void
setup(void)
{
	compile(&drv.prompt, "(?m)^[\\w.\\-@/:()]{1,63}[>#] ?\\z");
	compile(&drv.pager, "(--More--|---\\(more( \\d+%)?\\)---) ?\\z");
	compile(&errs[0], "(?m)^% ?(Invalid|Unknown|Incomplete)");
	compile(&errs[1], "(?m)^error: ");
	drv.errors = errs;
	drv.nerrors = 2;
	compile(&filters[0].match, "(?i)password \\S+");
	filters[0].action = FILTER_REPLACE;
	filters[0].replacement = (char *)(uintptr_t)"password <removed>";
	compile(&filters[1].match, "^Load for ");
	filters[1].action = FILTER_DROP;
	drv.filters = filters;
	drv.nfilters = 2;
	ready = 1;
}

static void
check(const struct output *o, uint64_t *seen)
{
	size_t		 i;
	unsigned char	 ch;

	for (i = 0; i < o->out.len; i++) {
		ch = (unsigned char)o->out.data[i];
		if ((ch < 0x20 && ch != '\n' && ch != '\t') || ch == 0x7f)
			abort();
		if (ch == 0xc2 && i + 1 < o->out.len &&
		    (unsigned char)o->out.data[i + 1] >= 0x80 &&
		    (unsigned char)o->out.data[i + 1] <= 0x9f)
			abort();
	}
	*seen += o->out.len;
	if (*seen > FUZZ_CAP)
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct output	 o;
	size_t		 off, n, step;
	uint64_t	 seen = 0;

	if (!ready)
		setup();
	if (size < 1)
		return 0;
	step = (size_t)data[0] + 1;
	output_init(&o, &drv, NULL, 0, FUZZ_CAP);
	output_start(&o, "show bgp ipv4 unicast 1.0.0.0/24", "R1#");
	for (off = 1; off < size; off += n) {
		n = size - off < step ? size - off : step;
		output_feed(&o, (const char *)data + off, n);
		check(&o, &seen);
		buf_reset(&o.out);
	}
	output_free(&o);
	return 0;
}
