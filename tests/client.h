/*
 * Small WinHTTP client helpers shared by the conformance tests: one
 * synchronous exchange, the status code, the body.  Include after test.h and
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

#endif /* WINHTTP_TEST_CLIENT_H */
