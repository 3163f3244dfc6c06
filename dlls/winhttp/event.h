/*
 * The event loop of asynchronous WinHTTP (event.c).
 */
#ifndef WINHTTP_EVENT_H
#define WINHTTP_EVENT_H

struct net_socket;

/* Runs on a thread-pool thread; result is ERROR_SUCCESS (ready),
 * ERROR_WINHTTP_TIMEOUT, or whatever event_submit was given. */
typedef void (*event_callback)(void *context, DWORD result);

/* Call callback once sock is ready for want (NET_WANT_*) or timeout_ms
 * (<= 0: none) passed.  A socket aborted with net_abort wakes its waiter. */
DWORD event_wait_socket(struct net_socket *sock, int want, int timeout_ms, event_callback callback, void *context);
/* Run callback on a thread-pool thread. */
DWORD event_submit(event_callback callback, void *context, DWORD result);

#endif /* WINHTTP_EVENT_H */
