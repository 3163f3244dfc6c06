/*
 * HTTP/2 over libnghttp2: the transport (one TCP+TLS connection shared by
 * the requests of a session to one origin) and its streams.  http2.h says
 * how the layer fits under the engine.
 */
#include <stdio.h>
#include <nghttp2/nghttp2.h>

#include "winhttp_private.h"
#include "unix_private.h"
#include "conn.h"
#include "tls.h"
#include "http2.h"
#include "chunked.h"

WINE_DEFAULT_DEBUG_CHANNEL(winhttp);

/* Flow control: what we let the server send ahead of what the application
 * has read.  Large enough for bulk downloads at the TLS ceiling, bounded so
 * that streams nobody reads cannot take unbounded memory. */
#define STREAM_WINDOW      (8 * 1024 * 1024)
#define CONNECTION_WINDOW  (64 * 1024 * 1024)
/* Until the server's SETTINGS say otherwise (RFC 9113 6.5.2 leaves it
 * unlimited; a burst of 1,000 HEADERS before them would be refused). */
#define INITIAL_PEER_STREAMS 100
#define MAX_REQUEST_BODY_BUFFER (256 * 1024)
#define MAX_RESPONSE_HEAD (1024 * 1024)
#define READ_CHUNK (64 * 1024)
#define READ_PER_DRIVE (2 * 1024 * 1024)
#define IDLE_EXPIRY_MS 30000

enum transport_state { T_CONNECTING, T_READY, T_DEAD };

struct h2_transport
{
    LONG refs;
    SRWLOCK lock;
    struct h2_transport *next;          /* the registry */
    BOOL listed;
    struct conn_pool *pool;             /* NULL once the session is gone */
    WCHAR *key;
    enum transport_state state;
    BOOL holds_slot;                    /* the pool slot of the connection it took */
    struct connection *conn;
    struct net_socket *wsock;           /* a second descriptor: write waits next to the read wait */
    nghttp2_session *session;
    char *out;                          /* frames serialized, not yet taken by TLS */
    size_t out_start, out_end, out_cap;
    char *in;                           /* READ_CHUNK */
    BOOL reg_read, reg_write;
    BOOL goaway;
    DWORD local_error;                  /* nghttp2 ended the connection on the server's protocol error */
    struct h2_stream *streams;
    LONG stream_count;                  /* streams attached (read without the lock: a hint) */
    LONG max_streams;                   /* the server's SETTINGS_MAX_CONCURRENT_STREAMS */
    BOOL settings_seen;                 /* max_streams is the server's, not a guess */
    DWORD keepalive_ms;                 /* WINHTTP_OPTION_HTTP2_KEEPALIVE: PING after this much silence */
    ULONGLONG last_input;
    ULONGLONG idle_since;
    /* While the event loop's thread drives the transport, the requests it
     * wakes are collected here and resumed after the lock is released: the
     * first on this very thread (no hand-off), the others queued. */
    TP_TIMER *timer;
    ULONGLONG timer_due;                /* what the timer is set for, 0: not set */
    BOOL collecting;
    BOOL flush_queued;                  /* on_flush is queued: requests' frames wait for it */
    struct wake { event_callback callback; void *context; DWORD result; } *wakes;
    unsigned int wake_count, wake_cap;
};

struct h2_stream
{
    struct h2_transport *t;
    struct connection *conn;
    struct h2_stream *next;
    int32_t id;                         /* of the request under way; 0 before its HEADERS */
    BOOL active;                        /* a request is under way */
    /* the request */
    char *head;
    size_t head_len, head_cap;
    BOOL submitted;
    ULONGLONG body_left;                /* body bytes the engine has still to give */
    BOOL chunked;                       /* Transfer-Encoding: chunked: its framing is taken off */
    struct chunked_decoder chunk;
    char *out;
    size_t out_start, out_end;
    BOOL deferred;                      /* nghttp2 waits for body bytes */
    /* the response, as HTTP/1.1 bytes */
    char *in;
    size_t in_start, in_end, in_cap;
    size_t in_synth;                    /* head bytes at the front: not flow controlled */
    int head_state;                     /* 0: before :status, 1: fields, 2: body */
    size_t head_size;
    char *trailers;                     /* fields after the body, "name: value\r\n" each */
    size_t trailers_len;
    BOOL ended;
    DWORD error;
    uint32_t reset_code;                /* the RST_STREAM error code that ended it (STREAM_ERROR_CODE) */
    BOOL dirty;                         /* DATA arrived in this drive: wake its reader after it */
    /* parking */
    BOOL signalled, aborted;
    CONDITION_VARIABLE cv;
    event_callback callback;
    void *context;
    ULONGLONG deadline;
};

static SRWLOCK registry_lock = SRWLOCK_INIT;
static struct h2_transport *registry;

static void arm(struct h2_transport *t);
static void schedule_timer(struct h2_transport *t);
static void flush_out(struct h2_transport *t);

/* ------------------------------------------------------------------ */
/* transports                                                          */

static struct h2_transport *transport_addref(struct h2_transport *t)
{
    InterlockedIncrement(&t->refs);
    return t;
}

static void transport_release(struct h2_transport *t)
{
    if (InterlockedDecrement(&t->refs)) return;
    TRACE("freeing transport %p\n", t);
    if (t->timer)
    {
        SetThreadpoolTimer(t->timer, NULL, 0, 0);
        WaitForThreadpoolTimerCallbacks(t->timer, TRUE);
        CloseThreadpoolTimer(t->timer);
    }
    if (t->session) nghttp2_session_del(t->session);
    if (t->conn) conn_close(t->conn);
    net_close(t->wsock);
    free(t->out);
    free(t->in);
    free(t->wakes);
    free(t->key);
    free(t);
}

static void unlist(struct h2_transport *t)
{
    struct h2_transport **p;
    BOOL was_listed = FALSE;

    AcquireSRWLockExclusive(&registry_lock);
    for (p = &registry; *p; p = &(*p)->next)
    {
        if (*p != t) continue;
        *p = t->next;
        t->listed = FALSE;
        was_listed = TRUE;
        break;
    }
    ReleaseSRWLockExclusive(&registry_lock);
    if (was_listed) transport_release(t);
}

static BOOL grow_wakes(struct h2_transport *t)
{
    unsigned int cap = max(t->wake_cap * 2, 16);
    struct wake *bigger = realloc(t->wakes, cap * sizeof(*bigger));
    if (!bigger) return FALSE;
    t->wakes = bigger;
    t->wake_cap = cap;
    return TRUE;
}

/* t->lock held.  Wake whoever waits for s. */
static void stream_signal(struct h2_stream *s, DWORD result)
{
    event_callback callback = s->callback;
    void *context = s->context;

    if (callback)
    {
        struct h2_transport *t = s->t;
        s->callback = NULL;
        if (t->collecting && (t->wake_count < t->wake_cap || grow_wakes(t)))
        {
            t->wakes[t->wake_count].callback = callback;
            t->wakes[t->wake_count].context = context;
            t->wakes[t->wake_count++].result = result;
            return;
        }
        if (event_submit(callback, context, result)) ERR("cannot resume a request\n");
        return;
    }
    s->signalled = TRUE;
    WakeAllConditionVariable(&s->cv);
}

/* t->lock held.  The connection is over: every request under way fails
 * with error (streams that got no answer are retried by the engine). */
static void transport_kill(struct h2_transport *t, DWORD error)
{
    struct h2_stream *s;
    struct conn_pool *pool = NULL;

    if (t->state == T_DEAD) return;
    TRACE("transport %p ends: %u\n", t, error);
    t->state = T_DEAD;
    for (s = t->streams; s; s = s->next)
    {
        if (s->active && !s->ended && !s->error) s->error = error;
        stream_signal(s, 0);
    }
    if (t->conn && t->conn->sock) net_abort(t->conn->sock);
    if (t->holds_slot && t->pool) pool = t->pool;
    t->holds_slot = FALSE;
    /* Lock order: registry, then nothing; the pool lock nests in neither. */
    unlist(t);
    if (pool) conn_pool_release(pool, t->key, NULL, FALSE);
}

static BOOL out_reserve(struct h2_transport *t, size_t len)
{
    if (t->out_start == t->out_end) t->out_start = t->out_end = 0;
    if (t->out_cap - t->out_end >= len) return TRUE;
    if (t->out_start)
    {
        memmove(t->out, t->out + t->out_start, t->out_end - t->out_start);
        t->out_end -= t->out_start;
        t->out_start = 0;
        if (t->out_cap - t->out_end >= len) return TRUE;
    }
    {
        size_t cap = max(t->out_cap * 2, t->out_end + len);
        char *bigger = realloc(t->out, cap);
        if (!bigger) return FALSE;
        t->out = bigger;
        t->out_cap = cap;
    }
    return TRUE;
}

/* t->lock held.  Serialize what nghttp2 has to send and hand it to TLS
 * until TLS would block. */
static void flush_out(struct h2_transport *t)
{
    size_t sent;
    DWORD res;
    int want;

    while (t->state == T_READY)
    {
        if (t->out_start == t->out_end || t->out_end - t->out_start < 16384)
        {
            const uint8_t *data;
            ssize_t n;
            /* Gather frames up to a TLS record or more. */
            while ((n = nghttp2_session_mem_send(t->session, &data)) > 0)
            {
                if (!out_reserve(t, n))
                {
                    transport_kill(t, ERROR_OUTOFMEMORY);
                    return;
                }
                memcpy(t->out + t->out_end, data, n);
                t->out_end += n;
                if (t->out_end - t->out_start >= 65536) break;
            }
            if (n < 0)
            {
                WARN("nghttp2_session_mem_send: %s\n", nghttp2_strerror((int)n));
                transport_kill(t, ERROR_WINHTTP_INVALID_SERVER_RESPONSE);
                return;
            }
        }
        if (t->out_start == t->out_end) return;
        res = tls_send(t->conn->tls, t->out + t->out_start, t->out_end - t->out_start, &sent, &want);
        if (res == ERROR_IO_PENDING) return;
        if (res)
        {
            transport_kill(t, res);
            return;
        }
        t->out_start += sent;
    }
}

/* t->lock held.  Read what arrived (bounded, so the streams' readers get
 * the lock in between) and feed it to nghttp2. */
static void pump_in(struct h2_transport *t)
{
    size_t got, total = 0;
    ssize_t used;
    DWORD res;
    int want;

    while (t->state == T_READY && total < READ_PER_DRIVE)
    {
        res = tls_recv(t->conn->tls, t->in, READ_CHUNK, &got, &want);
        if (res == ERROR_IO_PENDING) return;
        if (res || !got)
        {
            if (!res) TRACE("server closed transport %p\n", t);
            transport_kill(t, res ? res : ERROR_WINHTTP_CONNECTION_ERROR);
            return;
        }
        total += got;
        t->last_input = GetTickCount64();
        used = nghttp2_session_mem_recv(t->session, (const uint8_t *)t->in, got);
        if (used < 0)
        {
            WARN("HTTP/2 protocol error: %s\n", nghttp2_strerror((int)used));
            flush_out(t);   /* the GOAWAY nghttp2 queued */
            transport_kill(t, ERROR_WINHTTP_INVALID_SERVER_RESPONSE);
            return;
        }
        flush_out(t);       /* SETTINGS and PING acknowledgements, WINDOW_UPDATE */
    }
}

/* t->lock held.  Asynchronous waiters past their deadline time out. */
static void expire(struct h2_transport *t)
{
    ULONGLONG now = GetTickCount64();
    struct h2_stream *s;

    for (s = t->streams; s; s = s->next)
    {
        if (!s->callback || !s->deadline || s->deadline > now) continue;
        s->deadline = 0;
        stream_signal(s, ERROR_WINHTTP_TIMEOUT);
    }
}

/* Asynchronous waits time out by a thread-pool timer at the soonest
 * deadline (the socket's wait has none: a deadline there costs every
 * re-arm a wake-up of the event loop). */
static void CALLBACK on_timer(TP_CALLBACK_INSTANCE *instance, void *context, TP_TIMER *timer)
{
    struct h2_transport *t = context;

    AcquireSRWLockExclusive(&t->lock);
    t->timer_due = 0;
    expire(t);
    if (t->keepalive_ms && t->state == T_READY && GetTickCount64() - t->last_input >= t->keepalive_ms)
    {
        /* WINHTTP_OPTION_HTTP2_KEEPALIVE: keep a quiet connection alive
         * (and find out early when it is not). */
        TRACE("transport %p: keep-alive PING\n", t);
        nghttp2_submit_ping(t->session, NGHTTP2_FLAG_NONE, NULL);
        flush_out(t);
        t->last_input = GetTickCount64();
    }
    schedule_timer(t);
    ReleaseSRWLockExclusive(&t->lock);
}

/* t->lock held. */
static void schedule_timer(struct h2_transport *t)
{
    ULONGLONG soonest = 0;
    struct h2_stream *s;
    FILETIME due;
    LONGLONG rel;

    /* A dead transport's timer stays off: its last reference may be going. */
    if (!t->timer || t->state == T_DEAD) return;
    for (s = t->streams; s; s = s->next)
        if (s->callback && s->deadline && (!soonest || s->deadline < soonest)) soonest = s->deadline;
    if (t->keepalive_ms && t->state == T_READY && (!soonest || t->last_input + t->keepalive_ms < soonest))
        soonest = t->last_input + t->keepalive_ms;
    if (!soonest || (t->timer_due && t->timer_due <= soonest)) return;
    t->timer_due = soonest;
    rel = -10000 * (LONGLONG)max(soonest - GetTickCount64(), 1);
    due.dwLowDateTime = (DWORD)rel;
    due.dwHighDateTime = (DWORD)(rel >> 32);
    SetThreadpoolTimer(t->timer, &due, 0, 10);
}

static void drive(struct h2_transport *t)
{
    struct h2_stream *s;

    if (t->state == T_READY)
    {
        flush_out(t);
        pump_in(t);
        for (s = t->streams; s; s = s->next)
        {
            if (!s->dirty) continue;
            s->dirty = FALSE;
            stream_signal(s, 0);
        }
        if (!t->streams && t->goaway) transport_kill(t, ERROR_WINHTTP_CONNECTION_ERROR);
        /* nghttp2 is done with the connection: after a connection error of
         * the server's (a PUSH_PROMISE we refused, say: RFC 9113 8.4) it sent
         * GOAWAY and reads no more, so the requests under way would wait
         * for ever. */
        if (t->state == T_READY && !nghttp2_session_want_read(t->session) &&
            !nghttp2_session_want_write(t->session))
        {
            WARN("transport %p: the HTTP/2 session is over\n", t);
            transport_kill(t, t->local_error ? t->local_error : ERROR_WINHTTP_CONNECTION_ERROR);
        }
        if (!t->streams && t->state == T_READY && GetTickCount64() - t->idle_since > IDLE_EXPIRY_MS)
        {
            TRACE("transport %p idle, closing\n", t);
            nghttp2_session_terminate_session(t->session, NGHTTP2_NO_ERROR);
            flush_out(t);
            transport_kill(t, ERROR_WINHTTP_CONNECTION_ERROR);
        }
    }
    expire(t);
    arm(t);
}

/* On an event loop thread: drive, then resume the requests that can go on:
 * the first right here (no hand-off: its answer is in this thread's
 * cache), the others on other threads, so they run in parallel and a
 * blocking callback delays only its own request. */
#define INLINE_RESUMES 1

static void drive_and_resume(struct h2_transport *t, BOOL *reg)
{
    struct wake *wakes = NULL;
    unsigned int count, i, n;

    AcquireSRWLockExclusive(&t->lock);
    *reg = FALSE;
    t->collecting = TRUE;
    drive(t);
    t->collecting = FALSE;
    count = t->wake_count;
    t->wake_count = 0;
    n = min(count, INLINE_RESUMES);
    if (n && !(wakes = malloc(n * sizeof(*wakes)))) n = 0;
    if (n) memcpy(wakes, t->wakes, n * sizeof(*wakes));
    for (i = n; i < count; i++)
        if (event_submit(t->wakes[i].callback, t->wakes[i].context, t->wakes[i].result))
            ERR("cannot resume a request\n");
    ReleaseSRWLockExclusive(&t->lock);
    for (i = 0; i < n; i++) wakes[i].callback(wakes[i].context, wakes[i].result);
    free(wakes);
    transport_release(t);
}

static void on_readable(void *context, DWORD result)
{
    struct h2_transport *t = context;
    drive_and_resume(t, &t->reg_read);
}

static void on_writable(void *context, DWORD result)
{
    struct h2_transport *t = context;
    drive_and_resume(t, &t->reg_write);
}

/* t->lock held.  Keep the event loop watching the socket. */
static void arm(struct h2_transport *t)
{
    if (t->state != T_READY) return;
    if (!t->reg_read)
    {
        transport_addref(t);
        t->reg_read = TRUE;
        /* Bytes GnuTLS already decrypted do not make the socket readable. */
        if (tls_pending(t->conn->tls) ? event_submit(on_readable, t, 0)
                                      : event_wait_socket(t->conn->sock, NET_WANT_READ, 0, on_readable, t))
        {
            ERR("cannot watch transport %p\n", t);
            t->reg_read = FALSE;
            transport_release(t);
        }
    }
    if (!t->reg_write && t->out_start != t->out_end && t->wsock)
    {
        transport_addref(t);
        t->reg_write = TRUE;
        if (event_wait_socket(t->wsock, NET_WANT_WRITE, 0, on_writable, t))
        {
            t->reg_write = FALSE;
            transport_release(t);
        }
    }
}

static void on_flush(void *context, DWORD result)
{
    struct h2_transport *t = context;

    AcquireSRWLockExclusive(&t->lock);
    t->flush_queued = FALSE;
    flush_out(t);
    arm(t);
    ReleaseSRWLockExclusive(&t->lock);
    transport_release(t);
}

/* t->lock held.  A request's frames go out now when it is alone on the
 * transport; with others under way they wait for one queued flush, so the
 * requests the event loop resumes together (each sending its next one from
 * its completion) share one TLS record and one send instead of one each. */
static void flush_soon(struct h2_transport *t)
{
    if (t->flush_queued) return;
    if (t->stream_count > 1)
    {
        transport_addref(t);
        t->flush_queued = TRUE;
        if (!event_submit(on_flush, t, 0)) return;
        t->flush_queued = FALSE;
        transport_release(t);
    }
    flush_out(t);
}

/* ------------------------------------------------------------------ */
/* nghttp2 callbacks (t->lock held: they run inside mem_recv/mem_send)  */

static struct h2_stream *stream_of(nghttp2_session *session, int32_t id)
{
    return nghttp2_session_get_stream_user_data(session, id);
}

static BOOL in_append(struct h2_stream *s, const void *data, size_t len)
{
    if (s->in_start == s->in_end && !s->in_synth) s->in_start = s->in_end = 0;
    if (s->in_cap - s->in_end < len && s->in_start)
    {
        memmove(s->in, s->in + s->in_start, s->in_end - s->in_start);
        s->in_end -= s->in_start;
        s->in_start = 0;
    }
    if (s->in_cap - s->in_end < len)
    {
        size_t cap = max(max(s->in_cap * 2, s->in_end + len), 16384);
        char *bigger = realloc(s->in, cap);
        if (!bigger) return FALSE;
        s->in = bigger;
        s->in_cap = cap;
    }
    memcpy(s->in + s->in_end, data, len);
    s->in_end += len;
    return TRUE;
}

static BOOL in_append_synth(struct h2_stream *s, const char *text, size_t len)
{
    if (!in_append(s, text, len)) return FALSE;
    s->in_synth += len;
    s->head_size += len;
    return TRUE;
}

static void stream_fail(struct h2_transport *t, struct h2_stream *s, DWORD error)
{
    if (!s->error) s->error = error;
    if (s->id) nghttp2_submit_rst_stream(t->session, NGHTTP2_FLAG_NONE, s->id, NGHTTP2_INTERNAL_ERROR);
    stream_signal(s, 0);
}

/* A trailer field: kept for WINHTTP_QUERY_FLAG_TRAILERS (h2_stream_trailers),
 * not part of the head or the body. */
static int trailer_append(struct h2_stream *s, const uint8_t *name, size_t namelen, const uint8_t *value,
                          size_t valuelen)
{
    size_t need = namelen + valuelen + 4;
    char *bigger;

    if (namelen && name[0] == ':') return 0;
    if (s->trailers_len + need > MAX_RESPONSE_HEAD)
    {
        WARN("stream %d: trailers beyond %u bytes dropped\n", s->id, MAX_RESPONSE_HEAD);
        return 0;
    }
    if (!(bigger = realloc(s->trailers, s->trailers_len + need))) return NGHTTP2_ERR_CALLBACK_FAILURE;
    s->trailers = bigger;
    memcpy(s->trailers + s->trailers_len, name, namelen);
    memcpy(s->trailers + s->trailers_len + namelen, ": ", 2);
    memcpy(s->trailers + s->trailers_len + namelen + 2, value, valuelen);
    memcpy(s->trailers + s->trailers_len + namelen + 2 + valuelen, "\r\n", 2);
    s->trailers_len += need;
    return 0;
}

static int on_header(nghttp2_session *session, const nghttp2_frame *frame, const uint8_t *name, size_t namelen,
                     const uint8_t *value, size_t valuelen, uint8_t flags, void *user_data)
{
    struct h2_transport *t = user_data;
    struct h2_stream *s;

    if (frame->hd.type != NGHTTP2_HEADERS || !(s = stream_of(session, frame->hd.stream_id))) return 0;
    if (s->head_state == 2) return trailer_append(s, name, namelen, value, valuelen);
    if (namelen == 7 && !memcmp(name, ":status", 7))
    {
        char line[32];
        int len;
        /* Three digits from 100, as in HTTP/1.1 (nghttp2 lets "001" through). */
        if (valuelen != 3 || value[0] < '1' || value[0] > '9' || value[1] < '0' || value[1] > '9' ||
            value[2] < '0' || value[2] > '9')
        {
            WARN("stream %d: invalid status %s\n", s->id, wine_dbgstr_an((const char *)value, (int)valuelen));
            stream_fail(t, s, ERROR_WINHTTP_INVALID_SERVER_RESPONSE);
            return NGHTTP2_ERR_TEMPORAL_CALLBACK_FAILURE;
        }
        len = snprintf(line, sizeof(line), "HTTP/1.1 %.3s\r\n", value);
        if (!in_append_synth(s, line, len)) return NGHTTP2_ERR_CALLBACK_FAILURE;
        s->head_state = 1;
        return 0;
    }
    if (namelen && name[0] == ':') return 0;
    if (s->head_state != 1) return 0;
    if (s->head_size + namelen + valuelen + 4 > MAX_RESPONSE_HEAD)
    {
        WARN("stream %d: response head larger than %u bytes\n", s->id, MAX_RESPONSE_HEAD);
        stream_fail(t, s, ERROR_WINHTTP_HEADER_SIZE_OVERFLOW);
        return NGHTTP2_ERR_TEMPORAL_CALLBACK_FAILURE;
    }
    if (!in_append_synth(s, (const char *)name, namelen) || !in_append_synth(s, ": ", 2) ||
        !in_append_synth(s, (const char *)value, valuelen) || !in_append_synth(s, "\r\n", 2))
        return NGHTTP2_ERR_CALLBACK_FAILURE;
    return 0;
}

static int on_frame_recv(nghttp2_session *session, const nghttp2_frame *frame, void *user_data)
{
    struct h2_transport *t = user_data;
    struct h2_stream *s;

    if (frame->hd.type == NGHTTP2_SETTINGS && !(frame->hd.flags & NGHTTP2_FLAG_ACK))
    {
        t->max_streams = min(nghttp2_session_get_remote_settings(session, NGHTTP2_SETTINGS_MAX_CONCURRENT_STREAMS),
                             0x7fffffff);
        t->settings_seen = TRUE;
        TRACE("transport %p: the server allows %d concurrent streams\n", t, t->max_streams);
        return 0;
    }
    if (frame->hd.type == NGHTTP2_GOAWAY)
    {
        WARN("GOAWAY from the server: last stream %d, error %u\n", frame->goaway.last_stream_id,
             frame->goaway.error_code);
        t->goaway = TRUE;
        unlist(t);
        return 0;
    }
    if (!frame->hd.stream_id || !(s = stream_of(session, frame->hd.stream_id))) return 0;
    if (frame->hd.type == NGHTTP2_HEADERS && s->head_state == 1 && (frame->hd.flags & NGHTTP2_FLAG_END_HEADERS))
    {
        BOOL interim = s->head_size >= 10 && !memcmp(s->in + s->in_end - s->head_size, "HTTP/1.1 1", 10);
        if (!in_append_synth(s, "\r\n", 2)) return NGHTTP2_ERR_CALLBACK_FAILURE;
        s->head_state = interim ? 0 : 2;
        s->head_size = 0;
        stream_signal(s, 0);
    }
    if ((frame->hd.flags & NGHTTP2_FLAG_END_STREAM) &&
        (frame->hd.type == NGHTTP2_HEADERS || frame->hd.type == NGHTTP2_DATA))
    {
        s->ended = TRUE;
        stream_signal(s, 0);
    }
    return 0;
}

static int on_data_chunk(nghttp2_session *session, uint8_t flags, int32_t id, const uint8_t *data, size_t len,
                         void *user_data)
{
    struct h2_stream *s = stream_of(session, id);

    if (!s || s->head_state != 2)
    {
        nghttp2_session_consume(session, id, len);
        return 0;
    }
    if (!in_append(s, data, len)) return NGHTTP2_ERR_CALLBACK_FAILURE;
    /* Woken once per read of the socket, not per DATA frame: a reader
     * woken now would only wait for the lock. */
    s->dirty = TRUE;
    return 0;
}

static DWORD map_stream_error(uint32_t code)
{
    switch (code)
    {
    case NGHTTP2_REFUSED_STREAM:    /* not processed: the engine may retry */
    case NGHTTP2_CANCEL:
    case NGHTTP2_CONNECT_ERROR:
        return ERROR_WINHTTP_CONNECTION_ERROR;
    default:
        return ERROR_WINHTTP_INVALID_SERVER_RESPONSE;
    }
}

static int on_stream_close(nghttp2_session *session, int32_t id, uint32_t error_code, void *user_data)
{
    struct h2_transport *t = user_data;
    struct h2_stream *s = stream_of(session, id);

    if (!s) return 0;
    if (!s->ended && !s->error)
    {
        WARN("stream %d closed with error %u\n", id, error_code);
        s->reset_code = error_code;
        s->error = error_code == NGHTTP2_NO_ERROR ? ERROR_WINHTTP_CONNECTION_ERROR : map_stream_error(error_code);
        /* Only before any of the answer: the request goes again over HTTP/1.1. */
        if (error_code == NGHTTP2_HTTP_1_1_REQUIRED && !s->head_state && s->in_start == s->in_end)
            s->error = H2_HTTP11_REQUIRED;
        /* Not processed: it may go again, on a stream the server allows. */
        if (error_code == NGHTTP2_REFUSED_STREAM && !s->head_state && s->in_start == s->in_end)
            s->error = H2_REFUSED;
    }
    s->ended = TRUE;
    nghttp2_session_set_stream_user_data(session, id, NULL);
    if (s->id == id) s->id = -id;   /* closed: no RST_STREAM from us */
    t->idle_since = GetTickCount64();
    stream_signal(s, 0);
    return 0;
}

static int on_frame_send(nghttp2_session *session, const nghttp2_frame *frame, void *user_data)
{
    struct h2_transport *t = user_data;

    /* Our GOAWAY with an error code: nghttp2 ends the connection on a
     * protocol error of the server's. */
    if (frame->hd.type == NGHTTP2_GOAWAY && frame->goaway.error_code != NGHTTP2_NO_ERROR)
    {
        WARN("transport %p: GOAWAY sent, error %u\n", t, frame->goaway.error_code);
        t->local_error = ERROR_WINHTTP_INVALID_SERVER_RESPONSE;
    }
    return 0;
}

static int on_frame_not_send(nghttp2_session *session, const nghttp2_frame *frame, int lib_error, void *user_data)
{
    struct h2_stream *s;

    if (frame->hd.type != NGHTTP2_HEADERS || !(s = stream_of(session, frame->hd.stream_id))) return 0;
    WARN("stream %d not sent: %s\n", frame->hd.stream_id, nghttp2_strerror(lib_error));
    if (!s->error) s->error = ERROR_WINHTTP_CONNECTION_ERROR;
    s->ended = TRUE;
    stream_signal(s, 0);
    return 0;
}

static ssize_t read_body(nghttp2_session *session, int32_t id, uint8_t *buf, size_t length, uint32_t *data_flags,
                         nghttp2_data_source *source, void *user_data)
{
    struct h2_stream *s = stream_of(session, id);
    size_t n;

    if (!s) return NGHTTP2_ERR_TEMPORAL_CALLBACK_FAILURE;
    n = min(length, s->out_end - s->out_start);
    memcpy(buf, s->out + s->out_start, n);
    s->out_start += n;
    if (s->out_start == s->out_end)
    {
        s->out_start = s->out_end = 0;
        if (!s->body_left)
        {
            *data_flags |= NGHTTP2_DATA_FLAG_EOF;
            return n;
        }
        if (!n)
        {
            s->deferred = TRUE;
            return NGHTTP2_ERR_DEFERRED;
        }
    }
    stream_signal(s, 0);    /* room for more body */
    return n;
}

static DWORD transport_start(struct h2_transport *t, struct connection *conn)
{
    nghttp2_session_callbacks *callbacks;
    nghttp2_option *option;
    nghttp2_settings_entry settings[] =
    {
        { NGHTTP2_SETTINGS_ENABLE_PUSH, 0 },        /* server push refused */
        { NGHTTP2_SETTINGS_INITIAL_WINDOW_SIZE, STREAM_WINDOW },
        { NGHTTP2_SETTINGS_MAX_CONCURRENT_STREAMS, 100 },
    };
    int ret;

    t->conn = conn;
    if (!(t->in = malloc(READ_CHUNK))) return ERROR_OUTOFMEMORY;
    if (nghttp2_session_callbacks_new(&callbacks)) return ERROR_OUTOFMEMORY;
    nghttp2_session_callbacks_set_on_header_callback(callbacks, on_header);
    nghttp2_session_callbacks_set_on_frame_recv_callback(callbacks, on_frame_recv);
    nghttp2_session_callbacks_set_on_data_chunk_recv_callback(callbacks, on_data_chunk);
    nghttp2_session_callbacks_set_on_stream_close_callback(callbacks, on_stream_close);
    nghttp2_session_callbacks_set_on_frame_not_send_callback(callbacks, on_frame_not_send);
    nghttp2_session_callbacks_set_on_frame_send_callback(callbacks, on_frame_send);
    if (nghttp2_option_new(&option))
    {
        nghttp2_session_callbacks_del(callbacks);
        return ERROR_OUTOFMEMORY;
    }
    /* Window updates follow what the application has read. */
    nghttp2_option_set_no_auto_window_update(option, 1);
    nghttp2_option_set_peer_max_concurrent_streams(option, t->max_streams);
    ret = nghttp2_session_client_new2(&t->session, callbacks, t, option);
    nghttp2_option_del(option);
    nghttp2_session_callbacks_del(callbacks);
    if (ret) return ERROR_OUTOFMEMORY;
    if (nghttp2_submit_settings(t->session, NGHTTP2_FLAG_NONE, settings, ARRAY_SIZE(settings)) ||
        nghttp2_session_set_local_window_size(t->session, NGHTTP2_FLAG_NONE, 0, CONNECTION_WINDOW))
        return ERROR_OUTOFMEMORY;
    if (net_dup(conn->sock, &t->wsock)) t->wsock = NULL;
    if (!(t->timer = CreateThreadpoolTimer(on_timer, t, NULL))) WARN("no timer: waits will not time out\n");
    t->idle_since = t->last_input = GetTickCount64();
    t->state = T_READY;
    return ERROR_SUCCESS;
}

/* ------------------------------------------------------------------ */
/* the engine's side                                                   */

static struct connection *stream_create(struct h2_transport *t)
{
    struct connection *conn;
    struct h2_stream *s;

    if (!(s = calloc(1, sizeof(*s)))) return NULL;
    if (!(conn = conn_create(NULL)))
    {
        free(s);
        return NULL;
    }
    InitializeConditionVariable(&s->cv);
    s->t = transport_addref(t);
    s->conn = conn;
    conn->stream = s;
    conn->want = H2_WANT_STREAM;
    AcquireSRWLockExclusive(&t->lock);
    s->next = t->streams;
    t->streams = s;
    InterlockedIncrement(&t->stream_count);
    ReleaseSRWLockExclusive(&t->lock);
    return conn;
}

static struct h2_transport *transport_new(struct conn_pool *pool, const WCHAR *key, const struct h2_options *options)
{
    struct h2_transport *t = calloc(1, sizeof(*t));

    if (!t) return NULL;
    if (!(t->key = strdupW(key)))
    {
        free(t);
        return NULL;
    }
    t->refs = 1;
    InitializeSRWLock(&t->lock);
    t->pool = pool;
    t->state = T_CONNECTING;
    t->max_streams = INITIAL_PEER_STREAMS;
    t->keepalive_ms = options->keepalive_ms;
    return t;
}

/* registry_lock held. */
static struct h2_transport *find_transport(struct conn_pool *pool, const WCHAR *key, BOOL no_queue)
{
    struct h2_transport *t;

    for (t = registry; t; t = t->next)
    {
        if (t->pool != pool || t->goaway || t->state == T_DEAD || strcmpiW(t->key, key)) continue;
        /* WINHTTP_OPTION_DISABLE_STREAM_QUEUE: a full connection (or one
         * being opened that has as many waiting as it may carry before the
         * server's SETTINGS) does not queue the request, another carries it. */
        if (no_queue && t->stream_count >= t->max_streams) continue;
        return t;
    }
    return NULL;
}

/* registry_lock held.  The stream limit another connection to the origin
 * learned from the server's SETTINGS (INITIAL_PEER_STREAMS if none): a new
 * connection starts with it rather than with the RFC's unlimited streams,
 * so that a burst on it is not refused beyond the server's limit. */
static LONG known_max_streams(struct conn_pool *pool, const WCHAR *key)
{
    struct h2_transport *t;

    for (t = registry; t; t = t->next)
        if (t->pool == pool && t->state == T_READY && t->settings_seen && !strcmpiW(t->key, key))
            return max(t->max_streams, 1);  /* 0 is a pause of the server's, not its limit */
    return INITIAL_PEER_STREAMS;
}

/* registry_lock held: the registry's reference. */
static void list(struct h2_transport *t)
{
    transport_addref(t);
    t->listed = TRUE;
    t->next = registry;
    registry = t;
}

DWORD h2_acquire(struct conn_pool *pool, const WCHAR *key, const struct h2_options *options,
                 struct connection **conn, struct h2_transport **opening)
{
    struct h2_transport *t;

    *conn = NULL;
    *opening = NULL;
    AcquireSRWLockExclusive(&registry_lock);
    if ((t = find_transport(pool, key, options->no_queue))) transport_addref(t);
    else if ((t = transport_new(pool, key, options)))
    {
        t->max_streams = known_max_streams(pool, key);
        list(t);
        *opening = t;
        TRACE("opening transport %p for %s\n", t, debugstr_w(key));
    }
    ReleaseSRWLockExclusive(&registry_lock);
    if (!t) return ERROR_OUTOFMEMORY;
    if (*opening) return ERROR_SUCCESS;
    *conn = stream_create(t);
    transport_release(t);
    if (!*conn) return ERROR_OUTOFMEMORY;
    TRACE("request joins transport %p for %s\n", t, debugstr_w(key));
    return ERROR_SUCCESS;
}

DWORD h2_adopt(struct conn_pool *pool, const WCHAR *key, const struct h2_options *options,
               struct h2_transport *t, struct connection *conn, struct connection **stream)
{
    struct h2_stream *s;
    DWORD res;

    *stream = NULL;
    if (!t)
    {
        /* ALPN chose h2 on a connection opened without a pending transport
         * (a retry): it becomes one, shared unless another is listed. */
        if (!(t = transport_new(pool, key, options))) return ERROR_OUTOFMEMORY;
        AcquireSRWLockExclusive(&registry_lock);
        if (!find_transport(pool, key, FALSE)) list(t);
        ReleaseSRWLockExclusive(&registry_lock);
    }
    AcquireSRWLockExclusive(&t->lock);
    if (t->state == T_DEAD) res = ERROR_WINHTTP_CONNECTION_ERROR;
    else res = transport_start(t, conn);
    if (res)
    {
        /* The caller keeps conn. */
        t->conn = NULL;
        transport_kill(t, res);
        ReleaseSRWLockExclusive(&t->lock);
        transport_release(t);
        return res;
    }
    t->holds_slot = TRUE;
    TRACE("transport %p speaks h2\n", t);
    for (s = t->streams; s; s = s->next) stream_signal(s, 0);
    flush_out(t);
    arm(t);
    schedule_timer(t);
    ReleaseSRWLockExclusive(&t->lock);
    if (!(*stream = stream_create(t))) res = ERROR_OUTOFMEMORY;
    else res = h2_stream_ready((*stream)->stream);
    transport_release(t);
    return res;
}

void h2_decline(struct h2_transport *t)
{
    if (!t) return;
    TRACE("transport %p will not be h2\n", t);
    AcquireSRWLockExclusive(&t->lock);
    transport_kill(t, H2_DECLINED);
    ReleaseSRWLockExclusive(&t->lock);
    transport_release(t);
}

void h2_pool_closing(struct conn_pool *pool)
{
    struct h2_transport *t, *list = NULL, *next;

    AcquireSRWLockExclusive(&registry_lock);
    for (t = registry; t; t = t->next)
        if (t->pool == pool) t->pool = NULL;
    ReleaseSRWLockExclusive(&registry_lock);
    /* Those without streams close now; the others when their last one ends. */
    for (;;)
    {
        AcquireSRWLockExclusive(&registry_lock);
        for (t = registry; t; t = t->next)
            if (!t->pool && !t->streams) break;
        if (t) transport_addref(t);
        ReleaseSRWLockExclusive(&registry_lock);
        if (!t) break;
        AcquireSRWLockExclusive(&t->lock);
        if (t->state == T_READY)
        {
            nghttp2_session_terminate_session(t->session, NGHTTP2_NO_ERROR);
            flush_out(t);
        }
        transport_kill(t, ERROR_WINHTTP_OPERATION_CANCELLED);
        unlist(t);
        ReleaseSRWLockExclusive(&t->lock);
        t->next = list;
        list = t;
    }
    for (t = list; t; t = next)
    {
        next = t->next;
        transport_release(t);
    }
}

DWORD h2_stream_ready(struct h2_stream *s)
{
    struct h2_transport *t = s->t;
    DWORD res;

    AcquireSRWLockExclusive(&t->lock);
    s->signalled = FALSE;
    if (s->aborted) res = ERROR_WINHTTP_OPERATION_CANCELLED;
    else if (t->state == T_CONNECTING) res = ERROR_IO_PENDING;
    else if (t->state == T_DEAD && !t->session) res = H2_DECLINED;
    else if (t->state == T_DEAD || t->goaway) res = ERROR_WINHTTP_CONNECTION_ERROR;
    else
    {
        struct connection *conn = s->conn;
        memcpy(conn->local_addr, t->conn->local_addr, sizeof(conn->local_addr));
        memcpy(conn->remote_addr, t->conn->remote_addr, sizeof(conn->remote_addr));
        /* Shared for what the request reports (tls_get_info, the chain);
         * all I/O goes through the transport. */
        conn->tls = t->conn->tls;
        conn->tls_ready = TRUE;
        conn->peer_chain = t->conn->peer_chain;
        memcpy(conn->cbt, t->conn->cbt, t->conn->cbt_len);
        conn->cbt_len = t->conn->cbt_len;
        res = ERROR_SUCCESS;
    }
    ReleaseSRWLockExclusive(&t->lock);
    return res;
}

int h2_stream_id(struct h2_stream *s)
{
    return s ? abs(s->id) : 0;
}

DWORD h2_stream_error_code(struct h2_stream *s)
{
    return s ? s->reset_code : 0;
}

char *h2_stream_trailers(struct h2_stream *s, size_t *len)
{
    struct h2_transport *t = s->t;
    char *text = NULL;

    *len = 0;
    AcquireSRWLockExclusive(&t->lock);
    if (s->trailers_len && (text = malloc(s->trailers_len)))
    {
        memcpy(text, s->trailers, s->trailers_len);
        *len = s->trailers_len;
    }
    ReleaseSRWLockExclusive(&t->lock);
    return text;
}

/* ------------------------------------------------------------------ */
/* the request: HTTP/1.1 head in, HEADERS out                          */

static BOOL is_hop_by_hop(const char *name, size_t len)
{
    static const char *const names[] = { "connection", "keep-alive", "proxy-connection", "transfer-encoding",
                                         "upgrade", "host", "te" };
    size_t i;

    for (i = 0; i < ARRAY_SIZE(names); i++)
        if (strlen(names[i]) == len && !strncasecmp(names[i], name, len)) return TRUE;
    return FALSE;
}

static void nv_set(nghttp2_nv *nv, const char *name, size_t name_len, const char *value, size_t value_len)
{
    nv->name = (uint8_t *)name;
    nv->namelen = name_len;
    nv->value = (uint8_t *)value;
    nv->valuelen = value_len;
    nv->flags = NGHTTP2_NV_FLAG_NONE;
}

/* t->lock held.  s->head holds a complete head (its empty line included). */
static DWORD submit_request(struct h2_transport *t, struct h2_stream *s)
{
    char *p = s->head, *end = s->head + s->head_len, *line_end, *method, *target, *sp;
    size_t lines = 0, n = 0, method_len, target_len, authority_len = 0;
    const char *authority = "";
    nghttp2_data_provider provider;
    nghttp2_nv *nva;
    int32_t id;

    for (sp = p; sp < end; sp++) if (*sp == '\n') lines++;
    if (!(nva = calloc(lines + 4, sizeof(*nva)))) return ERROR_OUTOFMEMORY;
    /* The request line: METHOD SP target SP HTTP/1.1 */
    line_end = memchr(p, '\n', end - p);
    method = p;
    if (!(sp = memchr(p, ' ', line_end - p))) goto invalid;
    method_len = sp - method;
    target = sp + 1;
    if (!(sp = memchr(target, ' ', line_end - target))) goto invalid;
    target_len = sp - target;
    nv_set(&nva[n++], ":method", 7, method, method_len);
    nv_set(&nva[n++], ":scheme", 7, "https", 5);
    n++;    /* :authority, from Host */
    nv_set(&nva[n++], ":path", 5, target, target_len);
    s->body_left = 0;
    s->chunked = FALSE;
    for (p = line_end + 1; p < end; p = line_end + 1)
    {
        char *colon, *value, *value_end;
        line_end = memchr(p, '\n', end - p);
        value_end = line_end;
        if (value_end > p && value_end[-1] == '\r') value_end--;
        if (value_end == p) break;
        if (!(colon = memchr(p, ':', value_end - p))) goto invalid;
        for (value = colon + 1; value < value_end && (*value == ' ' || *value == '\t'); value++) ;
        if (colon - p == 4 && !strncasecmp(p, "host", 4))
        {
            authority = value;
            authority_len = value_end - value;
        }
        if (colon - p == 14 && !strncasecmp(p, "content-length", 14))
            s->body_left = strtoull(value, NULL, 10);
        /* HTTP/2 has no chunked coding (RFC 9113 8.2.2): the program's chunk
         * framing comes off and the data goes out as DATA frames, the last
         * chunk ending the stream. */
        if (colon - p == 17 && !strncasecmp(p, "transfer-encoding", 17))
        {
            if (value_end - value == 7 && !strncasecmp(value, "chunked", 7)) s->chunked = TRUE;
            else FIXME("request Transfer-Encoding %.*s over HTTP/2\n", (int)(value_end - value), value);
        }
        if (is_hop_by_hop(p, colon - p)) continue;
        /* Field names go lowercase on h2 (RFC 9113 8.2.1). */
        {
            char *q;
            for (q = p; q < colon; q++) if (*q >= 'A' && *q <= 'Z') *q += 'a' - 'A';
        }
        nv_set(&nva[n++], p, colon - p, value, value_end - value);
    }
    if (s->chunked)
    {
        s->body_left = ~(ULONGLONG)0;  /* until the last chunk */
        chunked_init(&s->chunk);
    }
    nv_set(&nva[2], ":authority", 10, authority, authority_len);
    provider.source.ptr = s;
    provider.read_callback = read_body;
    s->head_state = 0;
    s->head_size = 0;
    s->ended = FALSE;
    s->error = 0;
    s->reset_code = 0;
    s->deferred = FALSE;
    id = nghttp2_submit_request(t->session, NULL, nva, n, s->body_left ? &provider : NULL, s);
    free(nva);
    if (id < 0)
    {
        WARN("nghttp2_submit_request: %s\n", nghttp2_strerror(id));
        return ERROR_WINHTTP_CONNECTION_ERROR;
    }
    s->id = id;
    s->submitted = TRUE;
    TRACE("request %.*s %.*s on stream %d of transport %p\n", (int)method_len, method, (int)target_len, target,
          id, t);
    return ERROR_SUCCESS;
invalid:
    free(nva);
    ERR("cannot read our own request head\n");
    return ERROR_WINHTTP_INTERNAL_ERROR;
}

/* t->lock held.  A new request on this stream connection. */
static void stream_reset(struct h2_transport *t, struct h2_stream *s)
{
    if (s->id > 0)
    {
        nghttp2_submit_rst_stream(t->session, NGHTTP2_FLAG_NONE, s->id, NGHTTP2_CANCEL);
        nghttp2_session_set_stream_user_data(t->session, s->id, NULL);
    }
    s->id = 0;
    s->active = TRUE;
    s->submitted = FALSE;
    s->head_len = 0;
    s->out_start = s->out_end = 0;
    s->in_start = s->in_end = s->in_synth = 0;
    s->head_state = 0;
    s->trailers_len = 0;
    s->ended = FALSE;
    s->error = 0;
    s->reset_code = 0;
}

static DWORD stream_state_error(struct h2_transport *t, struct h2_stream *s)
{
    if (s->aborted) return ERROR_WINHTTP_OPERATION_CANCELLED;
    if (s->error) return s->error;
    if (t->state != T_READY) return ERROR_WINHTTP_CONNECTION_ERROR;
    return ERROR_SUCCESS;
}

DWORD h2_stream_send(struct h2_stream *s, const void *buf, size_t len, size_t *sent)
{
    struct h2_transport *t = s->t;
    const char *data = buf;
    size_t taken = 0, n;
    DWORD res = ERROR_SUCCESS;

    *sent = 0;
    AcquireSRWLockExclusive(&t->lock);
    s->signalled = FALSE;
    if (!s->active || (s->submitted && !s->body_left)) stream_reset(t, s);
    if ((res = stream_state_error(t, s))) goto done;
    if (!s->submitted)
    {
        /* Gather the head up to its empty line; what follows is body. */
        while (taken < len)
        {
            if (s->head_len == s->head_cap)
            {
                size_t cap = max(s->head_cap * 2, 4096);
                char *bigger = realloc(s->head, cap);
                if (!bigger)
                {
                    res = ERROR_OUTOFMEMORY;
                    goto done;
                }
                s->head = bigger;
                s->head_cap = cap;
            }
            s->head[s->head_len++] = data[taken++];
            if (s->head_len >= 4 && !memcmp(s->head + s->head_len - 4, "\r\n\r\n", 4)) break;
        }
        if (s->head_len < 4 || memcmp(s->head + s->head_len - 4, "\r\n\r\n", 4)) goto done;
        if ((res = submit_request(t, s))) goto done;
    }
    while (taken < len && s->body_left)
    {
        if (!s->out && !(s->out = malloc(MAX_REQUEST_BODY_BUFFER)))
        {
            res = ERROR_OUTOFMEMORY;
            goto done;
        }
        if (s->out_start == s->out_end) s->out_start = s->out_end = 0;
        if (s->chunked)
        {
            size_t used, out_len;
            int ret = chunked_decode(&s->chunk, data + taken, len - taken, &used, s->out + s->out_end,
                                     MAX_REQUEST_BODY_BUFFER - s->out_end, &out_len);
            if (ret == CHUNKED_ERR)
            {
                WARN("the program's chunked request body is malformed\n");
                stream_reset(t, s);
                res = ERROR_INVALID_PARAMETER;
                goto done;
            }
            s->out_end += out_len;
            taken += used;
            if (ret == CHUNKED_DONE) s->body_left = 0;
            else if (!used && !out_len) break;  /* the body buffer is full */
            continue;
        }
        n = min(min(len - taken, MAX_REQUEST_BODY_BUFFER - s->out_end), s->body_left);
        if (!n) break;
        memcpy(s->out + s->out_end, data + taken, n);
        s->out_end += n;
        taken += n;
        s->body_left -= n;
    }
    if (s->deferred)
    {
        s->deferred = FALSE;
        nghttp2_session_resume_data(t->session, s->id);
    }
    if (taken < len && !s->body_left)
    {
        WARN("%lu bytes beyond the request's Content-Length dropped\n", (unsigned long)(len - taken));
        taken = len;
    }
    flush_soon(t);
    arm(t);
    if (!taken && len) res = ERROR_IO_PENDING;  /* the body buffer is full: the window is closed */
done:
    ReleaseSRWLockExclusive(&t->lock);
    *sent = taken;
    return res;
}

DWORD h2_stream_recv(struct h2_stream *s, void *buf, size_t len, size_t *received)
{
    struct h2_transport *t = s->t;
    size_t n, flow;
    DWORD res = ERROR_SUCCESS;

    *received = 0;
    AcquireSRWLockExclusive(&t->lock);
    s->signalled = FALSE;
    if (s->aborted) res = ERROR_WINHTTP_OPERATION_CANCELLED;
    else if (s->in_start < s->in_end)
    {
        n = min(len, s->in_end - s->in_start);
        memcpy(buf, s->in + s->in_start, n);
        s->in_start += n;
        flow = n - min(n, s->in_synth);
        s->in_synth -= n - flow;
        if (flow && s->id > 0 && t->state == T_READY)
        {
            nghttp2_session_consume(t->session, s->id, flow);
            flush_out(t);
            arm(t);
        }
        else if (flow && t->state == T_READY)
            nghttp2_session_consume_connection(t->session, flow);
        *received = n;
    }
    else if (s->error) res = s->error;
    else if (s->ended || !s->active)
    {
        s->active = FALSE;          /* the end of this response */
    }
    else if (t->state != T_READY) res = ERROR_WINHTTP_CONNECTION_ERROR;
    else
    {
        arm(t);
        res = ERROR_IO_PENDING;
    }
    ReleaseSRWLockExclusive(&t->lock);
    return res;
}

DWORD h2_stream_wait(struct h2_stream *s, int timeout_ms)
{
    struct h2_transport *t = s->t;
    ULONGLONG deadline = timeout_ms > 0 ? GetTickCount64() + timeout_ms : 0;
    DWORD res = ERROR_SUCCESS;

    AcquireSRWLockExclusive(&t->lock);
    arm(t);
    while (!s->signalled && !s->aborted)
    {
        DWORD wait = INFINITE;
        if (deadline)
        {
            ULONGLONG now = GetTickCount64();
            if (now >= deadline)
            {
                res = ERROR_WINHTTP_TIMEOUT;
                break;
            }
            wait = (DWORD)(deadline - now);
        }
        SleepConditionVariableSRW(&s->cv, &t->lock, wait, 0);
    }
    s->signalled = FALSE;
    if (s->aborted) res = ERROR_WINHTTP_OPERATION_CANCELLED;
    ReleaseSRWLockExclusive(&t->lock);
    return res;
}

DWORD h2_stream_wait_async(struct h2_stream *s, int timeout_ms, event_callback callback, void *context)
{
    struct h2_transport *t = s->t;
    DWORD res = ERROR_SUCCESS;

    AcquireSRWLockExclusive(&t->lock);
    if (s->signalled || s->aborted)
    {
        s->signalled = FALSE;
        res = event_submit(callback, context, s->aborted ? ERROR_WINHTTP_OPERATION_CANCELLED : 0);
    }
    else
    {
        s->callback = callback;
        s->context = context;
        s->deadline = timeout_ms > 0 ? GetTickCount64() + timeout_ms : 0;
        arm(t);
        schedule_timer(t);
    }
    ReleaseSRWLockExclusive(&t->lock);
    return res;
}

void h2_stream_abort(struct h2_stream *s)
{
    struct h2_transport *t = s->t;

    AcquireSRWLockExclusive(&t->lock);
    s->aborted = TRUE;
    if (s->callback)
    {
        event_callback callback = s->callback;
        s->callback = NULL;
        event_submit(callback, s->context, ERROR_WINHTTP_OPERATION_CANCELLED);
    }
    else WakeAllConditionVariable(&s->cv);
    ReleaseSRWLockExclusive(&t->lock);
}

void h2_stream_close(struct h2_stream *s)
{
    struct h2_transport *t = s->t;
    struct h2_stream **p;

    AcquireSRWLockExclusive(&t->lock);
    if (s->id > 0 && t->state == T_READY)
    {
        if (!s->ended) nghttp2_submit_rst_stream(t->session, NGHTTP2_FLAG_NONE, s->id, NGHTTP2_CANCEL);
        nghttp2_session_set_stream_user_data(t->session, s->id, NULL);
        /* What it had not read still counts against the connection window. */
        if (s->in_end - s->in_start > s->in_synth)
            nghttp2_session_consume_connection(t->session, s->in_end - s->in_start - s->in_synth);
    }
    if (s->callback) ERR("closing a stream with a waiter\n");
    for (p = &t->streams; *p; p = &(*p)->next)
        if (*p == s)
        {
            *p = s->next;
            InterlockedDecrement(&t->stream_count);
            break;
        }
    if (!t->streams) t->idle_since = GetTickCount64();
    if (t->state == T_READY)
    {
        if (!t->streams && (t->goaway || !t->pool)) transport_kill(t, ERROR_WINHTTP_CONNECTION_ERROR);
        else
        {
            flush_out(t);
            arm(t);
        }
    }
    ReleaseSRWLockExclusive(&t->lock);
    free(s->head);
    free(s->out);
    free(s->in);
    free(s->trailers);
    free(s);
    transport_release(t);
}
