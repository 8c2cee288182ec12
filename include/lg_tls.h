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

#ifndef LG_TLS_H
#define LG_TLS_H

#include "lg.h"

/*
 * tls.c: mutual TLS over a non-blocking socket for the front-broker wire.
 * Credentials are reference-counted: each session holds one.  Errors go
 * to errstr; nothing logs.
 */
struct tls_creds;
struct tls_conn;
struct tls_creds *tls_creds_load(const char *, const char *, const char *,
	    char *, size_t);
void	 tls_creds_unref(struct tls_creds *);
int	 tls_check(const struct lg_tls_conf *, char *, size_t);
/* name NULL: server side; otherwise the name the server's SAN must carry. */
struct tls_conn *tls_conn_new(struct tls_creds *, int, const char *, char *,
	    size_t);
void	 tls_conn_free(struct tls_conn *);
int	 tls_handshake(struct tls_conn *, char *, size_t);
int	 tls_handshake_done(const struct tls_conn *);
int	 tls_want_write(const struct tls_conn *);
ssize_t	 tls_recv(struct tls_conn *, void *, size_t);
size_t	 tls_pending(const struct tls_conn *);
int	 tls_flush(struct tls_conn *, struct lg_buf *);
void	 tls_peer_name(const struct tls_conn *, char *, size_t);

#endif /* LG_TLS_H */
