/*
 * The event loop of asynchronous WinHTTP.
 *
 * One thread waits in epoll for every socket an asynchronous request is
 * blocked on, together with each wait's deadline; whatever is ready (or
 * timed out) is handed to the Win32 thread pool, where the request's state
 * machine takes its next step and the status callbacks run.  So no thread
 * belongs to a request, a blocking application callback occupies one pool
 * thread and delays only its own request, and a thousand requests in flight
 * cost a thousand epoll registrations, not a thousand threads.
 *
 * Unix side: the only file besides net.c that makes Linux calls.
 */
#include <errno.h>
#include <unistd.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>

#include "winhttp_private.h"
#include "unix_private.h"
#include "event.h"

WINE_DEFAULT_DEBUG_CHANNEL(winhttp);

struct waiter
{
    struct waiter *prev, *next;     /* in deadline order; no deadline at the end */
    int fd;
    ULONGLONG deadline;             /* GetTickCount64 time, 0 = none */
    event_callback callback;
    void *context;
};

struct work
{
    event_callback callback;
    void *context;
    DWORD result;
};

static SRWLOCK loop_lock = SRWLOCK_INIT;

static INIT_ONCE loop_once = INIT_ONCE_STATIC_INIT;
static int epoll_fd = -1, wake_fd = -1;
static struct waiter *head, *tail;     /* every registered waiter */

static void CALLBACK run_work(TP_CALLBACK_INSTANCE *instance, void *arg)
{
    struct work *work = arg;
    work->callback(work->context, work->result);
    free(work);
}

DWORD event_submit(event_callback callback, void *context, DWORD result)
{
    struct work *work = malloc(sizeof(*work));

    if (!work) return ERROR_OUTOFMEMORY;
    work->callback = callback;
    work->context = context;
    work->result = result;
    if (!TrySubmitThreadpoolCallback(run_work, work, NULL))
    {
        ERR("cannot queue work to the thread pool: %u\n", GetLastError());
        free(work);
        return ERROR_OUTOFMEMORY;
    }
    return ERROR_SUCCESS;
}

/* loop_lock held. */
static void unlink_waiter(struct waiter *w)
{
    if (w->prev) w->prev->next = w->next;
    else head = w->next;
    if (w->next) w->next->prev = w->prev;
    else tail = w->prev;
    w->prev = w->next = NULL;
}

/* loop_lock held.  Sorted by deadline so the earliest is at the head; most
 * waits use the same timeout, so inserting from the tail is O(1). */
static void link_waiter(struct waiter *w)
{
    struct waiter *after = tail;

    if (w->deadline)
        while (after && (!after->deadline || after->deadline > w->deadline)) after = after->prev;
    else
        after = tail;
    w->prev = after;
    w->next = after ? after->next : head;
    if (w->next) w->next->prev = w;
    else tail = w;
    if (after) after->next = w;
    else head = w;
}

/* loop_lock held: take a waiter out of the loop and queue its callback. */
static void fire(struct waiter *w, DWORD result)
{
    unlink_waiter(w);
    epoll_ctl(epoll_fd, EPOLL_CTL_DEL, w->fd, NULL);
    event_submit(w->callback, w->context, result);
    free(w);
}

static DWORD CALLBACK loop_thread(void *arg)
{
    struct epoll_event events[64];
    int i, n, timeout;

    SetThreadDescription(GetCurrentThread(), L"winhttp event loop");
    for (;;)
    {
        ULONGLONG now = GetTickCount64();

        AcquireSRWLockExclusive(&loop_lock);
        /* Expire overdue waits; the head has the earliest deadline. */
        while (head && head->deadline && head->deadline <= now) fire(head, ERROR_WINHTTP_TIMEOUT);
        timeout = head && head->deadline ? (int)min(head->deadline - now, 60000) : -1;
        ReleaseSRWLockExclusive(&loop_lock);

        n = epoll_wait(epoll_fd, events, ARRAY_SIZE(events), timeout);
        if (n < 0 && errno != EINTR)
        {
            ERR("epoll_wait failed: %d\n", errno);
            Sleep(10);
            continue;
        }
        AcquireSRWLockExclusive(&loop_lock);
        for (i = 0; i < n; i++)
        {
            if (!events[i].data.ptr)
            {
                ULONGLONG value;
                if (read(wake_fd, &value, sizeof(value)) < 0) { /* nothing to drain */ }
                continue;
            }
            fire(events[i].data.ptr, ERROR_SUCCESS);
        }
        ReleaseSRWLockExclusive(&loop_lock);
    }
    return 0;
}

static BOOL CALLBACK start_loop(INIT_ONCE *once, void *param, void **context)
{
    struct epoll_event ev = { EPOLLIN, { .ptr = NULL } };
    HANDLE thread;

    if ((epoll_fd = epoll_create1(EPOLL_CLOEXEC)) < 0) return FALSE;
    if ((wake_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC)) < 0) return FALSE;
    epoll_ctl(epoll_fd, EPOLL_CTL_ADD, wake_fd, &ev);
    if (!(thread = CreateThread(NULL, 0, loop_thread, NULL, 0, NULL))) return FALSE;
    CloseHandle(thread);
    return TRUE;
}

DWORD event_wait_socket(struct net_socket *sock, int want, int timeout_ms, event_callback callback, void *context)
{
    struct epoll_event ev;
    struct waiter *w;
    BOOL earliest;

    if (!InitOnceExecuteOnce(&loop_once, start_loop, NULL, NULL))
    {
        ERR("cannot start the event loop\n");
        return ERROR_OUTOFMEMORY;
    }
    if (!(w = calloc(1, sizeof(*w)))) return ERROR_OUTOFMEMORY;
    w->fd = net_socket_fd(sock);
    w->deadline = timeout_ms > 0 ? GetTickCount64() + timeout_ms : 0;
    w->callback = callback;
    w->context = context;

    /* EPOLLHUP/EPOLLERR are always reported: a closed or aborted socket wakes
     * its waiter, and the next step sees why. */
    ev.events = (want & NET_WANT_READ ? EPOLLIN | EPOLLRDHUP : 0) | (want & NET_WANT_WRITE ? EPOLLOUT : 0) | EPOLLONESHOT;
    ev.data.ptr = w;

    AcquireSRWLockExclusive(&loop_lock);
    link_waiter(w);
    earliest = w == head && w->deadline;
    if (epoll_ctl(epoll_fd, EPOLL_CTL_ADD, w->fd, &ev) < 0)
    {
        ERR("epoll_ctl failed: %d\n", errno);
        unlink_waiter(w);
        ReleaseSRWLockExclusive(&loop_lock);
        free(w);
        return ERROR_WINHTTP_INTERNAL_ERROR;
    }
    ReleaseSRWLockExclusive(&loop_lock);
    if (earliest)
    {
        /* The loop may be sleeping past this deadline: wake it to recompute. */
        ULONGLONG one = 1;
        if (write(wake_fd, &one, sizeof(one)) < 0) WARN("cannot wake the event loop\n");
    }
    return ERROR_SUCCESS;
}
