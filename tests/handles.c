/*
 * HINTERNET handles: types, validation, parents and children, and closing a
 * handle from one thread while others are inside calls on it.
 */
#include "test.h"
#include <winhttp.h>

static DWORD handle_type(HINTERNET h)
{
    DWORD type = 0, size = sizeof(type);
    if (!WinHttpQueryOption(h, WINHTTP_OPTION_HANDLE_TYPE, &type, &size)) return 0;
    return type;
}

static void test_types_and_parents(void)
{
    HINTERNET session, connect, request, parent = (HINTERNET)0xdead;
    DWORD size = sizeof(parent);

    session = WinHttpOpen(L"t", WINHTTP_ACCESS_TYPE_NO_PROXY, NULL, NULL, 0);
    connect = WinHttpConnect(session, L"localhost", 80, 0);
    request = WinHttpOpenRequest(connect, NULL, NULL, NULL, NULL, NULL, 0);
    ok(session && connect && request, "handles %p %p %p\n", session, connect, request);
    ok_u(handle_type(session), WINHTTP_HANDLE_TYPE_SESSION);
    ok_u(handle_type(connect), WINHTTP_HANDLE_TYPE_CONNECT);
    ok_u(handle_type(request), WINHTTP_HANDLE_TYPE_REQUEST);
    ok(WinHttpQueryOption(request, WINHTTP_OPTION_PARENT_HANDLE, &parent, &size) && parent == connect,
       "request's parent %p, expected %p\n", parent, connect);
    size = sizeof(parent);
    ok(WinHttpQueryOption(connect, WINHTTP_OPTION_PARENT_HANDLE, &parent, &size) && parent == session,
       "connect's parent %p, expected %p\n", parent, session);
    ok(session != connect && connect != request && session != request, "handles not distinct\n");

    /* Wrong types */
    ok_err(WinHttpConnect(connect, L"localhost", 80, 0), ERROR_WINHTTP_INCORRECT_HANDLE_TYPE);
    ok_err(WinHttpConnect(request, L"localhost", 80, 0), ERROR_WINHTTP_INCORRECT_HANDLE_TYPE);
    ok_err(WinHttpOpenRequest(session, NULL, NULL, NULL, NULL, NULL, 0), ERROR_WINHTTP_INCORRECT_HANDLE_TYPE);
    ok_err(WinHttpOpenRequest(request, NULL, NULL, NULL, NULL, NULL, 0), ERROR_WINHTTP_INCORRECT_HANDLE_TYPE);
    ok_err(WinHttpSendRequest(session, NULL, 0, NULL, 0, 0, 0), ERROR_WINHTTP_INCORRECT_HANDLE_TYPE);
    ok_err(WinHttpReceiveResponse(connect, NULL), ERROR_WINHTTP_INCORRECT_HANDLE_TYPE);

    /* Closing a parent while children live: the children keep working. */
    ok(WinHttpCloseHandle(session), "close session %lu\n", GetLastError());
    ok_u(handle_type(connect), WINHTTP_HANDLE_TYPE_CONNECT);
    ok_u(handle_type(request), WINHTTP_HANDLE_TYPE_REQUEST);
    ok(WinHttpCloseHandle(connect), "close connect %lu\n", GetLastError());
    ok_u(handle_type(request), WINHTTP_HANDLE_TYPE_REQUEST);
    ok(WinHttpCloseHandle(request), "close request %lu\n", GetLastError());

    /* Closed handles are invalid, also for a second close. */
    ok_err(WinHttpCloseHandle(request), ERROR_INVALID_HANDLE);
    ok_err(WinHttpCloseHandle(session), ERROR_INVALID_HANDLE);
    ok_err(WinHttpConnect(session, L"localhost", 80, 0), ERROR_INVALID_HANDLE);
}

static void test_open_parameters(void)
{
    HINTERNET session, connect, request;
    WCHAR url[128];
    DWORD size;

    ok_err(WinHttpOpen(L"t", 2, NULL, NULL, 0), ERROR_INVALID_PARAMETER);
    ok_err(WinHttpOpen(L"t", 5, NULL, NULL, 0), ERROR_INVALID_PARAMETER);
    session = WinHttpOpen(NULL, WINHTTP_ACCESS_TYPE_DEFAULT_PROXY, NULL, NULL, 0);
    ok(session != NULL, "NULL agent refused %lu\n", GetLastError());
    WinHttpCloseHandle(session);
    session = WinHttpOpen(L"t", WINHTTP_ACCESS_TYPE_AUTOMATIC_PROXY, NULL, NULL, WINHTTP_FLAG_ASYNC);
    ok(session != NULL, "automatic proxy refused %lu\n", GetLastError());

    ok_err(WinHttpConnect(session, NULL, 80, 0), ERROR_INVALID_PARAMETER);
    /* INTERNET_DEFAULT_PORT resolves by the request's scheme. */
    connect = WinHttpConnect(session, L"example.test", INTERNET_DEFAULT_PORT, 0);
    request = WinHttpOpenRequest(connect, NULL, L"/a", NULL, NULL, NULL, WINHTTP_FLAG_SECURE);
    size = sizeof(url);
    ok(WinHttpQueryOption(request, WINHTTP_OPTION_URL, url, &size), "URL %lu\n", GetLastError());
    ok_wstr(url, L"https://example.test/a");
    WinHttpCloseHandle(request);
    request = WinHttpOpenRequest(connect, NULL, NULL, NULL, NULL, NULL, 0);
    size = sizeof(url);
    ok(WinHttpQueryOption(request, WINHTTP_OPTION_URL, url, &size), "URL %lu\n", GetLastError());
    ok_wstr(url, L"http://example.test/");
    WinHttpCloseHandle(request);
    WinHttpCloseHandle(connect);
    connect = WinHttpConnect(session, L"example.test", 8080, 0);
    request = WinHttpOpenRequest(connect, L"POST", L"/x?y", L"HTTP/1.0", NULL, NULL, 0);
    size = sizeof(url);
    ok(WinHttpQueryOption(request, WINHTTP_OPTION_URL, url, &size), "URL %lu\n", GetLastError());
    ok_wstr(url, L"http://example.test:8080/x?y");
    WinHttpCloseHandle(request);
    WinHttpCloseHandle(connect);
    WinHttpCloseHandle(session);
}

static void test_context_value(void)
{
    HINTERNET session = WinHttpOpen(L"t", WINHTTP_ACCESS_TYPE_NO_PROXY, NULL, NULL, 0), connect, request;
    DWORD_PTR value = 0x12345678abcd, got = 0;
    DWORD size = sizeof(got);

    ok(WinHttpSetOption(session, WINHTTP_OPTION_CONTEXT_VALUE, &value, sizeof(value)), "set %lu\n", GetLastError());
    ok(WinHttpQueryOption(session, WINHTTP_OPTION_CONTEXT_VALUE, &got, &size) && got == value, "got %#llx\n", (unsigned long long)got);
    connect = WinHttpConnect(session, L"localhost", 80, 0);
    request = WinHttpOpenRequest(connect, NULL, NULL, NULL, NULL, NULL, 0);
    got = 1;
    size = sizeof(got);
    ok(WinHttpQueryOption(request, WINHTTP_OPTION_CONTEXT_VALUE, &got, &size), "query %lu\n", GetLastError());
    trace("request context after session context set: %#llx\n", (unsigned long long)got);
    WinHttpCloseHandle(request);
    WinHttpCloseHandle(connect);
    WinHttpCloseHandle(session);
}

/* Many threads call into a handle while another closes it: every call
 * either works or fails with ERROR_INVALID_HANDLE; nothing crashes. */
static HINTERNET shared_handle;
static volatile LONG stop_threads;
static LONG unexpected_errors;

static DWORD WINAPI hammer(void *arg)
{
    while (!stop_threads)
    {
        DWORD value = 0, size = sizeof(value);
        HINTERNET h = shared_handle;
        if (!WinHttpQueryOption(h, WINHTTP_OPTION_CONNECT_TIMEOUT, &value, &size) &&
            GetLastError() != ERROR_INVALID_HANDLE)
            InterlockedIncrement(&unexpected_errors);
        value = 1000;
        if (!WinHttpSetOption(h, WINHTTP_OPTION_CONNECT_TIMEOUT, &value, sizeof(value)) &&
            GetLastError() != ERROR_INVALID_HANDLE)
            InterlockedIncrement(&unexpected_errors);
        if (!WinHttpSetTimeouts(h, 1000, 1000, 1000, 1000) && GetLastError() != ERROR_INVALID_HANDLE)
            InterlockedIncrement(&unexpected_errors);
    }
    return 0;
}

static void test_concurrent_close(void)
{
    HANDLE threads[4];
    int round, i;

    unexpected_errors = 0;
    for (round = 0; round < 200; round++)
    {
        HINTERNET session = WinHttpOpen(L"t", WINHTTP_ACCESS_TYPE_NO_PROXY, NULL, NULL, 0);
        HINTERNET connect = WinHttpConnect(session, L"localhost", 80, 0);
        HINTERNET request = WinHttpOpenRequest(connect, NULL, NULL, NULL, NULL, NULL, 0);

        shared_handle = round % 2 ? session : request;
        stop_threads = 0;
        for (i = 0; i < 4; i++) threads[i] = CreateThread(NULL, 0, hammer, NULL, 0, NULL);
        Sleep(round % 3);
        WinHttpCloseHandle(request);
        WinHttpCloseHandle(connect);
        WinHttpCloseHandle(session);
        Sleep(1);
        stop_threads = 1;
        WaitForMultipleObjects(4, threads, TRUE, INFINITE);
        for (i = 0; i < 4; i++) CloseHandle(threads[i]);
    }
    ok(!unexpected_errors, "%ld calls failed with an error other than ERROR_INVALID_HANDLE\n", unexpected_errors);
}

/* A handle value that was closed and whose slot was reused by a new handle
 * must not reach the new object. */
static void test_stale_handle_values(void)
{
    HINTERNET first = WinHttpOpen(L"t", WINHTTP_ACCESS_TYPE_NO_PROXY, NULL, NULL, 0), second;

    WinHttpCloseHandle(first);
    second = WinHttpOpen(L"t", WINHTTP_ACCESS_TYPE_NO_PROXY, NULL, NULL, 0);
    ok(second != first, "a closed handle's value was handed out again at once\n");
    ok_err(WinHttpConnect(first, L"localhost", 80, 0), ERROR_INVALID_HANDLE);
    WinHttpCloseHandle(second);
}

static void test_many_handles(void)
{
    static HINTERNET handles[5000];
    int i, failed = 0;

    for (i = 0; i < 5000; i++)
        if (!(handles[i] = WinHttpOpen(L"t", WINHTTP_ACCESS_TYPE_NO_PROXY, NULL, NULL, 0))) failed++;
    ok(!failed, "%d of 5000 sessions failed to open\n", failed);
    for (i = 0; i < 5000; i++) if (handles[i] && !WinHttpCloseHandle(handles[i])) failed++;
    ok(!failed, "closing failed %d times\n", failed);
}

int main(void)
{
    run_test("types_and_parents", test_types_and_parents);
    run_test("open_parameters", test_open_parameters);
    run_test("context_value", test_context_value);
    run_test("concurrent_close", test_concurrent_close);
    run_test("stale_handle_values", test_stale_handle_values);
    run_test("many_handles", test_many_handles);
    return test_summary();
}
