/*
 * TCP over Linux sockets: name resolution, non-blocking connect with a
 * timeout, and send/receive with timeouts.  The only file of the DLL that
 * includes Linux networking headers (see unix_private.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <time.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <sys/types.h>

#include "winhttp_private.h"
#include "unix_private.h"

#ifdef EAI_NODATA
#define EAI_NODATA_COMPAT EAI_NODATA
#else
#define EAI_NODATA_COMPAT EAI_NONAME
#endif

WINE_DEFAULT_DEBUG_CHANNEL(winhttp);

struct net_socket
{
    int fd;
    int aborted;
    int registered;     /* in the event loop's epoll set (event.c) */
};

struct net_addrs
{
    int count;
    struct sockaddr_storage addr[16];
    socklen_t len[16];
};

/* getaddrinfo has no timeout: with WinHttpSetTimeouts' resolve timeout it
 * runs on a helper thread (plain Unix code, no Win32 calls), and a caller
 * that gives up leaves the job to free itself when the lookup ends. */
struct resolve_job
{
    pthread_mutex_t lock;
    pthread_cond_t done_cond;
    int refs;
    BOOL done;
    char *name;
    char service[8];
    int err;
    struct addrinfo *res;
};

static int lookup(const char *name, const char *service, struct addrinfo **res)
{
    struct addrinfo hints;
    int err;

    memset(&hints, 0, sizeof(hints));
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_ADDRCONFIG;
    err = getaddrinfo(name, service, &hints, res);
    if (err == EAI_NONAME || err == EAI_NODATA_COMPAT)
    {
        /* AI_ADDRCONFIG hides loopback-only families on hosts without other
         * interfaces; retry without it before giving up. */
        hints.ai_flags = 0;
        err = getaddrinfo(name, service, &hints, res);
    }
    return err;
}

static void job_release(struct resolve_job *job)
{
    int refs;

    pthread_mutex_lock(&job->lock);
    refs = --job->refs;
    pthread_mutex_unlock(&job->lock);
    if (refs) return;
    if (job->res) freeaddrinfo(job->res);
    pthread_mutex_destroy(&job->lock);
    pthread_cond_destroy(&job->done_cond);
    free(job->name);
    free(job);
}

static void *resolve_thread(void *arg)
{
    struct resolve_job *job = arg;
    struct addrinfo *res = NULL;
    int err = lookup(job->name, job->service, &res);

    pthread_mutex_lock(&job->lock);
    job->err = err;
    job->res = res;
    job->done = TRUE;
    pthread_cond_signal(&job->done_cond);
    pthread_mutex_unlock(&job->lock);
    job_release(job);
    return NULL;
}

/* Returns the getaddrinfo error, or -1 when timeout_ms passed first. */
static int lookup_with_timeout(const char *name, const char *service, int timeout_ms, struct addrinfo **res)
{
    struct resolve_job *job;
    struct timespec deadline;
    pthread_attr_t attr;
    pthread_t thread;
    sigset_t all, old_mask;
    int err = 0, created;

    if (!(job = calloc(1, sizeof(*job))) || !(job->name = strdup(name)))
    {
        free(job);
        return EAI_MEMORY;
    }
    pthread_mutex_init(&job->lock, NULL);
    pthread_cond_init(&job->done_cond, NULL);
    snprintf(job->service, sizeof(job->service), "%s", service);
    job->refs = 2;
    pthread_attr_init(&attr);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    /* The thread is no Wine thread (it has no TEB): a process-directed
     * signal (SIGCHLD, SIGALRM, SIGINT...) delivered to it would run Wine's
     * handler there, which crashes the process looking for the TEB.  It
     * starts with every signal blocked, so the kernel picks a Wine thread. */
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &old_mask);
    created = pthread_create(&thread, &attr, resolve_thread, job);
    pthread_sigmask(SIG_SETMASK, &old_mask, NULL);
    if (created)
    {
        pthread_attr_destroy(&attr);
        job->refs = 1;
        job_release(job);
        return lookup(name, service, res);
    }
    pthread_attr_destroy(&attr);

    clock_gettime(CLOCK_REALTIME, &deadline);
    deadline.tv_sec += timeout_ms / 1000;
    deadline.tv_nsec += (timeout_ms % 1000) * 1000000L;
    if (deadline.tv_nsec >= 1000000000L)
    {
        deadline.tv_sec++;
        deadline.tv_nsec -= 1000000000L;
    }
    pthread_mutex_lock(&job->lock);
    while (!job->done && !err) err = pthread_cond_timedwait(&job->done_cond, &job->lock, &deadline);
    if (job->done)
    {
        err = job->err;
        *res = job->res;
        job->res = NULL;
    }
    else err = -1;
    pthread_mutex_unlock(&job->lock);
    job_release(job);
    return err;
}

DWORD net_resolve(const char *host, unsigned short port, int timeout_ms, struct net_addrs **ret)
{
    struct addrinfo *res, *ai;
    struct net_addrs *addrs;
    char service[8];
    size_t hostlen = strlen(host);
    char *name;
    int err;

    /* Bracketed IPv6 literals come from URLs; getaddrinfo wants them bare. */
    if (hostlen >= 2 && host[0] == '[' && host[hostlen - 1] == ']')
    {
        if (!(name = malloc(hostlen - 1))) return ERROR_OUTOFMEMORY;
        memcpy(name, host + 1, hostlen - 2);
        name[hostlen - 2] = 0;
    }
    else if (!(name = strdup(host))) return ERROR_OUTOFMEMORY;

    snprintf(service, sizeof(service), "%u", port);
    if (timeout_ms > 0) err = lookup_with_timeout(name, service, timeout_ms, &res);
    else err = lookup(name, service, &res);
    if (err == -1)
    {
        TRACE("resolving %s timed out after %d ms\n", debugstr_a(name), timeout_ms);
        free(name);
        return ERROR_WINHTTP_TIMEOUT;
    }
    if (err)
    {
        TRACE("getaddrinfo(%s) failed: %s\n", debugstr_a(name), gai_strerror(err));
        free(name);
        return ERROR_WINHTTP_NAME_NOT_RESOLVED;
    }
    free(name);
    if (!(addrs = calloc(1, sizeof(*addrs))))
    {
        freeaddrinfo(res);
        return ERROR_OUTOFMEMORY;
    }
    for (ai = res; ai && addrs->count < (int)ARRAY_SIZE(addrs->addr); ai = ai->ai_next)
    {
        if (ai->ai_family != AF_INET && ai->ai_family != AF_INET6) continue;
        memcpy(&addrs->addr[addrs->count], ai->ai_addr, ai->ai_addrlen);
        addrs->len[addrs->count++] = ai->ai_addrlen;
    }
    freeaddrinfo(res);
    if (!addrs->count)
    {
        free(addrs);
        return ERROR_WINHTTP_NAME_NOT_RESOLVED;
    }
    *ret = addrs;
    return ERROR_SUCCESS;
}

void net_addrs_free(struct net_addrs *addrs)
{
    free(addrs);
}

int net_addrs_count(const struct net_addrs *addrs)
{
    return addrs->count;
}

void net_addrs_string(const struct net_addrs *addrs, int index, char *buf, size_t size)
{
    const struct sockaddr *sa = (const struct sockaddr *)&addrs->addr[index];
    if (sa->sa_family == AF_INET6)
        inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)sa)->sin6_addr, buf, size);
    else
        inet_ntop(AF_INET, &((const struct sockaddr_in *)sa)->sin_addr, buf, size);
}

/* Wait for fd to become readable/writable; Win32 error on timeout. */
static DWORD wait_fd(struct net_socket *sock, short events, int timeout_ms)
{
    struct pollfd pfd = { sock->fd, events, 0 };
    int ret;

    for (;;)
    {
        ret = poll(&pfd, 1, timeout_ms > 0 ? timeout_ms : -1);
        if (ret > 0) return sock->aborted ? ERROR_WINHTTP_OPERATION_CANCELLED : ERROR_SUCCESS;
        if (!ret) return ERROR_WINHTTP_TIMEOUT;
        if (errno != EINTR) return ERROR_WINHTTP_CONNECTION_ERROR;
    }
}

DWORD net_connect_start(const struct net_addrs *addrs, int index, struct net_socket **ret)
{
    const struct sockaddr *sa = (const struct sockaddr *)&addrs->addr[index];
    struct net_socket *sock;
    int one = 1;

    *ret = NULL;
    if (!(sock = calloc(1, sizeof(*sock)))) return ERROR_OUTOFMEMORY;
    if ((sock->fd = socket(sa->sa_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0)) < 0)
    {
        free(sock);
        return ERROR_WINHTTP_CANNOT_CONNECT;
    }
    setsockopt(sock->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
    *ret = sock;
    if (!connect(sock->fd, sa, addrs->len[index])) return ERROR_SUCCESS;
    if (errno == EINPROGRESS) return ERROR_IO_PENDING;
    TRACE("connect failed: %s\n", strerror(errno));
    net_close(sock);
    *ret = NULL;
    return ERROR_WINHTTP_CANNOT_CONNECT;
}

DWORD net_dup(struct net_socket *sock, struct net_socket **ret)
{
    struct net_socket *dup;

    *ret = NULL;
    if (!(dup = calloc(1, sizeof(*dup)))) return ERROR_OUTOFMEMORY;
    if ((dup->fd = fcntl(sock->fd, F_DUPFD_CLOEXEC, 0)) < 0)
    {
        free(dup);
        return ERROR_OUTOFMEMORY;
    }
    *ret = dup;
    return ERROR_SUCCESS;
}

DWORD net_connect_finish(struct net_socket *sock)
{
    int err = 0;
    socklen_t errlen = sizeof(err);

    if (sock->aborted) return ERROR_WINHTTP_OPERATION_CANCELLED;
    if (getsockopt(sock->fd, SOL_SOCKET, SO_ERROR, &err, &errlen) < 0 || err)
    {
        TRACE("connect failed: %s\n", strerror(err));
        return ERROR_WINHTTP_CANNOT_CONNECT;
    }
    return ERROR_SUCCESS;
}

DWORD net_try_send(struct net_socket *sock, const void *buf, size_t len, size_t *sent)
{
    ssize_t n;

    *sent = 0;
    for (;;)
    {
        if (sock->aborted) return ERROR_WINHTTP_OPERATION_CANCELLED;
        n = send(sock->fd, buf, len, MSG_NOSIGNAL);
        if (n >= 0)
        {
            *sent = n;
            return ERROR_SUCCESS;
        }
        if (errno == EINTR) continue;
        if (errno == EAGAIN || errno == EWOULDBLOCK) return ERROR_IO_PENDING;
        TRACE("send failed: %s\n", strerror(errno));
        return ERROR_WINHTTP_CONNECTION_ERROR;
    }
}

DWORD net_try_recv(struct net_socket *sock, void *buf, size_t len, size_t *received)
{
    ssize_t n;

    *received = 0;
    for (;;)
    {
        if (sock->aborted) return ERROR_WINHTTP_OPERATION_CANCELLED;
        n = recv(sock->fd, buf, len, 0);
        if (n >= 0)
        {
            *received = n;
            return ERROR_SUCCESS;
        }
        if (errno == EINTR) continue;
        if (errno == EAGAIN || errno == EWOULDBLOCK) return ERROR_IO_PENDING;
        TRACE("recv failed: %s\n", strerror(errno));
        return ERROR_WINHTTP_CONNECTION_ERROR;
    }
}

DWORD net_wait(struct net_socket *sock, int want, int timeout_ms)
{
    return wait_fd(sock, (want & NET_WANT_READ ? POLLIN : 0) | (want & NET_WANT_WRITE ? POLLOUT : 0), timeout_ms);
}

int net_socket_fd(struct net_socket *sock)
{
    return sock->fd;
}

int *net_socket_registered(struct net_socket *sock)
{
    return &sock->registered;
}

BOOL net_aborted(struct net_socket *sock)
{
    return sock->aborted;
}

BOOL net_idle_ok(struct net_socket *sock)
{
    struct pollfd pfd = { sock->fd, POLLIN, 0 };
    /* Readable while idle means EOF, an error or unsolicited data: in each
     * case the connection cannot carry another request. */
    return poll(&pfd, 1, 0) == 0;
}

void net_abort(struct net_socket *sock)
{
    sock->aborted = 1;
    shutdown(sock->fd, SHUT_RDWR);
}

void net_close(struct net_socket *sock)
{
    if (!sock) return;
    close(sock->fd);
    free(sock);
}

/* Windows' address family numbers differ from Linux's (AF_INET6 is 23). */
#define WS_AF_INET  2
#define WS_AF_INET6 23

static void to_windows_sockaddr(const struct sockaddr_storage *ss, void *out)
{
    memset(out, 0, 128);
    if (ss->ss_family == AF_INET)
    {
        const struct sockaddr_in *in = (const struct sockaddr_in *)ss;
        unsigned short family = WS_AF_INET;
        memcpy(out, &family, 2);
        memcpy((char *)out + 2, &in->sin_port, 2);
        memcpy((char *)out + 4, &in->sin_addr, 4);
    }
    else if (ss->ss_family == AF_INET6)
    {
        const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)ss;
        unsigned short family = WS_AF_INET6;
        /* SOCKADDR_IN6: family, port, flowinfo, addr[16], scope_id: same offsets. */
        memcpy(out, &family, 2);
        memcpy((char *)out + 2, &in6->sin6_port, 2);
        memcpy((char *)out + 4, &in6->sin6_flowinfo, 4);
        memcpy((char *)out + 8, &in6->sin6_addr, 16);
        memcpy((char *)out + 24, &in6->sin6_scope_id, 4);
    }
}

void net_get_addresses(struct net_socket *sock, void *local, void *remote)
{
    struct sockaddr_storage ss;
    socklen_t len = sizeof(ss);

    memset(&ss, 0, sizeof(ss));
    getsockname(sock->fd, (struct sockaddr *)&ss, &len);
    to_windows_sockaddr(&ss, local);
    len = sizeof(ss);
    memset(&ss, 0, sizeof(ss));
    getpeername(sock->fd, (struct sockaddr *)&ss, &len);
    to_windows_sockaddr(&ss, remote);
}
