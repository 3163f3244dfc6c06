/*
 * The per-session cookie jar: cookie_core.c's RFC 6265 store behind a lock,
 * with the wide strings the rest of the DLL uses.  The HTTP engine feeds it
 * every Set-Cookie of a response and asks it for the Cookie header of each
 * request, unless WINHTTP_DISABLE_COOKIES is set.
 *
 * Strings cross over as UTF-8, which round-trips every WCHAR; cookie values
 * are ASCII in practice (RFC 6265 §4.1.1 cookie-octet).
 */
#include "winhttp_private.h"
#include "cookie_core.h"

WINE_DEFAULT_DEBUG_CHANNEL(winhttp);

struct cookie_jar
{
    SRWLOCK lock;
    struct cookie_core *core;
};

/* Seconds since 1970, the clock of cookie_core. */
static int64_t unix_now(void)
{
    FILETIME ft;
    ULONGLONG t;

    GetSystemTimeAsFileTime(&ft);
    t = ((ULONGLONG)ft.dwHighDateTime << 32) | ft.dwLowDateTime;
    return (int64_t)((t - 116444736000000000ull) / 10000000);
}

static size_t name_length(const WCHAR *set_cookie)
{
    size_t n = 0;
    while (set_cookie[n] && set_cookie[n] != '=' && set_cookie[n] != ';') n++;
    return n;
}

struct cookie_jar *cookie_jar_create(void)
{
    struct cookie_jar *jar = calloc(1, sizeof(*jar));

    if (!jar) return NULL;
    if (!(jar->core = cookie_core_create()))
    {
        free(jar);
        return NULL;
    }
    InitializeSRWLock(&jar->lock);
    return jar;
}

void cookie_jar_free(struct cookie_jar *jar)
{
    if (!jar) return;
    cookie_core_free(jar->core);
    free(jar);
}

void cookie_jar_set(struct cookie_jar *jar, const WCHAR *host, const WCHAR *path, BOOL secure, const WCHAR *set_cookie)
{
    char *h, *p, *v;
    int ret = -1;

    if (!jar || !host || !set_cookie) return;
    h = strdupWA(host, -1, CP_UTF8);
    p = strdupWA(path ? path : L"/", -1, CP_UTF8);
    v = strdupWA(set_cookie, -1, CP_UTF8);
    if (h && p && v)
    {
        AcquireSRWLockExclusive(&jar->lock);
        ret = cookie_core_set(jar->core, h, p, secure, v, strlen(v), unix_now());
        ReleaseSRWLockExclusive(&jar->lock);
    }
    /* The value is a secret; the name is enough to follow what happened. */
    TRACE("%s for %s%s: %s\n", debugstr_wn(set_cookie, (int)name_length(set_cookie)), debugstr_w(host),
          debugstr_w(path), ret > 0 ? "stored" : ret ? "out of memory" : "ignored");
    free(h);
    free(p);
    free(v);
}

WCHAR *cookie_jar_header(struct cookie_jar *jar, const WCHAR *host, const WCHAR *path, BOOL secure)
{
    WCHAR *ret = NULL;
    char *h, *p, *value = NULL;

    if (!jar || !host) return NULL;
    h = strdupWA(host, -1, CP_UTF8);
    p = strdupWA(path ? path : L"/", -1, CP_UTF8);
    if (h && p)
    {
        AcquireSRWLockExclusive(&jar->lock);   /* the lookup updates last-use times */
        value = cookie_core_header(jar->core, h, p, secure, unix_now());
        ReleaseSRWLockExclusive(&jar->lock);
    }
    if (value) ret = strdupAW(value, -1);
    if (value) free_secret(value, strlen(value));
    free(h);
    free(p);
    TRACE("%s%s: %s\n", debugstr_w(host), debugstr_w(path), ret ? "cookies" : "none");
    return ret;
}
