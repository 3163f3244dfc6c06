/*
 * The request API: WinHttpSendRequest, WinHttpWriteData,
 * WinHttpReceiveResponse, WinHttpQueryDataAvailable, WinHttpReadData(Ex);
 * and the driver that runs their operations.
 *
 * Each call starts an operation (enum op) whose step function (op_step)
 * advances the engine without blocking.  Synchronously, the caller's thread
 * loops: step, and while the step waits, poll the connection.
 * Asynchronously (WINHTTP_FLAG_ASYNC), the call returns at once; the steps
 * run on thread-pool threads, waits go to the event loop (event.c), and the
 * operation completes with its status callback.  The steps are the same, so
 * both modes behave the same.
 */
#include "winhttp_private.h"
#include "winhttp_wine.h"
#include "wincrypt.h"
#include "schannel.h"
#include "engine.h"
#include "event.h"
#include "cert.h"
#include "autoproxy.h"
#include "subrequest.h"

WINE_DEFAULT_DEBUG_CHANNEL(winhttp);

/* The options only the engine can answer (option.c's KIND_ENGINE rows);
 * the option layer has checked the handle type and the buffer size. */
static DWORD engine_query_option(struct request *request, DWORD option, void *buffer, DWORD *size)
{
    struct engine *e = request->engine;

    switch (option)
    {
    case WINHTTP_OPTION_WINE_HTTP2_STREAM_ID:
        if (!e || !e->have_response) return ERROR_WINHTTP_INCORRECT_HANDLE_STATE;
        *(DWORD *)buffer = e->h2_stream_id;
        *size = sizeof(DWORD);
        return ERROR_SUCCESS;
    case WINHTTP_OPTION_CONNECTION_INFO:
    {
        /* WINHTTP_CONNECTION_INFO: cbSize, then two SOCKADDR_STORAGEs. */
        DWORD cb = sizeof(DWORD) + 4 + 2 * 128;
        if (!e || !e->have_addresses) return ERROR_WINHTTP_INCORRECT_HANDLE_STATE;
        memset(buffer, 0, cb);
        memcpy(buffer, &cb, sizeof(cb));
        memcpy((BYTE *)buffer + 8, e->local_addr, 128);
        memcpy((BYTE *)buffer + 8 + 128, e->remote_addr, 128);
        *size = cb;
        return ERROR_SUCCESS;
    }
    case WINHTTP_OPTION_STREAM_ERROR_CODE:
    {
        /* The HTTP/2 error code of the RST_STREAM that ended the request's
         * stream; 0 without one (or over HTTP/1.1). */
        DWORD code = 0;
        if (e)
        {
            AcquireSRWLockShared(&e->lock);
            code = e->conn && e->conn->stream ? h2_stream_error_code(e->conn->stream) : e->stream_error_code;
            ReleaseSRWLockShared(&e->lock);
        }
        memcpy(buffer, &code, sizeof(code));
        *size = sizeof(code);
        return ERROR_SUCCESS;
    }
    }

    if (option == WINHTTP_OPTION_SERVER_SPN_USED || option == WINHTTP_OPTION_PROXY_SPN_USED)
        return auth_query_option(request, option, buffer, size);

    /* The rest describe the TLS connection the request used. */
    if (!e || !e->have_tls_info)
    {
        if (option == WINHTTP_OPTION_CLIENT_CERT_ISSUER_LIST && e && e->issuer_names)
        {
            *size = sizeof(void *);
            return cert_issuer_list(e->issuer_names, buffer);
        }
        return ERROR_WINHTTP_INCORRECT_HANDLE_STATE;
    }
    switch (option)
    {
    case WINHTTP_OPTION_SERVER_CERT_CONTEXT:
        *size = sizeof(void *);
        return cert_context_from_chain(e->peer_chain, buffer);
    case WINHTTP_OPTION_SERVER_CERT_CHAIN_CONTEXT:
        *size = sizeof(void *);
        return cert_chain_context_from_chain(e->peer_chain, buffer);
    case WINHTTP_OPTION_SECURITY_CERTIFICATE_STRUCT:
        *size = sizeof(WINHTTP_CERTIFICATE_INFO);
        return cert_info_from_chain(e->peer_chain, e->tls_info.cipher_bits, buffer);
    case WINHTTP_OPTION_SECURITY_KEY_BITNESS:
        *(DWORD *)buffer = e->tls_info.cipher_bits;
        *size = sizeof(DWORD);
        return ERROR_SUCCESS;
    case WINHTTP_OPTION_SECURITY_FLAGS:
        *(DWORD *)buffer = cert_security_flags(&e->tls_info);
        *size = sizeof(DWORD);
        return ERROR_SUCCESS;
    case WINHTTP_OPTION_SERVER_CBT:
        return cert_channel_bindings(e->peer_chain, buffer, size);
#ifdef SECPKG_ATTR_CIPHER_INFO
    case WINHTTP_OPTION_SECURITY_INFO:
    {
        /* WINHTTP_SECURITY_INFO: the two SSPI structures back to back. */
        SecPkgContext_ConnectionInfo *connection = buffer;
        DWORD needed = sizeof(SecPkgContext_ConnectionInfo) + sizeof(SecPkgContext_CipherInfo);
        if (!buffer || *size < needed)
        {
            *size = needed;
            return ERROR_INSUFFICIENT_BUFFER;
        }
        cert_security_info(&e->tls_info, connection, (SecPkgContext_CipherInfo *)(connection + 1));
        *size = needed;
        return ERROR_SUCCESS;
    }
#endif
    }
    return ERROR_WINHTTP_INCORRECT_HANDLE_STATE;
}

struct engine *request_engine_get(struct request *request)
{
    struct engine *e = request->engine;
    if (e) return e;
    if (!(e = calloc(1, sizeof(*e)))) return NULL;
    InitializeSRWLock(&e->lock);
    InitializeConditionVariable(&e->sub_cv);
    request->engine = e;
    AcquireSRWLockExclusive(&request->obj.lock);
    request->query_engine_option = engine_query_option;
    ReleaseSRWLockExclusive(&request->obj.lock);
    return e;
}

void request_engine_free(struct request *request)
{
    struct engine *e = request->engine;
    if (!e) return;
    /* A connection with an unread body cannot carry another request,
     * unless the rest of that body is already here. */
    release_connection(request, e, body_discard_unread(request, e));
    reset_response(request, e);
    net_addrs_free(e->addrs);
    engine_buffer_put(e->lines, MAX_HEADER_LINES * sizeof(*e->lines));
    free(e->out);
    free(e->redirect_url);
    free(e->host);
    free(e->path);
    free(e->verb);
    free(e->proxy_host);
    autoproxy_choice_free(e->autoproxy);
    free(e->body);
    free(e->sub_body);
    free(e->peer_chain);
    free(e->issuer_names);
    cert_client_free(e->client_cert);
    free(e);
    request->engine = NULL;
}

void request_engine_cancel(struct request *request)
{
    struct engine *e = request->engine;
    if (!e) return;
    InterlockedExchange(&e->cancelled, 1);
    /* Only an operation under way needs its connection cut; an idle
     * request's connection goes back to the pool when the object dies. */
    if (e->op == OP_NONE) return;
    AcquireSRWLockShared(&e->lock);
    conn_abort(e->conn);
    /* Its hook then resumes the operation, which sees the flag. */
    if (e->sub) subrequest_cancel(e->sub);
    ReleaseSRWLockShared(&e->lock);
}

struct connection *request_detach_connection(struct request *request)
{
    struct session *session = request->connect->session;
    struct engine *e = request->engine;
    struct connection *conn;

    /* Right after the request went out, too: Windows completes an upgrade
     * before WinHttpReceiveResponse. */
    if (!e || e->op != OP_NONE || (e->state != STATE_DONE && e->state != STATE_SENT)) return NULL;
    AcquireSRWLockExclusive(&e->lock);
    conn = e->conn;
    e->conn = NULL;
    ReleaseSRWLockExclusive(&e->lock);
    if (!conn) return NULL;
    /* The pool slot is free again; the connection is no longer the pool's. */
    if (e->pool_key) conn_pool_release(session->pool, e->pool_key, NULL, FALSE);
    free(e->pool_key);
    e->pool_key = NULL;
    e->state = STATE_DONE;
    return conn;
}

WCHAR *request_current_url(struct request *request)
{
    struct engine *e = request->engine;
    struct strbuf sb = {0};

    if (!e || !e->host || !e->path) return NULL;
    append_origin(&sb, e->host, e->port, e->secure);
    strbuf_append(&sb, e->path);
    return strbuf_detach(&sb);
}

static BOOL is_async(struct request *request)
{
    return (request->connect->session->open_flags & WINHTTP_FLAG_ASYNC) != 0;
}

/* ------------------------------------------------------------------ */
/* the operations                                                      */

#define SEND_ANSWER_GRACE_MS 500

/* Asynchronously, the operation that puts the last byte of a request on the
 * wire (WinHttpSendRequest, or the last WinHttpWriteData) completes once the
 * answer starts to arrive, or after a short grace, so that
 * WinHttpReceiveResponse from its completion takes the response on the
 * caller's thread: Windows reports RECEIVING_RESPONSE .. HEADERS_AVAILABLE
 * from inside that call (Wine's conformance tests record it for servers
 * across the internet).  The grace bounds what a slow server delays the
 * completion by; the response costs that time anyway. */
static DWORD await_answer(struct request *request, struct engine *e, DWORD sent_total)
{
    int grace = request->settings.receive_timeout;

    if (!is_async(request) || sent_total < e->total_len || conn_has_data(e->conn))
        return ERROR_SUCCESS;
    if (grace <= 0 || grace > SEND_ANSWER_GRACE_MS) grace = SEND_ANSWER_GRACE_MS;
    e->awaiting_answer = TRUE;
    return engine_wait(e, NET_WANT_READ, grace);
}

static DWORD op_step(struct request *request, struct engine *e)
{
    size_t sent;
    DWORD res;

    if (e->cancelled) return ERROR_WINHTTP_OPERATION_CANCELLED;
    switch (e->op)
    {
    case OP_SEND:
        if (e->awaiting_answer)
        {
            e->awaiting_answer = FALSE;     /* the answer started to arrive */
            return ERROR_SUCCESS;
        }
        if ((res = exchange_step(request, e, PHASE_SENT))) return res;
        return await_answer(request, e, e->body_len);

    case OP_RECEIVE:
        return exchange_step(request, e, PHASE_HEADERS);

    case OP_WRITE:
        if (e->awaiting_answer)
        {
            e->awaiting_answer = FALSE;
            return ERROR_SUCCESS;
        }
        while (e->op_done < e->op_len)
        {
            res = conn_try_send(e->conn, e->op_buffer + e->op_done, e->op_len - e->op_done, &sent);
            if (res == ERROR_IO_PENDING) return engine_wait(e, e->conn->want, request->settings.send_timeout);
            if (res) return h2_public_error(res);
            e->op_done += sent;
        }
        return await_answer(request, e, e->written + e->op_len);

    case OP_QUERY:
        return body_fill(request, e);

    case OP_READ:
        return body_read(request, e);

    default:
        ERR("no operation\n");
        return ERROR_WINHTTP_INTERNAL_ERROR;
    }
}

/* What an operation's end means for the request's state; shared by both modes. */
static DWORD op_finish(struct request *request, struct engine *e, DWORD res)
{
    enum op op = e->op;

    /* A failed Passport nexus step answers with the partner's challenge. */
    if (res && op == OP_RECEIVE && exchange_passport_fallback(request, e, res)) res = ERROR_SUCCESS;
    if (res)
    {
        res = map_cancel(e, res);
        release_connection(request, e, FALSE);
        e->state = STATE_FAILED;
        TRACE("operation %d failed: %u\n", op, res);
        return res;
    }
    switch (op)
    {
    case OP_SEND:
        e->state = e->written < e->total_len ? STATE_SENDING : STATE_SENT;
        break;
    case OP_WRITE:
        e->written += e->op_len;
        if (e->written >= e->total_len) e->state = STATE_SENT;
        break;
    case OP_RECEIVE:
        e->state = STATE_RESPONSE;
        if ((res = body_setup_decoder(request, e))) return op_finish(request, e, res);
        if (e->body_eof) body_finish(request, e);
        break;
    default:
        break;
    }
    return ERROR_SUCCESS;
}

static DWORD available_count(struct engine *e)
{
    DWORD count = (DWORD)(e->dbuf_end - e->dbuf_start);

    /* What else the connection already holds can be read without waiting. */
    if (!e->decoder && e->state == STATE_RESPONSE && e->conn &&
        (e->framing.body == HTTP1_BODY_LENGTH || e->framing.body == HTTP1_BODY_CLOSE))
    {
        ULONGLONG more = conn_buffered(e->conn);
        if (e->framing.body == HTTP1_BODY_LENGTH && more > e->remaining) more = e->remaining;
        count += (DWORD)more;
    }
    return count;
}

/* Synchronous: the caller's thread steps and polls. */
static DWORD run_sync(struct request *request, struct engine *e)
{
    DWORD res;

    while ((res = op_step(request, e)) == ERROR_IO_PENDING)
    {
        if (e->want == ENGINE_WANT_SUBREQUEST)
        {
            AcquireSRWLockExclusive(&e->lock);
            while (!e->sub_done) SleepConditionVariableSRW(&e->sub_cv, &e->lock, INFINITE, 0);
            ReleaseSRWLockExclusive(&e->lock);
            continue;
        }
        if (!e->conn)
        {
            ERR("waiting without a connection\n");
            res = ERROR_WINHTTP_INTERNAL_ERROR;
            break;
        }
        if ((res = conn_wait(e->conn, e->want, e->wait_timeout))) break;
    }
    return op_finish(request, e, res);
}

/* Asynchronous completion: the operation's status callback. */
static void complete_async(struct request *request, struct engine *e, enum op op, DWORD res)
{
    static const DWORD api[] = { 0, API_SEND_REQUEST, API_WRITE_DATA, API_RECEIVE_RESPONSE,
                                 API_QUERY_DATA_AVAILABLE, API_READ_DATA };
    WINHTTP_ASYNC_RESULT result;
    DWORD count;

    if (res)
    {
        result.dwResult = api[op];
        result.dwError = res;
        send_callback(&request->obj, WINHTTP_CALLBACK_STATUS_REQUEST_ERROR, &result, sizeof(result));
        return;
    }
    switch (op)
    {
    case OP_SEND:
        send_callback(&request->obj, WINHTTP_CALLBACK_STATUS_SENDREQUEST_COMPLETE, NULL, 0);
        break;
    case OP_WRITE:
        count = e->op_len;
        send_callback(&request->obj, WINHTTP_CALLBACK_STATUS_WRITE_COMPLETE, &count, sizeof(count));
        break;
    case OP_RECEIVE:
        send_callback(&request->obj, WINHTTP_CALLBACK_STATUS_HEADERS_AVAILABLE, NULL, 0);
        break;
    case OP_QUERY:
        count = available_count(e);
        send_callback(&request->obj, WINHTTP_CALLBACK_STATUS_DATA_AVAILABLE, &count, sizeof(count));
        break;
    case OP_READ:
        send_callback(&request->obj, WINHTTP_CALLBACK_STATUS_READ_COMPLETE, e->op_buffer, e->op_done);
        break;
    default:
        break;
    }
}

static void async_run(void *context, DWORD result);
static DWORD start_op(struct request *request, struct engine *e, enum op op, void *buffer, DWORD len, BOOL fill);

/* How deep this thread is inside our status callbacks.  An operation that
 * the application starts from a callback (the usual asynchronous pattern:
 * read the next piece from READ_COMPLETE) takes its first step right there
 * on the pool thread instead of a hand-off to another one; its completion
 * may then call back one level deeper, and from there on operations are
 * queued, so the stack never grows further (WinHTTP allows a completion
 * inside the call that started it). */
static __thread int callback_depth;
#define MAX_INLINE_DEPTH 2

/* Runs on a thread-pool thread: step; wait in the event loop; or complete. */
static void async_run(void *context, DWORD result)
{
    struct request *request = context;
    struct engine *e = request->engine;
    enum op op = e->op;
    BOOL receive_next;
    DWORD res;

    if (result == ERROR_WINHTTP_TIMEOUT && e->awaiting_answer) result = 0;
    res = result ? result : op_step(request, e);
    while (res == ERROR_IO_PENDING && e->want == ENGINE_WANT_SUBREQUEST)
    {
        /* Park: the sub-request's hook resumes us, unless it was quicker. */
        AcquireSRWLockExclusive(&e->lock);
        if (!(e->sub_parked = !e->sub_done))
        {
            ReleaseSRWLockExclusive(&e->lock);
            res = op_step(request, e);
            continue;
        }
        ReleaseSRWLockExclusive(&e->lock);
        return;
    }
    if (res == ERROR_IO_PENDING)
    {
        if (!e->conn)
        {
            ERR("waiting without a connection\n");
            res = ERROR_WINHTTP_INTERNAL_ERROR;
        }
        else if (!(res = conn_wait_async(e->conn, e->want, e->wait_timeout, async_run, request))) return;
    }
    res = op_finish(request, e, res);
    AcquireSRWLockExclusive(&e->lock);
    receive_next = e->receive_queued;
    e->receive_queued = FALSE;
    e->op = OP_NONE;
    ReleaseSRWLockExclusive(&e->lock);
    callback_depth++;
    complete_async(request, e, op, res);
    callback_depth--;
    /* WinHttpReceiveResponse called while the send was under way. */
    if (receive_next && !res && e->op == OP_NONE && e->state == STATE_SENT)
        start_op(request, e, OP_RECEIVE, NULL, 0, FALSE);
    release_object(&request->obj);
}

void request_resume_async(struct request *request)
{
    DWORD res;

    if ((res = event_submit(async_run, request, 0)))
    {
        /* No queue entry to be had: go on right here, on the hook's thread. */
        WARN("cannot queue the operation (%u), running it here\n", res);
        async_run(request, 0);
    }
}

/* Asynchronous operations that take their first step on the caller's
 * thread: reading what has already arrived needs no wait, and Windows then
 * completes the call right there (HEADERS_AVAILABLE, DATA_AVAILABLE and
 * READ_COMPLETE from inside the call, as Wine's conformance tests record).
 * Sending is always handed to the event loop: SENDREQUEST_COMPLETE comes
 * from another thread. */
static BOOL runs_inline_first(enum op op)
{
    return op == OP_RECEIVE || op == OP_QUERY || op == OP_READ;
}

/* Start op; synchronously it runs to its end, asynchronously it is queued
 * and the call returns ERROR_SUCCESS (ERROR_IO_PENDING never reaches the
 * application). */
static DWORD start_op(struct request *request, struct engine *e, enum op op, void *buffer, DWORD len, BOOL fill)
{
    DWORD res;

    if (e->op != OP_NONE)
    {
        /* One operation at a time on a request handle (WinHTTP is not
         * reentrant on one handle). */
        WARN("operation %d still in progress\n", e->op);
        return ERROR_WINHTTP_INCORRECT_HANDLE_STATE;
    }
    e->op = op;
    e->op_buffer = buffer;
    e->op_len = len;
    e->op_done = 0;
    e->op_fill = fill;
    if (is_async(request))
    {
        addref_object(&request->obj);
        if (callback_depth ? callback_depth <= MAX_INLINE_DEPTH : runs_inline_first(op))
        {
            async_run(request, 0);
            return ERROR_SUCCESS;
        }
        if ((res = event_submit(async_run, request, 0)))
        {
            e->op = OP_NONE;
            release_object(&request->obj);
        }
        return res;
    }
    res = run_sync(request, e);
    e->op = OP_NONE;
    return res;
}

/* ------------------------------------------------------------------ */
/* the API                                                             */

BOOL WINAPI WinHttpSendRequest(HINTERNET hrequest, LPCWSTR headers, DWORD headers_len, LPVOID optional,
                               DWORD optional_len, DWORD total_len, DWORD_PTR context)
{
    struct request *request;
    struct object *obj;
    struct engine *e = NULL;
    DWORD res = ERROR_SUCCESS;
    WCHAR *path;

    TRACE("(%p, %s, %#x, %p, %u, %u, %#lx)\n", hrequest,
          TRACE_ON(winhttp) ? debugstr_headers_redacted(headers, headers_len) : "", headers_len, optional,
          optional_len, total_len, context);

    if (!(obj = grab_object_type(hrequest, WINHTTP_HANDLE_TYPE_REQUEST))) return FALSE;
    request = request_from_object(obj);
    if (optional_len && !optional) res = ERROR_INVALID_PARAMETER;
    else if (!(e = request_engine_get(request))) res = ERROR_OUTOFMEMORY;
    else if (e->op != OP_NONE) res = ERROR_WINHTTP_INCORRECT_HANDLE_STATE;
    if (res) goto done;

    /* Windows: a zero dwContext leaves the value set on the handle (or inherited
     * from its parent) alone; only a non-zero one replaces it. */
    if (context)
    {
        AcquireSRWLockExclusive(&obj->lock);
        obj->context = context;
        ReleaseSRWLockExclusive(&obj->lock);
    }

    /* A length of 0 with headers given reads them up to their NUL, as -1
     * does (Windows: Wine's test_not_modified sends its header so). */
    if (headers && !headers_len) headers_len = ~0u;
    if (headers && (res = headers_add_text(&request->request_headers, headers, headers_len,
                                                         WINHTTP_ADDREQ_FLAG_ADD, TRUE)))
        goto done;

    /* A new send restarts the exchange: finish with the previous response. */
    release_connection(request, e, body_discard_unread(request, e));
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
    if (!(path = escape_path(request->path, request->flags))) { res = ERROR_OUTOFMEMORY; goto done; }
    res = set_target(e, request->connect->hostname, request->port, request_is_secure(request), path);
    free(path);
    if (res) goto done;
    {
        /* Passport: while signing in, the request goes to the login server. */
        WCHAR *url = auth_passport_send_url(request);
        if (url)
        {
            res = set_target_url(e, url);
            free(url);
            if (res) goto done;
        }
    }

    e->state = STATE_NEW;
    exchange_start(request, e);
    res = start_op(request, e, OP_SEND, NULL, 0, FALSE);

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
    DWORD res;

    TRACE("(%p, %p, %u, %p)\n", hrequest, buffer, to_write, written);

    if (!(obj = grab_object_type(hrequest, WINHTTP_HANDLE_TYPE_REQUEST))) return FALSE;
    request = request_from_object(obj);
    e = request->engine;
    if (!buffer && to_write) res = ERROR_INVALID_PARAMETER;
    else if (!e || (e->state != STATE_SENDING && e->state != STATE_SENT) || !e->conn)
        res = ERROR_WINHTTP_INCORRECT_HANDLE_STATE;
    else
    {
        res = start_op(request, e, OP_WRITE, (void *)buffer, to_write, FALSE);
        /* Asynchronously, OUT parameters are not written (documented). */
        if (!res && written && !is_async(request)) *written = to_write;
    }
    release_object(obj);
    SetLastError(res);
    return !res;
}

/* Asynchronously, WinHttpReceiveResponse is accepted in any state, as
 * Windows does (Wine's conformance tests): while the send is under way (a
 * program calls it from SENDING_REQUEST or REQUEST_SENT) it follows the send;
 * where there is no response to wait for (nothing sent, or the response
 * already here) it is answered by a REQUEST_ERROR notification. */
static DWORD receive_response_async(struct request *request, struct engine *e)
{
    WINHTTP_ASYNC_RESULT result = { API_RECEIVE_RESPONSE, ERROR_WINHTTP_INCORRECT_HANDLE_STATE };
    BOOL queued = FALSE;

    AcquireSRWLockExclusive(&e->lock);
    if (e->op == OP_SEND && !e->receive_queued) queued = e->receive_queued = TRUE;
    ReleaseSRWLockExclusive(&e->lock);
    if (queued) return ERROR_SUCCESS;
    if (e->op == OP_NONE && e->state == STATE_SENT) return start_op(request, e, OP_RECEIVE, NULL, 0, FALSE);
    if (e->op != OP_NONE) return ERROR_WINHTTP_INCORRECT_HANDLE_STATE;
    send_callback(&request->obj, WINHTTP_CALLBACK_STATUS_REQUEST_ERROR, &result, sizeof(result));
    return ERROR_SUCCESS;
}

BOOL WINAPI WinHttpReceiveResponse(HINTERNET hrequest, LPVOID reserved)
{
    struct request *request;
    struct object *obj;
    struct engine *e;
    DWORD res;

    TRACE("(%p, %p)\n", hrequest, reserved);

    if (!(obj = grab_object_type(hrequest, WINHTTP_HANDLE_TYPE_REQUEST))) return FALSE;
    request = request_from_object(obj);
    if (is_async(request) && (e = request_engine_get(request)))
        res = receive_response_async(request, e);
    else if (!(e = request->engine) || e->state != STATE_SENT) res = ERROR_WINHTTP_INCORRECT_HANDLE_STATE;
    else res = start_op(request, e, OP_RECEIVE, NULL, 0, FALSE);
    release_object(obj);
    TRACE("returning %u\n", res);
    SetLastError(res);
    return !res;
}

static DWORD check_readable(struct engine *e)
{
    if (e && (e->state == STATE_RESPONSE || e->state == STATE_DONE)) return ERROR_SUCCESS;
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
    if (!(res = check_readable(e)) && !(res = start_op(request, e, OP_QUERY, NULL, 0, FALSE)) && !is_async(request))
    {
        count = available_count(e);
        if (available) *available = count;
    }
    release_object(obj);
    TRACE("returning %u, %u available\n", res, count);
    SetLastError(res);
    return !res;
}

static DWORD read_data(HINTERNET hrequest, void *buffer, DWORD to_read, DWORD *read, BOOL fill)
{
    struct request *request;
    struct object *obj;
    struct engine *e;
    DWORD res;

    if (!(obj = grab_object_type(hrequest, WINHTTP_HANDLE_TYPE_REQUEST))) return GetLastError();
    request = request_from_object(obj);
    e = request->engine;
    if (!buffer && to_read) res = ERROR_INVALID_PARAMETER;
    else if (!(res = check_readable(e)))
    {
        if (!(res = start_op(request, e, OP_READ, buffer, to_read, fill)) && !is_async(request) && read)
            *read = e->op_done;
    }
    release_object(obj);
    return res;
}

BOOL WINAPI WinHttpReadData(HINTERNET hrequest, LPVOID buffer, DWORD to_read, LPDWORD read)
{
    DWORD res;

    TRACE("(%p, %p, %u, %p)\n", hrequest, buffer, to_read, read);
    res = read_data(hrequest, buffer, to_read, read, FALSE);
    TRACE("returning %u\n", res);
    SetLastError(res);
    return !res;
}

DWORD WINAPI WinHttpReadDataEx(HINTERNET hrequest, LPVOID buffer, DWORD to_read, LPDWORD read, ULONGLONG flags,
                               DWORD property_size, PVOID property)
{
    DWORD res;

    TRACE("(%p, %p, %u, %p, %s, %u, %p)\n", hrequest, buffer, to_read, read, wine_dbgstr_longlong(flags),
          property_size, property);
    if (property_size || property) return ERROR_INVALID_PARAMETER;
    if (flags & ~(ULONGLONG)WINHTTP_READ_DATA_EX_FLAG_FILL_BUFFER)
        FIXME_ONCE("flags %s not supported\n", wine_dbgstr_longlong(flags));
    res = read_data(hrequest, buffer, to_read, read, (flags & WINHTTP_READ_DATA_EX_FLAG_FILL_BUFFER) != 0);
    TRACE("returning %u\n", res);
    return res;
}
