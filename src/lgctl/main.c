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
 * lgctl: the operator's client of lgbrokerd.  It speaks the framed
 * protocol of lg_proto.h on the broker's admin socket (routers, status,
 * query, hostkey, reload), checks a configuration and parses captured
 * output locally (check, parse), and hands result and token to
 * lgctl-store (store_exec.c), which alone links the stores' libraries.
 */

#include <errno.h>
#include <getopt.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lgctl.h"

#define LGCTL_DEFAULT_TIMEOUT	300		/* -t, seconds */
#define LGCTL_MAX_ROUTERS	64
#define LGCTL_LINE_MAX		(64 * 1024)
#define LGCTL_JSON_OUTPUT_MAX	(64 * 1024 * 1024)

struct lgctl_opts {
	const char		*config;
	const char		*socket;
	const struct lgctl_output *out;
	enum lg_afi		 afi;
	int			 timeout_ms;
	int			 verbose;
};

/* Where a command runs. */
enum cmd_where {
	CMD_LOCAL,		/* here, without the broker */
	CMD_BROKER,		/* here, on the admin socket */
	CMD_STORE		/* in lgctl-store (store_exec.c) */
};

struct lgctl_cmd {
	const char		*name;
	int			 min_args;
	int			 max_args;
	enum cmd_where		 where;
	int			(*run)(struct lgctl_opts *, struct lgctl_client *,
				    int, char **);
};

static int	 cmd_routers(struct lgctl_opts *, struct lgctl_client *, int,
		    char **);
static int	 cmd_status(struct lgctl_opts *, struct lgctl_client *, int,
		    char **);
static int	 cmd_query(struct lgctl_opts *, struct lgctl_client *, int,
		    char **);
static int	 cmd_hostkey(struct lgctl_opts *, struct lgctl_client *, int,
		    char **);
static int	 cmd_reload(struct lgctl_opts *, struct lgctl_client *, int,
		    char **);
static int	 cmd_check(struct lgctl_opts *, struct lgctl_client *, int,
		    char **);
static int	 cmd_parse(struct lgctl_opts *, struct lgctl_client *, int,
		    char **);

static const struct lgctl_cmd cmds[] = {
	{ "routers",	0, 0, CMD_BROKER,	cmd_routers },
	{ "status",	0, 0, CMD_BROKER,	cmd_status },
	{ "query",	2, 3, CMD_BROKER,	cmd_query },
	{ "hostkey",	1, 1, CMD_BROKER,	cmd_hostkey },
	{ "reload",	0, 0, CMD_BROKER,	cmd_reload },
	{ "check",	0, 0, CMD_LOCAL,	cmd_check },
	{ "parse",	2, 3, CMD_LOCAL,	cmd_parse },
	{ "result",	2, 2, CMD_STORE,	NULL },
	{ "token",	1, 4, CMD_STORE,	NULL },
	{ NULL,		0, 0, CMD_LOCAL,	NULL }
};

/* Reads frames until END, handing each of the given type to fn. */
static int
read_list(struct lgctl_client *c, uint16_t type,
    int (*fn)(const struct lgctl_opts *, const uint8_t *, size_t),
    const struct lgctl_opts *o)
{
	struct lg_frame_hdr	 hdr;
	const uint8_t		*payload;
	char			 msg[LG_ERRSTR_MAX];
	uint16_t		 code;
	int			 rc;

	while ((rc = client_next(c, &hdr, &payload)) == 1) {
		if (hdr.type == type) {
			if (fn(o, payload, hdr.length) == -1)
				break;
			continue;
		}
		if (hdr.type != LG_MSG_END ||
		    proto_decode_end(payload, hdr.length, &code, msg,
		    sizeof(msg)) == -1)
			break;
		if (code != LG_OK) {
			o->out->message((enum lg_err)code, msg);
			return LGCTL_EXIT_ERROR;
		}
		return LGCTL_EXIT_OK;
	}
	if (rc == 0)
		fprintf(stderr, "lgctl: the broker closed the connection\n");
	else if (rc == -1)
		fprintf(stderr, "lgctl: %s\n", c->errstr);
	else
		fprintf(stderr, "lgctl: unexpected %s from the broker\n",
		    proto_msg_name(hdr.type));
	return LGCTL_EXIT_BROKER;
}

static int
show_router(const struct lgctl_opts *o, const uint8_t *p, size_t len)
{
	struct lg_msg_router	 r;

	if (proto_decode_router(p, len, &r) == -1)
		return -1;
	o->out->router(&r);
	return 0;
}

/*
 * Sends a request with an empty payload and prints the list that answers
 * it: a header line in text mode, one frame of list_type per row, END.
 */
static int
run_list(const struct lgctl_opts *o, struct lgctl_client *c, uint16_t req,
    uint16_t list_type, const char *header,
    int (*row)(const struct lgctl_opts *, const uint8_t *, size_t),
    void (*done)(void))
{
	uint8_t		 frame[LG_FRAME_HDR_SIZE];
	int		 rc;

	if (client_send(c, frame, proto_encode_empty(frame, sizeof(frame),
	    req, 1)) == -1) {
		fprintf(stderr, "lgctl: %s\n", c->errstr);
		return LGCTL_EXIT_BROKER;
	}
	if (o->out == &output_text)
		printf("%s\n", header);
	if ((rc = read_list(c, list_type, row, o)) == LGCTL_EXIT_OK)
		done();
	return rc;
}

static int
cmd_routers(struct lgctl_opts *o, struct lgctl_client *c, int argc,
    char **argv)
{
	char		 header[128];

	(void)argc;
	(void)argv;
	snprintf(header, sizeof(header), "%-16s %-10s %-20s %-16s %s",
	    "ROUTER", "STATE", "LOCATION", "VENDOR", "QUERIES");
	return run_list(o, c, LG_MSG_LIST_ROUTERS, LG_MSG_ROUTER, header,
	    show_router, o->out->routers_end);
}

static int
show_status(const struct lgctl_opts *o, const uint8_t *p, size_t len)
{
	struct lg_msg_router_status	 s;

	if (proto_decode_router_status(p, len, &s) == -1)
		return -1;
	o->out->status(&s);
	return 0;
}

static int	 rpki_rows;

/* One RTR cache (rpki.caches), after the routers. */
static int
show_rpki(const struct lgctl_opts *o, const uint8_t *p, size_t len)
{
	struct lg_msg_rpki_status	 s;

	if (proto_decode_rpki_status(p, len, &s) == -1)
		return -1;
	o->out->rpki(&s, rpki_rows++ == 0);
	return 0;
}

static void
status_nothing(void)
{
}

/* The routers' pools, then the RTR caches if any are configured. */
static int
cmd_status(struct lgctl_opts *o, struct lgctl_client *c, int argc,
    char **argv)
{
	uint8_t		 frame[LG_FRAME_HDR_SIZE];
	char		 header[160];
	int		 rc;

	(void)argc;
	(void)argv;
	snprintf(header, sizeof(header),
	    "%-16s %-10s %7s %4s %4s %5s %8s %8s %6s  %s", "ROUTER", "STATE",
	    "UP/MAX", "IDLE", "BUSY", "QUEUE", "FAILURES", "QUERIES", "MEDIAN",
	    "LAST ERROR");
	if ((rc = run_list(o, c, LG_MSG_STATUS, LG_MSG_ROUTER_STATUS, header,
	    show_status, status_nothing)) != LGCTL_EXIT_OK)
		return rc;
	rpki_rows = 0;
	if (client_send(c, frame, proto_encode_empty(frame, sizeof(frame),
	    LG_MSG_RPKI, 2)) == -1) {
		fprintf(stderr, "lgctl: %s\n", c->errstr);
		return LGCTL_EXIT_BROKER;
	}
	if ((rc = read_list(c, LG_MSG_RPKI_STATUS, show_rpki, o)) ==
	    LGCTL_EXIT_OK)
		o->out->status_end();
	return rc;
}

/*
 * The user lgctl's queries carry (lgctl queries are staff's: the admin
 * socket serves every router): the Unix user running lgctl, or "uid-N"
 * when that name is not one web.auth would accept.
 */
static void
query_user(char *out, size_t len)
{
	struct passwd	*pw = getpwuid(getuid());

	if (pw != NULL && validate_user_name(pw->pw_name) &&
	    lg_strlcpy(out, pw->pw_name, len) < len)
		return;
	snprintf(out, len, "uid-%u", (unsigned int)getuid());
}

/* Splits "r1,r2" into the results array; returns the count or -1. */
static int
split_routers(char *list, struct lgctl_result *res, size_t max)
{
	char		*name, *save = NULL;
	size_t		 n = 0;

	for (name = strtok_r(list, ",", &save); name != NULL;
	    name = strtok_r(NULL, ",", &save)) {
		if (n == max || validate_router_name(name) == -1) {
			fprintf(stderr, "lgctl: %s: %s\n", n == max ?
			    "too many routers" : "not a router name", name);
			return -1;
		}
		res[n] = (struct lgctl_result){ 0 };
		lg_strlcpy(res[n].router, name, sizeof(res[n].router));
		buf_init(&res[n].line, LGCTL_LINE_MAX);
		buf_init(&res[n].output, LGCTL_JSON_OUTPUT_MAX);
		buf_init(&res[n].parsed, LG_PARSED_MAX);
		n++;
	}
	return (int)n;
}

static int
send_queries(struct lgctl_client *c, struct lgctl_result *res, int n,
    enum lg_query_type type, enum lg_afi afi, const char *target)
{
	struct lg_msg_query	 q;
	uint8_t			 frame[1024];
	char			 user[sizeof(q.user)];
	int			 i;

	/* Looked up once: the passwd database is read for each lookup. */
	query_user(user, sizeof(user));
	for (i = 0; i < n; i++) {
		memset(&q, 0, sizeof(q));
		lg_strlcpy(q.router, res[i].router, sizeof(q.router));
		q.type = (uint8_t)type;
		q.afi = (uint8_t)afi;
		if (lg_strlcpy(q.target, target, sizeof(q.target)) >=
		    sizeof(q.target)) {
			fprintf(stderr, "lgctl: target: longer than %d "
			    "characters\n", LG_TARGET_MAX);
			return -1;
		}
		lg_strlcpy(q.client, "lgctl", sizeof(q.client));
		lg_strlcpy(q.user, user, sizeof(q.user));
		if (client_send(c, frame, proto_encode_query(frame,
		    sizeof(frame), (uint32_t)i + 1, &q)) == -1) {
			fprintf(stderr, "lgctl: %s\n", c->errstr);
			return -1;
		}
	}
	return 0;
}

/* Handles one frame of a query's answer; -1 on a protocol problem. */
static int
query_frame(const struct lgctl_opts *o, struct lgctl_client *c,
    struct lgctl_result *res, int n, const struct lg_frame_hdr *hdr,
    const uint8_t *p)
{
	struct lgctl_result	*r;
	uint8_t			 frame[LG_FRAME_HDR_SIZE + 4];
	char			 router[LG_NAME_MAX];

	if (hdr->request_id == 0 || hdr->request_id > (uint32_t)n)
		return -1;
	r = &res[hdr->request_id - 1];
	if (r->ended)
		return -1;
	switch (hdr->type) {
	case LG_MSG_RESULT_BEGIN:
		if (r->begun || proto_decode_result_begin(p, hdr->length,
		    router, sizeof(router), r->command,
		    sizeof(r->command)) == -1)
			return -1;
		r->begun = 1;
		o->out->result_begin(r, n > 1);
		return 0;
	case LG_MSG_RESULT_DATA:
		o->out->result_data(r, n > 1, p, hdr->length);
		/* Written out: the broker may send as much again. */
		return client_send(c, frame, proto_encode_window(frame,
		    sizeof(frame), hdr->request_id, hdr->length));
	case LG_MSG_RESULT_PARSED:
		if (proto_decode_result_parsed(p, hdr->length) == -1)
			return -1;
		/* Past LG_PARSED_MAX the parsed answer is dropped whole. */
		if (buf_append(&r->parsed, p, hdr->length) == -1)
			r->parsed.cap = 0;
		return client_send(c, frame, proto_encode_window(frame,
		    sizeof(frame), hdr->request_id, hdr->length));
	case LG_MSG_RESULT_END:
		if (proto_decode_result_end(p, hdr->length, &r->end) == -1)
			return -1;
		r->ended = 1;
		o->out->result_end(r, n > 1);
		return 0;
	default:
		return -1;
	}
}

static int
collect_results(const struct lgctl_opts *o, struct lgctl_client *c,
    struct lgctl_result *res, int n)
{
	struct lg_frame_hdr	 hdr;
	const uint8_t		*payload;
	int			 left = n, rc;

	while (left > 0) {
		if ((rc = client_next(c, &hdr, &payload)) != 1) {
			fprintf(stderr, "lgctl: %s\n", rc == 0 ?
			    "the broker closed the connection before the "
			    "answer ended" : c->errstr);
			return LGCTL_EXIT_BROKER;
		}
		if (query_frame(o, c, res, n, &hdr, payload) == -1) {
			fprintf(stderr, "lgctl: unexpected %s from the "
			    "broker\n", proto_msg_name(hdr.type));
			return LGCTL_EXIT_BROKER;
		}
		if (hdr.type == LG_MSG_RESULT_END)
			left--;
	}
	return LGCTL_EXIT_OK;
}

static int
cmd_query(struct lgctl_opts *o, struct lgctl_client *c, int argc,
    char **argv)
{
	struct lgctl_result	 res[LGCTL_MAX_ROUTERS];
	enum lg_query_type	 type;
	int			 i, n, rc;

	if (query_from_name(argv[1], &type) == -1) {
		fprintf(stderr, "lgctl: type: unknown query type \"%s\"\n",
		    argv[1]);
		return LGCTL_EXIT_USAGE;
	}
	/* Only the rows in use are cleared: all 64 cost a query 80 KiB. */
	if ((n = split_routers(argv[0], res, LGCTL_MAX_ROUTERS)) <= 0)
		return LGCTL_EXIT_USAGE;
	rc = LGCTL_EXIT_BROKER;
	if (send_queries(c, res, n, type, o->afi, argc > 2 ? argv[2] : "")
	    == 0)
		rc = collect_results(o, c, res, n);
	if (rc == LGCTL_EXIT_OK) {
		o->out->results_done(res, (size_t)n);
		for (i = 0; i < n; i++)
			if (res[i].end.error != LG_OK)
				rc = LGCTL_EXIT_ERROR;
	}
	for (i = 0; i < n; i++) {
		buf_free(&res[i].line);
		buf_free(&res[i].output);
		buf_free(&res[i].parsed);
	}
	return rc;
}

static int
show_hostkey(const struct lgctl_opts *o, const uint8_t *p, size_t len)
{
	char		 router[LG_NAME_MAX], type[64], fp[128], line[8192];

	if (proto_decode_hostkey_info(p, len, router, sizeof(router), type,
	    sizeof(type), fp, sizeof(fp), line, sizeof(line)) == -1)
		return -1;
	o->out->hostkey(router, type, fp, line);
	return 0;
}

static int
cmd_hostkey(struct lgctl_opts *o, struct lgctl_client *c, int argc,
    char **argv)
{
	uint8_t		 frame[256];

	(void)argc;
	if (validate_router_name(argv[0]) == -1) {
		fprintf(stderr, "lgctl: not a router name: %s\n", argv[0]);
		return LGCTL_EXIT_USAGE;
	}
	if (client_send(c, frame, proto_encode_str(frame, sizeof(frame),
	    LG_MSG_HOSTKEY, 1, argv[0])) == -1) {
		fprintf(stderr, "lgctl: %s\n", c->errstr);
		return LGCTL_EXIT_BROKER;
	}
	return read_list(c, LG_MSG_HOSTKEY_INFO, show_hostkey, o);
}

static int
no_frames(const struct lgctl_opts *o, const uint8_t *p, size_t len)
{
	(void)o;
	(void)p;
	(void)len;
	return -1;
}

static int
cmd_reload(struct lgctl_opts *o, struct lgctl_client *c, int argc,
    char **argv)
{
	uint8_t			 frame[LG_FRAME_HDR_SIZE];
	struct lg_frame_hdr	 hdr;
	const uint8_t		*payload;
	char			 msg[LG_ERRSTR_MAX];
	uint16_t		 code;
	int			 rc;

	(void)argc;
	(void)argv;
	if (client_send(c, frame, proto_encode_empty(frame, sizeof(frame),
	    LG_MSG_RELOAD, 1)) == -1) {
		fprintf(stderr, "lgctl: %s\n", c->errstr);
		return LGCTL_EXIT_BROKER;
	}
	if ((rc = client_next(c, &hdr, &payload)) != 1 ||
	    hdr.type != LG_MSG_END || proto_decode_end(payload, hdr.length,
	    &code, msg, sizeof(msg)) == -1)
		return read_list(c, LG_MSG_END, no_frames, o);
	o->out->message((enum lg_err)code, msg);
	return code == LG_OK ? LGCTL_EXIT_OK : LGCTL_EXIT_ERROR;
}

static int
cmd_check(struct lgctl_opts *o, struct lgctl_client *c, int argc,
    char **argv)
{
	(void)c;
	(void)argc;
	(void)argv;
	return check_config(o->config, o->verbose);
}

static int
cmd_parse(struct lgctl_opts *o, struct lgctl_client *c, int argc,
    char **argv)
{
	(void)c;
	return parse_cmd(o->config, argc, argv);
}

/*
 * The admin socket: -s, else the one the config names.  Only that key is
 * read: loading the whole config (filters' regexes, every router) was most
 * of what a query cost lgctl.
 */
static int
socket_path(const struct lgctl_opts *o, char *path, size_t len)
{
	struct lg_diag		 diag;
	int			 rc;

	if (o->socket != NULL) {
		lg_strlcpy(path, o->socket, len);
		return 0;
	}
	diag_init(&diag);
	if ((rc = config_load_admin_socket(o->config, path, len, &diag)) ==
	    -1) {
		fprintf(stderr, "lgctl: cannot read %s (use -s to name the "
		    "admin socket):\n", o->config);
		for (size_t i = 0; i < diag.nmsgs; i++)
			fprintf(stderr, "%s\n", diag.msgs[i]);
	}
	diag_free(&diag);
	return rc;
}

static int
parse_timeout(const char *s)
{
	char		*end;
	long		 v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno != 0 || *end != '\0' || v < 1 || v > 86400) {
		fprintf(stderr, "lgctl: -t: not a number of seconds from 1 to "
		    "86400: %s\n", s);
		exit(LGCTL_EXIT_USAGE);
	}
	return (int)v * 1000;
}

int
main(int argc, char *argv[])
{
	struct lgctl_opts	 o = { LGCTL_DEFAULT_CONFIG, NULL,
				    &output_text, AFI_ANY,
				    LGCTL_DEFAULT_TIMEOUT * 1000, 0 };
	struct lgctl_client	 c;	/* client_open sets it: 64 KiB */
	const struct lgctl_cmd	*cmd;
	char			 path[LG_PATH_MAX], err[LG_ERRSTR_MAX];
	int			 ch, nargs, rc;

	log_init(1, 0, "lgctl");
	while ((ch = getopt(argc, argv, "+a:f:js:t:v")) != -1) {
		switch (ch) {
		case 'a':
			if (validate_afi_param(optarg, &o.afi, err,
			    sizeof(err)) == -1) {
				fprintf(stderr, "lgctl: %s\n", err);
				return LGCTL_EXIT_USAGE;
			}
			break;
		case 'f':
			o.config = optarg;
			break;
		case 'j':
			o.out = &output_json;
			break;
		case 's':
			o.socket = optarg;
			break;
		case 't':
			o.timeout_ms = parse_timeout(optarg);
			break;
		case 'v':
			o.verbose++;
			break;
		default:
			lgctl_usage();
		}
	}
	argc -= optind;
	argv += optind;
	if (argc < 1)
		lgctl_usage();
	for (cmd = cmds; cmd->name != NULL; cmd++)
		if (strcmp(cmd->name, argv[0]) == 0)
			break;
	if (cmd->name == NULL)
		lgctl_usage();
	argc--;
	argv++;
	/* The query command also takes -a after its name. */
	if (cmd->run == cmd_query && argc > 1 && strcmp(argv[0], "-a") == 0) {
		if (validate_afi_param(argv[1], &o.afi, err, sizeof(err)) ==
		    -1) {
			fprintf(stderr, "lgctl: %s\n", err);
			return LGCTL_EXIT_USAGE;
		}
		argc -= 2;
		argv += 2;
	}
	nargs = argc;
	if (nargs < cmd->min_args || nargs > cmd->max_args)
		lgctl_usage();
	if (cmd->where == CMD_STORE)
		return store_exec(o.config, cmd->name, argc, argv);
	if (cmd->where == CMD_LOCAL)
		return cmd->run(&o, NULL, argc, argv);
	if (socket_path(&o, path, sizeof(path)) == -1)
		return LGCTL_EXIT_BROKER;
	if (client_open(&c, path, o.timeout_ms) == -1) {
		fprintf(stderr, "lgctl: %s: %s\n", path, c.errstr);
		return LGCTL_EXIT_BROKER;
	}
	rc = cmd->run(&o, &c, argc, argv);
	client_close(&c);
	return rc;
}
