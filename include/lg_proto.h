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
 * The wire between lgwebd (or lgctl) and lgbrokerd: a stream socket carrying
 * frames of a fixed 12-byte header followed by a payload.  All integers are
 * big-endian.  A payload is a sequence of fields written and read with the
 * bounds-checked cursor below; a decoder must consume a payload exactly
 * (proto_get_end), otherwise the frame is malformed and the connection is
 * closed.
 *
 * Bump LG_PROTO_VERSION whenever a message type, a field or the header
 * changes.  HELLO carries it both ways; a mismatch is refused and logged.
 */

#ifndef LG_PROTO_H
#define LG_PROTO_H

#include <assert.h>
#include <stddef.h>
#include <stdint.h>

#include "lg.h"

#define LG_PROTO_VERSION	5	/* 5: RPKI_CACHE_EXPIRED; 4: PING, PONG, user */
#define LG_FRAME_HDR_SIZE	12
#define LG_FRAME_MAX		(64 * 1024)	/* header + payload */
#define LG_PAYLOAD_MAX		(LG_FRAME_MAX - LG_FRAME_HDR_SIZE)
#define LG_DATA_CHUNK_MAX	(16 * 1024)	/* RESULT_DATA payload */
/*
 * The parsed answer (DESIGN.md section 12) is one JSON text, compact, cut
 * into RESULT_PARSED frames of at most LG_DATA_CHUNK_MAX bytes that the
 * front joins; a front refuses a result whose pieces pass LG_PARSED_MAX.
 */
#define LG_PARSED_MAX		(32 * 1024 * 1024)
/* Bytes of RESULT_DATA the broker may send per request before a WINDOW. */
#define LG_WINDOW_INITIAL	(256 * 1024)

struct lg_frame_hdr {
	uint16_t	type;		/* enum lg_msg_type */
	uint16_t	flags;		/* LG_FRAME_F_* */
	uint32_t	length;		/* payload bytes after the header */
	uint32_t	request_id;	/* 0 for connection-level messages */
};
static_assert(sizeof(struct lg_frame_hdr) == LG_FRAME_HDR_SIZE,
    "frame header is 12 bytes on the wire");
static_assert(offsetof(struct lg_frame_hdr, length) == 4,
    "frame length at offset 4");
static_assert(offsetof(struct lg_frame_hdr, request_id) == 8,
    "request id at offset 8");

/*
 * Message types.  Values are the wire: append, never renumber, and bump
 * LG_PROTO_VERSION.  Direction: F front (lgwebd, lgctl) to broker, B
 * broker to front.  Admin-only messages are refused on the public socket.
 */
enum lg_msg_type {
	LG_MSG_HELLO = 1,	/* F,B: u16 version, str software */
	LG_MSG_QUERY = 2,	/* F: struct lg_msg_query */
	LG_MSG_CANCEL = 3,	/* F: empty; request_id names the query */
	LG_MSG_WINDOW = 4,	/* F: u32 more bytes of RESULT_DATA allowed */
	LG_MSG_LIST_ROUTERS = 5,	/* F: empty */
	LG_MSG_ROUTER = 6,	/* B: struct lg_msg_router */
	LG_MSG_END = 7,		/* B: end of a list; u16 lg_err, str message */
	LG_MSG_RESULT_BEGIN = 8,	/* B: str router, str command */
	LG_MSG_RESULT_DATA = 9,	/* B: bytes chunk (raw, no length field) */
	LG_MSG_RESULT_END = 10,	/* B: struct lg_msg_result_end */
	LG_MSG_STATUS = 11,	/* F admin: empty */
	LG_MSG_ROUTER_STATUS = 12,	/* B admin: struct lg_msg_router_status */
	LG_MSG_RELOAD = 13,	/* F admin: empty; answered by END */
	LG_MSG_HOSTKEY = 14,	/* F admin: str router; answered by END */
	LG_MSG_HOSTKEY_INFO = 15,	/* B admin: str router, str type,
				   str sha256 fingerprint, str known_hosts line */
	LG_MSG_RESULT_PARSED = 16,	/* B: bytes, a piece of the parsed
				   answer's JSON text (no control byte), after
				   the last RESULT_DATA, before RESULT_END */
	LG_MSG_RPKI = 17,	/* F: empty; answered by RPKI_STATUS*, END */
	LG_MSG_RPKI_STATUS = 18,	/* B: struct lg_msg_rpki_status */
	LG_MSG_PING = 19,	/* F: empty, request id 0; the heartbeat */
	LG_MSG_PONG = 20,	/* B: empty, request id 0; answers PING */
	LG_MSG_TYPE_MAX
};

#define LG_FRAME_F_ADMIN	0x0001	/* reserved; admin is per socket */
#define LG_FRAME_F_MASK		LG_FRAME_F_ADMIN	/* others are refused */

/* RESULT_END flags. */
#define LG_RESULT_TRUNCATED	0x01
#define LG_RESULT_CACHED	0x02
#define LG_RESULT_NOCACHE	0x04	/* complete, but the session misbehaved */
#define LG_RESULT_F_MASK	(LG_RESULT_TRUNCATED | LG_RESULT_CACHED | \
				    LG_RESULT_NOCACHE)

/* Router states, as reported in ROUTER and ROUTER_STATUS. */
enum lg_router_state {
	ROUTER_STATE_UNKNOWN = 0,
	ROUTER_STATE_UP,	/* at least one warm session */
	ROUTER_STATE_CONNECTING,
	ROUTER_STATE_DOWN	/* circuit breaker open */
};
#define ROUTER_STATE_LAST	ROUTER_STATE_DOWN	/* decoders refuse more */

/* query flags */
#define LG_QUERY_F_NOCACHE	0x0001
#define LG_QUERY_F_MASK		LG_QUERY_F_NOCACHE	/* others are refused */

struct lg_msg_query {
	char			router[LG_NAME_MAX];
	uint8_t			type;		/* enum lg_query_type */
	uint8_t			afi;		/* enum lg_afi */
	uint16_t		flags;		/* LG_QUERY_F_* */
	char			target[LG_TARGET_MAX + 1];	/* canonical */
	char			vrf[LG_NAME_MAX];
	char			client[64];	/* for the audit log */
	/*
	 * The signed-in user for the audit log, "" for the public (version
	 * 4): staff (DESIGN.md section 16) are whoever has one.
	 */
	char			user[LG_USER_MAX];
};

struct lg_msg_router {
	char			name[LG_NAME_MAX];
	char			location[LG_TEXT_MAX];
	char			group[LG_TEXT_MAX];
	char			vendor[LG_TEXT_MAX];
	uint32_t		queries;	/* Q_MASK */
	uint8_t			state;		/* enum lg_router_state */
};

struct lg_msg_result_end {
	uint16_t		error;		/* enum lg_err */
	uint8_t			flags;		/* LG_RESULT_* */
	uint32_t		runtime_ms;
	uint64_t		bytes;		/* output bytes sent */
	char			message[LG_ERRSTR_MAX];
};

struct lg_msg_router_status {
	char			name[LG_NAME_MAX];
	uint8_t			state;
	uint16_t		sessions_max;
	uint16_t		sessions_up;
	uint16_t		sessions_idle;
	uint16_t		sessions_busy;
	uint16_t		queue_len;
	uint32_t		failures;	/* consecutive */
	uint64_t		queries;	/* total run */
	uint32_t		median_ms;	/* command time */
	char			last_error[LG_ERRSTR_MAX];
};

/*
 * RPKI: one RPKI_STATUS per configured RTR cache, most preferred first.
 * The VRP counts are those of the whole table (the same in each).
 */
enum lg_rpki_cache_state {
	RPKI_CACHE_STANDBY = 0,	/* not in use: a preferred cache serves */
	RPKI_CACHE_CONNECTING,
	RPKI_CACHE_SYNCING,	/* connected, a reset or serial query runs */
	RPKI_CACHE_UP,		/* in sync */
	RPKI_CACHE_DOWN,	/* lost: transport or protocol error */
	RPKI_CACHE_EXPIRED	/* lost, and its VRPs expired (rpki.expire) */
};
#define RPKI_CACHE_STATE_LAST	RPKI_CACHE_EXPIRED

#define LG_RPKI_CACHE_MAX	272	/* "host:port", "[v6]:port" */

struct lg_msg_rpki_status {
	char			cache[LG_RPKI_CACHE_MAX];
	uint8_t			preference;	/* 1: most preferred */
	uint8_t			state;		/* enum lg_rpki_cache_state */
	uint32_t		serial;		/* of its latest data */
	uint32_t		session_id;
	uint64_t		last_update;	/* Unix s of its data, 0 never */
	uint64_t		down_since;	/* Unix s, 0 when not down */
	uint32_t		vrps4;		/* VRPs in the table, IPv4 */
	uint32_t		vrps6;
	char			last_error[LG_ERRSTR_MAX];
};

/*
 * A cursor over a payload being written or read.  Getters return -1 once
 * the cursor has run out or a field is malformed, and the cursor stays in
 * error, so a decoder may check once at proto_get_end.
 */
struct lg_cursor {
	uint8_t			*buf;
	size_t			 len;
	size_t			 off;
	int			 error;
};

/*
 * Strings on the wire are a u16 length and that many bytes, without a NUL.
 * Two kinds: a line (names, targets, fingerprints: no control byte at all)
 * and a text (commands, messages: tab and newline allowed, so RESULT_BEGIN
 * may carry several commands, one a line).  Both refuse NUL, the other
 * control bytes and DEL; bytes >= 0x80 pass unchecked (UTF-8 is expected
 * but not verified).  Encoders refuse what decoders would refuse.
 */

/* proto.c */
void	 proto_hdr_encode(const struct lg_frame_hdr *, uint8_t *);
/*
 * Returns 0, or -1 when the header is impossible: unknown type, unknown
 * flag bits, or a length beyond LG_PAYLOAD_MAX or beyond what the type can
 * carry (0 for empty messages, 4 for WINDOW, LG_DATA_CHUNK_MAX for
 * RESULT_DATA).
 */
int	 proto_hdr_decode(const uint8_t *, struct lg_frame_hdr *);
const char *proto_msg_name(uint16_t);
/* A router state's name: "up"...; "unknown" past ROUTER_STATE_LAST. */
const char *proto_router_state_name(uint8_t);

void	 proto_cursor_init(struct lg_cursor *, void *, size_t);
int	 proto_put_u8(struct lg_cursor *, uint8_t);
int	 proto_put_u16(struct lg_cursor *, uint16_t);
int	 proto_put_u32(struct lg_cursor *, uint32_t);
int	 proto_put_u64(struct lg_cursor *, uint64_t);
int	 proto_put_str(struct lg_cursor *, const char *);	/* text */
int	 proto_put_line(struct lg_cursor *, const char *);
int	 proto_get_u8(struct lg_cursor *, uint8_t *);
int	 proto_get_u16(struct lg_cursor *, uint16_t *);
int	 proto_get_u32(struct lg_cursor *, uint32_t *);
int	 proto_get_u64(struct lg_cursor *, uint64_t *);
/* Copies a string field into a buffer of the given size: too long,
 * embedded NUL or control bytes other than tab and newline are errors. */
int	 proto_get_str(struct lg_cursor *, char *, size_t);
/* The same, refusing tab and newline too. */
int	 proto_get_line(struct lg_cursor *, char *, size_t);
/* 0 when the payload was consumed exactly and no field failed. */
int	 proto_get_end(struct lg_cursor *);
/*
 * Cleans outside text in place for a text string: C0 controls but tab and
 * newline, and DEL, become '?'; C1 controls and invalid UTF-8 go.
 */
void	 proto_text_clean(char *);
/* The same for one line: tab, CR and newline become spaces. */
void	 proto_line_clean(char *);

/*
 * Whole-message codecs (in proto_msg.c).  An encoder writes a complete frame
 * (header and payload) into out and returns its length, or -1 if it does
 * not fit or a field is invalid.  A decoder takes the payload of a frame
 * whose header was decoded and returns 0, or -1 when the payload is
 * malformed: truncated, trailing bytes, a string too long for its
 * destination or with refused bytes, an enum or flag out of range.
 *
 * Which fields are lines and which are texts: HELLO software, QUERY
 * router/target/vrf/client, ROUTER name/location/group/vendor, RESULT_BEGIN
 * router, ROUTER_STATUS name, the str of HOSTKEY and every HOSTKEY_INFO
 * field are lines; RESULT_BEGIN command and the END, RESULT_END and
 * ROUTER_STATUS messages are texts.  QUERY type < Q_COUNT, afi <= AFI_IPV6,
 * flags within LG_QUERY_F_MASK; ROUTER queries within Q_MASK_ALL, states <=
 * ROUTER_STATE_LAST; error codes < LG_ERR_COUNT; RESULT_END flags within
 * LG_RESULT_F_MASK.  HELLO's version is returned, not judged: the caller
 * compares it with LG_PROTO_VERSION and logs a mismatch.
 */
ssize_t	 proto_encode_hello(uint8_t *, size_t, const char *);
int	 proto_decode_hello(const uint8_t *, size_t, uint16_t *, char *,
	    size_t);
ssize_t	 proto_encode_query(uint8_t *, size_t, uint32_t,
	    const struct lg_msg_query *);
int	 proto_decode_query(const uint8_t *, size_t, struct lg_msg_query *);
ssize_t	 proto_encode_empty(uint8_t *, size_t, uint16_t, uint32_t);
int	 proto_decode_empty(const uint8_t *, size_t);
ssize_t	 proto_encode_window(uint8_t *, size_t, uint32_t, uint32_t);
int	 proto_decode_window(const uint8_t *, size_t, uint32_t *);
ssize_t	 proto_encode_router(uint8_t *, size_t, uint32_t,
	    const struct lg_msg_router *);
int	 proto_decode_router(const uint8_t *, size_t, struct lg_msg_router *);
ssize_t	 proto_encode_end(uint8_t *, size_t, uint32_t, uint16_t,
	    const char *);
int	 proto_decode_end(const uint8_t *, size_t, uint16_t *, char *, size_t);
ssize_t	 proto_encode_result_begin(uint8_t *, size_t, uint32_t, const char *,
	    const char *);
int	 proto_decode_result_begin(const uint8_t *, size_t, char *, size_t,
	    char *, size_t);
ssize_t	 proto_encode_result_data(uint8_t *, size_t, uint32_t, const void *,
	    size_t);
/* A piece of parsed JSON: a chunk that is a line (no control byte). */
ssize_t	 proto_encode_result_parsed(uint8_t *, size_t, uint32_t,
	    const void *, size_t);
int	 proto_decode_result_parsed(const uint8_t *, size_t);
ssize_t	 proto_encode_result_end(uint8_t *, size_t, uint32_t,
	    const struct lg_msg_result_end *);
int	 proto_decode_result_end(const uint8_t *, size_t,
	    struct lg_msg_result_end *);
ssize_t	 proto_encode_router_status(uint8_t *, size_t, uint32_t,
	    const struct lg_msg_router_status *);
int	 proto_decode_router_status(const uint8_t *, size_t,
	    struct lg_msg_router_status *);
ssize_t	 proto_encode_rpki_status(uint8_t *, size_t, uint32_t,
	    const struct lg_msg_rpki_status *);
int	 proto_decode_rpki_status(const uint8_t *, size_t,
	    struct lg_msg_rpki_status *);
ssize_t	 proto_encode_str(uint8_t *, size_t, uint16_t, uint32_t,
	    const char *);
int	 proto_decode_str(const uint8_t *, size_t, char *, size_t);
ssize_t	 proto_encode_hostkey_info(uint8_t *, size_t, uint32_t, const char *,
	    const char *, const char *, const char *);
int	 proto_decode_hostkey_info(const uint8_t *, size_t, char *, size_t,
	    char *, size_t, char *, size_t, char *, size_t);

/* proto_stream.c */

/*
 * A frame reader for non-blocking stream sockets: feed bytes, take whole
 * frames.  proto_reader_next returns 1 with a frame (payload valid until
 * the next proto_reader_next or proto_reader_space), 0 when more bytes are
 * needed, -1 on a malformed header (close the peer; the reader stays
 * failed).  Call proto_reader_next until it returns 0 before asking for
 * space: then there is always room for at least one byte.
 */
struct lg_frame_reader {
	uint8_t			 buf[LG_FRAME_MAX];
	size_t			 len;
	size_t			 consumed;
	int			 error;		/* a bad header was seen */
};
void	 proto_reader_init(struct lg_frame_reader *);
int	 proto_reader_next(struct lg_frame_reader *, struct lg_frame_hdr *,
	    const uint8_t **);
/* Room to read into, and how much; then proto_reader_filled(n). */
uint8_t	*proto_reader_space(struct lg_frame_reader *, size_t *);
void	 proto_reader_filled(struct lg_frame_reader *, size_t);

/*
 * Sending side of a non-blocking socket: frames queue in a capped lg_buf
 * (buf_init(&b, cap)).  proto_queue_frame returns -1, queueing nothing,
 * when the cap would be passed (a peer that does not read).
 * proto_flush writes what it can: 0 all sent, 1 the socket would block
 * (wait for POLLOUT), -1 error with errno set (EPIPE: the peer closed).
 * It never raises SIGPIPE on a socket.
 */
int	 proto_queue_frame(struct lg_buf *, const uint8_t *, size_t);
int	 proto_flush(int, struct lg_buf *);

#endif /* LG_PROTO_H */
