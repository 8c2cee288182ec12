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
 * Mutual TLS for the front-broker wire over TCP (DESIGN.md section 17),
 * with GnuTLS: the credentials (a CA, our certificate and key, shared by
 * every connection made while they are current and freed when the last
 * one goes, so a reload never pulls them from under a live session) and
 * a non-blocking session over a socket the caller's loop polls.  Both
 * ends require the peer's certificate and check it against the CA during
 * the handshake; the client also binds the broker's certificate to the
 * broker's name (subject alternative name DNS).  The frame code above is
 * the same as over a Unix socket: tls_recv stands for read(2) and
 * tls_flush for proto_flush.  Nothing here logs: errors go to errstr.
 */

#include <sys/types.h>

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gnutls/gnutls.h>
#include <gnutls/x509.h>

#include "lg.h"
#include "lg_tls.h"

#define TLS_RECORD_MAX		16384	/* plaintext bytes per record */

struct tls_creds {
	gnutls_certificate_credentials_t	 x509;
	unsigned int				 refs;
};

struct tls_conn {
	gnutls_session_t	 s;
	struct tls_creds	*cr;
	int			 done;		/* handshake finished */
	size_t			 pending;	/* a record send to resume */
};

static int	 tls_error(char *, size_t, const char *, ...)
		    __attribute__((__format__(__printf__, 3, 4)));

static int
tls_error(char *errstr, size_t errlen, const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	vsnprintf(errstr, errlen, fmt, ap);
	va_end(ap);
	return -1;
}

/*
 * Loads a CA bundle, a certificate chain and its key (PEM files).
 * Returns the credentials with one reference, or NULL with errstr naming
 * the file at fault.
 */
struct tls_creds *
tls_creds_load(const char *ca, const char *cert, const char *key,
    char *errstr, size_t errlen)
{
	struct tls_creds	*cr;
	int			 rc;

	if ((cr = calloc(1, sizeof(*cr))) == NULL) {
		tls_error(errstr, errlen, "out of memory");
		return NULL;
	}
	if (gnutls_certificate_allocate_credentials(&cr->x509) < 0) {
		free(cr);
		tls_error(errstr, errlen, "out of memory");
		return NULL;
	}
	cr->refs = 1;
	if ((rc = gnutls_certificate_set_x509_trust_file(cr->x509, ca,
	    GNUTLS_X509_FMT_PEM)) <= 0) {
		tls_error(errstr, errlen, "ca %s: %s", ca, rc == 0 ?
		    "no certificate in it" : gnutls_strerror(rc));
		goto fail;
	}
	if ((rc = gnutls_certificate_set_x509_key_file(cr->x509, cert, key,
	    GNUTLS_X509_FMT_PEM)) < 0) {
		tls_error(errstr, errlen, "cert %s, key %s: %s", cert, key,
		    gnutls_strerror(rc));
		goto fail;
	}
	return cr;
fail:
	tls_creds_unref(cr);
	return NULL;
}

/* For -n: 0 when the three files load together, or -1 with errstr. */
int
tls_check(const struct lg_tls_conf *t, char *errstr, size_t errlen)
{
	struct tls_creds	*cr;

	if ((cr = tls_creds_load(t->ca, t->cert, t->key, errstr,
	    errlen)) == NULL)
		return -1;
	tls_creds_unref(cr);
	return 0;
}

void
tls_creds_unref(struct tls_creds *cr)
{
	if (cr == NULL || --cr->refs > 0)
		return;
	gnutls_certificate_free_credentials(cr->x509);
	free(cr);
}

/*
 * A session over a connected non-blocking socket.  name NULL: the server
 * side, requiring a client certificate; otherwise the client side,
 * requiring the server's certificate to carry name.  Returns the
 * session, or NULL with errstr set; the caller keeps the socket.
 */
struct tls_conn *
tls_conn_new(struct tls_creds *cr, int fd, const char *name, char *errstr,
    size_t errlen)
{
	struct tls_conn	*t;
	int		 rc;

	if ((t = calloc(1, sizeof(*t))) == NULL) {
		tls_error(errstr, errlen, "out of memory");
		return NULL;
	}
	if ((rc = gnutls_init(&t->s, (name == NULL ? GNUTLS_SERVER :
	    GNUTLS_CLIENT) | GNUTLS_NONBLOCK | GNUTLS_NO_SIGNAL)) < 0) {
		free(t);
		tls_error(errstr, errlen, "%s", gnutls_strerror(rc));
		return NULL;
	}
	t->cr = cr;
	cr->refs++;
	if ((rc = gnutls_set_default_priority(t->s)) < 0 ||
	    (rc = gnutls_credentials_set(t->s, GNUTLS_CRD_CERTIFICATE,
	    cr->x509)) < 0 || (name != NULL && (rc = gnutls_server_name_set(
	    t->s, GNUTLS_NAME_DNS, name, strlen(name))) < 0)) {
		tls_error(errstr, errlen, "%s", gnutls_strerror(rc));
		tls_conn_free(t);
		return NULL;
	}
	if (name == NULL)
		gnutls_certificate_server_set_request(t->s,
		    GNUTLS_CERT_REQUIRE);
	/* The peer's chain and (client side) name, checked in the handshake. */
	gnutls_session_set_verify_cert(t->s, name, 0);
	gnutls_transport_set_int(t->s, fd);
	return t;
}

void
tls_conn_free(struct tls_conn *t)
{
	if (t == NULL)
		return;
	gnutls_deinit(t->s);
	tls_creds_unref(t->cr);
	free(t);
}

/*
 * One step of the handshake: 0 done, 1 call again when the socket is
 * ready (tls_want_write says for what), -1 refused or failed (errstr
 * says why, with the certificate check's verdict when that failed).
 */
int
tls_handshake(struct tls_conn *t, char *errstr, size_t errlen)
{
	gnutls_datum_t	 out;
	unsigned int	 status;
	int		 rc;

	if (t->done)
		return 0;
	rc = gnutls_handshake(t->s);
	if (rc == GNUTLS_E_SUCCESS) {
		t->done = 1;
		return 0;
	}
	if (rc == GNUTLS_E_AGAIN || rc == GNUTLS_E_INTERRUPTED ||
	    !gnutls_error_is_fatal(rc))
		return 1;
	if (rc == GNUTLS_E_CERTIFICATE_VERIFICATION_ERROR) {
		status = gnutls_session_get_verify_cert_status(t->s);
		if (gnutls_certificate_verification_status_print(status,
		    GNUTLS_CRT_X509, &out, 0) == 0) {
			tls_error(errstr, errlen, "peer certificate refused: "
			    "%s", (const char *)out.data);
			gnutls_free(out.data);
			return -1;
		}
	}
	if (rc == GNUTLS_E_NO_CERTIFICATE_FOUND)
		return tls_error(errstr, errlen, "the peer sent no "
		    "certificate");
	return tls_error(errstr, errlen, "TLS handshake: %s",
	    gnutls_strerror(rc));
}

int
tls_handshake_done(const struct tls_conn *t)
{
	return t->done;
}

/* While a handshake or a send is stuck, 1 when it waits to write. */
int
tls_want_write(const struct tls_conn *t)
{
	return gnutls_record_get_direction(t->s) == 1;
}

/*
 * Like read(2): bytes read, 0 at the end of the stream (a close without
 * close_notify counts as one), -1 with errno EAGAIN (try later) or EIO.
 */
ssize_t
tls_recv(struct tls_conn *t, void *p, size_t len)
{
	ssize_t	 n;

	n = gnutls_record_recv(t->s, p, len);
	if (n >= 0)
		return n;
	if (n == GNUTLS_E_AGAIN || n == GNUTLS_E_INTERRUPTED) {
		errno = EAGAIN;
		return -1;
	}
	if (n == GNUTLS_E_PREMATURE_TERMINATION)
		return 0;
	errno = EIO;
	return -1;
}

/* Bytes decrypted and not yet taken: the socket will not say so. */
size_t
tls_pending(const struct tls_conn *t)
{
	return gnutls_record_check_pending(t->s);
}

/*
 * proto_flush over TLS: 0 all sent, 1 would block, -1 error (errno).  A
 * record that would block is already sealed inside GnuTLS and is resumed
 * with an empty send; it stays at the head of b until then.
 */
int
tls_flush(struct tls_conn *t, struct lg_buf *b)
{
	ssize_t	 n;
	size_t	 chunk;

	while (b->len > 0) {
		if (t->pending > 0) {
			chunk = t->pending;
			n = gnutls_record_send(t->s, NULL, 0);
		} else {
			chunk = b->len < TLS_RECORD_MAX ? b->len :
			    TLS_RECORD_MAX;
			n = gnutls_record_send(t->s, b->data, chunk);
		}
		if (n == GNUTLS_E_AGAIN || n == GNUTLS_E_INTERRUPTED) {
			t->pending = chunk;
			return 1;
		}
		if (n < 0) {
			errno = EPIPE;
			return -1;
		}
		t->pending = 0;
		buf_consume(b, (size_t)n);
	}
	return 0;
}

/* "CN=...,O=..." of the peer's certificate, or "" when there is none. */
void
tls_peer_name(const struct tls_conn *t, char *out, size_t len)
{
	const gnutls_datum_t	*chain;
	gnutls_x509_crt_t	 crt;
	unsigned int		 n = 0;
	size_t			 sz = len;

	out[0] = '\0';
	if ((chain = gnutls_certificate_get_peers(t->s, &n)) == NULL ||
	    n == 0 || gnutls_x509_crt_init(&crt) < 0)
		return;
	if (gnutls_x509_crt_import(crt, &chain[0], GNUTLS_X509_FMT_DER) < 0 ||
	    gnutls_x509_crt_get_dn(crt, out, &sz) < 0)
		out[0] = '\0';
	gnutls_x509_crt_deinit(crt);
}
