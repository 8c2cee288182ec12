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

/* lgctl's private declarations: the broker client and the renderers. */

#ifndef LGCTL_H
#define LGCTL_H

#include "lg.h"
#include "lg_proto.h"

/* Exit codes, documented in lgctl(8). */
#define LGCTL_EXIT_OK		0
#define LGCTL_EXIT_ERROR	1	/* a router or the broker said no */
#define LGCTL_EXIT_USAGE	2
#define LGCTL_EXIT_BROKER	3	/* cannot reach or talk to the broker */

#define LGCTL_DEFAULT_CONFIG	LG_SYSCONFDIR "/lorgnette/lorgnette.conf"

struct lgctl_client {
	int			 fd;
	int			 timeout_ms;	/* per read, -1 = none */
	int			 hello_wait;	/* HELLO's answer not read yet */
	struct lg_frame_reader	 reader;
	char			 errstr[LG_ERRSTR_MAX + 64];
};

/* client.c */
int	 client_open(struct lgctl_client *, const char *, int);
void	 client_close(struct lgctl_client *);
int	 client_send(struct lgctl_client *, const uint8_t *, ssize_t);
/* 1 with a frame, 0 when the broker closed, -1 on error (errstr set). */
int	 client_next(struct lgctl_client *, struct lg_frame_hdr *,
	    const uint8_t **);

/* The answer to one router's query, as it is being received. */
struct lgctl_result {
	char			 router[LG_NAME_MAX];
	char			 command[LG_COMMAND_MAX * 2];
	struct lg_buf		 line;		/* partial line, multi-router */
	struct lg_buf		 output;	/* whole output, JSON only */
	struct lg_buf		 parsed;	/* parsed answer, JSON text */
	struct lg_msg_result_end end;
	int			 begun;
	int			 ended;
};

/* output.c: one renderer per output format. */
struct lgctl_output {
	void	(*router)(const struct lg_msg_router *);
	void	(*routers_end)(void);
	void	(*status)(const struct lg_msg_router_status *);
	/* The RTR caches after the routers, before status_end. */
	void	(*rpki)(const struct lg_msg_rpki_status *, int);
	void	(*status_end)(void);
	void	(*result_begin)(struct lgctl_result *, int);
	void	(*result_data)(struct lgctl_result *, int, const uint8_t *,
		    size_t);
	void	(*result_end)(struct lgctl_result *, int);
	void	(*results_done)(struct lgctl_result *, size_t);
	void	(*hostkey)(const char *, const char *, const char *,
		    const char *);
	void	(*message)(enum lg_err, const char *);
};
extern const struct lgctl_output output_text;
extern const struct lgctl_output output_json;

/* check.c */
int	 check_config(const char *, int);

/* parse_cmd.c: lgctl parse DRIVER TYPE [ipv4|ipv6] < FILE */
int	 parse_cmd(const char *, int, char **);

/* result_cmd.c: lgctl result delete|show ID (web.results) */
int	 result_cmd(const char *, int, char **);

/* token_cmd.c: lgctl token add|list|revoke (web.auth.tokens) */
int	 token_cmd(const char *, int, char **);

/* store_exec.c: runs result and token in lgctl-store; returns on error. */
int	 store_exec(const char *, const char *, int, char **);

/* usage.c: in both lgctl and lgctl-store. */
__dead void lgctl_usage(void);

#endif /* LGCTL_H */
