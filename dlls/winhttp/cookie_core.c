/*
 * The cookie store of RFC 6265 (see cookie_core.h).  Section numbers below
 * are RFC 6265's; the few rules taken from its successor draft (6265bis) say
 * so.
 */
#include <stdlib.h>
#include <string.h>

#include "cookie_core.h"

struct cookie
{
    char *name, *value;
    char *domain;               /* lower case, no leading dot */
    char *path;
    int64_t expiry;             /* INT64_MAX for a session cookie */
    uint64_t creation;          /* order of creation, kept when replaced */
    uint64_t last_access;       /* order of last use, for eviction */
    int host_only, secure, http_only;
};

struct cookie_core
{
    struct cookie **items;
    size_t count, capacity;
    uint64_t clock;             /* a counter: creation and access order */
};

/* What §5.2 makes of one Set-Cookie value. */
struct set_cookie
{
    const char *name, *value;
    size_t name_len, value_len;
    int has_expires, has_max_age;
    int64_t expires, max_age_expiry;
    char *domain;               /* NULL: no usable Domain attribute */
    const char *path;           /* NULL: no usable Path attribute */
    size_t path_len;
    int secure, http_only;
};

/* ------------------------------------------------------------------ */
/* small string helpers                                                */

static int is_wsp(char c)
{
    return c == ' ' || c == '\t';
}

static char lower(char c)
{
    return (c >= 'A' && c <= 'Z') ? c + ('a' - 'A') : c;
}

static int equals_nocase(const char *s, size_t len, const char *lit)
{
    size_t i;
    for (i = 0; i < len; i++) if (!lit[i] || lower(s[i]) != lit[i]) return 0;
    return !lit[len];
}

static void trim(const char **s, size_t *len)
{
    while (*len && is_wsp(**s)) { (*s)++; (*len)--; }
    while (*len && is_wsp((*s)[*len - 1])) (*len)--;
}

static char *dup_n(const char *s, size_t len)
{
    char *ret = malloc(len + 1);
    if (!ret) return NULL;
    memcpy(ret, s, len);
    ret[len] = 0;
    return ret;
}

static char *dup_lower(const char *s, size_t len)
{
    char *ret = dup_n(s, len);
    size_t i;
    if (ret) for (i = 0; i < len; i++) ret[i] = lower(ret[i]);
    return ret;
}

/* ------------------------------------------------------------------ */
/* §5.1.1 dates                                                        */

static int is_date_delimiter(unsigned char c)
{
    return c == 0x09 || (c >= 0x20 && c <= 0x2f) || (c >= 0x3b && c <= 0x40) || (c >= 0x5b && c <= 0x60) ||
           (c >= 0x7b && c <= 0x7e);
}

static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* 1*max DIGIT followed by the end or a non-digit; returns the digits used or 0. */
static size_t read_digits(const char *s, size_t len, size_t min, size_t max, int *value)
{
    size_t n = 0;
    *value = 0;
    while (n < len && n < max && is_digit(s[n])) *value = *value * 10 + (s[n++] - '0');
    if (n < min) return 0;
    if (n < len && is_digit(s[n])) return 0;
    return n;
}

/* hms-time = time-field ":" time-field ":" time-field, then anything after
 * a non-digit. */
static int parse_time(const char *s, size_t len, int *h, int *m, int *sec)
{
    size_t n, pos = 0;

    if (!(n = read_digits(s, len, 1, 2, h)) || (pos += n) >= len || s[pos++] != ':') return 0;
    if (!(n = read_digits(s + pos, len - pos, 1, 2, m)) || (pos += n) >= len || s[pos++] != ':') return 0;
    return read_digits(s + pos, len - pos, 1, 2, sec) != 0;
}

static int parse_month(const char *s, size_t len)
{
    static const char months[12][4] = { "jan", "feb", "mar", "apr", "may", "jun",
                                        "jul", "aug", "sep", "oct", "nov", "dec" };
    int i;

    if (len < 3) return 0;
    for (i = 0; i < 12; i++)
        if (lower(s[0]) == months[i][0] && lower(s[1]) == months[i][1] && lower(s[2]) == months[i][2]) return i + 1;
    return 0;
}

static int days_in_month(int year, int month)
{
    static const int days[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    int leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    return days[month - 1] + (month == 2 && leap);
}

/* Days from 1970-01-01 to the given civil date (proleptic Gregorian). */
static int64_t days_from_civil(int64_t y, int m, int d)
{
    int64_t era, yoe, doy, doe;

    y -= m <= 2;
    era = (y >= 0 ? y : y - 399) / 400;
    yoe = y - era * 400;
    doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

int cookie_parse_date(const char *s, size_t len, int64_t *out)
{
    int found_time = 0, found_day = 0, found_month = 0, found_year = 0;
    int hour = 0, minute = 0, second = 0, day = 0, month = 0, year = 0;
    size_t pos = 0;

    while (pos < len)
    {
        size_t start, token_len;
        int v;

        while (pos < len && is_date_delimiter((unsigned char)s[pos])) pos++;
        start = pos;
        while (pos < len && !is_date_delimiter((unsigned char)s[pos])) pos++;
        if (!(token_len = pos - start)) continue;

        if (!found_time && parse_time(s + start, token_len, &hour, &minute, &second)) found_time = 1;
        else if (!found_day && read_digits(s + start, token_len, 1, 2, &v)) { day = v; found_day = 1; }
        else if (!found_month && (v = parse_month(s + start, token_len))) { month = v; found_month = 1; }
        else if (!found_year && read_digits(s + start, token_len, 2, 4, &v)) { year = v; found_year = 1; }
    }
    if (!found_time || !found_day || !found_month || !found_year) return 0;
    if (year >= 70 && year <= 99) year += 1900;
    else if (year >= 0 && year <= 69) year += 2000;
    if (day < 1 || day > 31 || year < 1601 || hour > 23 || minute > 59 || second > 59) return 0;
    if (day > days_in_month(year, month)) return 0;
    *out = days_from_civil(year, month, day) * 86400 + hour * 3600 + minute * 60 + second;
    return 1;
}

/* ------------------------------------------------------------------ */
/* §5.1.3 and §5.1.4 matching                                          */

/* An IPv4 literal (digits and dots only) or an IPv6 one (has a colon). */
static int is_ip_address(const char *host)
{
    const char *p;
    int digits_only = 1;

    if (strchr(host, ':')) return 1;
    for (p = host; *p; p++) if (!is_digit(*p) && *p != '.') digits_only = 0;
    return digits_only && *host;
}

int cookie_domain_match(const char *host, const char *domain)
{
    size_t host_len = strlen(host), domain_len = strlen(domain);

    if (!strcmp(host, domain)) return 1;
    if (!domain_len || domain_len >= host_len || is_ip_address(host)) return 0;
    return !strcmp(host + host_len - domain_len, domain) && host[host_len - domain_len - 1] == '.';
}

int cookie_path_match(const char *request_path, size_t request_path_len, const char *cookie_path)
{
    size_t len = strlen(cookie_path);

    if (len > request_path_len || memcmp(request_path, cookie_path, len)) return 0;
    if (len == request_path_len) return 1;
    return cookie_path[len - 1] == '/' || request_path[len] == '/';
}

/* The path part of a request target: no query, no fragment; "/" if empty. */
static size_t uri_path_len(const char *path)
{
    size_t len = 0;
    if (!path) return 0;
    while (path[len] && path[len] != '?' && path[len] != '#') len++;
    return len;
}

/* §5.1.4 default-path: the directory of the request path. */
static char *default_path(const char *path)
{
    size_t len = uri_path_len(path), last = 0, i;

    if (!len || path[0] != '/') return dup_n("/", 1);
    for (i = 0; i < len; i++) if (path[i] == '/') last = i;
    if (!last) return dup_n("/", 1);
    return dup_n(path, last);
}

/* ------------------------------------------------------------------ */
/* §5.2 parsing                                                        */

static int has_control_chars(const char *s, size_t len)
{
    size_t i;
    for (i = 0; i < len; i++)
    {
        unsigned char c = s[i];
        if ((c < 0x20 && c != '\t') || c == 0x7f) return 1;
    }
    return 0;
}

static int64_t add_seconds(int64_t now, int64_t delta)
{
    if (delta > 0 && now > INT64_MAX - delta) return INT64_MAX;
    return now + delta;
}

/* Max-Age: digits with an optional leading '-'. */
static void parse_max_age(struct set_cookie *sc, const char *v, size_t len, int64_t now)
{
    int64_t delta = 0;
    size_t i = 0;
    int negative = 0;

    if (!len || (!is_digit(v[0]) && v[0] != '-')) return;
    if (v[0] == '-') { negative = 1; i = 1; }
    if (i == len) return;
    for (; i < len; i++)
    {
        if (!is_digit(v[i])) return;
        if (delta < INT64_MAX / 20) delta = delta * 10 + (v[i] - '0');
    }
    sc->has_max_age = 1;
    /* Zero or negative: the earliest time there is, so it has expired. */
    sc->max_age_expiry = (negative || !delta) ? INT64_MIN : add_seconds(now, delta);
}

/* Returns -1 when out of memory. */
static int parse_attribute(struct set_cookie *sc, const char *av, size_t len, int64_t now)
{
    const char *eq = memchr(av, '=', len), *name = av, *value = "";
    size_t name_len = len, value_len = 0;
    int64_t t;

    if (eq)
    {
        name_len = eq - av;
        value = eq + 1;
        value_len = len - name_len - 1;
    }
    trim(&name, &name_len);
    trim(&value, &value_len);

    if (equals_nocase(name, name_len, "expires"))
    {
        if (cookie_parse_date(value, value_len, &t)) { sc->has_expires = 1; sc->expires = t; }
    }
    else if (equals_nocase(name, name_len, "max-age")) parse_max_age(sc, value, value_len, now);
    else if (equals_nocase(name, name_len, "domain"))
    {
        /* An empty Domain is ignored, a leading dot dropped. */
        if (value_len && value[0] == '.') { value++; value_len--; }
        if (value_len)
        {
            free(sc->domain);
            if (!(sc->domain = dup_lower(value, value_len))) return -1;
        }
    }
    else if (equals_nocase(name, name_len, "path"))
    {
        /* Not starting with '/': the default path (kept as NULL here). */
        sc->path = (value_len && value[0] == '/') ? value : NULL;
        sc->path_len = sc->path ? value_len : 0;
    }
    else if (equals_nocase(name, name_len, "secure")) sc->secure = 1;
    else if (equals_nocase(name, name_len, "httponly")) sc->http_only = 1;
    return 0;
}

/* Returns 1 parsed, 0 ignore the cookie, -1 out of memory. */
static int parse_set_cookie(struct set_cookie *sc, const char *s, size_t len, int64_t now)
{
    const char *semicolon, *eq, *end = s + len;

    memset(sc, 0, sizeof(*sc));
    /* Control characters: the whole cookie is ignored (6265bis), so no
     * cookie can smuggle a line break into a Cookie header. */
    if (has_control_chars(s, len)) return 0;
    semicolon = memchr(s, ';', len);
    if (!semicolon) semicolon = end;
    if (!(eq = memchr(s, '=', semicolon - s))) return 0;
    sc->name = s;
    sc->name_len = eq - s;
    sc->value = eq + 1;
    sc->value_len = semicolon - eq - 1;
    trim(&sc->name, &sc->name_len);
    trim(&sc->value, &sc->value_len);
    if (!sc->name_len || sc->name_len + sc->value_len > COOKIE_MAX_BYTES) return 0;

    while (semicolon < end)
    {
        const char *av = semicolon + 1, *next = memchr(av, ';', end - av);
        if (!next) next = end;
        if (parse_attribute(sc, av, next - av, now) < 0) return -1;
        semicolon = next;
    }
    return 1;
}

/* ------------------------------------------------------------------ */
/* the store                                                           */

struct cookie_core *cookie_core_create(void)
{
    return calloc(1, sizeof(struct cookie_core));
}

static void cookie_free(struct cookie *c)
{
    if (!c) return;
    free(c->name);
    free(c->value);
    free(c->domain);
    free(c->path);
    free(c);
}

void cookie_core_free(struct cookie_core *store)
{
    size_t i;
    if (!store) return;
    for (i = 0; i < store->count; i++) cookie_free(store->items[i]);
    free(store->items);
    free(store);
}

size_t cookie_core_count(const struct cookie_core *store)
{
    return store ? store->count : 0;
}

static void remove_at(struct cookie_core *store, size_t at)
{
    cookie_free(store->items[at]);
    memmove(&store->items[at], &store->items[at + 1], (store->count - at - 1) * sizeof(*store->items));
    store->count--;
}

static void purge_expired(struct cookie_core *store, int64_t now)
{
    size_t i = 0;
    while (i < store->count)
    {
        if (store->items[i]->expiry <= now) remove_at(store, i);
        else i++;
    }
}

static int find_same(const struct cookie_core *store, const struct cookie *c)
{
    size_t i;
    for (i = 0; i < store->count; i++)
    {
        const struct cookie *o = store->items[i];
        if (!strcmp(o->name, c->name) && !strcmp(o->domain, c->domain) && !strcmp(o->path, c->path)) return (int)i;
    }
    return -1;
}

/* The least recently used cookie, of one domain or (domain NULL) of all. */
static int find_lru(const struct cookie_core *store, const char *domain)
{
    int best = -1;
    size_t i;

    for (i = 0; i < store->count; i++)
    {
        if (domain && strcmp(store->items[i]->domain, domain)) continue;
        if (best < 0 || store->items[i]->last_access < store->items[best]->last_access) best = (int)i;
    }
    return best;
}

static size_t domain_count(const struct cookie_core *store, const char *domain)
{
    size_t i, n = 0;
    for (i = 0; i < store->count; i++) if (!strcmp(store->items[i]->domain, domain)) n++;
    return n;
}

/* §5.3 step 12: expired cookies go first, then the least recently used of
 * a domain over its limit, then of the whole store. */
static void enforce_limits(struct cookie_core *store, const char *domain, int64_t now)
{
    int at;

    if (store->count <= COOKIE_MAX_TOTAL && domain_count(store, domain) <= COOKIE_MAX_PER_DOMAIN) return;
    purge_expired(store, now);
    while (domain_count(store, domain) > COOKIE_MAX_PER_DOMAIN && (at = find_lru(store, domain)) >= 0)
        remove_at(store, at);
    while (store->count > COOKIE_MAX_TOTAL && (at = find_lru(store, NULL)) >= 0)
        remove_at(store, at);
}

static int insert(struct cookie_core *store, struct cookie *c)
{
    if (store->count == store->capacity)
    {
        size_t capacity = store->capacity ? store->capacity * 2 : 16;
        struct cookie **items = realloc(store->items, capacity * sizeof(*items));
        if (!items) return 0;
        store->items = items;
        store->capacity = capacity;
    }
    store->items[store->count++] = c;
    return 1;
}

/* §5.3 steps 4-6: the cookie's domain and host-only flag.  Returns 0 when
 * the cookie must be ignored. */
static int resolve_domain(struct cookie *c, struct set_cookie *sc, const char *host)
{
    if (sc->domain && !strchr(sc->domain, '.'))
    {
        /* Without a public suffix list, a single-label domain stands for a
         * public suffix (step 5): only the host itself may use it, and then
         * the cookie is host-only. */
        if (strcmp(sc->domain, host)) return 0;
        free(sc->domain);
        sc->domain = NULL;
    }
    if (sc->domain)
    {
        if (!cookie_domain_match(host, sc->domain)) return 0;
        c->host_only = 0;
        c->domain = sc->domain;
        sc->domain = NULL;
        return 1;
    }
    c->host_only = 1;
    return (c->domain = dup_n(host, strlen(host))) != NULL ? 1 : -1;
}

static struct cookie *make_cookie(struct set_cookie *sc, const char *host, const char *path, int64_t now, int *ret)
{
    struct cookie *c = calloc(1, sizeof(*c));

    *ret = -1;
    if (!c) return NULL;
    if (!(c->name = dup_n(sc->name, sc->name_len)) || !(c->value = dup_n(sc->value, sc->value_len))) goto fail;
    if (sc->has_max_age) c->expiry = sc->max_age_expiry;   /* Max-Age wins over Expires */
    else if (sc->has_expires) c->expiry = sc->expires;
    else c->expiry = INT64_MAX;
    if ((*ret = resolve_domain(c, sc, host)) <= 0) goto fail;
    *ret = -1;
    if (!(c->path = sc->path ? dup_n(sc->path, sc->path_len) : default_path(path))) goto fail;
    c->secure = sc->secure;
    c->http_only = sc->http_only;
    *ret = 1;
    return c;
fail:
    cookie_free(c);
    return NULL;
}

int cookie_core_set(struct cookie_core *store, const char *host, const char *path, int secure,
                    const char *set_cookie, size_t len, int64_t now)
{
    struct set_cookie sc;
    struct cookie *c;
    char *lhost;
    int ret, at;

    (void)secure;   /* RFC 6265 lets plain http set Secure cookies */
    if (!store || !host || !*host || !set_cookie) return 0;
    if ((ret = parse_set_cookie(&sc, set_cookie, len, now)) <= 0) goto done;
    ret = -1;
    if (!(lhost = dup_lower(host, strlen(host)))) goto done;
    c = make_cookie(&sc, lhost, path, now, &ret);
    free(lhost);
    if (!c) goto done;

    /* Step 11: the same name, domain and path replace the old cookie,
     * keeping its creation order; an expired one just deletes it. */
    c->creation = c->last_access = ++store->clock;
    ret = 0;
    if ((at = find_same(store, c)) >= 0)
    {
        c->creation = store->items[at]->creation;
        remove_at(store, at);
        ret = 1;
    }
    if (c->expiry <= now)
    {
        cookie_free(c);
        goto done;
    }
    if (!insert(store, c))
    {
        cookie_free(c);
        ret = -1;
        goto done;
    }
    enforce_limits(store, c->domain, now);
    ret = 1;
done:
    free(sc.domain);
    return ret;
}

static int applies(const struct cookie *c, const char *host, const char *path, size_t path_len, int secure, int64_t now)
{
    if (c->expiry <= now) return 0;
    if (c->secure && !secure) return 0;
    if (c->host_only ? strcmp(host, c->domain) : !cookie_domain_match(host, c->domain)) return 0;
    return cookie_path_match(path, path_len, c->path);
}

/* §5.4 step 2: longer paths first, then earlier creation. */
static int compare_cookies(const void *a, const void *b)
{
    const struct cookie *ca = *(const struct cookie *const *)a, *cb = *(const struct cookie *const *)b;
    size_t la = strlen(ca->path), lb = strlen(cb->path);

    if (la != lb) return la > lb ? -1 : 1;
    return ca->creation < cb->creation ? -1 : ca->creation > cb->creation;
}

static char *join(struct cookie **list, size_t n)
{
    size_t len = 1, i;
    char *ret, *p;

    for (i = 0; i < n; i++) len += strlen(list[i]->name) + 1 + strlen(list[i]->value) + 2;
    if (!(p = ret = malloc(len))) return NULL;
    for (i = 0; i < n; i++)
    {
        if (i) { *p++ = ';'; *p++ = ' '; }
        strcpy(p, list[i]->name);
        p += strlen(p);
        *p++ = '=';
        strcpy(p, list[i]->value);
        p += strlen(p);
    }
    *p = 0;
    return ret;
}

char *cookie_core_header(struct cookie_core *store, const char *host, const char *path, int secure, int64_t now)
{
    struct cookie **list;
    const char *request_path = (path && path[0] == '/') ? path : "/";
    size_t path_len = uri_path_len(request_path), n = 0, i;
    char *lhost, *ret = NULL;

    if (!store || !host || !store->count) return NULL;
    if (!path_len) { request_path = "/"; path_len = 1; }
    purge_expired(store, now);
    if (!(lhost = dup_lower(host, strlen(host)))) return NULL;
    if ((list = malloc((store->count + 1) * sizeof(*list))))
    {
        for (i = 0; i < store->count; i++)
            if (applies(store->items[i], lhost, request_path, path_len, secure, now)) list[n++] = store->items[i];
        qsort(list, n, sizeof(*list), compare_cookies);
        for (i = 0; i < n; i++) list[i]->last_access = ++store->clock;
        if (n) ret = join(list, n);
        free(list);
    }
    free(lhost);
    return ret;
}
