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
 * The least a process per query can be: one query over the broker's
 * admin socket, as lgctl sends it (HELLO and QUERY at once, WINDOW for
 * what comes), its output written to stdout, and nothing else: no
 * configuration, no user look-up, no library beyond libc and the frame
 * code of src/lib.  bench.py (measurement warm) times it with
 * bench_spawn beside lgctl, so lgctl's own cost is what lies between.
 *	bench_client SOCKET ROUTER TYPE TARGET
 * Exits 0 on an answer without error, 1 otherwise.
 */

#include <sys/socket.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lg.h"
#include "lg_proto.h"

static int
send_all(int fd, const uint8_t *p, ssize_t len)
{
	ssize_t	 n;

	while (len > 0) {
		if ((n = send(fd, p, (size_t)len, MSG_NOSIGNAL)) <= 0)
			return -1;
		p += n;
		len -= n;
	}
	return 0;
}

/* Reads frames until the query's end; its error code, or -1. */
static int
read_answer(int fd)
{
	struct lg_frame_reader	 rd;
	struct lg_frame_hdr	 hdr;
	struct lg_msg_result_end end;
	const uint8_t		*payload;
	uint8_t			 win[64], *space;
	size_t			 room;
	ssize_t			 n;
	int			 rc;

	proto_reader_init(&rd);
	for (;;) {
		while ((rc = proto_reader_next(&rd, &hdr, &payload)) == 1) {
			if (hdr.type == LG_MSG_RESULT_END)
				return proto_decode_result_end(payload,
				    hdr.length, &end) == 0 ? end.error : -1;
			if (hdr.type == LG_MSG_RESULT_DATA &&
			    fwrite(payload, 1, hdr.length, stdout) != hdr.length)
				return -1;
			if ((hdr.type == LG_MSG_RESULT_DATA ||
			    hdr.type == LG_MSG_RESULT_PARSED) &&
			    send_all(fd, win, proto_encode_window(win,
			    sizeof(win), hdr.request_id, hdr.length)) == -1)
				return -1;
		}
		if (rc == -1)
			return -1;
		space = proto_reader_space(&rd, &room);
		if ((n = read(fd, space, room)) <= 0)
			return -1;
		proto_reader_filled(&rd, (size_t)n);
	}
}

int
main(int argc, char *argv[])
{
	struct lg_msg_query	 q;
	enum lg_query_type	 type;
	uint8_t			 frame[LG_FRAME_MAX];
	char			 err[LG_ERRSTR_MAX];
	int			 fd, rc;

	if (argc != 5 || query_from_name(argv[3], &type) == -1) {
		fprintf(stderr, "usage: bench_client SOCKET ROUTER TYPE "
		    "TARGET\n");
		return 1;
	}
	memset(&q, 0, sizeof(q));
	lg_strlcpy(q.router, argv[2], sizeof(q.router));
	q.type = (uint8_t)type;
	lg_strlcpy(q.target, argv[4], sizeof(q.target));
	lg_strlcpy(q.client, "bench_client", sizeof(q.client));
	if ((fd = sock_connect_unix(argv[1], 5000, err, sizeof(err))) == -1) {
		fprintf(stderr, "bench_client: %s\n", err);
		return 1;
	}
	if (send_all(fd, frame, proto_encode_hello(frame, sizeof(frame),
	    "bench_client")) == -1 || send_all(fd, frame,
	    proto_encode_query(frame, sizeof(frame), 1, &q)) == -1) {
		fprintf(stderr, "bench_client: cannot send\n");
		return 1;
	}
	/* The broker's HELLO comes first; read_answer skips it. */
	rc = read_answer(fd);
	close(fd);
	if (rc != 0)
		fprintf(stderr, "bench_client: answer error %d\n", rc);
	return rc == 0 ? 0 : 1;
}
