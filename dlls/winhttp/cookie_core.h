/*
 * The cookie store of RFC 6265: parsing Set-Cookie (§5.2), storing (§5.3)
 * and producing the Cookie header (§5.4).  Plain C on byte strings (UTF-8),
 * no Win32 and no locking: cookie.c wraps it for the DLL with wide strings
 * and a lock, and it is unit tested and fuzzed natively.
 *
 * Times are seconds since 1970-01-01 UTC, passed in by the caller so that
 * tests control the clock.
 */
#ifndef WINHTTP_COOKIE_CORE_H
#define WINHTTP_COOKIE_CORE_H

#include <stddef.h>
#include <stdint.h>

/* RFC 6265 §6.1 asks for at least these; we keep exactly these. */
#define COOKIE_MAX_BYTES        4096    /* name + value of one cookie */
#define COOKIE_MAX_PER_DOMAIN   50
#define COOKIE_MAX_TOTAL        3000

struct cookie_core;

struct cookie_core *cookie_core_create(void);
void cookie_core_free(struct cookie_core *store);

/* Process one Set-Cookie field value received in a response to
 * http(s)://host/path (path may carry a query, which is ignored).  Returns 1
 * when the store changed (a cookie was stored, replaced or deleted), 0 when
 * the cookie was ignored, -1 when out of memory. */
int cookie_core_set(struct cookie_core *store, const char *host, const char *path, int secure,
                    const char *set_cookie, size_t len, int64_t now);

/* The Cookie header value ("a=1; b=2") for a request to host/path, longer
 * paths first (§5.4); NULL when no cookie applies or out of memory.  The
 * caller frees it. */
char *cookie_core_header(struct cookie_core *store, const char *host, const char *path, int secure, int64_t now);

/* Number of cookies held (expired ones not yet purged included). */
size_t cookie_core_count(const struct cookie_core *store);

/* The cookie-date algorithm of §5.1.1; 1 and *out set on success. */
int cookie_parse_date(const char *s, size_t len, int64_t *out);

/* The matching rules of §5.1.3 and §5.1.4 (host and domain in lower case). */
int cookie_domain_match(const char *host, const char *domain);
int cookie_path_match(const char *request_path, size_t request_path_len, const char *cookie_path);

#endif /* WINHTTP_COOKIE_CORE_H */
