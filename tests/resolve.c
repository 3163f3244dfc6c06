/*
 * The resolve timeout (WinHttpSetTimeouts' first argument): a name whose
 * lookup never finishes ends in ERROR_WINHTTP_TIMEOUT after that long, in
 * synchronous and asynchronous mode.  Runs only under
 * tests/scripts/resolve_timeout, which points the resolver at a DNS server
 * on loopback that never answers (WINHTTP_TEST_BLACKHOLE_DNS); elsewhere it
 * reports no checks.
 */
#include "test.h"
#include <winhttp.h>

static void test_sync_resolve_timeout(void)
{
    HINTERNET session, connect, request;
    DWORD start, elapsed, err;
    BOOL ret;

    session = WinHttpOpen(L"winhttp-tests", WINHTTP_ACCESS_TYPE_NO_PROXY, NULL, NULL, 0);
    connect = WinHttpConnect(session, L"slow.winhttp.test", 80, 0);
    request = WinHttpOpenRequest(connect, NULL, L"/", NULL, NULL, NULL, 0);
    ok(WinHttpSetTimeouts(request, 800, 5000, 5000, 5000), "SetTimeouts %lu\n", GetLastError());
    start = GetTickCount();
    ret = WinHttpSendRequest(request, NULL, 0, NULL, 0, 0, 0);
    err = GetLastError();
    elapsed = GetTickCount() - start;
    ok(!ret && err == ERROR_WINHTTP_TIMEOUT, "expected ERROR_WINHTTP_TIMEOUT, got %d / %lu\n", ret, err);
    ok(elapsed >= 700 && elapsed < 4000, "the lookup was given up after %lu ms, expected about 800\n", elapsed);
    WinHttpCloseHandle(request);
    WinHttpCloseHandle(connect);
    WinHttpCloseHandle(session);
}

static HANDLE async_done;
static DWORD async_api, async_error;

static void CALLBACK callback(HINTERNET h, DWORD_PTR ctx, DWORD status, void *info, DWORD len)
{
    if (status == WINHTTP_CALLBACK_STATUS_REQUEST_ERROR)
    {
        WINHTTP_ASYNC_RESULT *r = info;
        async_api = r->dwResult;
        async_error = r->dwError;
        SetEvent(async_done);
    }
}

static void test_async_resolve_timeout(void)
{
    HINTERNET session, connect, request;
    DWORD start, elapsed;

    async_done = CreateEventW(NULL, TRUE, FALSE, NULL);
    session = WinHttpOpen(L"winhttp-tests", WINHTTP_ACCESS_TYPE_NO_PROXY, NULL, NULL, WINHTTP_FLAG_ASYNC);
    WinHttpSetStatusCallback(session, callback, WINHTTP_CALLBACK_FLAG_REQUEST_ERROR, 0);
    connect = WinHttpConnect(session, L"slower.winhttp.test", 80, 0);
    request = WinHttpOpenRequest(connect, NULL, L"/", NULL, NULL, NULL, 0);
    ok(WinHttpSetTimeouts(request, 800, 5000, 5000, 5000), "SetTimeouts %lu\n", GetLastError());
    start = GetTickCount();
    ok(WinHttpSendRequest(request, NULL, 0, NULL, 0, 0, 1), "SendRequest %lu\n", GetLastError());
    ok(WaitForSingleObject(async_done, 10000) == WAIT_OBJECT_0, "no REQUEST_ERROR\n");
    elapsed = GetTickCount() - start;
    ok(async_api == API_SEND_REQUEST && async_error == ERROR_WINHTTP_TIMEOUT, "got api %lu error %lu\n", async_api,
       async_error);
    ok(elapsed >= 700 && elapsed < 4000, "the lookup was given up after %lu ms, expected about 800\n", elapsed);
    WinHttpCloseHandle(request);
    WinHttpCloseHandle(connect);
    WinHttpCloseHandle(session);
    CloseHandle(async_done);
}

int main(void)
{
    if (!GetEnvironmentVariableA("WINHTTP_TEST_BLACKHOLE_DNS", NULL, 0))
    {
        trace("runs under tests/scripts/resolve_timeout only\n");
        return test_summary();
    }
    run_test("sync_resolve_timeout", test_sync_resolve_timeout);
    run_test("async_resolve_timeout", test_async_resolve_timeout);
    return test_summary();
}
