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
 * The proof-of-work challenge (web.challenge) asked of a public client
 * past its soft limit.  A challenge is stateless: everything lgwebd needs
 * to check an answer travels in the token, signed with HMAC-SHA-256
 * (nettle) under the key of web.challenge.key_file:
 *
 *	1.BITS.EXPIRES.ISSUED.BUCKET.MAC
 *
 * BITS is the difficulty, EXPIRES the Unix time after which the token is
 * refused, ISSUED the issue time in microseconds (unique per process, so
 * that api.c can refuse a token already spent by the same bucket),
 * BUCKET the client's rate-limit bucket (ratelimit_bucket: its IPv4
 * address, or its IPv6 /64) and MAC the HMAC of everything before it,
 * in lowercase hex.  The answer, in the header X-Lorgnette-PoW, is
 * TOKEN:NONCE, and it is right when the SHA-256 of exactly that text
 * starts with BITS zero bits.  The key is process-wide, replaced by
 * challenge_load at start and on reload; one mutex guards it and the
 * issue counter.  Nothing here logs: callers get an error text.
 */

#include <sys/types.h>
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>
#include <nettle/base16.h>
#include <nettle/hmac.h>
#include <nettle/memops.h>
#include <nettle/sha2.h>

#include "lg.h"
#include "web.h"

#define CH_KEY_MIN	16
#define CH_KEY_MAX	4096
#define CH_MAC_HEX	(2 * SHA256_DIGEST_SIZE)
#define CH_HEX		"0123456789abcdef"
#define CH_NONCE_CHARS	"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz" \
			"0123456789_-"

static pthread_mutex_t		 ch_lock = PTHREAD_MUTEX_INITIALIZER;
static struct hmac_sha256_ctx	 ch_key;
static int			 ch_keyed;
static uint64_t			 ch_last;	/* last ISSUED handed out */

/* Installs a key; -1 when it is too short or too long. */
int
challenge_key_set(const uint8_t *key, size_t len)
{
	if (len < CH_KEY_MIN || len > CH_KEY_MAX)
		return -1;
	pthread_mutex_lock(&ch_lock);
	hmac_sha256_set_key(&ch_key, len, key);
	ch_keyed = 1;
	pthread_mutex_unlock(&ch_lock);
	return 0;
}

/*
 * Reads and installs the key of web.challenge.key_file: a regular file
 * of 16 to 4096 bytes that others may neither read nor write.  0, or -1
 * with the reason in err (the caller names the key and the file).
 */
int
challenge_load(const char *path, char *err, size_t errlen)
{
	struct stat	 st;
	uint8_t		 buf[CH_KEY_MAX + 1];
	ssize_t		 n;
	size_t		 len = 0;
	int		 fd, rv = -1;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY)) == -1) {
		snprintf(err, errlen, "%s", strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) == -1)
		snprintf(err, errlen, "%s", strerror(errno));
	else if (!S_ISREG(st.st_mode))
		snprintf(err, errlen, "not a regular file");
	else if (st.st_mode & (S_IROTH | S_IWOTH))
		snprintf(err, errlen, "others may read or write it "
		    "(chmod o-rw)");
	else {
		while (len < sizeof(buf) && (n = read(fd, buf + len,
		    sizeof(buf) - len)) > 0)
			len += (size_t)n;
		if (challenge_key_set(buf, len) == 0)
			rv = 0;
		else
			snprintf(err, errlen, "%zu bytes; a key has %d to %d "
			    "(make one with: head -c 32 /dev/urandom > FILE)",
			    len, CH_KEY_MIN, CH_KEY_MAX);
	}
	explicit_bzero(buf, sizeof(buf));
	close(fd);
	return rv;
}

/* Drops the key (at exit, and between unit tests). */
void
challenge_key_clear(void)
{
	pthread_mutex_lock(&ch_lock);
	explicit_bzero(&ch_key, sizeof(ch_key));
	ch_keyed = 0;
	pthread_mutex_unlock(&ch_lock);
}

/* The MAC of len bytes of text, raw; -1 when no key is installed. */
static int
ch_mac(const char *text, size_t len, uint8_t mac[SHA256_DIGEST_SIZE])
{
	struct hmac_sha256_ctx	 ctx;
	int			 keyed;

	pthread_mutex_lock(&ch_lock);
	ctx = ch_key;
	keyed = ch_keyed;
	pthread_mutex_unlock(&ch_lock);
	if (keyed) {
		hmac_sha256_update(&ctx, len, (const uint8_t *)text);
		hmac_sha256_digest(&ctx, SHA256_DIGEST_SIZE, mac);
	}
	explicit_bzero(&ctx, sizeof(ctx));
	return keyed ? 0 : -1;
}

/* A unique issue time: now, or one microsecond past the last one. */
static uint64_t
ch_issued(int64_t now_us)
{
	uint64_t	 v = now_us > 0 ? (uint64_t)now_us : 0;

	pthread_mutex_lock(&ch_lock);
	if (v <= ch_last)
		v = ch_last + 1;
	ch_last = v;
	pthread_mutex_unlock(&ch_lock);
	return v;
}

/*
 * A new challenge for the client, valid ttl seconds from now_us (Unix
 * time in microseconds), into tok.  0, or -1 without a key.
 */
int
challenge_issue(unsigned int bits, unsigned int ttl,
    const struct web_client *client, int64_t now_us, char *tok, size_t len)
{
	char		 bucket[WEB_BUCKET_MAX];
	uint8_t		 mac[SHA256_DIGEST_SIZE];
	char		 hex[BASE16_ENCODE_LENGTH(SHA256_DIGEST_SIZE) + 1];
	int		 n;

	ratelimit_bucket(client, bucket, sizeof(bucket));
	n = snprintf(tok, len, "1.%u.%" PRId64 ".%" PRIu64 ".%s", bits,
	    now_us / 1000000 + ttl, ch_issued(now_us), bucket);
	if (n < 0 || (size_t)n + 1 + CH_MAC_HEX >= len ||
	    ch_mac(tok, (size_t)n, mac) == -1)
		return -1;
	base16_encode_update(hex, SHA256_DIGEST_SIZE, mac);
	hex[CH_MAC_HEX] = '\0';
	snprintf(tok + n, len - (size_t)n, ".%s", hex);
	return 0;
}

/* How many of the bytes from p up to end are in set. */
static size_t
ch_span(const char *p, const char *end, const char *set)
{
	size_t	 n = 0;

	while (p + n < end && p[n] != '\0' && strchr(set, p[n]) != NULL)
		n++;
	return n;
}

/*
 * A decimal field of at most max digits without a leading zero, ending
 * at the next dot (or at end); advances *p past the dot.  -1 if bad.
 */
static int
ch_number(const char **p, const char *end, size_t max, uint64_t *v)
{
	const char	*s = *p;
	size_t		 n = 0;

	*v = 0;
	while (s + n < end && s[n] >= '0' && s[n] <= '9' && n <= max)
		*v = *v * 10 + (uint64_t)(s[n++] - '0');
	if (n == 0 || n > max || (s[0] == '0' && n > 1) || s + n >= end ||
	    s[n] != '.')
		return -1;
	*p = s + n + 1;
	return 0;
}

/*
 * Splits a token of len bytes into its fields.  0, or -1 when it is not
 * a token of this version.  Checks the form only, not the MAC.
 */
int
challenge_parse_token(const char *s, size_t len, struct challenge_token *t)
{
	const char	*p = s, *end = s + len;
	uint64_t	 bits;
	size_t		 blen;

	memset(t, 0, sizeof(*t));
	if (len < 2 || len >= CHALLENGE_TOKEN_MAX || memcmp(s, "1.", 2) != 0)
		return -1;
	p += 2;
	if (ch_number(&p, end, 2, &bits) == -1 || bits < 1 || bits > 32 ||
	    ch_number(&p, end, 12, &t->expires) == -1 ||
	    ch_number(&p, end, 19, &t->issued) == -1)
		return -1;
	t->bits = (unsigned int)bits;
	blen = ch_span(p, end, CH_HEX);
	if (p + blen >= end || p[blen] != '.' ||
	    !((p[0] == '4' && blen == 9) || (p[0] == '6' && blen == 17)))
		return -1;
	memcpy(t->bucket, p, blen);
	t->bucket[blen] = '\0';
	p += blen + 1;
	if ((size_t)(end - p) != CH_MAC_HEX ||
	    ch_span(p, end, CH_HEX) != CH_MAC_HEX)
		return -1;
	t->signed_len = (size_t)(p - 1 - s);
	memcpy(t->mac, p, CH_MAC_HEX);
	t->mac[CH_MAC_HEX] = '\0';
	return 0;
}

/*
 * Splits an X-Lorgnette-PoW value, TOKEN:NONCE, into the token's fields
 * and the nonce.  0, or -1 with what is wrong in err.
 */
int
challenge_parse(const char *v, struct challenge_token *t, const char **nonce,
    char *err, size_t errlen)
{
	const char	*colon;
	size_t		 nlen;

	if ((colon = strrchr(v, ':')) == NULL) {
		snprintf(err, errlen, CHALLENGE_HEADER ": expected "
		    "TOKEN:NONCE");
		return -1;
	}
	nlen = strlen(colon + 1);
	if (nlen == 0 || nlen > CHALLENGE_NONCE_MAX ||
	    strspn(colon + 1, CH_NONCE_CHARS) != nlen) {
		snprintf(err, errlen, CHALLENGE_HEADER ": the nonce must be 1 "
		    "to %d letters, digits, '_' or '-'", CHALLENGE_NONCE_MAX);
		return -1;
	}
	if (challenge_parse_token(v, (size_t)(colon - v), t) == -1) {
		snprintf(err, errlen, CHALLENGE_HEADER ": not a challenge "
		    "token of this looking glass");
		return -1;
	}
	*nonce = colon + 1;
	return 0;
}

/* 1 when the SHA-256 of the len bytes starts with bits zero bits. */
int
challenge_work_ok(const char *s, size_t len, unsigned int bits)
{
	struct sha256_ctx	 ctx;
	uint8_t			 d[SHA256_DIGEST_SIZE];
	unsigned int		 i;

	sha256_init(&ctx);
	sha256_update(&ctx, len, (const uint8_t *)s);
	sha256_digest(&ctx, sizeof(d), d);
	for (i = 0; i + 8 <= bits; i += 8)
		if (d[i / 8] != 0)
			return 0;
	return bits % 8 == 0 || (d[bits / 8] >> (8 - bits % 8)) == 0;
}

/* 1 when the token's MAC is the one this key gives. */
static int
ch_signed(const char *v, const struct challenge_token *t)
{
	uint8_t			 want[SHA256_DIGEST_SIZE];
	uint8_t			 got[SHA256_DIGEST_SIZE];
	struct base16_decode_ctx dc;
	size_t			 n = sizeof(got);

	if (ch_mac(v, t->signed_len, want) == -1)
		return 0;
	base16_decode_init(&dc);
	if (!base16_decode_update(&dc, &n, got, CH_MAC_HEX, t->mac) ||
	    !base16_decode_final(&dc) || n != sizeof(got))
		return 0;
	return memeql_sec(want, got, sizeof(got));
}

/*
 * Checks an answer for the client at now_us: the form, the MAC, the
 * bucket, the expiry, the difficulty (at least minbits) and the work, in
 * that order.  0 with the token's issue time in *issued (api.c spends
 * it), or -1 with what is wrong in err.
 */
int
challenge_verify(const char *v, unsigned int minbits,
    const struct web_client *client, int64_t now_us, uint64_t *issued,
    char *err, size_t errlen)
{
	struct challenge_token	 t;
	const char		*nonce;
	char			 bucket[WEB_BUCKET_MAX];

	if (challenge_parse(v, &t, &nonce, err, errlen) == -1)
		return -1;
	ratelimit_bucket(client, bucket, sizeof(bucket));
	if (!ch_signed(v, &t))
		snprintf(err, errlen, CHALLENGE_HEADER ": the challenge was "
		    "not issued by this looking glass");
	else if (strcmp(t.bucket, bucket) != 0)
		snprintf(err, errlen, CHALLENGE_HEADER ": the challenge was "
		    "issued to another address");
	else if (now_us < 0 || (uint64_t)now_us / 1000000 > t.expires)
		snprintf(err, errlen, CHALLENGE_HEADER ": the challenge has "
		    "expired");
	else if (t.bits < minbits)
		snprintf(err, errlen, CHALLENGE_HEADER ": the challenge is "
		    "easier than this looking glass now asks");
	else if (!challenge_work_ok(v, strlen(v), t.bits))
		snprintf(err, errlen, CHALLENGE_HEADER ": the nonce does not "
		    "solve the challenge");
	else {
		*issued = t.issued;
		return 0;
	}
	return -1;
}

/* The challenge object of a 429 body; NULL on failure. */
json_t *
challenge_doc(const char *tok)
{
	struct challenge_token	 t;

	if (challenge_parse_token(tok, strlen(tok), &t) == -1)
		return NULL;
	return json_pack("{s:s, s:s, s:i, s:I, s:s}", "token", tok,
	    "algorithm", "sha256", "bits", (int)t.bits,
	    "expires", (json_int_t)t.expires, "header", CHALLENGE_HEADER);
}
