/*
 * Connections and the per-session keep-alive pool.
 *
 * A connection is a stack: TCP (net.c), later TLS over it, and, through a
 * proxy, a CONNECT tunnel below the TLS.  The pool is keyed by everything
 * that makes two connections interchangeable (scheme, host, port, proxy),
 * honours WINHTTP_OPTION_MAX_CONNS_PER_SERVER by making callers wait for a
 * connection to come back, and expires idle connections.
 *
 * Windows keeps a closed session's idle connections for the process: a new
 * session to the same server goes out on them without resolving or
 * connecting again (Wine's conformance tests record that).  We do the same,
 * in one process-wide list, for plain connections only: a TLS connection was
 * verified under one session's rules (verified once per session), and one
 * that carried credentials belongs to that session's identity.
 */
#include "winhttp_private.h"
#include "unix_private.h"
#include "conn.h"
#include "tls.h"
#include "event.h"
#include "http2.h"

WINE_DEFAULT_DEBUG_CHANNEL(winhttp);

/* Idle connections older than this are not reused: servers commonly time
 * keep-alive connections out after 5 to 75 seconds. */
#define IDLE_EXPIRY_MS 30000
#define CONN_BUFFER_SIZE (64 * 1024)
#define STREAM_BUFFER_SIZE (4 * 1024)

struct pool_host
{
    struct pool_host *next;
    WCHAR *key;
    DWORD active;               /* handed out or idle */
    struct connection *idle;    /* most recently used first */
};

struct conn_pool
{
    SRWLOCK lock;
    CONDITION_VARIABLE freed;
    unsigned int waiters;       /* callers waiting for a slot */
    struct pool_host *hosts;
};

/* Idle connections of sessions that are gone, for any session to adopt. */
static SRWLOCK orphans_lock = SRWLOCK_INIT;
static struct pool_host *orphans;
#define MAX_ORPHANS 16
static unsigned int orphan_count;

static BOOL conn_shareable(const struct connection *conn)
{
    return conn->sock && !conn->tls && !conn->identity_bound &&
           GetTickCount64() - conn->idle_since <= IDLE_EXPIRY_MS;
}

/* Takes ownership of conn: kept, or closed when it cannot be shared. */
static void orphan_put(const WCHAR *key, struct connection *conn)
{
    struct pool_host *host;

    if (!conn_shareable(conn)) goto close;
    AcquireSRWLockExclusive(&orphans_lock);
    for (host = orphans; host; host = host->next)
        if (!strcmpiW(host->key, key)) break;
    if (!host && (host = calloc(1, sizeof(*host))) && !(host->key = strdupW(key)))
    {
        free(host);
        host = NULL;
    }
    if (!host || orphan_count >= MAX_ORPHANS)
    {
        ReleaseSRWLockExclusive(&orphans_lock);
        goto close;
    }
    if (!host->idle && !host->active)
    {
        host->next = orphans;
        orphans = host;
    }
    host->active = 1;           /* listed */
    conn->next = host->idle;
    host->idle = conn;
    orphan_count++;
    TRACE("keeping connection %p to %s for other sessions\n", conn, debugstr_w(key));
    ReleaseSRWLockExclusive(&orphans_lock);
    return;
close:
    conn_close(conn);
}

static struct connection *orphan_take(const WCHAR *key)
{
    struct pool_host *host;
    struct connection *conn = NULL, *stale = NULL;

    AcquireSRWLockExclusive(&orphans_lock);
    for (host = orphans; host; host = host->next)
        if (!strcmpiW(host->key, key)) break;
    while (host && host->idle)
    {
        struct connection *c = host->idle;
        host->idle = c->next;
        c->next = NULL;
        orphan_count--;
        if (GetTickCount64() - c->idle_since <= IDLE_EXPIRY_MS && conn_idle_ok(c))
        {
            conn = c;
            break;
        }
        c->next = stale;
        stale = c;
    }
    ReleaseSRWLockExclusive(&orphans_lock);
    while (stale)
    {
        struct connection *next = stale->next;
        conn_close(stale);
        stale = next;
    }
    if (conn) TRACE("adopting connection %p to %s from a closed session\n", conn, debugstr_w(key));
    return conn;
}

struct conn_pool *conn_pool_create(void)
{
    struct conn_pool *pool = calloc(1, sizeof(*pool));
    if (!pool) return NULL;
    InitializeSRWLock(&pool->lock);
    InitializeConditionVariable(&pool->freed);
    return pool;
}

void conn_pool_free(struct conn_pool *pool)
{
    struct pool_host *host, *next_host;
    struct connection *conn, *next;

    if (!pool) return;
    h2_pool_closing(pool);
    for (host = pool->hosts; host; host = next_host)
    {
        next_host = host->next;
        for (conn = host->idle; conn; conn = next)
        {
            next = conn->next;
            orphan_put(host->key, conn);
        }
        free(host->key);
        free(host);
    }
    free(pool);
}

static struct pool_host *find_host(struct conn_pool *pool, const WCHAR *key, BOOL create)
{
    struct pool_host *host;

    for (host = pool->hosts; host; host = host->next)
        if (!strcmpiW(host->key, key)) return host;
    if (!create || !(host = calloc(1, sizeof(*host)))) return NULL;
    if (!(host->key = strdupW(key)))
    {
        free(host);
        return NULL;
    }
    host->next = pool->hosts;
    pool->hosts = host;
    return host;
}

/* Pool lock held.  Drops idle connections that expired; whether the peer
 * closed one is checked only for the one handed out (a syscall each). */
static void prune_idle(struct pool_host *host)
{
    struct connection **p = &host->idle, *conn;
    ULONGLONG now = GetTickCount64();

    while ((conn = *p))
    {
        if (now - conn->idle_since > IDLE_EXPIRY_MS || (conn == host->idle && !conn_idle_ok(conn)))
        {
            TRACE("dropping idle connection %p\n", conn);
            *p = conn->next;
            host->active--;
            conn_close(conn);
            continue;
        }
        p = &conn->next;
    }
}

DWORD conn_pool_acquire(struct conn_pool *pool, const WCHAR *key, DWORD max_conns, struct connection **ret)
{
    struct pool_host *host;

    *ret = NULL;
    AcquireSRWLockExclusive(&pool->lock);
    if (!(host = find_host(pool, key, TRUE)))
    {
        ReleaseSRWLockExclusive(&pool->lock);
        return ERROR_OUTOFMEMORY;
    }
    for (;;)
    {
        prune_idle(host);
        if (host->idle)
        {
            *ret = host->idle;
            host->idle = (*ret)->next;
            (*ret)->next = NULL;
            TRACE("reusing connection %p for %s\n", *ret, debugstr_w(key));
            break;
        }
        if (!max_conns || max_conns == WINHTTP_CONNS_PER_SERVER_UNLIMITED || host->active < max_conns)
        {
            host->active++;     /* a slot: adopt a closed session's connection, or open one */
            *ret = orphan_take(key);
            break;
        }
        TRACE("%u connections to %s in use, waiting\n", host->active, debugstr_w(key));
        pool->waiters++;
        SleepConditionVariableSRW(&pool->freed, &pool->lock, INFINITE, 0);
        pool->waiters--;
    }
    ReleaseSRWLockExclusive(&pool->lock);
    return ERROR_SUCCESS;
}

void conn_pool_release(struct conn_pool *pool, const WCHAR *key, struct connection *conn, BOOL reusable)
{
    struct pool_host *host;

    /* An h2 stream never goes idle in the pool: its transport is shared
     * (http2.c) and holds the slot of the connection it runs on. */
    if (conn && conn->stream)
    {
        conn_close(conn);
        return;
    }
    AcquireSRWLockExclusive(&pool->lock);
    host = find_host(pool, key, FALSE);
    /* Whether the peer closed it meanwhile is checked when it is taken
     * again (prune_idle): a syscall per request less. */
    if (conn && reusable && host && conn->sock)
    {
        conn->idle_since = GetTickCount64();
        conn->next = host->idle;
        host->idle = conn;
        conn = NULL;
    }
    else if (host && host->active)
        host->active--;
    if (pool->waiters) WakeAllConditionVariable(&pool->freed);
    ReleaseSRWLockExclusive(&pool->lock);
    if (conn) conn_close(conn);
}

struct connection *conn_create(struct net_socket *sock)
{
    /* Without a socket it is an HTTP/2 stream, one per request, whose bytes
     * are already in memory: a small buffer (it grows for a big head) keeps
     * a 64 KiB malloc and free off every request. */
    size_t size = sock ? CONN_BUFFER_SIZE : STREAM_BUFFER_SIZE;
    struct connection *conn = calloc(1, sizeof(*conn));
    if (!conn) return NULL;
    if (!(conn->buf = malloc(size)))
    {
        free(conn);
        return NULL;
    }
    conn->buf_size = size;
    conn->sock = sock;
    return conn;
}

void conn_connected(struct connection *conn)
{
    net_get_addresses(conn->sock, conn->local_addr, conn->remote_addr);
}

void conn_close(struct connection *conn)
{
    if (!conn) return;
    if (conn->stream)
    {
        /* tls and peer_chain are the transport's. */
        h2_stream_close(conn->stream);
        free(conn->buf);
        free(conn);
        return;
    }
    TRACE("closing connection %p\n", conn);
    tls_conn_free(conn->tls);
    free(conn->peer_chain);
    net_close(conn->sock);
    free(conn->buf);
    free(conn);
}

DWORD conn_try_send(struct connection *conn, const void *buf, size_t len, size_t *sent)
{
    if (conn->stream)
    {
        conn->want = H2_WANT_STREAM;
        return h2_stream_send(conn->stream, buf, len, sent);
    }
    conn->want = NET_WANT_WRITE;
    if (conn->tls_ready) return tls_send(conn->tls, buf, len, sent, &conn->want);
    return net_try_send(conn->sock, buf, len, sent);
}

DWORD conn_try_recv(struct connection *conn, void *buf, size_t len, size_t *received)
{
    if (conn->stream)
    {
        conn->want = H2_WANT_STREAM;
        return h2_stream_recv(conn->stream, buf, len, received);
    }
    conn->want = NET_WANT_READ;
    if (conn->tls_ready) return tls_recv(conn->tls, buf, len, received, &conn->want);
    return net_try_recv(conn->sock, buf, len, received);
}

BOOL conn_idle_ok(struct connection *conn)
{
    char byte;
    size_t got;
    DWORD res;

    if (conn->stream) return FALSE;
    /* What TLS read ahead (an alert, a ticket) is no longer in the socket. */
    if (!(conn->tls_ready && tls_pending(conn->tls)) && net_idle_ok(conn->sock)) return TRUE;
    if (!conn->tls_ready || conn_buffered(conn)) return FALSE;
    /* Readable: over TLS that may be a session ticket (TLS 1.3 sends them
     * after the handshake), which tls_recv consumes without data. */
    res = tls_recv(conn->tls, &byte, 1, &got, &conn->want);
    if (res == ERROR_IO_PENDING) return TRUE;
    if (!res && got)
    {
        /* Unsolicited data: keep it, but the connection is out of step. */
        WARN("unsolicited data on an idle connection\n");
    }
    return FALSE;
}

DWORD conn_wait(struct connection *conn, int want, int timeout_ms)
{
    if (conn->stream) return h2_stream_wait(conn->stream, timeout_ms);
    return net_wait(conn->sock, want, timeout_ms);
}

DWORD conn_wait_async(struct connection *conn, int want, int timeout_ms, void (*callback)(void *, DWORD),
                      void *context)
{
    if (conn->stream) return h2_stream_wait_async(conn->stream, timeout_ms, callback, context);
    return event_wait_socket(conn->sock, want, timeout_ms, callback, context);
}

BOOL conn_has_data(struct connection *conn)
{
    if (conn_buffered(conn)) return TRUE;
    /* What an h2 stream received came in on the event loop, like bytes
     * waiting in a socket: waiting for them completes at once, elsewhere. */
    if (conn->stream) return FALSE;
    return conn->tls && tls_pending(conn->tls);
}

/* Make room at the end of conn->buf for more received bytes. */
static DWORD make_room(struct connection *conn)
{
    if (conn->buf_start == conn->buf_end) conn->buf_start = conn->buf_end = 0;
    else if (conn->buf_end == conn->buf_size && conn->buf_start)
    {
        memmove(conn->buf, conn->buf + conn->buf_start, conn->buf_end - conn->buf_start);
        conn->buf_end -= conn->buf_start;
        conn->buf_start = 0;
    }
    if (conn->buf_end == conn->buf_size)
    {
        /* A response head larger than the buffer: grow, bounded by the
         * caller's header size limit which it checks itself. */
        char *bigger = realloc(conn->buf, conn->buf_size * 2);
        if (!bigger) return ERROR_OUTOFMEMORY;
        conn->buf = bigger;
        conn->buf_size *= 2;
    }
    return ERROR_SUCCESS;
}

DWORD conn_try_fill(struct connection *conn, size_t *received)
{
    DWORD res;

    *received = 0;
    if ((res = make_room(conn))) return res;
    res = conn_try_recv(conn, conn->buf + conn->buf_end, conn->buf_size - conn->buf_end, received);
    if (!res) conn->buf_end += *received;
    return res;
}

void conn_abort(struct connection *conn)
{
    if (conn && conn->stream) h2_stream_abort(conn->stream);
    if (conn && conn->sock) net_abort(conn->sock);
}
