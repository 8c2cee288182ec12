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
 * The fleet: read from a libconfig file (-f) or built for the scale mode
 * (--scale), and the fault switches shared by the file and the control
 * socket (ctl.c).  Strings are copied out of libconfig, whose strings die
 * with config_destroy.
 *
 *   emulator: { fixtures = "..."; audit = "..."; control = "...";
 *               host_keys = [ "ssh_host_ed25519_key", ... ]; };
 *   routers = ( { name = "ios1"; platform = "ios"; hostname = "ios1";
 *                 listen = "127.0.0.1"; ssh_port = 2201; telnet_port = 2301;
 *                 username = "lg"; password = "..."; enable_password = "...";
 *                 privileged = false; faults = { slow_output = "64/20"; }; } );
 */

#include <libgen.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libconfig.h>

#include "emu.h"

#define CONF_MAX_ROUTERS	20000

enum fault_type {
	F_INT,
	F_BOOL,
	F_STR,
	F_RATE
};

static const struct fault_opt {
	const char	*name;
	enum fault_type	 type;
	size_t		 off;
} fault_opts[] = {
	{ "slow_output", F_RATE, offsetof(struct emu_faults, slow_bytes) },
	{ "drop_after_commands", F_INT, offsetof(struct emu_faults, drop_after) },
	{ "drop_mid_output", F_BOOL, offsetof(struct emu_faults, drop_mid_output) },
	{ "hang_on", F_STR, offsetof(struct emu_faults, hang_on) },
	{ "huge_output_mb", F_INT, offsetof(struct emu_faults, huge_mb) },
	{ "huge_on", F_STR, offsetof(struct emu_faults, huge_on) },
	{ "prompt_in_banner", F_BOOL, offsetof(struct emu_faults, prompt_in_banner) },
	{ "ansi_noise", F_BOOL, offsetof(struct emu_faults, ansi_noise) },
	{ "stray_cr", F_BOOL, offsetof(struct emu_faults, stray_cr) },
	{ "slow_login_ms", F_INT, offsetof(struct emu_faults, slow_login_ms) },
	{ "response_delay_ms", F_INT, offsetof(struct emu_faults, response_delay_ms) },
	{ "pause_ms", F_INT, offsetof(struct emu_faults, pause_ms) },
	{ "echo_off", F_BOOL, offsetof(struct emu_faults, echo_off) },
	{ "prompt_in_output", F_INT, offsetof(struct emu_faults, prompt_in_output) },
	{ NULL, F_INT, 0 }
};

static int
parse_int(const char *v, int *out)
{
	char		*end;
	long		 l;

	l = strtol(v, &end, 10);
	if (*v == '\0' || *end != '\0' || l < 0 || l > 1000000)
		return -1;
	*out = (int)l;
	return 0;
}

static int
parse_bool(const char *v, int *out)
{
	if (strcmp(v, "true") == 0 || strcmp(v, "1") == 0 ||
	    strcmp(v, "on") == 0)
		*out = 1;
	else if (strcmp(v, "false") == 0 || strcmp(v, "0") == 0 ||
	    strcmp(v, "off") == 0)
		*out = 0;
	else
		return -1;
	return 0;
}

/*
 * Sets fault name to value (text form, as typed on the control socket).
 * "off", "0", "" and "false" switch any fault off.  -1 with err on error.
 */
int
conf_fault_set(struct emu_faults *f, const char *name, const char *value,
    char *err, size_t errlen)
{
	const struct fault_opt *o;
	char		*p = (char *)f, **sp, tmp[32], *slash;
	int		 v, v2, rc = 0;

	for (o = fault_opts; o->name != NULL; o++)
		if (strcmp(o->name, name) == 0)
			break;
	if (o->name == NULL) {
		snprintf(err, errlen, "unknown fault %s", name);
		return -1;
	}
	switch (o->type) {
	case F_INT:
		rc = parse_int(value, &v);
		if (rc == 0)
			*(int *)(void *)(p + o->off) = v;
		break;
	case F_BOOL:
		rc = parse_bool(value, &v);
		if (rc == 0)
			*(int *)(void *)(p + o->off) = v;
		break;
	case F_STR:
		sp = (char **)(void *)(p + o->off);
		free(*sp);
		*sp = (value[0] == '\0' || strcmp(value, "off") == 0) ? NULL :
		    strdup(value);
		break;
	case F_RATE:
		lg_strlcpy(tmp, value, sizeof(tmp));
		v = v2 = 0;
		if (strcmp(tmp, "off") != 0 && strcmp(tmp, "0") != 0) {
			if ((slash = strchr(tmp, '/')) == NULL)
				rc = -1;
			else {
				*slash++ = '\0';
				rc = parse_int(tmp, &v) == -1 ||
				    parse_int(slash, &v2) == -1 || v == 0 ? -1 : 0;
			}
		}
		if (rc == 0) {
			f->slow_bytes = v;
			f->slow_ms = v2;
		}
		break;
	}
	if (rc == -1)
		snprintf(err, errlen, "%s: bad value \"%s\"", name, value);
	return rc;
}

void
conf_faults_clear(struct emu_faults *f)
{
	free(f->hang_on);
	free(f->huge_on);
	memset(f, 0, sizeof(*f));
	f->pause_ms = EMU_PAUSE_MS;
}

/* One line "name=value ..." of the faults that are on. */
void
conf_fault_show(const struct emu_faults *f, struct lg_buf *b)
{
	const struct fault_opt *o;
	const char	*p = (const char *)f;
	int		 v;
	const char	*sv;

	for (o = fault_opts; o->name != NULL; o++) {
		switch (o->type) {
		case F_INT:
		case F_BOOL:
			v = *(const int *)(const void *)(p + o->off);
			if (v != 0)
				buf_printf(b, " %s=%d", o->name, v);
			break;
		case F_STR:
			sv = *(char *const *)(const void *)(p + o->off);
			if (sv != NULL)
				buf_printf(b, " %s=\"%s\"", o->name, sv);
			break;
		case F_RATE:
			if (f->slow_bytes > 0)
				buf_printf(b, " %s=%d/%d", o->name,
				    f->slow_bytes, f->slow_ms);
			break;
		}
	}
}

static char *
get_str(const config_setting_t *g, const char *key, const char *def)
{
	const char	*v;

	if (config_setting_lookup_string(g, key, &v) != CONFIG_TRUE)
		v = def;
	return v != NULL ? xstrdup(v) : NULL;
}

/* A path from the file, made relative to the file's directory. */
static char *
conf_path(const char *dir, const char *v)
{
	char		*p;

	if (v == NULL)
		return NULL;
	if (v[0] == '/')
		return xstrdup(v);
	xasprintf(&p, "%s/%s", dir, v);
	return p;
}

static int
load_faults(const config_setting_t *g, struct emu_faults *f, char *err,
    size_t errlen)
{
	const config_setting_t *e;
	char		 v[256];
	int		 i;

	for (i = 0; g != NULL && (e = config_setting_get_elem(g,
	    (unsigned int)i)) != NULL; i++) {
		switch (config_setting_type(e)) {
		case CONFIG_TYPE_INT:
			snprintf(v, sizeof(v), "%d", config_setting_get_int(e));
			break;
		case CONFIG_TYPE_BOOL:
			lg_strlcpy(v, config_setting_get_bool(e) ? "true" :
			    "false", sizeof(v));
			break;
		case CONFIG_TYPE_STRING:
			lg_strlcpy(v, config_setting_get_string(e), sizeof(v));
			break;
		default:
			snprintf(err, errlen, "line %d: fault %s: bad type",
			    config_setting_source_line(e),
			    config_setting_name(e));
			return -1;
		}
		if (conf_fault_set(f, config_setting_name(e), v, err,
		    errlen) == -1)
			return -1;
	}
	return 0;
}

static int
load_router(const config_setting_t *g, struct emu_router *r, char *err,
    size_t errlen)
{
	const char	*plat;
	int		 line = config_setting_source_line(g);

	conf_faults_clear(&r->faults);
	r->audit_fd = -1;
	r->ssh_l.fd = r->tel_l.fd = -1;
	if (config_setting_lookup_string(g, "platform", &plat) != CONFIG_TRUE ||
	    (r->plat = platform_find(plat)) == NULL) {
		snprintf(err, errlen, "line %d: platform missing or unknown",
		    line);
		return -1;
	}
	if ((r->name = get_str(g, "name", NULL)) == NULL) {
		snprintf(err, errlen, "line %d: router without a name", line);
		return -1;
	}
	r->hostname = get_str(g, "hostname", r->name);
	r->listen = get_str(g, "listen", "127.0.0.1");
	r->username = get_str(g, "username", "lg");
	r->password = get_str(g, "password", "lg");
	r->enable_password = get_str(g, "enable_password", "");
	config_setting_lookup_bool(g, "privileged", &r->privileged);
	config_setting_lookup_int(g, "ssh_port", &r->ssh_port);
	config_setting_lookup_int(g, "telnet_port", &r->telnet_port);
	if (r->ssh_port == 0 && r->telnet_port == 0) {
		snprintf(err, errlen, "line %d: %s has no port", line, r->name);
		return -1;
	}
	return load_faults(config_setting_get_member(g, "faults"), &r->faults,
	    err, errlen);
}

static void
load_emulator(const config_setting_t *g, struct emu_conf *c, const char *dir)
{
	const config_setting_t *k;
	const char	*v;
	int		 i;

	if (g == NULL)
		return;
	if (c->fixtures == NULL &&
	    config_setting_lookup_string(g, "fixtures", &v) == CONFIG_TRUE)
		c->fixtures = conf_path(dir, v);
	if (c->audit == NULL &&
	    config_setting_lookup_string(g, "audit", &v) == CONFIG_TRUE)
		c->audit = conf_path(dir, v);
	if (c->control == NULL &&
	    config_setting_lookup_string(g, "control", &v) == CONFIG_TRUE)
		c->control = conf_path(dir, v);
	if (c->nhostkeys > 0 ||
	    (k = config_setting_get_member(g, "host_keys")) == NULL)
		return;
	for (i = 0; i < config_setting_length(k) && i < 4; i++)
		if ((v = config_setting_get_string_elem(k, i)) != NULL)
			c->hostkeys[c->nhostkeys++] = conf_path(dir, v);
}

/* Reads the fleet file; -1 with err ("file:line: ...") on error. */
int
conf_load(struct emu_conf *c, const char *file, char *err, size_t errlen)
{
	config_t	 cfg;
	config_setting_t *rs;
	char		*tmp, e[256];
	int		 i, n, rc = -1;

	config_init(&cfg);
	if (config_read_file(&cfg, file) != CONFIG_TRUE) {
		snprintf(err, errlen, "%s:%d: %s", file,
		    config_error_line(&cfg), config_error_text(&cfg));
		goto fail;
	}
	tmp = xstrdup(file);
	load_emulator(config_lookup(&cfg, "emulator"), c, dirname(tmp));
	free(tmp);
	rs = config_lookup(&cfg, "routers");
	n = rs != NULL ? config_setting_length(rs) : 0;
	if (n <= 0 || n > CONF_MAX_ROUTERS) {
		snprintf(err, errlen, "%s: no routers list", file);
		goto fail;
	}
	c->routers = xcalloc((size_t)n, sizeof(*c->routers));
	for (i = 0; i < n; i++) {
		c->nrouters++;
		if (load_router(config_setting_get_elem(rs, (unsigned int)i),
		    &c->routers[i], e, sizeof(e)) == -1) {
			snprintf(err, errlen, "%s: %s", file, e);
			goto fail;
		}
	}
	rc = 0;
fail:
	config_destroy(&cfg);
	return rc;
}

/*
 * The scale fleet: count routers of one platform (or "mixed"), SSH on
 * base_port + i and, with telnet, telnet on base_port + count + i.  They
 * start privileged, user "lg", password "lg", no faults.
 */
int
conf_scale(struct emu_conf *c, int count, const char *plat, int base_port,
    int telnet, const char *listen, char *err, size_t errlen)
{
	struct emu_router *r;
	int		 i;

	if (count <= 0 || count > CONF_MAX_ROUTERS ||
	    base_port + count * (telnet ? 2 : 1) > 65535) {
		snprintf(err, errlen, "scale: bad count or base port");
		return -1;
	}
	c->routers = xcalloc((size_t)count, sizeof(*c->routers));
	for (i = 0; i < count; i++) {
		r = &c->routers[i];
		c->nrouters++;
		conf_faults_clear(&r->faults);
		r->audit_fd = -1;
		r->ssh_l.fd = r->tel_l.fd = -1;
		/* "mixed" cycles through the five platforms. */
		if (strcmp(plat, "mixed") == 0)
			r->plat = platform_get((enum emu_plat_id)(i % PLAT_MAX));
		else if ((r->plat = platform_find(plat)) == NULL) {
			snprintf(err, errlen, "scale: unknown platform %s",
			    plat);
			return -1;
		}
		xasprintf(&r->name, "scale%04d", i + 1);
		xasprintf(&r->hostname, "r%04d", i + 1);
		r->listen = xstrdup(listen);
		r->username = xstrdup("lg");
		r->password = xstrdup("lg");
		r->enable_password = xstrdup("");
		r->privileged = 1;
		r->ssh_port = base_port + i;
		r->telnet_port = telnet ? base_port + count + i : 0;
	}
	return 0;
}

struct emu_router *
conf_router(struct emu_conf *c, const char *name)
{
	size_t		 i;

	for (i = 0; i < c->nrouters; i++)
		if (strcmp(c->routers[i].name, name) == 0)
			return &c->routers[i];
	return NULL;
}

void
conf_free(struct emu_conf *c)
{
	struct emu_router *r;
	size_t		 i;
	int		 k;

	for (i = 0; i < c->nrouters; i++) {
		r = &c->routers[i];
		free(r->name);
		free(r->hostname);
		free(r->listen);
		free(r->username);
		free(r->password);
		free(r->enable_password);
		conf_faults_clear(&r->faults);
	}
	free(c->routers);
	for (k = 0; k < c->nhostkeys; k++)
		free(c->hostkeys[k]);
	free(c->fixtures);
	free(c->audit);
	free(c->control);
	memset(c, 0, sizeof(*c));
}
