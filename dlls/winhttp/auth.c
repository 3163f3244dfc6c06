/*
 * Authentication: WinHttpQueryAuthSchemes and WinHttpSetCredentials, the
 * engine's hooks (auth_prepare_request before every request head,
 * auth_handle_response on a final 401/407), the session's credential cache
 * and the automatic logon policy.  The mechanisms themselves sit behind
 * auth_mech.h, one file each.
 *
 * Per request there are two slots, the server's (401, Authorization) and
 * the proxy's (407, Proxy-Authorization).  A slot holds the application's
 * credentials (WinHttpSetCredentials) and the mechanism context of the
 * authentication in progress.  Who answers a challenge, in this order:
 *   1. the context in progress (the next leg of NTLM or Negotiate, Digest
 *      with stale=true, or credentials set before the challenge arrived);
 *   2. WINHTTP_OPTION_USERNAME / PASSWORD (PROXY_USERNAME / PASSWORD), with
 *      the strongest scheme offered, once ("Authentication in WinHTTP");
 *   3. the default credentials for NTLM and Negotiate, when the automatic
 *      logon policy allows them for this host, once;
 * otherwise the application gets the 401/407 and answers it with
 * WinHttpQueryAuthSchemes, WinHttpSetCredentials and WinHttpSendRequest.
 * Credentials the server or proxy rejected end up the same way: the
 * application sees the 401/407 itself.  ERROR_WINHTTP_LOGIN_FAILURE is kept
 * for an exchange that breaks down (a mechanism that cannot go on with what
 * the server sent, or a handshake that never ends).
 *
 * Credentials never travel to another origin: the application's are bound
 * to the origin that challenged (or, set before sending, to the request's
 * own), the option credentials to the request's own origin, and the engine
 * strips our headers on cross-origin redirects besides.
 *
 * Pre-authentication: credentials set before WinHttpSendRequest go out with
 * the first request when the scheme allows it (Basic always; Negotiate
 * when it resolves into Kerberos), as "Authentication in WinHTTP" says.
 * Beyond that, Basic credentials that worked are kept in the session (a
 * session maps to one identity, per the security considerations) and sent
 * with later requests of the session to the same origin and protection
 * space (the directory of the authenticated path, RFC 7617 section 2.2) or
 * through the same proxy, without waiting for a 401/407.
 */
#include "winhttp_private.h"
#include "auth_mech.h"

WINE_DEFAULT_DEBUG_CHANNEL(winhttp);

#define SLOT_SERVER 0
#define SLOT_PROXY  1
/* A connection-based handshake that takes more legs than this is not going
 * anywhere (Negotiate and NTLM need two or three). */
#define MAX_LEGS 10

static const WCHAR authorizationW[] = L"Authorization";
static const WCHAR proxy_authorizationW[] = L"Proxy-Authorization";
static const WCHAR www_authenticateW[] = L"WWW-Authenticate";
static const WCHAR proxy_authenticateW[] = L"Proxy-Authenticate";

enum auth_source
{
    SRC_NONE,
    SRC_APP,            /* WinHttpSetCredentials */
    SRC_OPTION,         /* WINHTTP_OPTION_(PROXY_)USERNAME / PASSWORD */
    SRC_DEFAULT,        /* the logged-on user (auto-logon) */
    SRC_CACHE,          /* the session's cache (pre-authentication) */
};

struct auth_slot
{
    /* what the application set with WinHttpSetCredentials */
    struct auth_cred app_cred;

    /* the authentication in progress */
    const struct auth_mech *mech;
    struct auth_ctx *ctx;
    enum auth_source source;
    WCHAR *origin;                  /* where ctx answers */
    WCHAR *realm;                   /* of ctx's challenge, for the cache */
    BOOL active;                    /* ctx answers the next request */
    BOOL waiting;                   /* ctx needs a challenge before it can answer */
    BOOL sent;                      /* the last request carried ctx's answer */
    BOOL failed;                    /* ctx could not answer: its credentials are no good */
    BOOL tried_option, tried_default;
    struct auth_cred option_cred;   /* SRC_OPTION's credentials */
    unsigned int legs;
    WCHAR *spn;                     /* the SPN ctx asked for (WINHTTP_OPTION_*_SPN_USED) */

    /* pre-authentication from the session's cache */
    BOOL cache_sent;                /* the last request carried cached credentials */
    WCHAR *cache_realm;

    /* where the last 401/407 of this slot came from */
    WCHAR *challenge_origin;
};

struct auth_state
{
    SRWLOCK lock;
    struct auth_slot slots[2];
    struct passport_request *passport;      /* auth_passport.c */
};

/* ------------------------------------------------------------------ */
/* credentials                                                         */

BOOL auth_cred_copy(struct auth_cred *dst, const struct auth_cred *src)
{
    memset(dst, 0, sizeof(*dst));
    dst->use_default = src->use_default;
    if (src->user && !(dst->user = strdupW(src->user))) return FALSE;
    if (src->password && !(dst->password = strdupW(src->password)))
    {
        auth_cred_clear(dst);
        return FALSE;
    }
    return TRUE;
}

void auth_cred_clear(struct auth_cred *cred)
{
    free_secretW(cred->user);
    free_secretW(cred->password);
    memset(cred, 0, sizeof(*cred));
}

char *auth_utf8(const WCHAR *s)
{
    return s ? strdupWA(s, -1, CP_UTF8) : NULL;
}

/* ------------------------------------------------------------------ */
/* challenges                                                          */

static const struct auth_mech *const mechs[] =
{
    &auth_negotiate_mech, &auth_ntlm_mech, &auth_digest_mech, &auth_basic_mech,
};

static const struct auth_mech *mech_from_scheme(DWORD scheme)
{
    unsigned int i;

    for (i = 0; i < ARRAY_SIZE(mechs); i++) if (mechs[i]->scheme == scheme) return mechs[i];
    return NULL;
}

/* The challenges of the current response for one slot; FALSE when out of memory. */
static BOOL get_challenges(struct request *request, int slot, struct auth_challenges *list)
{
    const WCHAR *name = slot == SLOT_PROXY ? proxy_authenticateW : www_authenticateW;
    DWORD index = 0;
    BOOL ret = TRUE;
    int i;

    memset(list, 0, sizeof(*list));
    AcquireSRWLockShared(&request->obj.lock);
    while (ret && (i = headers_find(&request->response_headers, name, index++)) >= 0)
        ret = auth_parse_challenges(request->response_headers.items[i].value, list);
    ReleaseSRWLockShared(&request->obj.lock);
    if (!ret) auth_challenges_free(list);
    return ret;
}

/* The challenge for mech among list: the one it ranks highest, the first of
 * its scheme otherwise.  NULL if the scheme was not offered. */
static const WCHAR *find_challenge(const struct auth_challenges *list, const struct auth_mech *mech)
{
    const WCHAR *best = NULL;
    int best_rank = -1;
    size_t i;

    for (i = 0; i < list->count; i++)
    {
        int rank;
        if (list->items[i].scheme != mech->scheme) continue;
        rank = mech->rank ? mech->rank(list->items[i].params) : 0;
        if (rank > best_rank)
        {
            best = list->items[i].params;
            best_rank = rank;
        }
    }
    return best;
}

static DWORD offered_schemes(const struct auth_challenges *list)
{
    DWORD ret = 0;
    size_t i;
    for (i = 0; i < list->count; i++) ret |= list->items[i].scheme;
    return ret;
}

/* ------------------------------------------------------------------ */
/* the per-request state                                               */

static struct auth_state *get_state(struct request *request)
{
    struct auth_state *state = request->auth;

    if (state) return state;
    if (!(state = calloc(1, sizeof(*state)))) return NULL;
    InitializeSRWLock(&state->lock);
    if (InterlockedCompareExchangePointer(&request->auth, state, NULL))
    {
        free(state);
        state = request->auth;
    }
    return state;
}

static void slot_end_context(struct auth_slot *slot)
{
    if (slot->ctx) slot->mech->destroy(slot->ctx);
    slot->ctx = NULL;
    slot->mech = NULL;
    slot->source = SRC_NONE;
    slot->active = slot->sent = FALSE;
    slot->legs = 0;
    free(slot->origin);
    free(slot->realm);
    slot->origin = slot->realm = NULL;
}

static void slot_free(struct auth_slot *slot)
{
    slot_end_context(slot);
    auth_cred_clear(&slot->app_cred);
    auth_cred_clear(&slot->option_cred);
    free(slot->cache_realm);
    free(slot->challenge_origin);
    free(slot->spn);
    memset(slot, 0, sizeof(*slot));
}

/* "http://host:port" for a server, "proxy:host:port" for a proxy. */
static WCHAR *make_origin(int slot, const WCHAR *host, INTERNET_PORT port, BOOL secure)
{
    struct strbuf sb = {0};

    strbuf_append(&sb, slot == SLOT_PROXY ? L"proxy:" : secure ? L"https://" : L"http://");
    strbuf_append(&sb, host);
    strbuf_append(&sb, L":");
    strbuf_append_uint(&sb, port);
    return strbuf_detach(&sb);
}

static WCHAR *target_origin(int slot, const struct auth_target *target)
{
    if (slot == SLOT_PROXY) return make_origin(slot, target->proxy_host, target->proxy_port, FALSE);
    return make_origin(slot, target->host, target->port, target->secure);
}

/* Case-sensitive equality (realms and passwords), NULL only equal to NULL. */
static int strcmpW_exact(const WCHAR *a, const WCHAR *b)
{
    if (!a || !b) return a != b;
    while (*a && *a == *b) { a++; b++; }
    return *a != *b;
}

static BOOL same_origin(const WCHAR *a, const WCHAR *b)
{
    return a && b && !strcmpiW(a, b);
}

/* Whether a request carries Proxy-Authorization: plain http through a
 * proxy, and the CONNECT of https through one; the request inside the
 * tunnel must not (the proxy never sees it, the server would). */
static BOOL proxy_applies(const struct auth_target *target)
{
    return target->proxy_host && (!target->secure || target->tunnel);
}

/* "host:port", "[v6]:port" */
static void append_authority(struct strbuf *sb, const WCHAR *host, INTERNET_PORT port)
{
    const WCHAR *p;

    for (p = host; *p && *p != ':'; p++) ;
    if (*p && host[0] != '[')
    {
        strbuf_append(sb, L"[");
        strbuf_append(sb, host);
        strbuf_append(sb, L"]");
    }
    else strbuf_append(sb, host);
    strbuf_append(sb, L":");
    strbuf_append_uint(sb, port);
}

/* What the mechanisms see of the request for one slot.  The request target
 * is the one on the request line: origin-form to the server, absolute-form
 * to an http proxy, authority-form on a CONNECT.  *owned is the caller's to
 * free. */
static DWORD fill_info(struct request *request, const struct auth_target *target, int slot,
                       struct auth_request_info *info, WCHAR **owned)
{
    struct strbuf sb = {0};

    memset(info, 0, sizeof(*info));
    *owned = NULL;
    info->verb = target->verb;
    info->uri = target->path;
    info->spn_with_port = (request->settings.spn_mode & WINHTTP_ENABLE_SPN_SERVER_PORT) != 0;
    if (slot == SLOT_PROXY && target->proxy_host)
    {
        info->host = target->proxy_host;
        info->port = target->proxy_port;
        info->proxy = TRUE;
        info->secure = FALSE;   /* the connection to the proxy is plain */
        if (target->tunnel)
        {
            info->verb = L"CONNECT";
            append_authority(&sb, target->host, target->port);
        }
        else
        {
            strbuf_append(&sb, L"http://");
            append_authority(&sb, target->host, target->port);
            strbuf_append(&sb, target->path);
        }
        if (!(*owned = strbuf_detach(&sb))) return ERROR_OUTOFMEMORY;
        info->uri = *owned;
        return ERROR_SUCCESS;
    }
    info->host = target->host;
    info->port = target->port;
    info->secure = target->secure;
    info->channel_binding = target->channel_binding;
    info->channel_binding_len = target->channel_binding_len;
    return ERROR_SUCCESS;
}

/* ------------------------------------------------------------------ */
/* the session's credential cache                                      */

struct auth_cache_entry
{
    WCHAR *origin;              /* make_origin() of the server or proxy */
    WCHAR *space;               /* path prefix of the protection space (server) */
    WCHAR *realm;
    struct auth_cred cred;
    BOOL verified;              /* a request carrying them got past the 401/407 */
};

struct auth_cache
{
    SRWLOCK lock;
    struct auth_cache_entry *entries;
    size_t count;
    struct passport_session *passport;      /* auth_passport.c */
};

static void cache_entry_free(struct auth_cache_entry *entry)
{
    free(entry->origin);
    free(entry->space);
    free(entry->realm);
    auth_cred_clear(&entry->cred);
}

void auth_cache_free(struct auth_cache *cache)
{
    size_t i;

    if (!cache) return;
    passport_session_free(cache->passport);
    for (i = 0; i < cache->count; i++) cache_entry_free(&cache->entries[i]);
    free(cache->entries);
    free(cache);
}

static struct auth_cache *get_cache(struct session *session)
{
    struct auth_cache *cache = session->auth_cache;

    if (cache) return cache;
    if (!(cache = calloc(1, sizeof(*cache)))) return NULL;
    InitializeSRWLock(&cache->lock);
    if (InterlockedCompareExchangePointer((void **)&session->auth_cache, cache, NULL))
    {
        free(cache);
        cache = session->auth_cache;
    }
    return cache;
}

/* The directory of a request target: "/a/b/c?x" -> "/a/b/". */
static WCHAR *protection_space(const WCHAR *path)
{
    const WCHAR *end = path, *p;

    for (p = path; *p && *p != '?' && *p != '#'; p++) if (*p == '/') end = p + 1;
    if (end == path) return strdupW(L"/");
    return strndupW(path, end - path);
}

static BOOL in_space(const WCHAR *space, const WCHAR *path)
{
    size_t len = strlenW(space);
    return !space[0] || (strlenW(path) >= len && !memcmp(space, path, len * sizeof(WCHAR)));
}

static int cache_find(struct auth_cache *cache, const WCHAR *origin, const WCHAR *realm)
{
    size_t i;

    for (i = 0; i < cache->count; i++)
    {
        const struct auth_cache_entry *e = &cache->entries[i];
        if (!same_origin(e->origin, origin)) continue;
        if ((e->realm == NULL) != (realm == NULL)) continue;
        if (realm && strcmpW_exact(e->realm, realm)) continue;
        return (int)i;
    }
    return -1;
}

/* Remember Basic credentials sent to origin (unverified until the response). */
static void cache_store(struct session *session, const WCHAR *origin, const WCHAR *realm, const WCHAR *path,
                        const struct auth_cred *cred)
{
    struct auth_cache *cache = get_cache(session);
    struct auth_cache_entry entry, *items;
    int i;

    if (!cache) return;
    memset(&entry, 0, sizeof(entry));
    entry.origin = strdupW(origin);
    entry.realm = realm ? strdupW(realm) : NULL;
    entry.space = path ? protection_space(path) : strdupW(L"");
    if (!entry.origin || (realm && !entry.realm) || !entry.space || !auth_cred_copy(&entry.cred, cred))
    {
        cache_entry_free(&entry);
        return;
    }
    AcquireSRWLockExclusive(&cache->lock);
    if ((i = cache_find(cache, origin, realm)) >= 0)
    {
        /* Same protection space: the newest credentials replace the old,
         * and the space widens to what both cover. */
        struct auth_cache_entry *old = &cache->entries[i];
        BOOL same = !strcmpW_exact(old->cred.user, cred->user) && !strcmpW_exact(old->cred.password, cred->password);
        if (same && in_space(old->space, entry.space))
        {
            ReleaseSRWLockExclusive(&cache->lock);
            cache_entry_free(&entry);
            return;
        }
        if (same) entry.verified = old->verified;
        cache_entry_free(old);
        *old = entry;
        ReleaseSRWLockExclusive(&cache->lock);
        return;
    }
    if ((items = realloc(cache->entries, (cache->count + 1) * sizeof(*items))))
    {
        cache->entries = items;
        items[cache->count++] = entry;
        entry.origin = NULL;
    }
    ReleaseSRWLockExclusive(&cache->lock);
    if (entry.origin) cache_entry_free(&entry);
}

/* The credentials sent to origin worked (verified) or did not (dropped). */
static void cache_update(struct session *session, const WCHAR *origin, const WCHAR *realm, BOOL worked)
{
    struct auth_cache *cache = session->auth_cache;
    int i;

    if (!cache) return;
    AcquireSRWLockExclusive(&cache->lock);
    if ((i = cache_find(cache, origin, realm)) >= 0)
    {
        if (worked) cache->entries[i].verified = TRUE;
        else
        {
            TRACE("dropping the cached credentials for %s\n", debugstr_w(origin));
            cache_entry_free(&cache->entries[i]);
            memmove(&cache->entries[i], &cache->entries[i + 1], (cache->count - i - 1) * sizeof(*cache->entries));
            cache->count--;
        }
    }
    ReleaseSRWLockExclusive(&cache->lock);
}

/* Verified credentials for a request to origin/path: copies, and the realm. */
static BOOL cache_lookup(struct session *session, const WCHAR *origin, const WCHAR *path, struct auth_cred *cred,
                         WCHAR **realm)
{
    struct auth_cache *cache = session->auth_cache;
    BOOL ret = FALSE;
    size_t i;

    *realm = NULL;
    if (!cache) return FALSE;
    AcquireSRWLockShared(&cache->lock);
    for (i = 0; i < cache->count && !ret; i++)
    {
        const struct auth_cache_entry *e = &cache->entries[i];
        if (!e->verified || !same_origin(e->origin, origin) || (path && !in_space(e->space, path))) continue;
        if (!auth_cred_copy(cred, &e->cred)) break;
        if (e->realm && !(*realm = strdupW(e->realm)))
        {
            auth_cred_clear(cred);
            break;
        }
        ret = TRUE;
    }
    ReleaseSRWLockShared(&cache->lock);
    return ret;
}

/* ------------------------------------------------------------------ */
/* the automatic logon policy                                          */

/* The local intranet, as the policy means it: a name without dots (what
 * the "<local>" bypass entry matches), or a host the proxy configuration
 * sends around the proxy (WinHttpRequestAutoLogonPolicy). */
static BOOL is_intranet(struct request *request, const WCHAR *host, INTERNET_PORT port, BOOL secure)
{
    struct session *session = request->connect->session;
    WCHAR *bypass = NULL, *proxy_host = NULL;
    INTERNET_PORT proxy_port;
    const WCHAR *p;
    BOOL ret;

    for (p = host; *p; p++) if (*p == '.' || *p == ':') break;
    if (!*p) return TRUE;

    AcquireSRWLockShared(&request->obj.lock);
    if (request->proxy_set) bypass = strdupW(request->proxy.lpszProxyBypass);
    ReleaseSRWLockShared(&request->obj.lock);
    if (!bypass)
    {
        AcquireSRWLockShared(&session->obj.lock);
        bypass = strdupW(session->proxy_bypass);
        ReleaseSRWLockShared(&session->obj.lock);
    }
    if (!bypass) return FALSE;
    /* proxy_select goes direct exactly when the bypass list names the host. */
    ret = !proxy_select(L"autologon-probe", bypass, host, port, secure, &proxy_host, &proxy_port);
    free(proxy_host);
    free(bypass);
    return ret;
}

static BOOL autologon_allowed(struct request *request, const struct auth_target *target, int s)
{
    DWORD policy = request->settings.autologon_policy;

    /* The documented note that HIGH does not hold for "localhost" and IP
     * addresses is not reproduced: HIGH means no default credentials. */
    if (policy == WINHTTP_AUTOLOGON_SECURITY_LEVEL_LOW) return TRUE;
    if (policy != WINHTTP_AUTOLOGON_SECURITY_LEVEL_MEDIUM) return FALSE;
    /* The proxy is the one the configuration names, an intranet host by definition. */
    if (s == SLOT_PROXY) return TRUE;
    return is_intranet(request, target->host, target->port, target->secure);
}

/* ------------------------------------------------------------------ */
/* contexts                                                            */

/* Start an authentication with cred against origin (NULL: the first server
 * or proxy that asks).  The slot's lock is held. */
static DWORD start_context(struct auth_slot *slot, const struct auth_mech *mech, enum auth_source source,
                           const struct auth_cred *cred, const WCHAR *origin)
{
    struct auth_ctx *ctx;
    DWORD res;

    slot_end_context(slot);
    if ((res = mech->create(cred, &ctx))) return res;
    if (origin && !(slot->origin = strdupW(origin)))
    {
        mech->destroy(ctx);
        return ERROR_OUTOFMEMORY;
    }
    slot->mech = mech;
    slot->ctx = ctx;
    slot->source = source;
    slot->active = TRUE;
    slot->waiting = mech->needs_challenge;
    slot->sent = slot->failed = FALSE;
    slot->legs = 0;
    return ERROR_SUCCESS;
}

static void remember_spn(struct auth_slot *slot)
{
    WCHAR *spn;

    if (!slot->mech->spn || !(spn = slot->mech->spn(slot->ctx))) return;
    free(slot->spn);
    slot->spn = spn;
}

/* Replace the generated header name by value (NULL: remove it), wiping
 * what it held.  A header of that name the application added wins. */
static DWORD set_auth_header(struct request *request, const WCHAR *name, const WCHAR *value)
{
    struct header_list *list = &request->request_headers;
    DWORD res = ERROR_SUCCESS, index = 0;
    BOOL user = FALSE;
    int i;

    AcquireSRWLockExclusive(&request->obj.lock);
    while ((i = headers_find(list, name, index)) >= 0)
    {
        if (list->items[i].is_request_user)
        {
            user = TRUE;
            index++;
            continue;
        }
        SecureZeroMemory(list->items[i].value, strlenW(list->items[i].value) * sizeof(WCHAR));
        headers_remove(list, i);
    }
    if (value && user) TRACE("the application's own %s header goes out instead of ours\n", debugstr_w(name));
    else if (value) res = headers_add(list, name, value, WINHTTP_ADDREQ_FLAG_ADD, FALSE);
    ReleaseSRWLockExclusive(&request->obj.lock);
    return res;
}

/* The value for one slot of the request about to go out, NULL if none. */
static DWORD slot_value(struct request *request, const struct auth_target *target, int s, WCHAR **value)
{
    struct session *session = request->connect->session;
    struct auth_state *state = request->auth;
    struct auth_request_info info;
    struct auth_slot *slot;
    WCHAR *origin, *owned;
    DWORD res = ERROR_SUCCESS;
    BOOL busy = FALSE;

    *value = NULL;
    if (!(origin = target_origin(s, target))) return ERROR_OUTOFMEMORY;
    if ((res = fill_info(request, target, s, &info, &owned)))
    {
        free(origin);
        return res;
    }
    if (state)
    {
        AcquireSRWLockExclusive(&state->lock);
        slot = &state->slots[s];
        slot->sent = FALSE;
        free(slot->cache_realm);
        slot->cache_realm = NULL;
        slot->cache_sent = FALSE;
        if (slot->ctx && !slot->origin) slot->origin = strdupW(origin);     /* proxy credentials set before sending */
        if (slot->ctx && slot->active && !slot->failed && same_origin(slot->origin, origin))
        {
            busy = TRUE;
            if ((res = slot->mech->output(slot->ctx, &info, value)))
            {
                WARN("%s could not answer (error %u); sending no credentials\n", debugstr_w(slot->mech->name), res);
                slot->failed = TRUE;
                res = ERROR_SUCCESS;
            }
            else if (*value)
            {
                slot->sent = TRUE;
                slot->waiting = FALSE;
                remember_spn(slot);
                TRACE("sending %s credentials to %s\n", debugstr_w(slot->mech->name), debugstr_w(origin));
                if (slot->mech == &auth_basic_mech && (slot->source == SRC_APP || slot->source == SRC_OPTION))
                {
                    struct auth_cred *cred = slot->source == SRC_APP ? &slot->app_cred : &slot->option_cred;
                    cache_store(session, origin, slot->realm, s == SLOT_SERVER ? target->path : NULL, cred);
                }
            }
        }
        else if (slot->ctx) busy = slot->waiting && same_origin(slot->origin, origin);
        ReleaseSRWLockExclusive(&state->lock);
    }

    /* Pre-authentication with what worked before in this session. */
    if (!busy && !*value && !(request->settings.disable_flags & WINHTTP_DISABLE_AUTHENTICATION))
    {
        struct auth_cred cred;
        struct auth_ctx *ctx;
        WCHAR *realm;

        if (cache_lookup(session, origin, s == SLOT_SERVER ? target->path : NULL, &cred, &realm))
        {
            if (!auth_basic_mech.create(&cred, &ctx))
            {
                if (auth_basic_mech.output(ctx, &info, value)) *value = NULL;
                auth_basic_mech.destroy(ctx);
            }
            auth_cred_clear(&cred);
            if (*value && (state = get_state(request)))
            {
                TRACE("pre-authenticating to %s with the session's Basic credentials\n", debugstr_w(origin));
                AcquireSRWLockExclusive(&state->lock);
                slot = &state->slots[s];
                slot->cache_sent = TRUE;
                free(slot->cache_realm);
                slot->cache_realm = realm;
                realm = NULL;
                ReleaseSRWLockExclusive(&state->lock);
            }
            free(realm);
        }
    }
    if (*value && !info.secure && !strncmpiW(*value, L"Basic ", 6))
        WARN("Basic credentials go to %s over plain http\n", debugstr_w(info.host));
    free(owned);
    free(origin);
    return res;
}

DWORD auth_prepare_request(struct request *request, const struct auth_target *target)
{
    WCHAR *value = NULL;
    DWORD res;

    /* Passport: the sign-in at the login server, the tickets at the sites. */
    if ((res = auth_passport_value(request, target, &value))) return res;
    /* The CONNECT carries the proxy's credentials only; the server's wait
     * for the request inside the tunnel. */
    if (!target->tunnel && !value && (res = slot_value(request, target, SLOT_SERVER, &value))) return res;
    if (!target->tunnel) res = set_auth_header(request, authorizationW, value);
    else res = ERROR_SUCCESS;
    if (value) free_secretW(value);
    if (res) return res;

    value = NULL;
    if (proxy_applies(target) && (res = slot_value(request, target, SLOT_PROXY, &value))) return res;
    res = set_auth_header(request, proxy_authorizationW, value);
    if (value) free_secretW(value);
    return res;
}

/* The first mechanism, in order of preference, whose scheme list offers. */
static const struct auth_mech *preferred_mech(const struct auth_challenges *list, DWORD allowed)
{
    DWORD offered = offered_schemes(list) & allowed;
    unsigned int i;

    for (i = 0; i < ARRAY_SIZE(mechs); i++) if (offered & mechs[i]->scheme) return mechs[i];
    return NULL;
}

/* The credentials of WINHTTP_OPTION_(PROXY_)USERNAME / PASSWORD, if set. */
static BOOL option_cred(struct request *request, int s, struct auth_cred *cred)
{
    struct session *session = request->connect->session;
    BOOL ret = FALSE;

    memset(cred, 0, sizeof(*cred));
    AcquireSRWLockShared(&request->obj.lock);
    if (s == SLOT_SERVER && request->username)
    {
        cred->user = strdupW(request->username);
        cred->password = strdupW(request->password ? request->password : L"");
        ret = TRUE;
    }
    else if (s == SLOT_PROXY && request->proxy_username)
    {
        cred->user = strdupW(request->proxy_username);
        cred->password = strdupW(request->proxy_password ? request->proxy_password : L"");
        ret = TRUE;
    }
    ReleaseSRWLockShared(&request->obj.lock);
    if (!ret && s == SLOT_PROXY)
    {
        AcquireSRWLockShared(&session->obj.lock);
        if (session->proxy_username)
        {
            cred->user = strdupW(session->proxy_username);
            cred->password = strdupW(session->proxy_password ? session->proxy_password : L"");
            ret = TRUE;
        }
        ReleaseSRWLockShared(&session->obj.lock);
    }
    if (ret && (!cred->user || !cred->password))
    {
        auth_cred_clear(cred);
        ret = FALSE;
    }
    return ret;
}

/* The request's own origin (where it was opened to), for the option credentials. */
static WCHAR *request_origin(struct request *request)
{
    return make_origin(SLOT_SERVER, request->connect->hostname, request->port, request_is_secure(request));
}

/* Try to answer a challenge nobody of ours has answered yet; the slot's
 * lock is held.  TRUE: the request goes again. */
static BOOL answer_automatically(struct request *request, const struct auth_target *target, int s,
                                 struct auth_slot *slot, const struct auth_challenges *list,
                                 const struct auth_request_info *info, const WCHAR *origin)
{
    const struct auth_mech *mech;
    struct auth_cred cred;
    WCHAR *own;

    if (request->settings.disable_flags & WINHTTP_DISABLE_AUTHENTICATION) return FALSE;

    if (!slot->tried_option && option_cred(request, s, &cred))
    {
        BOOL mine = s == SLOT_PROXY;
        /* Option credentials go to the request's own server only, never to
         * one a redirect led to. */
        if (!mine && (own = request_origin(request)))
        {
            mine = same_origin(own, origin);
            free(own);
        }
        slot->tried_option = TRUE;
        if (mine && (mech = preferred_mech(list, ~WINHTTP_AUTH_SCHEME_PASSPORT)))
        {
            auth_cred_clear(&slot->option_cred);
            slot->option_cred = cred;
            memset(&cred, 0, sizeof(cred));
            if (!start_context(slot, mech, SRC_OPTION, &slot->option_cred, origin) &&
                slot->mech->input(slot->ctx, find_challenge(list, mech), info) == AUTH_INPUT_CONTINUE)
            {
                TRACE("answering with the credentials of the options, scheme %s\n", debugstr_w(mech->name));
                return TRUE;
            }
            slot_end_context(slot);
        }
        auth_cred_clear(&cred);
    }

    if (!slot->tried_default && (offered_schemes(list) & (WINHTTP_AUTH_SCHEME_NEGOTIATE | WINHTTP_AUTH_SCHEME_NTLM)))
    {
        slot->tried_default = TRUE;
        if (!autologon_allowed(request, target, s))
        {
            TRACE("the automatic logon policy keeps the default credentials from %s\n", debugstr_w(origin));
            return FALSE;
        }
        mech = preferred_mech(list, WINHTTP_AUTH_SCHEME_NEGOTIATE | WINHTTP_AUTH_SCHEME_NTLM);
        memset(&cred, 0, sizeof(cred));
        cred.use_default = TRUE;
        if (!start_context(slot, mech, SRC_DEFAULT, &cred, origin) &&
            slot->mech->input(slot->ctx, find_challenge(list, mech), info) == AUTH_INPUT_CONTINUE)
        {
            TRACE("answering with the default credentials, scheme %s\n", debugstr_w(mech->name));
            return TRUE;
        }
        slot_end_context(slot);
    }
    return FALSE;
}

DWORD auth_handle_response(struct request *request, const struct auth_target *target, BOOL *resend)
{
    struct session *session = request->connect->session;
    int s = request->status_code == HTTP_STATUS_PROXY_AUTH_REQ ? SLOT_PROXY : SLOT_SERVER;
    struct auth_challenges list;
    struct auth_request_info info;
    struct auth_state *state;
    struct auth_slot *slot;
    WCHAR *origin, *owned = NULL;
    DWORD res = ERROR_SUCCESS;

    *resend = FALSE;
    if (s == SLOT_PROXY && !target->proxy_host)
    {
        WARN("407 without a proxy in between\n");
        return ERROR_SUCCESS;
    }
    if (!(state = get_state(request))) return ERROR_OUTOFMEMORY;
    if (!get_challenges(request, s, &list)) return ERROR_OUTOFMEMORY;
    if (!(origin = target_origin(s, target)) || fill_info(request, target, s, &info, &owned))
    {
        free(origin);
        auth_challenges_free(&list);
        return ERROR_OUTOFMEMORY;
    }

    AcquireSRWLockExclusive(&state->lock);
    slot = &state->slots[s];
    free(slot->challenge_origin);
    slot->challenge_origin = strdupW(origin);
    if (slot->cache_sent)
    {
        /* What the session remembered no longer works here. */
        cache_update(session, origin, slot->cache_realm, FALSE);
        slot->cache_sent = FALSE;
    }

    if (slot->ctx && same_origin(slot->origin, origin) && (slot->sent || slot->waiting || slot->failed))
    {
        const WCHAR *params = find_challenge(&list, slot->mech);
        enum auth_input verdict = AUTH_INPUT_REJECTED;

        if (!slot->failed && params) verdict = slot->mech->input(slot->ctx, params, &info);
        if (verdict == AUTH_INPUT_CONTINUE && ++slot->legs > MAX_LEGS)
        {
            WARN("%s does not come to an end after %u legs\n", debugstr_w(slot->mech->name), MAX_LEGS);
            verdict = AUTH_INPUT_FAILED;
        }
        switch (verdict)
        {
        case AUTH_INPUT_CONTINUE:
            TRACE("%s goes on\n", debugstr_w(slot->mech->name));
            slot->active = TRUE;
            *resend = TRUE;
            break;
        case AUTH_INPUT_FAILED:
            WARN("%s broke down\n", debugstr_w(slot->mech->name));
            slot_end_context(slot);
            res = ERROR_WINHTTP_LOGIN_FAILURE;
            break;
        case AUTH_INPUT_REJECTED:
            TRACE("%s credentials rejected by %s\n", debugstr_w(slot->mech->name), debugstr_w(origin));
            if (slot->mech == &auth_basic_mech && slot->sent) cache_update(session, origin, slot->realm, FALSE);
            slot_end_context(slot);
            break;
        }
    }
    else if (!slot->ctx || !same_origin(slot->origin, origin) || !slot->active)
    {
        *resend = answer_automatically(request, target, s, slot, &list, &info, origin);
    }
    /* A Basic context learns its realm from the challenge it answers. */
    if (*resend && slot->mech == &auth_basic_mech && !slot->realm)
    {
        const WCHAR *params = find_challenge(&list, slot->mech);
        slot->realm = params ? auth_param_get(params, "realm") : NULL;
    }
    ReleaseSRWLockExclusive(&state->lock);
    free(owned);
    free(origin);
    auth_challenges_free(&list);
    return res;
}

/* A final response other than 401/407: what the server says of our
 * authentication (mutual authentication), and the session's cache. */
DWORD auth_response_done(struct request *request, const struct auth_target *target)
{
    struct session *session = request->connect->session;
    struct auth_state *state = request->auth;
    struct auth_slot *slot;
    DWORD res = ERROR_SUCCESS;
    int s;

    if (!state) return ERROR_SUCCESS;
    AcquireSRWLockExclusive(&state->lock);
    for (s = 0; s < 2; s++)
    {
        slot = &state->slots[s];
        if (slot->cache_sent)
        {
            slot->cache_sent = FALSE;
        }
        if (!slot->ctx || !slot->sent) continue;
        if (slot->mech == &auth_basic_mech && (slot->source == SRC_APP || slot->source == SRC_OPTION))
            cache_update(session, slot->origin, slot->realm, TRUE);
        if (s == SLOT_SERVER && slot->mech->finish)
        {
            struct auth_challenges list;
            WCHAR *info = NULL;
            const WCHAR *params = NULL;

            memset(&list, 0, sizeof(list));
            if (get_challenges(request, s, &list)) params = find_challenge(&list, slot->mech);
            if (!params && (info = headers_get(request, FALSE, L"Authentication-Info", 0))) params = info;
            if (!slot->mech->finish(slot->ctx, params))
            {
                WARN("%s: the server did not prove who it is\n", debugstr_w(slot->mech->name));
                res = ERROR_WINHTTP_LOGIN_FAILURE;
            }
            free(info);
            auth_challenges_free(&list);
        }
    }
    ReleaseSRWLockExclusive(&state->lock);
    return res;
}

void auth_request_free(struct request *request)
{
    struct session *session = request->connect->session;
    struct auth_state *state = request->auth;
    struct auth_slot *slot;
    int s;

    set_auth_header(request, authorizationW, NULL);
    set_auth_header(request, proxy_authorizationW, NULL);
    if (!state) return;
    for (s = 0; s < 2; s++)
    {
        slot = &state->slots[s];
        /* Basic credentials the last request carried and nobody turned
         * down (a 401/407 would have dropped them from the cache) are good
         * for the rest of the session. */
        if (slot->ctx && slot->sent && slot->mech == &auth_basic_mech &&
            (slot->source == SRC_APP || slot->source == SRC_OPTION))
            cache_update(session, slot->origin, slot->realm, TRUE);
        slot_free(slot);
    }
    passport_request_free(state->passport);
    free(state);
    request->auth = NULL;
}

/* WINHTTP_OPTION_SERVER_SPN_USED / PROXY_SPN_USED. */
DWORD auth_query_option(struct request *request, DWORD option, void *buffer, DWORD *size)
{
    struct auth_state *state = request->auth;
    int s = option == WINHTTP_OPTION_PROXY_SPN_USED ? SLOT_PROXY : SLOT_SERVER;
    WCHAR *spn = NULL;
    DWORD len, res = ERROR_SUCCESS;

    if (option != WINHTTP_OPTION_SERVER_SPN_USED && option != WINHTTP_OPTION_PROXY_SPN_USED)
        return ERROR_WINHTTP_INVALID_OPTION;
    if (state)
    {
        AcquireSRWLockShared(&state->lock);
        spn = strdupW(state->slots[s].spn ? state->slots[s].spn : L"");
        ReleaseSRWLockShared(&state->lock);
    }
    else spn = strdupW(L"");
    if (!spn) return ERROR_OUTOFMEMORY;
    len = (strlenW(spn) + 1) * sizeof(WCHAR);
    if (!buffer || *size < len)
    {
        *size = len;
        res = ERROR_INSUFFICIENT_BUFFER;
    }
    else
    {
        memcpy(buffer, spn, len);
        *size = len - sizeof(WCHAR);
    }
    free(spn);
    return res;
}

/* ------------------------------------------------------------------ */
/* the API                                                             */

BOOL WINAPI WinHttpQueryAuthSchemes(HINTERNET hrequest, LPDWORD supported, LPDWORD first, LPDWORD target)
{
    struct auth_challenges list;
    struct request *request;
    struct object *obj;
    DWORD res = ERROR_SUCCESS, status;
    size_t i;

    TRACE("(%p, %p, %p, %p)\n", hrequest, supported, first, target);

    if (!(obj = grab_object_type(hrequest, WINHTTP_HANDLE_TYPE_REQUEST))) return FALSE;
    request = request_from_object(obj);
    if (!supported || !first || !target) res = ERROR_INVALID_PARAMETER;
    else
    {
        AcquireSRWLockShared(&request->obj.lock);
        status = request->status_code;
        ReleaseSRWLockShared(&request->obj.lock);
        /* Only a 401 or a 407 carries challenges to answer. */
        if (status != HTTP_STATUS_DENIED && status != HTTP_STATUS_PROXY_AUTH_REQ) res = ERROR_INVALID_OPERATION;
        else if (!get_challenges(request, status == HTTP_STATUS_PROXY_AUTH_REQ ? SLOT_PROXY : SLOT_SERVER, &list))
            res = ERROR_OUTOFMEMORY;
        else
        {
            if (!list.count) res = ERROR_INVALID_OPERATION;
            else
            {
                *supported = offered_schemes(&list);
                *first = 0;
                for (i = 0; i < list.count && !*first; i++) *first = list.items[i].scheme;
                *target = status == HTTP_STATUS_PROXY_AUTH_REQ ? WINHTTP_AUTH_TARGET_PROXY
                                                               : WINHTTP_AUTH_TARGET_SERVER;
                TRACE("supported %#x, first %#x, target %u\n", *supported, *first, *target);
            }
            auth_challenges_free(&list);
        }
    }
    release_object(obj);
    if (res) SetLastError(res);
    else SetLastError(ERROR_SUCCESS);
    return !res;
}

static BOOL valid_scheme(DWORD scheme)
{
    return scheme == WINHTTP_AUTH_SCHEME_BASIC || scheme == WINHTTP_AUTH_SCHEME_NTLM ||
           scheme == WINHTTP_AUTH_SCHEME_PASSPORT || scheme == WINHTTP_AUTH_SCHEME_DIGEST ||
           scheme == WINHTTP_AUTH_SCHEME_NEGOTIATE;
}

static DWORD set_credentials(struct request *request, DWORD target, DWORD scheme, const WCHAR *username,
                             const WCHAR *password)
{
    int s = target == WINHTTP_AUTH_TARGET_PROXY ? SLOT_PROXY : SLOT_SERVER;
    const struct auth_mech *mech = mech_from_scheme(scheme);
    struct auth_request_info info;
    struct auth_challenges list;
    struct auth_state *state;
    struct auth_slot *slot;
    struct auth_cred cred;
    WCHAR *origin = NULL;
    DWORD res = ERROR_SUCCESS, status;

    /* Passport credentials go to the login server only (auth_passport.c). */
    if (scheme == WINHTTP_AUTH_SCHEME_PASSPORT)
        return s == SLOT_SERVER ? auth_passport_set_credentials(request, username, password) : ERROR_INVALID_PARAMETER;
    if (!mech) return ERROR_INVALID_PARAMETER;
    memset(&cred, 0, sizeof(cred));
    if (!username && !password) cred.use_default = TRUE;
    else if (!(cred.user = strdupW(username)) || !(cred.password = strdupW(password)))
    {
        auth_cred_clear(&cred);
        return ERROR_OUTOFMEMORY;
    }
    if (!(state = get_state(request)))
    {
        auth_cred_clear(&cred);
        return ERROR_OUTOFMEMORY;
    }

    AcquireSRWLockShared(&request->obj.lock);
    status = request->status_code;
    ReleaseSRWLockShared(&request->obj.lock);
    memset(&list, 0, sizeof(list));

    AcquireSRWLockExclusive(&state->lock);
    slot = &state->slots[s];
    /* The credentials answer the challenge at hand when there is one; set
     * before sending, they are for the request's own server (and for
     * whichever proxy it goes through). */
    if (status == (s == SLOT_PROXY ? HTTP_STATUS_PROXY_AUTH_REQ : HTTP_STATUS_DENIED) && slot->challenge_origin)
        origin = strdupW(slot->challenge_origin);
    else if (s == SLOT_SERVER)
        origin = request_origin(request);
    slot_end_context(slot);
    auth_cred_clear(&slot->app_cred);
    slot->app_cred = cred;
    res = start_context(slot, mech, SRC_APP, &slot->app_cred, origin);
    if (!res && origin && same_origin(origin, slot->challenge_origin) && get_challenges(request, s, &list))
    {
        const WCHAR *params = find_challenge(&list, mech);
        memset(&info, 0, sizeof(info));
        /* Feed the challenge now: Digest needs its nonce before it can answer. */
        if (params && mech->input(slot->ctx, params, &info) != AUTH_INPUT_CONTINUE) slot->failed = TRUE;
        if (params && mech == &auth_basic_mech) slot->realm = auth_param_get(params, "realm");
        if (params) slot->waiting = FALSE;
    }
    ReleaseSRWLockExclusive(&state->lock);
    auth_challenges_free(&list);
    free(origin);
    return res;
}

BOOL WINAPI WinHttpSetCredentials(HINTERNET hrequest, DWORD target, DWORD scheme, LPCWSTR username,
                                  LPCWSTR password, LPVOID params)
{
    struct object *obj;
    DWORD res = ERROR_SUCCESS;

    /* Never trace the password. */
    TRACE("(%p, %u, %#x, %s, %s, %p)\n", hrequest, target, scheme, debugstr_w(username),
          password ? "<redacted>" : "NULL", params);

    if (!(obj = grab_object_type(hrequest, WINHTTP_HANDLE_TYPE_REQUEST))) return FALSE;
    if (target != WINHTTP_AUTH_TARGET_SERVER && target != WINHTTP_AUTH_TARGET_PROXY) res = ERROR_INVALID_PARAMETER;
    else if (!valid_scheme(scheme)) res = ERROR_INVALID_PARAMETER;
    /* Basic and Digest need a user name and a password (which may be
     * empty); NTLM and Negotiate without either use the logged-on user's. */
    else if ((!username || !password) &&
             (scheme == WINHTTP_AUTH_SCHEME_BASIC || scheme == WINHTTP_AUTH_SCHEME_DIGEST || username || password))
        res = ERROR_INVALID_PARAMETER;
    else
    {
        if (params) WARN("pAuthParams is reserved; ignoring %p\n", params);
        res = set_credentials(request_from_object(obj), target, scheme, username, password);
    }
    release_object(obj);
    SetLastError(res);
    return !res;
}

/* ------------------------------------------------------------------ */
/* Passport 1.4: the per-request and per-session state of auth_passport.c */

struct passport_request *auth_get_passport_request(struct request *request)
{
    struct auth_state *state = get_state(request);
    struct passport_request *pp;

    if (!state) return NULL;
    AcquireSRWLockExclusive(&state->lock);
    if (!state->passport) state->passport = passport_request_create();
    pp = state->passport;
    ReleaseSRWLockExclusive(&state->lock);
    return pp;
}

struct passport_session *auth_get_passport_session(struct session *session)
{
    struct auth_cache *cache = get_cache(session);
    struct passport_session *ps;

    if (!cache) return NULL;
    AcquireSRWLockExclusive(&cache->lock);
    if (!cache->passport) cache->passport = passport_session_create();
    ps = cache->passport;
    ReleaseSRWLockExclusive(&cache->lock);
    return ps;
}
