/*
 * The DLL as a Windows program sees it: every export of Windows 11's
 * winhttp.dll resolves, calling each one with bad handles and NULL arguments
 * crashes nothing, and the module that got loaded is ours, not Wine's builtin.
 */
#include "test.h"
#include <winhttp.h>

/* The export list of ../shared/abi/winhttp-exports.txt (93 names). */
static const char *const export_names[] =
{
    "WinHttpAddRequestHeaders", "WinHttpAddRequestHeadersEx", "WinHttpCheckPlatform", "WinHttpCloseHandle",
    "WinHttpConnect", "WinHttpCrackUrl", "WinHttpCreateProxyResolver", "WinHttpCreateUrl",
    "WinHttpDetectAutoProxyConfigUrl", "WinHttpFreeProxyResult", "WinHttpFreeProxyResultEx",
    "WinHttpFreeProxySettings", "WinHttpFreeProxySettingsEx", "WinHttpFreeQueryConnectionGroupResult",
    "WinHttpGetDefaultProxyConfiguration", "WinHttpGetIEProxyConfigForCurrentUser", "WinHttpGetProxyForUrl",
    "WinHttpGetProxyForUrlEx", "WinHttpGetProxyForUrlEx2", "WinHttpGetProxyResult", "WinHttpGetProxyResultEx",
    "WinHttpGetProxySettingsEx", "WinHttpGetProxySettingsResultEx", "WinHttpGetProxySettingsVersion",
    "WinHttpOpen", "WinHttpOpenRequest", "WinHttpQueryAuthSchemes", "WinHttpQueryConnectionGroup",
    "WinHttpQueryDataAvailable", "WinHttpQueryHeaders", "WinHttpQueryHeadersEx", "WinHttpQueryOption",
    "WinHttpReadData", "WinHttpReadDataEx", "WinHttpReadProxySettings", "WinHttpReceiveResponse",
    "WinHttpRegisterProxyChangeNotification", "WinHttpResetAutoProxy", "WinHttpSendRequest",
    "WinHttpSetCredentials", "WinHttpSetDefaultProxyConfiguration", "WinHttpSetOption",
    "WinHttpSetProxySettingsPerUser", "WinHttpSetStatusCallback", "WinHttpSetTimeouts",
    "WinHttpTimeFromSystemTime", "WinHttpTimeToSystemTime", "WinHttpUnregisterProxyChangeNotification",
    "WinHttpWebSocketClose", "WinHttpWebSocketCompleteUpgrade", "WinHttpWebSocketQueryCloseStatus",
    "WinHttpWebSocketReceive", "WinHttpWebSocketSend", "WinHttpWebSocketShutdown", "WinHttpWriteData",
    "WinHttpWriteProxySettings",
    "DllCanUnloadNow", "DllGetClassObject", "DllRegisterServer", "DllUnregisterServer",
    "Private1", "SvchostPushServiceGlobals", "WinHttpAutoProxySvcMain", "WinHttpConnectionDeletePolicyEntries",
    "WinHttpConnectionDeleteProxyInfo", "WinHttpConnectionFreeNameList", "WinHttpConnectionFreeProxyInfo",
    "WinHttpConnectionFreeProxyList", "WinHttpConnectionGetNameList", "WinHttpConnectionGetProxyInfo",
    "WinHttpConnectionGetProxyList", "WinHttpConnectionSetPolicyEntries", "WinHttpConnectionSetProxyInfo",
    "WinHttpConnectionUpdateIfIndexTable", "WinHttpGetProxyForUrlHvsi", "WinHttpGetTunnelSocket",
    "WinHttpPacJsWorkerMain", "WinHttpPalAcquireNextInterface", "WinHttpPalAcquireNextInterfaceAsync",
    "WinHttpPalCancelRequest", "WinHttpPalCreateCmSessionReference", "WinHttpPalCreateRequestCtx",
    "WinHttpPalDllInit", "WinHttpPalDllUnload", "WinHttpPalFreeProxyInfo", "WinHttpPalFreeRequestCtx",
    "WinHttpPalGetProxyCreds", "WinHttpPalGetProxyForCurrentInterface", "WinHttpPalIsImplemented",
    "WinHttpPalOnSendRequestComplete", "WinHttpProbeConnectivity", "WinHttpReadProxySettingsHvsi",
    "WinHttpSaveProxyCredentials",
};

static HMODULE winhttp(void)
{
    HMODULE module = GetModuleHandleA("winhttp.dll");
    ok(module != NULL, "winhttp.dll is not loaded (error %lu)\n", GetLastError());
    return module;
}

static void test_every_export_resolves(void)
{
    HMODULE module = winhttp();
    unsigned int i;

    ok_u(ARRAYSIZE(export_names), 93);
    for (i = 0; i < ARRAYSIZE(export_names); i++)
        ok(GetProcAddress(module, export_names[i]) != NULL, "export %s does not resolve\n", export_names[i]);
}

static BOOL version_string(const char *name, char *out, size_t size)
{
    char path[MAX_PATH], query[128];
    DWORD handle, len;
    void *info, *value;
    UINT value_len;
    BOOL ret = FALSE;

    GetModuleFileNameA(winhttp(), path, sizeof(path));
    if (!(len = GetFileVersionInfoSizeA(path, &handle))) return FALSE;
    info = malloc(len);
    if (GetFileVersionInfoA(path, 0, len, info))
    {
        snprintf(query, sizeof(query), "\\StringFileInfo\\040904b0\\%s", name);
        if (VerQueryValueA(info, query, &value, &value_len) && value_len)
        {
            lstrcpynA(out, value, (int)size);
            ret = TRUE;
        }
    }
    free(info);
    return ret;
}

/* Wine's builtin carries Wine's version resource; only ours has this product
 * name.  WINHTTP=builtin runs are expected to fail this one. */
static void test_ours_not_builtin(void)
{
    char product[256] = "", path[MAX_PATH];

    GetModuleFileNameA(winhttp(), path, sizeof(path));
    trace("winhttp.dll loaded from %s\n", path);
    ok(version_string("ProductName", product, sizeof(product)), "no version resource ProductName\n");
    ok(!strcmp(product, "WinHTTP for Wine (clean-room)"), "loaded winhttp.dll has ProductName \"%s\": not ours\n",
       product);
}

static void test_check_platform(void)
{
    ok(WinHttpCheckPlatform(), "WinHttpCheckPlatform failed\n");
}

/* Every export called with garbage: none may crash, each must fail. */
static void test_bad_arguments_crash_nothing(void)
{
    HINTERNET garbage[] = { NULL, (HINTERNET)(ULONG_PTR)1, (HINTERNET)(ULONG_PTR)0xdeadbeef,
                            (HINTERNET)(ULONG_PTR)0x7fffffff, (HINTERNET)(ULONG_PTR)-1 };
    HMODULE module = winhttp();
    HINTERNET session, closed;
    WCHAR buf[64];
    DWORD size, dw;
    unsigned int i;

    session = WinHttpOpen(L"test", WINHTTP_ACCESS_TYPE_NO_PROXY, NULL, NULL, 0);
    ok(session != NULL, "WinHttpOpen failed %lu\n", GetLastError());
    closed = WinHttpOpen(L"test", WINHTTP_ACCESS_TYPE_NO_PROXY, NULL, NULL, 0);
    ok(WinHttpCloseHandle(closed), "close failed\n");

    for (i = 0; i <= ARRAYSIZE(garbage); i++)
    {
        HINTERNET h = i < ARRAYSIZE(garbage) ? garbage[i] : closed;
        DWORD expect = ERROR_INVALID_HANDLE;

        ok_err(WinHttpCloseHandle(h), expect);
        ok_err(WinHttpConnect(h, L"localhost", 80, 0), expect);
        ok_err(WinHttpOpenRequest(h, NULL, NULL, NULL, NULL, NULL, 0), expect);
        ok_err(WinHttpSendRequest(h, NULL, 0, NULL, 0, 0, 0), expect);
        ok_err(WinHttpReceiveResponse(h, NULL), expect);
        size = 0;
        ok_err(WinHttpQueryDataAvailable(h, &size), expect);
        ok_err(WinHttpReadData(h, buf, sizeof(buf), &size), expect);
        ok_err(WinHttpWriteData(h, buf, sizeof(buf), &size), expect);
        ok_err(WinHttpAddRequestHeaders(h, L"X-A: b", (DWORD)-1, WINHTTP_ADDREQ_FLAG_ADD), expect);
        size = sizeof(buf);
        ok_err(WinHttpQueryHeaders(h, WINHTTP_QUERY_STATUS_CODE, NULL, buf, &size, NULL), expect);
        size = sizeof(dw);
        ok_err(WinHttpQueryOption(h, WINHTTP_OPTION_CONTEXT_VALUE, &dw, &size), expect);
        dw = 1;
        ok_err(WinHttpSetOption(h, WINHTTP_OPTION_CONTEXT_VALUE, &dw, sizeof(dw)), expect);
        ok_err(WinHttpSetTimeouts(h, 1, 1, 1, 1), expect);
        ok_err(WinHttpQueryAuthSchemes(h, &dw, &dw, &dw), expect);
        ok_err(WinHttpSetCredentials(h, WINHTTP_AUTH_TARGET_SERVER, WINHTTP_AUTH_SCHEME_BASIC, L"u", L"p", NULL), expect);
        ok(WinHttpSetStatusCallback(h, NULL, 0, 0) == WINHTTP_INVALID_STATUS_CALLBACK, "SetStatusCallback accepted a bad handle\n");
        ok(WinHttpReadDataEx(h, buf, sizeof(buf), &size, 0, 0, NULL) == expect, "ReadDataEx\n");
        ok(WinHttpAddRequestHeadersEx(h, WINHTTP_ADDREQ_FLAG_ADD, 0, 0, 0, NULL) == expect, "AddRequestHeadersEx\n");
        ok(WinHttpQueryHeadersEx(h, WINHTTP_QUERY_STATUS_CODE, 0, 0, NULL, NULL, buf, &size, NULL, NULL) == expect,
           "QueryHeadersEx\n");
        ok(WinHttpWebSocketCompleteUpgrade(h, 0) == NULL, "WebSocketCompleteUpgrade\n");
        ok(WinHttpWebSocketSend(h, WINHTTP_WEB_SOCKET_BINARY_MESSAGE_BUFFER_TYPE, buf, 1) == expect, "WebSocketSend\n");
        ok(WinHttpWebSocketReceive(h, buf, sizeof(buf), &size, NULL) == expect, "WebSocketReceive\n");
        ok(WinHttpWebSocketShutdown(h, 1000, NULL, 0) == expect, "WebSocketShutdown\n");
        ok(WinHttpWebSocketClose(h, 1000, NULL, 0) == expect, "WebSocketClose\n");
        ok(WinHttpWebSocketQueryCloseStatus(h, NULL, NULL, 0, NULL) != ERROR_SUCCESS, "WebSocketQueryCloseStatus\n");
        ok(WinHttpGetProxyForUrlEx(h, L"http://a/", NULL, 0) != ERROR_SUCCESS, "GetProxyForUrlEx\n");
        ok(WinHttpGetProxyResult(h, NULL) != ERROR_SUCCESS, "GetProxyResult\n");
        ok(WinHttpResetAutoProxy(h, 0) != ERROR_SUCCESS, "ResetAutoProxy\n");
        ok(WinHttpCreateProxyResolver(h, NULL) != ERROR_SUCCESS, "CreateProxyResolver\n");
        ok(!WinHttpGetProxyForUrl(h, L"http://a/", NULL, NULL), "GetProxyForUrl\n");
    }

    /* NULL pointers to functions that take no handle */
    ok(!WinHttpCrackUrl(NULL, 0, 0, NULL), "CrackUrl(NULL)\n");
    ok(!WinHttpCrackUrl(L"http://a/", 0, 0, NULL), "CrackUrl(components NULL)\n");
    ok(!WinHttpCreateUrl(NULL, 0, NULL, NULL), "CreateUrl(NULL)\n");
    ok(!WinHttpTimeFromSystemTime(NULL, NULL), "TimeFromSystemTime(NULL)\n");
    ok(!WinHttpTimeToSystemTime(NULL, NULL), "TimeToSystemTime(NULL)\n");
    ok(!WinHttpGetDefaultProxyConfiguration(NULL), "GetDefaultProxyConfiguration(NULL)\n");
    ok(!WinHttpSetDefaultProxyConfiguration(NULL), "SetDefaultProxyConfiguration(NULL)\n");
    ok(!WinHttpGetIEProxyConfigForCurrentUser(NULL), "GetIEProxyConfigForCurrentUser(NULL)\n");
    ok(!WinHttpDetectAutoProxyConfigUrl(0, NULL), "DetectAutoProxyConfigUrl(NULL)\n");
    WinHttpFreeProxyResult(NULL);
    WinHttpFreeProxyResultEx(NULL);
    WinHttpFreeProxySettings(NULL);
    WinHttpFreeQueryConnectionGroupResult(NULL);
    ok(WinHttpRegisterProxyChangeNotification(0, NULL, NULL, NULL) != ERROR_SUCCESS, "RegisterProxyChange\n");
    ok(WinHttpUnregisterProxyChangeNotification(NULL) != ERROR_SUCCESS, "UnregisterProxyChange\n");
    ok(WinHttpQueryConnectionGroup(NULL, NULL, 0, NULL) != ERROR_SUCCESS, "QueryConnectionGroup\n");

    /* The undocumented exports take no arguments we know of and must fail cleanly. */
    for (i = 0; i < ARRAYSIZE(export_names); i++)
    {
        DWORD (WINAPI *func)(void);
        if (strncmp(export_names[i], "WinHttpPal", 10) && strncmp(export_names[i], "WinHttpConnection", 17) &&
            strcmp(export_names[i], "Private1") && strcmp(export_names[i], "SvchostPushServiceGlobals") &&
            strcmp(export_names[i], "WinHttpAutoProxySvcMain") && strcmp(export_names[i], "WinHttpGetProxyForUrlHvsi") &&
            strcmp(export_names[i], "WinHttpGetTunnelSocket") && strcmp(export_names[i], "WinHttpPacJsWorkerMain") &&
            strcmp(export_names[i], "WinHttpProbeConnectivity") && strcmp(export_names[i], "WinHttpReadProxySettingsHvsi") &&
            strcmp(export_names[i], "WinHttpSaveProxyCredentials"))
            continue;
        func = (void *)GetProcAddress(module, export_names[i]);
        if (!func) continue;
        ok(func() != ERROR_SUCCESS, "%s returned success\n", export_names[i]);
    }

    WinHttpCloseHandle(session);
}

int main(void)
{
    run_test("every_export_resolves", test_every_export_resolves);
    run_test("ours_not_builtin", test_ours_not_builtin);
    run_test("check_platform", test_check_platform);
    run_test("bad_arguments_crash_nothing", test_bad_arguments_crash_nothing);
    return test_summary();
}
