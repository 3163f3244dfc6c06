/*
 * One HTTP exchange as a state machine (enum phase): take a connection from
 * the pool or open one (resolve, connect), send the request, read the
 * response head (skipping 1xx), and follow redirects.  exchange_step advances
 * as far as it can without blocking; see engine.h.
 */
#include "winhttp_private.h"
#include "wincrypt.h"
#include "engine.h"
#include "subrequest.h"
#include "cert.h"
#include "autoproxy.h"

WINE_DEFAULT_DEBUG_CHANNEL(winhttp);


static DWORD read_head(struct request *request, struct engine *e, BOOL *final);
static DWORD process_head(struct request *request, struct engine *e);
static DWORD phase_after_head(struct request *request, struct engine *e);

DWORD map_cancel(struct engine *e, DWORD res)
{
    return e->cancelled ? ERROR_WINHTTP_OPERATION_CANCELLED : res;
}

static void give_back_connection(struct request *request, struct engine *e, BOOL reusable, BOOL notify)
{
    struct session *session = request->connect->session;
    struct connection *conn;

    AcquireSRWLockExclusive(&e->lock);
    conn = e->conn;
    e->conn = NULL;
    if (conn) e->stream_error_code = conn->stream ? h2_stream_error_code(conn->stream) : 0;
    ReleaseSRWLockExclusive(&e->lock);
    if (e->h2_opening)
    {
        h2_decline(e->h2_opening);
        e->h2_opening = NULL;
    }
    if (!e->pool_key) return;
    /* An h2 stream ending closes no connection. */
    notify = notify && conn && !reusable && !conn->stream;
    if (notify) send_callback(&request->obj, WINHTTP_CALLBACK_STATUS_CLOSING_CONNECTION, NULL, 0);
    conn_pool_release(session->pool, e->pool_key, conn, reusable);
    if (notify) send_callback(&request->obj, WINHTTP_CALLBACK_STATUS_CONNECTION_CLOSED, NULL, 0);
    free(e->pool_key);
    e->pool_key = NULL;
}

void release_connection(struct request *request, struct engine *e, BOOL reusable)
{
    give_back_connection(request, e, reusable, TRUE);
}

/* A connection the server ended: closed without notifications. */
void release_connection_quietly(struct request *request, struct engine *e)
{
    give_back_connection(request, e, FALSE, FALSE);
}

void reset_response(struct request *request, struct engine *e)
{
    decomp_free(e->decoder);
    e->decoder = NULL;
    engine_buffer_put(e->raw, RAW_BUFFER_SIZE);
    e->raw = NULL;
    e->raw_start = e->raw_end = 0;
    engine_buffer_put(e->dbuf, DECODED_BUFFER_SIZE);
    e->dbuf = NULL;
    e->dbuf_start = e->dbuf_end = 0;
    e->framed_eof = e->body_eof = FALSE;
    e->head_started = FALSE;
    e->interim = 0;
    e->drained = 0;
    memset(&e->framing, 0, sizeof(e->framing));
    headers_clear(&request->response_headers);
    headers_clear(&request->response_trailers);
    request->trailers_ready = FALSE;
    free(request->status_text);
    free(request->response_version);
    free(request->raw_response_headers);
    request->status_text = request->response_version = request->raw_response_headers = NULL;
    request->status_code = 0;
}

DWORD set_target(struct engine *e, const WCHAR *host, INTERNET_PORT port, BOOL secure, const WCHAR *path)
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

/* ------------------------------------------------------------------ */
/* the connection                                                      */

static void choose_proxy(struct request *request, struct engine *e)
{
    struct session *session = request->connect->session;

    free(e->proxy_host);
    e->proxy_host = NULL;
    AcquireSRWLockShared(&request->obj.lock);
    if (request->proxy_set)
    {
        if (request->proxy.dwAccessType == WINHTTP_ACCESS_TYPE_NAMED_PROXY && request->proxy.lpszProxy)
            proxy_select(request->proxy.lpszProxy, request->proxy.lpszProxyBypass, e->host, e->port, e->secure,
                         &e->proxy_host, &e->proxy_port);
        ReleaseSRWLockShared(&request->obj.lock);
        return;
    }
    ReleaseSRWLockShared(&request->obj.lock);

    if (session->access_type == WINHTTP_ACCESS_TYPE_AUTOMATIC_PROXY)
    {
        autoproxy_choose(session, e->host, e->port, e->secure, e->path, &e->autoproxy, &e->proxy_host,
                         &e->proxy_port);
        return;
    }
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

static void callback_with_string(struct request *request, DWORD status, const WCHAR *str)
{
    send_callback(&request->obj, status, (void *)str, (strlenW(str) + 1) * sizeof(WCHAR));
}

static void address_string(struct engine *e, WCHAR *buf, size_t size)
{
    char addr[64];
    net_addrs_string(e->addrs, e->addr_index, addr, sizeof(addr));
    MultiByteToWideChar(CP_ACP, 0, addr, -1, buf, size);
}

static void remember_addresses(struct engine *e)
{
    memcpy(e->local_addr, e->conn->local_addr, sizeof(e->local_addr));
    memcpy(e->remote_addr, e->conn->remote_addr, sizeof(e->remote_addr));
    e->have_addresses = TRUE;
}

static struct tls_der_list *dup_der_list(const struct tls_der_list *list)
{
    struct tls_der_list *copy;
    size_t size = offsetof(struct tls_der_list, item[list->count ? list->count : 1]), i;
    BYTE *p;

    for (i = 0; i < list->count; i++) size += list->item[i].len;
    if (!(copy = malloc(size))) return NULL;
    copy->count = list->count;
    p = (BYTE *)&copy->item[list->count ? list->count : 1];
    for (i = 0; i < list->count; i++)
    {
        memcpy(p, list->item[i].data, list->item[i].len);
        copy->item[i].data = p;
        copy->item[i].len = list->item[i].len;
        p += list->item[i].len;
    }
    return copy;
}

/* Once per handshake: the RFC 5929 channel binding of the server's
 * certificate, "tls-server-end-point:" and its hash. */
static void compute_channel_binding(struct connection *conn)
{
    static const char prefix[] = "tls-server-end-point:";
    unsigned char hash[64];
    size_t hash_len;

    conn->cbt_len = 0;
    if (conn->peer_chain && conn->peer_chain->count &&
        !tls_server_end_point(conn->peer_chain->item[0].data, conn->peer_chain->item[0].len, hash, &hash_len) &&
        sizeof(prefix) - 1 + hash_len <= sizeof(conn->cbt))
    {
        memcpy(conn->cbt, prefix, sizeof(prefix) - 1);
        memcpy(conn->cbt + sizeof(prefix) - 1, hash, hash_len);
        conn->cbt_len = sizeof(prefix) - 1 + hash_len;
    }
}

/* What the options and the auth layer need of the TLS connection, kept by
 * the request because the connection goes back to the pool. */
static void remember_tls(struct engine *e)
{
    tls_get_info(e->conn->tls, &e->tls_info);
    e->have_tls_info = TRUE;
    free(e->peer_chain);
    e->peer_chain = e->conn->peer_chain ? dup_der_list(e->conn->peer_chain) : NULL;
    e->cbt_len = min(e->conn->cbt_len, sizeof(e->cbt));
    memcpy(e->cbt, e->conn->cbt, e->cbt_len);
}

/* HTTP/2 is offered over TLS when the application enabled it (never h2c:
 * Windows does not speak it over plain http), not for a WebSocket upgrade. */
static BOOL wants_h2(struct request *request, struct engine *e)
{
    return (request->settings.http_protocol_enable & WINHTTP_PROTOCOL_FLAG_HTTP2) && e->secure && !e->h2_skip &&
           !request->upgrade_to_websocket;
}

static void h2_options_of(struct request *request, struct h2_options *options)
{
    options->no_queue = request->settings.disable_stream_queue;
    /* Documented as milliseconds; 0 (the default) sends no PINGs. */
    options->keepalive_ms = request->settings.http2_keepalive;
}

static DWORD phase_acquire(struct request *request, struct engine *e)
{
    struct session *session = request->connect->session;
    struct connection *conn = NULL;
    DWORD res;

    if ((res = websocket_check_request(request))) return res;
    choose_proxy(request, e);
    free(e->pool_key);
    if (!(e->pool_key = make_pool_key(e))) return ERROR_OUTOFMEMORY;
    if (wants_h2(request, e))
    {
        /* A stream on the origin's shared h2 connection, or the promise to
         * open it: later requests then wait for it (PHASE_STREAM). */
        struct h2_options options;
        h2_options_of(request, &options);
        if ((res = h2_acquire(session->pool, e->pool_key, &options, &conn, &e->h2_opening))) return res;
        if (conn)
        {
            AcquireSRWLockExclusive(&e->lock);
            e->conn = conn;
            if (e->cancelled) conn_abort(conn);
            ReleaseSRWLockExclusive(&e->lock);
            e->fresh = FALSE;
            e->conn_reused = TRUE;
            e->head_bytes = FALSE;
            e->phase = PHASE_STREAM;
            return ERROR_SUCCESS;
        }
    }
    /* A session's connection limit makes us wait here (a thread-pool thread
     * in asynchronous mode) until another request gives one back. */
    if ((res = conn_pool_acquire(session->pool, e->pool_key, request->settings.max_conns_per_server, &conn)))
        return res;
    if (conn && e->fresh)
    {
        conn_close(conn);
        conn = NULL;
    }
    e->fresh = FALSE;
    e->conn_reused = conn != NULL;
    e->head_bytes = FALSE;
    if (!conn)
    {
        e->phase = PHASE_RESOLVE;
        return ERROR_SUCCESS;
    }
    AcquireSRWLockExclusive(&e->lock);
    e->conn = conn;
    if (e->cancelled) conn_abort(conn);
    ReleaseSRWLockExclusive(&e->lock);
    remember_addresses(e);
    if (conn->tls_ready) remember_tls(e);
    e->phase = PHASE_SEND;
    if (e->secure && !conn->tls_ready)
    {
        /* A proxy connection whose CONNECT was refused (407) came back to
         * the pool: ask for the tunnel again on it (connection-based proxy
         * authentication needs that very connection). */
        e->tunnel_sent = FALSE;
        e->phase = e->proxy_host ? PHASE_TUNNEL : PHASE_TLS;
    }
    return ERROR_SUCCESS;
}

/* A stream on a shared h2 connection: wait until that connection is up. */
static DWORD phase_stream(struct request *request, struct engine *e)
{
    DWORD res = h2_stream_ready(e->conn->stream);

    if (res == ERROR_IO_PENDING) return engine_wait(e, H2_WANT_STREAM, request->settings.connect_timeout);
    if (res == H2_DECLINED || res == ERROR_WINHTTP_CONNECTION_ERROR)
    {
        /* Not h2 after all (or that connection died before it carried
         * anything of ours): open one of our own. */
        TRACE("shared connection unavailable (%u), opening one\n", res);
        release_connection_quietly(request, e);
        if (res == H2_DECLINED) e->h2_skip = TRUE;
        else if (e->retried) return res;
        else e->retried = TRUE;
        e->phase = PHASE_ACQUIRE;
        return ERROR_SUCCESS;
    }
    if (res) return res;
    remember_addresses(e);
    remember_tls(e);
    e->phase = PHASE_SEND;
    return ERROR_SUCCESS;
}

static DWORD phase_resolve(struct request *request, struct engine *e)
{
    const WCHAR *server = e->proxy_host ? e->proxy_host : e->host;
    INTERNET_PORT port = e->proxy_host ? e->proxy_port : e->port;
    WCHAR addr[64];
    char *name;
    DWORD res;

    callback_with_string(request, WINHTTP_CALLBACK_STATUS_RESOLVING_NAME, server);
    if (!(name = strdupWA(server, -1, CP_UTF8))) return ERROR_OUTOFMEMORY;
    /* getaddrinfo blocks: in asynchronous mode this runs on a pool thread. */
    net_addrs_free(e->addrs);
    e->addrs = NULL;
    res = net_resolve(name, port, request->settings.resolve_timeout, &e->addrs);
    free(name);
    if (res && e->proxy_host && !e->cancelled && autoproxy_failover(e->autoproxy))
    {
        /* The PAC named more than this proxy: the next one (the slot
         * taken for this one goes back first). */
        release_connection_quietly(request, e);
        e->phase = PHASE_ACQUIRE;
        return ERROR_SUCCESS;
    }
    if (res) return res;
    e->addr_index = 0;
    address_string(e, addr, ARRAY_SIZE(addr));
    callback_with_string(request, WINHTTP_CALLBACK_STATUS_NAME_RESOLVED, addr);
    e->phase = PHASE_CONNECT;
    return ERROR_SUCCESS;
}

static DWORD phase_connect(struct request *request, struct engine *e)
{
    struct net_socket *sock;
    struct connection *conn;
    WCHAR addr[64];
    DWORD res;

    address_string(e, addr, ARRAY_SIZE(addr));
    callback_with_string(request, WINHTTP_CALLBACK_STATUS_CONNECTING_TO_SERVER, addr);
    TRACE("connecting to %s port %u\n", debugstr_w(addr), e->proxy_host ? e->proxy_port : e->port);
    res = net_connect_start(e->addrs, e->addr_index, &sock);
    if (res && res != ERROR_IO_PENDING) return res;
    if (!(conn = conn_create(sock)))
    {
        net_close(sock);
        return ERROR_OUTOFMEMORY;
    }
    AcquireSRWLockExclusive(&e->lock);
    e->conn = conn;
    if (e->cancelled) conn_abort(conn);
    ReleaseSRWLockExclusive(&e->lock);
    e->phase = PHASE_CONNECTING;
    if (res == ERROR_IO_PENDING) return engine_wait(e, NET_WANT_WRITE, request->settings.connect_timeout);
    return ERROR_SUCCESS;
}

static DWORD phase_connecting(struct request *request, struct engine *e)
{
    WCHAR addr[64];
    DWORD res;

    if ((res = net_connect_finish(e->conn->sock)))
    {
        struct connection *conn;

        AcquireSRWLockExclusive(&e->lock);
        conn = e->conn;
        e->conn = NULL;
        ReleaseSRWLockExclusive(&e->lock);
        conn_close(conn);
        /* Try the next address (IPv6 and IPv4 of one name, say). */
        if (res == ERROR_WINHTTP_CANNOT_CONNECT && e->addr_index + 1 < net_addrs_count(e->addrs) && !e->cancelled)
        {
            e->addr_index++;
            e->phase = PHASE_CONNECT;
            return ERROR_SUCCESS;
        }
        if (e->proxy_host && !e->cancelled && autoproxy_failover(e->autoproxy))
        {
            /* A proxy the PAC named refused us: its next entry. */
            WARN("proxy %s:%u unreachable (%u), failing over\n", debugstr_w(e->proxy_host), e->proxy_port, res);
            release_connection_quietly(request, e);
            e->phase = PHASE_ACQUIRE;
            return ERROR_SUCCESS;
        }
        return res;
    }
    conn_connected(e->conn);
    remember_addresses(e);
    address_string(e, addr, ARRAY_SIZE(addr));
    callback_with_string(request, WINHTTP_CALLBACK_STATUS_CONNECTED_TO_SERVER, addr);
    net_addrs_free(e->addrs);
    e->addrs = NULL;
    if (e->secure) e->phase = e->proxy_host ? PHASE_TUNNEL : PHASE_TLS;
    else e->phase = PHASE_SEND;
    e->tunnel_sent = FALSE;
    return ERROR_SUCCESS;
}

/* ------------------------------------------------------------------ */
/* https: the CONNECT tunnel through a proxy, then TLS                 */

static DWORD build_connect_request(struct request *request, struct engine *e)
{
    static const WCHAR proxy_authW[] = {'P','r','o','x','y','-','A','u','t','h','o','r','i','z','a','t','i','o','n',0};
    struct strbuf sb = {0};
    WCHAR *host, *text;
    int i, n;

    if (!(host = host_for_uri(e->host))) return ERROR_OUTOFMEMORY;
    strbuf_append(&sb, L"CONNECT ");
    strbuf_append(&sb, host);
    strbuf_append(&sb, L":");
    strbuf_append_uint(&sb, e->port);
    strbuf_append(&sb, L" HTTP/1.1\r\nHost: ");
    strbuf_append(&sb, host);
    strbuf_append(&sb, L":");
    strbuf_append_uint(&sb, e->port);
    strbuf_append(&sb, L"\r\n");
    free(host);
    /* Proxy credentials go on the CONNECT; nothing else of the request does. */
    {
        struct auth_target target;
        auth_target_init(e, &target);
        target.tunnel = TRUE;
        auth_prepare_request(request, &target);
    }
    if ((i = headers_find(&request->request_headers, proxy_authW, 0)) >= 0)
    {
        strbuf_append(&sb, L"Proxy-Authorization: ");
        strbuf_append(&sb, request->request_headers.items[i].value);
        strbuf_append(&sb, L"\r\n");
    }
    strbuf_append(&sb, L"\r\n");
    if (!(text = strbuf_detach(&sb))) return ERROR_OUTOFMEMORY;
    n = WideCharToMultiByte(CP_ACP, 0, text, -1, NULL, 0, NULL, NULL);
    free(e->out);
    if ((e->out = malloc(n))) WideCharToMultiByte(CP_ACP, 0, text, -1, e->out, n, NULL, NULL);
    free(text);
    if (!e->out) return ERROR_OUTOFMEMORY;
    e->out_len = n - 1;
    e->out_pos = 0;
    TRACE("CONNECT %s:%u through %s:%u\n", debugstr_w(e->host), e->port, debugstr_w(e->proxy_host), e->proxy_port);
    return ERROR_SUCCESS;
}

static DWORD phase_tunnel(struct request *request, struct engine *e)
{
    struct connection *conn = e->conn;
    size_t sent;
    BOOL final;
    DWORD res;

    if (!e->tunnel_sent)
    {
        if (!e->out && (res = build_connect_request(request, e))) return res;
        while (e->out_pos < e->out_len)
        {
            res = conn_try_send(conn, e->out + e->out_pos, e->out_len - e->out_pos, &sent);
            if (res == ERROR_IO_PENDING) return engine_wait(e, conn->want, request->settings.send_timeout);
            if (res) return res;
            e->out_pos += sent;
        }
        free(e->out);
        e->out = NULL;
        e->tunnel_sent = TRUE;
        e->head_started = FALSE;
    }
    /* The proxy's answer is read like any response head. */
    if ((res = read_head(request, e, &final))) return res;
    if (!final) return ERROR_SUCCESS;       /* a 1xx was skipped */
    if (e->resp.status >= 200 && e->resp.status < 300)
    {
        conn->buf_start += e->resp.head_len;
        if (conn_buffered(conn))
        {
            WARN("proxy sent data after its CONNECT response\n");
            return ERROR_WINHTTP_INVALID_SERVER_RESPONSE;
        }
        TRACE("tunnel to %s:%u established\n", debugstr_w(e->host), e->port);
        e->phase = PHASE_TLS;
        return ERROR_SUCCESS;
    }
    /* The proxy refused (407 wants credentials): that is the response the
     * application gets, with its body. */
    WARN("proxy answered CONNECT with %d\n", e->resp.status);
    if ((res = process_head(request, e))) return res;
    e->framing.keep_alive = e->framing.keep_alive && e->framing.body != HTTP1_BODY_TUNNEL;
    return phase_after_head(request, e);
}

/* KB915787: a CRL or OCSP answer is fetched the way the session fetches
 * anything (its proxy, its proxy credentials for a 407 of any scheme), by a
 * sub-request on the event loop (subrequest.c): no thread waits for the
 * revocation server.  Capped like Windows' CAPI downloads. */
#define REVOCATION_MAX_SIZE (16 * 1024 * 1024)

/* The sub-request's hook, on an event-loop thread. */
static void revocation_fetched(void *ctx, DWORD error, DWORD status, BYTE *body, SIZE_T size)
{
    struct request *request = ctx;
    struct engine *e = request->engine;
    BOOL resume;

    if (error || status != HTTP_STATUS_OK)
        WARN("revocation information unavailable: error %u, status %u\n", error, status);
    AcquireSRWLockExclusive(&e->lock);
    e->sub = NULL;
    e->sub_error = error;
    e->sub_status = status;
    free(e->sub_body);
    e->sub_body = body;
    e->sub_size = size;
    e->sub_done = TRUE;
    resume = e->sub_parked;
    e->sub_parked = FALSE;
    WakeAllConditionVariable(&e->sub_cv);
    ReleaseSRWLockExclusive(&e->lock);
    if (resume) request_resume_async(request);
    release_object(&request->obj);      /* the fetch's reference */
}

/* ERROR_IO_PENDING (want ENGINE_WANT_SUBREQUEST) while the fetch runs, or
 * an error: then there is nothing to wait for. */
static DWORD start_revocation_fetch(struct request *request, struct engine *e, const char *url_a)
{
    WCHAR *url = url_a ? strdupAW(url_a, -1) : NULL;
    struct subrequest *sub;
    DWORD res;

    TRACE("fetching revocation information %s\n", debugstr_a(url_a));
    if (!url) return ERROR_OUTOFMEMORY;
    e->sub_done = FALSE;
    addref_object(&request->obj);
    AcquireSRWLockExclusive(&e->lock);
    res = subrequest_start_for_request(request, url, 0, REVOCATION_MAX_SIZE, revocation_fetched, request, &sub);
    if (!res)
    {
        e->sub = sub;
        /* A request closed before the fetch began must not wait for it.
         * Under the lock: the hook, which frees sub, cannot have run yet. */
        if (e->cancelled) subrequest_cancel(sub);
    }
    ReleaseSRWLockExclusive(&e->lock);
    free(url);
    if (res)
    {
        WARN("cannot fetch %s: %u\n", debugstr_a(url_a), res);
        release_object(&request->obj);
        return res;
    }
    return engine_wait(e, ENGINE_WANT_SUBREQUEST, 0);
}

static DWORD get_tls_context(struct session *session, struct tls_context **ctx)
{
    DWORD res = ERROR_SUCCESS;

    AcquireSRWLockExclusive(&session->obj.lock);
    if (!session->tls) res = tls_context_create(&session->tls);
    if (!res) *ctx = tls_context_addref(session->tls);
    ReleaseSRWLockExclusive(&session->obj.lock);
    return res;
}

static DWORD phase_tls(struct request *request, struct engine *e)
{
    struct connection *conn = e->conn;
    DWORD res, flags;
    int want;

    if (!conn->tls)
    {
        struct tls_context *ctx;
        struct tls_params params;
        char *host;

        memset(&params, 0, sizeof(params));
        params.secure_protocols = request->settings.secure_protocols;
        params.security_flags = request->settings.security_flags;
        params.check_revocation = (request->settings.enable_features & WINHTTP_ENABLE_SSL_REVOCATION) != 0;
        params.ignore_revocation_offline = request->settings.ignore_cert_revocation_offline;
        params.alpn = wants_h2(request, e) ? TLS_ALPN_H2 | TLS_ALPN_HTTP11 : TLS_ALPN_HTTP11;
        params.port = e->port;
        params.no_client_cert = request->no_client_cert;
        if (request->client_cert && !e->client_cert &&
            (res = cert_client_create(request->client_cert, &e->client_cert)))
            return res;
        params.client_cert = e->client_cert;
        if ((res = get_tls_context(request->connect->session, &ctx))) return res;
        if (!(host = strdupWA(e->host, -1, CP_UTF8)))
        {
            tls_context_release(ctx);
            return ERROR_OUTOFMEMORY;
        }
        res = tls_conn_create(ctx, conn->sock, host, &params, &conn->tls);
        tls_context_release(ctx);
        free(host);
        if (res) return res;
    }
    if (e->sub_done)
    {
        /* The revocation fetch came back; what it brought goes to the check. */
        e->sub_done = FALSE;
        tls_revocation_response(conn->tls, !e->sub_error && e->sub_status == HTTP_STATUS_OK && e->sub_size ?
                                e->sub_body : NULL, e->sub_size);
        free(e->sub_body);
        e->sub_body = NULL;
        e->sub_size = 0;
    }
    for (;;)
    {
        res = tls_handshake(conn->tls, &want);
        if (res != ERROR_IO_PENDING) break;
        if (want == TLS_WANT_VERIFY)
        {
            /* The certificate stores: synchronous, CPU and registry only. */
            cert_verify_tls(conn->tls);
            continue;
        }
        if (want != TLS_WANT_REVOCATION)
            return engine_wait(e, want, request->settings.connect_timeout > 0 && request->settings.receive_timeout > 0 ?
                               min(request->settings.connect_timeout, request->settings.receive_timeout) :
                               request->settings.receive_timeout);
        if ((res = start_revocation_fetch(request, e, tls_revocation_url(conn->tls))) == ERROR_IO_PENDING)
            return res;
        tls_revocation_response(conn->tls, NULL, 0);
    }
    if (res == ERROR_WINHTTP_SECURE_FAILURE)
    {
        flags = tls_failure_flags(conn->tls);
        WARN("TLS with %s failed, flags %#x\n", debugstr_w(e->host), flags);
        send_callback(&request->obj, WINHTTP_CALLBACK_STATUS_SECURE_FAILURE, &flags, sizeof(flags));
        return res;
    }
    if (res == ERROR_WINHTTP_CLIENT_AUTH_CERT_NEEDED)
    {
        /* WINHTTP_OPTION_CLIENT_CERT_ISSUER_LIST reads these (KB909425). */
        free(e->issuer_names);
        e->issuer_names = NULL;
        tls_issuer_names(conn->tls, &e->issuer_names);
        return res;
    }
    if (res) return res;
    conn->tls_ready = TRUE;
    tls_peer_chain(conn->tls, &conn->peer_chain);
    compute_channel_binding(conn);
    remember_tls(e);
    TRACE("TLS established: %s %s %s\n", e->tls_info.protocol_name, e->tls_info.cipher_name, e->tls_info.alpn);
    e->phase = PHASE_SEND;
    if (!strcmp(e->tls_info.alpn, "h2"))
    {
        /* The connection becomes the origin's shared h2 transport; this
         * request goes on as its first stream. */
        struct connection *stream;
        struct h2_transport *opening = e->h2_opening;
        struct h2_options options;
        e->h2_opening = NULL;
        h2_options_of(request, &options);
        if ((res = h2_adopt(request->connect->session->pool, e->pool_key, &options, opening, conn, &stream)))
        {
            if (stream) conn_close(stream);
            return res;
        }
        AcquireSRWLockExclusive(&e->lock);
        e->conn = stream;
        if (e->cancelled) conn_abort(stream);
        ReleaseSRWLockExclusive(&e->lock);
        /* A stream the server refuses or leaves unprocessed (GOAWAY, RFC
         * 9113 8.7) is retried like a request on a stale connection. */
        e->conn_reused = TRUE;
    }
    else if (e->h2_opening)
    {
        h2_decline(e->h2_opening);
        e->h2_opening = NULL;
    }
    return ERROR_SUCCESS;
}

/* Refused streams sent again, at most (a server that refuses everything
 * must not keep a request going round). */
#define MAX_REFUSED_RETRIES 4

/* A reused keep-alive connection the server had closed fails at once; try
 * again, once, on a new connection, if we can resend everything.  An HTTP/2
 * stream the server refused or wants over HTTP/1.1 goes again as well. */
static BOOL retry_stale(struct request *request, struct engine *e, DWORD res)
{
    if (res == H2_REFUSED && !e->cancelled && e->total_len <= e->body_len && e->refused < MAX_REFUSED_RETRIES)
    {
        /* RFC 9113 8.7: not processed, safe to send again.  A burst sent
         * before the server's SETTINGS arrived went beyond its stream
         * limit; now the connection knows it and queues (or, with
         * WINHTTP_OPTION_DISABLE_STREAM_QUEUE, another connection opens). */
        TRACE("stream refused, sending the request again\n");
        release_connection(request, e, FALSE);
        e->refused++;
        e->phase = PHASE_ACQUIRE;
        return TRUE;
    }
    if (res == H2_HTTP11_REQUIRED && !e->h2_skip && !e->cancelled && e->total_len <= e->body_len)
    {
        /* The server wants this request over HTTP/1.1 (RFC 9113 8.1.3:
         * NTLM's connection-bound handshake, typically): again, without h2. */
        TRACE("the server asked for HTTP/1.1, retrying without h2\n");
        release_connection_quietly(request, e);
        e->h2_skip = TRUE;
        e->phase = PHASE_ACQUIRE;
        return TRUE;
    }
    if (!e->conn_reused || e->retried || e->cancelled || e->head_bytes || e->total_len > e->body_len) return FALSE;
    if (res == ERROR_WINHTTP_OPERATION_CANCELLED || res == ERROR_WINHTTP_TIMEOUT) return FALSE;
    TRACE("reused connection failed (%u), retrying on a new one\n", res);
    release_connection(request, e, FALSE);
    e->retried = TRUE;
    e->fresh = TRUE;
    e->phase = PHASE_ACQUIRE;
    return TRUE;
}

/* Whether a request head has an Authorization or Proxy-Authorization line:
 * such a connection stays with its session (conn.c). */
static BOOL carries_credentials(const char *head, size_t len)
{
    static const char *const names[] = { "\nAuthorization:", "\nProxy-Authorization:" };
    size_t i, j;

    for (i = 0; i < len; i++)
    {
        if (head[i] != '\n') continue;
        for (j = 0; j < ARRAY_SIZE(names); j++)
        {
            size_t n = strlen(names[j]);
            if (len - i >= n && !strncasecmp(head + i, names[j], n)) return TRUE;
        }
    }
    return FALSE;
}

static DWORD phase_send(struct request *request, struct engine *e)
{
    size_t sent;
    DWORD res;

    if (!e->out)
    {
        /* WINHTTP_OPTION_HTTP_PROTOCOL_REQUIRED: h2 or nothing. */
        if (request->settings.http_protocol_required && !e->conn->stream)
        {
            WARN("HTTP/2 required, not negotiated\n");
            return ERROR_WINHTTP_HTTP_PROTOCOL_MISMATCH;
        }
        request->settings.http_protocol_used = e->conn->stream ? WINHTTP_PROTOCOL_FLAG_HTTP2 : 0;
        if ((res = build_request(request, e))) return res;
        if (carries_credentials(e->out, e->out_len)) e->conn->identity_bound = TRUE;
        send_callback(&request->obj, WINHTTP_CALLBACK_STATUS_SENDING_REQUEST, NULL, 0);
    }
    while (e->out_pos < e->out_len)
    {
        res = conn_try_send(e->conn, e->out + e->out_pos, e->out_len - e->out_pos, &sent);
        if (res == ERROR_IO_PENDING) return engine_wait(e, e->conn->want, request->settings.send_timeout);
        if (res)
        {
            free(e->out);
            e->out = NULL;
            if (retry_stale(request, e, res)) return ERROR_SUCCESS;
            return h2_public_error(res);
        }
        e->out_pos += sent;
    }
    {
        DWORD len = (DWORD)e->out_len;
        send_callback(&request->obj, WINHTTP_CALLBACK_STATUS_REQUEST_SENT, &len, sizeof(len));
    }
    free(e->out);
    e->out = NULL;
    e->written = e->body_len;
    e->conn->requests++;
    e->just_sent = TRUE;
    e->phase = PHASE_SENT;
    return ERROR_SUCCESS;
}

/* ------------------------------------------------------------------ */
/* the response head                                                   */

/* The parsed head into the request's response fields (headers.c widens the
 * bytes as Latin-1 and tolerates odd bytes in values, as Windows does). */
static DWORD store_response(struct request *request, const struct http1_response *resp)
{
    struct header_bytes *lines;
    char version[16], **unfolded;
    size_t i;
    DWORD res = ERROR_OUTOFMEMORY;

    reset_response(request, request->engine);
    /* One digit each (the parser accepts no more). */
    memcpy(version, "HTTP/0.0", 9);
    version[5] = '0' + resp->version_major % 10;
    version[7] = '0' + resp->version_minor % 10;
    /* http2.c gives the engine an HTTP/1.1 head; the version is h2's. */
    {
        struct engine *e = request->engine;
        e->have_response = TRUE;
        e->h2_stream_id = e->conn && e->conn->stream ? h2_stream_id(e->conn->stream) : 0;
        if (e->conn && e->conn->stream) memcpy(version, "HTTP/2", 7);
    }
    lines = calloc(resp->header_count + 1, sizeof(*lines));
    unfolded = calloc(resp->header_count + 1, sizeof(*unfolded));
    if (!lines || !unfolded) goto done;
    for (i = 0; i < resp->header_count; i++)
    {
        const struct http1_header *h = &resp->headers[i];
        lines[i].name = h->name;
        lines[i].name_len = h->name_len;
        lines[i].value = h->value;
        lines[i].value_len = h->value_len;
        if (h->folded)
        {
            if (!(unfolded[i] = malloc(h->value_len + 1))) goto done;
            lines[i].value = unfolded[i];
            lines[i].value_len = http1_unfold(h->value, h->value_len, unfolded[i]);
        }
    }
    res = headers_set_response(request, resp->status, version, strlen(version), resp->reason, resp->reason_len,
                               lines, resp->header_count);
done:
    if (unfolded) for (i = 0; i < resp->header_count; i++) free(unfolded[i]);
    free(unfolded);
    free(lines);
    return res;
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

static int head_timeout(struct request *request)
{
    /* Waiting for the head is bounded by the receive-response timeout, and
     * every single receive by the receive timeout. */
    int response = request->settings.receive_response_timeout, receive = request->settings.receive_timeout;
    if (response <= 0) return receive;
    if (receive <= 0) return response;
    return min(response, receive);
}

/* After a complete head: decide the body framing and what comes next. */
static DWORD process_head(struct request *request, struct engine *e)
{
    struct connection *conn = e->conn;
    DWORD res, head_len;
    char *method;
    int ret;

    if ((res = store_response(request, &e->resp))) return res;
    if (!(method = strdupWA(e->verb, -1, CP_ACP))) return ERROR_OUTOFMEMORY;
    ret = http1_body_framing(method, e->resp.status, &e->resp, &e->framing);
    free(method);
    if (ret != HTTP1_OK)
    {
        WARN("invalid body framing (Content-Length / Transfer-Encoding)\n");
        return ERROR_WINHTTP_INVALID_SERVER_RESPONSE;
    }
    head_len = (DWORD)e->resp.head_len;
    send_callback(&request->obj, WINHTTP_CALLBACK_STATUS_RESPONSE_RECEIVED, &head_len, sizeof(head_len));
    conn->buf_start += e->resp.head_len;
    e->head_started = FALSE;
    body_start(request, e);
    store_cookies(request, e);
    return ERROR_SUCCESS;
}

/* More bytes of a response head: ERROR_IO_PENDING to wait, or *retried
 * when the connection was a stale keep-alive one and the exchange starts
 * over on a new one. */
static DWORD fill_head(struct request *request, struct engine *e, BOOL *retried)
{
    struct connection *conn = e->conn;
    size_t got;
    DWORD res;

    *retried = FALSE;
    res = conn_try_fill(conn, &got);
    if (res == ERROR_IO_PENDING) return engine_wait(e, conn->want, head_timeout(request));
    if (!res && !got)
    {
        if ((*retried = retry_stale(request, e, ERROR_WINHTTP_CONNECTION_ERROR))) return ERROR_SUCCESS;
        WARN("connection closed before a complete response head\n");
        return ERROR_WINHTTP_INVALID_SERVER_RESPONSE;
    }
    if (res)
    {
        if ((*retried = retry_stale(request, e, res))) return ERROR_SUCCESS;
        return h2_public_error(res);
    }
    e->head_bytes = TRUE;
    return ERROR_SUCCESS;
}

/* Read one response head into e->resp: *final is FALSE after a 1xx was
 * consumed (another head follows) or a stale connection is being retried. */
static DWORD read_head(struct request *request, struct engine *e, BOOL *final)
{
    struct connection *conn = e->conn;
    DWORD max_head = request->settings.max_response_header_size;
    BOOL retried;
    DWORD res;
    int ret;

    *final = FALSE;

    if (!e->lines && !(e->lines = engine_buffer_get(MAX_HEADER_LINES * sizeof(*e->lines)))) return ERROR_OUTOFMEMORY;
    if (!e->head_started)
    {
        /* RECEIVING_RESPONSE once the server has started to answer: an
         * asynchronous WinHttpReceiveResponse whose response is already here
         * completes on the caller's thread, one that must wait reports from
         * the thread that waited (as Windows does). */
        if (!conn_buffered(conn) && (res = fill_head(request, e, &retried))) return res;
        if (retried) return ERROR_SUCCESS;
        if (!e->interim) send_callback(&request->obj, WINHTTP_CALLBACK_STATUS_RECEIVING_RESPONSE, NULL, 0);
        http1_response_init(&e->resp, e->lines, MAX_HEADER_LINES);
        e->head_started = TRUE;
    }
    for (;;)
    {
        ret = http1_parse_response_head(conn->buf + conn->buf_start, conn_buffered(conn), max_head, &e->resp);
        if (ret != HTTP1_NEED_MORE) break;
        if ((res = fill_head(request, e, &retried))) return res;
        if (retried) return ERROR_SUCCESS;
    }
    e->head_bytes = TRUE;
    if (ret == HTTP1_ERR_TOO_LARGE)
    {
        WARN("response head larger than %u bytes or too many lines\n", max_head);
        return ERROR_WINHTTP_HEADER_SIZE_OVERFLOW;
    }
    if (ret != HTTP1_OK)
    {
        WARN("malformed response head\n");
        return ERROR_WINHTTP_INVALID_SERVER_RESPONSE;
    }
    if (e->resp.status < 200 && e->resp.status != 101)
    {
        /* 1xx: informational, the final response follows. */
        DWORD status = e->resp.status;
        TRACE("interim response %u\n", status);
        send_callback(&request->obj, WINHTTP_CALLBACK_STATUS_INTERMEDIATE_RESPONSE, &status, sizeof(status));
        conn->buf_start += e->resp.head_len;
        e->head_started = FALSE;
        if (++e->interim > request->settings.max_status_1xx) return ERROR_WINHTTP_INVALID_SERVER_RESPONSE;
        return ERROR_SUCCESS;
    }
    e->head_started = FALSE;
    *final = TRUE;
    return ERROR_SUCCESS;
}

static DWORD phase_head(struct request *request, struct engine *e)
{
    BOOL final;
    DWORD res;

    if ((res = read_head(request, e, &final))) return res;
    if (!final) return ERROR_SUCCESS;   /* a 1xx, or a stale connection being retried */
    return process_head(request, e);
}

/* ------------------------------------------------------------------ */
/* redirects                                                           */

static BOOL is_redirect(DWORD status)
{
    return status == HTTP_STATUS_MOVED || status == HTTP_STATUS_REDIRECT || status == HTTP_STATUS_REDIRECT_METHOD ||
           status == HTTP_STATUS_REDIRECT_KEEP_VERB || status == HTTP_STATUS_PERMANENT_REDIRECT;
}

/* Whether to follow the redirect just received: *url gets the absolute
 * target.  ERROR_WINHTTP_REDIRECT_FAILED past the maximum. */
static DWORD redirect_target(struct request *request, struct engine *e, WCHAR **url)
{
    static const WCHAR locationW[] = {'L','o','c','a','t','i','o','n',0};
    DWORD status = request->status_code;
    struct strbuf sb = {0};
    WCHAR *base;
    int i;

    *url = NULL;
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
    append_origin(&sb, e->host, e->port, e->secure);
    strbuf_append(&sb, e->path);
    if (!(base = strbuf_detach(&sb))) return ERROR_OUTOFMEMORY;
    *url = url_resolve(base, request->response_headers.items[i].value);
    free(base);
    if (!*url) return ERROR_WINHTTP_REDIRECT_FAILED;
    return ERROR_SUCCESS;
}

/* Switch the request to the redirect's target (after its body was drained). */
/* Point the request at an absolute http(s) URL (the fragment stays with
 * the client).  ERROR_WINHTTP_REDIRECT_FAILED for anything else. */
DWORD set_target_url(struct engine *e, const WCHAR *url)
{
    URL_COMPONENTS uc;
    WCHAR *host, *path, *hash;
    DWORD res;

    memset(&uc, 0, sizeof(uc));
    uc.dwStructSize = sizeof(uc);
    uc.dwHostNameLength = uc.dwUrlPathLength = uc.dwExtraInfoLength = ~0u;
    if (!WinHttpCrackUrl(url, 0, 0, &uc) || (uc.nScheme != INTERNET_SCHEME_HTTP && uc.nScheme != INTERNET_SCHEME_HTTPS) ||
        !uc.dwHostNameLength)
    {
        WARN("unusable target %s\n", debugstr_w(url));
        return ERROR_WINHTTP_REDIRECT_FAILED;
    }
    host = strndupW(uc.lpszHostName, uc.dwHostNameLength);
    path = malloc((uc.dwUrlPathLength + uc.dwExtraInfoLength + 2) * sizeof(WCHAR));
    if (!host || !path)
    {
        free(host);
        free(path);
        return ERROR_OUTOFMEMORY;
    }
    memcpy(path, uc.lpszUrlPath, uc.dwUrlPathLength * sizeof(WCHAR));
    memcpy(path + uc.dwUrlPathLength, uc.lpszExtraInfo, uc.dwExtraInfoLength * sizeof(WCHAR));
    path[uc.dwUrlPathLength + uc.dwExtraInfoLength] = 0;
    if (!path[0]) { path[0] = '/'; path[1] = 0; }
    for (hash = path; *hash && *hash != '#'; hash++) ;
    *hash = 0;
    res = set_target(e, host, uc.nPort, uc.nScheme == INTERNET_SCHEME_HTTPS, path);
    free(host);
    free(path);
    return res;
}

static DWORD apply_redirect(struct request *request, struct engine *e)
{
    static const WCHAR authW[] = {'A','u','t','h','o','r','i','z','a','t','i','o','n',0};
    static const WCHAR getW[] = {'G','E','T',0}, headW[] = {'H','E','A','D',0}, postW[] = {'P','O','S','T',0};
    WCHAR *old_host = strdupW(e->host);
    INTERNET_PORT old_port = e->port;
    BOOL old_secure = e->secure;
    DWORD status = request->status_code, res;
    int i;

    if (!old_host) return ERROR_OUTOFMEMORY;
    if ((res = set_target_url(e, e->redirect_url)))
    {
        free(old_host);
        return res;
    }
    /* Credentials we added never follow a redirect to another origin. */
    if (strcmpiW(old_host, e->host) || old_port != e->port || old_secure != e->secure)
    {
        while ((i = headers_find(&request->request_headers, authW, 0)) >= 0 &&
               !request->request_headers.items[i].is_request_user)
            headers_remove(&request->request_headers, i);
    }
    free(old_host);
    /* RFC 9110 15.4: 303 always, and 301/302 for POST by long-standing
     * practice (as Windows does), turn into a GET without a body. */
    if (status == HTTP_STATUS_REDIRECT_METHOD ||
        ((status == HTTP_STATUS_MOVED || status == HTTP_STATUS_REDIRECT) && !strcmpiW(e->verb, postW)))
    {
        if (strcmpiW(e->verb, headW))
        {
            WCHAR *get = strdupW(getW);
            if (!get) return ERROR_OUTOFMEMORY;
            free(e->verb);
            e->verb = get;
        }
        free(e->body);
        e->body = NULL;
        e->body_len = e->total_len = 0;
    }
    return ERROR_SUCCESS;
}

void auth_target_init(struct engine *e, struct auth_target *target)
{
    memset(target, 0, sizeof(*target));
    target->host = e->host;
    target->port = e->port;
    target->secure = e->secure;
    target->verb = e->verb;
    target->path = e->path;
    target->proxy_host = e->proxy_host;
    target->proxy_port = e->proxy_port;
    if (e->secure && e->cbt_len)
    {
        target->channel_binding = e->cbt;
        target->channel_binding_len = e->cbt_len;
    }
}

/* A final head arrived: answer an authentication challenge, follow a
 * redirect, or stop at PHASE_HEADERS. */
static DWORD phase_after_head(struct request *request, struct engine *e)
{
    WCHAR *url;
    DWORD res;

    if ((request->status_code == HTTP_STATUS_DENIED || request->status_code == HTTP_STATUS_PROXY_AUTH_REQ) &&
        e->total_len == e->body_len)
    {
        struct auth_target target;
        BOOL resend;

        auth_target_init(e, &target);
        /* A 407 to our CONNECT concerns the tunnel, not the request in it. */
        target.tunnel = e->phase == PHASE_TUNNEL;
        if ((res = auth_handle_response(request, &target, &resend))) return res;
        if (resend)
        {
            e->auth_resend = TRUE;
            e->drained = 0;
            e->phase = PHASE_DRAIN;
            return ERROR_SUCCESS;
        }
    }
    if (request->settings.passport_flags & (WINHTTP_ENABLE_PASSPORT_AUTH | WINHTTP_ENABLE_PASSPORT_KEYRING))
    {
        struct auth_target target;

        auth_target_init(e, &target);
        if ((res = auth_passport_response(request, &target, &url))) return res;
        if (url)
        {
            free(e->redirect_url);
            e->redirect_url = url;
            e->implicit_redirect = TRUE;
            e->drained = 0;
            e->phase = PHASE_DRAIN;
            return ERROR_SUCCESS;
        }
    }
    if (request->status_code != HTTP_STATUS_DENIED && request->status_code != HTTP_STATUS_PROXY_AUTH_REQ)
    {
        /* Mutual authentication (Kerberos, Digest rspauth) is checked on the
         * final answer; credentials that worked go to the session's cache. */
        struct auth_target target;
        auth_target_init(e, &target);
        if ((res = auth_response_done(request, &target))) return res;
    }
    if ((res = redirect_target(request, e, &url))) return res;
    if (!url)
    {
        e->phase = PHASE_HEADERS;
        return ERROR_SUCCESS;
    }
    if (e->secure && strncmpiW(url, L"https:", 6) &&
        request->settings.redirect_policy == WINHTTP_OPTION_REDIRECT_POLICY_DISALLOW_HTTPS_TO_HTTP)
    {
        TRACE("not following https -> http redirect to %s\n", debugstr_w(url));
        free(url);
        e->phase = PHASE_HEADERS;
        return ERROR_SUCCESS;
    }
    callback_with_string(request, WINHTTP_CALLBACK_STATUS_REDIRECT, url);
    free(e->redirect_url);
    e->redirect_url = url;
    e->drained = 0;
    e->phase = PHASE_DRAIN;
    return ERROR_SUCCESS;
}

static DWORD phase_drain(struct request *request, struct engine *e)
{
    BOOL reusable;
    DWORD res;

    if ((res = body_drain(request, e, &reusable)) == ERROR_IO_PENDING) return res;
    if (e->auth_resend)
    {
        /* Connection-based schemes (NTLM, Negotiate) need the same connection. */
        e->auth_resend = FALSE;
        e->retried = FALSE;
        reset_response(request, e);
        if (!res && reusable)
        {
            e->conn_reused = TRUE;
            e->head_bytes = FALSE;
            /* A 407 to our CONNECT: ask for the tunnel again. */
            e->phase = e->secure && e->proxy_host && !e->conn->tls_ready ? PHASE_TUNNEL : PHASE_SEND;
            e->tunnel_sent = FALSE;
        }
        else
        {
            release_connection(request, e, FALSE);
            e->phase = PHASE_ACQUIRE;
        }
        return ERROR_SUCCESS;
    }
    release_connection(request, e, !res && reusable);
    if ((res = apply_redirect(request, e))) return res;
    free(e->redirect_url);
    e->redirect_url = NULL;
    if (!e->implicit_redirect) e->redirects++;
    e->implicit_redirect = FALSE;
    e->retried = FALSE;
    reset_response(request, e);
    e->phase = PHASE_ACQUIRE;
    return ERROR_SUCCESS;
}

/* WinHttpReceiveResponse failed with res.  If that was the step to the
 * Passport nexus, the partner's challenge becomes the final response (a 401
 * without a body, auth_passport.c says why): TRUE, and the request is at
 * PHASE_HEADERS as after any final head.  Every failure (resolve, connect,
 * timeouts of the waits, TLS, the nexus's answer) ends up here, in both
 * modes. */
BOOL exchange_passport_fallback(struct request *request, struct engine *e, DWORD res)
{
    WCHAR *url;

    if (e->cancelled || !auth_passport_nexus_failed(request, res)) return FALSE;
    release_connection(request, e, FALSE);
    reset_response(request, e);
    if (auth_passport_restore_challenge(request, &url)) return FALSE;
    /* The answer is the partner's: so is the request's URL. */
    if (url && set_target_url(e, url)) WARN("cannot point the request back at %s\n", debugstr_w(url));
    free(url);
    free(e->redirect_url);
    e->redirect_url = NULL;
    e->implicit_redirect = FALSE;
    e->framing.body = HTTP1_BODY_NONE;
    e->framing.keep_alive = FALSE;
    body_start(request, e);
    e->phase = PHASE_HEADERS;
    return TRUE;
}

/* ------------------------------------------------------------------ */

DWORD exchange_start(struct request *request, struct engine *e)
{
    reset_response(request, e);
    free(e->out);
    e->out = NULL;
    e->retried = FALSE;
    e->refused = 0;
    e->fresh = FALSE;
    e->phase = PHASE_ACQUIRE;
    return ERROR_SUCCESS;
}

/* Advance the exchange until goal (PHASE_SENT or PHASE_HEADERS), a wait
 * (ERROR_IO_PENDING) or an error. */
DWORD exchange_step(struct request *request, struct engine *e, enum phase goal)
{
    DWORD res = ERROR_SUCCESS;

    while (!res)
    {
        if (e->cancelled) return ERROR_WINHTTP_OPERATION_CANCELLED;
        switch (e->phase)
        {
        case PHASE_ACQUIRE:    res = phase_acquire(request, e); break;
        case PHASE_RESOLVE:    res = phase_resolve(request, e); break;
        case PHASE_CONNECT:    res = phase_connect(request, e); break;
        case PHASE_CONNECTING: res = phase_connecting(request, e); break;
        case PHASE_TUNNEL:     res = phase_tunnel(request, e); break;
        case PHASE_TLS:        res = phase_tls(request, e); break;
        case PHASE_STREAM:     res = phase_stream(request, e); break;
        case PHASE_SEND:       res = phase_send(request, e); break;
        case PHASE_SENT:
            if (goal == PHASE_SENT)
            {
                e->just_sent = FALSE;
                return ERROR_SUCCESS;
            }
            e->phase = PHASE_HEAD;
            if (e->just_sent && !conn_has_data(e->conn))
            {
                /* A request this very operation sent (a redirect, an
                 * authentication leg): its answer is waited for, as
                 * Windows' receive posted after a send always completes
                 * from its thread pool. */
                e->just_sent = FALSE;
                return engine_wait(e, NET_WANT_READ, head_timeout(request));
            }
            e->just_sent = FALSE;
            break;
        case PHASE_HEAD:
            if ((res = phase_head(request, e))) break;
            if (e->phase == PHASE_HEAD && !e->head_started && request->status_code)
                res = phase_after_head(request, e);
            break;
        case PHASE_DRAIN:      res = phase_drain(request, e); break;
        case PHASE_HEADERS:    return ERROR_SUCCESS;
        }
    }
    return res;
}
