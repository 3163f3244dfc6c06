/*
 * WinHttpQueryOption and WinHttpSetOption: which option applies to which
 * handle, buffer sizes, defaults, inheritance from the session, write-only
 * credentials, and WinHttpSetTimeouts seen through the options.
 *
 * Expectations come from the WinHttpQueryOption / WinHttpSetOption and
 * "Option Flags" reference pages.  Where Wine's builtin answers differently
 * the reference wins; the differences are:
 *   - an option the handle type does not take: WinHttpQueryOption's remarks
 *     say ERROR_INVALID_PARAMETER (builtin agrees), an unknown option is
 *     ERROR_WINHTTP_INVALID_OPTION (builtin: ERROR_INVALID_PARAMETER);
 *   - setting a query-only option is ERROR_WINHTTP_OPTION_NOT_SETTABLE
 *     (builtin: ERROR_WINHTTP_INVALID_OPTION);
 *   - documented defaults: connect timeout 60 s and receive-response
 *     timeout 90 s (builtin: 20 s and infinite);
 *   - out-of-range values (redirect policy, secure protocols, autologon
 *     policy) fail with ERROR_INVALID_PARAMETER (builtin stores them);
 *   - a set buffer larger than the value is accepted (builtin rejects most);
 *   - USER_AGENT, URL, PROXY, HANDLE_TYPE and many newer options, which the
 *     builtin does not implement.
 */
#include "test.h"
#include <winhttp.h>

static const WCHAR agent[] = L"winhttp option test";

/* Handle types in the expectations below. */
#define S  0x01     /* session */
#define C  0x02     /* connect */
#define R  0x04     /* request */
#define N  0x08     /* the NULL handle of the process-wide options */
#define E  0x10     /* on a request before sending: ERROR_WINHTTP_INCORRECT_HANDLE_STATE */
#define U  0x20     /* not supported: ERROR_WINHTTP_INVALID_OPTION everywhere */
#define F  0x40     /* a set-only feature switch: a query is ERROR_INVALID_PARAMETER (Windows) */

static DWORD dw_zero = 0, dw_one = 1, dw_big = 65536, dw_protocols = WINHTTP_FLAG_SECURE_PROTOCOL_TLS1_2;
static DWORD dw_security = SECURITY_FLAG_IGNORE_UNKNOWN_CA, dw_disable = WINHTTP_DISABLE_COOKIES;
static DWORD dw_enable = WINHTTP_ENABLE_SSL_REVOCATION, dw_passport = WINHTTP_ENABLE_PASSPORT_AUTH;
static DWORD_PTR ptr_value = 0x1234;
static HANDLE no_event;
static WINHTTP_PROXY_INFO no_proxy = { WINHTTP_ACCESS_TYPE_NO_PROXY, NULL, NULL };
static WINHTTP_PROXY_RESULT_ENTRY direct_entry = { FALSE, FALSE, INTERNET_SCHEME_HTTP, NULL, 0 };
static HTTP_VERSION_INFO http11 = { 1, 1 };
static ULONG tcp_keepalive[3] = { 1, 60000, 1000 };
static WINHTTP_FAILED_CONNECTION_RETRIES retries = { 1, WINHTTP_CONNECTION_RETRY_CONDITION_408 };
static WINHTTP_RESOLVER_CACHE_CONFIG resolver_cache;
static WINHTTP_MATCH_CONNECTION_GUID match_guid;
static WINHTTP_CREDS_EX creds;

struct option_case
{
    DWORD id;
    const char *name;
    unsigned int query_on, set_on;
    const void *value;          /* a valid value to set */
    DWORD size;                 /* its size (characters for USER_AGENT and the credentials) */
};

#define OPT(x) WINHTTP_OPTION_##x, #x

/* Every WINHTTP_OPTION_* of the SDK header. */
static const struct option_case option_cases[] =
{
    { OPT(CALLBACK),                        S|C|R,   0,     NULL, 0 },
    { OPT(RESOLVE_TIMEOUT),                 S|C|R,   S|R,   &dw_big, 4 },
    { OPT(CONNECT_TIMEOUT),                 S|C|R,   S|R,   &dw_big, 4 },
    { OPT(CONNECT_RETRIES),                 S|C|R,   S|R,   &dw_one, 4 },
    { OPT(SEND_TIMEOUT),                    S|C|R,   S|R,   &dw_big, 4 },
    { OPT(RECEIVE_TIMEOUT),                 S|C|R,   S|R,   &dw_big, 4 },
    { OPT(RECEIVE_RESPONSE_TIMEOUT),        S|C|R,   S|R,   &dw_big, 4 },
    { OPT(HANDLE_TYPE),                     S|C|R,   0,     NULL, 0 },
    { OPT(READ_BUFFER_SIZE),                S|R,     S|R,   &dw_big, 4 },
    { OPT(WRITE_BUFFER_SIZE),               S|R,     S|R,   &dw_big, 4 },
    { OPT(PARENT_HANDLE),                   S|C|R,   0,     NULL, 0 },
    { OPT(EXTENDED_ERROR),                  N|S|C|R, 0,     NULL, 0 },
    { OPT(SECURITY_FLAGS),                  R,       R,     &dw_security, 4 },
    { OPT(SECURITY_CERTIFICATE_STRUCT),     R|E,     0,     NULL, 0 },
    { OPT(URL),                             R,       0,     NULL, 0 },
    { OPT(SECURITY_KEY_BITNESS),            R|E,     0,     NULL, 0 },
    { OPT(PROXY),                           S|R,     S|R,   &no_proxy, sizeof(no_proxy) },
    { OPT(PROXY_RESULT_ENTRY),              0,       R,     &direct_entry, sizeof(direct_entry) },
    { OPT(USER_AGENT),                      S,       S,     agent, ARRAYSIZE(agent) },
    { OPT(CONTEXT_VALUE),                   S|C|R,   S|C|R, &ptr_value, sizeof(ptr_value) },
    { OPT(CLIENT_CERT_CONTEXT),             0,       R,     NULL, 0 },
    { OPT(REQUEST_PRIORITY),                R,       R,     &dw_one, 4 },
    { OPT(HTTP_VERSION),                    N|S|C|R, N|S|C|R, &http11, sizeof(http11) },
    { OPT(DISABLE_FEATURE),                 0,       R|F,   &dw_disable, 4 },
    { OPT(CODEPAGE),                        S|R,     S|R,   &dw_zero, 4 },
    { OPT(MAX_CONNS_PER_SERVER),            S,       S,     &dw_one, 4 },
    { OPT(MAX_CONNS_PER_1_0_SERVER),        S,       S,     &dw_one, 4 },
    { OPT(AUTOLOGON_POLICY),                S|R,     S|R,   &dw_one, 4 },
    { OPT(SERVER_CERT_CONTEXT),             R|E,     0,     NULL, 0 },
    { OPT(ENABLE_FEATURE),                  0,       S|R|F, &dw_enable, 4 },
    { OPT(WORKER_THREAD_COUNT),             N|S|C|R, N,     &dw_zero, 4 },
    { OPT(PASSPORT_COBRANDING_TEXT),        R|E,     0,     NULL, 0 },
    { OPT(PASSPORT_COBRANDING_URL),         R|E,     0,     NULL, 0 },
    { OPT(CONFIGURE_PASSPORT_AUTH),         S,       S,     &dw_passport, 4 },
    { OPT(SECURE_PROTOCOLS),                S,       S,     &dw_protocols, 4 },
    { OPT(ENABLETRACING),                   N,       N,     &dw_zero, 4 },
    { OPT(PASSPORT_SIGN_OUT),               0,       S,     &dw_zero, 4 },
    { OPT(PASSPORT_RETURN_URL),             R|E,     0,     NULL, 0 },
    { OPT(REDIRECT_POLICY),                 S|R,     S|R,   &dw_one, 4 },
    { OPT(MAX_HTTP_AUTOMATIC_REDIRECTS),    S|R,     S|R,   &dw_one, 4 },
    { OPT(MAX_HTTP_STATUS_CONTINUE),        S|R,     S|R,   &dw_one, 4 },
    { OPT(MAX_RESPONSE_HEADER_SIZE),        S|R,     S|R,   &dw_big, 4 },
    { OPT(MAX_RESPONSE_DRAIN_SIZE),         S|R,     S|R,   &dw_big, 4 },
    { OPT(CONNECTION_INFO),                 R|E,     0,     NULL, 0 },
    { OPT(CLIENT_CERT_ISSUER_LIST),         R|E,     0,     NULL, 0 },
    { OPT(SPN),                             R,       R,     &dw_one, 4 },
    { OPT(GLOBAL_PROXY_CREDS),              0,       S|R,   &creds, sizeof(creds) },
    { OPT(GLOBAL_SERVER_CREDS),             0,       S|R,   &creds, sizeof(creds) },
    { OPT(UNLOAD_NOTIFY_EVENT),             0,       N|S,   &no_event, sizeof(no_event) },
    { OPT(REJECT_USERPWD_IN_URL),           S|R,     S|R,   &dw_one, 4 },
    { OPT(USE_GLOBAL_SERVER_CREDENTIALS),   S|R,     S|R,   &dw_zero, 4 },
    { OPT(RECEIVE_PROXY_CONNECT_RESPONSE),  R,       R,     &dw_one, 4 },
    { OPT(IS_PROXY_CONNECT_RESPONSE),       R,       0,     NULL, 0 },
    { OPT(SERVER_SPN_USED),                 R|E,     0,     NULL, 0 },
    { OPT(PROXY_SPN_USED),                  R|E,     0,     NULL, 0 },
    { OPT(SERVER_CBT),                      R|E,     0,     NULL, 0 },
    { OPT(UNSAFE_HEADER_PARSING),           0,       R,     &dw_one, 4 },
    { OPT(ASSURED_NON_BLOCKING_CALLBACKS),  S|R,     S|R,   &dw_one, 4 },
    { OPT(UPGRADE_TO_WEB_SOCKET),           0,       R,     NULL, 0 },
    { OPT(WEB_SOCKET_CLOSE_TIMEOUT),        S|R,     S|R,   &dw_big, 4 },
    /* WEB_SOCKET_KEEPALIVE_INTERVAL and the WEB_SOCKET_*_BUFFER_SIZEs answer
     * wrong handle types their own way: test_websocket_options. */
    { OPT(DECOMPRESSION),                   S|R,     S|R,   &dw_one, 4 },
    { OPT(TCP_PRIORITY_HINT),               S|R,     S|R,   &dw_one, 4 },
    { OPT(CONNECTION_FILTER),               0,       S|R,   &dw_zero, 4 },
    { OPT(ENABLE_HTTP_PROTOCOL),            S|R,     S|R,   &dw_one, 4 },
    { OPT(HTTP_PROTOCOL_USED),              R,       0,     NULL, 0 },
    { OPT(KDC_PROXY_SETTINGS),              0,       S|R,   &dw_zero, 4 },
    { OPT(PROXY_DISABLE_SERVICE_CALLS),     S,       S,     &dw_one, 4 },
    { OPT(ENCODE_EXTRA),                    S|R,     S|R,   &dw_one, 4 },
    { OPT(DISABLE_STREAM_QUEUE),            S|R,     S|R,   &dw_one, 4 },
    { OPT(IPV6_FAST_FALLBACK),              S,       S,     &dw_one, 4 },
    { OPT(CONNECTION_STATS_V0),             R|E,     0,     NULL, 0 },
    { OPT(REQUEST_TIMES),                   R|E,     0,     NULL, 0 },
    { OPT(EXPIRE_CONNECTION),               0,       R,     NULL, 0 },
    { OPT(DISABLE_SECURE_PROTOCOL_FALLBACK), S|R,    S|R,   &dw_one, 4 },
    { OPT(HTTP_PROTOCOL_REQUIRED),          S|R,     S|R,   &dw_one, 4 },
    { OPT(REQUEST_STATS),                   R|E,     0,     NULL, 0 },
    { OPT(SERVER_CERT_CHAIN_CONTEXT),       R|E,     0,     NULL, 0 },
    { OPT(CONNECTION_STATS_V1),             R|E,     0,     NULL, 0 },
    { OPT(SECURITY_INFO),                   R|E,     0,     NULL, 0 },
    { OPT(TCP_KEEPALIVE),                   S,       S,     tcp_keepalive, sizeof(tcp_keepalive) },
    { OPT(TCP_FAST_OPEN),                   S,       S,     &dw_one, 4 },
    { OPT(TLS_FALSE_START),                 S,       S,     &dw_one, 4 },
    { OPT(IGNORE_CERT_REVOCATION_OFFLINE),  S|R,     S|R,   &dw_one, 4 },
    { OPT(TLS_PROTOCOL_INSECURE_FALLBACK),  S|R,     S|R,   &dw_zero, 4 },
    { OPT(STREAM_ERROR_CODE),               R|E,     0,     NULL, 0 },
    { OPT(REQUIRE_STREAM_END),              S|R,     S|R,   &dw_one, 4 },
    { OPT(ENABLE_HTTP2_PLUS_CLIENT_CERT),   S|R,     S|R,   &dw_one, 4 },
    { OPT(FAILED_CONNECTION_RETRIES),       S|R,     S|R,   &retries, sizeof(retries) },
    { OPT(SET_GLOBAL_CALLBACK),             0,       N|S,   &dw_zero, 4 },
    { OPT(HTTP2_KEEPALIVE),                 S|R,     S|R,   &dw_big, 4 },
    { OPT(RESOLUTION_HOSTNAME),             0,       R,     L"localhost", 9 * sizeof(WCHAR) },
    { OPT(SET_TOKEN_BINDING),               0,       R,     &dw_zero, 4 },
    { OPT(TOKEN_BINDING_PUBLIC_KEY),        R|E,     0,     NULL, 0 },
    { OPT(REFERER_TOKEN_BINDING_HOSTNAME),  0,       R,     L"localhost", 9 * sizeof(WCHAR) },
    { OPT(HTTP2_PLUS_TRANSFER_ENCODING),    S|R,     S|R,   &dw_one, 4 },
    { OPT(RESOLVER_CACHE_CONFIG),           S,       S,     &resolver_cache, sizeof(resolver_cache) },
    { OPT(DISABLE_CERT_CHAIN_BUILDING),     S|R,     S|R,   &dw_one, 4 },
    { OPT(BACKGROUND_CONNECTIONS),          S,       S,     &dw_one, 4 },
    { OPT(TCP_PRIORITY_STATUS),             R|E,     0,     NULL, 0 },
    { OPT(CONNECTION_GUID),                 R|E,     0,     NULL, 0 },
    { OPT(MATCH_CONNECTION_GUID),           R,       R,     &match_guid, sizeof(match_guid) },
    { OPT(PROXY_CONFIG_INFO),               0,       S|R,   &dw_zero, 4 },
    { OPT(HTTP2_RECEIVE_WINDOW),            S|R,     S|R,   &dw_big, 4 },
    { OPT(FEATURE_SUPPORTED),               U,       U,     &dw_zero, 4 },
    { OPT(QUIC_STATS),                      R|E,     0,     NULL, 0 },
    { OPT(HTTP3_KEEPALIVE),                 S|R,     S|R,   &dw_big, 4 },
    { OPT(HTTP3_HANDSHAKE_TIMEOUT),         S|R,     S|R,   &dw_big, 4 },
    { OPT(HTTP3_INITIAL_RTT),               S|R,     S|R,   &dw_big, 4 },
    { OPT(HTTP3_STREAM_ERROR_CODE),         R|E,     0,     NULL, 0 },
    { OPT(REQUEST_ANNOTATION),              0,       R,     L"note", 4 * sizeof(WCHAR) },
    { OPT(DISABLE_GLOBAL_POOLING),          S,       S,     &dw_one, 4 },
    { OPT(USE_SESSION_SCH_CRED),            S,       S,     &dw_one, 4 },
    { OPT(USERNAME),                        R,       R,     L"user", 4 },
    { OPT(PASSWORD),                        R,       R,     L"secret", 6 },
    { OPT(PROXY_USERNAME),                  S|R,     S|R,   L"puser", 5 },
    { OPT(PROXY_PASSWORD),                  S|R,     S|R,   L"psecret", 7 },
};

struct handles
{
    HINTERNET session, connect, request;
};

static void open_handles(struct handles *h, DWORD request_flags)
{
    h->session = WinHttpOpen(agent, WINHTTP_ACCESS_TYPE_NO_PROXY, NULL, NULL, 0);
    ok(h->session != NULL, "WinHttpOpen failed: %lu\n", GetLastError());
    h->connect = WinHttpConnect(h->session, L"localhost", INTERNET_DEFAULT_PORT, 0);
    ok(h->connect != NULL, "WinHttpConnect failed: %lu\n", GetLastError());
    h->request = WinHttpOpenRequest(h->connect, L"GET", L"/path?q=1", NULL, NULL, NULL, request_flags);
    ok(h->request != NULL, "WinHttpOpenRequest failed: %lu\n", GetLastError());
}

static void close_handles(struct handles *h)
{
    WinHttpCloseHandle(h->request);
    WinHttpCloseHandle(h->connect);
    WinHttpCloseHandle(h->session);
}

static DWORD query_dword(HINTERNET handle, DWORD option)
{
    DWORD value = 0xdeadbeef, size = sizeof(value);
    BOOL ret = WinHttpQueryOption(handle, option, &value, &size);
    ok(ret, "query option %lu failed: %lu\n", option, GetLastError());
    ok(size == sizeof(DWORD), "option %lu: expected size 4, got %lu\n", option, size);
    return value;
}

static BOOL set_dword(HINTERNET handle, DWORD option, DWORD value)
{
    return WinHttpSetOption(handle, option, &value, sizeof(value));
}

/* ------------------------------------------------------------------ */

static void check_query(const struct option_case *c, HINTERNET handle, unsigned int type)
{
    union { BYTE bytes[1024]; ULONGLONG align; } buffer;
    DWORD size = sizeof(buffer), err, expect;
    BOOL ret;

    if (c->query_on & U) expect = ERROR_WINHTTP_INVALID_OPTION;
    else if (!handle && !(c->query_on & N)) expect = ERROR_INVALID_HANDLE;
    else if (c->set_on & F) expect = ERROR_INVALID_PARAMETER;               /* feature switch */
    else if (!(c->query_on & ~E)) expect = ERROR_WINHTTP_INVALID_OPTION;     /* set-only */
    else if (!(c->query_on & type)) expect = ERROR_INVALID_PARAMETER;
    else if (c->query_on & E) expect = ERROR_WINHTTP_INCORRECT_HANDLE_STATE;
    else expect = ERROR_SUCCESS;

    memset(&buffer, 0, sizeof(buffer));
    SetLastError(0xdeadbeef);
    ret = WinHttpQueryOption(handle, c->id, &buffer, &size);
    err = GetLastError();
    ok(ret == !expect && err == expect, "query %s on handle type %#x: expected %lu, got ret %d error %lu\n",
       c->name, type, expect, ret, err);
    if (ret && c->id == WINHTTP_OPTION_PROXY)
    {
        WINHTTP_PROXY_INFO *info = (WINHTTP_PROXY_INFO *)&buffer;
        GlobalFree(info->lpszProxy);
        GlobalFree(info->lpszProxyBypass);
    }
}

static void check_set(const struct option_case *c, HINTERNET handle, unsigned int type)
{
    DWORD err, expect;
    BOOL ret;

    if (c->set_on & U) expect = handle ? ERROR_WINHTTP_INVALID_OPTION : ERROR_INVALID_HANDLE;
    else if (!handle && !(c->set_on & N)) expect = ERROR_INVALID_HANDLE;
    else if (!c->set_on) expect = ERROR_WINHTTP_OPTION_NOT_SETTABLE;
    else if (!(c->set_on & type)) expect = ERROR_WINHTTP_INCORRECT_HANDLE_TYPE;
    else expect = ERROR_SUCCESS;

    SetLastError(0xdeadbeef);
    ret = WinHttpSetOption(handle, c->id, (void *)c->value, c->size);
    err = GetLastError();
    ok(ret == !expect && err == expect, "set %s on handle type %#x: expected %lu, got ret %d error %lu\n",
       c->name, type, expect, ret, err);
}

/* Every option on every handle type: who may query it, who may set it. */
static void test_matrix(void)
{
    unsigned int i;

    ok_u(ARRAYSIZE(option_cases), 116);    /* the SDK's options but the three test_websocket_options covers */
    for (i = 0; i < ARRAYSIZE(option_cases); i++)
    {
        const struct option_case *c = &option_cases[i];
        struct handles h;

        /* An https request: some options (client certificates) are for those only. */
        open_handles(&h, WINHTTP_FLAG_SECURE);
        check_query(c, NULL, N);
        check_query(c, h.session, S);
        check_query(c, h.connect, C);
        check_query(c, h.request, R);
        check_set(c, NULL, N);
        check_set(c, h.session, S);
        check_set(c, h.connect, C);
        check_set(c, h.request, R);
        close_handles(&h);
    }
}

static void test_unknown_options(void)
{
    static const DWORD unknown[] = { 0, 8, 10, 11, 22, 197, 999, 0xfff, 0x1004, 0xffffffff };
    struct handles h;
    DWORD value = 0, size, i;

    open_handles(&h, 0);
    for (i = 0; i < ARRAYSIZE(unknown); i++)
    {
        size = sizeof(value);
        /* Windows: querying an option it does not know is a bad parameter,
         * setting one an invalid option (Wine's conformance tests, option 0). */
        ok_err(WinHttpQueryOption(h.session, unknown[i], &value, &size), ERROR_INVALID_PARAMETER);
        ok_err(WinHttpQueryOption(h.connect, unknown[i], &value, &size), ERROR_INVALID_PARAMETER);
        ok_err(WinHttpQueryOption(h.request, unknown[i], &value, &size), ERROR_INVALID_PARAMETER);
        ok_err(WinHttpSetOption(h.request, unknown[i], &value, sizeof(value)), ERROR_WINHTTP_INVALID_OPTION);
        ok_err(WinHttpSetOption(h.session, unknown[i], &value, sizeof(value)), ERROR_WINHTTP_INVALID_OPTION);
        ok_err(WinHttpSetOption(h.connect, unknown[i], &value, sizeof(value)), ERROR_WINHTTP_INVALID_OPTION);
        /* The handle is checked first. */
        ok_err(WinHttpQueryOption(NULL, unknown[i], &value, &size), ERROR_INVALID_HANDLE);
        ok_err(WinHttpSetOption(NULL, unknown[i], &value, sizeof(value)), ERROR_INVALID_HANDLE);
    }
    close_handles(&h);
}

static void test_bad_handles(void)
{
    HINTERNET garbage[] = { (HINTERNET)(ULONG_PTR)1, (HINTERNET)(ULONG_PTR)0xdeadbeef, (HINTERNET)(ULONG_PTR)-1 };
    DWORD value = 1, size;
    struct handles h;
    unsigned int i;

    for (i = 0; i < ARRAYSIZE(garbage); i++)
    {
        size = sizeof(value);
        ok_err(WinHttpQueryOption(garbage[i], WINHTTP_OPTION_CONNECT_TIMEOUT, &value, &size), ERROR_INVALID_HANDLE);
        ok_err(WinHttpSetOption(garbage[i], WINHTTP_OPTION_CONNECT_TIMEOUT, &value, sizeof(value)), ERROR_INVALID_HANDLE);
        ok_err(WinHttpQueryOption(garbage[i], WINHTTP_OPTION_EXTENDED_ERROR, &value, &size), ERROR_INVALID_HANDLE);
    }

    open_handles(&h, 0);
    close_handles(&h);
    size = sizeof(value);
    ok_err(WinHttpQueryOption(h.session, WINHTTP_OPTION_HANDLE_TYPE, &value, &size), ERROR_INVALID_HANDLE);
    ok_err(WinHttpQueryOption(h.request, WINHTTP_OPTION_URL, &value, &size), ERROR_INVALID_HANDLE);
    ok_err(WinHttpSetOption(h.request, WINHTTP_OPTION_CONTEXT_VALUE, &value, sizeof(DWORD_PTR)), ERROR_INVALID_HANDLE);
    ok_err(WinHttpSetOption(h.connect, WINHTTP_OPTION_CONTEXT_VALUE, &value, sizeof(DWORD_PTR)), ERROR_INVALID_HANDLE);
}

/* A child handle outlives its closed parent and still answers. */
static void test_child_after_parent_closed(void)
{
    struct handles h;

    open_handles(&h, 0);
    ok(WinHttpCloseHandle(h.session), "close session failed\n");
    ok(WinHttpCloseHandle(h.connect), "close connect failed\n");
    ok_u(query_dword(h.request, WINHTTP_OPTION_HANDLE_TYPE), WINHTTP_HANDLE_TYPE_REQUEST);
    ok(set_dword(h.request, WINHTTP_OPTION_REDIRECT_POLICY, WINHTTP_OPTION_REDIRECT_POLICY_NEVER), "set failed\n");
    ok_u(query_dword(h.request, WINHTTP_OPTION_REDIRECT_POLICY), WINHTTP_OPTION_REDIRECT_POLICY_NEVER);
    ok(WinHttpCloseHandle(h.request), "close request failed\n");
}

/* ------------------------------------------------------------------ */

static void test_query_buffer_sizes(void)
{
    struct handles h;
    DWORD value, size;
    DWORD_PTR ptr;
    BYTE big[64];

    open_handles(&h, 0);

    /* NULL buffer: ERROR_INSUFFICIENT_BUFFER and the size needed. */
    size = 0;
    ok_err(WinHttpQueryOption(h.session, WINHTTP_OPTION_CONNECT_TIMEOUT, NULL, &size), ERROR_INSUFFICIENT_BUFFER);
    ok_u(size, sizeof(DWORD));
    size = 100;
    ok_err(WinHttpQueryOption(h.session, WINHTTP_OPTION_CONNECT_TIMEOUT, NULL, &size), ERROR_INSUFFICIENT_BUFFER);
    ok_u(size, sizeof(DWORD));
    /* Too small a buffer. */
    size = 0;
    ok_err(WinHttpQueryOption(h.session, WINHTTP_OPTION_CONNECT_TIMEOUT, &value, &size), ERROR_INSUFFICIENT_BUFFER);
    ok_u(size, sizeof(DWORD));
    size = 3;
    ok_err(WinHttpQueryOption(h.session, WINHTTP_OPTION_CONNECT_TIMEOUT, &value, &size), ERROR_INSUFFICIENT_BUFFER);
    ok_u(size, sizeof(DWORD));
    /* Pointer-sized values. */
    size = sizeof(DWORD);
    ok_err(WinHttpQueryOption(h.session, WINHTTP_OPTION_CONTEXT_VALUE, &ptr, &size), ERROR_INSUFFICIENT_BUFFER);
    ok_u(size, sizeof(DWORD_PTR));
    size = 0;
    ok_err(WinHttpQueryOption(h.request, WINHTTP_OPTION_PARENT_HANDLE, NULL, &size), ERROR_INSUFFICIENT_BUFFER);
    ok_u(size, sizeof(HINTERNET));
    /* A larger buffer is fine; the size says what was written. */
    size = sizeof(big);
    ok(WinHttpQueryOption(h.session, WINHTTP_OPTION_CONNECT_TIMEOUT, big, &size), "query failed %lu\n", GetLastError());
    ok_u(size, sizeof(DWORD));
    /* No size pointer. */
    ok_err(WinHttpQueryOption(h.session, WINHTTP_OPTION_CONNECT_TIMEOUT, &value, NULL), ERROR_INVALID_PARAMETER);
    /* Structures. */
    size = 0;
    ok_err(WinHttpQueryOption(h.session, WINHTTP_OPTION_PROXY, NULL, &size), ERROR_INSUFFICIENT_BUFFER);
    ok_u(size, sizeof(WINHTTP_PROXY_INFO));
    size = 0;
    ok_err(WinHttpQueryOption(NULL, WINHTTP_OPTION_HTTP_VERSION, NULL, &size), ERROR_INSUFFICIENT_BUFFER);
    ok_u(size, sizeof(HTTP_VERSION_INFO));
    /* Success sets the last error. */
    SetLastError(0xdeadbeef);
    size = sizeof(value);
    ok(WinHttpQueryOption(h.session, WINHTTP_OPTION_CONNECT_TIMEOUT, &value, &size), "query failed\n");
    ok_u(GetLastError(), ERROR_SUCCESS);

    close_handles(&h);
}

static void test_query_strings(void)
{
    static const WCHAR url[] = L"http://localhost/path?q=1";
    WCHAR buffer[64];
    struct handles h;
    DWORD size;

    open_handles(&h, 0);

    /* Sizes in bytes: with the terminator when asking, without when answering. */
    size = 0;
    ok_err(WinHttpQueryOption(h.request, WINHTTP_OPTION_URL, NULL, &size), ERROR_INSUFFICIENT_BUFFER);
    ok_u(size, sizeof(url));
    size = sizeof(url) - sizeof(WCHAR);
    ok_err(WinHttpQueryOption(h.request, WINHTTP_OPTION_URL, buffer, &size), ERROR_INSUFFICIENT_BUFFER);
    ok_u(size, sizeof(url));
    size = sizeof(url);
    ok(WinHttpQueryOption(h.request, WINHTTP_OPTION_URL, buffer, &size), "query URL failed %lu\n", GetLastError());
    ok_u(size, sizeof(url) - sizeof(WCHAR));
    ok_wstr(buffer, url);

    size = sizeof(buffer);
    ok(WinHttpQueryOption(h.session, WINHTTP_OPTION_USER_AGENT, buffer, &size), "query agent failed %lu\n", GetLastError());
    ok_u(size, sizeof(agent) - sizeof(WCHAR));
    ok_wstr(buffer, agent);

    close_handles(&h);
}

static void test_set_buffer_sizes(void)
{
    struct handles h;
    DWORD value = 5000;
    ULONGLONG wide = 7000;
    DWORD_PTR ctx = 42;

    open_handles(&h, 0);
    /* Windows: size 0 is a bad parameter, a DWORD of any other size than
     * 4 (larger too) is refused as a short buffer. */
    ok_err(WinHttpSetOption(h.session, WINHTTP_OPTION_CONNECT_TIMEOUT, &value, 0), ERROR_INVALID_PARAMETER);
    ok_err(WinHttpSetOption(h.session, WINHTTP_OPTION_CONNECT_TIMEOUT, &value, 3), ERROR_INSUFFICIENT_BUFFER);
    ok_err(WinHttpSetOption(h.session, WINHTTP_OPTION_CONTEXT_VALUE, &ctx, sizeof(DWORD)), ERROR_INSUFFICIENT_BUFFER);
    ok_err(WinHttpSetOption(h.session, WINHTTP_OPTION_PROXY, &value, sizeof(value)), ERROR_INSUFFICIENT_BUFFER);
    ok_err(WinHttpSetOption(h.session, WINHTTP_OPTION_CONNECT_TIMEOUT, &wide, sizeof(wide)), ERROR_INSUFFICIENT_BUFFER);
    ok_err(WinHttpSetOption(h.session, WINHTTP_OPTION_REDIRECT_POLICY, &value, sizeof(value) + 1), ERROR_INSUFFICIENT_BUFFER);
    ok_u(query_dword(h.session, WINHTTP_OPTION_CONNECT_TIMEOUT), 60000);
    SetLastError(0xdeadbeef);
    ok(WinHttpSetOption(h.session, WINHTTP_OPTION_CONNECT_TIMEOUT, &value, sizeof(value)), "set failed\n");
    ok_u(GetLastError(), ERROR_SUCCESS);
    ok_u(query_dword(h.session, WINHTTP_OPTION_CONNECT_TIMEOUT), 5000);
    close_handles(&h);
}

/* ------------------------------------------------------------------ */

static void test_defaults(void)
{
    struct handles h;
    HINTERNET handles[2];
    unsigned int i;

    open_handles(&h, 0);
    handles[0] = h.session;
    handles[1] = h.request;
    for (i = 0; i < ARRAYSIZE(handles); i++)
    {
        /* WinHttpSetTimeouts and the option flags reference. */
        ok_u(query_dword(handles[i], WINHTTP_OPTION_RESOLVE_TIMEOUT), 0);
        ok_u(query_dword(handles[i], WINHTTP_OPTION_CONNECT_TIMEOUT), 60000);
        ok_u(query_dword(handles[i], WINHTTP_OPTION_SEND_TIMEOUT), 30000);
        ok_u(query_dword(handles[i], WINHTTP_OPTION_RECEIVE_TIMEOUT), 30000);
        /* Windows reads INFINITE until the option is set (the engine still
         * bounds the wait for a head by 90 s, as the reference says). */
        ok_u(query_dword(handles[i], WINHTTP_OPTION_RECEIVE_RESPONSE_TIMEOUT), INFINITE);
        ok_u(query_dword(handles[i], WINHTTP_OPTION_CONNECT_RETRIES), 5);
        ok_u(query_dword(handles[i], WINHTTP_OPTION_REDIRECT_POLICY), WINHTTP_OPTION_REDIRECT_POLICY_DISALLOW_HTTPS_TO_HTTP);
        ok_u(query_dword(handles[i], WINHTTP_OPTION_MAX_HTTP_AUTOMATIC_REDIRECTS), 10);
        ok_u(query_dword(handles[i], WINHTTP_OPTION_MAX_HTTP_STATUS_CONTINUE), 10);
        ok_u(query_dword(handles[i], WINHTTP_OPTION_MAX_RESPONSE_HEADER_SIZE), 64 * 1024);
        ok_u(query_dword(handles[i], WINHTTP_OPTION_MAX_RESPONSE_DRAIN_SIZE), 1024 * 1024);
        ok_u(query_dword(handles[i], WINHTTP_OPTION_AUTOLOGON_POLICY), WINHTTP_AUTOLOGON_SECURITY_LEVEL_MEDIUM);
        ok_u(query_dword(handles[i], WINHTTP_OPTION_WEB_SOCKET_CLOSE_TIMEOUT), 10000);
        ok_u(query_dword(handles[i], WINHTTP_OPTION_ENABLE_HTTP_PROTOCOL), 0);
        ok_u(query_dword(handles[i], WINHTTP_OPTION_DECOMPRESSION), 0);
        ok_u(query_dword(handles[i], WINHTTP_OPTION_ASSURED_NON_BLOCKING_CALLBACKS), FALSE);
    }
    ok_u(query_dword(h.session, WINHTTP_OPTION_MAX_CONNS_PER_SERVER), WINHTTP_CONNS_PER_SERVER_UNLIMITED);
    ok_u(query_dword(h.session, WINHTTP_OPTION_MAX_CONNS_PER_1_0_SERVER), WINHTTP_CONNS_PER_SERVER_UNLIMITED);
    ok(query_dword(h.session, WINHTTP_OPTION_SECURE_PROTOCOLS) & WINHTTP_FLAG_SECURE_PROTOCOL_TLS1_2,
       "TLS 1.2 not enabled by default\n");
    ok_u(query_dword(h.session, WINHTTP_OPTION_CONFIGURE_PASSPORT_AUTH), WINHTTP_DISABLE_PASSPORT_AUTH);
    ok_u(query_dword(h.session, WINHTTP_OPTION_IPV6_FAST_FALLBACK), FALSE);
    ok_u(query_dword(h.request, WINHTTP_OPTION_SECURITY_FLAGS), 0);
    ok_u(query_dword(h.request, WINHTTP_OPTION_HTTP_PROTOCOL_USED), 0);    /* nothing received yet */
    ok_u(query_dword(h.request, WINHTTP_OPTION_IS_PROXY_CONNECT_RESPONSE), FALSE);
    ok_u(query_dword(h.request, WINHTTP_OPTION_SPN), WINHTTP_DISABLE_SPN_SERVER_PORT);
    close_handles(&h);
}

static void test_handle_type_and_parent(void)
{
    HINTERNET parent;
    struct handles h;
    DWORD size;

    open_handles(&h, 0);
    ok_u(query_dword(h.session, WINHTTP_OPTION_HANDLE_TYPE), WINHTTP_HANDLE_TYPE_SESSION);
    ok_u(query_dword(h.connect, WINHTTP_OPTION_HANDLE_TYPE), WINHTTP_HANDLE_TYPE_CONNECT);
    ok_u(query_dword(h.request, WINHTTP_OPTION_HANDLE_TYPE), WINHTTP_HANDLE_TYPE_REQUEST);

    parent = (HINTERNET)0xdeadbeef;
    size = sizeof(parent);
    ok(WinHttpQueryOption(h.session, WINHTTP_OPTION_PARENT_HANDLE, &parent, &size), "query failed %lu\n", GetLastError());
    ok(parent == NULL, "session parent: expected NULL, got %p\n", parent);
    ok_u(size, sizeof(HINTERNET));
    size = sizeof(parent);
    ok(WinHttpQueryOption(h.connect, WINHTTP_OPTION_PARENT_HANDLE, &parent, &size), "query failed %lu\n", GetLastError());
    ok(parent == h.session, "connect parent: expected %p, got %p\n", h.session, parent);
    size = sizeof(parent);
    ok(WinHttpQueryOption(h.request, WINHTTP_OPTION_PARENT_HANDLE, &parent, &size), "query failed %lu\n", GetLastError());
    ok(parent == h.connect, "request parent: expected %p, got %p\n", h.connect, parent);
    close_handles(&h);
}

static void test_context_value(void)
{
    DWORD_PTR value;
    struct handles h;
    HINTERNET handles[3];
    DWORD size;
    unsigned int i;

    open_handles(&h, 0);
    handles[0] = h.session;
    handles[1] = h.connect;
    handles[2] = h.request;
    for (i = 0; i < ARRAYSIZE(handles); i++)
    {
        value = (DWORD_PTR)0x1234567890ULL + i;
        ok(WinHttpSetOption(handles[i], WINHTTP_OPTION_CONTEXT_VALUE, &value, sizeof(value)), "set failed %lu\n", GetLastError());
    }
    for (i = 0; i < ARRAYSIZE(handles); i++)
    {
        value = 0;
        size = sizeof(value);
        ok(WinHttpQueryOption(handles[i], WINHTTP_OPTION_CONTEXT_VALUE, &value, &size), "query failed %lu\n", GetLastError());
        ok(value == (DWORD_PTR)0x1234567890ULL + i, "handle %u: got context %#llx\n", i, (unsigned long long)value);
        ok_u(size, sizeof(DWORD_PTR));
    }
    close_handles(&h);
}

static void CALLBACK status_callback(HINTERNET handle, DWORD_PTR context, DWORD status, void *info, DWORD len)
{
}

static void test_callback(void)
{
    WINHTTP_STATUS_CALLBACK callback = (void *)0xdeadbeef;
    struct handles h;
    DWORD size;

    open_handles(&h, 0);
    size = sizeof(callback);
    ok(WinHttpQueryOption(h.session, WINHTTP_OPTION_CALLBACK, &callback, &size), "query failed %lu\n", GetLastError());
    ok(callback == NULL, "expected no callback, got %p\n", callback);
    WinHttpSetStatusCallback(h.request, status_callback, WINHTTP_CALLBACK_FLAG_ALL_NOTIFICATIONS, 0);
    size = sizeof(callback);
    ok(WinHttpQueryOption(h.request, WINHTTP_OPTION_CALLBACK, &callback, &size), "query failed %lu\n", GetLastError());
    ok(callback == status_callback, "expected %p, got %p\n", status_callback, callback);
    ok_err(WinHttpSetOption(h.request, WINHTTP_OPTION_CALLBACK, &callback, sizeof(callback)),
           ERROR_WINHTTP_OPTION_NOT_SETTABLE);
    WinHttpSetStatusCallback(h.request, NULL, 0, 0);
    close_handles(&h);
}

/* ------------------------------------------------------------------ */

static void test_timeouts(void)
{
    struct handles h;
    DWORD value;

    open_handles(&h, 0);
    ok(WinHttpSetTimeouts(h.session, 1000, 2000, 3000, 4000), "WinHttpSetTimeouts failed %lu\n", GetLastError());
    ok_u(query_dword(h.session, WINHTTP_OPTION_RESOLVE_TIMEOUT), 1000);
    ok_u(query_dword(h.session, WINHTTP_OPTION_CONNECT_TIMEOUT), 2000);
    ok_u(query_dword(h.session, WINHTTP_OPTION_SEND_TIMEOUT), 3000);
    ok_u(query_dword(h.session, WINHTTP_OPTION_RECEIVE_TIMEOUT), 4000);
    /* WinHttpSetTimeouts has no receive-response parameter. */
    ok_u(query_dword(h.session, WINHTTP_OPTION_RECEIVE_RESPONSE_TIMEOUT), INFINITE);
    /* Once set, Windows reads back the larger of it and the receive timeout. */
    ok(set_dword(h.session, WINHTTP_OPTION_RECEIVE_RESPONSE_TIMEOUT, 3999), "set failed %lu\n", GetLastError());
    ok_u(query_dword(h.session, WINHTTP_OPTION_RECEIVE_RESPONSE_TIMEOUT), 4000);
    ok(set_dword(h.session, WINHTTP_OPTION_RECEIVE_RESPONSE_TIMEOUT, 4001), "set failed %lu\n", GetLastError());
    ok_u(query_dword(h.session, WINHTTP_OPTION_RECEIVE_RESPONSE_TIMEOUT), 4001);
    /* The request was made before: it keeps its own copy. */
    ok_u(query_dword(h.request, WINHTTP_OPTION_CONNECT_TIMEOUT), 60000);

    ok(WinHttpSetTimeouts(h.request, -1, 0, 5, 6), "WinHttpSetTimeouts failed %lu\n", GetLastError());
    /* -1 and 0 both mean no timeout; which one reads back is not documented. */
    value = query_dword(h.request, WINHTTP_OPTION_RESOLVE_TIMEOUT);
    ok(value == 0 || value == (DWORD)-1, "expected an infinite resolve timeout, got %lu\n", value);
    ok_u(query_dword(h.request, WINHTTP_OPTION_CONNECT_TIMEOUT), 0);
    ok_u(query_dword(h.request, WINHTTP_OPTION_SEND_TIMEOUT), 5);
    ok_u(query_dword(h.request, WINHTTP_OPTION_RECEIVE_TIMEOUT), 6);
    ok_u(query_dword(h.session, WINHTTP_OPTION_RECEIVE_TIMEOUT), 4000);

    ok_err(WinHttpSetTimeouts(h.session, -2, 0, 0, 0), ERROR_INVALID_PARAMETER);
    ok_err(WinHttpSetTimeouts(h.connect, 0, 0, 0, 0), ERROR_WINHTTP_INCORRECT_HANDLE_TYPE);
    ok_u(query_dword(h.session, WINHTTP_OPTION_RESOLVE_TIMEOUT), 1000);

    /* Options and WinHttpSetTimeouts write the same values. */
    ok(set_dword(h.session, WINHTTP_OPTION_SEND_TIMEOUT, 777), "set failed %lu\n", GetLastError());
    ok_u(query_dword(h.session, WINHTTP_OPTION_SEND_TIMEOUT), 777);
    ok(set_dword(h.request, WINHTTP_OPTION_RECEIVE_RESPONSE_TIMEOUT, 1234), "set failed %lu\n", GetLastError());
    ok_u(query_dword(h.request, WINHTTP_OPTION_RECEIVE_RESPONSE_TIMEOUT), 1234);
    /* A connect handle takes no timeouts; it reports its session's current
     * ones (as Wine's builtin does). */
    ok_u(query_dword(h.connect, WINHTTP_OPTION_CONNECT_TIMEOUT), 2000);
    ok_err(set_dword(h.connect, WINHTTP_OPTION_CONNECT_TIMEOUT, 1), ERROR_WINHTTP_INCORRECT_HANDLE_TYPE);
    close_handles(&h);
}

/* Session values reach connect and request handles created afterwards. */
static void test_inheritance(void)
{
    HINTERNET session, connect, early, late;

    session = WinHttpOpen(agent, WINHTTP_ACCESS_TYPE_NO_PROXY, NULL, NULL, 0);
    connect = WinHttpConnect(session, L"localhost", 80, 0);
    early = WinHttpOpenRequest(connect, NULL, NULL, NULL, NULL, NULL, 0);

    ok(set_dword(session, WINHTTP_OPTION_REDIRECT_POLICY, WINHTTP_OPTION_REDIRECT_POLICY_ALWAYS), "set failed\n");
    ok(set_dword(session, WINHTTP_OPTION_MAX_HTTP_AUTOMATIC_REDIRECTS, 3), "set failed\n");
    ok(set_dword(session, WINHTTP_OPTION_RECEIVE_TIMEOUT, 1111), "set failed\n");
    ok(set_dword(session, WINHTTP_OPTION_DECOMPRESSION, WINHTTP_DECOMPRESSION_FLAG_ALL), "set failed\n");
    WinHttpCloseHandle(connect);
    connect = WinHttpConnect(session, L"localhost", 80, 0);
    late = WinHttpOpenRequest(connect, NULL, NULL, NULL, NULL, NULL, 0);

    ok_u(query_dword(late, WINHTTP_OPTION_REDIRECT_POLICY), WINHTTP_OPTION_REDIRECT_POLICY_ALWAYS);
    ok_u(query_dword(late, WINHTTP_OPTION_MAX_HTTP_AUTOMATIC_REDIRECTS), 3);
    ok_u(query_dword(late, WINHTTP_OPTION_RECEIVE_TIMEOUT), 1111);
    ok_u(query_dword(connect, WINHTTP_OPTION_RECEIVE_TIMEOUT), 1111);
    ok_u(query_dword(late, WINHTTP_OPTION_DECOMPRESSION), WINHTTP_DECOMPRESSION_FLAG_ALL);
    ok_u(query_dword(early, WINHTTP_OPTION_REDIRECT_POLICY), WINHTTP_OPTION_REDIRECT_POLICY_DISALLOW_HTTPS_TO_HTTP);
    ok_u(query_dword(early, WINHTTP_OPTION_RECEIVE_TIMEOUT), 30000);

    /* And a request's own value stays its own. */
    ok(set_dword(late, WINHTTP_OPTION_MAX_HTTP_AUTOMATIC_REDIRECTS, 0), "set failed\n");
    ok_u(query_dword(late, WINHTTP_OPTION_MAX_HTTP_AUTOMATIC_REDIRECTS), 0);
    ok_u(query_dword(session, WINHTTP_OPTION_MAX_HTTP_AUTOMATIC_REDIRECTS), 3);

    WinHttpCloseHandle(early);
    WinHttpCloseHandle(late);
    WinHttpCloseHandle(connect);
    WinHttpCloseHandle(session);
}

/* ------------------------------------------------------------------ */

/* The WebSocket options whose handle checks Wine's winhttp.c test_websocket
 * records for Windows: the keep-alive interval is set on WebSocket handles
 * only and never read back; the buffer sizes belong to sessions and requests,
 * other handle types are the wrong type (the WebSocket handle's side is in
 * tests/websocket.c). */
static void test_websocket_options(void)
{
    struct handles h;
    DWORD value, size;

    open_handles(&h, 0);
    size = sizeof(value);
    ok_err(WinHttpQueryOption(h.session, WINHTTP_OPTION_WEB_SOCKET_KEEPALIVE_INTERVAL, &value, &size),
           ERROR_INVALID_PARAMETER);
    size = 0;
    ok_err(WinHttpQueryOption(h.request, WINHTTP_OPTION_WEB_SOCKET_KEEPALIVE_INTERVAL, NULL, &size),
           ERROR_INVALID_PARAMETER);
    ok_err(set_dword(h.request, WINHTTP_OPTION_WEB_SOCKET_KEEPALIVE_INTERVAL, 20000), ERROR_WINHTTP_INCORRECT_HANDLE_TYPE);
    ok_err(set_dword(h.session, WINHTTP_OPTION_WEB_SOCKET_KEEPALIVE_INTERVAL, 20000), ERROR_WINHTTP_INCORRECT_HANDLE_TYPE);

    ok_u(query_dword(h.session, WINHTTP_OPTION_WEB_SOCKET_RECEIVE_BUFFER_SIZE), 32768);
    ok_u(query_dword(h.session, WINHTTP_OPTION_WEB_SOCKET_SEND_BUFFER_SIZE), 32768);
    ok(set_dword(h.request, WINHTTP_OPTION_WEB_SOCKET_RECEIVE_BUFFER_SIZE, 1 << 20), "set failed %lu\n", GetLastError());
    ok_u(query_dword(h.request, WINHTTP_OPTION_WEB_SOCKET_RECEIVE_BUFFER_SIZE), 1 << 20);
    ok_u(query_dword(h.session, WINHTTP_OPTION_WEB_SOCKET_RECEIVE_BUFFER_SIZE), 32768);
    size = sizeof(value);
    ok_err(WinHttpQueryOption(h.connect, WINHTTP_OPTION_WEB_SOCKET_RECEIVE_BUFFER_SIZE, &value, &size),
           ERROR_WINHTTP_INCORRECT_HANDLE_TYPE);
    ok_err(set_dword(h.connect, WINHTTP_OPTION_WEB_SOCKET_SEND_BUFFER_SIZE, 100), ERROR_WINHTTP_INCORRECT_HANDLE_TYPE);
    close_handles(&h);
}

static void test_invalid_values(void)
{
    struct handles h;

    open_handles(&h, 0);
    ok_err(set_dword(h.session, WINHTTP_OPTION_REDIRECT_POLICY, WINHTTP_OPTION_REDIRECT_POLICY_LAST + 1), ERROR_INVALID_PARAMETER);
    ok_err(set_dword(h.request, WINHTTP_OPTION_REDIRECT_POLICY, 0xffffffff), ERROR_INVALID_PARAMETER);
    ok_u(query_dword(h.session, WINHTTP_OPTION_REDIRECT_POLICY), WINHTTP_OPTION_REDIRECT_POLICY_DISALLOW_HTTPS_TO_HTTP);
    ok(set_dword(h.session, WINHTTP_OPTION_REDIRECT_POLICY, WINHTTP_OPTION_REDIRECT_POLICY_NEVER), "set failed\n");
    ok_u(query_dword(h.session, WINHTTP_OPTION_REDIRECT_POLICY), WINHTTP_OPTION_REDIRECT_POLICY_NEVER);

    ok_err(set_dword(h.session, WINHTTP_OPTION_SECURE_PROTOCOLS, 0x80000), ERROR_INVALID_PARAMETER);
    ok_err(set_dword(h.session, WINHTTP_OPTION_SECURE_PROTOCOLS, WINHTTP_FLAG_SECURE_PROTOCOL_TLS1_2 | 0x4), ERROR_INVALID_PARAMETER);
    ok(set_dword(h.session, WINHTTP_OPTION_SECURE_PROTOCOLS, WINHTTP_FLAG_SECURE_PROTOCOL_TLS1_2 | WINHTTP_FLAG_SECURE_PROTOCOL_TLS1_3),
       "set failed %lu\n", GetLastError());
    ok_u(query_dword(h.session, WINHTTP_OPTION_SECURE_PROTOCOLS), WINHTTP_FLAG_SECURE_PROTOCOL_TLS1_2 | WINHTTP_FLAG_SECURE_PROTOCOL_TLS1_3);

    ok_err(set_dword(h.request, WINHTTP_OPTION_AUTOLOGON_POLICY, WINHTTP_AUTOLOGON_SECURITY_LEVEL_HIGH + 1), ERROR_INVALID_PARAMETER);
    ok(set_dword(h.request, WINHTTP_OPTION_AUTOLOGON_POLICY, WINHTTP_AUTOLOGON_SECURITY_LEVEL_HIGH), "set failed\n");
    ok_u(query_dword(h.request, WINHTTP_OPTION_AUTOLOGON_POLICY), WINHTTP_AUTOLOGON_SECURITY_LEVEL_HIGH);

    /* SECURE and STRENGTH_* are reported, never requested. */
    ok_err(set_dword(h.request, WINHTTP_OPTION_SECURITY_FLAGS, SECURITY_FLAG_SECURE), ERROR_INVALID_PARAMETER);
    ok_err(set_dword(h.request, WINHTTP_OPTION_SECURITY_FLAGS, 0x01000000), ERROR_INVALID_PARAMETER);
    ok(set_dword(h.request, WINHTTP_OPTION_SECURITY_FLAGS, SECURITY_FLAG_IGNORE_ALL_CERT_ERRORS), "set failed\n");
    ok_u(query_dword(h.request, WINHTTP_OPTION_SECURITY_FLAGS), SECURITY_FLAG_IGNORE_ALL_CERT_ERRORS);

    ok_err(set_dword(h.session, WINHTTP_OPTION_DECOMPRESSION, 4), ERROR_INVALID_PARAMETER);
    ok_err(set_dword(h.session, WINHTTP_OPTION_ENABLE_HTTP_PROTOCOL, 4), ERROR_INVALID_PARAMETER);
    ok_err(set_dword(h.request, WINHTTP_OPTION_ENABLE_FEATURE, 0), ERROR_INVALID_PARAMETER);
    ok_err(set_dword(h.request, WINHTTP_OPTION_ENABLE_FEATURE, 4), ERROR_INVALID_PARAMETER);
    ok_err(set_dword(h.session, WINHTTP_OPTION_CONFIGURE_PASSPORT_AUTH, 1), ERROR_INVALID_PARAMETER);
    ok_err(set_dword(h.request, WINHTTP_OPTION_SPN, 2), ERROR_INVALID_PARAMETER);
    ok_err(set_dword(h.session, WINHTTP_OPTION_MAX_CONNS_PER_SERVER, 0), ERROR_INVALID_PARAMETER);


    /* A BOOL reads back as TRUE or FALSE. */
    ok(set_dword(h.session, WINHTTP_OPTION_TCP_FAST_OPEN, 42), "set failed\n");
    ok_u(query_dword(h.session, WINHTTP_OPTION_TCP_FAST_OPEN), TRUE);
    close_handles(&h);
}

static void test_features(void)
{
    struct handles h;
    DWORD size, value;

    open_handles(&h, 0);
    /* DISABLE_FEATURE adds to what is disabled and is not readable. */
    ok(set_dword(h.request, WINHTTP_OPTION_DISABLE_FEATURE, WINHTTP_DISABLE_COOKIES), "set failed\n");
    ok(set_dword(h.request, WINHTTP_OPTION_DISABLE_FEATURE, WINHTTP_DISABLE_REDIRECTS | WINHTTP_DISABLE_KEEP_ALIVE), "set failed\n");
    size = sizeof(value);
    ok_err(WinHttpQueryOption(h.request, WINHTTP_OPTION_DISABLE_FEATURE, &value, &size), ERROR_INVALID_PARAMETER);
    ok_err(set_dword(h.session, WINHTTP_OPTION_DISABLE_FEATURE, WINHTTP_DISABLE_COOKIES), ERROR_WINHTTP_INCORRECT_HANDLE_TYPE);

    ok(set_dword(h.request, WINHTTP_OPTION_ENABLE_FEATURE, WINHTTP_ENABLE_SSL_REVOCATION), "set failed\n");
    ok(set_dword(h.session, WINHTTP_OPTION_ENABLE_FEATURE, WINHTTP_ENABLE_SSL_REVERT_IMPERSONATION), "set failed\n");
    size = sizeof(value);
    ok_err(WinHttpQueryOption(h.request, WINHTTP_OPTION_ENABLE_FEATURE, &value, &size), ERROR_INVALID_PARAMETER);
    close_handles(&h);
}

/* USERNAME, PASSWORD, PROXY_USERNAME and PROXY_PASSWORD read back what
 * WinHttpSetOption stored, as on Windows (Wine's conformance tests record it):
 * an empty string of size 0 until set, the size in bytes without the
 * terminator; WinHttpSetCredentials does not show through them.  (This
 * replaces our earlier write-only reading of the reference.) */
static void test_credentials_readable(void)
{
    static const DWORD secrets[] = { WINHTTP_OPTION_USERNAME, WINHTTP_OPTION_PASSWORD,
                                     WINHTTP_OPTION_PROXY_USERNAME, WINHTTP_OPTION_PROXY_PASSWORD };
    WCHAR buffer[64];
    struct handles h;
    DWORD size, i;

    open_handles(&h, 0);
    for (i = 0; i < ARRAYSIZE(secrets); i++)
    {
        buffer[0] = 'x';
        size = sizeof(buffer);
        ok(WinHttpQueryOption(h.request, secrets[i], buffer, &size), "unset %lu: %lu\n", secrets[i], GetLastError());
        ok(!buffer[0], "option %lu: unset value not empty\n", secrets[i]);
        ok_u(size, 0);
        /* Lengths in characters; a terminator inside the length ends it. */
        ok(WinHttpSetOption(h.request, secrets[i], (void *)L"first", 5), "set %lu failed %lu\n", secrets[i], GetLastError());
        size = sizeof(buffer);
        ok(WinHttpQueryOption(h.request, secrets[i], buffer, &size), "query %lu: %lu\n", secrets[i], GetLastError());
        ok(!wcscmp(buffer, L"first"), "option %lu: got %ls\n", secrets[i], buffer);
        ok_u(size, 5 * sizeof(WCHAR));
        ok(WinHttpSetOption(h.request, secrets[i], (void *)L"second", 7), "set %lu failed %lu\n", secrets[i], GetLastError());
        /* Too small: the size needed, terminator included. */
        size = 4;
        ok_err(WinHttpQueryOption(h.request, secrets[i], buffer, &size), ERROR_INSUFFICIENT_BUFFER);
        ok_u(size, 7 * sizeof(WCHAR));
        ok(WinHttpSetOption(h.request, secrets[i], NULL, 0), "clearing %lu failed %lu\n", secrets[i], GetLastError());
        size = sizeof(buffer);
        ok(WinHttpQueryOption(h.request, secrets[i], buffer, &size) && !buffer[0] && !size,
           "option %lu not cleared\n", secrets[i]);
        ok_err(WinHttpSetOption(h.request, secrets[i], NULL, 4), ERROR_INVALID_PARAMETER);
    }
    ok(WinHttpSetCredentials(h.request, WINHTTP_AUTH_TARGET_SERVER, WINHTTP_AUTH_SCHEME_BASIC, L"user", L"pass", NULL),
       "SetCredentials failed %lu\n", GetLastError());
    size = sizeof(buffer);
    ok(WinHttpQueryOption(h.request, WINHTTP_OPTION_USERNAME, buffer, &size) && !buffer[0] && !size,
       "SetCredentials' user shows in WINHTTP_OPTION_USERNAME\n");

    ok_err(WinHttpSetOption(h.session, WINHTTP_OPTION_USERNAME, (void *)L"u", 1), ERROR_WINHTTP_INCORRECT_HANDLE_TYPE);
    ok_err(WinHttpSetOption(h.session, WINHTTP_OPTION_PASSWORD, (void *)L"p", 1), ERROR_WINHTTP_INCORRECT_HANDLE_TYPE);
    ok(WinHttpSetOption(h.session, WINHTTP_OPTION_PROXY_USERNAME, (void *)L"u", 1), "set failed %lu\n", GetLastError());
    ok(WinHttpSetOption(h.session, WINHTTP_OPTION_PROXY_PASSWORD, (void *)L"p", 1), "set failed %lu\n", GetLastError());
    size = sizeof(buffer);
    ok(WinHttpQueryOption(h.session, WINHTTP_OPTION_PROXY_PASSWORD, buffer, &size) && !wcscmp(buffer, L"p"),
       "session proxy password: %lu\n", GetLastError());
    ok_err(WinHttpSetOption(h.connect, WINHTTP_OPTION_PROXY_PASSWORD, (void *)L"p", 1), ERROR_WINHTTP_INCORRECT_HANDLE_TYPE);
    close_handles(&h);
}

static void test_user_agent(void)
{
    WCHAR buffer[64];
    struct handles h;
    DWORD size;

    open_handles(&h, 0);
    /* The length is in characters, with or without the terminator. */
    ok(WinHttpSetOption(h.session, WINHTTP_OPTION_USER_AGENT, (void *)L"agent/2.0", 9), "set failed %lu\n", GetLastError());
    size = sizeof(buffer);
    ok(WinHttpQueryOption(h.session, WINHTTP_OPTION_USER_AGENT, buffer, &size), "query failed %lu\n", GetLastError());
    ok_wstr(buffer, L"agent/2.0");
    ok_u(size, 9 * sizeof(WCHAR));
    ok(WinHttpSetOption(h.session, WINHTTP_OPTION_USER_AGENT, (void *)L"agent/3.0", 10), "set failed %lu\n", GetLastError());
    size = sizeof(buffer);
    ok(WinHttpQueryOption(h.session, WINHTTP_OPTION_USER_AGENT, buffer, &size), "query failed %lu\n", GetLastError());
    ok_wstr(buffer, L"agent/3.0");
    /* A shorter length cuts the string. */
    ok(WinHttpSetOption(h.session, WINHTTP_OPTION_USER_AGENT, (void *)L"agent/4.0", 5), "set failed %lu\n", GetLastError());
    size = sizeof(buffer);
    ok(WinHttpQueryOption(h.session, WINHTTP_OPTION_USER_AGENT, buffer, &size), "query failed %lu\n", GetLastError());
    ok_wstr(buffer, L"agent");
    size = sizeof(buffer);
    ok_err(WinHttpQueryOption(h.request, WINHTTP_OPTION_USER_AGENT, buffer, &size), ERROR_INVALID_PARAMETER);
    ok_err(WinHttpSetOption(h.request, WINHTTP_OPTION_USER_AGENT, (void *)L"x", 1), ERROR_WINHTTP_INCORRECT_HANDLE_TYPE);
    close_handles(&h);
}

static void check_url(HINTERNET connect, DWORD flags, const WCHAR *path, const WCHAR *expect)
{
    HINTERNET request = WinHttpOpenRequest(connect, NULL, path, NULL, NULL, NULL, flags);
    WCHAR buffer[256];
    DWORD size = sizeof(buffer);

    ok(request != NULL, "WinHttpOpenRequest failed %lu\n", GetLastError());
    buffer[0] = 0;
    ok(WinHttpQueryOption(request, WINHTTP_OPTION_URL, buffer, &size), "query URL failed %lu\n", GetLastError());
    ok_wstr(buffer, expect);
    WinHttpCloseHandle(request);
}

static void test_url(void)
{
    HINTERNET session = WinHttpOpen(agent, WINHTTP_ACCESS_TYPE_NO_PROXY, NULL, NULL, 0);
    HINTERNET connect;

    connect = WinHttpConnect(session, L"example.com", INTERNET_DEFAULT_PORT, 0);
    check_url(connect, 0, L"/a/b?c=d", L"http://example.com/a/b?c=d");
    check_url(connect, WINHTTP_FLAG_SECURE, L"/x", L"https://example.com/x");
    check_url(connect, 0, NULL, L"http://example.com/");
    WinHttpCloseHandle(connect);

    connect = WinHttpConnect(session, L"example.com", 8080, 0);
    check_url(connect, 0, L"/x", L"http://example.com:8080/x");
    check_url(connect, WINHTTP_FLAG_SECURE, L"/x", L"https://example.com:8080/x");
    WinHttpCloseHandle(connect);

    connect = WinHttpConnect(session, L"example.com", 443, 0);
    check_url(connect, WINHTTP_FLAG_SECURE, L"/", L"https://example.com/");
    check_url(connect, 0, L"/", L"http://example.com:443/");
    WinHttpCloseHandle(connect);

    connect = WinHttpConnect(session, L"::1", 81, 0);
    check_url(connect, 0, L"/", L"http://[::1]:81/");
    WinHttpCloseHandle(connect);

    WinHttpCloseHandle(session);
}

static void check_proxy(HINTERNET handle, DWORD access, const WCHAR *proxy, const WCHAR *bypass)
{
    WINHTTP_PROXY_INFO info;
    DWORD size = sizeof(info);

    memset(&info, 0xcc, sizeof(info));
    if (!WinHttpQueryOption(handle, WINHTTP_OPTION_PROXY, &info, &size))
    {
        ok(0, "query PROXY failed %lu\n", GetLastError());
        return;
    }
    ok_u(size, sizeof(info));
    ok_u(info.dwAccessType, access);
    ok_wstr(info.lpszProxy, proxy);
    ok_wstr(info.lpszProxyBypass, bypass);
    /* The strings are the application's to GlobalFree. */
    ok(!info.lpszProxy || GlobalSize(info.lpszProxy), "proxy string is not from GlobalAlloc\n");
    GlobalFree(info.lpszProxy);
    GlobalFree(info.lpszProxyBypass);
}

static void test_proxy(void)
{
    WINHTTP_PROXY_INFO info;
    struct handles h;
    HINTERNET session, connect, request;

    open_handles(&h, 0);
    check_proxy(h.session, WINHTTP_ACCESS_TYPE_NO_PROXY, NULL, NULL);
    check_proxy(h.request, WINHTTP_ACCESS_TYPE_NO_PROXY, NULL, NULL);

    info.dwAccessType = WINHTTP_ACCESS_TYPE_NAMED_PROXY;
    info.lpszProxy = (WCHAR *)L"proxy.example:3128";
    info.lpszProxyBypass = (WCHAR *)L"<local>";
    ok(WinHttpSetOption(h.session, WINHTTP_OPTION_PROXY, &info, sizeof(info)), "set failed %lu\n", GetLastError());
    check_proxy(h.session, WINHTTP_ACCESS_TYPE_NAMED_PROXY, L"proxy.example:3128", L"<local>");
    /* A request without a proxy of its own goes through its session's. */
    check_proxy(h.request, WINHTTP_ACCESS_TYPE_NAMED_PROXY, L"proxy.example:3128", L"<local>");

    info.lpszProxy = (WCHAR *)L"other:8080";
    info.lpszProxyBypass = NULL;
    ok(WinHttpSetOption(h.request, WINHTTP_OPTION_PROXY, &info, sizeof(info)), "set failed %lu\n", GetLastError());
    check_proxy(h.request, WINHTTP_ACCESS_TYPE_NAMED_PROXY, L"other:8080", NULL);
    check_proxy(h.session, WINHTTP_ACCESS_TYPE_NAMED_PROXY, L"proxy.example:3128", L"<local>");

    info.dwAccessType = WINHTTP_ACCESS_TYPE_NO_PROXY;
    ok(WinHttpSetOption(h.request, WINHTTP_OPTION_PROXY, &info, sizeof(info)), "set failed %lu\n", GetLastError());
    check_proxy(h.request, WINHTTP_ACCESS_TYPE_NO_PROXY, NULL, NULL);

    info.dwAccessType = WINHTTP_ACCESS_TYPE_NAMED_PROXY;
    info.lpszProxy = NULL;
    ok_err(WinHttpSetOption(h.session, WINHTTP_OPTION_PROXY, &info, sizeof(info)), ERROR_INVALID_PARAMETER);
    info.lpszProxy = (WCHAR *)L"";
    ok_err(WinHttpSetOption(h.session, WINHTTP_OPTION_PROXY, &info, sizeof(info)), ERROR_INVALID_PARAMETER);
    info.dwAccessType = 2;
    ok_err(WinHttpSetOption(h.session, WINHTTP_OPTION_PROXY, &info, sizeof(info)), ERROR_INVALID_PARAMETER);
    ok_err(WinHttpSetOption(h.connect, WINHTTP_OPTION_PROXY, &info, sizeof(info)), ERROR_WINHTTP_INCORRECT_HANDLE_TYPE);
    check_proxy(h.session, WINHTTP_ACCESS_TYPE_NAMED_PROXY, L"proxy.example:3128", L"<local>");
    close_handles(&h);

    /* A session opened with a named proxy reports it. */
    session = WinHttpOpen(agent, WINHTTP_ACCESS_TYPE_NAMED_PROXY, L"named:81", L"*.local", 0);
    connect = WinHttpConnect(session, L"localhost", 80, 0);
    request = WinHttpOpenRequest(connect, NULL, NULL, NULL, NULL, NULL, 0);
    check_proxy(session, WINHTTP_ACCESS_TYPE_NAMED_PROXY, L"named:81", L"*.local");
    check_proxy(request, WINHTTP_ACCESS_TYPE_NAMED_PROXY, L"named:81", L"*.local");
    WinHttpCloseHandle(request);
    WinHttpCloseHandle(connect);
    WinHttpCloseHandle(session);
}

/* Values only a sent request has: the size rules still apply first. */
static void test_engine_values_before_send(void)
{
    static const struct { DWORD id; DWORD size; } fixed[] =
    {
        { WINHTTP_OPTION_SECURITY_KEY_BITNESS, sizeof(DWORD) },
        { WINHTTP_OPTION_SERVER_CERT_CONTEXT, sizeof(void *) },
        { WINHTTP_OPTION_SECURITY_CERTIFICATE_STRUCT, sizeof(WINHTTP_CERTIFICATE_INFO) },
        { WINHTTP_OPTION_CONNECTION_INFO, 264 },  /* cbSize, padding, two SOCKADDR_STORAGE */
        { WINHTTP_OPTION_CLIENT_CERT_ISSUER_LIST, sizeof(void *) },
        { WINHTTP_OPTION_REQUEST_TIMES, sizeof(WINHTTP_REQUEST_TIMES) },
    };
    static const DWORD variable[] = { WINHTTP_OPTION_SERVER_SPN_USED, WINHTTP_OPTION_PROXY_SPN_USED,
                                      WINHTTP_OPTION_CONNECTION_STATS_V0, WINHTTP_OPTION_SECURITY_INFO };
    union { BYTE bytes[1024]; ULONGLONG align; } buffer;
    struct handles h;
    DWORD size, i;

    open_handles(&h, WINHTTP_FLAG_SECURE);
    for (i = 0; i < ARRAYSIZE(fixed); i++)
    {
        size = 0;
        ok_err(WinHttpQueryOption(h.request, fixed[i].id, NULL, &size), ERROR_INSUFFICIENT_BUFFER);
        ok(size == fixed[i].size, "option %lu: expected size %lu, got %lu\n", fixed[i].id, fixed[i].size, size);
        size = sizeof(buffer);
        ok_err(WinHttpQueryOption(h.request, fixed[i].id, &buffer, &size), ERROR_WINHTTP_INCORRECT_HANDLE_STATE);
        size = sizeof(buffer);
        ok_err(WinHttpQueryOption(h.session, fixed[i].id, &buffer, &size), ERROR_INVALID_PARAMETER);
    }
    for (i = 0; i < ARRAYSIZE(variable); i++)
    {
        size = sizeof(buffer);
        ok_err(WinHttpQueryOption(h.request, variable[i], &buffer, &size), ERROR_WINHTTP_INCORRECT_HANDLE_STATE);
    }
    close_handles(&h);
}

static void test_request_only_sets(void)
{
    struct handles h;
    DWORD size, value;

    /* A plain http request cannot present a certificate (Windows). */
    open_handles(&h, 0);
    ok_err(WinHttpSetOption(h.request, WINHTTP_OPTION_CLIENT_CERT_CONTEXT, WINHTTP_NO_CLIENT_CERT_CONTEXT, 0),
           ERROR_WINHTTP_INCORRECT_HANDLE_STATE);
    close_handles(&h);

    open_handles(&h, WINHTTP_FLAG_SECURE);
    /* WINHTTP_NO_CLIENT_CERT_CONTEXT: go on without a certificate. */
    ok(WinHttpSetOption(h.request, WINHTTP_OPTION_CLIENT_CERT_CONTEXT, WINHTTP_NO_CLIENT_CERT_CONTEXT, 0),
       "set failed %lu\n", GetLastError());
    ok_err(WinHttpSetOption(h.request, WINHTTP_OPTION_CLIENT_CERT_CONTEXT, NULL, 4), ERROR_INVALID_PARAMETER);
    ok_err(WinHttpSetOption(h.request, WINHTTP_OPTION_CLIENT_CERT_CONTEXT, &value, 4), ERROR_INSUFFICIENT_BUFFER);
    ok_err(WinHttpSetOption(h.session, WINHTTP_OPTION_CLIENT_CERT_CONTEXT, NULL, 0), ERROR_WINHTTP_INCORRECT_HANDLE_TYPE);
    size = sizeof(value);
    ok_err(WinHttpQueryOption(h.request, WINHTTP_OPTION_CLIENT_CERT_CONTEXT, &value, &size), ERROR_WINHTTP_INVALID_OPTION);

    ok(WinHttpSetOption(h.request, WINHTTP_OPTION_UPGRADE_TO_WEB_SOCKET, NULL, 0), "set failed %lu\n", GetLastError());
    ok_err(WinHttpSetOption(h.session, WINHTTP_OPTION_UPGRADE_TO_WEB_SOCKET, NULL, 0), ERROR_WINHTTP_INCORRECT_HANDLE_TYPE);

    /* Query-only options cannot be set. */
    ok_err(WinHttpSetOption(h.request, WINHTTP_OPTION_URL, (void *)L"http://x/", 20), ERROR_WINHTTP_OPTION_NOT_SETTABLE);
    ok_err(set_dword(h.request, WINHTTP_OPTION_HANDLE_TYPE, 1), ERROR_WINHTTP_OPTION_NOT_SETTABLE);
    ok_err(set_dword(h.request, WINHTTP_OPTION_HTTP_PROTOCOL_USED, 1), ERROR_WINHTTP_OPTION_NOT_SETTABLE);

    /* The annotation has a documented maximum length. */
    {
        DWORD len = WINHTTP_OPTION_REQUEST_ANNOTATION_MAX_LENGTH + 1;
        WCHAR *text = malloc((len + 1) * sizeof(WCHAR));
        for (size = 0; size < len; size++) text[size] = 'a';
        text[len] = 0;
        ok_err(WinHttpSetOption(h.request, WINHTTP_OPTION_REQUEST_ANNOTATION, text, len * sizeof(WCHAR)), ERROR_INVALID_PARAMETER);
        ok(WinHttpSetOption(h.request, WINHTTP_OPTION_REQUEST_ANNOTATION, text, (len - 1) * sizeof(WCHAR)),
           "set failed %lu\n", GetLastError());
        free(text);
    }
    close_handles(&h);
}

static void test_process_wide(void)
{
    HTTP_VERSION_INFO version = { 0, 0 };
    struct handles h;
    DWORD size, value;

    size = sizeof(value);
    ok(WinHttpQueryOption(NULL, WINHTTP_OPTION_EXTENDED_ERROR, &value, &size), "query failed %lu\n", GetLastError());
    ok_u(size, sizeof(DWORD));

    size = sizeof(version);
    ok(WinHttpQueryOption(NULL, WINHTTP_OPTION_HTTP_VERSION, &version, &size), "query failed %lu\n", GetLastError());
    ok_u(version.dwMajorVersion, 1);
    ok_u(version.dwMinorVersion, 1);
    version.dwMajorVersion = 2;
    ok_err(WinHttpSetOption(NULL, WINHTTP_OPTION_HTTP_VERSION, &version, sizeof(version)), ERROR_INVALID_PARAMETER);

    value = 4;
    ok(WinHttpSetOption(NULL, WINHTTP_OPTION_WORKER_THREAD_COUNT, &value, sizeof(value)), "set failed %lu\n", GetLastError());
    ok_u(query_dword(NULL, WINHTTP_OPTION_WORKER_THREAD_COUNT), 4);
    open_handles(&h, 0);
    ok_u(query_dword(h.session, WINHTTP_OPTION_WORKER_THREAD_COUNT), 4);
    ok_err(set_dword(h.session, WINHTTP_OPTION_WORKER_THREAD_COUNT, 2), ERROR_WINHTTP_INCORRECT_HANDLE_TYPE);
    close_handles(&h);
    value = 0;
    WinHttpSetOption(NULL, WINHTTP_OPTION_WORKER_THREAD_COUNT, &value, sizeof(value));

    /* Options of a handle need one. */
    size = sizeof(value);
    ok_err(WinHttpQueryOption(NULL, WINHTTP_OPTION_CONNECT_TIMEOUT, &value, &size), ERROR_INVALID_HANDLE);
    ok_err(WinHttpSetOption(NULL, WINHTTP_OPTION_CONNECT_TIMEOUT, &value, sizeof(value)), ERROR_INVALID_HANDLE);
    ok_err(WinHttpSetOption(NULL, WINHTTP_OPTION_CONTEXT_VALUE, &value, sizeof(DWORD_PTR)), ERROR_INVALID_HANDLE);
}

/* Last: Wine's builtin dereferences these NULL buffers and crashes, which
 * would hide every later result of a comparison run. */
static void test_set_null_buffer(void)
{
    struct handles h;

    open_handles(&h, 0);
    ok_err(WinHttpSetOption(h.session, WINHTTP_OPTION_CONNECT_TIMEOUT, NULL, 4), ERROR_INVALID_PARAMETER);
    ok_err(WinHttpSetOption(h.session, WINHTTP_OPTION_CONNECT_TIMEOUT, NULL, 0), ERROR_INVALID_PARAMETER);
    ok_err(WinHttpSetOption(h.request, WINHTTP_OPTION_CONTEXT_VALUE, NULL, sizeof(DWORD_PTR)), ERROR_INVALID_PARAMETER);
    ok_err(WinHttpSetOption(h.session, WINHTTP_OPTION_PROXY, NULL, sizeof(WINHTTP_PROXY_INFO)), ERROR_INVALID_PARAMETER);
    ok_u(query_dword(h.session, WINHTTP_OPTION_CONNECT_TIMEOUT), 60000);
    close_handles(&h);
}

int main(void)
{
    run_test("matrix", test_matrix);
    run_test("unknown_options", test_unknown_options);
    run_test("bad_handles", test_bad_handles);
    run_test("child_after_parent_closed", test_child_after_parent_closed);
    run_test("query_buffer_sizes", test_query_buffer_sizes);
    run_test("query_strings", test_query_strings);
    run_test("set_buffer_sizes", test_set_buffer_sizes);
    run_test("defaults", test_defaults);
    run_test("handle_type_and_parent", test_handle_type_and_parent);
    run_test("context_value", test_context_value);
    run_test("callback", test_callback);
    run_test("timeouts", test_timeouts);
    run_test("inheritance", test_inheritance);
    run_test("invalid_values", test_invalid_values);
    run_test("websocket_options", test_websocket_options);
    run_test("features", test_features);
    run_test("credentials_readable", test_credentials_readable);
    run_test("user_agent", test_user_agent);
    run_test("url", test_url);
    run_test("proxy", test_proxy);
    run_test("engine_values_before_send", test_engine_values_before_send);
    run_test("request_only_sets", test_request_only_sets);
    run_test("process_wide", test_process_wide);
    run_test("set_null_buffer", test_set_null_buffer);
    return test_summary();
}
