/*
 * The response body: framed bytes (Content-Length, chunked, or up to the
 * close), then content decoding (gzip, deflate, br), then the bytes the
 * application reads.  Non-blocking like the rest of the engine: each
 * function returns ERROR_IO_PENDING when it needs the connection to become
 * readable.  Memory stays bounded whatever the body's size: the connection
 * buffer, one 16 KiB staging buffer for the decoder and one 64 KiB buffer
 * of decoded bytes.
 */
#include "winhttp_private.h"
#include "engine.h"

WINE_DEFAULT_DEBUG_CHANNEL(winhttp);

/* ------------------------------------------------------------------ */
/* Large per-response buffers (the parser's header-line array, the
 * decoder's staging buffer, the decoded bytes) come back from a small
 * process-wide cache instead of a malloc and free per request: freshly
 * allocated, each costs page faults and zeroed pages whenever malloc
 * trims and grows its heap (the profile of 32 requests in flight showed
 * sysmalloc and clear_page).  A few sizes only; at most CACHED_BUFFERS of
 * each are kept. */
#define CACHED_BUFFERS 32

static SRWLOCK cache_lock = SRWLOCK_INIT;
static struct buffer_cache
{
    size_t size;
    unsigned int count;
    void *items[CACHED_BUFFERS];
} caches[4];

void *engine_buffer_get(size_t size)
{
    void *buf = NULL;
    int i;

    AcquireSRWLockExclusive(&cache_lock);
    for (i = 0; i < ARRAY_SIZE(caches); i++)
        if (caches[i].size == size && caches[i].count)
        {
            buf = caches[i].items[--caches[i].count];
            break;
        }
    ReleaseSRWLockExclusive(&cache_lock);
    return buf ? buf : malloc(size);
}

void engine_buffer_put(void *buf, size_t size)
{
    int i;

    if (!buf) return;
    AcquireSRWLockExclusive(&cache_lock);
    for (i = 0; i < ARRAY_SIZE(caches); i++)
    {
        if (!caches[i].size) caches[i].size = size;
        if (caches[i].size != size) continue;
        if (caches[i].count < CACHED_BUFFERS)
        {
            caches[i].items[caches[i].count++] = buf;
            buf = NULL;
        }
        break;
    }
    ReleaseSRWLockExclusive(&cache_lock);
    free(buf);
}

/* ------------------------------------------------------------------ */

void body_start(struct request *request, struct engine *e)
{
    if (!memcmp(request->response_version, L"HTTP/1.0", 9 * sizeof(WCHAR)) && e->framing.body == HTTP1_BODY_CLOSE)
        e->framing.keep_alive = FALSE;
    e->remaining = e->framing.content_length;
    if (e->framing.body == HTTP1_BODY_CHUNKED) chunked_init(&e->chunked);
    e->framed_eof = e->framing.body == HTTP1_BODY_NONE || e->framing.body == HTTP1_BODY_TUNNEL ||
                    (e->framing.body == HTTP1_BODY_LENGTH && !e->remaining);
    e->body_eof = FALSE;
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
     * advertise it, but a server that sends it anyway gets understood. */
    if (!strcmpiW(value, L"br")) return DECOMP_BROTLI;
    return DECOMP_NONE;
}

DWORD body_setup_decoder(struct request *request, struct engine *e)
{
    enum decomp_type coding = content_coding(request);

    if (coding != DECOMP_NONE && !e->framed_eof)
    {
        if (!(e->decoder = decomp_new(coding))) return ERROR_OUTOFMEMORY;
        TRACE("decoding content coding %d\n", coding);
    }
    if (e->framed_eof && !e->decoder) e->body_eof = TRUE;
    return ERROR_SUCCESS;
}

/* Framed bytes, before content decoding: up to cap into out, 0 with
 * framed_eof set at the end.  NULL out discards (draining). */
DWORD body_read_framed(struct request *request, struct engine *e, char *out, size_t cap, size_t *len)
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
            if (out) memcpy(out, conn->buf + conn->buf_start, n);
            conn->buf_start += n;
        }
        else if (out)
        {
            /* Large reads go straight into the caller's buffer. */
            res = conn_try_recv(conn, out, cap, &n);
            if (res == ERROR_IO_PENDING) return engine_wait(e, conn->want, timeout);
            if (res) return res;
        }
        else
        {
            res = conn_try_fill(conn, &n);
            if (res == ERROR_IO_PENDING) return engine_wait(e, conn->want, timeout);
            if (res) return res;
            if (n) return ERROR_SUCCESS;    /* consumed on the next call */
        }
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
            res = conn_try_fill(conn, &got);
            if (res == ERROR_IO_PENDING) return engine_wait(e, conn->want, timeout);
            if (res) return res;
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

/* Body bytes as the application sees them (decoded), up to cap. */
static DWORD read_decoded(struct request *request, struct engine *e, char *out, size_t cap, size_t *len)
{
    BOOL finishing = FALSE;
    DWORD res;

    *len = 0;
    if (e->body_eof || !cap) return ERROR_SUCCESS;
    if (!e->decoder)
    {
        if ((res = body_read_framed(request, e, out, cap, len))) return res;
        if (!*len && e->framed_eof) e->body_eof = TRUE;
        return ERROR_SUCCESS;
    }
    if (!e->raw && !(e->raw = engine_buffer_get(RAW_BUFFER_SIZE))) return ERROR_OUTOFMEMORY;
    for (;;)
    {
        size_t used = 0, produced = 0, n;
        int ret;

        if (e->raw_start == e->raw_end && !e->framed_eof)
        {
            e->raw_start = e->raw_end = 0;
            if ((res = body_read_framed(request, e, e->raw, RAW_BUFFER_SIZE, &n))) return res;
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

/* The request itself said "Connection: close". */
static BOOL client_asked_close(struct request *request)
{
    WCHAR *value = headers_get(request, TRUE, L"Connection", 0);
    BOOL ret = FALSE;

    if (value)
    {
        ret = !strcmpiW(value, L"close");
        free(value);
    }
    return ret;
}

/* The body ended: the connection goes back to the pool if it can carry
 * another request. */
void body_finish(struct request *request, struct engine *e)
{
    char *trailers = NULL;
    size_t len = 0;

    if (e->state != STATE_RESPONSE) return;
    e->state = STATE_DONE;
    /* What came after the body (h2 only; a body framed by Content-Length
     * may end before its trailers arrive: they are not waited for). */
    if (e->conn && e->conn->stream) trailers = h2_stream_trailers(e->conn->stream, &len);
    headers_set_trailers(request, trailers, len);
    free(trailers);
    /* After a 101 to a WebSocket upgrade the connection carries the
     * WebSocket: it stays with the request until WinHttpWebSocketCompleteUpgrade. */
    if (request->upgrade_to_websocket && e->framing.body == HTTP1_BODY_TUNNEL) return;
    if (!e->framing.keep_alive && !client_asked_close(request))
    {
        /* The server ended the connection (Connection: close): Windows
         * lets it go without CLOSING_CONNECTION / CONNECTION_CLOSED, which
         * it sends when it closes one itself (Wine's notification.c). */
        release_connection_quietly(request, e);
        return;
    }
    release_connection(request, e, e->framing.keep_alive && e->conn && !conn_buffered(e->conn));
}

/* The application is done with a response it did not read to the end (it
 * closed the request or sends it again).  Windows keeps the connection when
 * the rest of the body is already here: drop what arrived, without waiting
 * for more, and tell whether the connection can carry another request. */
BOOL body_discard_unread(struct request *request, struct engine *e)
{
    BOOL reusable;

    if (e->state == STATE_DONE) return e->framing.keep_alive;
    if (e->state != STATE_RESPONSE || !e->conn || !e->framing.keep_alive) return FALSE;
    /* A connection that carried credentials is not kept for a response the
     * application walked away from: the server's connection-bound
     * authentication (NTLM, Negotiate) goes with it, and the next request
     * proves itself again. */
    if (e->conn->identity_bound) return FALSE;
    if (body_drain(request, e, &reusable)) return FALSE;
    return reusable;
}

/* Make decoded bytes available in dbuf (WinHttpQueryDataAvailable). */
static BOOL chunk_at_a_time(const struct engine *e)
{
    return e->framing.body == HTTP1_BODY_CHUNKED && !e->decoder && e->conn;
}

DWORD body_fill(struct request *request, struct engine *e)
{
    size_t len;
    DWORD res;

    if (e->dbuf_start < e->dbuf_end) return ERROR_SUCCESS;
    if (!e->dbuf && !(e->dbuf = engine_buffer_get(DECODED_BUFFER_SIZE))) return ERROR_OUTOFMEMORY;
    e->dbuf_start = e->dbuf_end = 0;
    while (!e->body_eof)
    {
        /* A chunked body is made available a chunk at a time, as Windows
         * (and Wine's builtin) report it: Wine's test_chunked_read expects
         * every WinHttpQueryDataAvailable to end on a chunk's end.  The
         * first byte opens the chunk; the rest of it that has arrived
         * follows without waiting. */
        size_t cap = chunk_at_a_time(e) ? 1 : DECODED_BUFFER_SIZE;
        if ((res = read_decoded(request, e, (char *)e->dbuf, cap, &len))) return res;
        e->dbuf_end = len;
        if (len && cap == 1 && e->chunked.remaining && conn_buffered(e->conn))
        {
            size_t more = (size_t)min(e->chunked.remaining, (uint64_t)min(conn_buffered(e->conn), DECODED_BUFFER_SIZE - 1));
            if (!(res = read_decoded(request, e, (char *)e->dbuf + 1, more, &len))) e->dbuf_end += len;
            else if (res != ERROR_IO_PENDING) return res;
        }
        if (e->dbuf_end) break;
    }
    if (e->body_eof && e->dbuf_start == e->dbuf_end) body_finish(request, e);
    return ERROR_SUCCESS;
}

/* Copy into op_buffer what is there; wait only while nothing was copied. */
DWORD body_read(struct request *request, struct engine *e)
{
    size_t n, len;
    DWORD res;

    while (e->op_done < e->op_len)
    {
        if (e->dbuf_start < e->dbuf_end)
        {
            n = min(e->op_len - e->op_done, e->dbuf_end - e->dbuf_start);
            memcpy(e->op_buffer + e->op_done, e->dbuf + e->dbuf_start, n);
            e->dbuf_start += n;
            e->op_done += n;
            continue;
        }
        if (e->body_eof) break;
        /* Past what is buffered, read straight into the caller's buffer. */
        res = read_decoded(request, e, (char *)e->op_buffer + e->op_done, e->op_len - e->op_done, &len);
        if (res == ERROR_IO_PENDING && e->op_done && !e->op_fill) break;
        if (res) return res;
        e->op_done += len;
    }
    if (e->body_eof && e->dbuf_start == e->dbuf_end) body_finish(request, e);
    return ERROR_SUCCESS;
}

/* Drop the rest of a body (before following a redirect), within
 * WINHTTP_OPTION_MAX_RESPONSE_DRAIN_SIZE; *reusable says whether the
 * connection can carry the next request. */
DWORD body_drain(struct request *request, struct engine *e, BOOL *reusable)
{
    DWORD limit = request->settings.max_response_drain_size;
    size_t len;
    DWORD res;

    *reusable = FALSE;
    if (!e->framing.keep_alive) return ERROR_SUCCESS;
    while (!e->framed_eof)
    {
        if ((res = body_read_framed(request, e, NULL, 16384, &len))) return res == ERROR_IO_PENDING ? res : ERROR_SUCCESS;
        if ((e->drained += len) > limit) return ERROR_SUCCESS;
    }
    *reusable = !conn_buffered(e->conn);
    return ERROR_SUCCESS;
}
