/*
 * The event loop of asynchronous WinHTTP.
 *
 * The thread model: as many polling threads as the process may run on
 * cores (sched_getaffinity), usually one or two, all waiting in epoll_wait
 * on one epoll set.  A poller takes a batch of ready sockets and, for each,
 * takes the request's next step and runs its status callback itself: the
 * thread that saw the event runs the callback, and nothing is handed to
 * another thread per event.  Sockets are registered EPOLLONESHOT and stay
 * in the set between waits (re-armed with EPOLL_CTL_MOD), so a wait costs
 * one epoll_ctl; the kernel wakes one poller per ready socket (epoll_wait's
 * waiters are exclusive), so there is no thundering herd.  Work that does
 * not wait for a socket (an operation started from an application thread)
 * goes through a queue; a submission from a poller's own callback is run by
 * that poller when the callback returns, with no wake-up at all, and only
 * one from another thread writes the eventfd.  Deadlines are kept in a few
 * lines, one per timeout value (nearly every wait uses one of a handful), so
 * adding one is O(1); a poller sleeps until the earliest, and a new wait
 * wakes a poller only when its deadline is earlier than every poller's.
 *
 * Callbacks may block (the application's code runs in them).  One spare
 * thread checks, every SPARE_CHECK_MS while anything is under way, whether
 * a poller has been inside the same callback since the previous check; if
 * so, that poller no longer counts and the spare takes its place (and a new
 * spare is started, up to MAX_WORKERS threads), so a blocking callback
 * delays only its own request (and what was in its batch) by at most two
 * checks.  The blocked poller becomes a spare when its callback returns.
 *
 * Why this design: the work per event is a few microseconds (a recv, a
 * parse, a callback that starts the next read), so what costs is moving it
 * between threads.  The previous design had four or more workers waiting in
 * epoll_wait on one set and started one more whenever all were inside
 * callbacks; with 32 requests in flight and the client confined to one core
 * that meant a context switch per event, an eventfd write and read per
 * request (each send's 500 ms answer grace looked like a new earliest
 * deadline), an EPOLL_CTL_ADD and a DEL per wait, and 13 threads.  Figures
 * per 1,000 asynchronous GETs of 4 KiB with 32 in flight, loopback nginx on
 * the other core (perf stat over the whole process, 2 shared cores):
 *
 *                       before   this design   libcurl multi
 *   context switches     2,064           197             280
 *   system calls         6,923         4,285           6,487
 *   futex calls            101             5               0
 *
 * and with strace -c, 27,577 system calls before, 5,428 now, 3,809 for
 * libcurl.  Requests per second in interleaved pairs on the same loaded
 * machine went from 5,900-7,150 to 9,000-14,700 (libcurl 9,600-16,000);
 * make bench on 2026-12-05 (load average 15): ours/libcurl 1.22 with 32 in
 * flight, 1.15 with 512, CPU per request 0.96 of libcurl's.  One poller
 * per core rather than one thread for all: a process whose callbacks do
 * real work (TLS, decompression, the application's own) uses every core it
 * is given; rather than a thread per core with its own epoll set: requests
 * need no placement, and a socket is always in the one set.
 *
 * No thread belongs to a request: a thousand requests in flight are a
 * thousand epoll registrations.
 *
 * Unix side: the only file besides net.c that makes Linux calls.
 */
#define _GNU_SOURCE             /* sched_getaffinity */
#include <errno.h>
#include <sched.h>
#include <unistd.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>

#include "winhttp_private.h"
#include "unix_private.h"
#include "event.h"

WINE_DEFAULT_DEBUG_CHANNEL(winhttp);

#define MAX_WORKERS 64
#define MAX_EVENTS 16           /* a batch: what a blocked poller may hold up */
#define SPARE_CHECK_MS 10
#define SPARE_IDLE_MS 1000
#define TIMER_LINES 8

/* A registered wait.  Slots are reused; the generation in the epoll data
 * tells a stale event (its wait already timed out) from a live one. */
struct waiter
{
    UINT generation;
    BOOL active;
    struct net_socket *sock;
    ULONGLONG deadline;             /* GetTickCount64 time, 0 = none */
    int line;                       /* timer line, -1 = none */
    event_callback callback;
    void *context;
    UINT prev, next;                /* in its timer line, slot index + 1, 0 = none */
    UINT next_free;
};

/* Waits in deadline order; one per timeout value, so appending keeps the
 * order (line 0 takes the rest, inserted in place). */
struct timer_line
{
    int timeout;
    UINT first, last;               /* slot index + 1 */
};

struct work
{
    struct work *next;
    event_callback callback;
    void *context;
    DWORD result;
};

/* A thread of the loop. */
struct worker
{
    volatile LONG in_callback;
    volatile LONG progress;         /* callbacks finished */
    volatile LONG blocked;          /* the spare took its place (state_lock) */
    LONG seen;                      /* progress at the spare's last check */
    BOOL seen_busy;
    BOOL polling;
    BOOL step_down;
};

static SRWLOCK loop_lock = SRWLOCK_INIT;    /* slots, timer lines, the queue */
static INIT_ONCE loop_once = INIT_ONCE_STATIC_INIT;
static int epoll_fd = -1, wake_fd = -1;
static struct waiter *slots;
static UINT slot_count, free_slot;          /* free_slot: index + 1 */
static LONG waiting;                        /* active waiters */
static struct timer_line lines[TIMER_LINES];
static ULONGLONG sleep_until = ~(ULONGLONG)0;   /* when the last poller to sleep wakes */
static struct work *queue_head, *queue_tail;
static volatile LONG wake_pending;

static SRWLOCK state_lock = SRWLOCK_INIT;   /* the roles below */
static CONDITION_VARIABLE spare_cv = CONDITION_VARIABLE_INIT;
static struct worker *workers[MAX_WORKERS];
static int worker_count, pollers, blocked, spares, target_pollers = 1;
static volatile BOOL spare_idle;

static __thread struct worker *current_worker;

#define WAKE_TAG (~(ULONGLONG)0)

static DWORD CALLBACK worker_thread(void *arg);

/* state_lock held */
static struct worker *new_worker(void)
{
    struct worker *w;

    if (worker_count >= MAX_WORKERS || !(w = calloc(1, sizeof(*w)))) return NULL;
    workers[worker_count++] = w;
    return w;
}

static void start_worker(void)
{
    struct worker *w;
    HANDLE thread;

    AcquireSRWLockExclusive(&state_lock);
    w = new_worker();
    ReleaseSRWLockExclusive(&state_lock);
    if (!w) return;
    if (!(thread = CreateThread(NULL, 0, worker_thread, w, 0, NULL)))
    {
        ERR("cannot start a worker thread\n");
        AcquireSRWLockExclusive(&state_lock);
        workers[--worker_count] = NULL;     /* the last one: nothing started since */
        ReleaseSRWLockExclusive(&state_lock);
        free(w);
        return;
    }
    CloseHandle(thread);
}

/* Run application-visible work on this poller; afterwards, step down if
 * the spare took this poller's place meanwhile. */
static void dispatch(struct worker *self, event_callback callback, void *context, DWORD result)
{
    self->in_callback = 1;
    callback(context, result);
    self->in_callback = 0;
    InterlockedIncrement(&self->progress);
    if (!ReadAcquire(&self->blocked)) return;
    AcquireSRWLockExclusive(&state_lock);
    if (self->blocked)
    {
        self->blocked = 0;
        blocked--;
        pollers--;
        self->polling = FALSE;
        self->step_down = TRUE;
    }
    ReleaseSRWLockExclusive(&state_lock);
}

/* ------------------------------------------------------------------ */
/* the timer lines (loop_lock held)                                    */

static struct waiter *slot(UINT index1)
{
    return index1 ? &slots[index1 - 1] : NULL;
}

static void line_unlink(UINT i1)
{
    struct waiter *w = slot(i1);
    struct timer_line *l;

    if (w->line < 0) return;
    l = &lines[w->line];
    if (w->prev) slot(w->prev)->next = w->next;
    else l->first = w->next;
    if (w->next) slot(w->next)->prev = w->prev;
    else l->last = w->prev;
    w->prev = w->next = 0;
    w->line = -1;
}

static void line_link(UINT i1, int timeout)
{
    struct waiter *w = slot(i1);
    struct timer_line *l;
    UINT after;
    int i;

    w->line = -1;
    if (!w->deadline) return;
    for (i = 0; i < TIMER_LINES; i++) if (lines[i].first && lines[i].timeout == timeout) break;
    if (i == TIMER_LINES)
        for (i = 0; i < TIMER_LINES; i++) if (!lines[i].first) break;
    if (i == TIMER_LINES) i = 0;
    l = &lines[i];
    if (!l->first) l->timeout = timeout;
    w->line = i;
    after = l->last;
    while (after && slot(after)->deadline > w->deadline) after = slot(after)->prev;
    w->prev = after;
    w->next = after ? slot(after)->next : l->first;
    if (w->next) slot(w->next)->prev = i1;
    else l->last = i1;
    if (after) slot(after)->next = i1;
    else l->first = i1;
}

/* The waiter with the earliest deadline, index + 1, or 0. */
static UINT earliest(void)
{
    UINT best = 0;
    int i;

    for (i = 0; i < TIMER_LINES; i++)
        if (lines[i].first && (!best || slot(lines[i].first)->deadline < slot(best)->deadline)) best = lines[i].first;
    return best;
}

/* Take an active waiter out: no event or timeout fires for it afterwards.
 * A socket whose event fired is disarmed already (EPOLLONESHOT) and stays
 * in the set for its next wait; one whose wait ends otherwise leaves it. */
static void claim(UINT i1, BOOL fired)
{
    struct waiter *w = slot(i1);

    line_unlink(i1);
    if (!fired)
    {
        epoll_ctl(epoll_fd, EPOLL_CTL_DEL, net_socket_fd(w->sock), NULL);
        *net_socket_registered(w->sock) = 0;
    }
    w->active = FALSE;
    w->sock = NULL;
    w->generation++;
    w->next_free = free_slot;
    free_slot = i1;
    waiting--;
}

/* ------------------------------------------------------------------ */

static void wake_one(void)
{
    ULONGLONG one = 1;
    if (write(wake_fd, &one, sizeof(one)) < 0) WARN("cannot wake a worker\n");
}

static void handle_wake(void)
{
    ULONGLONG value;

    if (read(wake_fd, &value, sizeof(value)) < 0 && errno != EAGAIN) WARN("cannot read the wake-up: %d\n", errno);
    /* Cleared before the queue is looked at: a submission after this point
     * writes the eventfd again. */
    InterlockedExchange(&wake_pending, 0);
}

/* Run what was queued, including what its callbacks queue. */
static void run_queue(struct worker *self)
{
    struct work *work;

    while (queue_head && !self->step_down)
    {
        AcquireSRWLockExclusive(&loop_lock);
        if ((work = queue_head) && !(queue_head = work->next)) queue_tail = NULL;
        ReleaseSRWLockExclusive(&loop_lock);
        if (!work) break;
        dispatch(self, work->callback, work->context, work->result);
        free(work);
    }
}

static void handle_event(struct worker *self, ULONGLONG data)
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
        claim(i1, TRUE);
    }
    ReleaseSRWLockExclusive(&loop_lock);
    if (callback) dispatch(self, callback, context, ERROR_SUCCESS);
}

/* Expire the overdue waiters; the time to sleep until the next deadline. */
static int run_timers(struct worker *self)
{
    event_callback callback;
    void *context;
    ULONGLONG now;
    struct waiter *w;
    UINT i1;
    int timeout = -1;

    for (;;)
    {
        now = GetTickCount64();
        callback = NULL;
        AcquireSRWLockExclusive(&loop_lock);
        if ((i1 = earliest()) && (w = slot(i1))->deadline <= now)
        {
            callback = w->callback;
            context = w->context;
            claim(i1, FALSE);
        }
        else if (i1)
        {
            ULONGLONG left = w->deadline - now;
            timeout = left > 3600000 ? 3600000 : (int)left;
            sleep_until = w->deadline;
        }
        else
        {
            timeout = -1;
            sleep_until = ~(ULONGLONG)0;
        }
        ReleaseSRWLockExclusive(&loop_lock);
        if (!callback) return timeout;
        dispatch(self, callback, context, ERROR_WINHTTP_TIMEOUT);
        if (self->step_down) return 0;
    }
}

static void poll_loop(struct worker *self)
{
    struct epoll_event events[MAX_EVENTS];
    int i, n, timeout;

    self->step_down = FALSE;
    while (!self->step_down)
    {
        timeout = run_timers(self);
        if (self->step_down) break;
        if (queue_head)
        {
            run_queue(self);
            continue;
        }
        n = epoll_wait(epoll_fd, events, MAX_EVENTS, timeout);
        if (n < 0 && errno != EINTR)
        {
            ERR("epoll_wait failed: %d\n", errno);
            Sleep(10);
            continue;
        }
        /* A step-down comes into effect after the batch: its events are
         * this thread's to run. */
        for (i = 0; i < n; i++)
        {
            if (events[i].data.u64 == WAKE_TAG) handle_wake();
            else handle_event(self, events[i].data.u64);
        }
    }
}

/* state_lock held: mark the pollers that have been inside one callback
 * since the last check as blocked. */
static void check_stuck(void)
{
    static ULONGLONG last_check;
    ULONGLONG now = GetTickCount64();
    int i;

    /* Two looks at least SPARE_CHECK_MS apart (the spare may be woken early). */
    if (now - last_check < SPARE_CHECK_MS) return;
    last_check = now;

    for (i = 0; i < worker_count; i++)
    {
        struct worker *w = workers[i];
        LONG progress = w->progress;
        BOOL busy = w->in_callback;

        if (!w->polling || w->blocked) continue;
        if (busy && w->seen_busy && progress == w->seen)
        {
            TRACE("worker %p blocked in a callback, the spare takes over\n", w);
            w->blocked = 1;
            blocked++;
        }
        w->seen = progress;
        w->seen_busy = busy;
    }
}

static BOOL loop_busy(void)
{
    int i;

    if (ReadAcquire(&waiting) > 0 || queue_head) return TRUE;
    for (i = 0; i < worker_count; i++)
        if (workers[i]->polling && workers[i]->in_callback) return TRUE;
    return FALSE;
}

/* Become a poller when one is wanted; meanwhile be the spare.  FALSE: this
 * thread is not needed (another spare is there). */
static BOOL take_poll_role(struct worker *self)
{
    BOOL need_spare = FALSE;

    AcquireSRWLockExclusive(&state_lock);
    for (;;)
    {
        if (pollers - blocked < target_pollers)
        {
            pollers++;
            self->polling = TRUE;
            need_spare = !spares;
            break;
        }
        if (spares)
        {
            /* One spare is enough. */
            int i;
            for (i = 0; i < worker_count; i++)
                if (workers[i] == self)
                {
                    workers[i] = workers[--worker_count];
                    break;
                }
            ReleaseSRWLockExclusive(&state_lock);
            free(self);
            return FALSE;
        }
        spares++;
        spare_idle = !loop_busy();
        SleepConditionVariableSRW(&spare_cv, &state_lock, spare_idle ? SPARE_IDLE_MS : SPARE_CHECK_MS, 0);
        spare_idle = FALSE;
        spares--;
        check_stuck();
    }
    ReleaseSRWLockExclusive(&state_lock);
    if (need_spare) start_worker();
    return TRUE;
}

static DWORD CALLBACK worker_thread(void *arg)
{
    struct worker *self = arg;

    SetThreadDescription(GetCurrentThread(), L"winhttp worker");
    current_worker = self;
    while (take_poll_role(self)) poll_loop(self);
    return 0;
}

static BOOL CALLBACK start_loop(INIT_ONCE *once, void *param, void **context)
{
    struct epoll_event ev = { EPOLLIN, { .u64 = WAKE_TAG } };
    cpu_set_t set;
    int i, cpus = 1;

    if ((epoll_fd = epoll_create1(EPOLL_CLOEXEC)) < 0) return FALSE;
    if ((wake_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC)) < 0) return FALSE;
    if (epoll_ctl(epoll_fd, EPOLL_CTL_ADD, wake_fd, &ev) < 0) return FALSE;
    if (!sched_getaffinity(0, sizeof(set), &set) && CPU_COUNT(&set) > 0) cpus = CPU_COUNT(&set);
    target_pollers = min(cpus, MAX_WORKERS / 2);
    TRACE("%d pollers\n", target_pollers);
    /* The pollers; the first of them starts the spare. */
    for (i = 0; i < target_pollers; i++) start_worker();
    return worker_count > 0;
}

static BOOL loop_started(void)
{
    if (InitOnceExecuteOnce(&loop_once, start_loop, NULL, NULL)) return TRUE;
    ERR("cannot start the event loop\n");
    return FALSE;
}

/* Whether this thread is a poller that will look at the queue and the
 * deadlines before it sleeps.  Asked after the change was made: a poller
 * marked blocked later is replaced by one that looks at them first. */
static BOOL on_poller(void)
{
    return current_worker && current_worker->polling && !ReadAcquire(&current_worker->blocked);
}

static void wake_spare(void)
{
    if (spare_idle) WakeConditionVariable(&spare_cv);
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
    /* A poller runs its own submissions when its callback returns. */
    if (!on_poller() && !InterlockedExchange(&wake_pending, 1)) wake_one();
    wake_spare();
    return ERROR_SUCCESS;
}

DWORD event_wait_socket(struct net_socket *sock, int want, int timeout_ms, event_callback callback, void *context)
{
    struct epoll_event ev;
    struct waiter *w;
    int fd = net_socket_fd(sock), *registered = net_socket_registered(sock), ret;
    UINT i1;
    BOOL wake;

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
    w->sock = sock;
    w->deadline = timeout_ms > 0 ? GetTickCount64() + timeout_ms : 0;
    w->callback = callback;
    w->context = context;
    line_link(i1, timeout_ms);
    waiting++;
    wake = w->deadline && w->deadline < sleep_until;

    /* EPOLLHUP/EPOLLERR are always reported: a closed or aborted socket wakes
     * its waiter, and the next step sees why. */
    ev.events = (want & NET_WANT_READ ? EPOLLIN | EPOLLRDHUP : 0) | (want & NET_WANT_WRITE ? EPOLLOUT : 0) | EPOLLONESHOT;
    ev.data.u64 = i1 | ((ULONGLONG)w->generation << 32);
    ret = epoll_ctl(epoll_fd, *registered ? EPOLL_CTL_MOD : EPOLL_CTL_ADD, fd, &ev);
    /* The mark can be stale only if the descriptor was closed and reused. */
    if (ret < 0 && (errno == ENOENT || errno == EEXIST))
        ret = epoll_ctl(epoll_fd, errno == ENOENT ? EPOLL_CTL_ADD : EPOLL_CTL_MOD, fd, &ev);
    if (ret < 0)
    {
        ERR("epoll_ctl failed: %d\n", errno);
        line_unlink(i1);
        w->active = FALSE;
        w->sock = NULL;
        w->next_free = free_slot;
        free_slot = i1;
        waiting--;
        *registered = 0;
        ReleaseSRWLockExclusive(&loop_lock);
        return ERROR_WINHTTP_INTERNAL_ERROR;
    }
    *registered = 1;
    ReleaseSRWLockExclusive(&loop_lock);
    /* Every poller sleeps past this deadline: one wake-up with nothing
     * queued makes one recompute.  A poller registering from its own
     * callback looks at the deadlines before it sleeps again. */
    if (wake && !on_poller() && !InterlockedExchange(&wake_pending, 1)) wake_one();
    wake_spare();
    return ERROR_SUCCESS;
}
