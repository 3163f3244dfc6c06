/*
 * Passport 1.4 ("Passport Authentication in WinHTTP"), off unless the
 * session enables it with WINHTTP_OPTION_CONFIGURE_PASSPORT_AUTH.
 *
 * The exchange, as the engine's hooks see it (every step but the last is
 * hidden from the application, and none counts as a redirect):
 *   1. the partner site answers 302 with "WWW-Authenticate: Passport1.4
 *      <params>": we remember the original URL and verb and go to the
 *      nexus for the configuration (the PassportURLs header: DARealm,
 *      DALogin, ConfigVersion), once per session, unless the registry's
 *      "Passport Test" key names the login server itself;
 *   2. the login server: "Authorization: Passport1.4 OrgVerb=..,OrgURL=..,
 *      [sign-in=..,pwd=..,]<the partner's params>".  Its 401 reaches the
 *      application as the answer to its request (WinHttpQueryAuthSchemes:
 *      WINHTTP_AUTH_SCHEME_PASSPORT); WinHttpSetCredentials with that scheme
 *      and a resend (auth_passport_send_url) go back to the login server,
 *      the only place the credentials ever go;
 *   3. the login server's success ("Authentication-Info: Passport1.4
 *      da-status=success,..,from-PP='<tickets>'") takes the request back to
 *      the original URL (the implicit redirect: with redirects disabled only
 *      when the application registered a status callback, else
 *      ERROR_WINHTTP_LOGIN_FAILURE), with "Authorization: Passport1.4
 *      from-PP='<tickets>'".  The session keeps the tickets for the sites
 *      that asked for them until WINHTTP_OPTION_PASSPORT_SIGN_OUT.
 *
 * Without a configuration there is nothing to sign in with: when the nexus
 * step fails (no name, no connection, timeout, TLS, or no usable
 * PassportURLs) the partner's challenge itself becomes the answer, turned
 * into a 401 with its reason phrase and headers kept (Wine's conformance
 * test_passport_auth records Windows doing so; the public nexus is gone).
 * partner_challenge keeps a copy of the partner's head for that.
 *
 * Credentials and tickets are secrets: never traced, wiped when freed.
 */
#include "winhttp_private.h"
#include "auth_mech.h"

WINE_DEFAULT_DEBUG_CHANNEL(winhttp);

static const WCHAR passport_schemeW[] = L"Passport1.4";
static const WCHAR test_keyW[] = L"SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Internet Settings\\WinHttp\\Passport Test";

enum pp_step
{
    PP_NONE,
    PP_NEXUS,       /* the request went to the nexus for the configuration */
    PP_LOGIN,       /* the request went to the login server */
    PP_RETURN,      /* back at the original URL with fresh tickets */
};

/* A response head as the wire gave it (Latin-1 bytes). */
struct saved_head
{
    char *version, *reason;
    struct header_bytes *lines;     /* name and value each allocated */
    size_t count;
};

struct passport_request
{
    SRWLOCK lock;
    enum pp_step step;
    BOOL signing_in;        /* the login server's 401 is with the application */
    WCHAR *orig_url;        /* where the challenge came from */
    WCHAR *orig_verb;
    WCHAR *params;          /* the partner's challenge parameters */
    WCHAR *login_url;
    WCHAR *user, *password; /* WinHttpSetCredentials(..., WINHTTP_AUTH_SCHEME_PASSPORT, ...) */
    WCHAR *cobrand_text, *cobrand_url;
    WCHAR *return_url;
    struct saved_head partner;  /* the partner's challenge, while the nexus is asked */
};

struct passport_session
{
    SRWLOCK lock;
    BOOL have_config;
    WCHAR *realm, *login_url;
    DWORD version;
    WCHAR *tickets;         /* the from-PP value, without its quotes */
    WCHAR **origins;        /* the sites the tickets are for */
    size_t origin_count;
};

/* ------------------------------------------------------------------ */
/* state                                                               */

struct passport_request *passport_request_create(void)
{
    struct passport_request *pp = calloc(1, sizeof(*pp));
    if (pp) InitializeSRWLock(&pp->lock);
    return pp;
}

static void saved_head_free(struct saved_head *head)
{
    size_t i;

    for (i = 0; i < head->count; i++)
    {
        free((char *)head->lines[i].name);
        free((char *)head->lines[i].value);
    }
    free(head->lines);
    free(head->version);
    free(head->reason);
    memset(head, 0, sizeof(*head));
}

static void request_forget_login(struct passport_request *pp)
{
    saved_head_free(&pp->partner);
    free(pp->orig_url);
    free(pp->orig_verb);
    free(pp->params);
    free(pp->login_url);
    pp->orig_url = pp->orig_verb = pp->params = pp->login_url = NULL;
}

void passport_request_free(struct passport_request *pp)
{
    if (!pp) return;
    request_forget_login(pp);
    free_secretW(pp->user);
    free_secretW(pp->password);
    free(pp->cobrand_text);
    free(pp->cobrand_url);
    free(pp->return_url);
    free(pp);
}

struct passport_session *passport_session_create(void)
{
    struct passport_session *ps = calloc(1, sizeof(*ps));
    if (ps) InitializeSRWLock(&ps->lock);
    return ps;
}

static void session_forget_tickets(struct passport_session *ps)
{
    size_t i;

    free_secretW(ps->tickets);
    ps->tickets = NULL;
    for (i = 0; i < ps->origin_count; i++) free(ps->origins[i]);
    free(ps->origins);
    ps->origins = NULL;
    ps->origin_count = 0;
}

void passport_session_free(struct passport_session *ps)
{
    if (!ps) return;
    session_forget_tickets(ps);
    free(ps->realm);
    free(ps->login_url);
    free(ps);
}

static BOOL enabled(struct request *request)
{
    return (request->settings.passport_flags & (WINHTTP_ENABLE_PASSPORT_AUTH | WINHTTP_ENABLE_PASSPORT_KEYRING)) != 0;
}

/* ------------------------------------------------------------------ */
/* strings                                                             */

static BOOL is_unreserved(WCHAR c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           c == '-' || c == '.' || c == '_' || c == '~';
}

/* Percent-encoding of the UTF-8 of s, everything but the unreserved
 * characters; the buffers are wiped (s may be a password). */
static void append_escaped(struct strbuf *sb, const WCHAR *s)
{
    static const char hex[] = "0123456789ABCDEF";
    char *utf8 = strdupWA(s ? s : L"", -1, CP_UTF8);
    WCHAR esc[4];
    size_t i;

    if (!utf8)
    {
        sb->failed = TRUE;
        return;
    }
    for (i = 0; utf8[i]; i++)
    {
        unsigned char c = utf8[i];
        if (c < 0x80 && is_unreserved(c))
        {
            esc[0] = c;
            strbuf_appendn(sb, esc, 1);
            continue;
        }
        esc[0] = '%';
        esc[1] = hex[c >> 4];
        esc[2] = hex[c & 15];
        strbuf_appendn(sb, esc, 3);
    }
    free_secret(utf8, strlen(utf8));
    SecureZeroMemory(esc, sizeof(esc));
}

static int hexval(WCHAR c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/* %XX (of UTF-8) and '+' decoded, for the cobranding text and URL. */
static WCHAR *unescape(const WCHAR *s)
{
    size_t len = strlenW(s), i, n = 0;
    char *bytes = malloc(len + 1);
    WCHAR *ret;

    if (!bytes) return NULL;
    for (i = 0; i < len; i++)
    {
        if (s[i] == '%' && i + 2 < len + 1 && hexval(s[i + 1]) >= 0 && hexval(s[i + 2]) >= 0)
        {
            bytes[n++] = hexval(s[i + 1]) * 16 + hexval(s[i + 2]);
            i += 2;
        }
        else if (s[i] == '+') bytes[n++] = ' ';
        else if (s[i] < 0x80) bytes[n++] = s[i];
        else bytes[n++] = '?';
    }
    bytes[n] = 0;
    ret = strdupAW(bytes, -1);
    free(bytes);
    return ret;
}

static WCHAR lowerW(WCHAR c)
{
    return c >= 'A' && c <= 'Z' ? c + 'a' - 'A' : c;
}

static DWORD parse_uint(const WCHAR *s)
{
    DWORD v = 0;
    while (*s == ' ') s++;
    while (*s >= '0' && *s <= '9') v = v * 10 + (*s++ - '0');
    return v;
}

static BOOL is_space(WCHAR c)
{
    return c == ' ' || c == '\t';
}

/* Skip "Passport1.4" at the start of a header value; NULL if it is not there. */
static const WCHAR *after_scheme(const WCHAR *value)
{
    size_t n = ARRAY_SIZE(passport_schemeW) - 1;

    while (is_space(*value)) value++;
    if (strncmpiW(value, passport_schemeW, n) || (value[n] && !is_space(value[n]))) return NULL;
    return value + n;
}

/* The value of NAME in a comma-separated list of name=value pairs (values
 * may be quoted with ' or "; the quotes are dropped), or NULL. */
static WCHAR *param_get(const WCHAR *p, const char *name)
{
    size_t name_len = strlen(name);

    while (*p)
    {
        const WCHAR *n, *v, *end;
        size_t len;
        BOOL match;

        while (*p == ',' || is_space(*p)) p++;
        if (!*p) break;
        n = p;
        while (*p && *p != '=' && *p != ',') p++;
        len = p - n;
        while (len && is_space(n[len - 1])) len--;
        match = len == name_len;
        for (; match && len; len--) if (lowerW(n[len - 1]) != lowerW((unsigned char)name[len - 1])) match = FALSE;
        if (*p != '=')
        {
            if (match) return strdupW(L"");
            continue;
        }
        p++;
        while (is_space(*p)) p++;
        if (*p == '\'' || *p == '"')
        {
            WCHAR q = *p++;
            v = p;
            while (*p && *p != q) p++;
            end = p;
            if (*p) p++;
        }
        else
        {
            v = p;
            while (*p && *p != ',') p++;
            end = p;
            while (end > v && is_space(end[-1])) end--;
        }
        if (match) return strndupW(v, end - v);
    }
    return NULL;
}

/* The response header NAME whose value starts with "Passport1.4", or NULL. */
static WCHAR *passport_header(struct request *request, const WCHAR *name)
{
    WCHAR *value;
    DWORD i;

    for (i = 0; (value = headers_get(request, FALSE, name, i)); i++)
    {
        if (after_scheme(value)) return value;
        free(value);
    }
    return NULL;
}

static WCHAR *target_url(const struct auth_target *target)
{
    struct strbuf sb = {0};
    BOOL v6 = FALSE;
    const WCHAR *h;

    for (h = target->host; *h; h++) if (*h == ':') v6 = TRUE;
    strbuf_append(&sb, target->secure ? L"https://" : L"http://");
    if (v6 && target->host[0] != '[') strbuf_append(&sb, L"[");
    strbuf_append(&sb, target->host);
    if (v6 && target->host[0] != '[') strbuf_append(&sb, L"]");
    if (target->port != (target->secure ? INTERNET_DEFAULT_HTTPS_PORT : INTERNET_DEFAULT_HTTP_PORT))
    {
        strbuf_append(&sb, L":");
        strbuf_append_uint(&sb, target->port);
    }
    strbuf_append(&sb, target->path);
    return strbuf_detach(&sb);
}

/* scheme://host[:port] of an absolute URL, lower-cased, or NULL. */
static WCHAR *url_origin(const WCHAR *url)
{
    struct url_parts parts;
    struct strbuf sb = {0};
    WCHAR *ret, *c;

    if (!url || !url_crack(url, 0, &parts)) return NULL;
    strbuf_append(&sb, parts.scheme == INTERNET_SCHEME_HTTPS ? L"https://" : L"http://");
    strbuf_append(&sb, parts.host);
    strbuf_append(&sb, L":");
    strbuf_append_uint(&sb, parts.port);
    url_parts_free(&parts);
    if ((ret = strbuf_detach(&sb))) for (c = ret; *c; c++) *c = lowerW(*c);
    return ret;
}

static BOOL same_origin_url(const WCHAR *a, const WCHAR *b)
{
    WCHAR *oa = url_origin(a), *ob = url_origin(b);
    BOOL ret = oa && ob && !strcmpiW(oa, ob);
    free(oa);
    free(ob);
    return ret;
}

/* DALogin and NexusHost come without a scheme ("login.passport.com/login2.asp"):
 * the Passport servers are https.  One given with a scheme is used as is
 * (a private test infrastructure). */
static WCHAR *absolute_url(const WCHAR *s, const WCHAR *obj)
{
    struct strbuf sb = {0};
    const WCHAR *c;
    BOOL has_scheme = FALSE;

    for (c = s; *c && *c != '/'; c++) if (c[0] == ':' && c[1] == '/' && c[2] == '/') has_scheme = TRUE;
    if (!has_scheme) strbuf_append(&sb, L"https://");
    strbuf_append(&sb, s);
    if (obj)
    {
        if (sb.len && sb.buf[sb.len - 1] != '/' && obj[0] != '/') strbuf_append(&sb, L"/");
        strbuf_append(&sb, obj);
    }
    return strbuf_detach(&sb);
}

/* ------------------------------------------------------------------ */
/* configuration                                                       */

static WCHAR *reg_string(HKEY key, const WCHAR *name)
{
    DWORD type, size = 0;
    WCHAR *value;

    if (RegQueryValueExW(key, name, NULL, &type, NULL, &size) || (type != REG_SZ && type != REG_EXPAND_SZ) || !size)
        return NULL;
    if (!(value = calloc(1, size + sizeof(WCHAR)))) return NULL;
    if (RegQueryValueExW(key, name, NULL, &type, (BYTE *)value, &size))
    {
        free(value);
        return NULL;
    }
    if (!value[0])
    {
        free(value);
        return NULL;
    }
    return value;
}

/* The "Passport Test" overrides: LoginServerUrl (with LoginServerRealm and
 * ConfigVersion) replaces the nexus; NexusHost / NexusObj move it. */
static void read_overrides(WCHAR **login, WCHAR **realm, DWORD *version, WCHAR **nexus_host, WCHAR **nexus_obj)
{
    DWORD type, size = sizeof(*version);
    HKEY key;

    *login = *realm = *nexus_host = *nexus_obj = NULL;
    *version = 0;
    if (RegOpenKeyExW(HKEY_LOCAL_MACHINE, test_keyW, 0, KEY_READ, &key)) return;
    *login = reg_string(key, L"LoginServerUrl");
    *realm = reg_string(key, L"LoginServerRealm");
    if (RegQueryValueExW(key, L"ConfigVersion", NULL, &type, (BYTE *)version, &size) || type != REG_DWORD)
        *version = 0;
    *nexus_host = reg_string(key, L"NexusHost");
    *nexus_obj = reg_string(key, L"NexusObj");
    RegCloseKey(key);
}

/* The login server's URL from the session's configuration (NULL: ask the
 * nexus first, *nexus_url says where). */
static WCHAR *config_login_url(struct passport_session *ps, WCHAR **nexus_url)
{
    WCHAR *login, *realm, *host, *obj, *ret = NULL;
    DWORD version;

    *nexus_url = NULL;
    AcquireSRWLockShared(&ps->lock);
    if (ps->have_config) ret = strdupW(ps->login_url);
    ReleaseSRWLockShared(&ps->lock);
    if (ret) return ret;

    read_overrides(&login, &realm, &version, &host, &obj);
    if (login)
    {
        TRACE("login server from the registry: %s (realm %s, version %u)\n", debugstr_w(login), debugstr_w(realm),
              version);
        ret = absolute_url(login, NULL);
        AcquireSRWLockExclusive(&ps->lock);
        if (!ps->have_config && ret && (ps->login_url = strdupW(ret)))
        {
            ps->realm = realm;
            realm = NULL;
            ps->version = version;
            ps->have_config = TRUE;
        }
        ReleaseSRWLockExclusive(&ps->lock);
    }
    else *nexus_url = absolute_url(host ? host : L"nexus.passport.com", obj ? obj : L"rdr/pprdr.asp");
    free(login);
    free(realm);
    free(host);
    free(obj);
    return ret;
}

/* The nexus answered: keep DARealm, DALogin and ConfigVersion for the session. */
static WCHAR *config_from_nexus(struct request *request, struct passport_session *ps)
{
    WCHAR *urls = headers_get(request, FALSE, L"PassportURLs", 0), *realm, *login, *version, *ret = NULL;

    if (!urls)
    {
        WARN("the nexus sent no PassportURLs (status %u)\n", request->status_code);
        return NULL;
    }
    realm = param_get(urls, "DARealm");
    login = param_get(urls, "DALogin");
    version = param_get(urls, "ConfigVersion");
    TRACE("nexus: DARealm %s, DALogin %s, ConfigVersion %s\n", debugstr_w(realm), debugstr_w(login),
          debugstr_w(version));
    if (login && login[0] && (ret = absolute_url(login, NULL)))
    {
        AcquireSRWLockExclusive(&ps->lock);
        free(ps->realm);
        free(ps->login_url);
        ps->realm = realm;
        realm = NULL;
        ps->login_url = strdupW(ret);
        ps->version = version ? parse_uint(version) : 0;
        ps->have_config = ps->login_url != NULL;
        ReleaseSRWLockExclusive(&ps->lock);
    }
    else WARN("the nexus named no login server\n");
    free(realm);
    free(login);
    free(version);
    free(urls);
    return ret;
}

/* ------------------------------------------------------------------ */
/* tickets                                                             */

static BOOL session_has_tickets_for(struct passport_session *ps, const WCHAR *url)
{
    WCHAR *origin = url_origin(url);
    BOOL ret = FALSE;
    size_t i;

    if (!origin) return FALSE;
    AcquireSRWLockShared(&ps->lock);
    if (ps->tickets)
        for (i = 0; i < ps->origin_count && !ret; i++) ret = !strcmpiW(ps->origins[i], origin);
    ReleaseSRWLockShared(&ps->lock);
    free(origin);
    return ret;
}

static void session_keep_tickets(struct passport_session *ps, WCHAR *tickets, const WCHAR *url)
{
    WCHAR *origin = url_origin(url), **origins;
    size_t i;

    AcquireSRWLockExclusive(&ps->lock);
    free_secretW(ps->tickets);
    ps->tickets = tickets;
    for (i = 0; origin && i < ps->origin_count; i++)
        if (!strcmpiW(ps->origins[i], origin)) break;
    if (origin && i == ps->origin_count &&
        (origins = realloc(ps->origins, (ps->origin_count + 1) * sizeof(*origins))))
    {
        ps->origins = origins;
        ps->origins[ps->origin_count++] = origin;
        origin = NULL;
    }
    ReleaseSRWLockExclusive(&ps->lock);
    free(origin);
}

static void session_drop_origin(struct passport_session *ps, const WCHAR *url)
{
    WCHAR *origin = url_origin(url);
    size_t i;

    if (!origin) return;
    AcquireSRWLockExclusive(&ps->lock);
    for (i = 0; i < ps->origin_count; i++)
    {
        if (strcmpiW(ps->origins[i], origin)) continue;
        free(ps->origins[i]);
        ps->origins[i] = ps->origins[--ps->origin_count];
        break;
    }
    ReleaseSRWLockExclusive(&ps->lock);
    free(origin);
}

void auth_passport_sign_out(struct session *session)
{
    struct passport_session *ps = auth_get_passport_session(session);

    TRACE("signing out of Passport\n");
    if (!ps) return;
    AcquireSRWLockExclusive(&ps->lock);
    session_forget_tickets(ps);
    ReleaseSRWLockExclusive(&ps->lock);
}

/* ------------------------------------------------------------------ */
/* the hooks                                                           */

WCHAR *auth_passport_send_url(struct request *request)
{
    struct passport_request *pp;
    WCHAR *url = NULL;

    if (!enabled(request) || !(pp = request->auth ? auth_get_passport_request(request) : NULL)) return NULL;
    AcquireSRWLockExclusive(&pp->lock);
    if (pp->signing_in && pp->login_url)
    {
        url = strdupW(pp->login_url);
        pp->step = PP_LOGIN;
        TRACE("signing in: the request goes to the login server %s\n", debugstr_w(url));
    }
    else
    {
        pp->step = PP_NONE;
        request_forget_login(pp);
    }
    pp->signing_in = FALSE;
    ReleaseSRWLockExclusive(&pp->lock);
    return url;
}

DWORD auth_passport_set_credentials(struct request *request, const WCHAR *user, const WCHAR *password)
{
    struct passport_request *pp = auth_get_passport_request(request);
    WCHAR *u = NULL, *p = NULL;

    if (!pp) return ERROR_OUTOFMEMORY;
    if ((user && !(u = strdupW(user))) || (password && !(p = strdupW(password))))
    {
        free_secretW(u);
        return ERROR_OUTOFMEMORY;
    }
    if (!user) FIXME_ONCE("no stored Passport credentials; signing in without any\n");
    AcquireSRWLockExclusive(&pp->lock);
    free_secretW(pp->user);
    free_secretW(pp->password);
    pp->user = u;
    pp->password = p;
    ReleaseSRWLockExclusive(&pp->lock);
    return ERROR_SUCCESS;
}

/* The Authorization value for the login server; the lock is held. */
static WCHAR *login_value(struct passport_request *pp)
{
    struct strbuf sb = {0};

    strbuf_append(&sb, passport_schemeW);
    strbuf_append(&sb, L" OrgVerb=");
    strbuf_append(&sb, pp->orig_verb ? pp->orig_verb : L"GET");
    strbuf_append(&sb, L",OrgURL=");
    append_escaped(&sb, pp->orig_url);
    if (pp->user)
    {
        strbuf_append(&sb, L",sign-in=");
        append_escaped(&sb, pp->user);
        strbuf_append(&sb, L",pwd=");
        append_escaped(&sb, pp->password);
    }
    if (pp->params && pp->params[0])
    {
        strbuf_append(&sb, L",");
        strbuf_append(&sb, pp->params);
    }
    if (sb.failed)
    {
        if (sb.buf) free_secret(sb.buf, sb.cap * sizeof(WCHAR));
        return NULL;
    }
    return strbuf_detach(&sb);
}

DWORD auth_passport_value(struct request *request, const struct auth_target *target, WCHAR **value)
{
    struct passport_session *ps;
    struct passport_request *pp;
    struct strbuf sb = {0};
    WCHAR *url;

    *value = NULL;
    if (!enabled(request) || target->tunnel) return ERROR_SUCCESS;
    if (!(url = target_url(target))) return ERROR_OUTOFMEMORY;

    if ((pp = request->auth ? auth_get_passport_request(request) : NULL))
    {
        AcquireSRWLockShared(&pp->lock);
        if (pp->step == PP_LOGIN && pp->login_url && same_origin_url(pp->login_url, url))
        {
            *value = login_value(pp);
            TRACE("to the login server: %s credentials\n", pp->user ? "with" : "without");
        }
        ReleaseSRWLockShared(&pp->lock);
        if (*value)
        {
            free(url);
            return ERROR_SUCCESS;
        }
    }

    if ((ps = auth_get_passport_session(request->connect->session)) && session_has_tickets_for(ps, url))
    {
        AcquireSRWLockShared(&ps->lock);
        if (ps->tickets)
        {
            strbuf_append(&sb, passport_schemeW);
            strbuf_append(&sb, L" from-PP='");
            strbuf_append(&sb, ps->tickets);
            strbuf_append(&sb, L"'");
        }
        ReleaseSRWLockShared(&ps->lock);
        if (sb.buf && !sb.failed)
        {
            *value = strbuf_detach(&sb);
            TRACE("sending the session's Passport tickets to %s\n", debugstr_w(url));
        }
        else if (sb.buf) free_secret(sb.buf, sb.cap * sizeof(WCHAR));
    }
    free(url);
    return ERROR_SUCCESS;
}

static BOOL redirects_disabled(struct request *request)
{
    return (request->settings.disable_flags & WINHTTP_DISABLE_REDIRECTS) ||
           request->settings.redirect_policy == WINHTTP_OPTION_REDIRECT_POLICY_NEVER;
}

static BOOL have_callback(struct request *request)
{
    BOOL ret;

    AcquireSRWLockShared(&request->obj.lock);
    ret = request->obj.callback != NULL;
    ReleaseSRWLockShared(&request->obj.lock);
    return ret;
}

/* The response's strings were widened from Latin-1 bytes: narrowed back
 * they are the bytes the server sent. */
static char *narrow(const WCHAR *s)
{
    size_t len = s ? strlenW(s) : 0, i;
    char *ret = malloc(len + 1);

    if (!ret) return NULL;
    for (i = 0; i < len; i++) ret[i] = s[i] < 0x100 ? (char)s[i] : '?';
    ret[len] = 0;
    return ret;
}

/* A copy of the response head the request holds now (the partner's challenge). */
static BOOL save_head(struct request *request, struct saved_head *head)
{
    BOOL ok;
    size_t i;

    memset(head, 0, sizeof(*head));
    AcquireSRWLockShared(&request->obj.lock);
    head->version = narrow(request->response_version);
    head->reason = narrow(request->status_text);
    ok = head->version && head->reason;
    if (ok && request->response_headers.count &&
        !(head->lines = calloc(request->response_headers.count, sizeof(*head->lines))))
        ok = FALSE;
    for (i = 0; ok && i < request->response_headers.count; i++)
    {
        const struct header *h = &request->response_headers.items[i];
        char *name = narrow(h->name), *value = narrow(h->value);

        head->lines[head->count].name = name;
        head->lines[head->count].value = value;
        head->count++;
        if (!name || !value) ok = FALSE;
        else
        {
            head->lines[head->count - 1].name_len = strlen(name);
            head->lines[head->count - 1].value_len = strlen(value);
        }
    }
    ReleaseSRWLockShared(&request->obj.lock);
    if (!ok) saved_head_free(head);
    return ok;
}

/* The partner's 302 challenge: on to the nexus or the login server. */
static DWORD partner_challenge(struct request *request, struct passport_request *pp, struct passport_session *ps,
                               const struct auth_target *target, const WCHAR *challenge, WCHAR **next_url)
{
    WCHAR *url = target_url(target), *nexus = NULL, *login;
    const WCHAR *params = after_scheme(challenge);
    struct saved_head head = {0};

    if (!url) return ERROR_OUTOFMEMORY;
    /* Tickets the site turns down are of no use for it any more. */
    session_drop_origin(ps, url);
    login = config_login_url(ps, &nexus);
    if ((!login && !nexus) || (nexus && !save_head(request, &head)))
    {
        free(url);
        free(login);
        free(nexus);
        return ERROR_OUTOFMEMORY;
    }

    AcquireSRWLockExclusive(&pp->lock);
    if (pp->step == PP_RETURN)
    {
        ReleaseSRWLockExclusive(&pp->lock);
        WARN("%s turned down the tickets the login server just issued\n", debugstr_w(url));
        free(url);
        free(login);
        free(nexus);
        saved_head_free(&head);
        return ERROR_WINHTTP_LOGIN_FAILURE;
    }
    request_forget_login(pp);
    pp->partner = head;
    pp->orig_url = url;
    pp->orig_verb = strdupW(target->verb);
    while (params && is_space(*params)) params++;
    pp->params = strdupW(params ? params : L"");
    pp->login_url = login;
    pp->step = login ? PP_LOGIN : PP_NEXUS;
    free(pp->return_url);
    pp->return_url = strdupW(url);
    ReleaseSRWLockExclusive(&pp->lock);

    TRACE("Passport challenge from %s: on to the %s\n", debugstr_w(url), login ? "login server" : "nexus");
    *next_url = login ? strdupW(login) : nexus;
    if (login) free(nexus);
    return *next_url ? ERROR_SUCCESS : ERROR_OUTOFMEMORY;
}

/* The login server answered. */
static DWORD login_response(struct request *request, struct passport_request *pp, struct passport_session *ps,
                            WCHAR **next_url)
{
    WCHAR *info = passport_header(request, L"Authentication-Info"), *status = NULL, *tickets = NULL;
    WCHAR *challenge, *text, *url, *ru;

    if (info)
    {
        status = param_get(after_scheme(info), "da-status");
        tickets = param_get(after_scheme(info), "from-PP");
        ru = param_get(after_scheme(info), "ru");
        if (ru && ru[0])
        {
            AcquireSRWLockExclusive(&pp->lock);
            free(pp->return_url);
            pp->return_url = ru;
            ru = NULL;
            ReleaseSRWLockExclusive(&pp->lock);
        }
        free(ru);
        free(info);
    }
    if (status && !strcmpiW(status, L"success") && tickets)
    {
        free(status);
        AcquireSRWLockExclusive(&pp->lock);
        url = strdupW(pp->orig_url);
        ReleaseSRWLockExclusive(&pp->lock);
        if (!url)
        {
            free_secretW(tickets);
            return ERROR_OUTOFMEMORY;
        }
        /* The implicit redirect back to the original URL. */
        if (redirects_disabled(request) && !have_callback(request))
        {
            WARN("redirects are disabled and no status callback gives permission to return to %s\n",
                 debugstr_w(url));
            free_secretW(tickets);
            free(url);
            return ERROR_WINHTTP_LOGIN_FAILURE;
        }
        TRACE("signed in; back to %s with the tickets\n", debugstr_w(url));
        session_keep_tickets(ps, tickets, url);
        AcquireSRWLockExclusive(&pp->lock);
        pp->step = PP_RETURN;
        pp->signing_in = FALSE;
        free_secretW(pp->user);
        free_secretW(pp->password);
        pp->user = pp->password = NULL;
        ReleaseSRWLockExclusive(&pp->lock);
        send_callback(&request->obj, WINHTTP_CALLBACK_STATUS_REDIRECT, url, (strlenW(url) + 1) * sizeof(WCHAR));
        *next_url = url;
        return ERROR_SUCCESS;
    }
    free_secretW(tickets);

    if (request->status_code == HTTP_STATUS_DENIED &&
        (challenge = passport_header(request, L"WWW-Authenticate")))
    {
        /* The application answers this one, as if its own server asked. */
        free(status);
        status = param_get(after_scheme(challenge), "da-status");
        TRACE("the login server asks for credentials (da-status %s)\n", debugstr_w(status));
        AcquireSRWLockExclusive(&pp->lock);
        pp->signing_in = TRUE;
        if ((text = param_get(after_scheme(challenge), "cbtxt")))
        {
            free(pp->cobrand_text);
            pp->cobrand_text = unescape(text);
            free(text);
        }
        if ((text = param_get(after_scheme(challenge), "cburl")))
        {
            free(pp->cobrand_url);
            pp->cobrand_url = unescape(text);
            free(text);
        }
        ReleaseSRWLockExclusive(&pp->lock);
        free(challenge);
        free(status);
        return ERROR_SUCCESS;
    }
    WARN("unexpected answer of the login server: %u, da-status %s\n", request->status_code, debugstr_w(status));
    free(status);
    AcquireSRWLockExclusive(&pp->lock);
    pp->step = PP_NONE;
    ReleaseSRWLockExclusive(&pp->lock);
    return ERROR_SUCCESS;
}

DWORD auth_passport_response(struct request *request, const struct auth_target *target, WCHAR **next_url)
{
    struct passport_request *pp;
    struct passport_session *ps;
    enum pp_step step;
    WCHAR *challenge;
    DWORD res = ERROR_SUCCESS;

    *next_url = NULL;
    if (!enabled(request)) return ERROR_SUCCESS;
    if (!(pp = auth_get_passport_request(request)) || !(ps = auth_get_passport_session(request->connect->session)))
        return ERROR_OUTOFMEMORY;

    AcquireSRWLockShared(&pp->lock);
    step = pp->step;
    ReleaseSRWLockShared(&pp->lock);

    switch (step)
    {
    case PP_NEXUS:
    {
        WCHAR *login = config_from_nexus(request, ps);
        if (!login) return ERROR_WINHTTP_LOGIN_FAILURE;
        AcquireSRWLockExclusive(&pp->lock);
        free(pp->login_url);
        pp->login_url = strdupW(login);
        pp->step = PP_LOGIN;
        saved_head_free(&pp->partner);
        ReleaseSRWLockExclusive(&pp->lock);
        TRACE("on to the login server %s\n", debugstr_w(login));
        *next_url = login;
        return ERROR_SUCCESS;
    }
    case PP_LOGIN:
        return login_response(request, pp, ps, next_url);
    default:
        break;
    }

    if (request->status_code == HTTP_STATUS_REDIRECT && (challenge = passport_header(request, L"WWW-Authenticate")))
    {
        res = partner_challenge(request, pp, ps, target, challenge, next_url);
        free(challenge);
        return res;
    }
    if (step == PP_RETURN)
    {
        AcquireSRWLockExclusive(&pp->lock);
        pp->step = PP_NONE;
        ReleaseSRWLockExclusive(&pp->lock);
    }
    return res;
}

/* Without the nexus there is no configuration to sign in with: the
 * application gets the partner's challenge (see the top of the file).  What
 * the application could fix itself (a client certificate), cancellation and
 * lack of memory stay errors. */
BOOL auth_passport_nexus_failed(struct request *request, DWORD res)
{
    struct passport_request *pp;
    BOOL ret;

    switch (res)
    {
    case ERROR_WINHTTP_NAME_NOT_RESOLVED:
    case ERROR_WINHTTP_CANNOT_CONNECT:
    case ERROR_WINHTTP_TIMEOUT:
    case ERROR_WINHTTP_CONNECTION_ERROR:
    case ERROR_WINHTTP_INVALID_SERVER_RESPONSE:
    case ERROR_WINHTTP_SECURE_FAILURE:
    case ERROR_WINHTTP_SECURE_CHANNEL_ERROR:
    case ERROR_WINHTTP_SECURE_INVALID_CERT:
    case ERROR_WINHTTP_SECURE_INVALID_CA:
    case ERROR_WINHTTP_SECURE_CERT_DATE_INVALID:
    case ERROR_WINHTTP_SECURE_CERT_CN_INVALID:
    case ERROR_WINHTTP_SECURE_CERT_REV_FAILED:
    case ERROR_WINHTTP_SECURE_CERT_REVOKED:
    case ERROR_WINHTTP_SECURE_CERT_WRONG_USAGE:
    case ERROR_WINHTTP_LOGIN_FAILURE:       /* the nexus named no login server */
    case ERROR_WINHTTP_REDIRECT_FAILED:     /* the nexus URL is unusable */
        break;
    default:
        return FALSE;
    }
    if (!enabled(request) || !request->auth || !(pp = auth_get_passport_request(request))) return FALSE;
    AcquireSRWLockShared(&pp->lock);
    ret = pp->step == PP_NEXUS && pp->partner.version;
    ReleaseSRWLockShared(&pp->lock);
    if (ret) WARN("no Passport configuration from the nexus (error %u): the partner's challenge is the answer\n", res);
    return ret;
}

DWORD auth_passport_restore_challenge(struct request *request, WCHAR **url)
{
    struct passport_request *pp = auth_get_passport_request(request);
    struct saved_head head;
    DWORD res;

    *url = NULL;
    if (!pp) return ERROR_OUTOFMEMORY;
    AcquireSRWLockExclusive(&pp->lock);
    head = pp->partner;
    memset(&pp->partner, 0, sizeof(pp->partner));
    *url = pp->orig_url;
    pp->orig_url = NULL;
    request_forget_login(pp);
    pp->step = PP_NONE;
    ReleaseSRWLockExclusive(&pp->lock);
    if (!head.version) res = ERROR_WINHTTP_INTERNAL_ERROR;
    else res = headers_set_response(request, HTTP_STATUS_DENIED, head.version, strlen(head.version), head.reason,
                                    strlen(head.reason), head.lines, head.count);
    saved_head_free(&head);
    return res;
}

/* ------------------------------------------------------------------ */
/* options                                                             */

DWORD auth_passport_query_option(struct request *request, DWORD option, void *buffer, DWORD *size)
{
    struct passport_request *pp = request->auth ? auth_get_passport_request(request) : NULL;
    const WCHAR *src = NULL;
    WCHAR *value = NULL;
    DWORD len, res;

    if (option != WINHTTP_OPTION_PASSPORT_COBRANDING_TEXT && option != WINHTTP_OPTION_PASSPORT_COBRANDING_URL &&
        option != WINHTTP_OPTION_PASSPORT_RETURN_URL)
        return ERROR_WINHTTP_INVALID_OPTION;
    /* Nothing to tell before a Passport exchange said it. */
    if (!pp) return ERROR_WINHTTP_INCORRECT_HANDLE_STATE;
    AcquireSRWLockShared(&pp->lock);
    switch (option)
    {
    case WINHTTP_OPTION_PASSPORT_COBRANDING_TEXT: src = pp->cobrand_text; break;
    case WINHTTP_OPTION_PASSPORT_COBRANDING_URL:  src = pp->cobrand_url; break;
    case WINHTTP_OPTION_PASSPORT_RETURN_URL:      src = pp->return_url; break;
    }
    res = !src ? ERROR_WINHTTP_INCORRECT_HANDLE_STATE : (value = strdupW(src)) ? ERROR_SUCCESS : ERROR_OUTOFMEMORY;
    ReleaseSRWLockShared(&pp->lock);
    if (res) return res;
    len = (strlenW(value) + 1) * sizeof(WCHAR);
    if (!buffer || *size < len)
    {
        *size = len;
        res = ERROR_INSUFFICIENT_BUFFER;
    }
    else
    {
        memcpy(buffer, value, len);
        *size = len - sizeof(WCHAR);
    }
    free(value);
    return res;
}
