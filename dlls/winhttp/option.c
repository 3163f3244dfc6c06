/*
 * WinHttpSetOption and WinHttpQueryOption.
 *
 * One table describes every WINHTTP_OPTION_* of the SDK: the handle types
 * it may be queried and set on, the kind and size of its value and where
 * the value lives.  The generic code validates once, in this order, and
 * only then touches the object, so supporting an option is adding a row:
 *
 *   bad, closed or NULL handle (NULL is fine for the process-wide options)
 *                                  ERROR_INVALID_HANDLE
 *   option not in the table        ERROR_WINHTTP_INVALID_OPTION
 *   query of a set-only option     ERROR_WINHTTP_INVALID_OPTION
 *   query on a handle type the option does not apply to
 *                                  ERROR_INVALID_PARAMETER (WinHttpQueryOption remarks)
 *   set of a query-only option     ERROR_WINHTTP_OPTION_NOT_SETTABLE
 *   set on a handle type the option does not apply to
 *                                  ERROR_WINHTTP_INCORRECT_HANDLE_TYPE
 *   query with no size pointer, set of a value with no buffer
 *                                  ERROR_INVALID_PARAMETER
 *   buffer smaller than the value  ERROR_INSUFFICIENT_BUFFER; a query then
 *                                  stores the bytes needed in *size
 *   value out of range             ERROR_INVALID_PARAMETER
 *   value the engine does not have (yet)
 *                                  ERROR_WINHTTP_INCORRECT_HANDLE_STATE
 *
 * A DWORD or BOOL option must be set with exactly sizeof(DWORD) bytes:
 * Windows refuses a larger buffer too (ERROR_INSUFFICIENT_BUFFER), and a
 * size of 0 with ERROR_INVALID_PARAMETER.  Larger structures are read for
 * their size and the rest ignored.
 *
 * Sizes are in bytes, except that WinHttpSetOption takes the length of
 * USERNAME, PASSWORD, PROXY_USERNAME, PROXY_PASSWORD and USER_AGENT in
 * characters (WinHttpSetOption reference).  A queried string's size is its
 * length in bytes without the terminator, or with it when the buffer was
 * too small.  Strings inside a queried WINHTTP_PROXY_INFO are GlobalAlloc'ed
 * for the application to GlobalFree.
 *
 * Values set on a session are copied into connect and request handles
 * created afterwards (struct settings, session.c); the session's user agent
 * and proxy are read at send time.
 */
#include "winhttp_private.h"
#include "winhttp_wine.h"
#include "wincrypt.h"

WINE_DEFAULT_DEBUG_CHANNEL(winhttp);

/* Handle types an option applies to: bit 0 is the NULL handle of the
 * process-wide options, the others are WINHTTP_HANDLE_TYPE_*. */
#define HT_NULL      (1u << 0)
#define HT_SESSION   (1u << WINHTTP_HANDLE_TYPE_SESSION)
#define HT_CONNECT   (1u << WINHTTP_HANDLE_TYPE_CONNECT)
#define HT_REQUEST   (1u << WINHTTP_HANDLE_TYPE_REQUEST)
#define HT_RESOLVER  (1u << WINHTTP_HANDLE_TYPE_PROXY_RESOLVER)
#define HT_WEBSOCKET (1u << WINHTTP_HANDLE_TYPE_WEBSOCKET)
#define HT_SR        (HT_SESSION | HT_REQUEST)
#define HT_SCR       (HT_SESSION | HT_CONNECT | HT_REQUEST)
#define HT_SRW       (HT_SESSION | HT_REQUEST | HT_WEBSOCKET)
#define HT_ANY       (HT_SESSION | HT_CONNECT | HT_REQUEST | HT_RESOLVER | HT_WEBSOCKET)

enum option_kind
{
    KIND_DWORD,         /* a DWORD */
    KIND_BOOL,          /* a BOOL, stored as TRUE or FALSE */
    KIND_PTR,           /* pointer-sized: DWORD_PTR, HINTERNET, PCCERT_CONTEXT, HANDLE */
    KIND_STRUCT,        /* a fixed-size structure (.size) */
    KIND_STRING,        /* a WCHAR string */
    KIND_NONE,          /* set takes no value: the buffer is ignored */
    KIND_ENGINE,        /* query answered by the request's engine hook (.size 0: it sizes itself) */
    KIND_CUSTOM,        /* .query / .set do all the checking */
    KIND_IGNORED,       /* set is accepted and ignored: no such feature here */
    KIND_UNSUPPORTED,   /* answered as a Windows release that predates it would */
};

#define OF_SETTING  0x01    /* the value is at .offset in struct settings */
#define OF_CHARS    0x02    /* WinHttpSetOption's length is in characters */
#define OF_SECRET   0x04    /* never traced, never readable */
#define OF_FIXME    0x08    /* stored, but nothing acts on it yet: FIXME once when set */
#define OF_OR       0x10    /* setting adds bits to the stored value (DISABLE/ENABLE_FEATURE) */

struct option
{
    DWORD id;
    const char *name;
    unsigned int query_on, set_on;      /* HT_* */
    enum option_kind kind;
    unsigned int flags;                 /* OF_* */
    DWORD size;                         /* KIND_STRUCT, KIND_ENGINE */
    size_t offset;                      /* OF_SETTING */
    /* ERROR_SUCCESS or ERROR_INVALID_PARAMETER for a value about to be set */
    DWORD (*validate)(const void *value);
    /* Fixed-size values outside struct settings; called with the lock held. */
    void (*get)(struct object *obj, void *value);
    void (*put)(struct object *obj, const void *value);
    /* Strings: get makes a malloc'ed copy (NULL: none); put takes ownership.
     * Called without the lock; they take what they need. */
    DWORD (*get_string)(struct object *obj, WCHAR **value);
    DWORD (*put_string)(struct object *obj, WCHAR *value);
    /* Replace the default query / set once the generic checks passed. */
    DWORD (*query)(struct object *obj, const struct option *opt, void *buffer, DWORD *size);
    DWORD (*set)(struct object *obj, const struct option *opt, const void *buffer, DWORD size);
};

/* ------------------------------------------------------------------ */
/* Process-wide options (NULL handle)                                  */

static SRWLOCK global_lock = SRWLOCK_INIT;
static DWORD worker_thread_count;       /* 0: as many as CPUs, as documented */
static BOOL tracing_enabled;
static HTTP_VERSION_INFO http_version = { 1, 1 };
static HANDLE unload_notify_event;

static DWORD extended_error_tls = TLS_OUT_OF_INDEXES;
static INIT_ONCE extended_error_once = INIT_ONCE_STATIC_INIT;

static BOOL CALLBACK alloc_extended_error_tls(INIT_ONCE *once, void *param, void **context)
{
    extended_error_tls = TlsAlloc();
    return TRUE;
}

void option_set_extended_error(DWORD error)
{
    InitOnceExecuteOnce(&extended_error_once, alloc_extended_error_tls, NULL, NULL);
    if (extended_error_tls != TLS_OUT_OF_INDEXES) TlsSetValue(extended_error_tls, (void *)(ULONG_PTR)error);
}

static void get_extended_error(struct object *obj, void *value)
{
    DWORD error = 0;
    InitOnceExecuteOnce(&extended_error_once, alloc_extended_error_tls, NULL, NULL);
    if (extended_error_tls != TLS_OUT_OF_INDEXES) error = (ULONG_PTR)TlsGetValue(extended_error_tls);
    *(DWORD *)value = error;
}

static void get_worker_thread_count(struct object *obj, void *value) { *(DWORD *)value = worker_thread_count; }
static void put_worker_thread_count(struct object *obj, const void *value)
{
    /* Our event loop sizes itself; the count only matters to the thread pool
     * Windows uses, so it is kept for the query and otherwise unused. */
    worker_thread_count = *(const DWORD *)value;
}
static void get_tracing(struct object *obj, void *value) { *(BOOL *)value = tracing_enabled; }
static void put_tracing(struct object *obj, const void *value) { tracing_enabled = *(const BOOL *)value; }
static void get_http_version(struct object *obj, void *value) { *(HTTP_VERSION_INFO *)value = http_version; }
static void put_http_version(struct object *obj, const void *value) { http_version = *(const HTTP_VERSION_INFO *)value; }
/* On a session handle (what programs do, and what Windows honours): the
 * event is set once the session object is gone, its requests and
 * connections with it.  On the NULL handle it is kept for the process. */
static void put_unload_event(struct object *obj, const void *value)
{
    HANDLE event = *(HANDLE const *)value;
    if (obj && obj->type == WINHTTP_HANDLE_TYPE_SESSION)
        InterlockedExchangePointer(&session_from_object(obj)->unload_event, event);
    else
        unload_notify_event = event;
}

static DWORD validate_http_version(const void *value)
{
    const HTTP_VERSION_INFO *version = value;
    return version->dwMajorVersion == 1 && version->dwMinorVersion <= 1 ? ERROR_SUCCESS : ERROR_INVALID_PARAMETER;
}

/* ------------------------------------------------------------------ */
/* Where values live                                                   */

/* A connect handle takes no settings of its own, so it reports its
 * session's current ones, as Wine's builtin does. */
static struct object *settings_owner(struct object *obj)
{
    if (obj && obj->type == WINHTTP_HANDLE_TYPE_CONNECT) return &connect_from_object(obj)->session->obj;
    return obj;
}

static struct settings *object_settings(struct object *obj)
{
    if (!(obj = settings_owner(obj))) return NULL;
    switch (obj->type)
    {
    case WINHTTP_HANDLE_TYPE_SESSION: return &session_from_object(obj)->settings;
    case WINHTTP_HANDLE_TYPE_REQUEST: return &request_from_object(obj)->settings;
    case WINHTTP_HANDLE_TYPE_WEBSOCKET: return websocket_settings(obj);
    }
    return NULL;
}

/* Process-wide values are guarded by one lock whatever handle came with them. */
static SRWLOCK *value_lock(struct object *obj, const struct option *opt)
{
    if (!obj || ((opt->query_on | opt->set_on) & HT_NULL)) return &global_lock;
    return (opt->flags & OF_SETTING) ? &settings_owner(obj)->lock : &obj->lock;
}

static void get_callback(struct object *obj, void *value) { *(WINHTTP_STATUS_CALLBACK *)value = obj->callback; }
static void get_handle_type(struct object *obj, void *value) { *(DWORD *)value = obj->type; }
static void get_context(struct object *obj, void *value) { *(DWORD_PTR *)value = obj->context; }
static void put_context(struct object *obj, const void *value) { obj->context = *(const DWORD_PTR *)value; }

static void get_parent(struct object *obj, void *value)
{
    /* A session has no parent: NULL.  The parent's handle value never
     * changes once allocated, so no parent lock is needed. */
    *(HINTERNET *)value = obj->parent ? obj->parent->handle : NULL;
}

static void get_is_proxy_connect_response(struct object *obj, void *value)
{
    *(BOOL *)value = request_from_object(obj)->is_proxy_connect_response;
}

static void put_upgrade_to_websocket(struct object *obj, const void *value)
{
    request_from_object(obj)->upgrade_to_websocket = TRUE;
}

/* ------------------------------------------------------------------ */
/* Value checks                                                        */

static DWORD validate_redirect_policy(const void *value)
{
    return *(const DWORD *)value <= WINHTTP_OPTION_REDIRECT_POLICY_LAST ? ERROR_SUCCESS : ERROR_INVALID_PARAMETER;
}

static DWORD validate_autologon_policy(const void *value)
{
    return *(const DWORD *)value <= WINHTTP_AUTOLOGON_SECURITY_LEVEL_HIGH ? ERROR_SUCCESS : ERROR_INVALID_PARAMETER;
}

#define SECURE_PROTOCOLS_KNOWN (WINHTTP_FLAG_SECURE_PROTOCOL_SSL2 | WINHTTP_FLAG_SECURE_PROTOCOL_SSL3 | \
    WINHTTP_FLAG_SECURE_PROTOCOL_TLS1 | WINHTTP_FLAG_SECURE_PROTOCOL_TLS1_1 | WINHTTP_FLAG_SECURE_PROTOCOL_TLS1_2 | \
    WINHTTP_FLAG_SECURE_PROTOCOL_TLS1_3)

static DWORD validate_secure_protocols(const void *value)
{
    return *(const DWORD *)value & ~SECURE_PROTOCOLS_KNOWN ? ERROR_INVALID_PARAMETER : ERROR_SUCCESS;
}

#ifndef SECURITY_FLAG_IGNORE_WEAK_SIGNATURE
#define SECURITY_FLAG_IGNORE_WEAK_SIGNATURE 0x00010000
#endif
#define SECURITY_FLAGS_SETTABLE (SECURITY_FLAG_IGNORE_ALL_CERT_ERRORS | SECURITY_FLAG_IGNORE_WEAK_SIGNATURE)

static DWORD validate_security_flags(const void *value)
{
    /* Only the IGNORE_* flags can be set; SECURE and the STRENGTH_* flags
     * are reported, not requested. */
    return *(const DWORD *)value & ~SECURITY_FLAGS_SETTABLE ? ERROR_INVALID_PARAMETER : ERROR_SUCCESS;
}

static DWORD validate_decompression(const void *value)
{
    return *(const DWORD *)value & ~WINHTTP_DECOMPRESSION_FLAG_ALL ? ERROR_INVALID_PARAMETER : ERROR_SUCCESS;
}

static DWORD validate_http_protocol(const void *value)
{
    return *(const DWORD *)value & ~WINHTTP_PROTOCOL_MASK ? ERROR_INVALID_PARAMETER : ERROR_SUCCESS;
}

#define ENABLE_FEATURES_KNOWN (WINHTTP_ENABLE_SSL_REVOCATION | WINHTTP_ENABLE_SSL_REVERT_IMPERSONATION)

static DWORD validate_enable_feature(const void *value)
{
    DWORD features = *(const DWORD *)value;
    return !features || features & ~ENABLE_FEATURES_KNOWN ? ERROR_INVALID_PARAMETER : ERROR_SUCCESS;
}

#define PASSPORT_FLAGS_KNOWN (WINHTTP_ENABLE_PASSPORT_AUTH | WINHTTP_DISABLE_PASSPORT_KEYRING | \
    WINHTTP_ENABLE_PASSPORT_KEYRING)

static DWORD validate_passport_flags(const void *value)
{
    return *(const DWORD *)value & ~PASSPORT_FLAGS_KNOWN ? ERROR_INVALID_PARAMETER : ERROR_SUCCESS;
}

static DWORD validate_spn(const void *value)
{
    return *(const DWORD *)value & ~WINHTTP_OPTION_SPN_MASK ? ERROR_INVALID_PARAMETER : ERROR_SUCCESS;
}

static DWORD validate_nonzero(const void *value)
{
    /* A limit of zero connections or bytes would stall every request. */
    return *(const DWORD *)value ? ERROR_SUCCESS : ERROR_INVALID_PARAMETER;
}

static DWORD validate_websocket_keepalive(const void *value)
{
    /* WinHttpSetOption reference: below 15000 ms is ERROR_INVALID_PARAMETER. */
    return *(const DWORD *)value >= 15000 ? ERROR_SUCCESS : ERROR_INVALID_PARAMETER;
}

/* ------------------------------------------------------------------ */
/* Setters with side effects                                           */

static DWORD set_decompression(struct object *obj, const struct option *opt, const void *value, DWORD size)
{
    struct settings *settings = object_settings(obj);

    /* decompression_set tells the engine the application chose, even if it
     * chose nothing: then it must not send Accept-Encoding either. */
    AcquireSRWLockExclusive(&obj->lock);
    settings->decompression = *(const DWORD *)value;
    settings->decompression_set = TRUE;
    ReleaseSRWLockExclusive(&obj->lock);
    return ERROR_SUCCESS;
}

/* WebSocket options whose handle types Windows checks its own way
 * (Wine's winhttp.c test_websocket records them). */
static DWORD query_fixed(struct object *obj, const struct option *opt, void *buffer, DWORD *size);

static DWORD query_websocket_buffer_size(struct object *obj, const struct option *opt, void *buffer, DWORD *size)
{
    /* The buffer sizes belong to sessions and requests: a connect or a
     * WebSocket handle is the wrong type, not a wrong parameter. */
    if (obj->type != WINHTTP_HANDLE_TYPE_SESSION && obj->type != WINHTTP_HANDLE_TYPE_REQUEST)
        return ERROR_WINHTTP_INCORRECT_HANDLE_TYPE;
    return query_fixed(obj, opt, buffer, size);
}

static DWORD query_websocket_keepalive(struct object *obj, const struct option *opt, void *buffer, DWORD *size)
{
    /* Write-only on Windows, on every handle type. */
    return ERROR_INVALID_PARAMETER;
}

static DWORD set_websocket_keepalive(struct object *obj, const struct option *opt, const void *buffer, DWORD size)
{
    struct settings *settings = object_settings(obj);
    DWORD value;

    /* Exactly a DWORD: a shorter or longer buffer is a wrong parameter. */
    if (!buffer || size != sizeof(DWORD) || !settings) return ERROR_INVALID_PARAMETER;
    memcpy(&value, buffer, sizeof(value));
    TRACE("%s = %u\n", opt->name, value);
    if (validate_websocket_keepalive(&value)) return ERROR_INVALID_PARAMETER;
    AcquireSRWLockExclusive(&obj->lock);
    settings->websocket_keepalive_interval = value;
    ReleaseSRWLockExclusive(&obj->lock);
    return ERROR_SUCCESS;
}

/* ------------------------------------------------------------------ */
/* Strings                                                             */

static WCHAR *append(WCHAR *p, const WCHAR *s)
{
    while (*s) *p++ = *s++;
    *p = 0;
    return p;
}

static WCHAR *append_port(WCHAR *p, INTERNET_PORT port)
{
    WCHAR digits[5];
    int n = 0;

    do { digits[n++] = '0' + port % 10; port /= 10; } while (port);
    *p++ = ':';
    while (n) *p++ = digits[--n];
    *p = 0;
    return p;
}

static WCHAR *concat_url(BOOL secure, const WCHAR *host, INTERNET_PORT port, BOOL default_port, const WCHAR *path)
{
    static const WCHAR httpW[] = {'h','t','t','p',':','/','/',0}, httpsW[] = {'h','t','t','p','s',':','/','/',0};
    static const WCHAR openW[] = {'[',0}, closeW[] = {']',0}, slashW[] = {'/',0};
    BOOL brackets = FALSE;
    WCHAR *url, *p;
    const WCHAR *c;

    /* An IPv6 literal needs brackets in a URL (RFC 3986, 3.2.2). */
    for (c = host; *c; c++) if (*c == ':') brackets = host[0] != '[';
    if (!(url = malloc((strlenW(httpsW) + strlenW(host) + 2 + 6 + 1 + strlenW(path) + 1) * sizeof(WCHAR))))
        return NULL;
    p = append(url, secure ? httpsW : httpW);
    if (brackets) p = append(p, openW);
    p = append(p, host);
    if (brackets) p = append(p, closeW);
    if (!default_port) p = append_port(p, port);
    if (path[0] != '/') p = append(p, slashW);
    append(p, path);
    return url;
}

static DWORD get_url(struct object *obj, WCHAR **value)
{
    struct request *req = request_from_object(obj);
    BOOL secure = request_is_secure(req);
    INTERNET_PORT default_port = secure ? INTERNET_DEFAULT_HTTPS_PORT : INTERNET_DEFAULT_HTTP_PORT;

    /* After a request was sent, the engine knows where it went (redirects
     * included); before, the handle's own host, port and path. */
    if ((*value = request_current_url(req))) return ERROR_SUCCESS;
    *value = concat_url(secure, req->connect->hostname, req->port, req->port == default_port, req->path);
    return *value ? ERROR_SUCCESS : ERROR_NOT_ENOUGH_MEMORY;
}

static DWORD copy_string_locked(struct object *obj, WCHAR *const *field, WCHAR **value)
{
    static const WCHAR emptyW[] = {0};

    AcquireSRWLockShared(&obj->lock);
    *value = strdupW(*field ? *field : emptyW);
    ReleaseSRWLockShared(&obj->lock);
    return *value ? ERROR_SUCCESS : ERROR_NOT_ENOUGH_MEMORY;
}

static void replace_string_locked(struct object *obj, WCHAR **field, WCHAR *value, BOOL secret)
{
    WCHAR *old;
    AcquireSRWLockExclusive(&obj->lock);
    old = *field;
    *field = value;
    ReleaseSRWLockExclusive(&obj->lock);
    if (secret) free_secretW(old);
    else free(old);
}

static DWORD get_user_agent(struct object *obj, WCHAR **value)
{
    return copy_string_locked(obj, &session_from_object(obj)->agent, value);
}

static DWORD put_user_agent(struct object *obj, WCHAR *value)
{
    replace_string_locked(obj, &session_from_object(obj)->agent, value, FALSE);
    return ERROR_SUCCESS;
}

static WCHAR **proxy_credential_field(struct object *obj, BOOL password)
{
    if (obj->type == WINHTTP_HANDLE_TYPE_SESSION)
        return password ? &session_from_object(obj)->proxy_password : &session_from_object(obj)->proxy_username;
    return password ? &request_from_object(obj)->proxy_password : &request_from_object(obj)->proxy_username;
}

/* Windows answers these queries (an empty string until set), and only with
 * what WinHttpSetOption stored: credentials given to WinHttpSetCredentials
 * do not show here. */
static DWORD get_username(struct object *obj, WCHAR **value)
{
    return copy_string_locked(obj, &request_from_object(obj)->username, value);
}

static DWORD get_password(struct object *obj, WCHAR **value)
{
    return copy_string_locked(obj, &request_from_object(obj)->password, value);
}

static DWORD get_proxy_username(struct object *obj, WCHAR **value)
{
    return copy_string_locked(obj, proxy_credential_field(obj, FALSE), value);
}

static DWORD get_proxy_password(struct object *obj, WCHAR **value)
{
    return copy_string_locked(obj, proxy_credential_field(obj, TRUE), value);
}

static DWORD put_username(struct object *obj, WCHAR *value)
{
    replace_string_locked(obj, &request_from_object(obj)->username, value, TRUE);
    return ERROR_SUCCESS;
}

static DWORD put_password(struct object *obj, WCHAR *value)
{
    replace_string_locked(obj, &request_from_object(obj)->password, value, TRUE);
    return ERROR_SUCCESS;
}

static DWORD put_proxy_username(struct object *obj, WCHAR *value)
{
    replace_string_locked(obj, proxy_credential_field(obj, FALSE), value, TRUE);
    return ERROR_SUCCESS;
}

static DWORD put_proxy_password(struct object *obj, WCHAR *value)
{
    replace_string_locked(obj, proxy_credential_field(obj, TRUE), value, TRUE);
    return ERROR_SUCCESS;
}

static DWORD put_resolution_hostname(struct object *obj, WCHAR *value)
{
    replace_string_locked(obj, &request_from_object(obj)->resolution_hostname, value, FALSE);
    return ERROR_SUCCESS;
}

static DWORD put_annotation(struct object *obj, WCHAR *value)
{
    if (strlenW(value) > WINHTTP_OPTION_REQUEST_ANNOTATION_MAX_LENGTH)
    {
        free(value);
        return ERROR_INVALID_PARAMETER;
    }
    replace_string_locked(obj, &request_from_object(obj)->annotation, value, FALSE);
    return ERROR_SUCCESS;
}

/* ------------------------------------------------------------------ */
/* Structures with their own rules                                     */

static WCHAR *global_strdupW(const WCHAR *s)
{
    WCHAR *ret;
    size_t size;
    if (!s) return NULL;
    size = (strlenW(s) + 1) * sizeof(WCHAR);
    if ((ret = GlobalAlloc(GMEM_FIXED, size))) memcpy(ret, s, size);
    return ret;
}

/* The session's proxy as WINHTTP_PROXY_INFO, strings malloc'ed. */
static BOOL session_proxy(struct session *session, WINHTTP_PROXY_INFO *info)
{
    AcquireSRWLockShared(&session->obj.lock);
    info->dwAccessType = session->proxy_server ? WINHTTP_ACCESS_TYPE_NAMED_PROXY : WINHTTP_ACCESS_TYPE_NO_PROXY;
    if (!session->proxy_server && session->access_type == WINHTTP_ACCESS_TYPE_AUTOMATIC_PROXY)
        info->dwAccessType = WINHTTP_ACCESS_TYPE_AUTOMATIC_PROXY;
    info->lpszProxy = strdupW(session->proxy_server);
    info->lpszProxyBypass = strdupW(session->proxy_bypass);
    ReleaseSRWLockShared(&session->obj.lock);
    return (!session->proxy_server || info->lpszProxy) && (!session->proxy_bypass || info->lpszProxyBypass);
}

static DWORD query_proxy(struct object *obj, const struct option *opt, void *buffer, DWORD *size)
{
    WINHTTP_PROXY_INFO local = {0}, *out = buffer;
    struct request *req = NULL;
    BOOL ok = TRUE, from_request = FALSE;

    if (obj->type == WINHTTP_HANDLE_TYPE_REQUEST)
    {
        /* A request without its own proxy uses its session's. */
        req = request_from_object(obj);
        AcquireSRWLockShared(&obj->lock);
        if ((from_request = req->proxy_set))
        {
            local.dwAccessType = req->proxy.dwAccessType;
            local.lpszProxy = strdupW(req->proxy.lpszProxy);
            local.lpszProxyBypass = strdupW(req->proxy.lpszProxyBypass);
            ok = (!req->proxy.lpszProxy || local.lpszProxy) && (!req->proxy.lpszProxyBypass || local.lpszProxyBypass);
        }
        ReleaseSRWLockShared(&obj->lock);
    }
    if (!from_request)
        ok = session_proxy(req ? req->connect->session : session_from_object(obj), &local);

    out->dwAccessType = local.dwAccessType;
    out->lpszProxy = global_strdupW(local.lpszProxy);
    out->lpszProxyBypass = global_strdupW(local.lpszProxyBypass);
    if ((local.lpszProxy && !out->lpszProxy) || (local.lpszProxyBypass && !out->lpszProxyBypass)) ok = FALSE;
    free(local.lpszProxy);
    free(local.lpszProxyBypass);
    if (!ok)
    {
        GlobalFree(out->lpszProxy);
        GlobalFree(out->lpszProxyBypass);
        out->lpszProxy = out->lpszProxyBypass = NULL;
        return ERROR_NOT_ENOUGH_MEMORY;
    }
    *size = sizeof(WINHTTP_PROXY_INFO);
    return ERROR_SUCCESS;
}

static DWORD set_proxy(struct object *obj, const struct option *opt, const void *buffer, DWORD size)
{
    const WINHTTP_PROXY_INFO *info = buffer;
    WINHTTP_PROXY_INFO resolved = {0};
    WCHAR *proxy = NULL, *bypass = NULL, *old_proxy, *old_bypass;
    DWORD access = info->dwAccessType;

    TRACE("access %u, proxy %s, bypass %s\n", access, debugstr_w(info->lpszProxy), debugstr_w(info->lpszProxyBypass));
    switch (access)
    {
    case WINHTTP_ACCESS_TYPE_NO_PROXY:
        break;
    case WINHTTP_ACCESS_TYPE_NAMED_PROXY:
        if (!info->lpszProxy || !info->lpszProxy[0]) return ERROR_INVALID_PARAMETER;
        if (!(proxy = strdupW(info->lpszProxy))) return ERROR_NOT_ENOUGH_MEMORY;
        if (info->lpszProxyBypass && !(bypass = strdupW(info->lpszProxyBypass)))
        {
            free(proxy);
            return ERROR_NOT_ENOUGH_MEMORY;
        }
        break;
    case WINHTTP_ACCESS_TYPE_DEFAULT_PROXY:
        /* "The default proxy" is the one WinHttpSetDefaultProxyConfiguration stored. */
        access = WINHTTP_ACCESS_TYPE_NO_PROXY;
        if (proxy_config_get_default(&resolved) && resolved.dwAccessType == WINHTTP_ACCESS_TYPE_NAMED_PROXY)
        {
            access = WINHTTP_ACCESS_TYPE_NAMED_PROXY;
            proxy = strdupW(resolved.lpszProxy);
            bypass = strdupW(resolved.lpszProxyBypass);
        }
        GlobalFree(resolved.lpszProxy);
        GlobalFree(resolved.lpszProxyBypass);
        break;
    default:
        return ERROR_INVALID_PARAMETER;
    }

    AcquireSRWLockExclusive(&obj->lock);
    if (obj->type == WINHTTP_HANDLE_TYPE_SESSION)
    {
        struct session *session = session_from_object(obj);
        old_proxy = session->proxy_server;
        old_bypass = session->proxy_bypass;
        session->proxy_server = proxy;
        session->proxy_bypass = bypass;
        session->access_type = access;
    }
    else
    {
        struct request *req = request_from_object(obj);
        old_proxy = req->proxy.lpszProxy;
        old_bypass = req->proxy.lpszProxyBypass;
        req->proxy.dwAccessType = access;
        req->proxy.lpszProxy = proxy;
        req->proxy.lpszProxyBypass = bypass;
        req->proxy_set = TRUE;
    }
    ReleaseSRWLockExclusive(&obj->lock);
    free(old_proxy);
    free(old_bypass);
    return ERROR_SUCCESS;
}

/* WINHTTP_OPTION_PROXY_RESULT_ENTRY: use one entry of a WinHttpGetProxyResult
 * answer for this request, which is a request proxy setting in disguise. */
static DWORD set_proxy_result_entry(struct object *obj, const struct option *opt, const void *buffer, DWORD size)
{
    const WINHTTP_PROXY_RESULT_ENTRY *entry = buffer;
    WINHTTP_PROXY_INFO info = { WINHTTP_ACCESS_TYPE_NO_PROXY, NULL, NULL };
    WCHAR proxy[256 + 7];

    if (entry->fProxy)
    {
        if (!entry->pwszProxy || !entry->pwszProxy[0] || strlenW(entry->pwszProxy) > 256)
            return ERROR_INVALID_PARAMETER;
        if (entry->ProxyScheme != INTERNET_SCHEME_HTTP && entry->ProxyScheme != INTERNET_SCHEME_HTTPS)
            FIXME("proxy scheme %d not supported, using it as an HTTP proxy\n", entry->ProxyScheme);
        append_port(append(proxy, entry->pwszProxy), entry->ProxyPort);
        info.dwAccessType = WINHTTP_ACCESS_TYPE_NAMED_PROXY;
        info.lpszProxy = proxy;
    }
    return set_proxy(obj, opt, &info, sizeof(info));
}

static DWORD set_client_cert(struct object *obj, const struct option *opt, const void *buffer, DWORD size)
{
    struct request *req = request_from_object(obj);
    const CERT_CONTEXT *cert = NULL;
    const CERT_CONTEXT *old;

    /* WINHTTP_NO_CLIENT_CERT_CONTEXT (NULL, 0): go on without a certificate. */
    if (buffer)
    {
        if (size < sizeof(CERT_CONTEXT)) return ERROR_INSUFFICIENT_BUFFER;
        /* The application may free its context right away (option flags reference). */
        if (!(cert = CertDuplicateCertificateContext(buffer))) return ERROR_INVALID_PARAMETER;
    }
    else if (size) return ERROR_INVALID_PARAMETER;
    /* Only https requests have a certificate to present (Wine's winhttp.c
     * test_secure_connection: WINHTTP_NO_CLIENT_CERT_CONTEXT on a plain
     * request fails so on Windows). */
    if (!request_is_secure(req))
    {
        if (cert) CertFreeCertificateContext(cert);
        return ERROR_WINHTTP_INCORRECT_HANDLE_STATE;
    }

    TRACE("client certificate %p\n", cert);
    AcquireSRWLockExclusive(&obj->lock);
    old = req->client_cert;
    req->client_cert = (void *)cert;
    req->no_client_cert = !cert;
    ReleaseSRWLockExclusive(&obj->lock);
    if (old) CertFreeCertificateContext(old);
    return ERROR_SUCCESS;
}

void option_free_request(struct request *request)
{
    if (request->client_cert) CertFreeCertificateContext(request->client_cert);
    request->client_cert = NULL;
    free(request->resolution_hostname);
    free(request->annotation);
    request->resolution_hostname = request->annotation = NULL;
}

/* WINHTTP_OPTION_RECEIVE_RESPONSE_TIMEOUT as Windows answers it (Wine's
 * conformance tests, run on Windows, record this): INFINITE until the option
 * is set on the handle or its session, and from then on the larger of the
 * value set and the handle's receive timeout (waiting for the head is never
 * bounded tighter than one receive).  The engine uses the value set (90 s
 * by default, as the reference says) together with the receive timeout. */
static DWORD query_receive_response_timeout(struct object *obj, const struct option *opt, void *buffer, DWORD *size)
{
    struct settings *settings = object_settings(obj);
    DWORD value;

    if (!settings) return ERROR_WINHTTP_INCORRECT_HANDLE_TYPE;
    AcquireSRWLockShared(value_lock(obj, opt));
    value = INFINITE;
    if (settings->receive_response_timeout_set)
        value = max((DWORD)settings->receive_response_timeout, (DWORD)settings->receive_timeout);
    ReleaseSRWLockShared(value_lock(obj, opt));
    *(DWORD *)buffer = value;
    *size = sizeof(DWORD);
    return ERROR_SUCCESS;
}

static DWORD set_receive_response_timeout(struct object *obj, const struct option *opt, const void *buffer, DWORD size)
{
    struct settings *settings = object_settings(obj);

    if (!settings) return ERROR_WINHTTP_INCORRECT_HANDLE_TYPE;
    AcquireSRWLockExclusive(value_lock(obj, opt));
    settings->receive_response_timeout = *(const int *)buffer;
    settings->receive_response_timeout_set = TRUE;
    ReleaseSRWLockExclusive(value_lock(obj, opt));
    return ERROR_SUCCESS;
}

/* ------------------------------------------------------------------ */
/* Values only the HTTP / TLS engine knows                             */

/* The engine answers through request->query_engine_option once it has a
 * connection or a response; until then the value does not exist, which
 * Windows reports as ERROR_WINHTTP_INCORRECT_HANDLE_STATE. */
static DWORD query_engine(struct object *obj, const struct option *opt, void *buffer, DWORD *size)
{
    struct request *req = request_from_object(obj);
    DWORD (*hook)(struct request *, DWORD, void *, DWORD *);

    AcquireSRWLockShared(&obj->lock);
    hook = req->query_engine_option;
    ReleaseSRWLockShared(&obj->lock);
    if (!hook) return ERROR_WINHTTP_INCORRECT_HANDLE_STATE;
    return hook(req, opt->id, buffer, size);
}

/* Passport (auth_passport.c): the cobranding and return URL of the
 * request's sign-in; signing out makes the session forget its tickets. */
static DWORD query_passport(struct object *obj, const struct option *opt, void *buffer, DWORD *size)
{
    return auth_passport_query_option(request_from_object(obj), opt->id, buffer, size);
}

static DWORD set_passport_sign_out(struct object *obj, const struct option *opt, const void *buffer, DWORD size)
{
    auth_passport_sign_out(session_from_object(obj));
    return ERROR_SUCCESS;
}

/* The IGNORE_* flags the application set, plus SECURE and the cipher
 * strength once the engine has a TLS connection. */
static DWORD query_security_flags(struct object *obj, const struct option *opt, void *buffer, DWORD *size)
{
    struct request *req = request_from_object(obj);
    DWORD flags, extra = 0, extra_size = sizeof(extra);

    AcquireSRWLockShared(&obj->lock);
    flags = req->settings.security_flags;
    ReleaseSRWLockShared(&obj->lock);
    if (query_engine(obj, opt, &extra, &extra_size) == ERROR_SUCCESS) flags |= extra;
    *(DWORD *)buffer = flags;
    *size = sizeof(DWORD);
    return ERROR_SUCCESS;
}

/* WINHTTP_CONNECTION_INFO needs ws2def.h, which does not mix with the libc
 * headers of this module; its size is all this file needs. */
struct connection_info_layout
{
    DWORD cbSize;
    struct { ULONGLONG storage[16]; } local, remote;    /* SOCKADDR_STORAGE */
};

/* ------------------------------------------------------------------ */
/* The table: every WINHTTP_OPTION_* of the SDK, in numeric order      */

#define SETTING(field) .flags = OF_SETTING, .offset = offsetof(struct settings, field)
#define SETTING_F(field, f) .flags = OF_SETTING | (f), .offset = offsetof(struct settings, field)

static const struct option options[] =
{
    { WINHTTP_OPTION_CALLBACK, "CALLBACK", HT_ANY, 0, KIND_PTR, .get = get_callback },
    { WINHTTP_OPTION_RESOLVE_TIMEOUT, "RESOLVE_TIMEOUT", HT_SCR, HT_SR, KIND_DWORD, SETTING(resolve_timeout) },
    { WINHTTP_OPTION_CONNECT_TIMEOUT, "CONNECT_TIMEOUT", HT_SCR, HT_SR, KIND_DWORD, SETTING(connect_timeout) },
    { WINHTTP_OPTION_CONNECT_RETRIES, "CONNECT_RETRIES", HT_SCR, HT_SR, KIND_DWORD, SETTING(connect_retries) },
    { WINHTTP_OPTION_SEND_TIMEOUT, "SEND_TIMEOUT", HT_SCR, HT_SR, KIND_DWORD, SETTING(send_timeout) },
    { WINHTTP_OPTION_RECEIVE_TIMEOUT, "RECEIVE_TIMEOUT", HT_SCR, HT_SR, KIND_DWORD, SETTING(receive_timeout) },
    { WINHTTP_OPTION_RECEIVE_RESPONSE_TIMEOUT, "RECEIVE_RESPONSE_TIMEOUT", HT_SCR, HT_SR, KIND_DWORD,
      SETTING(receive_response_timeout), .query = query_receive_response_timeout,
      .set = set_receive_response_timeout },
    { WINHTTP_OPTION_HANDLE_TYPE, "HANDLE_TYPE", HT_ANY, 0, KIND_DWORD, .get = get_handle_type },
    /* "Reserved for internal use"; kept because programs set them anyway. */
    { WINHTTP_OPTION_READ_BUFFER_SIZE, "READ_BUFFER_SIZE", HT_SR, HT_SR, KIND_DWORD, SETTING(read_buffer_size),
      .validate = validate_nonzero },
    { WINHTTP_OPTION_WRITE_BUFFER_SIZE, "WRITE_BUFFER_SIZE", HT_SR, HT_SR, KIND_DWORD, SETTING(write_buffer_size),
      .validate = validate_nonzero },
    { WINHTTP_OPTION_PARENT_HANDLE, "PARENT_HANDLE", HT_ANY, 0, KIND_PTR, .get = get_parent },
    /* "You can pass NULL as the handle value." */
    { WINHTTP_OPTION_EXTENDED_ERROR, "EXTENDED_ERROR", HT_NULL | HT_ANY, 0, KIND_DWORD, .get = get_extended_error },
    { WINHTTP_OPTION_SECURITY_FLAGS, "SECURITY_FLAGS", HT_REQUEST, HT_REQUEST, KIND_DWORD, SETTING(security_flags),
      .validate = validate_security_flags, .query = query_security_flags },
    { WINHTTP_OPTION_SECURITY_CERTIFICATE_STRUCT, "SECURITY_CERTIFICATE_STRUCT", HT_REQUEST, 0, KIND_ENGINE,
      .size = sizeof(WINHTTP_CERTIFICATE_INFO) },
    { WINHTTP_OPTION_URL, "URL", HT_REQUEST, 0, KIND_STRING, .get_string = get_url },
    { WINHTTP_OPTION_SECURITY_KEY_BITNESS, "SECURITY_KEY_BITNESS", HT_REQUEST, 0, KIND_ENGINE, .size = sizeof(DWORD) },
    { WINHTTP_OPTION_PROXY, "PROXY", HT_SR, HT_SR, KIND_STRUCT, .size = sizeof(WINHTTP_PROXY_INFO),
      .query = query_proxy, .set = set_proxy },
    { WINHTTP_OPTION_PROXY_RESULT_ENTRY, "PROXY_RESULT_ENTRY", 0, HT_REQUEST, KIND_STRUCT,
      .size = sizeof(WINHTTP_PROXY_RESULT_ENTRY), .set = set_proxy_result_entry },
    { WINHTTP_OPTION_USER_AGENT, "USER_AGENT", HT_SESSION, HT_SESSION, KIND_STRING, .flags = OF_CHARS,
      .get_string = get_user_agent, .put_string = put_user_agent },
    { WINHTTP_OPTION_CONTEXT_VALUE, "CONTEXT_VALUE", HT_ANY, HT_ANY, KIND_PTR, .get = get_context, .put = put_context },
    { WINHTTP_OPTION_CLIENT_CERT_CONTEXT, "CLIENT_CERT_CONTEXT", 0, HT_REQUEST, KIND_CUSTOM, .set = set_client_cert },
    { WINHTTP_OPTION_REQUEST_PRIORITY, "REQUEST_PRIORITY", HT_REQUEST, HT_REQUEST, KIND_DWORD,
      SETTING_F(request_priority, OF_FIXME) },
    /* Process-wide: HTTP/1.1 unless told HTTP/1.0. */
    { WINHTTP_OPTION_HTTP_VERSION, "HTTP_VERSION", HT_NULL | HT_ANY, HT_NULL | HT_ANY, KIND_STRUCT,
      .size = sizeof(HTTP_VERSION_INFO), .validate = validate_http_version, .get = get_http_version,
      .put = put_http_version },
    { WINHTTP_OPTION_DISABLE_FEATURE, "DISABLE_FEATURE", 0, HT_REQUEST, KIND_DWORD,
      SETTING_F(disable_flags, OF_OR) },
    { WINHTTP_OPTION_CODEPAGE, "CODEPAGE", HT_SR, HT_SR, KIND_DWORD, SETTING_F(codepage, OF_FIXME) },
    { WINHTTP_OPTION_MAX_CONNS_PER_SERVER, "MAX_CONNS_PER_SERVER", HT_SESSION, HT_SESSION, KIND_DWORD,
      SETTING(max_conns_per_server), .validate = validate_nonzero },
    { WINHTTP_OPTION_MAX_CONNS_PER_1_0_SERVER, "MAX_CONNS_PER_1_0_SERVER", HT_SESSION, HT_SESSION, KIND_DWORD,
      SETTING(max_conns_per_1_0_server), .validate = validate_nonzero },
    { WINHTTP_OPTION_AUTOLOGON_POLICY, "AUTOLOGON_POLICY", HT_SR, HT_SR, KIND_DWORD, SETTING(autologon_policy),
      .validate = validate_autologon_policy },
    { WINHTTP_OPTION_SERVER_CERT_CONTEXT, "SERVER_CERT_CONTEXT", HT_REQUEST, 0, KIND_ENGINE,
      .size = sizeof(PCCERT_CONTEXT) },
    { WINHTTP_OPTION_ENABLE_FEATURE, "ENABLE_FEATURE", 0, HT_SR, KIND_DWORD, SETTING_F(enable_features, OF_OR),
      .validate = validate_enable_feature },
    { WINHTTP_OPTION_WORKER_THREAD_COUNT, "WORKER_THREAD_COUNT", HT_NULL | HT_ANY, HT_NULL, KIND_DWORD,
      .get = get_worker_thread_count, .put = put_worker_thread_count },
    { WINHTTP_OPTION_PASSPORT_COBRANDING_TEXT, "PASSPORT_COBRANDING_TEXT", HT_REQUEST, 0, KIND_ENGINE,
      .query = query_passport },
    { WINHTTP_OPTION_PASSPORT_COBRANDING_URL, "PASSPORT_COBRANDING_URL", HT_REQUEST, 0, KIND_ENGINE,
      .query = query_passport },
    { WINHTTP_OPTION_CONFIGURE_PASSPORT_AUTH, "CONFIGURE_PASSPORT_AUTH", HT_SESSION, HT_SESSION, KIND_DWORD,
      SETTING(passport_flags), .validate = validate_passport_flags },
    { WINHTTP_OPTION_SECURE_PROTOCOLS, "SECURE_PROTOCOLS", HT_SESSION, HT_SESSION, KIND_DWORD,
      SETTING(secure_protocols), .validate = validate_secure_protocols },
    { WINHTTP_OPTION_ENABLETRACING, "ENABLETRACING", HT_NULL, HT_NULL, KIND_BOOL, .flags = OF_FIXME,
      .get = get_tracing, .put = put_tracing },
    { WINHTTP_OPTION_PASSPORT_SIGN_OUT, "PASSPORT_SIGN_OUT", 0, HT_SESSION, KIND_CUSTOM, .set = set_passport_sign_out },
    { WINHTTP_OPTION_PASSPORT_RETURN_URL, "PASSPORT_RETURN_URL", HT_REQUEST, 0, KIND_ENGINE,
      .query = query_passport },
    { WINHTTP_OPTION_REDIRECT_POLICY, "REDIRECT_POLICY", HT_SR, HT_SR, KIND_DWORD, SETTING(redirect_policy),
      .validate = validate_redirect_policy },
    { WINHTTP_OPTION_MAX_HTTP_AUTOMATIC_REDIRECTS, "MAX_HTTP_AUTOMATIC_REDIRECTS", HT_SR, HT_SR, KIND_DWORD,
      SETTING(max_redirects) },
    { WINHTTP_OPTION_MAX_HTTP_STATUS_CONTINUE, "MAX_HTTP_STATUS_CONTINUE", HT_SR, HT_SR, KIND_DWORD,
      SETTING(max_status_1xx) },
    { WINHTTP_OPTION_MAX_RESPONSE_HEADER_SIZE, "MAX_RESPONSE_HEADER_SIZE", HT_SR, HT_SR, KIND_DWORD,
      SETTING(max_response_header_size), .validate = validate_nonzero },
    { WINHTTP_OPTION_MAX_RESPONSE_DRAIN_SIZE, "MAX_RESPONSE_DRAIN_SIZE", HT_SR, HT_SR, KIND_DWORD,
      SETTING(max_response_drain_size) },
    { WINHTTP_OPTION_CONNECTION_INFO, "CONNECTION_INFO", HT_REQUEST, 0, KIND_ENGINE,
      .size = sizeof(struct connection_info_layout) },
    /* A pointer to a SecPkgContext_IssuerListInfoEx the application GlobalFree's. */
    { WINHTTP_OPTION_CLIENT_CERT_ISSUER_LIST, "CLIENT_CERT_ISSUER_LIST", HT_REQUEST, 0, KIND_ENGINE,
      .size = sizeof(void *) },
    { WINHTTP_OPTION_SPN, "SPN", HT_REQUEST, HT_REQUEST, KIND_DWORD, SETTING(spn_mode), .validate = validate_spn },
    /* WINHTTP_CREDS(_EX) carry passwords; nothing here would use them. */
    { WINHTTP_OPTION_GLOBAL_PROXY_CREDS, "GLOBAL_PROXY_CREDS", 0, HT_SR, KIND_IGNORED },
    { WINHTTP_OPTION_GLOBAL_SERVER_CREDS, "GLOBAL_SERVER_CREDS", 0, HT_SR, KIND_IGNORED },
    { WINHTTP_OPTION_UNLOAD_NOTIFY_EVENT, "UNLOAD_NOTIFY_EVENT", 0, HT_NULL | HT_SESSION, KIND_PTR,
      .put = put_unload_event },
    { WINHTTP_OPTION_REJECT_USERPWD_IN_URL, "REJECT_USERPWD_IN_URL", HT_SR, HT_SR, KIND_BOOL,
      SETTING(reject_userpwd_in_url) },
    { WINHTTP_OPTION_USE_GLOBAL_SERVER_CREDENTIALS, "USE_GLOBAL_SERVER_CREDENTIALS", HT_SR, HT_SR, KIND_BOOL,
      SETTING_F(use_global_server_credentials, OF_FIXME) },
    { WINHTTP_OPTION_RECEIVE_PROXY_CONNECT_RESPONSE, "RECEIVE_PROXY_CONNECT_RESPONSE", HT_REQUEST, HT_REQUEST,
      KIND_BOOL, SETTING(receive_proxy_connect_response) },
    { WINHTTP_OPTION_IS_PROXY_CONNECT_RESPONSE, "IS_PROXY_CONNECT_RESPONSE", HT_REQUEST, 0, KIND_BOOL,
      .get = get_is_proxy_connect_response },
    { WINHTTP_OPTION_SERVER_SPN_USED, "SERVER_SPN_USED", HT_REQUEST, 0, KIND_ENGINE },
    { WINHTTP_OPTION_PROXY_SPN_USED, "PROXY_SPN_USED", HT_REQUEST, 0, KIND_ENGINE },
    { WINHTTP_OPTION_SERVER_CBT, "SERVER_CBT", HT_REQUEST, 0, KIND_ENGINE },
    { WINHTTP_OPTION_UNSAFE_HEADER_PARSING, "UNSAFE_HEADER_PARSING", 0, HT_REQUEST, KIND_DWORD,
      SETTING(unsafe_header_parsing) },
    { WINHTTP_OPTION_ASSURED_NON_BLOCKING_CALLBACKS, "ASSURED_NON_BLOCKING_CALLBACKS", HT_SR, HT_SR, KIND_BOOL,
      SETTING(assured_non_blocking_callbacks) },
    { WINHTTP_OPTION_UPGRADE_TO_WEB_SOCKET, "UPGRADE_TO_WEB_SOCKET", 0, HT_REQUEST, KIND_NONE,
      .put = put_upgrade_to_websocket },
    { WINHTTP_OPTION_WEB_SOCKET_CLOSE_TIMEOUT, "WEB_SOCKET_CLOSE_TIMEOUT", HT_SRW, HT_SRW, KIND_DWORD,
      SETTING(websocket_close_timeout) },
    { WINHTTP_OPTION_WEB_SOCKET_KEEPALIVE_INTERVAL, "WEB_SOCKET_KEEPALIVE_INTERVAL", HT_SRW, HT_WEBSOCKET, KIND_CUSTOM,
      .query = query_websocket_keepalive, .set = set_websocket_keepalive },
    { WINHTTP_OPTION_DECOMPRESSION, "DECOMPRESSION", HT_SR, HT_SR, KIND_DWORD, SETTING(decompression),
      .validate = validate_decompression, .set = set_decompression },
    { WINHTTP_OPTION_WEB_SOCKET_RECEIVE_BUFFER_SIZE, "WEB_SOCKET_RECEIVE_BUFFER_SIZE", HT_SCR | HT_WEBSOCKET, HT_SR,
      KIND_DWORD, SETTING(websocket_receive_buffer_size), .validate = validate_nonzero,
      .query = query_websocket_buffer_size },
    { WINHTTP_OPTION_WEB_SOCKET_SEND_BUFFER_SIZE, "WEB_SOCKET_SEND_BUFFER_SIZE", HT_SCR | HT_WEBSOCKET, HT_SR,
      KIND_DWORD, SETTING(websocket_send_buffer_size), .validate = validate_nonzero,
      .query = query_websocket_buffer_size },
    { WINHTTP_OPTION_TCP_PRIORITY_HINT, "TCP_PRIORITY_HINT", HT_SR, HT_SR, KIND_DWORD,
      SETTING_F(tcp_priority_hint, OF_FIXME) },
    { WINHTTP_OPTION_CONNECTION_FILTER, "CONNECTION_FILTER", 0, HT_SR, KIND_IGNORED },
    { WINHTTP_OPTION_ENABLE_HTTP_PROTOCOL, "ENABLE_HTTP_PROTOCOL", HT_SR, HT_SR, KIND_DWORD,
      SETTING(http_protocol_enable), .validate = validate_http_protocol },
    { WINHTTP_OPTION_HTTP_PROTOCOL_USED, "HTTP_PROTOCOL_USED", HT_REQUEST, 0, KIND_DWORD,
      SETTING(http_protocol_used) },
    { WINHTTP_OPTION_KDC_PROXY_SETTINGS, "KDC_PROXY_SETTINGS", 0, HT_SR, KIND_IGNORED },
    { WINHTTP_OPTION_PROXY_DISABLE_SERVICE_CALLS, "PROXY_DISABLE_SERVICE_CALLS", HT_SESSION, HT_SESSION, KIND_BOOL,
      SETTING(proxy_disable_service_calls) },
    { WINHTTP_OPTION_ENCODE_EXTRA, "ENCODE_EXTRA", HT_SR, HT_SR, KIND_BOOL, SETTING_F(encode_extra, OF_FIXME) },
    { WINHTTP_OPTION_DISABLE_STREAM_QUEUE, "DISABLE_STREAM_QUEUE", HT_SR, HT_SR, KIND_BOOL,
      SETTING(disable_stream_queue) },
    { WINHTTP_OPTION_IPV6_FAST_FALLBACK, "IPV6_FAST_FALLBACK", HT_SESSION, HT_SESSION, KIND_BOOL,
      SETTING(ipv6_fast_fallback) },
    { WINHTTP_OPTION_CONNECTION_STATS_V0, "CONNECTION_STATS_V0", HT_REQUEST, 0, KIND_ENGINE },
    { WINHTTP_OPTION_REQUEST_TIMES, "REQUEST_TIMES", HT_REQUEST, 0, KIND_ENGINE, .size = sizeof(WINHTTP_REQUEST_TIMES) },
    { WINHTTP_OPTION_EXPIRE_CONNECTION, "EXPIRE_CONNECTION", 0, HT_REQUEST, KIND_IGNORED },
    { WINHTTP_OPTION_DISABLE_SECURE_PROTOCOL_FALLBACK, "DISABLE_SECURE_PROTOCOL_FALLBACK", HT_SR, HT_SR, KIND_BOOL,
      SETTING(disable_secure_protocol_fallback) },
    { WINHTTP_OPTION_HTTP_PROTOCOL_REQUIRED, "HTTP_PROTOCOL_REQUIRED", HT_SR, HT_SR, KIND_BOOL,
      SETTING(http_protocol_required) },
    { WINHTTP_OPTION_REQUEST_STATS, "REQUEST_STATS", HT_REQUEST, 0, KIND_ENGINE, .size = sizeof(WINHTTP_REQUEST_STATS) },
    { WINHTTP_OPTION_SERVER_CERT_CHAIN_CONTEXT, "SERVER_CERT_CHAIN_CONTEXT", HT_REQUEST, 0, KIND_ENGINE,
      .size = sizeof(void *) },
    { WINHTTP_OPTION_CONNECTION_STATS_V1, "CONNECTION_STATS_V1", HT_REQUEST, 0, KIND_ENGINE },
    { WINHTTP_OPTION_SECURITY_INFO, "SECURITY_INFO", HT_REQUEST, 0, KIND_ENGINE },
    /* struct tcp_keepalive of mstcpip.h: onoff, keepalivetime, keepaliveinterval */
    { WINHTTP_OPTION_TCP_KEEPALIVE, "TCP_KEEPALIVE", HT_SESSION, HT_SESSION, KIND_STRUCT,
      .size = 3 * sizeof(ULONG), SETTING_F(tcp_keepalive, OF_FIXME) },
    { WINHTTP_OPTION_TCP_FAST_OPEN, "TCP_FAST_OPEN", HT_SESSION, HT_SESSION, KIND_BOOL, SETTING(tcp_fast_open) },
    { WINHTTP_OPTION_TLS_FALSE_START, "TLS_FALSE_START", HT_SESSION, HT_SESSION, KIND_BOOL, SETTING(tls_false_start) },
    { WINHTTP_OPTION_IGNORE_CERT_REVOCATION_OFFLINE, "IGNORE_CERT_REVOCATION_OFFLINE", HT_SR, HT_SR, KIND_BOOL,
      SETTING(ignore_cert_revocation_offline) },
    { WINHTTP_OPTION_TLS_PROTOCOL_INSECURE_FALLBACK, "TLS_PROTOCOL_INSECURE_FALLBACK", HT_SR, HT_SR, KIND_BOOL,
      SETTING(tls_protocol_insecure_fallback) },
    { WINHTTP_OPTION_STREAM_ERROR_CODE, "STREAM_ERROR_CODE", HT_REQUEST, 0, KIND_ENGINE, .size = sizeof(DWORD) },
    /* Ours (include/winhttp_wine.h): whget -v shows it. */
    { WINHTTP_OPTION_WINE_HTTP2_STREAM_ID, "WINE_HTTP2_STREAM_ID", HT_REQUEST, 0, KIND_ENGINE, .size = sizeof(DWORD) },
    { WINHTTP_OPTION_REQUIRE_STREAM_END, "REQUIRE_STREAM_END", HT_SR, HT_SR, KIND_BOOL,
      SETTING_F(require_stream_end, OF_FIXME) },
    { WINHTTP_OPTION_ENABLE_HTTP2_PLUS_CLIENT_CERT, "ENABLE_HTTP2_PLUS_CLIENT_CERT", HT_SR, HT_SR, KIND_BOOL,
      SETTING(enable_http2_plus_client_cert) },
    { WINHTTP_OPTION_FAILED_CONNECTION_RETRIES, "FAILED_CONNECTION_RETRIES", HT_SR, HT_SR, KIND_STRUCT,
      .size = sizeof(WINHTTP_FAILED_CONNECTION_RETRIES), SETTING_F(failed_connection_retries, OF_FIXME) },
    { WINHTTP_OPTION_SET_GLOBAL_CALLBACK, "SET_GLOBAL_CALLBACK", 0, HT_NULL | HT_SESSION, KIND_IGNORED },
    { WINHTTP_OPTION_HTTP2_KEEPALIVE, "HTTP2_KEEPALIVE", HT_SR, HT_SR, KIND_DWORD, SETTING(http2_keepalive) },
    { WINHTTP_OPTION_RESOLUTION_HOSTNAME, "RESOLUTION_HOSTNAME", 0, HT_REQUEST, KIND_STRING, .flags = OF_FIXME,
      .put_string = put_resolution_hostname },
    /* Token binding left the platform; accepted so programs that still set it go on. */
    { WINHTTP_OPTION_SET_TOKEN_BINDING, "SET_TOKEN_BINDING", 0, HT_REQUEST, KIND_IGNORED },
    { WINHTTP_OPTION_TOKEN_BINDING_PUBLIC_KEY, "TOKEN_BINDING_PUBLIC_KEY", HT_REQUEST, 0, KIND_ENGINE },
    { WINHTTP_OPTION_REFERER_TOKEN_BINDING_HOSTNAME, "REFERER_TOKEN_BINDING_HOSTNAME", 0, HT_REQUEST, KIND_IGNORED },
    { WINHTTP_OPTION_HTTP2_PLUS_TRANSFER_ENCODING, "HTTP2_PLUS_TRANSFER_ENCODING", HT_SR, HT_SR, KIND_BOOL,
      SETTING(http2_plus_transfer_encoding) },
    { WINHTTP_OPTION_RESOLVER_CACHE_CONFIG, "RESOLVER_CACHE_CONFIG", HT_SESSION, HT_SESSION, KIND_STRUCT,
      .size = sizeof(WINHTTP_RESOLVER_CACHE_CONFIG), SETTING_F(resolver_cache_config, OF_FIXME) },
    { WINHTTP_OPTION_DISABLE_CERT_CHAIN_BUILDING, "DISABLE_CERT_CHAIN_BUILDING", HT_SR, HT_SR, KIND_BOOL,
      SETTING(disable_cert_chain_building) },
    { WINHTTP_OPTION_BACKGROUND_CONNECTIONS, "BACKGROUND_CONNECTIONS", HT_SESSION, HT_SESSION, KIND_DWORD,
      SETTING_F(background_connections, OF_FIXME) },
    { WINHTTP_OPTION_TCP_PRIORITY_STATUS, "TCP_PRIORITY_STATUS", HT_REQUEST, 0, KIND_ENGINE },
    { WINHTTP_OPTION_CONNECTION_GUID, "CONNECTION_GUID", HT_REQUEST, 0, KIND_ENGINE, .size = sizeof(GUID) },
    { WINHTTP_OPTION_MATCH_CONNECTION_GUID, "MATCH_CONNECTION_GUID", HT_REQUEST, HT_REQUEST, KIND_STRUCT,
      .size = sizeof(WINHTTP_MATCH_CONNECTION_GUID), SETTING_F(match_connection_guid, OF_FIXME) },
    { WINHTTP_OPTION_PROXY_CONFIG_INFO, "PROXY_CONFIG_INFO", 0, HT_SR, KIND_IGNORED },
    { WINHTTP_OPTION_HTTP2_RECEIVE_WINDOW, "HTTP2_RECEIVE_WINDOW", HT_SR, HT_SR, KIND_DWORD,
      SETTING_F(http2_receive_window, OF_FIXME) },
    /* Programs probe features through it and fall back when it fails, as on
     * the releases before it; failing tells them nothing false. */
    { WINHTTP_OPTION_FEATURE_SUPPORTED, "FEATURE_SUPPORTED", HT_NULL | HT_ANY, 0, KIND_UNSUPPORTED },
    { WINHTTP_OPTION_QUIC_STATS, "QUIC_STATS", HT_REQUEST, 0, KIND_ENGINE },
    { WINHTTP_OPTION_HTTP3_KEEPALIVE, "HTTP3_KEEPALIVE", HT_SR, HT_SR, KIND_DWORD, SETTING_F(http3_keepalive, OF_FIXME) },
    { WINHTTP_OPTION_HTTP3_HANDSHAKE_TIMEOUT, "HTTP3_HANDSHAKE_TIMEOUT", HT_SR, HT_SR, KIND_DWORD,
      SETTING_F(http3_handshake_timeout, OF_FIXME) },
    { WINHTTP_OPTION_HTTP3_INITIAL_RTT, "HTTP3_INITIAL_RTT", HT_SR, HT_SR, KIND_DWORD,
      SETTING_F(http3_initial_rtt, OF_FIXME) },
    { WINHTTP_OPTION_HTTP3_STREAM_ERROR_CODE, "HTTP3_STREAM_ERROR_CODE", HT_REQUEST, 0, KIND_ENGINE },
    { WINHTTP_OPTION_REQUEST_ANNOTATION, "REQUEST_ANNOTATION", 0, HT_REQUEST, KIND_STRING, .flags = OF_FIXME,
      .put_string = put_annotation },
    { WINHTTP_OPTION_DISABLE_GLOBAL_POOLING, "DISABLE_GLOBAL_POOLING", HT_SESSION, HT_SESSION, KIND_BOOL,
      SETTING_F(disable_global_pooling, OF_FIXME) },
    { WINHTTP_OPTION_USE_SESSION_SCH_CRED, "USE_SESSION_SCH_CRED", HT_SESSION, HT_SESSION, KIND_BOOL,
      SETTING_F(use_session_sch_cred, OF_FIXME) },
    /* Readable, as on Windows (the reference says "sets or retrieves"), but
     * never traced, and our copies are wiped when freed. */
    { WINHTTP_OPTION_USERNAME, "USERNAME", HT_REQUEST, HT_REQUEST, KIND_STRING, .flags = OF_CHARS | OF_SECRET,
      .get_string = get_username, .put_string = put_username },
    { WINHTTP_OPTION_PASSWORD, "PASSWORD", HT_REQUEST, HT_REQUEST, KIND_STRING, .flags = OF_CHARS | OF_SECRET,
      .get_string = get_password, .put_string = put_password },
    { WINHTTP_OPTION_PROXY_USERNAME, "PROXY_USERNAME", HT_SR, HT_SR, KIND_STRING, .flags = OF_CHARS | OF_SECRET,
      .get_string = get_proxy_username, .put_string = put_proxy_username },
    { WINHTTP_OPTION_PROXY_PASSWORD, "PROXY_PASSWORD", HT_SR, HT_SR, KIND_STRING, .flags = OF_CHARS | OF_SECRET,
      .get_string = get_proxy_password, .put_string = put_proxy_password },
};

static LONG fixme_reported[ARRAY_SIZE(options)];

static const struct option *find_option(DWORD id)
{
    size_t i;
    for (i = 0; i < ARRAY_SIZE(options); i++) if (options[i].id == id) return &options[i];
    return NULL;
}

static const char *option_name(DWORD id)
{
    const struct option *opt = find_option(id);
    return opt ? opt->name : "unknown";
}

static void fixme_once(const struct option *opt, const char *what)
{
    if (!InterlockedExchange(&fixme_reported[opt - options], 1))
        FIXME("WINHTTP_OPTION_%s: %s\n", opt->name, what);
}

static unsigned int handle_type_bit(const struct object *obj)
{
    if (!obj) return HT_NULL;
    return obj->type < 32 ? 1u << obj->type : 0;
}

/* Bytes of a fixed-size value, 0 for the others. */
static DWORD value_size(const struct option *opt)
{
    switch (opt->kind)
    {
    case KIND_DWORD:
    case KIND_BOOL:   return sizeof(DWORD);
    case KIND_PTR:    return sizeof(DWORD_PTR);
    case KIND_STRUCT:
    case KIND_ENGINE: return opt->size;
    default:          return 0;
    }
}

/* ------------------------------------------------------------------ */
/* Query                                                               */

static DWORD query_string(struct object *obj, const struct option *opt, void *buffer, DWORD *size)
{
    WCHAR *value;
    DWORD len, ret;

    if ((ret = opt->get_string(obj, &value))) return ret;
    len = strlenW(value) * sizeof(WCHAR);
    if (!buffer || *size < len + sizeof(WCHAR))
    {
        *size = len + sizeof(WCHAR);
        ret = ERROR_INSUFFICIENT_BUFFER;
    }
    else
    {
        memcpy(buffer, value, len + sizeof(WCHAR));
        *size = len;
    }
    if (opt->flags & OF_SECRET) free_secretW(value);
    else free(value);
    return ret;
}

static DWORD query_fixed(struct object *obj, const struct option *opt, void *buffer, DWORD *size)
{
    struct settings *settings = object_settings(obj);
    union { ULONGLONG align; BYTE bytes[64]; } value;
    DWORD needed = value_size(opt);

    if (needed > sizeof(value)) return ERROR_WINHTTP_INTERNAL_ERROR;
    if ((opt->flags & OF_SETTING) && !settings) return ERROR_WINHTTP_INCORRECT_HANDLE_TYPE;
    AcquireSRWLockShared(value_lock(obj, opt));
    if (opt->get) opt->get(obj, value.bytes);
    else memcpy(value.bytes, (const BYTE *)settings + opt->offset, needed);
    ReleaseSRWLockShared(value_lock(obj, opt));
    memcpy(buffer, value.bytes, needed);
    *size = needed;
    return ERROR_SUCCESS;
}

static DWORD query_option(struct object *obj, const struct option *opt, void *buffer, DWORD *size)
{
    DWORD needed;

    /* An option Windows does not know: a query is a bad parameter (Wine's
     * conformance tests query option 0), a set an invalid option. */
    if (!opt) return ERROR_INVALID_PARAMETER;
    /* The feature switches are set-only; Windows refuses to read them with
     * ERROR_INVALID_PARAMETER, the other set-only options as unknown. */
    if (!opt->query_on) return (opt->flags & OF_OR) ? ERROR_INVALID_PARAMETER : ERROR_WINHTTP_INVALID_OPTION;
    if (opt->kind == KIND_UNSUPPORTED)
    {
        fixme_once(opt, "not supported");
        return ERROR_WINHTTP_INVALID_OPTION;
    }
    if (!(opt->query_on & handle_type_bit(obj))) return ERROR_INVALID_PARAMETER;
    if (!size) return ERROR_INVALID_PARAMETER;

    if ((needed = value_size(opt)) && (!buffer || *size < needed))
    {
        *size = needed;
        return ERROR_INSUFFICIENT_BUFFER;
    }
    if (opt->query) return opt->query(obj, opt, buffer, size);
    switch (opt->kind)
    {
    case KIND_STRING: return query_string(obj, opt, buffer, size);
    case KIND_ENGINE: return query_engine(obj, opt, buffer, size);
    default:          return query_fixed(obj, opt, buffer, size);
    }
}

static void trace_query_result(const struct option *opt, DWORD ret, const void *buffer, const DWORD *size)
{
    if (!TRACE_ON(winhttp)) return;
    if (ret)
    {
        TRACE("failed with %u%s\n", ret, ret == ERROR_INSUFFICIENT_BUFFER && size ? wine_dbg_sprintf(", %u bytes needed", *size) : "");
        return;
    }
    switch (opt->kind)
    {
    case KIND_DWORD:
    case KIND_BOOL:   TRACE("-> %#x\n", *(const DWORD *)buffer); break;
    case KIND_PTR:    TRACE("-> %#lx\n", *(const DWORD_PTR *)buffer); break;
    case KIND_STRING:
        if (opt->flags & OF_SECRET) TRACE("-> %u characters\n", *size / (DWORD)sizeof(WCHAR));
        else TRACE("-> %s\n", debugstr_wn(buffer, *size / sizeof(WCHAR)));
        break;
    default:          TRACE("-> %u bytes\n", *size); break;
    }
}

BOOL option_query(struct object *obj, DWORD option, void *buffer, DWORD *size)
{
    const struct option *opt = find_option(option);
    DWORD ret = query_option(obj, opt, buffer, size);

    if (opt) trace_query_result(opt, ret, buffer, size);
    SetLastError(ret);
    return !ret;
}

BOOL WINAPI WinHttpQueryOption(HINTERNET handle, DWORD option, void *buffer, DWORD *size)
{
    const struct option *opt = find_option(option);
    struct object *obj = NULL;
    BOOL ret;

    TRACE("(%p, %u (%s), %p, %p (%u))\n", handle, option, option_name(option), buffer, size, size ? *size : 0);

    /* Process-wide options take the NULL handle. */
    if (handle || !opt || !(opt->query_on & HT_NULL))
    {
        if (!(obj = grab_object(handle))) return FALSE;
    }
    ret = option_query(obj, option, buffer, size);
    release_object(obj);
    return ret;
}

/* ------------------------------------------------------------------ */
/* Set                                                                 */

static DWORD set_string(struct object *obj, const struct option *opt, const void *buffer, DWORD size)
{
    /* The length is in characters for the options the reference lists, in
     * bytes for the rest; a terminator inside it ends the string. */
    size_t max = (opt->flags & OF_CHARS) ? size : size / sizeof(WCHAR), len = 0;
    const WCHAR *text = buffer;
    WCHAR *value = NULL;

    if (!buffer && size) return ERROR_INVALID_PARAMETER;
    if (buffer)
    {
        while (len < max && text[len]) len++;
        if (!(value = strndupW(text, len))) return ERROR_NOT_ENOUGH_MEMORY;
    }
    if (opt->flags & OF_SECRET) TRACE("%s set (%lu characters)\n", opt->name, (SIZE_T)len);
    else TRACE("%s = %s\n", opt->name, debugstr_w(value));
    return opt->put_string(obj, value);
}

static DWORD store_fixed(struct object *obj, const struct option *opt, const void *value, DWORD size)
{
    struct settings *settings = object_settings(obj);

    if ((opt->flags & OF_SETTING) && !settings) return ERROR_WINHTTP_INCORRECT_HANDLE_TYPE;
    AcquireSRWLockExclusive(value_lock(obj, opt));
    if (opt->put) opt->put(obj, value);
    else if (opt->flags & OF_OR) *(DWORD *)((BYTE *)settings + opt->offset) |= *(const DWORD *)value;
    else memcpy((BYTE *)settings + opt->offset, value, size);
    ReleaseSRWLockExclusive(value_lock(obj, opt));
    return ERROR_SUCCESS;
}

static DWORD set_option(struct object *obj, const struct option *opt, const void *buffer, DWORD size)
{
    union { ULONGLONG align; BYTE bytes[64]; } value;
    DWORD needed, ret;

    if (!opt) return ERROR_WINHTTP_INVALID_OPTION;
    if (opt->kind == KIND_UNSUPPORTED)
    {
        fixme_once(opt, "not supported");
        return ERROR_WINHTTP_INVALID_OPTION;
    }
    if (!opt->set_on) return ERROR_WINHTTP_OPTION_NOT_SETTABLE;
    if (!(opt->set_on & handle_type_bit(obj))) return ERROR_WINHTTP_INCORRECT_HANDLE_TYPE;

    switch (opt->kind)
    {
    case KIND_CUSTOM:
        return opt->set(obj, opt, buffer, size);
    case KIND_IGNORED:
        fixme_once(opt, "not implemented, ignored");
        return ERROR_SUCCESS;
    case KIND_NONE:
        TRACE("%s\n", opt->name);
        return store_fixed(obj, opt, NULL, 0);
    case KIND_STRING:
        if ((ret = set_string(obj, opt, buffer, size))) return ret;
        break;
    default:
        needed = value_size(opt);
        if (!buffer || !size) return ERROR_INVALID_PARAMETER;
        if (size < needed) return ERROR_INSUFFICIENT_BUFFER;
        /* A DWORD of any other size is refused, larger too (Windows). */
        if ((opt->kind == KIND_DWORD || opt->kind == KIND_BOOL) && size != needed) return ERROR_INSUFFICIENT_BUFFER;
        if (needed > sizeof(value)) return ERROR_WINHTTP_INTERNAL_ERROR;
        memcpy(value.bytes, buffer, needed);
        if (opt->kind == KIND_BOOL) *(BOOL *)value.bytes = !!*(BOOL *)value.bytes;
        if (opt->kind == KIND_DWORD || opt->kind == KIND_BOOL) TRACE("%s = %#x\n", opt->name, *(DWORD *)value.bytes);
        else if (opt->kind == KIND_PTR) TRACE("%s = %#lx\n", opt->name, *(DWORD_PTR *)value.bytes);
        if (opt->validate && (ret = opt->validate(value.bytes))) return ret;
        ret = opt->set ? opt->set(obj, opt, value.bytes, needed) : store_fixed(obj, opt, value.bytes, needed);
        if (ret) return ret;
        break;
    }
    if (opt->flags & OF_FIXME) fixme_once(opt, "stored, but not acted on yet");
    return ERROR_SUCCESS;
}

BOOL option_set(struct object *obj, DWORD option, void *buffer, DWORD size)
{
    DWORD ret = set_option(obj, find_option(option), buffer, size);

    if (ret) TRACE("failed with %u\n", ret);
    SetLastError(ret);
    return !ret;
}

BOOL WINAPI WinHttpSetOption(HINTERNET handle, DWORD option, void *buffer, DWORD size)
{
    const struct option *opt = find_option(option);
    struct object *obj = NULL;
    BOOL ret;

    TRACE("(%p, %u (%s), %p, %u)\n", handle, option, option_name(option), buffer, size);

    if (handle || !opt || !(opt->set_on & HT_NULL))
    {
        if (!(obj = grab_object(handle))) return FALSE;
    }
    ret = option_set(obj, option, buffer, size);
    release_object(obj);
    return ret;
}
