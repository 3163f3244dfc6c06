/*
 * Hostile NTLM and Negotiate challenges (the scripted server's
 * /hostile-auth/, tests/peers/hostile_auth.py): a CHALLENGE_MESSAGE whose
 * security buffers or AV_PAIR list do not add up, SPNEGO tokens whose DER
 * framing is broken.  None of them may reach GSSAPI (gss-ntlmssp has crashed
 * on such messages): each ends the request with ERROR_WINHTTP_LOGIN_FAILURE,
 * the error WinHttpReceiveResponse documents for a login attempt that
 * failed, in synchronous and asynchronous mode alike, and the program goes
 * on.  Well-formed challenges of the same server still get answered, so the
 * checks are not merely refusing everything.
 */
#include "test.h"
#include <winhttp.h>
#include "client.h"
#include "peers.h"

static int scripted_port;
static WCHAR user[128], password[128];

struct hostile_case
{
    const WCHAR *path;      /* under /hostile-auth/ */
    DWORD error;            /* 0: the request completes with status */
    DWORD status;
};

#define REFUSED ERROR_WINHTTP_LOGIN_FAILURE, 0

static const struct hostile_case cases[] =
{
    /* Well-formed: answered (type 3, then 200), or refused by GSSAPI itself (401). */
    { L"ntlm/valid", 0, 200 },
    { L"ntlm/valid-unknown-avid", 0, 200 },
    { L"ntlm/valid-no-version", 0, 200 },
    { L"negotiate/reject", 0, 401 },
    /* Malformed NTLM CHALLENGE_MESSAGEs. */
    { L"ntlm/empty-target-name", REFUSED },
    { L"ntlm/truncated", REFUSED },
    { L"ntlm/truncated-payload", REFUSED },
    { L"ntlm/bad-signature", REFUSED },
    { L"ntlm/bad-type", REFUSED },
    { L"ntlm/offset-past-end", REFUSED },
    { L"ntlm/length-past-end", REFUSED },
    { L"ntlm/overlap-header", REFUSED },
    { L"ntlm/overlap-buffers", REFUSED },
    { L"ntlm/maxlen-below-len", REFUSED },
    { L"ntlm/no-eol", REFUSED },
    { L"ntlm/huge-avlen", REFUSED },
    { L"ntlm/empty-targetinfo", REFUSED },
    { L"ntlm/bad-timestamp", REFUSED },
    { L"ntlm/duplicate-avid", REFUSED },
    { L"ntlm/odd-name", REFUSED },
    { L"ntlm/eol-not-last", REFUSED },
    { L"ntlm/not-base64", REFUSED },
    { L"ntlm/lone-base64-char", REFUSED },
    /* Malformed SPNEGO, and malformed NTLM inside it. */
    { L"negotiate/garbage", REFUSED },
    { L"negotiate/length-past-end", REFUSED },
    { L"negotiate/inner-length-past-end", REFUSED },
    { L"negotiate/indefinite", REFUSED },
    { L"negotiate/too-deep", REFUSED },
    { L"negotiate/trailing", REFUSED },
    { L"negotiate/truncated", REFUSED },
    { L"negotiate/ntlm-no-eol", REFUSED },
    { L"negotiate/ntlm-huge-avlen", REFUSED },
    { L"negotiate/ntlm-empty-target-name", REFUSED },
    { L"negotiate/raw-ntlm-no-eol", REFUSED },
    /* The same in the 200 that ends the exchange: the server did not prove
     * who it is. */
    { L"negotiate/final-indefinite", REFUSED },
    { L"negotiate/final-ntlm-no-eol", REFUSED },
};

static DWORD scheme_of(const struct hostile_case *c)
{
    return wcsncmp(c->path, L"ntlm/", 5) ? WINHTTP_AUTH_SCHEME_NEGOTIATE : WINHTTP_AUTH_SCHEME_NTLM;
}

static HINTERNET open_case(HINTERNET session, const struct hostile_case *c)
{
    HINTERNET connect, request;
    WCHAR path[256];

    swprintf(path, ARRAYSIZE(path), L"/hostile-auth/%ls", c->path);
    connect = WinHttpConnect(session, L"127.0.0.1", (INTERNET_PORT)scripted_port, 0);
    ok(connect != NULL, "WinHttpConnect: %lu\n", GetLastError());
    request = WinHttpOpenRequest(connect, L"GET", path, NULL, NULL, NULL, 0);
    ok(request != NULL, "WinHttpOpenRequest: %lu\n", GetLastError());
    WinHttpCloseHandle(connect);
    /* Set before sending: the engine answers the server's challenges itself. */
    ok(WinHttpSetCredentials(request, WINHTTP_AUTH_TARGET_SERVER, scheme_of(c), user, password, NULL),
       "%ls: SetCredentials: %lu\n", c->path, GetLastError());
    return request;
}

static void check_result(const struct hostile_case *c, const char *mode, DWORD status, DWORD error)
{
    if (c->error)
        ok(!status && error == c->error, "%s %ls: expected error %lu, got status %lu error %lu\n", mode, c->path,
           c->error, status, error);
    else
        ok(status == c->status && !error, "%s %ls: expected status %lu, got status %lu error %lu\n", mode, c->path,
           c->status, status, error);
}

/* The process is alive and the session still works after each refusal. */
static void check_alive(HINTERNET session, const char *mode)
{
    HINTERNET connect = WinHttpConnect(session, L"127.0.0.1", (INTERNET_PORT)scripted_port, 0);
    HINTERNET request = WinHttpOpenRequest(connect, L"GET", L"/echo/after-hostile", NULL, NULL, NULL, 0);
    ok_status(request, 200);
    (void)mode;
    WinHttpCloseHandle(request);
    WinHttpCloseHandle(connect);
}

static void test_sync(void)
{
    HINTERNET session;
    unsigned int i;

    if (!scripted_port)
    {
        skip("no scripted server (run through tools/run-tests)\n");
        return;
    }
    session = WinHttpOpen(L"winhttp-hostile-auth", WINHTTP_ACCESS_TYPE_NO_PROXY, NULL, NULL, 0);
    for (i = 0; i < ARRAYSIZE(cases); i++)
    {
        HINTERNET request = open_case(session, &cases[i]);
        DWORD error, status = send_request(request, &error);

        check_result(&cases[i], "sync", status, error);
        WinHttpCloseHandle(request);
    }
    check_alive(session, "sync");
    WinHttpCloseHandle(session);
}

static void test_async(void)
{
    struct async_wait w = {0};
    HINTERNET session;
    unsigned int i;

    if (!scripted_port)
    {
        skip("no scripted server (run through tools/run-tests)\n");
        return;
    }
    w.event = CreateEventW(NULL, TRUE, FALSE, NULL);
    session = WinHttpOpen(L"winhttp-hostile-auth", WINHTTP_ACCESS_TYPE_NO_PROXY, NULL, NULL, WINHTTP_FLAG_ASYNC);
    ok(WinHttpSetStatusCallback(session, async_wait_callback, WINHTTP_CALLBACK_FLAG_ALL_COMPLETIONS, 0) !=
       WINHTTP_INVALID_STATUS_CALLBACK, "callback: %lu\n", GetLastError());
    for (i = 0; i < ARRAYSIZE(cases); i++)
    {
        HINTERNET request = open_case(session, &cases[i]);
        DWORD status = 0, error = 0;

        w.status = w.error = 0;
        w.api = 0;
        ResetEvent(w.event);
        ok(WinHttpSendRequest(request, NULL, 0, NULL, 0, 0, (DWORD_PTR)&w), "%ls: send: %lu\n", cases[i].path,
           GetLastError());
        ok(!WaitForSingleObject(w.event, 10000) && w.status == WINHTTP_CALLBACK_STATUS_SENDREQUEST_COMPLETE,
           "%ls: send completion %#lx\n", cases[i].path, w.status);
        ResetEvent(w.event);
        ok(WinHttpReceiveResponse(request, NULL), "%ls: receive: %lu\n", cases[i].path, GetLastError());
        ok(!WaitForSingleObject(w.event, 10000), "%ls: no completion\n", cases[i].path);
        if (w.status == WINHTTP_CALLBACK_STATUS_HEADERS_AVAILABLE) status = status_of(request);
        else if (w.status == WINHTTP_CALLBACK_STATUS_REQUEST_ERROR)
        {
            error = w.error;
            ok(w.api == API_RECEIVE_RESPONSE, "%ls: error from API %Iu\n", cases[i].path, w.api);
        }
        check_result(&cases[i], "async", status, error);
        WinHttpCloseHandle(request);
    }
    WinHttpSetStatusCallback(session, NULL, 0, 0);
    WinHttpCloseHandle(session);
    Sleep(100);     /* callbacks may still run on the closed handles for a moment */
    CloseHandle(w.event);

    /* And the process goes on with a new session. */
    session = WinHttpOpen(L"winhttp-hostile-auth", WINHTTP_ACCESS_TYPE_NO_PROXY, NULL, NULL, 0);
    check_alive(session, "async");
    WinHttpCloseHandle(session);
}

int main(void)
{
    char value[128];

    scripted_port = peer_port("WINHTTP_TEST_SCRIPTED_PORT");
    /* Any credentials do: the scripted server checks none.  A domain the
     * KDC does not know keeps Negotiate on NTLM. */
    swprintf(user, ARRAYSIZE(user), L"HOSTILE\\mallory");
    if (peer_env("WINHTTP_TEST_AUTH_PASSWORD", value, sizeof(value)))
        MultiByteToWideChar(CP_UTF8, 0, value, -1, password, ARRAYSIZE(password));
    else wcscpy(password, L"secret");

    run_test("sync", test_sync);
    run_test("async", test_async);
    return test_summary();
}
