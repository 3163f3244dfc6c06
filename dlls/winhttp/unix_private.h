/*
 * The narrow interface between the Windows-facing code and Linux.
 *
 * Everything that calls the host OS directly (sockets, poll, getaddrinfo)
 * sits behind these functions, in net.c, in the spirit of Wine's unixlib
 * call tables: the rest of the DLL includes no Linux header, so splitting
 * the DLL into a PE part and a Unix part later is a build change.  All
 * functions return Win32 error codes (ERROR_SUCCESS or ERROR_WINHTTP_*).
 * Timeouts are in milliseconds; a value <= 0 means "no timeout".
 */
#ifndef WINHTTP_UNIX_PRIVATE_H
#define WINHTTP_UNIX_PRIVATE_H

#include <stddef.h>

struct net_socket;

/* An opaque resolved address list (getaddrinfo order, IPv6 and IPv4). */
struct net_addrs;

DWORD net_resolve(const char *host, unsigned short port, int timeout_ms, struct net_addrs **addrs);
void net_addrs_free(struct net_addrs *addrs);
int net_addrs_count(const struct net_addrs *addrs);
/* Numeric form of the index-th address, for traces and WINHTTP_CALLBACK_STATUS_NAME_RESOLVED. */
void net_addrs_string(const struct net_addrs *addrs, int index, char *buf, size_t size);

/* An idle pooled connection is reusable only if the peer has neither closed
 * it nor sent unsolicited bytes. */
BOOL net_idle_ok(struct net_socket *sock);
/* Make a blocked send/recv on another thread return (WinHttpCloseHandle). */
void net_abort(struct net_socket *sock);
void net_close(struct net_socket *sock);
/* Non-blocking primitives, the base of the event-driven engine and of the
 * TLS layer: they never wait.  ERROR_IO_PENDING means "would block": wait
 * for the direction in NET_WANT_* (net_wait, or the event loop), then call
 * again. */
#define NET_WANT_READ  1
#define NET_WANT_WRITE 2
DWORD net_try_send(struct net_socket *sock, const void *buf, size_t len, size_t *sent);
DWORD net_try_recv(struct net_socket *sock, void *buf, size_t len, size_t *received);
/* Wait until sock is ready for want (poll); ERROR_WINHTTP_TIMEOUT,
 * ERROR_WINHTTP_OPERATION_CANCELLED after net_abort. */
DWORD net_wait(struct net_socket *sock, int want, int timeout_ms);
/* Start connecting to the index-th address: ERROR_SUCCESS (connected),
 * ERROR_IO_PENDING (wait for NET_WANT_WRITE, then net_connect_finish), or
 * ERROR_WINHTTP_CANNOT_CONNECT.  *sock is set in the first two cases. */
DWORD net_connect_start(const struct net_addrs *addrs, int index, struct net_socket **sock);
DWORD net_connect_finish(struct net_socket *sock);
int net_socket_fd(struct net_socket *sock);
/* A second descriptor of the same socket, so that the event loop can wait
 * for writability and readability separately (the HTTP/2 transport). */
DWORD net_dup(struct net_socket *sock, struct net_socket **dup);
/* The event loop's mark: the socket is in its epoll set (event.c only). */
int *net_socket_registered(struct net_socket *sock);
BOOL net_aborted(struct net_socket *sock);

/* Local and remote addresses in Windows' SOCKADDR_STORAGE layout (128 bytes),
 * for WINHTTP_OPTION_CONNECTION_INFO. */
void net_get_addresses(struct net_socket *sock, void *local, void *remote);

#endif /* WINHTTP_UNIX_PRIVATE_H */
