/*
 * Small WinHTTP client helpers shared by the conformance tests: one
 * synchronous exchange, the status code, the body, and one asynchronous
 * exchange waited for through a status callback.  Include after test.h and
 * <winhttp.h>.
 */
#ifndef WINHTTP_TEST_CLIENT_H
#define WINHTTP_TEST_CLIENT_H

static inline DWORD status_of(HINTERNET request)
{
    DWORD status = 0, size = sizeof(status);
    WinHttpQueryHeaders(request, WINHTTP_QUERY_STATUS_CODE | WINHTTP_QUERY_FLAG_NUMBER, NULL, &status, &size, NULL);
    return status;
}

/* Send and receive: the status, or 0 with the error in *error. */
static inline DWORD send_request(HINTERNET request, DWORD *error)
{
    DWORD e = 0;
    if (!WinHttpSendRequest(request, NULL, 0, NULL, 0, 0, 0)) e = GetLastError();
    else if (!WinHttpReceiveResponse(request, NULL)) e = GetLastError();
    if (error) *error = e;
    return e ? 0 : status_of(request);
}

#define ok_status(request, expect) do { DWORD err_, st_ = send_request(request, &err_); \
    ok(st_ == (expect), "expected status %u, got %lu (error %lu)\n", (unsigned)(expect), st_, err_); } while (0)

/* The whole body as a NUL-terminated string (caller frees). */
static inline char *read_body(HINTERNET request)
{
    char *body = malloc(1);
    DWORD len = 0, avail, n;

    while (WinHttpQueryDataAvailable(request, &avail) && avail)
    {
        body = realloc(body, len + avail + 1);
        if (!WinHttpReadData(request, body + len, avail, &n) || !n) break;
        len += n;
    }
    body[len] = 0;
    return body;
}

/* Asynchronous mode: the completions of one exchange, the context value of
 * the requests that async_wait_callback serves. */
struct async_wait
{
    HANDLE event;
    DWORD status;       /* the completion seen */
    DWORD error;        /* of WINHTTP_CALLBACK_STATUS_REQUEST_ERROR */
    DWORD_PTR api;      /* its dwResult: the API that failed */
    LONG redirects;     /* REDIRECT notifications (when the mask asks for them) */
};

static inline void CALLBACK async_wait_callback(HINTERNET handle, DWORD_PTR context, DWORD status, void *info, DWORD len)
{
    struct async_wait *w = (struct async_wait *)context;

    if (!w) return;
    if (status == WINHTTP_CALLBACK_STATUS_REDIRECT) InterlockedIncrement(&w->redirects);
    if (status != WINHTTP_CALLBACK_STATUS_SENDREQUEST_COMPLETE && status != WINHTTP_CALLBACK_STATUS_HEADERS_AVAILABLE &&
        status != WINHTTP_CALLBACK_STATUS_REQUEST_ERROR)
        return;
    w->status = status;
    if (status == WINHTTP_CALLBACK_STATUS_REQUEST_ERROR)
    {
        w->error = ((WINHTTP_ASYNC_RESULT *)info)->dwError;
        w->api = ((WINHTTP_ASYNC_RESULT *)info)->dwResult;
    }
    SetEvent(w->event);
}

/* Send and receive in asynchronous mode: the status, 0 on an error. */
static inline DWORD async_send(HINTERNET request, struct async_wait *w)
{
    w->status = w->error = 0;
    w->api = 0;
    ResetEvent(w->event);
    if (!WinHttpSendRequest(request, NULL, 0, NULL, 0, 0, (DWORD_PTR)w)) return 0;
    if (WaitForSingleObject(w->event, 10000) || w->status != WINHTTP_CALLBACK_STATUS_SENDREQUEST_COMPLETE) return 0;
    ResetEvent(w->event);
    if (!WinHttpReceiveResponse(request, NULL)) return 0;
    if (WaitForSingleObject(w->event, 10000) || w->status != WINHTTP_CALLBACK_STATUS_HEADERS_AVAILABLE) return 0;
    return status_of(request);
}

#endif /* WINHTTP_TEST_CLIENT_H */
