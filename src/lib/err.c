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
 * The error code registry shared by both daemons and lgctl, and its
 * mapping to HTTP statuses (DESIGN.md section 6).
 */

#include "lg.h"

static const struct {
	const char	*name;
	int		 http;
} lg_errs[LG_ERR_COUNT] = {
	[LG_OK] =			{ "ok", 200 },
	[LG_ERR_BAD_QUERY] =		{ "bad_query", 400 },
	[LG_ERR_DENIED] =		{ "denied", 403 },
	[LG_ERR_UNKNOWN_ROUTER] =	{ "unknown_router", 404 },
	[LG_ERR_UNKNOWN_TYPE] =		{ "unknown_type", 404 },
	[LG_ERR_RATE_LIMITED] =		{ "rate_limited", 429 },
	[LG_ERR_UNSUPPORTED] =		{ "unsupported", 501 },
	[LG_ERR_UNREACHABLE] =		{ "router_unreachable", 502 },
	[LG_ERR_AUTH] =			{ "auth_failed", 502 },
	[LG_ERR_HOSTKEY] =		{ "hostkey_mismatch", 502 },
	[LG_ERR_ROUTER_DOWN] =		{ "router_down", 502 },
	[LG_ERR_COMMAND_FAILED] =	{ "command_failed", 502 },
	[LG_ERR_BUSY] =			{ "busy", 503 },
	[LG_ERR_BROKER_UNAVAILABLE] =	{ "broker_unavailable", 503 },
	[LG_ERR_TIMEOUT] =		{ "timeout", 504 },
	[LG_ERR_CANCELLED] =		{ "cancelled", 499 },
	[LG_ERR_INTERNAL] =		{ "internal", 500 },
	[LG_ERR_CHALLENGE_REQUIRED] =	{ "challenge_required", 429 },
	[LG_ERR_UNAUTHORIZED] =		{ "unauthorized", 401 },
};

const char *
lg_err_name(enum lg_err e)
{
	if ((unsigned int)e >= LG_ERR_COUNT)
		return "internal";
	return lg_errs[e].name;
}

int
lg_err_http_status(enum lg_err e)
{
	if ((unsigned int)e >= LG_ERR_COUNT)
		return 500;
	return lg_errs[e].http;
}
