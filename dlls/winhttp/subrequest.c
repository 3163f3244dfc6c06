/*
 * The DLL's own fetches (subrequest.h): CRL and OCSP answers, PAC scripts.
 *
 * A sub-request is an ordinary request object of the session it serves,
 * without a handle and without a status callback, driven here rather than by
 * the API's operations: exchange_step up to the final head, then body_read
 * into a growing buffer, every wait handed to the event loop.  So it never
 * blocks a thread (a CRL server that takes seconds costs nobody a worker),
 * and it gets everything the session has for free: the proxy configuration,
 * the proxy credentials the authentication layer answers a 407 with (any
 * scheme it supports: Basic, Digest, NTLM, Negotiate), the timeouts, the TLS
 * context, the keep-alive pool.  What differs from the application's
 * requests is set on the request object: no revocation check of its own (as
 * Windows' CAPI fetches), no cookies, no Passport, no connection limit (a
 * parent holding the last slot to a host must not wait for itself).
 *
 * Copyright 2026 The winhttp-for-Wine authors
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Lesser General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */
#include "winhttp_private.h"
#include "engine.h"
#include "event.h"
#include "subrequest.h"

WINE_DEFAULT_DEBUG_CHANNEL(winhttp);

struct subrequest
{
    struct request *request;    /* ours alone: no handle, no callback */
    struct engine *e;
    SIZE_T max_size;
    subrequest_done_fn done;
    void *ctx;
    BOOL reading;               /* the final head is here: the body comes */
    BYTE *body;
    SIZE_T size, capacity;
};

static void sub_free(struct subrequest *sub)
{
    if (sub->request) release_object(&sub->request->obj);
    free(sub->body);
    free(sub);
}

static void sub_finish(struct subrequest *sub, DWORD res)
{
    DWORD status = sub->request->status_code;
    BYTE *body = NULL;
    SIZE_T size = 0;

    if (!res && sub->reading && sub->size)
    {
        body = sub->body;
        size = sub->size;
        sub->body = NULL;
    }
    TRACE("sub-request %p done: error %u, status %u, %lu bytes\n", sub, res, status, (unsigned long)size);
    sub->done(sub->ctx, res, status, body, size);
    sub_free(sub);
}

/* The final head, then the body, without blocking: ERROR_IO_PENDING with
 * e->want set waits in the event loop. */
static DWORD sub_step(struct subrequest *sub)
{
    struct request *request = sub->request;
    struct engine *e = sub->e;
    DWORD res;

    if (e->cancelled) return ERROR_WINHTTP_OPERATION_CANCELLED;
    if (!sub->reading)
    {
        if ((res = exchange_step(request, e, PHASE_HEADERS))) return res;
        e->state = STATE_RESPONSE;
        if ((res = body_setup_decoder(request, e))) return res;
        if (e->body_eof) body_finish(request, e);
        sub->reading = TRUE;
        TRACE("sub-request %p: status %u\n", sub, request->status_code);
        /* Only a 200's body is wanted (a CRL, an OCSP answer, a script). */
        if (request->status_code != HTTP_STATUS_OK) return ERROR_SUCCESS;
    }
    else if (request->status_code != HTTP_STATUS_OK) return ERROR_SUCCESS;

    while (e->state != STATE_DONE)
    {
        if (sub->size == sub->capacity)
        {
            SIZE_T capacity = sub->capacity ? sub->capacity * 2 : 16384;
            BYTE *bigger;

            /* One byte past the cap tells an oversized body from one that fits. */
            if (sub->capacity > sub->max_size)
            {
                WARN("sub-request %p: the body exceeds %lu bytes\n", sub, (unsigned long)sub->max_size);
                return ERROR_WINHTTP_RESPONSE_DRAIN_OVERFLOW;
            }
            if (capacity > sub->max_size + 1) capacity = sub->max_size + 1;
            if (!(bigger = realloc(sub->body, capacity))) return ERROR_OUTOFMEMORY;
            sub->body = bigger;
            sub->capacity = capacity;
        }
        e->op_buffer = sub->body + sub->size;
        e->op_len = sub->capacity - sub->size;
        e->op_done = 0;
        e->op_fill = FALSE;
        res = body_read(request, e);
        sub->size += e->op_done;
        if (res) return res;
        if (!e->op_done) break;
    }
    if (sub->size > sub->max_size)
    {
        WARN("sub-request %p: the body exceeds %lu bytes\n", sub, (unsigned long)sub->max_size);
        return ERROR_WINHTTP_RESPONSE_DRAIN_OVERFLOW;
    }
    return ERROR_SUCCESS;
}

/* On an event-loop thread: step, wait for the connection, or finish. */
static void sub_run(void *context, DWORD result)
{
    struct subrequest *sub = context;
    struct engine *e = sub->e;
    DWORD res = result ? result : sub_step(sub);

    if (res == ERROR_IO_PENDING)
    {
        if (!e->conn || (e->want != NET_WANT_READ && e->want != NET_WANT_WRITE))
        {
            ERR("sub-request %p waits for %#x without a connection to wait on\n", sub, e->want);
            res = ERROR_WINHTTP_INTERNAL_ERROR;
        }
        else if (!(res = event_wait_socket(e->conn->sock, e->want, e->wait_timeout, sub_run, sub))) return;
    }
    if (res && e->cancelled) res = ERROR_WINHTTP_OPERATION_CANCELLED;
    sub_finish(sub, res);
}

/* The request object the fetch runs on, with what differs from the
 * application's requests (the opening comment says why). */
static DWORD sub_create_request(struct subrequest *sub, struct session *session, const WCHAR *url, DWORD flags)
{
    struct url_parts parts;
    struct connect *connect;
    struct request *request;
    struct engine *e;
    WCHAR *escaped;
    DWORD res;

    if (!url_crack(url, 0, &parts)) return GetLastError();
    if (!parts.host[0] || parts.user)
    {
        WARN("unusable URL %s\n", debugstr_w(url));
        url_parts_free(&parts);
        return ERROR_WINHTTP_INVALID_URL;
    }
    res = connect_create(session, parts.host, parts.port, &connect);
    if (!res)
    {
        connect->obj.callback = NULL;
        res = request_create(connect, NULL, parts.path, NULL, NULL, NULL,
                             parts.scheme == INTERNET_SCHEME_HTTPS ? WINHTTP_FLAG_SECURE : 0, &request);
        release_object(&connect->obj);
    }
    url_parts_free(&parts);
    if (res) return res;
    sub->request = request;
    /* Nobody hears of it but its hook. */
    request->obj.callback = NULL;
    request->obj.notify_mask = 0;
    request->settings.enable_features &= ~WINHTTP_ENABLE_SSL_REVOCATION;
    request->settings.disable_flags |= WINHTTP_DISABLE_COOKIES;
    request->settings.passport_flags = 0;
    request->settings.max_conns_per_server = WINHTTP_CONNS_PER_SERVER_UNLIMITED;
    if (flags & SUBREQUEST_AUTOLOGON) request->settings.autologon_policy = WINHTTP_AUTOLOGON_SECURITY_LEVEL_LOW;
    if (flags & SUBREQUEST_DIRECT)
    {
        request->proxy_set = TRUE;
        request->proxy.dwAccessType = WINHTTP_ACCESS_TYPE_NO_PROXY;
    }

    /* What WinHttpSendRequest does for a GET without a body. */
    if (!(e = request_engine_get(request))) return ERROR_OUTOFMEMORY;
    sub->e = e;
    if (!(e->verb = strdupW(request->verb))) return ERROR_OUTOFMEMORY;
    if (!(escaped = escape_path(request->path, request->flags))) return ERROR_OUTOFMEMORY;
    res = set_target(e, request->connect->hostname, request->port, request_is_secure(request), escaped);
    free(escaped);
    if (res) return res;
    e->state = STATE_NEW;
    exchange_start(request, e);
    return ERROR_SUCCESS;
}

DWORD subrequest_start(struct session *session, const WCHAR *url, DWORD flags, SIZE_T max_size,
                       subrequest_done_fn done, void *ctx, struct subrequest **out)
{
    struct subrequest *sub;
    DWORD res;

    TRACE("session %p url %s flags %#x max %lu\n", session, debugstr_w(url), flags, (unsigned long)max_size);
    if (!url || !done) return ERROR_INVALID_PARAMETER;
    if (!(sub = calloc(1, sizeof(*sub)))) return ERROR_OUTOFMEMORY;
    sub->max_size = max_size;
    sub->done = done;
    sub->ctx = ctx;
    if ((res = sub_create_request(sub, session, url, flags)))
    {
        sub_free(sub);
        return res;
    }
    /* Resolving the name blocks: even the first step runs in the event loop. */
    if ((res = event_submit(sub_run, sub, 0)))
    {
        sub_free(sub);
        return res;
    }
    *out = sub;
    TRACE("sub-request %p started\n", sub);
    return ERROR_SUCCESS;
}

void subrequest_cancel(struct subrequest *sub)
{
    struct engine *e = sub->e;

    TRACE("sub-request %p\n", sub);
    InterlockedExchange(&e->cancelled, 1);
    /* A wait in the event loop wakes up and sees the flag. */
    AcquireSRWLockShared(&e->lock);
    conn_abort(e->conn);
    ReleaseSRWLockShared(&e->lock);
}

/* ------------------------------------------------------------------ */
/* waiting for one on an application thread                            */

struct fetch_wait
{
    SRWLOCK lock;
    CONDITION_VARIABLE cv;
    BOOL done;
    DWORD error, status;
    BYTE *body;
    SIZE_T size;
};

static void fetch_done(void *ctx, DWORD error, DWORD status, BYTE *body, SIZE_T size)
{
    struct fetch_wait *wait = ctx;

    AcquireSRWLockExclusive(&wait->lock);
    wait->error = error;
    wait->status = status;
    wait->body = body;
    wait->size = size;
    wait->done = TRUE;
    /* Woken under the lock: the waiter's stack frame holds wait. */
    WakeAllConditionVariable(&wait->cv);
    ReleaseSRWLockExclusive(&wait->lock);
}

DWORD subrequest_fetch(struct session *session, const WCHAR *url, DWORD flags, SIZE_T max_size,
                       DWORD *status, BYTE **body, SIZE_T *size)
{
    struct fetch_wait wait;
    struct subrequest *sub;
    DWORD res;

    memset(&wait, 0, sizeof(wait));
    InitializeSRWLock(&wait.lock);
    InitializeConditionVariable(&wait.cv);
    *status = 0;
    *body = NULL;
    *size = 0;
    if ((res = subrequest_start(session, url, flags, max_size, fetch_done, &wait, &sub))) return res;
    /* The sub-request's own timeouts (the session's) bound the wait. */
    AcquireSRWLockExclusive(&wait.lock);
    while (!wait.done) SleepConditionVariableSRW(&wait.cv, &wait.lock, INFINITE, 0);
    ReleaseSRWLockExclusive(&wait.lock);
    *status = wait.status;
    if (wait.error)
    {
        free(wait.body);
        return wait.error;
    }
    *body = wait.body;
    *size = wait.size;
    return ERROR_SUCCESS;
}
