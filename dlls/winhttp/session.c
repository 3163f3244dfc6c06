/*
 * Session, connect and request handles: WinHttpOpen, WinHttpConnect,
 * WinHttpOpenRequest, WinHttpCloseHandle, WinHttpSetStatusCallback,
 * WinHttpSetTimeouts and WinHttpCheckPlatform.
 */
#include "winhttp_private.h"
#include "conn.h"
#include "tls.h"
#include "autoproxy.h"

WINE_DEFAULT_DEBUG_CHANNEL(winhttp);

/* Windows' defaults, as documented for WinHttpSetTimeouts and the options. */
void settings_init_defaults(struct settings *s)
{
    memset(s, 0, sizeof(*s));
    s->resolve_timeout = 0;                 /* no resolve timeout */
    s->connect_timeout = 60000;
    s->send_timeout = 30000;
    s->receive_timeout = 30000;
    s->receive_response_timeout = 90000;
    s->connect_retries = 5;
    s->redirect_policy = WINHTTP_OPTION_REDIRECT_POLICY_DISALLOW_HTTPS_TO_HTTP;
    s->max_redirects = 10;
    s->max_status_1xx = 10;
    s->secure_protocols = WINHTTP_FLAG_SECURE_PROTOCOL_TLS1_2 | WINHTTP_FLAG_SECURE_PROTOCOL_TLS1_3;
    s->autologon_policy = WINHTTP_AUTOLOGON_SECURITY_LEVEL_MEDIUM;
    s->max_conns_per_server = WINHTTP_CONNS_PER_SERVER_UNLIMITED;
    s->max_conns_per_1_0_server = WINHTTP_CONNS_PER_SERVER_UNLIMITED;
    s->max_response_header_size = 64 * 1024;
    s->max_response_drain_size = 1024 * 1024;
    s->read_buffer_size = 8192;
    s->write_buffer_size = 8192;
    s->passport_flags = WINHTTP_DISABLE_PASSPORT_AUTH;
    s->ipv6_fast_fallback = FALSE;
    /* WebSocket option defaults as documented: close handshake 10 s,
     * keep-alive every 30 s.  The buffer sizes are what Wine's builtin
     * reports; the documentation gives none. */
    s->websocket_close_timeout = 10000;
    s->websocket_keepalive_interval = 30000;
    s->websocket_receive_buffer_size = 32768;
    s->websocket_send_buffer_size = 32768;
}

/* ------------------------------------------------------------------ */

static void session_destroy(struct object *obj)
{
    struct session *session = session_from_object(obj);
    free(session->agent);
    free(session->proxy_server);
    free(session->proxy_bypass);
    free_secretW(session->proxy_username);
    free_secretW(session->proxy_password);
    conn_pool_free(session->pool);
    tls_context_release(session->tls);
    cookie_jar_free(session->cookies);
    auth_cache_free(session->auth_cache);
    autoproxy_session_free(session);
    if (session->unload_event) SetEvent(session->unload_event);
    free(session);
}

static const struct object_vtbl session_vtbl = { NULL, session_destroy };

static BOOL valid_access_type(DWORD access)
{
    switch (access)
    {
    case WINHTTP_ACCESS_TYPE_DEFAULT_PROXY:
    case WINHTTP_ACCESS_TYPE_NO_PROXY:
    case WINHTTP_ACCESS_TYPE_NAMED_PROXY:
    case WINHTTP_ACCESS_TYPE_AUTOMATIC_PROXY:
        return TRUE;
    }
    return FALSE;
}

HINTERNET WINAPI WinHttpOpen(LPCWSTR agent, DWORD access, LPCWSTR proxy, LPCWSTR bypass, DWORD flags)
{
    struct session *session;
    HINTERNET handle = NULL;

    TRACE("(%s, %u, %s, %s, %#x)\n", debugstr_w(agent), access, debugstr_w(proxy), debugstr_w(bypass), flags);

    if (!valid_access_type(access))
    {
        SetLastError(ERROR_INVALID_PARAMETER);
        return NULL;
    }
    if (!(session = calloc(1, sizeof(*session))))
    {
        SetLastError(ERROR_OUTOFMEMORY);
        return NULL;
    }
    object_init(&session->obj, WINHTTP_HANDLE_TYPE_SESSION, &session_vtbl, NULL);
    settings_init_defaults(&session->settings);
    session->access_type = access;
    session->open_flags = flags;
    session->agent = strdupW(agent);
    if (!(session->pool = conn_pool_create()) || !(session->cookies = cookie_jar_create()))
    {
        release_object(&session->obj);
        SetLastError(ERROR_OUTOFMEMORY);
        return NULL;
    }

    if (access == WINHTTP_ACCESS_TYPE_NAMED_PROXY)
    {
        session->proxy_server = strdupW(proxy);
        session->proxy_bypass = strdupW(bypass);
    }
    else if (access == WINHTTP_ACCESS_TYPE_DEFAULT_PROXY)
    {
        WINHTTP_PROXY_INFO info;
        /* The "default proxy" is the one netsh / WinHttpSetDefaultProxyConfiguration stored. */
        if (proxy_config_get_default(&info))
        {
            if (info.dwAccessType == WINHTTP_ACCESS_TYPE_NAMED_PROXY)
            {
                session->proxy_server = strdupW(info.lpszProxy);
                session->proxy_bypass = strdupW(info.lpszProxyBypass);
            }
            GlobalFree(info.lpszProxy);
            GlobalFree(info.lpszProxyBypass);
        }
    }
    /* WINHTTP_ACCESS_TYPE_AUTOMATIC_PROXY: each request asks autoproxy.c. */

    if (flags & ~(WINHTTP_FLAG_ASYNC | WINHTTP_FLAG_SECURE_DEFAULTS))
        WARN("unknown flags %#x\n", flags & ~(WINHTTP_FLAG_ASYNC | WINHTTP_FLAG_SECURE_DEFAULTS));

    handle = alloc_handle(&session->obj);
    release_object(&session->obj);
    /* Windows clears the last error on success. */
    if (handle) SetLastError(ERROR_SUCCESS);
    TRACE("returning %p\n", handle);
    return handle;
}

/* ------------------------------------------------------------------ */

static void connect_destroy(struct object *obj)
{
    struct connect *connect = connect_from_object(obj);
    free(connect->hostname);
    free(connect);
}

static const struct object_vtbl connect_vtbl = { NULL, connect_destroy };

/* A connect object under session, for WinHttpConnect and the engine's own
 * fetches (subrequest.c). */
DWORD connect_create(struct session *session, const WCHAR *server, INTERNET_PORT port, struct connect **out)
{
    struct connect *connect;

    if (!(connect = calloc(1, sizeof(*connect))) || !(connect->hostname = strdupW(server)))
    {
        free(connect);
        return ERROR_OUTOFMEMORY;
    }
    object_init(&connect->obj, WINHTTP_HANDLE_TYPE_CONNECT, &connect_vtbl, &session->obj);
    connect->session = session;
    AcquireSRWLockShared(&session->obj.lock);
    connect->settings = session->settings;
    ReleaseSRWLockShared(&session->obj.lock);
    connect->port = port;
    *out = connect;
    return ERROR_SUCCESS;
}

HINTERNET WINAPI WinHttpConnect(HINTERNET hsession, LPCWSTR server, INTERNET_PORT port, DWORD reserved)
{
    struct connect *connect;
    struct object *obj;
    HINTERNET handle = NULL;
    DWORD res;

    TRACE("(%p, %s, %u, %#x)\n", hsession, debugstr_w(server), port, reserved);

    if (!(obj = grab_object_type(hsession, WINHTTP_HANDLE_TYPE_SESSION))) return NULL;
    if (!server || !*server)
    {
        release_object(obj);
        SetLastError(ERROR_INVALID_PARAMETER);
        return NULL;
    }
    if ((res = connect_create(session_from_object(obj), server, port, &connect)))
    {
        release_object(obj);
        SetLastError(res);
        return NULL;
    }
    if ((handle = alloc_handle(&connect->obj)))
        send_callback(&connect->obj, WINHTTP_CALLBACK_STATUS_HANDLE_CREATED, &handle, sizeof(handle));
    release_object(&connect->obj);
    release_object(obj);
    if (handle) SetLastError(ERROR_SUCCESS);
    TRACE("returning %p\n", handle);
    return handle;
}

/* ------------------------------------------------------------------ */

static void request_destroy(struct object *obj)
{
    struct request *request = request_from_object(obj);
    WCHAR **type;

    /* The engine first: it gives the connection back and clears the response. */
    request_engine_free(request);
    auth_request_free(request);
    option_free_request(request);
    free(request->verb);
    free(request->path);
    free(request->version);
    free(request->referrer);
    if (request->accept_types)
    {
        for (type = request->accept_types; *type; type++) free(*type);
        free(request->accept_types);
    }
    free_secretW(request->username);
    free_secretW(request->password);
    free_secretW(request->proxy_username);
    free_secretW(request->proxy_password);
    free(request->proxy.lpszProxy);
    free(request->proxy.lpszProxyBypass);
    headers_clear(&request->request_headers);
    headers_clear(&request->response_headers);
    headers_clear(&request->response_trailers);
    free(request->status_text);
    free(request->response_version);
    free(request->raw_response_headers);
    free(request);
}

static void request_closed(struct object *obj)
{
    /* Make a call blocked in the engine on another thread give up. */
    request_engine_cancel(request_from_object(obj));
}

static const struct object_vtbl request_vtbl = { request_closed, request_destroy };

static WCHAR **copy_accept_types(const WCHAR **types)
{
    WCHAR **ret;
    size_t count = 0, i;

    if (types) while (types[count]) count++;
    if (!(ret = calloc(count + 1, sizeof(*ret)))) return NULL;
    for (i = 0; i < count; i++)
    {
        if (!(ret[i] = strdupW(types[i])))
        {
            while (i) free(ret[--i]);
            free(ret);
            return NULL;
        }
    }
    return ret;
}

#define REQUEST_FLAGS_KNOWN (WINHTTP_FLAG_SECURE | WINHTTP_FLAG_ESCAPE_PERCENT | WINHTTP_FLAG_NULL_CODEPAGE | \
    WINHTTP_FLAG_ESCAPE_DISABLE | WINHTTP_FLAG_ESCAPE_DISABLE_QUERY | WINHTTP_FLAG_BYPASS_PROXY_CACHE | \
    WINHTTP_FLAG_AUTOMATIC_CHUNKING)

/* The request target of an object name: a relative name ("big") gets its
 * leading '/', as Windows sends it; "*" (OPTIONS *) and an absolute URL stay
 * as given. */
static WCHAR *object_name(const WCHAR *object)
{
    const WCHAR *p;
    WCHAR *ret;
    size_t len = strlenW(object);

    if (object[0] == '/' || (object[0] == '*' && !object[1])) return strdupW(object);
    for (p = object; *p && *p != '/' && *p != '?'; p++)
        if (p[0] == ':' && p[1] == '/' && p[2] == '/') return strdupW(object);
    if (!(ret = malloc((len + 2) * sizeof(WCHAR)))) return NULL;
    ret[0] = '/';
    memcpy(ret + 1, object, (len + 1) * sizeof(WCHAR));
    return ret;
}

/* A request object under connect, for WinHttpOpenRequest and the engine's
 * own fetches (subrequest.c); NULL arguments take their defaults. */
DWORD request_create(struct connect *connect, const WCHAR *verb, const WCHAR *object, const WCHAR *version,
                     const WCHAR *referrer, const WCHAR **types, DWORD flags, struct request **out)
{
    static const WCHAR getW[] = {'G','E','T',0}, rootW[] = {'/',0}, http11W[] = {'H','T','T','P','/','1','.','1',0};
    struct request *request;

    if (!(request = calloc(1, sizeof(*request)))) return ERROR_OUTOFMEMORY;
    object_init(&request->obj, WINHTTP_HANDLE_TYPE_REQUEST, &request_vtbl, &connect->obj);
    request->connect = connect;
    request->flags = flags;
    /* The session's settings as they are now: applications set options on
     * the session between WinHttpConnect and WinHttpOpenRequest. */
    AcquireSRWLockShared(&connect->session->obj.lock);
    request->settings = connect->session->settings;
    ReleaseSRWLockShared(&connect->session->obj.lock);
    /* INTERNET_DEFAULT_PORT means "the scheme's port", and the scheme is the request's. */
    request->port = connect->port;
    if (request->port == INTERNET_DEFAULT_PORT)
        request->port = (flags & WINHTTP_FLAG_SECURE) ? INTERNET_DEFAULT_HTTPS_PORT : INTERNET_DEFAULT_HTTP_PORT;

    if (!(request->verb = strdupW(verb && *verb ? verb : getW)) ||
        !(request->path = object_name(object ? object : rootW)) ||
        !(request->version = strdupW(version && *version ? version : http11W)) ||
        (referrer && !(request->referrer = strdupW(referrer))) ||
        !(request->accept_types = copy_accept_types(types)))
    {
        release_object(&request->obj);
        return ERROR_OUTOFMEMORY;
    }
    *out = request;
    return ERROR_SUCCESS;
}

HINTERNET WINAPI WinHttpOpenRequest(HINTERNET hconnect, LPCWSTR verb, LPCWSTR object, LPCWSTR version,
                                    LPCWSTR referrer, LPCWSTR *types, DWORD flags)
{
    struct request *request;
    struct object *obj;
    HINTERNET handle = NULL;
    const WCHAR **t;
    DWORD res;

    TRACE("(%p, %s, %s, %s, %s, %p, %#x)\n", hconnect, debugstr_w(verb), debugstr_w(object), debugstr_w(version),
          debugstr_w(referrer), types, flags);
    if (types && TRACE_ON(winhttp)) for (t = types; *t; t++) TRACE("    accept type %s\n", debugstr_w(*t));

    if (!(obj = grab_object_type(hconnect, WINHTTP_HANDLE_TYPE_CONNECT))) return NULL;
    if (flags & ~REQUEST_FLAGS_KNOWN) WARN("unknown flags %#x\n", flags & ~REQUEST_FLAGS_KNOWN);
    if ((res = request_create(connect_from_object(obj), verb, object, version, referrer, types, flags, &request)))
    {
        release_object(obj);
        SetLastError(res);
        return NULL;
    }
    if ((handle = alloc_handle(&request->obj)))
        send_callback(&request->obj, WINHTTP_CALLBACK_STATUS_HANDLE_CREATED, &handle, sizeof(handle));
    release_object(&request->obj);
    release_object(obj);
    if (handle) SetLastError(ERROR_SUCCESS);
    TRACE("returning %p\n", handle);
    return handle;
}

/* ------------------------------------------------------------------ */

BOOL WINAPI WinHttpCloseHandle(HINTERNET handle)
{
    BOOL ret;

    TRACE("(%p)\n", handle);
    ret = close_handle(handle);
    if (ret) SetLastError(ERROR_SUCCESS);
    return ret;
}

BOOL WINAPI WinHttpCheckPlatform(void)
{
    TRACE("()\n");
    return TRUE;
}

WINHTTP_STATUS_CALLBACK WINAPI WinHttpSetStatusCallback(HINTERNET handle, WINHTTP_STATUS_CALLBACK callback,
                                                       DWORD flags, DWORD_PTR reserved)
{
    WINHTTP_STATUS_CALLBACK previous;
    struct object *obj;

    TRACE("(%p, %p, %#x, %#lx)\n", handle, callback, flags, reserved);

    if (!(obj = grab_object(handle))) return WINHTTP_INVALID_STATUS_CALLBACK;
    AcquireSRWLockExclusive(&obj->lock);
    previous = obj->callback;
    obj->callback = callback;
    obj->notify_mask = flags;
    ReleaseSRWLockExclusive(&obj->lock);
    release_object(obj);
    SetLastError(ERROR_SUCCESS);
    return previous;
}

BOOL WINAPI WinHttpSetTimeouts(HINTERNET handle, int resolve, int connect, int send, int receive)
{
    struct settings *settings;
    struct object *obj;

    TRACE("(%p, %d, %d, %d, %d)\n", handle, resolve, connect, send, receive);

    if (resolve < -1 || connect < -1 || send < -1 || receive < -1)
    {
        SetLastError(ERROR_INVALID_PARAMETER);
        return FALSE;
    }
    if (!(obj = grab_object(handle))) return FALSE;
    switch (obj->type)
    {
    case WINHTTP_HANDLE_TYPE_SESSION: settings = &session_from_object(obj)->settings; break;
    case WINHTTP_HANDLE_TYPE_REQUEST: settings = &request_from_object(obj)->settings; break;
    default:
        release_object(obj);
        SetLastError(ERROR_WINHTTP_INCORRECT_HANDLE_TYPE);
        return FALSE;
    }
    AcquireSRWLockExclusive(&obj->lock);
    settings->resolve_timeout = resolve;
    settings->connect_timeout = connect;
    settings->send_timeout = send;
    settings->receive_timeout = receive;
    ReleaseSRWLockExclusive(&obj->lock);
    release_object(obj);
    SetLastError(ERROR_SUCCESS);
    return TRUE;
}
