/*
 * The WebSocket API: WINHTTP_OPTION_UPGRADE_TO_WEB_SOCKET's handshake
 * headers, WinHttpWebSocketCompleteUpgrade and the operations on the
 * WebSocket handle.  The wire format is ws_frame.c's.
 *
 * A WebSocket handle takes over its request's connection (TCP, or TLS over
 * TCP, or either through a proxy tunnel: conn.c's stack), together with
 * whatever bytes arrived past the 101 head.  It has two independent sides,
 * as Windows allows one send and one receive outstanding at once:
 *
 *  - the send side writes whole frames, one at a time (tx_busy): the
 *    application's messages, and the pongs, pings and close frames we send
 *    ourselves.  Asynchronously a send that the socket takes at once
 *    completes inside the call (WRITE_COMPLETE on the caller's thread, as
 *    Windows does); one that would block finishes on the event loop's
 *    worker pool.
 *  - the receive side owns the connection's read buffer and the frame
 *    reader.  An operation (a receive, or the reading half of
 *    WinHttpWebSocketClose) advances in rx_step without blocking;
 *    synchronously the caller polls, asynchronously each wait is an event
 *    loop registration (event.c): the same loop as the HTTP engine, no
 *    thread per socket.  rx_cs is held while a step runs.
 *
 * WinHttpCloseHandle aborts the socket: whatever is pending wakes up and
 * completes with ERROR_WINHTTP_OPERATION_CANCELLED (REQUEST_ERROR naming
 * the operation), then HANDLE_CLOSING follows once the last of them let go.
 */
#include "winhttp_private.h"
#include "ntsecapi.h"
#include "unix_private.h"
#include "conn.h"
#include "tls.h"
#include "event.h"
#include "ws_frame.h"

WINE_DEFAULT_DEBUG_CHANNEL(winhttp);

/* Windows refuses a send buffer below this (WinHttpSendRequest fails). */
#define MIN_SEND_BUFFER_SIZE 16

enum rx_op
{
    RX_NONE,
    RX_RECEIVE,         /* WinHttpWebSocketReceive */
    RX_CLOSE,           /* WinHttpWebSocketClose, waiting for the server's close frame */
};

struct websocket
{
    struct object obj;
    struct settings settings;       /* the request's, for the WEB_SOCKET_* options */
    struct connection *conn;
    BOOL async;
    LONG aborted;                   /* the handle was closed */

    /* the receive side: fields below are the step's while rx_cs is held;
     * rx_op changes with both rx_cs and obj.lock held */
    CRITICAL_SECTION rx_cs;
    struct ws_reader reader;
    enum rx_op rx_op;
    BYTE *rx_buf;
    DWORD rx_len;
    DWORD rx_done;
    WINHTTP_WEB_SOCKET_BUFFER_TYPE rx_type;
    ULONGLONG close_deadline;       /* RX_CLOSE: GetTickCount64 time */
    ULONGLONG last_ping;            /* keep-alive: when we last pinged (or the socket opened) */
    BYTE scratch[4096];             /* data frames RX_CLOSE reads past */

    /* the send side (obj.lock) */
    CONDITION_VARIABLE tx_cv;
    BOOL tx_busy;                   /* a frame is being written */
    BOOL send_pending;              /* an application send has not completed */
    enum ws_opcode send_message;    /* the fragmented message being sent, 0: none */
    BYTE *tx_frame;                 /* asynchronous send that would have blocked */
    size_t tx_len, tx_pos;
    DWORD tx_count;
    WINHTTP_WEB_SOCKET_BUFFER_TYPE tx_type;

    /* the closing handshake (obj.lock) */
    BOOL close_sent;                /* Shutdown or Close sent our close frame */
    BOOL close_received;
    BOOL close_pending;             /* WinHttpWebSocketClose not completed yet */
    BOOL failed;                    /* we failed the connection (section 7.1.7) */
    USHORT close_status;
    BYTE close_reason[WS_MAX_CLOSE_REASON];
    DWORD close_reason_len;
};

static struct websocket *websocket_from_object(struct object *obj)
{
    return CONTAINING_RECORD(obj, struct websocket, obj);
}

struct settings *websocket_settings(struct object *obj)
{
    return &websocket_from_object(obj)->settings;
}

/* ------------------------------------------------------------------ */
/* the handshake, as the HTTP engine sends it                          */

static const WCHAR upgradeW[] = L"Upgrade";
static const WCHAR keyW[] = L"Sec-WebSocket-Key";
static const WCHAR versionW[] = L"Sec-WebSocket-Version";
static const WCHAR acceptW[] = L"Sec-WebSocket-Accept";

static void remove_generated(struct header_list *list, const WCHAR *name)
{
    size_t i;

    for (i = list->count; i > 0; i--)
        if (!list->items[i - 1].is_request_user && !strcmpiW(list->items[i - 1].name, name))
            headers_remove(list, i - 1);
}

static DWORD add_generated(struct header_list *list, const WCHAR *name, const WCHAR *value)
{
    if (headers_find(list, name, 0) >= 0) return ERROR_SUCCESS;   /* the application's own wins */
    return headers_add(list, name, value, WINHTTP_ADDREQ_FLAG_ADD, FALSE);
}

DWORD websocket_handshake_headers(struct request *request)
{
    struct header_list *list = &request->request_headers;
    BYTE nonce[16];
    char key[25];
    WCHAR keyW_value[25];
    DWORD res;
    int i;

    remove_generated(list, upgradeW);
    remove_generated(list, keyW);
    remove_generated(list, versionW);
    if (!request->upgrade_to_websocket) return ERROR_SUCCESS;

    /* RFC 6455 section 4.1: a fresh random 16-byte nonce for every handshake. */
    if (!RtlGenRandom(nonce, sizeof(nonce))) return ERROR_WINHTTP_INTERNAL_ERROR;
    ws_base64(nonce, sizeof(nonce), key);
    for (i = 0; i < 25; i++) keyW_value[i] = key[i];
    if ((res = add_generated(list, upgradeW, L"websocket"))) return res;
    if ((res = add_generated(list, keyW, keyW_value))) return res;
    return add_generated(list, versionW, L"13");
}

DWORD websocket_check_request(struct request *request)
{
    if (!request->upgrade_to_websocket) return ERROR_SUCCESS;
    if (request->settings.websocket_send_buffer_size < MIN_SEND_BUFFER_SIZE)
    {
        WARN("send buffer of %u bytes is too small for a WebSocket\n", request->settings.websocket_send_buffer_size);
        return ERROR_NOT_ENOUGH_MEMORY;
    }
    return ERROR_SUCCESS;
}

/* The server's 101 must prove it read our key (section 4.1, items 2-4 of
 * the client's checks). */
static DWORD check_handshake(struct request *request)
{
    WCHAR *key = NULL, *accept = NULL, *upgrade = NULL;
    char key_a[64], expected[29];
    DWORD res = ERROR_WINHTTP_INVALID_SERVER_RESPONSE;
    int i;

    if (!(key = headers_get(request, TRUE, keyW, 0))) goto done;
    if (!(accept = headers_get(request, FALSE, acceptW, 0)))
    {
        WARN("no Sec-WebSocket-Accept in the 101\n");
        goto done;
    }
    if (!(upgrade = headers_get(request, FALSE, upgradeW, 0)) || strcmpiW(upgrade, L"websocket"))
    {
        WARN("101 without Upgrade: websocket\n");
        goto done;
    }
    for (i = 0; key[i] && i < ARRAY_SIZE(key_a) - 1; i++) key_a[i] = (char)key[i];
    ws_accept_key(key_a, i, expected);
    for (i = 0; i < 28 && accept[i] == (WCHAR)expected[i]; i++);
    if (i < 28 || accept[28])
    {
        WARN("Sec-WebSocket-Accept %s does not match the key\n", debugstr_w(accept));
        goto done;
    }
    res = ERROR_SUCCESS;
done:
    free(key);
    free(accept);
    free(upgrade);
    return res;
}

/* ------------------------------------------------------------------ */
/* notifications                                                       */

/* Like send_callback, but also after WinHttpCloseHandle: Windows reports
 * the operations the close cancelled before HANDLE_CLOSING. */
static void notify(struct websocket *ws, DWORD status, void *info, DWORD len)
{
    WINHTTP_STATUS_CALLBACK callback;
    DWORD_PTR context;
    HINTERNET handle;

    AcquireSRWLockShared(&ws->obj.lock);
    callback = (ws->obj.notify_mask & status) ? ws->obj.callback : NULL;
    context = ws->obj.context;
    handle = ws->obj.handle;
    ReleaseSRWLockShared(&ws->obj.lock);
    if (!callback || callback == WINHTTP_INVALID_STATUS_CALLBACK) return;
    TRACE("%p: status %#x, info %p, len %u\n", handle, status, info, len);
    callback(handle, context, status, info, len);
}

static void notify_error(struct websocket *ws, WINHTTP_WEB_SOCKET_OPERATION operation, DWORD error)
{
    WINHTTP_WEB_SOCKET_ASYNC_RESULT result;

    result.AsyncResult.dwResult = 0;
    result.AsyncResult.dwError = error;
    result.Operation = operation;
    notify(ws, WINHTTP_CALLBACK_STATUS_REQUEST_ERROR, &result, sizeof(result));
}

static void notify_status(struct websocket *ws, DWORD status, DWORD count, WINHTTP_WEB_SOCKET_BUFFER_TYPE type)
{
    WINHTTP_WEB_SOCKET_STATUS info;

    info.dwBytesTransferred = count;
    info.eBufferType = type;
    notify(ws, status, &info, sizeof(info));
}

/* ------------------------------------------------------------------ */
/* the send side                                                       */

static DWORD io_send(struct websocket *ws, const void *buf, size_t len, size_t *sent, int *want)
{
    *want = NET_WANT_WRITE;
    if (ws->conn->tls_ready) return tls_send(ws->conn->tls, buf, len, sent, want);
    return net_try_send(ws->conn->sock, buf, len, sent);
}

/* Write buf from *pos on; blocking unless may_pend (then ERROR_IO_PENDING). */
static DWORD write_frame(struct websocket *ws, const BYTE *buf, size_t len, size_t *pos, BOOL may_pend)
{
    size_t sent;
    DWORD res;
    int want;

    while (*pos < len)
    {
        if (ws->aborted) return ERROR_WINHTTP_OPERATION_CANCELLED;
        res = io_send(ws, buf + *pos, len - *pos, &sent, &want);
        if (res == ERROR_IO_PENDING)
        {
            if (may_pend) return res;
            if ((res = net_wait(ws->conn->sock, want, ws->settings.send_timeout))) return res;
            continue;
        }
        if (res) return res;
        *pos += sent;
    }
    return ERROR_SUCCESS;
}

/* A masked frame (section 5.3: a fresh unpredictable key for every frame). */
static BYTE *build_frame(BOOL fin, enum ws_opcode opcode, const void *data, DWORD len, size_t *frame_len)
{
    BYTE key[4], *frame;
    size_t head;

    if (!RtlGenRandom(key, sizeof(key))) return NULL;
    if (!(frame = malloc(WS_MAX_HEAD + (size_t)len))) return NULL;
    head = ws_write_head(frame, fin, opcode, len, key);
    if (len) memcpy(frame + head, data, len);
    ws_mask(frame + head, len, key, 0);
    *frame_len = head + len;
    return frame;
}

static void tx_acquire(struct websocket *ws)
{
    AcquireSRWLockExclusive(&ws->obj.lock);
    while (ws->tx_busy) SleepConditionVariableSRW(&ws->tx_cv, &ws->obj.lock, INFINITE, 0);
    ws->tx_busy = TRUE;
    ReleaseSRWLockExclusive(&ws->obj.lock);
}

static BOOL tx_try_acquire(struct websocket *ws)
{
    BOOL ret;

    AcquireSRWLockExclusive(&ws->obj.lock);
    if ((ret = !ws->tx_busy)) ws->tx_busy = TRUE;
    ReleaseSRWLockExclusive(&ws->obj.lock);
    return ret;
}

static void tx_release(struct websocket *ws)
{
    AcquireSRWLockExclusive(&ws->obj.lock);
    ws->tx_busy = FALSE;
    WakeAllConditionVariable(&ws->tx_cv);
    ReleaseSRWLockExclusive(&ws->obj.lock);
}

/* A frame of our own (control frames), written whole, blocking. */
static DWORD send_control(struct websocket *ws, enum ws_opcode opcode, const void *payload, size_t len)
{
    size_t frame_len, pos = 0;
    BYTE *frame;
    DWORD res;

    if (!(frame = build_frame(TRUE, opcode, payload, len, &frame_len))) return ERROR_OUTOFMEMORY;
    tx_acquire(ws);
    res = write_frame(ws, frame, frame_len, &pos, FALSE);
    tx_release(ws);
    free(frame);
    return res;
}

static DWORD send_close(struct websocket *ws, USHORT status, const void *reason, DWORD len)
{
    BYTE payload[WS_MAX_CONTROL_PAYLOAD];
    size_t n = ws_close_payload(payload, status, reason, len);

    TRACE("sending close %u, %u bytes of reason\n", status, len);
    return send_control(ws, WS_OP_CLOSE, payload, n);
}

/* Section 7.1.7: send a close frame saying why (if we still may), then
 * drop the connection. */
static void fail_connection(struct websocket *ws, unsigned int status)
{
    BOOL send;

    AcquireSRWLockExclusive(&ws->obj.lock);
    send = !ws->close_sent;
    ws->close_sent = ws->failed = TRUE;
    ReleaseSRWLockExclusive(&ws->obj.lock);
    if (send) send_close(ws, status, NULL, 0);
    conn_abort(ws->conn);
}

/* Both close frames went their way: the connection has nothing more to
 * carry, and the server waits for us to close TCP (RFC 6455 section 7.1.1). */
static void finish_if_closed(struct websocket *ws)
{
    BOOL done;

    AcquireSRWLockShared(&ws->obj.lock);
    done = ws->close_sent && ws->close_received;
    ReleaseSRWLockShared(&ws->obj.lock);
    if (done) conn_abort(ws->conn);
}

/* ------------------------------------------------------------------ */
/* the receive side                                                    */

/* More bytes into the connection's buffer. */
static DWORD rx_fill(struct websocket *ws, int *want)
{
    struct connection *conn = ws->conn;
    size_t got = 0;
    DWORD res;

    if (conn->buf_start == conn->buf_end) conn->buf_start = conn->buf_end = 0;
    else if (conn->buf_start && conn->buf_end == conn->buf_size)
    {
        memmove(conn->buf, conn->buf + conn->buf_start, conn->buf_end - conn->buf_start);
        conn->buf_end -= conn->buf_start;
        conn->buf_start = 0;
    }
    if (conn->buf_end == conn->buf_size)
    {
        /* A frame head or a control frame is far smaller than the buffer. */
        ERR("no room in the connection buffer\n");
        return ERROR_WINHTTP_INTERNAL_ERROR;
    }
    if (ws->aborted) return ERROR_WINHTTP_OPERATION_CANCELLED;
    *want = NET_WANT_READ;
    if (conn->tls_ready) res = tls_recv(conn->tls, conn->buf + conn->buf_end, conn->buf_size - conn->buf_end, &got, want);
    else res = net_try_recv(conn->sock, conn->buf + conn->buf_end, conn->buf_size - conn->buf_end, &got);
    /* GnuTLS reports the direction of the last call that would block, which
     * may be the send side's on another thread: the receive side waits to read. */
    *want = NET_WANT_READ;
    if (res) return res;
    if (!got)
    {
        WARN("the server closed the connection without a close frame\n");
        return ERROR_WINHTTP_CONNECTION_ERROR;
    }
    conn->buf_end += got;
    return ERROR_SUCCESS;
}

static WINHTTP_WEB_SOCKET_BUFFER_TYPE buffer_type(const struct ws_result *res)
{
    if (res->opcode == WS_OP_TEXT)
        return res->message_end ? WINHTTP_WEB_SOCKET_UTF8_MESSAGE_BUFFER_TYPE : WINHTTP_WEB_SOCKET_UTF8_FRAGMENT_BUFFER_TYPE;
    return res->message_end ? WINHTTP_WEB_SOCKET_BINARY_MESSAGE_BUFFER_TYPE : WINHTTP_WEB_SOCKET_BINARY_FRAGMENT_BUFFER_TYPE;
}

static void record_close(struct websocket *ws, const struct ws_result *res)
{
    TRACE("close frame from the server: %u, %lu bytes of reason\n", res->close_status, (unsigned long)res->reason_len);
    AcquireSRWLockExclusive(&ws->obj.lock);
    ws->close_received = TRUE;
    ws->close_status = res->close_status;
    ws->close_reason_len = res->reason_len;
    memcpy(ws->close_reason, res->reason, res->reason_len);
    ReleaseSRWLockExclusive(&ws->obj.lock);
}

static void answer_ping(struct websocket *ws, const struct ws_result *res)
{
    BOOL closed;

    AcquireSRWLockShared(&ws->obj.lock);
    closed = ws->close_sent;
    ReleaseSRWLockShared(&ws->obj.lock);
    /* Section 5.5.2; nothing may follow our close frame. */
    if (closed) return;
    TRACE("answering a ping of %lu bytes\n", (unsigned long)res->payload_len);
    send_control(ws, WS_OP_PONG, res->payload, res->payload_len);
}

/* Advance the receive operation (rx_cs held): ERROR_SUCCESS when it
 * completed, ERROR_IO_PENDING with *want, or an error. */
static DWORD rx_step(struct websocket *ws, int *want)
{
    struct connection *conn = ws->conn;
    struct ws_result res;
    size_t used;
    DWORD err;
    int ret;

    for (;;)
    {
        BYTE *out = ws->rx_op == RX_RECEIVE ? ws->rx_buf : ws->scratch;
        size_t cap = ws->rx_op == RX_RECEIVE ? ws->rx_len : sizeof(ws->scratch);

        ret = ws_reader_next(&ws->reader, (const BYTE *)conn->buf + conn->buf_start, conn_buffered(conn), &used,
                             out, cap, &res);
        conn->buf_start += used;
        switch (ret)
        {
        case WS_DATA:
            if (ws->rx_op != RX_RECEIVE) break;     /* a closing handshake reads past data */
            ws->rx_done = res.len;
            ws->rx_type = buffer_type(&res);
            return ERROR_SUCCESS;

        case WS_CONTROL:
            if (res.opcode == WS_OP_PING) answer_ping(ws, &res);
            if (res.opcode != WS_OP_CLOSE) break;
            record_close(ws, &res);
            finish_if_closed(ws);
            ws->rx_done = 0;
            ws->rx_type = WINHTTP_WEB_SOCKET_CLOSE_BUFFER_TYPE;
            return ERROR_SUCCESS;

        case WS_ERROR:
            WARN("failing the connection with %u: %s\n", res.close_status, res.error);
            fail_connection(ws, res.close_status);
            return ERROR_WINHTTP_INVALID_SERVER_RESPONSE;

        default:
            if ((err = rx_fill(ws, want))) return err;
            break;
        }
    }
}

/* How long the receive side waits before it looks again: the close
 * timeout while closing; otherwise the keep-alive interval, but no longer
 * than the close timeout, because WinHttpWebSocketClose can take a pending
 * receive's wait over without registering a new one. */
static int rx_wait_timeout(struct websocket *ws)
{
    ULONGLONG now = GetTickCount64();

    if (ws->rx_op == RX_CLOSE)
        return ws->close_deadline > now ? (int)min(ws->close_deadline - now, 0x7fffffff) : 1;
    return max(1000, min(ws->settings.websocket_keepalive_interval, ws->settings.websocket_close_timeout));
}

/* The wait timed out: ERROR_WINHTTP_TIMEOUT ends a closing handshake; an
 * idle receive sends a keep-alive ping and waits on. */
static DWORD rx_timed_out(struct websocket *ws, int *want)
{
    BOOL closed;

    *want = NET_WANT_READ;
    if (ws->rx_op == RX_CLOSE)
    {
        if (GetTickCount64() < ws->close_deadline) return ERROR_IO_PENDING;
        WARN("no close frame from the server within %u ms\n", ws->settings.websocket_close_timeout);
        return ERROR_WINHTTP_TIMEOUT;
    }
    AcquireSRWLockShared(&ws->obj.lock);
    closed = ws->close_sent;
    ReleaseSRWLockShared(&ws->obj.lock);
    if (GetTickCount64() - ws->last_ping < ws->settings.websocket_keepalive_interval) return ERROR_IO_PENDING;
    ws->last_ping = GetTickCount64();
    /* A frame being written says as much as a ping would. */
    if (!closed && tx_try_acquire(ws))
    {
        size_t frame_len, pos = 0;
        BYTE *frame = build_frame(TRUE, WS_OP_PING, NULL, 0, &frame_len);
        TRACE("keep-alive ping\n");
        if (frame) write_frame(ws, frame, frame_len, &pos, FALSE);
        free(frame);
        tx_release(ws);
    }
    return ERROR_IO_PENDING;
}

static DWORD rx_run_sync(struct websocket *ws)
{
    DWORD res;
    int want;

    while ((res = rx_step(ws, &want)) == ERROR_IO_PENDING)
    {
        res = net_wait(ws->conn->sock, want, rx_wait_timeout(ws));
        if (res == ERROR_WINHTTP_TIMEOUT) res = rx_timed_out(ws, &want);
        if (res && res != ERROR_IO_PENDING) break;
    }
    return res;
}

static void set_rx_op(struct websocket *ws, enum rx_op op)
{
    AcquireSRWLockExclusive(&ws->obj.lock);
    ws->rx_op = op;
    ReleaseSRWLockExclusive(&ws->obj.lock);
}

static void close_done(struct websocket *ws)
{
    AcquireSRWLockExclusive(&ws->obj.lock);
    ws->close_pending = FALSE;
    ReleaseSRWLockExclusive(&ws->obj.lock);
}

/* An asynchronous receive-side operation: runs on the event loop's workers
 * and holds a reference to the handle until it completes. */
static void rx_async(void *context, DWORD result)
{
    struct websocket *ws = context;
    DWORD res, count = 0;
    WINHTTP_WEB_SOCKET_BUFFER_TYPE type = 0;
    enum rx_op op;
    int want = NET_WANT_READ;

    EnterCriticalSection(&ws->rx_cs);
    if (ws->aborted) res = ERROR_WINHTTP_OPERATION_CANCELLED;
    else if (result == ERROR_WINHTTP_TIMEOUT) res = rx_timed_out(ws, &want);
    else if (result) res = result;
    else res = rx_step(ws, &want);
    if (res == ERROR_IO_PENDING && !ws->aborted &&
        !(res = event_wait_socket(ws->conn->sock, want, rx_wait_timeout(ws), rx_async, ws)))
    {
        LeaveCriticalSection(&ws->rx_cs);
        return;
    }
    if (res == ERROR_IO_PENDING) res = ERROR_WINHTTP_OPERATION_CANCELLED;
    op = ws->rx_op;
    count = ws->rx_done;
    type = ws->rx_type;
    set_rx_op(ws, RX_NONE);
    LeaveCriticalSection(&ws->rx_cs);

    if (op == RX_CLOSE)
    {
        close_done(ws);
        TRACE("close completed: %u\n", res);
        if (res) notify_error(ws, WINHTTP_WEB_SOCKET_CLOSE_OPERATION, res);
        else notify(ws, WINHTTP_CALLBACK_STATUS_CLOSE_COMPLETE, NULL, 0);
    }
    else
    {
        TRACE("receive completed: %u, %u bytes, type %u\n", res, count, type);
        if (res) notify_error(ws, WINHTTP_WEB_SOCKET_RECEIVE_OPERATION, res);
        else notify_status(ws, WINHTTP_CALLBACK_STATUS_READ_COMPLETE, count, type);
    }
    release_object(&ws->obj);
}

/* ------------------------------------------------------------------ */
/* the handle                                                          */

static void websocket_closed(struct object *obj)
{
    struct websocket *ws = websocket_from_object(obj);

    /* Wakes whatever waits on the socket; each pending operation then
     * completes as cancelled. */
    InterlockedExchange(&ws->aborted, 1);
    conn_abort(ws->conn);
}

static void websocket_destroy(struct object *obj)
{
    struct websocket *ws = websocket_from_object(obj);

    conn_close(ws->conn);
    free(ws->tx_frame);
    DeleteCriticalSection(&ws->rx_cs);
    free(ws);
}

static const struct object_vtbl websocket_vtbl =
{
    websocket_closed,
    websocket_destroy,
};

/* Grab a WebSocket handle; the error otherwise. */
static DWORD grab_websocket(HINTERNET handle, struct websocket **ws)
{
    struct object *obj = grab_object_type(handle, WINHTTP_HANDLE_TYPE_WEBSOCKET);

    *ws = NULL;
    if (!obj) return GetLastError();
    *ws = websocket_from_object(obj);
    return ERROR_SUCCESS;
}

HINTERNET WINAPI WinHttpWebSocketCompleteUpgrade(HINTERNET hrequest, DWORD_PTR context)
{
    struct request *request;
    struct websocket *ws = NULL;
    struct connection *conn = NULL;
    struct object *obj;
    HINTERNET handle = NULL;
    DWORD res = ERROR_SUCCESS;

    TRACE("(%p, %#lx)\n", hrequest, context);

    if (!(obj = grab_object_type(hrequest, WINHTTP_HANDLE_TYPE_REQUEST))) return NULL;
    request = request_from_object(obj);

    if (!request->upgrade_to_websocket) res = ERROR_WINHTTP_INCORRECT_HANDLE_STATE;
    else if (request->status_code && request->status_code != HTTP_STATUS_SWITCH_PROTOCOLS)
    {
        WARN("the server answered %u, not 101\n", request->status_code);
        res = ERROR_WINHTTP_INCORRECT_HANDLE_STATE;
    }
    else if (request->status_code) res = check_handshake(request);
    if (res) goto done;
    if (!(ws = calloc(1, sizeof(*ws))))
    {
        res = ERROR_OUTOFMEMORY;
        goto done;
    }
    if (!(conn = request_detach_connection(request)))
    {
        res = ERROR_WINHTTP_INCORRECT_HANDLE_STATE;
        goto done;
    }
    /* Not the request's child: closing the request handle must not wait
     * for the WebSocket (its HANDLE_CLOSING comes at once on Windows). */
    object_init(&ws->obj, WINHTTP_HANDLE_TYPE_WEBSOCKET, &websocket_vtbl, &request->connect->obj);
    AcquireSRWLockShared(&request->obj.lock);
    ws->obj.callback = request->obj.callback;
    ws->obj.notify_mask = request->obj.notify_mask;
    ws->settings = request->settings;
    ReleaseSRWLockShared(&request->obj.lock);
    ws->obj.context = context;
    ws->conn = conn;
    ws->async = (request->connect->session->open_flags & WINHTTP_FLAG_ASYNC) != 0;
    InitializeCriticalSection(&ws->rx_cs);
    InitializeConditionVariable(&ws->tx_cv);
    ws_reader_init(&ws->reader, 0);
    ws->last_ping = GetTickCount64();
    TRACE("WebSocket over connection %p, %lu bytes already received\n", conn, (unsigned long)conn_buffered(conn));
    if (!(handle = alloc_handle(&ws->obj)))
    {
        res = ERROR_OUTOFMEMORY;
        release_object(&ws->obj);
        ws = NULL;
        goto done;
    }
    send_callback(&ws->obj, WINHTTP_CALLBACK_STATUS_HANDLE_CREATED, &handle, sizeof(handle));
    release_object(&ws->obj);   /* the handle table holds it */

done:
    if (res && ws) free(ws);
    release_object(obj);
    TRACE("returning %p (%u)\n", handle, res);
    SetLastError(res);
    return handle;
}

static BOOL valid_buffer_type(WINHTTP_WEB_SOCKET_BUFFER_TYPE type)
{
    return type == WINHTTP_WEB_SOCKET_BINARY_MESSAGE_BUFFER_TYPE || type == WINHTTP_WEB_SOCKET_BINARY_FRAGMENT_BUFFER_TYPE ||
           type == WINHTTP_WEB_SOCKET_UTF8_MESSAGE_BUFFER_TYPE || type == WINHTTP_WEB_SOCKET_UTF8_FRAGMENT_BUFFER_TYPE;
}

static void tx_async(void *context, DWORD result)
{
    struct websocket *ws = context;
    DWORD res, count = ws->tx_count;
    WINHTTP_WEB_SOCKET_BUFFER_TYPE type = ws->tx_type;

    res = write_frame(ws, ws->tx_frame, ws->tx_len, &ws->tx_pos, FALSE);
    free(ws->tx_frame);
    ws->tx_frame = NULL;
    AcquireSRWLockExclusive(&ws->obj.lock);
    ws->send_pending = FALSE;
    ws->tx_busy = FALSE;
    WakeAllConditionVariable(&ws->tx_cv);
    ReleaseSRWLockExclusive(&ws->obj.lock);
    TRACE("send completed: %u\n", res);
    if (res) notify_error(ws, WINHTTP_WEB_SOCKET_SEND_OPERATION, res);
    else notify_status(ws, WINHTTP_CALLBACK_STATUS_WRITE_COMPLETE, count, type);
    release_object(&ws->obj);
}

DWORD WINAPI WinHttpWebSocketSend(HINTERNET hsocket, WINHTTP_WEB_SOCKET_BUFFER_TYPE type, PVOID buffer, DWORD len)
{
    struct websocket *ws;
    enum ws_opcode kind, opcode;
    BOOL fin;
    size_t frame_len, pos = 0;
    BYTE *frame;
    DWORD res;

    TRACE("(%p, %u, %p, %u)\n", hsocket, type, buffer, len);

    if ((res = grab_websocket(hsocket, &ws))) return res;
    if (!valid_buffer_type(type) || (!buffer && len))
    {
        res = ERROR_INVALID_PARAMETER;
        goto done;
    }
    kind = type == WINHTTP_WEB_SOCKET_BINARY_MESSAGE_BUFFER_TYPE || type == WINHTTP_WEB_SOCKET_BINARY_FRAGMENT_BUFFER_TYPE
           ? WS_OP_BINARY : WS_OP_TEXT;
    fin = type == WINHTTP_WEB_SOCKET_BINARY_MESSAGE_BUFFER_TYPE || type == WINHTTP_WEB_SOCKET_UTF8_MESSAGE_BUFFER_TYPE;

    AcquireSRWLockExclusive(&ws->obj.lock);
    if (ws->close_sent || ws->send_pending) res = ERROR_INVALID_OPERATION;
    /* The fragments of a message all have the message's type. */
    else if (ws->send_message && ws->send_message != kind) res = ERROR_INVALID_PARAMETER;
    else
    {
        opcode = ws->send_message ? WS_OP_CONTINUATION : kind;
        ws->send_message = fin ? 0 : kind;
        ws->send_pending = TRUE;
    }
    ReleaseSRWLockExclusive(&ws->obj.lock);
    if (res) goto done;

    if (!(frame = build_frame(fin, opcode, buffer, len, &frame_len)))
    {
        res = ERROR_OUTOFMEMORY;
        AcquireSRWLockExclusive(&ws->obj.lock);
        ws->send_pending = FALSE;
        ReleaseSRWLockExclusive(&ws->obj.lock);
        goto done;
    }
    tx_acquire(ws);
    res = write_frame(ws, frame, frame_len, &pos, ws->async);
    if (res == ERROR_IO_PENDING)
    {
        /* The socket is full: the rest goes out from a worker thread, which
         * completes the send. */
        ws->tx_frame = frame;
        ws->tx_len = frame_len;
        ws->tx_pos = pos;
        ws->tx_count = len;
        ws->tx_type = type;
        addref_object(&ws->obj);
        if (!(res = event_submit(tx_async, ws, 0))) goto done;
        ws->tx_frame = NULL;
        release_object(&ws->obj);
    }
    free(frame);
    tx_release(ws);
    AcquireSRWLockExclusive(&ws->obj.lock);
    ws->send_pending = FALSE;
    ReleaseSRWLockExclusive(&ws->obj.lock);
    if (ws->async)
    {
        /* Done inside the call: Windows completes it on this thread. */
        if (res) notify_error(ws, WINHTTP_WEB_SOCKET_SEND_OPERATION, res);
        else notify_status(ws, WINHTTP_CALLBACK_STATUS_WRITE_COMPLETE, len, type);
        res = ERROR_SUCCESS;
    }

done:
    if (ws) release_object(&ws->obj);
    TRACE("returning %u\n", res);
    return res;
}

DWORD WINAPI WinHttpWebSocketReceive(HINTERNET hsocket, PVOID buffer, DWORD len, DWORD *read,
                                     WINHTTP_WEB_SOCKET_BUFFER_TYPE *type)
{
    struct websocket *ws;
    DWORD res;

    TRACE("(%p, %p, %u, %p, %p)\n", hsocket, buffer, len, read, type);

    if ((res = grab_websocket(hsocket, &ws))) return res;
    if (!buffer || !len || (!ws->async && (!read || !type)))
    {
        res = ERROR_INVALID_PARAMETER;
        goto done;
    }
    AcquireSRWLockExclusive(&ws->obj.lock);
    /* One receive at a time, none once the server's close frame came or
     * while WinHttpWebSocketClose reads for it. */
    if (ws->rx_op != RX_NONE || ws->close_received || ws->close_pending || ws->failed) res = ERROR_INVALID_OPERATION;
    else ws->rx_op = RX_RECEIVE;
    ReleaseSRWLockExclusive(&ws->obj.lock);
    if (res) goto done;

    if (ws->async)
    {
        EnterCriticalSection(&ws->rx_cs);
        ws->rx_buf = buffer;
        ws->rx_len = len;
        LeaveCriticalSection(&ws->rx_cs);
        addref_object(&ws->obj);
        if ((res = event_submit(rx_async, ws, 0)))
        {
            set_rx_op(ws, RX_NONE);
            release_object(&ws->obj);
        }
        goto done;
    }
    EnterCriticalSection(&ws->rx_cs);
    ws->rx_buf = buffer;
    ws->rx_len = len;
    if (!(res = rx_run_sync(ws)))
    {
        *read = ws->rx_done;
        *type = ws->rx_type;
    }
    set_rx_op(ws, RX_NONE);
    LeaveCriticalSection(&ws->rx_cs);

done:
    if (ws) release_object(&ws->obj);
    TRACE("returning %u\n", res);
    return res;
}

static BOOL valid_close(USHORT status, const void *reason, DWORD len)
{
    if ((!reason && len) || len > WS_MAX_CLOSE_REASON) return FALSE;
    /* 1005 (EMPTY) asks for a close frame without a status, so without a reason. */
    if (status == WINHTTP_WEB_SOCKET_EMPTY_CLOSE_STATUS) return !len;
    return ws_close_status_valid(status);
}

DWORD WINAPI WinHttpWebSocketShutdown(HINTERNET hsocket, USHORT status, PVOID reason, DWORD len)
{
    struct websocket *ws;
    DWORD res;

    TRACE("(%p, %u, %p, %u)\n", hsocket, status, reason, len);

    if ((res = grab_websocket(hsocket, &ws))) return res;
    if (!valid_close(status, reason, len))
    {
        res = ERROR_INVALID_PARAMETER;
        goto done;
    }
    AcquireSRWLockExclusive(&ws->obj.lock);
    if (ws->close_sent || ws->close_pending) res = ERROR_INVALID_OPERATION;
    else ws->close_sent = TRUE;
    ReleaseSRWLockExclusive(&ws->obj.lock);
    if (res) goto done;

    if (!(res = send_close(ws, status, reason, len))) finish_if_closed(ws);
    if (ws->async)
    {
        /* The close frame is small: Windows completes on this thread. */
        if (res) notify_error(ws, WINHTTP_WEB_SOCKET_SHUTDOWN_OPERATION, res);
        else notify(ws, WINHTTP_CALLBACK_STATUS_SHUTDOWN_COMPLETE, NULL, 0);
        res = ERROR_SUCCESS;
    }

done:
    release_object(&ws->obj);
    TRACE("returning %u\n", res);
    return res;
}

DWORD WINAPI WinHttpWebSocketClose(HINTERNET hsocket, USHORT status, PVOID reason, DWORD len)
{
    struct websocket *ws;
    BOOL send, received, cancel_receive = FALSE;
    DWORD res;

    TRACE("(%p, %u, %p, %u)\n", hsocket, status, reason, len);

    if ((res = grab_websocket(hsocket, &ws))) return res;
    if (!valid_close(status, reason, len))
    {
        res = ERROR_INVALID_PARAMETER;
        goto done;
    }
    AcquireSRWLockExclusive(&ws->obj.lock);
    if (ws->close_pending || ws->send_pending) res = ERROR_INVALID_OPERATION;
    else
    {
        ws->close_pending = TRUE;
        send = !ws->close_sent;
        ws->close_sent = TRUE;
    }
    ReleaseSRWLockExclusive(&ws->obj.lock);
    if (res) goto done;

    /* Synchronously a receive may be blocked on another thread, holding the
     * receive side: our close frame goes out first, so the server's answer
     * ends that receive (it sees the close) and this call goes on. */
    if (!ws->async && send)
    {
        send = FALSE;
        if ((res = send_close(ws, status, reason, len)))
        {
            close_done(ws);
            goto done;
        }
    }

    /* A pending receive gives way: its wait carries on as the close's. */
    EnterCriticalSection(&ws->rx_cs);
    AcquireSRWLockExclusive(&ws->obj.lock);
    if (ws->rx_op == RX_RECEIVE) cancel_receive = TRUE;
    ws->rx_op = RX_CLOSE;
    ws->close_deadline = GetTickCount64() + ws->settings.websocket_close_timeout;
    ReleaseSRWLockExclusive(&ws->obj.lock);
    LeaveCriticalSection(&ws->rx_cs);
    if (cancel_receive) notify_error(ws, WINHTTP_WEB_SOCKET_RECEIVE_OPERATION, ERROR_WINHTTP_OPERATION_CANCELLED);

    if (send && (res = send_close(ws, status, reason, len)))
    {
        if (!cancel_receive) set_rx_op(ws, RX_NONE);
        close_done(ws);
        goto done;
    }

    AcquireSRWLockShared(&ws->obj.lock);
    received = ws->close_received || ws->failed;
    ReleaseSRWLockShared(&ws->obj.lock);
    if (received && !cancel_receive)
    {
        /* Both close frames were exchanged already: nothing to wait for. */
        finish_if_closed(ws);
        set_rx_op(ws, RX_NONE);
        close_done(ws);
        if (ws->async) notify(ws, WINHTTP_CALLBACK_STATUS_CLOSE_COMPLETE, NULL, 0);
        goto done;
    }
    if (cancel_receive) goto done;      /* the receive's reference and wait carry on */

    if (ws->async)
    {
        addref_object(&ws->obj);
        if ((res = event_submit(rx_async, ws, 0)))
        {
            set_rx_op(ws, RX_NONE);
            close_done(ws);
            release_object(&ws->obj);
        }
        goto done;
    }
    EnterCriticalSection(&ws->rx_cs);
    res = rx_run_sync(ws);
    set_rx_op(ws, RX_NONE);
    LeaveCriticalSection(&ws->rx_cs);
    close_done(ws);

done:
    release_object(&ws->obj);
    TRACE("returning %u\n", res);
    return res;
}

DWORD WINAPI WinHttpWebSocketQueryCloseStatus(HINTERNET hsocket, USHORT *status, PVOID reason, DWORD len,
                                              DWORD *consumed)
{
    struct websocket *ws;
    DWORD res;

    TRACE("(%p, %p, %p, %u, %p)\n", hsocket, status, reason, len, consumed);

    if ((res = grab_websocket(hsocket, &ws))) return res;
    if (!status || !consumed || (!reason && len))
    {
        res = ERROR_INVALID_PARAMETER;
        goto done;
    }
    AcquireSRWLockShared(&ws->obj.lock);
    if (!ws->close_received) res = ERROR_INVALID_OPERATION;
    else
    {
        *consumed = ws->close_reason_len;
        if (len < ws->close_reason_len) res = ERROR_INSUFFICIENT_BUFFER;
        else
        {
            *status = ws->close_status;
            if (ws->close_reason_len) memcpy(reason, ws->close_reason, ws->close_reason_len);
        }
    }
    ReleaseSRWLockShared(&ws->obj.lock);

done:
    release_object(&ws->obj);
    TRACE("returning %u\n", res);
    return res;
}
