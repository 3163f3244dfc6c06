/*
 * The event loop of asynchronous WinHTTP.
 *
 * A few worker threads (proper Win32 threads) all wait in epoll_wait on one
 * epoll instance; the kernel wakes exactly one of them per ready socket, and
 * that thread takes the request's next step and runs its status callback
 * itself, so no hand-off between threads is paid per event.  Work that does
 * not wait for a socket (an operation started from an application thread)
 * goes through a queue whose eventfd wakes one worker.  Deadlines are kept
 * in a list sorted by time; whichever worker wakes first expires them.
 *
 * No thread belongs to a request: a thousand requests in flight are a
 * thousand epoll registrations.  When every worker is busy inside
 * application callbacks, one more is started (up to a bound), so a blocking
 * callback delays only its own request.
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

#define MIN_WORKERS 4
#define MAX_WORKERS 64

/* A registered wait.  Slots are reused; the generation in the epoll data
 * tells a stale event (its wait already timed out) from a live one. */
struct waiter
{
    UINT generation;
    BOOL active;
    int fd;
    ULONGLONG deadline;             /* GetTickCount64 time, 0 = none */
    event_callback callback;
    void *context;
    UINT prev, next;                /* deadline list, slot index + 1, 0 = none */
    UINT next_free;
};

struct work
{
    struct work *next;
    event_callback callback;
    void *context;
    DWORD result;
};

static SRWLOCK loop_lock = SRWLOCK_INIT;
static INIT_ONCE loop_once = INIT_ONCE_STATIC_INIT;
static int epoll_fd = -1, wake_fd = -1;
static struct waiter *slots;
static UINT slot_count, free_slot;          /* free_slot: index + 1 */
static UINT first, last;                    /* deadline list ends, index + 1 */
static struct work *queue_head, *queue_tail;
static LONG workers, idle_workers;          /* idle: not inside an application callback */

#define WAKE_TAG (~(ULONGLONG)0)

static DWORD CALLBACK worker_thread(void *arg);

static void start_worker(void)
{
    HANDLE thread;

    if (InterlockedIncrement(&workers) > MAX_WORKERS)
    {
        InterlockedDecrement(&workers);
        return;
    }
    InterlockedIncrement(&idle_workers);
    if (!(thread = CreateThread(NULL, 0, worker_thread, NULL, 0, NULL)))
    {
        ERR("cannot start a worker thread\n");
        InterlockedDecrement(&workers);
        InterlockedDecrement(&idle_workers);
        return;
    }
    CloseHandle(thread);
}

/* Run application-visible work on this worker.  While it runs, this worker
 * is busy; if none is left idle, start another so other requests go on. */
static void run_callback(event_callback callback, void *context, DWORD result)
{
    if (!InterlockedDecrement(&idle_workers)) start_worker();
    callback(context, result);
    InterlockedIncrement(&idle_workers);
}

/* ------------------------------------------------------------------ */
/* the deadline list (loop_lock held)                                  */

static struct waiter *slot(UINT index1)
{
    return index1 ? &slots[index1 - 1] : NULL;
}

static void list_unlink(UINT i1)
{
    struct waiter *w = slot(i1);
    if (w->prev) slot(w->prev)->next = w->next;
    else first = w->next;
    if (w->next) slot(w->next)->prev = w->prev;
    else last = w->prev;
    w->prev = w->next = 0;
}

/* Sorted by deadline, no deadline last; most waits use the same timeout, so
 * inserting from the end is O(1). */
static void list_link(UINT i1)
{
    struct waiter *w = slot(i1);
    UINT after = last;

    if (w->deadline)
        while (after && (!slot(after)->deadline || slot(after)->deadline > w->deadline)) after = slot(after)->prev;
    w->prev = after;
    w->next = after ? slot(after)->next : first;
    if (w->next) slot(w->next)->prev = i1;
    else last = i1;
    if (after) slot(after)->next = i1;
    else first = i1;
}

/* Take an active waiter out: no event or timeout fires for it afterwards. */
static void claim(UINT i1)
{
    struct waiter *w = slot(i1);
    list_unlink(i1);
    epoll_ctl(epoll_fd, EPOLL_CTL_DEL, w->fd, NULL);
    w->active = FALSE;
    w->generation++;
    w->next_free = free_slot;
    free_slot = i1;
}

/* ------------------------------------------------------------------ */

static void wake_one(void)
{
    ULONGLONG one = 1;
    if (write(wake_fd, &one, sizeof(one)) < 0) WARN("cannot wake a worker\n");
}

static void handle_wake(void)
{
    struct work *work;
    ULONGLONG value;

    /* EFD_SEMAPHORE: each read takes one queued item's wake-up. */
    if (read(wake_fd, &value, sizeof(value)) < 0) return;
    AcquireSRWLockExclusive(&loop_lock);
    if ((work = queue_head) && !(queue_head = work->next)) queue_tail = NULL;
    ReleaseSRWLockExclusive(&loop_lock);
    if (!work) return;
    run_callback(work->callback, work->context, work->result);
    free(work);
}

static void handle_event(ULONGLONG data)
{
    UINT i1 = (UINT)data, generation = (UINT)(data >> 32);
    event_callback callback = NULL;
    void *context = NULL;
    struct waiter *w;

    AcquireSRWLockExclusive(&loop_lock);
    if (i1 && i1 <= slot_count && (w = slot(i1))->active && w->generation == generation)
    {
        callback = w->callback;
        context = w->context;
        claim(i1);
    }
    ReleaseSRWLockExclusive(&loop_lock);
    if (callback) run_callback(callback, context, ERROR_SUCCESS);
}

/* Expire one overdue waiter if there is one; the wait time otherwise. */
static BOOL expire_one(int *timeout)
{
    ULONGLONG now = GetTickCount64();
    event_callback callback = NULL;
    void *context = NULL;
    struct waiter *w;

    AcquireSRWLockExclusive(&loop_lock);
    if ((w = slot(first)) && w->deadline && w->deadline <= now)
    {
        callback = w->callback;
        context = w->context;
        claim(first);
    }
    /* Capped, so a deadline registered while this worker sleeps is seen soon. */
    else *timeout = w && w->deadline ? (int)min(w->deadline - now, 250) : 250;
    ReleaseSRWLockExclusive(&loop_lock);
    if (!callback) return FALSE;
    run_callback(callback, context, ERROR_WINHTTP_TIMEOUT);
    return TRUE;
}

static DWORD CALLBACK worker_thread(void *arg)
{
    struct epoll_event ev;
    int n, timeout = 250;

    SetThreadDescription(GetCurrentThread(), L"winhttp worker");
    for (;;)
    {
        if (expire_one(&timeout)) continue;
        n = epoll_wait(epoll_fd, &ev, 1, timeout);
        if (n < 0 && errno != EINTR)
        {
            ERR("epoll_wait failed: %d\n", errno);
            Sleep(10);
            continue;
        }
        if (n != 1) continue;
        if (ev.data.u64 == WAKE_TAG) handle_wake();
        else handle_event(ev.data.u64);
    }
    return 0;
}

static BOOL CALLBACK start_loop(INIT_ONCE *once, void *param, void **context)
{
    struct epoll_event ev = { EPOLLIN, { .u64 = WAKE_TAG } };
    int i;

    if ((epoll_fd = epoll_create1(EPOLL_CLOEXEC)) < 0) return FALSE;
    if ((wake_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC | EFD_SEMAPHORE)) < 0) return FALSE;
    if (epoll_ctl(epoll_fd, EPOLL_CTL_ADD, wake_fd, &ev) < 0) return FALSE;
    for (i = 0; i < MIN_WORKERS; i++) start_worker();
    return workers > 0;
}

static BOOL loop_started(void)
{
    if (InitOnceExecuteOnce(&loop_once, start_loop, NULL, NULL)) return TRUE;
    ERR("cannot start the event loop\n");
    return FALSE;
}

DWORD event_submit(event_callback callback, void *context, DWORD result)
{
    struct work *work;

    if (!loop_started()) return ERROR_OUTOFMEMORY;
    if (!(work = malloc(sizeof(*work)))) return ERROR_OUTOFMEMORY;
    work->next = NULL;
    work->callback = callback;
    work->context = context;
    work->result = result;
    AcquireSRWLockExclusive(&loop_lock);
    if (queue_tail) queue_tail->next = work;
    else queue_head = work;
    queue_tail = work;
    ReleaseSRWLockExclusive(&loop_lock);
    wake_one();
    return ERROR_SUCCESS;
}

DWORD event_wait_socket(struct net_socket *sock, int want, int timeout_ms, event_callback callback, void *context)
{
    struct epoll_event ev;
    struct waiter *w;
    UINT i1;
    BOOL earliest;

    if (!loop_started()) return ERROR_OUTOFMEMORY;

    AcquireSRWLockExclusive(&loop_lock);
    if (!(i1 = free_slot))
    {
        UINT count = slot_count ? slot_count * 2 : 256;
        struct waiter *bigger = realloc(slots, count * sizeof(*slots));
        if (!bigger)
        {
            ReleaseSRWLockExclusive(&loop_lock);
            return ERROR_OUTOFMEMORY;
        }
        memset(bigger + slot_count, 0, (count - slot_count) * sizeof(*slots));
        slots = bigger;
        for (i1 = count; i1 > slot_count; i1--)
        {
            slots[i1 - 1].next_free = free_slot;
            free_slot = i1;
        }
        slot_count = count;
        i1 = free_slot;
    }
    w = slot(i1);
    free_slot = w->next_free;
    w->active = TRUE;
    w->fd = net_socket_fd(sock);
    w->deadline = timeout_ms > 0 ? GetTickCount64() + timeout_ms : 0;
    w->callback = callback;
    w->context = context;
    list_link(i1);
    earliest = first == i1 && w->deadline;

    /* EPOLLHUP/EPOLLERR are always reported: a closed or aborted socket wakes
     * its waiter, and the next step sees why. */
    ev.events = (want & NET_WANT_READ ? EPOLLIN | EPOLLRDHUP : 0) | (want & NET_WANT_WRITE ? EPOLLOUT : 0) | EPOLLONESHOT;
    ev.data.u64 = i1 | ((ULONGLONG)w->generation << 32);
    if (epoll_ctl(epoll_fd, EPOLL_CTL_ADD, w->fd, &ev) < 0)
    {
        ERR("epoll_ctl failed: %d\n", errno);
        list_unlink(i1);
        w->active = FALSE;
        w->next_free = free_slot;
        free_slot = i1;
        ReleaseSRWLockExclusive(&loop_lock);
        return ERROR_WINHTTP_INTERNAL_ERROR;
    }
    ReleaseSRWLockExclusive(&loop_lock);
    /* A worker may be sleeping past this deadline: one wake-up with nothing
     * queued makes it recompute. */
    if (earliest) wake_one();
    return ERROR_SUCCESS;
}
