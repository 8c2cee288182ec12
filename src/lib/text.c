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
 * Text that came from outside (routers, resolvers, SSH peers) on its way
 * to a log line, a wire string or a terminal.  lg_utf8_seq is the one
 * UTF-8 decoder of the library; lg_text_clean builds on it to keep only
 * well-formed, non-control text: invalid UTF-8 and the C1 controls
 * (U+0080-U+009F, which terminals take as CSI, OSC and friends) are
 * removed, C0 controls and DEL become '?', and tab and newline are kept
 * or turned into spaces as the caller asks.
 */

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "lg.h"

/*
 * Decodes the sequence at s.  Returns its length (1 to 4) and the code
 * point in *cp, 0 when the bytes are not UTF-8 (overlong forms,
 * surrogates, beyond U+10FFFF, a bad continuation), or -1 when s ends in
 * the middle of a sequence that could still be valid.
 */
int
lg_utf8_seq(const uint8_t *s, size_t len, uint32_t *cp)
{
	uint8_t		 lo = 0x80, hi = 0xbf;
	uint32_t	 c;
	size_t		 n, k;

	if (len == 0)
		return -1;
	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		n = 2;
		c = s[0] & 0x1f;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		n = 3;
		c = s[0] & 0x0f;
		lo = s[0] == 0xe0 ? 0xa0 : 0x80;
		hi = s[0] == 0xed ? 0x9f : 0xbf;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		n = 4;
		c = s[0] & 0x07;
		lo = s[0] == 0xf0 ? 0x90 : 0x80;
		hi = s[0] == 0xf4 ? 0x8f : 0xbf;
	} else
		return 0;
	for (k = 1; k < n; k++) {
		if (k >= len)
			return -1;
		if (s[k] < (k == 1 ? lo : 0x80) || s[k] > (k == 1 ? hi : 0xbf))
			return 0;
		c = (c << 6) | (s[k] & 0x3f);
	}
	*cp = c;
	return (int)n;
}

/* A code point no terminal should see raw: C0, DEL, C1. */
int
lg_char_control(uint32_t cp)
{
	return cp < 0x20 || (cp >= 0x7f && cp <= 0x9f);
}

/*
 * Cleans len bytes in place (see the top of the file) and NUL-terminates
 * the result, which never grows; s must hold len + 1 bytes.  Returns the
 * new length.  With LG_TEXT_MULTILINE, tab and newline stay; otherwise
 * tab, CR and newline become spaces, so the text is one line.
 */
size_t
lg_text_clean(char *s, size_t len, int flags)
{
	uint8_t		*u = (uint8_t *)s;
	uint32_t	 cp;
	size_t		 i = 0, j = 0;
	int		 n;

	while (i < len) {
		/* Most text is printable ASCII, kept as it is. */
		if (u[i] >= 0x20 && u[i] < 0x7f) {
			u[j++] = u[i++];
			continue;
		}
		if ((n = lg_utf8_seq(u + i, len - i, &cp)) <= 0) {
			i++;		/* invalid or cut: dropped */
			continue;
		}
		if (cp >= 0x80 && cp <= 0x9f) {
			i += (size_t)n;
			continue;
		}
		if (cp == '\t' || cp == '\n' || cp == '\r')
			u[j++] = (flags & LG_TEXT_MULTILINE) && cp != '\r' ?
			    (uint8_t)cp : (flags & LG_TEXT_MULTILINE) ? '?' :
			    ' ';
		else if (lg_char_control(cp))
			u[j++] = '?';
		else {
			memmove(u + j, u + i, (size_t)n);
			j += (size_t)n;
		}
		i += (size_t)n;
	}
	s[j] = '\0';
	return j;
}
