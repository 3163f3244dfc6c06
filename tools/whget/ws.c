/*
 * whget --ws URL: a WebSocket client on WinHttpWebSocket*.  Each line of
 * stdin goes out as a UTF-8 message; each message that comes back is printed
 * on its own line (binary ones as hex).  At the end of stdin whget closes
 * with 1000 and prints the server's close status on stderr.
 */
#include <windows.h>
#include <winhttp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

int do_websocket(const WCHAR *url, const WCHAR **headers, int header_count, const WCHAR *proxy, BOOL verbose);

static void ws_fail(const char *what, DWORD error)
{
    fprintf(stderr, "whget: %s failed: error %lu\n", what, error);
}

/* One whole message to stdout; FALSE when the server closed or it failed. */
static BOOL print_message(HINTERNET socket)
{
    WINHTTP_WEB_SOCKET_BUFFER_TYPE type;
    BYTE buf[4096];
    DWORD len, error, i;

    do
    {
        if ((error = WinHttpWebSocketReceive(socket, buf, sizeof(buf), &len, &type)))
        {
            ws_fail("WinHttpWebSocketReceive", error);
            return FALSE;
        }
        if (type == WINHTTP_WEB_SOCKET_CLOSE_BUFFER_TYPE) return FALSE;
        if (type == WINHTTP_WEB_SOCKET_UTF8_MESSAGE_BUFFER_TYPE || type == WINHTTP_WEB_SOCKET_UTF8_FRAGMENT_BUFFER_TYPE)
            fwrite(buf, 1, len, stdout);
        else
            for (i = 0; i < len; i++) printf("%02x", buf[i]);
    } while (type == WINHTTP_WEB_SOCKET_UTF8_FRAGMENT_BUFFER_TYPE || type == WINHTTP_WEB_SOCKET_BINARY_FRAGMENT_BUFFER_TYPE);
    putchar('\n');
    fflush(stdout);
    return TRUE;
}

int do_websocket(const WCHAR *url, const WCHAR **headers, int header_count, const WCHAR *proxy, BOOL verbose)
{
    HINTERNET session = NULL, connect = NULL, request = NULL, socket = NULL;
    URL_COMPONENTSW uc = { sizeof(uc) };
    WCHAR host[256], path[2048], *http_url;
    char line[8192], reason[128];
    DWORD status = 0, size = sizeof(status), error, len;
    USHORT close_status;
    BOOL secure;
    int i, ret = 1;

    /* WinHttpCrackUrl knows http and https: ws and wss are the same URLs. */
    http_url = malloc((wcslen(url) + 2) * sizeof(WCHAR));
    if (!_wcsnicmp(url, L"ws://", 5)) swprintf(http_url, wcslen(url) + 2, L"http://%ls", url + 5);
    else if (!_wcsnicmp(url, L"wss://", 6)) swprintf(http_url, wcslen(url) + 2, L"https://%ls", url + 6);
    else wcscpy(http_url, url);
    uc.lpszHostName = host;
    uc.dwHostNameLength = ARRAYSIZE(host);
    uc.lpszUrlPath = path;
    uc.dwUrlPathLength = ARRAYSIZE(path);
    uc.dwExtraInfoLength = 1;
    if (!WinHttpCrackUrl(http_url, 0, 0, &uc))
    {
        ws_fail("WinHttpCrackUrl", GetLastError());
        goto done;
    }
    if (uc.dwExtraInfoLength) wcsncat(path, uc.lpszExtraInfo, uc.dwExtraInfoLength);
    secure = uc.nScheme == INTERNET_SCHEME_HTTPS;

    session = WinHttpOpen(L"whget", proxy ? WINHTTP_ACCESS_TYPE_NAMED_PROXY : WINHTTP_ACCESS_TYPE_AUTOMATIC_PROXY,
                          proxy ? proxy : WINHTTP_NO_PROXY_NAME, WINHTTP_NO_PROXY_BYPASS, 0);
    if (!session || !(connect = WinHttpConnect(session, host, uc.nPort, 0)) ||
        !(request = WinHttpOpenRequest(connect, L"GET", path, NULL, NULL, NULL, secure ? WINHTTP_FLAG_SECURE : 0)))
    {
        ws_fail("opening the request", GetLastError());
        goto done;
    }
    for (i = 0; i < header_count; i++) WinHttpAddRequestHeaders(request, headers[i], -1, WINHTTP_ADDREQ_FLAG_ADD);
    if (!WinHttpSetOption(request, WINHTTP_OPTION_UPGRADE_TO_WEB_SOCKET, NULL, 0) ||
        !WinHttpSendRequest(request, NULL, 0, NULL, 0, 0, 0) || !WinHttpReceiveResponse(request, NULL))
    {
        ws_fail("the handshake", GetLastError());
        goto done;
    }
    WinHttpQueryHeaders(request, WINHTTP_QUERY_STATUS_CODE | WINHTTP_QUERY_FLAG_NUMBER, NULL, &status, &size, NULL);
    if (verbose) fprintf(stderr, "* handshake answered %lu\n", status);
    if (!(socket = WinHttpWebSocketCompleteUpgrade(request, 0)))
    {
        ws_fail("WinHttpWebSocketCompleteUpgrade", GetLastError());
        goto done;
    }
    WinHttpCloseHandle(request);
    request = NULL;

    while (fgets(line, sizeof(line), stdin))
    {
        len = strcspn(line, "\r\n");
        if ((error = WinHttpWebSocketSend(socket, WINHTTP_WEB_SOCKET_UTF8_MESSAGE_BUFFER_TYPE, line, len)))
        {
            ws_fail("WinHttpWebSocketSend", error);
            goto done;
        }
        if (!print_message(socket)) break;
    }
    if ((error = WinHttpWebSocketClose(socket, WINHTTP_WEB_SOCKET_SUCCESS_CLOSE_STATUS, NULL, 0)))
    {
        ws_fail("WinHttpWebSocketClose", error);
        goto done;
    }
    if (!WinHttpWebSocketQueryCloseStatus(socket, &close_status, reason, sizeof(reason) - 1, &len))
    {
        reason[len] = 0;
        fprintf(stderr, "* closed: %u %s\n", close_status, reason);
    }
    ret = 0;
done:
    if (socket) WinHttpCloseHandle(socket);
    if (request) WinHttpCloseHandle(request);
    if (connect) WinHttpCloseHandle(connect);
    if (session) WinHttpCloseHandle(session);
    free(http_url);
    return ret;
}
