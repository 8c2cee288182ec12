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
 * From a file descriptor to a libconfig tree, for lorgnette.conf and the
 * credentials file alike.  The text is read into memory first, so that
 * size is bounded, binary files are refused with a clear message and a
 * FIFO cannot hang the loader, and it is checked for @include before
 * libconfig sees it: an include could pull files from anywhere into a
 * configuration whose every key we check, and a credentials file could
 * name secrets outside its mode-0600 protection.  One file holds the
 * whole configuration.
 */

#include <sys/types.h>
#include <sys/stat.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libconfig.h>

#include "lg.h"
#include "config_int.h"

static int	 config_check_nul(const char *, size_t, const char *,
		    struct lg_diag *);
static int	 config_check_text(const char *, const char *,
		    struct lg_diag *);

/*
 * Reads a whole regular file.  Returns the NUL-terminated text (its length
 * in *lenp) for the caller to free, or NULL after a diagnostic.
 */
char *
config_read_fd(int fd, const char *name, struct lg_diag *diag, size_t *lenp)
{
	struct stat	 st;
	char		*buf;
	size_t		 len = 0, size;
	ssize_t		 n;

	if (fstat(fd, &st) == -1) {
		diag_error(diag, name, 0, "%s", strerror(errno));
		return NULL;
	}
	if (!S_ISREG(st.st_mode)) {
		diag_error(diag, name, 0, "not a regular file");
		return NULL;
	}
	if (st.st_size > CONFIG_TEXT_MAX) {
		diag_error(diag, name, 0, "too large (%lld bytes, at most %d)",
		    (long long)st.st_size, CONFIG_TEXT_MAX);
		return NULL;
	}
	size = (size_t)st.st_size + 1;
	buf = xmalloc(size + 1);
	for (;;) {
		n = read(fd, buf + len, size - len);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1) {
			diag_error(diag, name, 0, "%s", strerror(errno));
			goto fail;
		}
		if (n == 0)
			break;
		len += (size_t)n;
		if (len == size) {
			/* The file grew while we read it. */
			diag_error(diag, name, 0, "changed while being read");
			goto fail;
		}
	}
	buf[len] = '\0';
	if (config_check_nul(buf, len, name, diag) == -1)
		goto fail;
	if (lenp != NULL)
		*lenp = len;
	return buf;
fail:
	explicit_bzero(buf, size + 1);
	free(buf);
	return NULL;
}

/* A NUL byte: binary data, and libconfig would silently stop there. */
static int
config_check_nul(const char *text, size_t len, const char *name,
    struct lg_diag *diag)
{
	const char	*p, *nul;
	int		 line = 1;

	if ((nul = memchr(text, '\0', len)) == NULL)
		return 0;
	for (p = text; p < nul; p++)
		line += *p == '\n';
	diag_error(diag, name, line,
	    "NUL byte in the file: not a configuration file");
	return -1;
}

/*
 * A light pass over the text before libconfig sees it, following only
 * comments, strings and numbers.  It refuses what libconfig would get
 * wrong quietly or expensively:
 *
 *   - @include at the start of a line (see the top of this file);
 *   - a string or comment still open at the end of the file, reported at
 *     the line where it opened (libconfig 1.5 names the end of the file
 *     and leaks its string buffer);
 *   - an integer without the L suffix that does not fit 32 bits, which
 *     libconfig 1.5 silently truncates (4294967306 would read as 10).
 */
struct config_scan {
	const char	*p;
	int		 line;
	int		 bad;
	const char	*name;
	struct lg_diag	*diag;
};

static void
config_scan_number(struct config_scan *sc)
{
	const char	*start = sc->p, *q = sc->p;
	unsigned long long v = 0;
	int		 neg = 0, hex = 0, big = 0, d;

	if (*q == '-' || *q == '+')
		neg = *q++ == '-';
	if (q[0] == '0' && (q[1] == 'x' || q[1] == 'X')) {
		hex = 1;
		q += 2;
	}
	for (;; q++) {
		if (*q >= '0' && *q <= '9')
			d = *q - '0';
		else if (hex && *q >= 'a' && *q <= 'f')
			d = *q - 'a' + 10;
		else if (hex && *q >= 'A' && *q <= 'F')
			d = *q - 'A' + 10;
		else
			break;
		if (v > (1ULL << 40))
			big = 1;
		else
			v = v * (hex ? 16 : 10) + (unsigned long long)d;
	}
	sc->p = q;
	if (!hex && (*q == '.' || *q == 'e' || *q == 'E'))
		return;		/* a float, converted whole */
	if (*q == 'L')
		return;
	if (big || v > (neg ? 2147483648ULL : 2147483647ULL)) {
		diag_error(sc->diag, sc->name, sc->line, "integer %.*s does "
		    "not fit in 32 bits; write it with an L suffix (%.*sL)",
		    (int)(q - start > 24 ? 24 : q - start), start,
		    (int)(q - start > 24 ? 24 : q - start), start);
		sc->bad = 1;
	}
}

/* Skips a string or block comment; returns -1 if the text ends first. */
static int
config_scan_until(struct config_scan *sc, const char *end, int escapes)
{
	size_t		 len = strlen(end);

	for (; *sc->p != '\0'; sc->p++) {
		if (*sc->p == '\n')
			sc->line++;
		else if (escapes && *sc->p == '\\' && sc->p[1] != '\0') {
			sc->p++;
			if (*sc->p == '\n')
				sc->line++;
		} else if (strncmp(sc->p, end, len) == 0) {
			sc->p += len;
			return 0;
		}
	}
	return -1;
}

static int
config_check_text(const char *text, const char *name, struct lg_diag *diag)
{
	struct config_scan	 sc = { text, 1, 0, name, diag };
	int			 bol = 1, open;
	char			 c;

	while ((c = *sc.p) != '\0') {
		if (c == '#' || (c == '/' && sc.p[1] == '/')) {
			sc.p += strcspn(sc.p, "\n");
			continue;
		}
		if (c == '"' || (c == '/' && sc.p[1] == '*')) {
			open = sc.line;
			sc.p += c == '"' ? 1 : 2;
			if (config_scan_until(&sc, c == '"' ? "\"" : "*/",
			    c == '"') == -1) {
				diag_error(diag, name, open, "%s opened here "
				    "is never closed", c == '"' ? "string" :
				    "comment");
				return -1;
			}
			bol = 0;
			continue;
		}
		if (bol && strncmp(sc.p, "@include", 8) == 0) {
			diag_error(diag, name, sc.line, "@include is not "
			    "supported: keep the configuration in one file");
			sc.bad = 1;
		}
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    c == '_' || c == '*' || c == '@') {
			sc.p += strspn(sc.p, "abcdefghijklmnopqrstuvwxyz"
			    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_*-@");
			bol = 0;
			continue;
		}
		if ((c >= '0' && c <= '9') || ((c == '-' || c == '+') &&
		    sc.p[1] >= '0' && sc.p[1] <= '9')) {
			config_scan_number(&sc);
			bol = 0;
			continue;
		}
		if (c == '\n') {
			sc.line++;
			bol = 1;
		} else if (c != ' ' && c != '\t' && c != '\r')
			bol = 0;
		sc.p++;
	}
	return sc.bad ? -1 : 0;
}

/*
 * Parses text with libconfig.  A syntax error becomes one diagnostic at
 * the line libconfig names.  Returns 0, or -1.
 */
int
config_parse_into(config_t *cfg, const char *text, const char *name,
    struct lg_diag *diag)
{
	if (config_check_text(text, name, diag) == -1)
		return -1;
	if (config_read_string(cfg, text) == CONFIG_TRUE)
		return 0;
	diag_error(diag, name, config_error_line(cfg), "%s",
	    config_error_text(cfg) != NULL ? config_error_text(cfg) :
	    "parse error");
	return -1;
}

/*
 * libconfig 1.5 leaks the text of a string token when a syntax error
 * comes with that string as the parser's lookahead (web: { a"x"; };): the
 * grammar has no destructor for it.  It costs a few bytes per broken file
 * loaded, but a sanitized build would report it at exit and fail a test
 * that checks a broken file on purpose, so sanitized builds tell
 * LeakSanitizer about this one known leak, by the libconfig scanner
 * functions that allocate it.
 */
#if defined(__SANITIZE_ADDRESS__)
#define CONFIG_LSAN	1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define CONFIG_LSAN	1
#endif
#endif

#ifdef CONFIG_LSAN
const char	*__lsan_default_suppressions(void);

const char *
__lsan_default_suppressions(void)
{
	return "leak:strbuf_append\nleak:libconfig_yylex\n";
}
#endif

/*
 * Overwrites every string of a parsed tree before config_destroy frees
 * it, so that secrets do not linger in freed heap memory.
 */
void
config_wipe_strings(config_setting_t *s)
{
	int		 i, len;

	if (s == NULL)
		return;
	if (config_setting_type(s) == CONFIG_TYPE_STRING &&
	    s->value.sval != NULL) {
		explicit_bzero(s->value.sval, strlen(s->value.sval));
		return;
	}
	if (!config_setting_is_aggregate(s))
		return;
	len = config_setting_length(s);
	for (i = 0; i < len; i++)
		config_wipe_strings(config_setting_get_elem(s,
		    (unsigned int)i));
}
