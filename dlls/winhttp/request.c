/*
 * The HTTP/1.1 engine behind WinHttpSendRequest, WinHttpWriteData,
 * WinHttpReceiveResponse, WinHttpQueryDataAvailable and WinHttpReadData(Ex).
 *
 * A request moves through explicit states (enum request_state); each API
 * call checks the state it needs and advances it.  The steps (connect,
 * send, read the head, follow redirects, read the body) are functions of
 * their own so that the asynchronous mode can run the same steps on a
 * worker thread and report completions through the status callback.
 *
 * Layers: conn.c gives connections (TCP now, TLS later) from the session's
 * pool; http1.c parses response heads and decides body framing; chunked.c
 * and decompress.c turn the framed bytes into the body the application
 * reads.  None of them knows about the others.
 */
#include "winhttp_private.h"
#include "unix_private.h"
#include "conn.h"
#include "http1.h"
#include "chunked.h"
#include "decompress.h"

WINE_DEFAULT_DEBUG_CHANNEL(winhttp);

/* TEMPORARY until cookie.c lands: session->cookies stays NULL meanwhile. */
struct cookie_jar;
WCHAR *cookie_jar_header(struct cookie_jar *jar, const WCHAR *host, const WCHAR *path, BOOL secure) __attribute__((weak));
void cookie_jar_set(struct cookie_jar *jar, const WCHAR *host, const WCHAR *path, BOOL secure,
                    const WCHAR *value) __attribute__((weak));

#define MAX_HEADER_LINES 1024
#define DECODED_BUFFER_SIZE (64 * 1024)

enum request_state
{
    STATE_NEW,          /* opened, not sent */
    STATE_SENDING,      /* head sent, WinHttpWriteData may add body bytes */
    STATE_SENT,         /* the whole request is out: WinHttpReceiveResponse */
    STATE_RESPONSE,     /* a final response head arrived: the body can be read */
    STATE_DONE,         /* the body was read to its end */
    STATE_FAILED,       /* the exchange broke; only a new WinHttpSendRequest helps */
};

struct engine
{
    SRWLOCK lock;               /* guards conn against request_engine_cancel */
    enum request_state state;
    LONG cancelled;

    /* where the request goes; redirects change it */
    WCHAR *host;
    INTERNET_PORT port;
    BOOL secure;
    WCHAR *path;                /* path and query, escaped as sent */
    WCHAR *verb;
    WCHAR *proxy_host;          /* NULL: direct */
    INTERNET_PORT proxy_port;
    WCHAR *pool_key;
    struct connection *conn;
    BOOL conn_reused;

    /* the request body: kept when the whole body came with WinHttpSendRequest,
     * so that a stale-connection retry or a 307/308 redirect can resend it */
    BYTE *body;
    DWORD body_len;
    DWORD total_len;
    DWORD written;              /* bytes of body sent so far */

    /* the response body */
    struct http1_framing framing;
    ULONGLONG remaining;        /* HTTP1_BODY_LENGTH: bytes still to come */
    struct chunked_decoder chunked;
    struct decomp *decoder;
    char *raw;                  /* framed, still encoded bytes waiting for the decoder */
    size_t raw_start, raw_end;
    BYTE *dbuf;                 /* decoded bytes not yet given to the application */
    size_t dbuf_start, dbuf_end;
    BOOL framed_eof;            /* no more framed bytes */
    BOOL body_eof;              /* no more body bytes at all */
    DWORD redirects;
};

static const WCHAR getW[] = {'G','E','T',0}, headW[] = {'H','E','A','D',0};

static struct engine *get_engine(struct request *request)
{
    struct engine *e = request->engine;
    if (e) return e;
    if (!(e = calloc(1, sizeof(*e)))) return NULL;
    InitializeSRWLock(&e->lock);
    request->engine = e;
    return e;
}

static void release_connection(struct request *request, struct engine *e, BOOL reusable)
{
    struct session *session = request->connect->session;
    struct connection *conn;

    AcquireSRWLockExclusive(&e->lock);
    conn = e->conn;
    e->conn = NULL;
    ReleaseSRWLockExclusive(&e->lock);
    if (!e->pool_key) return;
    if (conn && !reusable) send_callback(&request->obj, WINHTTP_CALLBACK_STATUS_CLOSING_CONNECTION, NULL, 0);
    conn_pool_release(session->pool, e->pool_key, conn, reusable);
    if (conn && !reusable) send_callback(&request->obj, WINHTTP_CALLBACK_STATUS_CONNECTION_CLOSED, NULL, 0);
    free(e->pool_key);
    e->pool_key = NULL;
}

static void reset_response(struct request *request, struct engine *e)
{
    decomp_free(e->decoder);
    e->decoder = NULL;
    free(e->raw);
    e->raw = NULL;
    e->raw_start = e->raw_end = 0;
    free(e->dbuf);
    e->dbuf = NULL;
    e->dbuf_start = e->dbuf_end = 0;
    e->framed_eof = e->body_eof = FALSE;
    memset(&e->framing, 0, sizeof(e->framing));
    headers_clear(&request->response_headers);
    free(request->status_text);
    free(request->response_version);
    free(request->raw_response_headers);
    request->status_text = request->response_version = request->raw_response_headers = NULL;
    request->status_code = 0;
}

void request_engine_free(struct request *request)
{
    struct engine *e = request->engine;
    if (!e) return;
    /* A connection with an unread body cannot carry another request. */
    release_connection(request, e, e->state == STATE_DONE && e->framing.keep_alive);
    reset_response(request, e);
    free(e->host);
    free(e->path);
    free(e->verb);
    free(e->proxy_host);
    free(e->body);
    free(e);
    request->engine = NULL;
}

void request_engine_cancel(struct request *request)
{
    struct engine *e = request->engine;
    if (!e) return;
    InterlockedExchange(&e->cancelled, 1);
    AcquireSRWLockShared(&e->lock);
    conn_abort(e->conn);
    ReleaseSRWLockShared(&e->lock);
}

/* ------------------------------------------------------------------ */
/* the target: host, port, path                                        */

static BOOL is_unsafe_path_char(WCHAR c)
{
    return c <= ' ' || c >= 0x7f || c == '"' || c == '<' || c == '>' || c == '\\' || c == '^' || c == '`' ||
           c == '{' || c == '|' || c == '}';
}

/* Escape the object name as WinHttpOpenRequest's WINHTTP_FLAG_ESCAPE_* say:
 * by default unsafe characters are percent-encoded (non-ASCII as UTF-8),
 * '%' only with ESCAPE_PERCENT; ESCAPE_DISABLE turns it off, and
 * ESCAPE_DISABLE_QUERY turns it off after the '?'. */
static WCHAR *escape_path(const WCHAR *path, DWORD flags)
{
    static const char hex[] = "0123456789ABCDEF";
    size_t len = strlenW(path), i, out = 0;
    BOOL in_query = FALSE;
    WCHAR *ret;

    if (!(ret = malloc((len * 9 + 1) * sizeof(WCHAR)))) return NULL;
    for (i = 0; i < len; i++)
    {
        WCHAR c = path[i];
        BOOL escape;

        if (c == '?') in_query = TRUE;
        if (flags & WINHTTP_FLAG_ESCAPE_DISABLE) escape = FALSE;
        else if (in_query && (flags & WINHTTP_FLAG_ESCAPE_DISABLE_QUERY)) escape = FALSE;
        else escape = is_unsafe_path_char(c) || (c == '%' && (flags & WINHTTP_FLAG_ESCAPE_PERCENT));

        if (!escape)
        {
            ret[out++] = c;
            continue;
        }
        {
            char utf8[4];
            int n = WideCharToMultiByte(CP_UTF8, 0, &path[i], 1, utf8, sizeof(utf8), NULL, NULL), k;
            if (n <= 0 && IS_HIGH_SURROGATE(c) && i + 1 < len)
            {
                n = WideCharToMultiByte(CP_UTF8, 0, &path[i], 2, utf8, sizeof(utf8), NULL, NULL);
                i++;
            }
            for (k = 0; k < n; k++)
            {
                ret[out++] = '%';
                ret[out++] = hex[(BYTE)utf8[k] >> 4];
                ret[out++] = hex[(BYTE)utf8[k] & 15];
            }
        }
    }
    ret[out] = 0;
    return ret;
}

static BOOL host_is_ipv6_literal(const WCHAR *host)
{
    const WCHAR *p;
    if (host[0] == '[') return FALSE;
    for (p = host; *p; p++) if (*p == ':') return TRUE;
    return FALSE;
}

/* "host" or "[v6]" as it goes into Host and absolute URIs. */
static WCHAR *host_for_uri(const WCHAR *host)
{
    size_t len = strlenW(host);
    WCHAR *ret;

    if (!host_is_ipv6_literal(host)) return strdupW(host);
    if (!(ret = malloc((len + 3) * sizeof(WCHAR)))) return NULL;
    ret[0] = '[';
    memcpy(ret + 1, host, len * sizeof(WCHAR));
    ret[len + 1] = ']';
    ret[len + 2] = 0;
    return ret;
}

static BOOL is_default_port(BOOL secure, INTERNET_PORT port)
{
    return port == (secure ? INTERNET_DEFAULT_HTTPS_PORT : INTERNET_DEFAULT_HTTP_PORT);
}

/* "scheme://host[:port]" (default port omitted) into sb. */
static void append_origin(struct strbuf *sb, const WCHAR *host, INTERNET_PORT port, BOOL secure)
{
    WCHAR *h = host_for_uri(host);
    strbuf_append(sb, secure ? L"https://" : L"http://");
    if (!h) sb->failed = TRUE;
    strbuf_append(sb, h);
    free(h);
    if (!is_default_port(secure, port))
    {
        strbuf_append(sb, L":");
        strbuf_append_uint(sb, port);
    }
}

static DWORD set_target(struct engine *e, const WCHAR *host, INTERNET_PORT port, BOOL secure, const WCHAR *path)
{
    WCHAR *new_host = strdupW(host), *new_path = strdupW(path);
    if (!new_host || !new_path)
    {
        free(new_host);
        free(new_path);
        return ERROR_OUTOFMEMORY;
    }
    free(e->host);
    free(e->path);
    e->host = new_host;
    e->path = new_path;
    e->port = port;
    e->secure = secure;
    return ERROR_SUCCESS;
}

static void choose_proxy(struct request *request, struct engine *e)
{
    struct session *session = request->connect->session;
    const WCHAR *list = NULL, *bypass = NULL;

    free(e->proxy_host);
    e->proxy_host = NULL;
    AcquireSRWLockShared(&request->obj.lock);
    if (request->proxy_set)
    {
        if (request->proxy.dwAccessType == WINHTTP_ACCESS_TYPE_NAMED_PROXY)
        {
            list = request->proxy.lpszProxy;
            bypass = request->proxy.lpszProxyBypass;
        }
        if (list) proxy_select(list, bypass, e->host, e->port, e->secure, &e->proxy_host, &e->proxy_port);
        ReleaseSRWLockShared(&request->obj.lock);
        return;
    }
    ReleaseSRWLockShared(&request->obj.lock);

    AcquireSRWLockShared(&session->obj.lock);
    if (session->proxy_server)
        proxy_select(session->proxy_server, session->proxy_bypass, e->host, e->port, e->secure, &e->proxy_host,
                     &e->proxy_port);
    ReleaseSRWLockShared(&session->obj.lock);
}

static WCHAR *make_pool_key(struct engine *e)
{
    struct strbuf sb = {0};

    strbuf_append(&sb, e->secure ? L"https://" : L"http://");
    strbuf_append(&sb, e->host);
    strbuf_append(&sb, L":");
    strbuf_append_uint(&sb, e->port);
    if (e->proxy_host)
    {
        strbuf_append(&sb, L" via ");
        strbuf_append(&sb, e->proxy_host);
        strbuf_append(&sb, L":");
        strbuf_append_uint(&sb, e->proxy_port);
    }
    return strbuf_detach(&sb);
}

/* ------------------------------------------------------------------ */
/* connecting                                                          */

static DWORD open_connection(struct request *request, struct engine *e, struct connection **ret)
{
    const WCHAR *server = e->proxy_host ? e->proxy_host : e->host;
    INTERNET_PORT port = e->proxy_host ? e->proxy_port : e->port;
    struct settings *s = &request->settings;
    struct net_addrs *addrs = NULL;
    struct net_socket *sock = NULL;
    char *name, addr[64];
    WCHAR addrW[64];
    DWORD res = ERROR_WINHTTP_CANNOT_CONNECT;
    int i;

    if (e->secure)
    {
        FIXME_ONCE("https is not implemented yet\n");
        return ERROR_WINHTTP_SECURE_FAILURE;
    }
    send_callback(&request->obj, WINHTTP_CALLBACK_STATUS_RESOLVING_NAME, (void *)server,
                  (strlenW(server) + 1) * sizeof(WCHAR));
    if (!(name = strdupWA(server, -1, CP_UTF8))) return ERROR_OUTOFMEMORY;
    res = net_resolve(name, port, s->resolve_timeout, &addrs);
    free(name);
    if (res) return res;
    net_addrs_string(addrs, 0, addr, sizeof(addr));
    MultiByteToWideChar(CP_ACP, 0, addr, -1, addrW, ARRAY_SIZE(addrW));
    send_callback(&request->obj, WINHTTP_CALLBACK_STATUS_NAME_RESOLVED, addrW, (strlenW(addrW) + 1) * sizeof(WCHAR));

    for (i = 0; i < net_addrs_count(addrs); i++)
    {
        net_addrs_string(addrs, i, addr, sizeof(addr));
        MultiByteToWideChar(CP_ACP, 0, addr, -1, addrW, ARRAY_SIZE(addrW));
        send_callback(&request->obj, WINHTTP_CALLBACK_STATUS_CONNECTING_TO_SERVER, addrW,
                      (strlenW(addrW) + 1) * sizeof(WCHAR));
        TRACE("connecting to %s port %u\n", addr, port);
        if (!(res = net_connect(addrs, i, s->connect_timeout, &sock))) break;
        if (res == ERROR_WINHTTP_OPERATION_CANCELLED) break;
    }
    net_addrs_free(addrs);
    if (res) return res;
    send_callback(&request->obj, WINHTTP_CALLBACK_STATUS_CONNECTED_TO_SERVER, addrW,
                  (strlenW(addrW) + 1) * sizeof(WCHAR));
    if (!(*ret = conn_create(sock)))
    {
        net_close(sock);
        return ERROR_OUTOFMEMORY;
    }
    return ERROR_SUCCESS;
}

/* Take a pooled connection or open one.  fresh forces a new connection
 * (the retry after a stale keep-alive connection failed). */
static DWORD acquire_connection(struct request *request, struct engine *e, BOOL fresh)
{
    struct session *session = request->connect->session;
    struct connection *conn = NULL;
    DWORD max = request->settings.max_conns_per_server;
    DWORD res;

    if (!e->pool_key && !(e->pool_key = make_pool_key(e))) return ERROR_OUTOFMEMORY;
    if ((res = conn_pool_acquire(session->pool, e->pool_key, max, &conn))) return res;
    if (conn && fresh)
    {
        conn_close(conn);
        conn = NULL;
    }
    e->conn_reused = conn != NULL;
    if (!conn && (res = open_connection(request, e, &conn)))
    {
        conn_pool_release(session->pool, e->pool_key, NULL, FALSE);
        free(e->pool_key);
        e->pool_key = NULL;
        return res;
    }
    AcquireSRWLockExclusive(&e->lock);
    e->conn = conn;
    if (e->cancelled) conn_abort(conn);
    ReleaseSRWLockExclusive(&e->lock);
    return ERROR_SUCCESS;
}

/* ------------------------------------------------------------------ */
/* the request head                                                    */

/* Replace a header we generate, leaving what the application added alone. */
static DWORD set_generated_header(struct request *request, const WCHAR *name, const WCHAR *value)
{
    int i;

    while ((i = headers_find(&request->request_headers, name, 0)) >= 0 &&
           !request->request_headers.items[i].is_request_user)
        headers_remove(&request->request_headers, i);
    if (headers_find(&request->request_headers, name, 0) >= 0) return ERROR_SUCCESS;   /* the application's wins */
    if (!value) return ERROR_SUCCESS;
    return headers_add(&request->request_headers, name, value, WINHTTP_ADDREQ_FLAG_ADD, FALSE);
}

static BOOL has_user_header(struct request *request, const WCHAR *name)
{
    int i = headers_find(&request->request_headers, name, 0);
    return i >= 0 && request->request_headers.items[i].is_request_user;
}

static WCHAR *join_accept_types(WCHAR **types)
{
    size_t len = 0;
    WCHAR **t, *ret, *p;

    if (!types || !*types) return NULL;
    for (t = types; *t; t++) len += strlenW(*t) + 2;
    if (!(ret = p = malloc((len + 1) * sizeof(WCHAR)))) return NULL;
    for (t = types; *t; t++)
    {
        if (t != types) { *p++ = ','; *p++ = ' '; }
        memcpy(p, *t, strlenW(*t) * sizeof(WCHAR));
        p += strlenW(*t);
    }
    *p = 0;
    return ret;
}

/* Where a header goes on the wire: the generated Connection and Accept lead,
 * the application's headers keep their order, the other generated ones
 * close the head in a fixed order (Host last), as Windows sends them. */
static int header_rank(const struct header *h)
{
    static const WCHAR *const leading[] = { L"Connection", L"Accept" };
    static const WCHAR *const trailing[] = { L"User-Agent", L"Referer", L"Cookie", L"Accept-Encoding",
                                             L"Content-Length", L"Host" };
    unsigned int i;

    if (h->is_request_user) return 100;
    for (i = 0; i < ARRAY_SIZE(leading); i++) if (!strcmpiW(h->name, leading[i])) return i;
    for (i = 0; i < ARRAY_SIZE(trailing); i++) if (!strcmpiW(h->name, trailing[i])) return 200 + i;
    return 100;
}

static void order_request_headers(struct header_list *list)
{
    size_t i, j;

    /* Insertion sort: stable, and the list is short. */
    for (i = 1; i < list->count; i++)
    {
        struct header h = list->items[i];
        int rank = header_rank(&h);
        for (j = i; j > 0 && header_rank(&list->items[j - 1]) > rank; j--) list->items[j] = list->items[j - 1];
        list->items[j] = h;
    }
}

/* The headers WinHTTP adds itself.  Windows sends them in this order after
 * the request line: Connection, Accept, User-Agent, Referer, Cookie,
 * Content-Length, Host; the application's own headers keep their place. */
static DWORD generate_headers(struct request *request, struct engine *e)
{
    static const WCHAR connectionW[] = {'C','o','n','n','e','c','t','i','o','n',0};
    static const WCHAR keepaliveW[] = {'K','e','e','p','-','A','l','i','v','e',0};
    static const WCHAR acceptW[] = {'A','c','c','e','p','t',0};
    static const WCHAR agentW[] = {'U','s','e','r','-','A','g','e','n','t',0};
    static const WCHAR refererW[] = {'R','e','f','e','r','e','r',0};
    static const WCHAR cookieW[] = {'C','o','o','k','i','e',0};
    static const WCHAR lengthW[] = {'C','o','n','t','e','n','t','-','L','e','n','g','t','h',0};
    static const WCHAR teW[] = {'T','r','a','n','s','f','e','r','-','E','n','c','o','d','i','n','g',0};
    static const WCHAR hostW[] = {'H','o','s','t',0};
    static const WCHAR aeW[] = {'A','c','c','e','p','t','-','E','n','c','o','d','i','n','g',0};
    struct session *session = request->connect->session;
    struct strbuf sb = {0};
    WCHAR *value, *host;
    DWORD res = ERROR_SUCCESS;

    if ((res = set_generated_header(request, connectionW, keepaliveW))) return res;

    value = join_accept_types(request->accept_types);
    res = set_generated_header(request, acceptW, value);
    free(value);
    if (res) return res;

    AcquireSRWLockShared(&session->obj.lock);
    value = session->agent && *session->agent ? strdupW(session->agent) : NULL;
    ReleaseSRWLockShared(&session->obj.lock);
    res = set_generated_header(request, agentW, value);
    free(value);
    if (res) return res;

    if ((res = set_generated_header(request, refererW, request->referrer))) return res;

    value = NULL;
    if (!(request->settings.disable_flags & WINHTTP_DISABLE_COOKIES) && session->cookies)
        value = cookie_jar_header(session->cookies, e->host, e->path, e->secure);
    res = set_generated_header(request, cookieW, value);
    free(value);
    if (res) return res;

    if (request->settings.decompression)
    {
        const WCHAR *ae = (request->settings.decompression & WINHTTP_DECOMPRESSION_FLAG_ALL) ==
                          WINHTTP_DECOMPRESSION_FLAG_ALL ? L"gzip, deflate" :
                          (request->settings.decompression & WINHTTP_DECOMPRESSION_FLAG_GZIP) ? L"gzip" : L"deflate";
        if ((res = set_generated_header(request, aeW, ae))) return res;
    }
    else if ((res = set_generated_header(request, aeW, NULL))) return res;

    /* A body needs its length unless the application frames it itself. */
    if (!has_user_header(request, teW) &&
        (e->total_len || (strcmpiW(e->verb, getW) && strcmpiW(e->verb, headW))))
        strbuf_append_uint(&sb, e->total_len);
    value = sb.len ? strbuf_detach(&sb) : NULL;
    res = set_generated_header(request, lengthW, value);
    free(value);
    if (res) return res;

    if (!(host = host_for_uri(e->host))) return ERROR_OUTOFMEMORY;
    strbuf_append(&sb, host);
    free(host);
    if (!is_default_port(e->secure, e->port))
    {
        strbuf_append(&sb, L":");
        strbuf_append_uint(&sb, e->port);
    }
    if (!(value = strbuf_detach(&sb))) return ERROR_OUTOFMEMORY;
    res = set_generated_header(request, hostW, value);
    free(value);
    order_request_headers(&request->request_headers);
    return res;
}

/* Request line and headers as bytes.  Header text goes out in the ANSI code
 * page, as Windows does for WCHAR headers; the path is already escaped. */
static char *build_request_head(struct request *request, struct engine *e, size_t *len)
{
    struct strbuf sb = {0};
    WCHAR *text;
    size_t i;
    char *ret;
    int n;

    strbuf_append(&sb, e->verb);
    strbuf_append(&sb, L" ");
    /* Through an HTTP proxy the request line carries the absolute URI. */
    if (e->proxy_host && !e->secure) append_origin(&sb, e->host, e->port, FALSE);
    strbuf_append(&sb, e->path);
    strbuf_append(&sb, L" ");
    strbuf_append(&sb, request->version);
    strbuf_append(&sb, L"\r\n");
    for (i = 0; i < request->request_headers.count; i++)
    {
        strbuf_append(&sb, request->request_headers.items[i].name);
        strbuf_append(&sb, L": ");
        strbuf_append(&sb, request->request_headers.items[i].value);
        strbuf_append(&sb, L"\r\n");
    }
    strbuf_append(&sb, L"\r\n");
    if (!(text = strbuf_detach(&sb))) return NULL;

    n = WideCharToMultiByte(CP_ACP, 0, text, -1, NULL, 0, NULL, NULL);
    if ((ret = malloc(n)))
    {
        WideCharToMultiByte(CP_ACP, 0, text, -1, ret, n, NULL, NULL);
        *len = n - 1;
    }
    free(text);
    return ret;
}

/* ------------------------------------------------------------------ */
/* sending                                                             */

static DWORD send_request_head(struct request *request, struct engine *e)
{
    char *head;
    size_t len;
    DWORD res, sent;

    if ((res = generate_headers(request, e))) return res;
    if (!(head = build_request_head(request, e, &len))) return ERROR_OUTOFMEMORY;
    TRACE("sending request head (%lu bytes) on connection %p\n", (unsigned long)len, e->conn);
    send_callback(&request->obj, WINHTTP_CALLBACK_STATUS_SENDING_REQUEST, NULL, 0);
    res = conn_send(e->conn, head, len, request->settings.send_timeout);
    free(head);
    if (!res && e->body_len) res = conn_send(e->conn, e->body, e->body_len, request->settings.send_timeout);
    if (res) return res;
    e->written = e->body_len;
    sent = (DWORD)len + e->body_len;
    send_callback(&request->obj, WINHTTP_CALLBACK_STATUS_REQUEST_SENT, &sent, sizeof(sent));
    e->conn->requests++;
    return ERROR_SUCCESS;
}

/* Connect (reusing a pooled connection when possible) and send the head and
 * whatever body we hold.  A reused connection that the server had closed
 * fails on send; that is retried once on a new connection. */
static DWORD start_exchange(struct request *request, struct engine *e, BOOL fresh)
{
    DWORD res;

    reset_response(request, e);
    choose_proxy(request, e);
    if ((res = acquire_connection(request, e, fresh))) return res;
    res = send_request_head(request, e);
    if (res && e->conn_reused && !e->cancelled)
    {
        TRACE("reused connection failed to send (%u), retrying on a new one\n", res);
        release_connection(request, e, FALSE);
        if ((res = acquire_connection(request, e, TRUE))) return res;
        res = send_request_head(request, e);
    }
    if (res) release_connection(request, e, FALSE);
    return res;
}

static DWORD map_cancel(struct engine *e, DWORD res)
{
    return e->cancelled ? ERROR_WINHTTP_OPERATION_CANCELLED : res;
}

BOOL WINAPI WinHttpSendRequest(HINTERNET hrequest, LPCWSTR headers, DWORD headers_len, LPVOID optional,
                               DWORD optional_len, DWORD total_len, DWORD_PTR context)
{
    struct request *request;
    struct object *obj;
    struct engine *e;
    DWORD res = ERROR_SUCCESS;

    TRACE("(%p, %s, %#x, %p, %u, %u, %#lx)\n", hrequest,
          debugstr_wn(headers, headers_len == ~0u ? -1 : (int)headers_len), headers_len, optional, optional_len,
          total_len, context);

    if (!(obj = grab_object_type(hrequest, WINHTTP_HANDLE_TYPE_REQUEST))) return FALSE;
    request = request_from_object(obj);
    if (optional_len && !optional) res = ERROR_INVALID_PARAMETER;
    else if (!(e = get_engine(request))) res = ERROR_OUTOFMEMORY;
    if (res) goto done;

    if (request->connect->session->open_flags & WINHTTP_FLAG_ASYNC)
        FIXME_ONCE("asynchronous mode not implemented yet: completing synchronously\n");

    AcquireSRWLockExclusive(&obj->lock);
    obj->context = context;
    ReleaseSRWLockExclusive(&obj->lock);

    if (headers && headers_len && (res = headers_add_text(&request->request_headers, headers, headers_len,
                                                         WINHTTP_ADDREQ_FLAG_ADD, TRUE)))
        goto done;

    /* A new send restarts the exchange: finish with the previous response. */
    release_connection(request, e, e->state == STATE_DONE && e->framing.keep_alive);
    free(e->body);
    e->body = NULL;
    e->body_len = e->written = 0;
    e->total_len = total_len > optional_len ? total_len : optional_len;
    e->redirects = 0;
    e->cancelled = 0;
    if (optional_len)
    {
        if (!(e->body = malloc(optional_len))) { res = ERROR_OUTOFMEMORY; goto done; }
        memcpy(e->body, optional, optional_len);
        e->body_len = optional_len;
    }
    free(e->verb);
    if (!(e->verb = strdupW(request->verb))) { res = ERROR_OUTOFMEMORY; goto done; }
    {
        WCHAR *path = escape_path(request->path, request->flags);
        if (!path) { res = ERROR_OUTOFMEMORY; goto done; }
        res = set_target(e, request->connect->hostname, request->port, request_is_secure(request), path);
        free(path);
        if (res) goto done;
    }

    e->state = STATE_NEW;
    if ((res = start_exchange(request, e, FALSE)))
    {
        e->state = STATE_FAILED;
        res = map_cancel(e, res);
        goto done;
    }
    e->state = e->written < e->total_len ? STATE_SENDING : STATE_SENT;

done:
    release_object(obj);
    TRACE("returning %u\n", res);
    SetLastError(res);
    return !res;
}

BOOL WINAPI WinHttpWriteData(HINTERNET hrequest, LPCVOID buffer, DWORD to_write, LPDWORD written)
{
    struct request *request;
    struct object *obj;
    struct engine *e;
    DWORD res = ERROR_SUCCESS;

    TRACE("(%p, %p, %u, %p)\n", hrequest, buffer, to_write, written);

    if (!(obj = grab_object_type(hrequest, WINHTTP_HANDLE_TYPE_REQUEST))) return FALSE;
    request = request_from_object(obj);
    e = request->engine;
    if (!buffer && to_write) res = ERROR_INVALID_PARAMETER;
    else if (!e || (e->state != STATE_SENDING && e->state != STATE_SENT)) res = ERROR_WINHTTP_INCORRECT_HANDLE_STATE;
    else if (to_write && !(res = conn_send(e->conn, buffer, to_write, request->settings.send_timeout)))
    {
        e->written += to_write;
        if (e->written >= e->total_len) e->state = STATE_SENT;
    }
    if (res)
    {
        res = e ? map_cancel(e, res) : res;
        if (e && res != ERROR_INVALID_PARAMETER && res != ERROR_WINHTTP_INCORRECT_HANDLE_STATE)
        {
            release_connection(request, e, FALSE);
            e->state = STATE_FAILED;
        }
    }
    else
    {
        if (written) *written = to_write;
        send_callback(&request->obj, WINHTTP_CALLBACK_STATUS_WRITE_COMPLETE, &to_write, sizeof(to_write));
    }
    release_object(obj);
    SetLastError(res);
    return !res;
}

/* ------------------------------------------------------------------ */
/* receiving the head                                                  */

/* Latin-1 widening: header bytes are not UTF-8 by any standard, and this
 * keeps every byte round-trippable. */
static WCHAR *widen(const char *s, size_t len)
{
    WCHAR *ret = malloc((len + 1) * sizeof(WCHAR));
    size_t i;
    if (!ret) return NULL;
    for (i = 0; i < len; i++) ret[i] = (BYTE)s[i];
    ret[len] = 0;
    return ret;
}

static DWORD store_response(struct request *request, const struct http1_response *resp)
{
    struct strbuf sb = {0};
    DWORD res = ERROR_SUCCESS;
    size_t i;

    strbuf_append(&sb, L"HTTP/");
    strbuf_append_uint(&sb, resp->version_major);
    strbuf_append(&sb, L".");
    strbuf_append_uint(&sb, resp->version_minor);
    request->status_code = resp->status;
    if (!(request->response_version = strbuf_detach(&sb))) return ERROR_OUTOFMEMORY;
    if (!(request->status_text = widen(resp->reason, resp->reason_len))) return ERROR_OUTOFMEMORY;

    /* The raw headers are the lines we parsed, CRLF-separated. */
    strbuf_append(&sb, request->response_version);
    strbuf_append(&sb, L" ");
    strbuf_append_uint(&sb, resp->status);
    strbuf_append(&sb, L" ");
    strbuf_append(&sb, request->status_text);
    strbuf_append(&sb, L"\r\n");
    for (i = 0; i < resp->header_count && !res; i++)
    {
        const struct http1_header *h = &resp->headers[i];
        WCHAR *name, *value;
        size_t vlen = h->value_len;
        char *unfolded;

        if (!(unfolded = malloc(h->value_len + 1))) { res = ERROR_OUTOFMEMORY; break; }
        if (h->folded) vlen = http1_unfold(h->value, h->value_len, unfolded);
        else memcpy(unfolded, h->value, vlen);
        name = widen(h->name, h->name_len);
        value = widen(unfolded, vlen);
        free(unfolded);
        if (name && value) res = headers_add(&request->response_headers, name, value, WINHTTP_ADDREQ_FLAG_ADD, FALSE);
        else res = ERROR_OUTOFMEMORY;
        strbuf_append(&sb, name);
        strbuf_append(&sb, L": ");
        strbuf_append(&sb, value);
        strbuf_append(&sb, L"\r\n");
        free(name);
        free(value);
    }
    strbuf_append(&sb, L"\r\n");
    if (res)
    {
        strbuf_free(&sb);
        return res;
    }
    if (!(request->raw_response_headers = strbuf_detach(&sb))) return ERROR_OUTOFMEMORY;
    return ERROR_SUCCESS;
}

static void store_cookies(struct request *request, struct engine *e)
{
    static const WCHAR setcookieW[] = {'S','e','t','-','C','o','o','k','i','e',0};
    struct session *session = request->connect->session;
    DWORD index = 0;
    int i;

    if ((request->settings.disable_flags & WINHTTP_DISABLE_COOKIES) || !session->cookies) return;
    while ((i = headers_find(&request->response_headers, setcookieW, index++)) >= 0)
        cookie_jar_set(session->cookies, e->host, e->path, e->secure, request->response_headers.items[i].value);
}

/* Read one response head (skipping 1xx interim responses) and decide the
 * framing of its body. */
static DWORD read_response_head(struct request *request, struct engine *e, BOOL *nothing_received)
{
    struct http1_header *lines;
    struct http1_response resp;
    struct connection *conn = e->conn;
    DWORD max_head = request->settings.max_response_header_size;
    DWORD interim = 0, res;
    char *method;
    int ret;

    *nothing_received = TRUE;
    if (!(lines = malloc(MAX_HEADER_LINES * sizeof(*lines)))) return ERROR_OUTOFMEMORY;
    send_callback(&request->obj, WINHTTP_CALLBACK_STATUS_RECEIVING_RESPONSE, NULL, 0);
    for (;;)
    {
        size_t got;

        http1_response_init(&resp, lines, MAX_HEADER_LINES);
        for (;;)
        {
            ret = http1_parse_response_head(conn->buf + conn->buf_start, conn_buffered(conn), max_head, &resp);
            if (ret != HTTP1_NEED_MORE) break;
            res = conn_fill(conn, request->settings.receive_response_timeout > 0 &&
                            request->settings.receive_timeout > 0 ?
                            max(request->settings.receive_response_timeout, request->settings.receive_timeout) :
                            request->settings.receive_timeout, &got);
            if (res) goto done;
            if (!got)
            {
                WARN("connection closed before a complete response head\n");
                res = ERROR_WINHTTP_INVALID_SERVER_RESPONSE;
                goto done;
            }
            *nothing_received = FALSE;
        }
        *nothing_received = FALSE;
        if (ret == HTTP1_ERR_TOO_LARGE)
        {
            WARN("response head larger than %u bytes or too many lines\n", max_head);
            res = ERROR_WINHTTP_HEADER_SIZE_OVERFLOW;
            goto done;
        }
        if (ret != HTTP1_OK)
        {
            WARN("malformed response head\n");
            res = ERROR_WINHTTP_INVALID_SERVER_RESPONSE;
            goto done;
        }
        if (resp.status >= 200 || resp.status == 101) break;

        /* 1xx: informational, the final response follows. */
        TRACE("interim response %d\n", resp.status);
        {
            DWORD status = resp.status;
            send_callback(&request->obj, WINHTTP_CALLBACK_STATUS_INTERMEDIATE_RESPONSE, &status, sizeof(status));
        }
        conn->buf_start += resp.head_len;
        if (++interim > request->settings.max_status_1xx)
        {
            res = ERROR_WINHTTP_INVALID_SERVER_RESPONSE;
            goto done;
        }
    }

    if ((res = store_response(request, &resp))) goto done;
    if (!(method = strdupWA(e->verb, -1, CP_ACP))) { res = ERROR_OUTOFMEMORY; goto done; }
    ret = http1_body_framing(method, resp.status, &resp, &e->framing);
    free(method);
    if (ret != HTTP1_OK)
    {
        WARN("invalid body framing (Content-Length / Transfer-Encoding)\n");
        res = ERROR_WINHTTP_INVALID_SERVER_RESPONSE;
        goto done;
    }
    {
        DWORD head_len = (DWORD)resp.head_len;
        send_callback(&request->obj, WINHTTP_CALLBACK_STATUS_RESPONSE_RECEIVED, &head_len, sizeof(head_len));
    }
    conn->buf_start += resp.head_len;
    if (!memcmp(request->response_version, L"HTTP/1.0", 9 * sizeof(WCHAR)) && e->framing.body == HTTP1_BODY_CLOSE)
        e->framing.keep_alive = FALSE;
    e->remaining = e->framing.content_length;
    if (e->framing.body == HTTP1_BODY_CHUNKED) chunked_init(&e->chunked);
    e->framed_eof = e->framing.body == HTTP1_BODY_NONE || e->framing.body == HTTP1_BODY_TUNNEL ||
                    (e->framing.body == HTTP1_BODY_LENGTH && !e->remaining);
    store_cookies(request, e);

done:
    free(lines);
    return res;
}

/* ------------------------------------------------------------------ */
/* the body                                                            */

/* Framed bytes: Content-Length, chunked or until close.  Returns up to cap
 * bytes of body (before content decoding) in out; 0 with framed_eof set at
 * the end.  Blocks for at most one receive. */
static DWORD read_framed(struct request *request, struct engine *e, char *out, size_t cap, size_t *len)
{
    struct connection *conn = e->conn;
    int timeout = request->settings.receive_timeout;
    size_t got, n;
    DWORD res;

    *len = 0;
    if (e->framed_eof || !cap) return ERROR_SUCCESS;

    switch (e->framing.body)
    {
    case HTTP1_BODY_LENGTH:
    case HTTP1_BODY_CLOSE:
        if (e->framing.body == HTTP1_BODY_LENGTH && cap > e->remaining) cap = (size_t)e->remaining;
        if (conn_buffered(conn))
        {
            n = min(cap, conn_buffered(conn));
            memcpy(out, conn->buf + conn->buf_start, n);
            conn->buf_start += n;
        }
        else
        {
            /* Large reads go straight into the caller's buffer. */
            if ((res = conn_recv(conn, out, cap, &n, timeout))) return res;
            if (!n)
            {
                if (e->framing.body == HTTP1_BODY_LENGTH)
                {
                    WARN("connection closed with %s body bytes missing\n", wine_dbgstr_longlong(e->remaining));
                    return ERROR_WINHTTP_CONNECTION_ERROR;
                }
                e->framed_eof = TRUE;
                return ERROR_SUCCESS;
            }
        }
        if (e->framing.body == HTTP1_BODY_LENGTH && !(e->remaining -= n)) e->framed_eof = TRUE;
        *len = n;
        return ERROR_SUCCESS;

    case HTTP1_BODY_CHUNKED:
        for (;;)
        {
            size_t used = 0, produced = 0;
            int ret;

            if (conn_buffered(conn))
            {
                ret = chunked_decode(&e->chunked, conn->buf + conn->buf_start, conn_buffered(conn), &used,
                                     out, cap, &produced);
                conn->buf_start += used;
                if (ret == CHUNKED_ERR)
                {
                    WARN("invalid chunked encoding\n");
                    return ERROR_WINHTTP_INVALID_SERVER_RESPONSE;
                }
                if (ret == CHUNKED_DONE) e->framed_eof = TRUE;
                if (produced || e->framed_eof)
                {
                    *len = produced;
                    return ERROR_SUCCESS;
                }
            }
            if ((res = conn_fill(conn, timeout, &got))) return res;
            if (!got)
            {
                WARN("connection closed inside a chunked body\n");
                return ERROR_WINHTTP_CONNECTION_ERROR;
            }
        }

    default:
        e->framed_eof = TRUE;
        return ERROR_SUCCESS;
    }
}

static enum decomp_type content_coding(struct request *request)
{
    static const WCHAR encodingW[] = {'C','o','n','t','e','n','t','-','E','n','c','o','d','i','n','g',0};
    DWORD flags = request->settings.decompression;
    const WCHAR *value;
    int i;

    if (!flags || (i = headers_find(&request->response_headers, encodingW, 0)) < 0) return DECOMP_NONE;
    value = request->response_headers.items[i].value;
    if ((flags & WINHTTP_DECOMPRESSION_FLAG_GZIP) && (!strcmpiW(value, L"gzip") || !strcmpiW(value, L"x-gzip")))
        return DECOMP_GZIP;
    if ((flags & WINHTTP_DECOMPRESSION_FLAG_DEFLATE) && !strcmpiW(value, L"deflate")) return DECOMP_DEFLATE;
    /* Brotli is decoded whenever decompression is on: Windows 11 does not
     * advertise it, but servers that send it anyway get understood. */
    if (!strcmpiW(value, L"br")) return DECOMP_BROTLI;
    return DECOMP_NONE;
}

#define RAW_BUFFER_SIZE 16384

/* Body bytes as the application sees them (decoded), up to cap. */
static DWORD read_body(struct request *request, struct engine *e, char *out, size_t cap, size_t *len)
{
    BOOL finishing = FALSE;
    DWORD res;

    *len = 0;
    if (e->body_eof || !cap) return ERROR_SUCCESS;
    if (!e->decoder)
    {
        if ((res = read_framed(request, e, out, cap, len))) return res;
        if (!*len && e->framed_eof) e->body_eof = TRUE;
        return ERROR_SUCCESS;
    }
    if (!e->raw && !(e->raw = malloc(RAW_BUFFER_SIZE))) return ERROR_OUTOFMEMORY;
    for (;;)
    {
        size_t used = 0, produced = 0, n;
        int ret;

        if (e->raw_start == e->raw_end && !e->framed_eof)
        {
            e->raw_start = e->raw_end = 0;
            if ((res = read_framed(request, e, e->raw, RAW_BUFFER_SIZE, &n))) return res;
            e->raw_end = n;
        }
        ret = decomp_run(e->decoder, e->raw + e->raw_start, e->raw_end - e->raw_start, &used, out, cap, &produced);
        e->raw_start += used;
        if (ret == DECOMP_ERROR)
        {
            WARN("invalid compressed body\n");
            return ERROR_WINHTTP_INVALID_SERVER_RESPONSE;
        }
        *len = produced;
        if (ret == DECOMP_DONE)
        {
            e->body_eof = TRUE;
            return ERROR_SUCCESS;
        }
        if (produced) return ERROR_SUCCESS;
        if (e->framed_eof && e->raw_start == e->raw_end)
        {
            /* No more input: the stream must have been complete. */
            ret = decomp_finish(e->decoder);
            if (ret == DECOMP_DONE)
            {
                e->body_eof = TRUE;
                return ERROR_SUCCESS;
            }
            if (ret == DECOMP_ERROR || finishing)
            {
                WARN("compressed body cut short\n");
                return ERROR_WINHTTP_INVALID_SERVER_RESPONSE;
            }
            finishing = TRUE;
        }
    }
}

/* After the body ended: the connection goes back to the pool if it can carry
 * another request. */
static void finish_body(struct request *request, struct engine *e)
{
    if (e->state != STATE_RESPONSE) return;
    e->state = STATE_DONE;
    release_connection(request, e, e->framing.keep_alive && e->conn && !conn_buffered(e->conn));
}

/* Refill the decoded buffer with at most one receive. */
static DWORD fill_decoded(struct request *request, struct engine *e)
{
    size_t len;
    DWORD res;

    if (e->dbuf_start < e->dbuf_end) return ERROR_SUCCESS;
    if (!e->dbuf && !(e->dbuf = malloc(DECODED_BUFFER_SIZE))) return ERROR_OUTOFMEMORY;
    e->dbuf_start = e->dbuf_end = 0;
    while (!e->body_eof)
    {
        if ((res = read_body(request, e, (char *)e->dbuf, DECODED_BUFFER_SIZE, &len))) return res;
        e->dbuf_end = len;
        if (len) break;
    }
    if (e->body_eof && e->dbuf_start == e->dbuf_end) finish_body(request, e);
    return ERROR_SUCCESS;
}

/* Read and drop the rest of a body (before a redirect), within the drain
 * limit; FALSE when the connection cannot be reused. */
static BOOL drain_body(struct request *request, struct engine *e)
{
    DWORD limit = request->settings.max_response_drain_size, drained = 0;
    char buf[8192];
    size_t len;

    if (!e->framing.keep_alive) return FALSE;
    while (!e->framed_eof)
    {
        if (read_framed(request, e, buf, sizeof(buf), &len)) return FALSE;
        if ((drained += len) > limit) return FALSE;
    }
    return TRUE;
}

/* ------------------------------------------------------------------ */
/* redirects                                                           */

static BOOL is_redirect(DWORD status)
{
    return status == HTTP_STATUS_MOVED || status == HTTP_STATUS_REDIRECT || status == HTTP_STATUS_REDIRECT_METHOD ||
           status == HTTP_STATUS_REDIRECT_KEEP_VERB || status == HTTP_STATUS_PERMANENT_REDIRECT;
}

/* Follow a redirect if policy allows: returns ERROR_SUCCESS with *followed set
 * when a new exchange was started. */
static DWORD handle_redirect(struct request *request, struct engine *e, BOOL *followed)
{
    static const WCHAR locationW[] = {'L','o','c','a','t','i','o','n',0};
    static const WCHAR authW[] = {'A','u','t','h','o','r','i','z','a','t','i','o','n',0};
    URL_COMPONENTS uc;
    WCHAR *base, *target = NULL, *host = NULL, *path = NULL;
    DWORD status = request->status_code, res;
    BOOL secure, reusable;
    int i;

    *followed = FALSE;
    if (!is_redirect(status)) return ERROR_SUCCESS;
    if (request->settings.disable_flags & WINHTTP_DISABLE_REDIRECTS) return ERROR_SUCCESS;
    if (request->settings.redirect_policy == WINHTTP_OPTION_REDIRECT_POLICY_NEVER) return ERROR_SUCCESS;
    if ((i = headers_find(&request->response_headers, locationW, 0)) < 0) return ERROR_SUCCESS;
    /* A streamed body (WinHttpWriteData) cannot be sent again. */
    if ((status == HTTP_STATUS_REDIRECT_KEEP_VERB || status == HTTP_STATUS_PERMANENT_REDIRECT) &&
        e->total_len > e->body_len)
        return ERROR_SUCCESS;
    if (e->redirects >= request->settings.max_redirects)
    {
        WARN("more than %u redirects\n", request->settings.max_redirects);
        return ERROR_WINHTTP_REDIRECT_FAILED;
    }

    {
        struct strbuf sb = {0};
        append_origin(&sb, e->host, e->port, e->secure);
        strbuf_append(&sb, e->path);
        if (!(base = strbuf_detach(&sb))) return ERROR_OUTOFMEMORY;
    }
    target = url_resolve(base, request->response_headers.items[i].value);
    free(base);
    if (!target) return ERROR_WINHTTP_REDIRECT_FAILED;

    memset(&uc, 0, sizeof(uc));
    uc.dwStructSize = sizeof(uc);
    uc.dwHostNameLength = uc.dwUrlPathLength = uc.dwExtraInfoLength = ~0u;
    if (!WinHttpCrackUrl(target, 0, 0, &uc) ||
        (uc.nScheme != INTERNET_SCHEME_HTTP && uc.nScheme != INTERNET_SCHEME_HTTPS))
    {
        WARN("unusable redirect target %s\n", debugstr_w(target));
        free(target);
        return ERROR_WINHTTP_REDIRECT_FAILED;
    }
    secure = uc.nScheme == INTERNET_SCHEME_HTTPS;
    if (e->secure && !secure && request->settings.redirect_policy ==
        WINHTTP_OPTION_REDIRECT_POLICY_DISALLOW_HTTPS_TO_HTTP)
    {
        TRACE("not following https -> http redirect to %s\n", debugstr_w(target));
        free(target);
        return ERROR_SUCCESS;
    }

    send_callback(&request->obj, WINHTTP_CALLBACK_STATUS_REDIRECT, target, (strlenW(target) + 1) * sizeof(WCHAR));
    host = strndupW(uc.lpszHostName, uc.dwHostNameLength);
    path = malloc((uc.dwUrlPathLength + uc.dwExtraInfoLength + 2) * sizeof(WCHAR));
    if (!host || !path)
    {
        free(host); free(path); free(target);
        return ERROR_OUTOFMEMORY;
    }
    memcpy(path, uc.lpszUrlPath, uc.dwUrlPathLength * sizeof(WCHAR));
    memcpy(path + uc.dwUrlPathLength, uc.lpszExtraInfo, uc.dwExtraInfoLength * sizeof(WCHAR));
    path[uc.dwUrlPathLength + uc.dwExtraInfoLength] = 0;
    if (!path[0]) { path[0] = '/'; path[1] = 0; }
    /* A fragment stays with the client. */
    { WCHAR *hash; for (hash = path; *hash && *hash != '#'; hash++) ; *hash = 0; }

    reusable = drain_body(request, e);
    release_connection(request, e, reusable);

    /* Credentials never follow a redirect to another host. */
    if (strcmpiW(host, e->host) || uc.nPort != e->port || secure != e->secure)
    {
        while ((i = headers_find(&request->request_headers, authW, 0)) >= 0 &&
               !request->request_headers.items[i].is_request_user)
            headers_remove(&request->request_headers, i);
    }

    /* RFC 9110 15.4: 303 always, and 301/302 for POST by long-standing
     * practice (as Windows does), turn into a GET without a body. */
    if (status == HTTP_STATUS_REDIRECT_METHOD ||
        ((status == HTTP_STATUS_MOVED || status == HTTP_STATUS_REDIRECT) && !strcmpiW(e->verb, L"POST")))
    {
        if (strcmpiW(e->verb, headW))
        {
            free(e->verb);
            if (!(e->verb = strdupW(getW))) { free(host); free(path); free(target); return ERROR_OUTOFMEMORY; }
        }
        free(e->body);
        e->body = NULL;
        e->body_len = e->total_len = 0;
    }
    res = set_target(e, host, uc.nPort, secure, path);
    free(host);
    free(path);
    free(target);
    if (res) return res;
    e->redirects++;
    if ((res = start_exchange(request, e, FALSE))) return res;
    *followed = TRUE;
    return ERROR_SUCCESS;
}

BOOL WINAPI WinHttpReceiveResponse(HINTERNET hrequest, LPVOID reserved)
{
    struct request *request;
    struct object *obj;
    struct engine *e;
    DWORD res = ERROR_SUCCESS;

    TRACE("(%p, %p)\n", hrequest, reserved);

    if (!(obj = grab_object_type(hrequest, WINHTTP_HANDLE_TYPE_REQUEST))) return FALSE;
    request = request_from_object(obj);
    e = request->engine;
    if (!e || e->state != STATE_SENT)
    {
        res = ERROR_WINHTTP_INCORRECT_HANDLE_STATE;
        goto done;
    }
    for (;;)
    {
        BOOL nothing, followed;

        res = read_response_head(request, e, &nothing);
        if (res && nothing && e->conn_reused && !e->cancelled && e->total_len == e->body_len)
        {
            /* The server closed the idle connection as we reused it. */
            TRACE("stale keep-alive connection, resending on a new one\n");
            release_connection(request, e, FALSE);
            if (!(res = start_exchange(request, e, TRUE))) res = read_response_head(request, e, &nothing);
        }
        if (res) break;
        e->state = STATE_RESPONSE;
        if ((res = handle_redirect(request, e, &followed)) || !followed) break;
        e->state = STATE_SENT;
    }
    if (!res && e->state == STATE_RESPONSE)
    {
        enum decomp_type coding = content_coding(request);
        if (coding != DECOMP_NONE && !(e->decoder = decomp_new(coding))) res = ERROR_OUTOFMEMORY;
        else if (e->framed_eof && !e->decoder)
        {
            e->body_eof = TRUE;
            finish_body(request, e);
        }
        if (!res) send_callback(&request->obj, WINHTTP_CALLBACK_STATUS_HEADERS_AVAILABLE, NULL, 0);
    }
    if (res)
    {
        res = map_cancel(e, res);
        release_connection(request, e, FALSE);
        e->state = STATE_FAILED;
    }

done:
    release_object(obj);
    TRACE("returning %u\n", res);
    SetLastError(res);
    return !res;
}

/* ------------------------------------------------------------------ */
/* reading                                                             */

static DWORD check_readable(struct engine *e)
{
    if (!e) return ERROR_WINHTTP_INCORRECT_HANDLE_STATE;
    if (e->state == STATE_RESPONSE || e->state == STATE_DONE) return ERROR_SUCCESS;
    return ERROR_WINHTTP_INCORRECT_HANDLE_STATE;
}

BOOL WINAPI WinHttpQueryDataAvailable(HINTERNET hrequest, LPDWORD available)
{
    struct request *request;
    struct object *obj;
    struct engine *e;
    DWORD res, count = 0;

    TRACE("(%p, %p)\n", hrequest, available);

    if (!(obj = grab_object_type(hrequest, WINHTTP_HANDLE_TYPE_REQUEST))) return FALSE;
    request = request_from_object(obj);
    e = request->engine;
    if (!(res = check_readable(e)) && !(res = fill_decoded(request, e)))
    {
        count = (DWORD)(e->dbuf_end - e->dbuf_start);
        /* What else the connection already holds can be read without waiting. */
        if (!e->decoder && e->state == STATE_RESPONSE && e->conn &&
            (e->framing.body == HTTP1_BODY_LENGTH || e->framing.body == HTTP1_BODY_CLOSE))
        {
            ULONGLONG more = conn_buffered(e->conn);
            if (e->framing.body == HTTP1_BODY_LENGTH && more > e->remaining) more = e->remaining;
            count += (DWORD)more;
        }
        if (available) *available = count;
        send_callback(&request->obj, WINHTTP_CALLBACK_STATUS_DATA_AVAILABLE, &count, sizeof(count));
    }
    else if (e && res != ERROR_WINHTTP_INCORRECT_HANDLE_STATE)
    {
        res = map_cancel(e, res);
        release_connection(request, e, FALSE);
        e->state = STATE_FAILED;
    }
    release_object(obj);
    TRACE("returning %u, %u available\n", res, count);
    SetLastError(res);
    return !res;
}

static DWORD read_data(struct request *request, struct engine *e, BYTE *buffer, DWORD to_read, DWORD *read)
{
    size_t n, len;
    DWORD res;

    *read = 0;
    if ((res = check_readable(e))) return res;
    while (*read < to_read)
    {
        if (e->dbuf_start < e->dbuf_end)
        {
            n = min(to_read - *read, e->dbuf_end - e->dbuf_start);
            memcpy(buffer + *read, e->dbuf + e->dbuf_start, n);
            e->dbuf_start += n;
            *read += n;
            continue;
        }
        if (e->body_eof) break;
        /* Past what is buffered, read straight into the caller's buffer, but
         * return rather than wait once some bytes are there. */
        if (*read && (!e->conn || !conn_buffered(e->conn))) break;
        if ((res = read_body(request, e, (char *)buffer + *read, to_read - *read, &len))) return res;
        *read += len;
    }
    if (e->body_eof && e->dbuf_start == e->dbuf_end) finish_body(request, e);
    return ERROR_SUCCESS;
}

BOOL WINAPI WinHttpReadData(HINTERNET hrequest, LPVOID buffer, DWORD to_read, LPDWORD read)
{
    struct request *request;
    struct object *obj;
    struct engine *e;
    DWORD res, count = 0;

    TRACE("(%p, %p, %u, %p)\n", hrequest, buffer, to_read, read);

    if (!(obj = grab_object_type(hrequest, WINHTTP_HANDLE_TYPE_REQUEST))) return FALSE;
    request = request_from_object(obj);
    e = request->engine;
    if (!buffer && to_read) res = ERROR_INVALID_PARAMETER;
    else res = read_data(request, e, buffer, to_read, &count);
    if (res && e && res != ERROR_WINHTTP_INCORRECT_HANDLE_STATE && res != ERROR_INVALID_PARAMETER)
    {
        res = map_cancel(e, res);
        release_connection(request, e, FALSE);
        e->state = STATE_FAILED;
    }
    if (!res)
    {
        if (read) *read = count;
        send_callback(&request->obj, WINHTTP_CALLBACK_STATUS_READ_COMPLETE, buffer, count);
    }
    release_object(obj);
    TRACE("returning %u, read %u\n", res, count);
    SetLastError(res);
    return !res;
}

DWORD WINAPI WinHttpReadDataEx(HINTERNET hrequest, LPVOID buffer, DWORD to_read, LPDWORD read, ULONGLONG flags,
                               DWORD property_size, PVOID property)
{
    TRACE("(%p, %p, %u, %p, %s, %u, %p)\n", hrequest, buffer, to_read, read, wine_dbgstr_longlong(flags),
          property_size, property);
    if (property_size || property) return ERROR_INVALID_PARAMETER;
    if (flags & WINHTTP_READ_DATA_EX_FLAG_FILL_BUFFER)
    {
        /* Fill the whole buffer unless the body ends first. */
        DWORD total = 0, n;
        while (total < to_read)
        {
            if (!WinHttpReadData(hrequest, (BYTE *)buffer + total, to_read - total, &n)) return GetLastError();
            if (!n) break;
            total += n;
        }
        if (read) *read = total;
        return ERROR_SUCCESS;
    }
    if (flags) FIXME_ONCE("flags %s not supported\n", wine_dbgstr_longlong(flags));
    return WinHttpReadData(hrequest, buffer, to_read, read) ? ERROR_SUCCESS : GetLastError();
}
