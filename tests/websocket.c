/*
 * WebSockets: the upgrade, WinHttpWebSocket* in synchronous and
 * asynchronous mode, against Debian's python3-websockets on loopback (plain,
 * TLS, through squid's CONNECT) and a hostile scripted server
 * (tests/peers/ws/ws_server.py says what each path does).  Written from
 * Microsoft's WinHttpWebSocket* reference and RFC 6455.
 */
#include "test.h"
#include <winhttp.h>
#include "peers.h"
#include "client.h"

static int ws_port, wss_port, hostile_port, squid_port;

struct ws
{
    HINTERNET session, request, socket;
    DWORD status;           /* of the handshake */
    DWORD upgrade_error;    /* of WinHttpWebSocketCompleteUpgrade */
};

/* Connect, upgrade and take the WebSocket; ws->socket is NULL on failure. */
static void ws_open(struct ws *ws, HINTERNET session, int port, BOOL secure, const WCHAR *path, const WCHAR *headers)
{
    HINTERNET connect;
    DWORD error;

    memset(ws, 0, sizeof(*ws));
    ws->session = session;
    connect = WinHttpConnect(session, L"localhost", port, 0);
    ok(connect != NULL, "WinHttpConnect failed: %lu\n", GetLastError());
    ws->request = WinHttpOpenRequest(connect, L"GET", path, NULL, NULL, NULL, secure ? WINHTTP_FLAG_SECURE : 0);
    ok(ws->request != NULL, "WinHttpOpenRequest failed: %lu\n", GetLastError());
    WinHttpCloseHandle(connect);
    ok(WinHttpSetOption(ws->request, WINHTTP_OPTION_UPGRADE_TO_WEB_SOCKET, NULL, 0), "upgrade option: %lu\n", GetLastError());
    if (headers) ok(WinHttpAddRequestHeaders(ws->request, headers, -1, WINHTTP_ADDREQ_FLAG_ADD), "headers\n");
    ws->status = send_request(ws->request, &error);
    if (!ws->status)
    {
        ok(0, "the handshake failed: %lu\n", error);
        return;
    }
    SetLastError(0xdeadbeef);
    ws->socket = WinHttpWebSocketCompleteUpgrade(ws->request, 0);
    ws->upgrade_error = ws->socket ? 0 : GetLastError();
}

static void ws_free(struct ws *ws)
{
    if (ws->socket) WinHttpCloseHandle(ws->socket);
    if (ws->request) WinHttpCloseHandle(ws->request);
}

static HINTERNET open_session(DWORD flags)
{
    HINTERNET s = WinHttpOpen(L"winhttp-tests", WINHTTP_ACCESS_TYPE_NO_PROXY, NULL, NULL, flags);
    ok(s != NULL, "WinHttpOpen failed: %lu\n", GetLastError());
    return s;
}

/* One receive: the error; *len and *type filled on success. */
static DWORD receive(HINTERNET socket, void *buf, DWORD size, DWORD *len, WINHTTP_WEB_SOCKET_BUFFER_TYPE *type)
{
    *len = 0xdeadbeef;
    *type = 0xdeadbeef;
    return WinHttpWebSocketReceive(socket, buf, size, len, type);
}

#define ok_receive(socket, expect_type, expect_text) do { char b_[256]; DWORD l_, e_; WINHTTP_WEB_SOCKET_BUFFER_TYPE t_; \
    e_ = receive(socket, b_, sizeof(b_), &l_, &t_); \
    ok(!e_ && t_ == (expect_type) && l_ == strlen(expect_text) && !memcmp(b_, expect_text, l_), \
       "expected type %u \"%s\", got error %lu type %u \"%.*s\"\n", (unsigned)(expect_type), expect_text, e_, t_, \
       e_ ? 0 : (int)min(l_, sizeof(b_)), b_); } while (0)

static void test_echo(void)
{
    HINTERNET session = open_session(0);
    WINHTTP_WEB_SOCKET_BUFFER_TYPE type;
    WCHAR value[64];
    DWORD size, index = 0, len, error;
    USHORT status;
    char reason[130];
    struct ws ws;

    ws_open(&ws, session, ws_port, FALSE, L"/echo", L"Sec-WebSocket-Protocol: chat");
    ok_u(ws.status, HTTP_STATUS_SWITCH_PROTOCOLS);
    ok(ws.socket != NULL, "WinHttpWebSocketCompleteUpgrade failed: %lu\n", ws.upgrade_error);
    if (!ws.socket) goto done;

    /* The handshake: our version header, the server's choice of subprotocol. */
    size = sizeof(value);
    ok(WinHttpQueryHeaders(ws.request, WINHTTP_QUERY_CUSTOM | WINHTTP_QUERY_FLAG_REQUEST_HEADERS,
                           L"Sec-WebSocket-Version", value, &size, &index), "no version header\n");
    ok_wstr(value, L"13");
    size = sizeof(value);
    index = 0;
    ok(WinHttpQueryHeaders(ws.request, WINHTTP_QUERY_CUSTOM, L"Sec-WebSocket-Protocol", value, &size, &index),
       "no subprotocol in the 101: %lu\n", GetLastError());
    ok_wstr(value, L"chat");

    ok_u(WinHttpWebSocketSend(ws.socket, WINHTTP_WEB_SOCKET_UTF8_MESSAGE_BUFFER_TYPE, (void *)"hello", 5), 0);
    ok_receive(ws.socket, WINHTTP_WEB_SOCKET_UTF8_MESSAGE_BUFFER_TYPE, "hello");
    ok_u(WinHttpWebSocketSend(ws.socket, WINHTTP_WEB_SOCKET_BINARY_MESSAGE_BUFFER_TYPE, (void *)"\0\1\2", 3), 0);
    ok_u(receive(ws.socket, reason, sizeof(reason), &len, &type), 0);
    ok(type == WINHTTP_WEB_SOCKET_BINARY_MESSAGE_BUFFER_TYPE && len == 3 && !memcmp(reason, "\0\1\2", 3),
       "binary echo: type %u, %lu bytes\n", type, len);
    /* An empty message. */
    ok_u(WinHttpWebSocketSend(ws.socket, WINHTTP_WEB_SOCKET_BINARY_MESSAGE_BUFFER_TYPE, NULL, 0), 0);
    ok_receive(ws.socket, WINHTTP_WEB_SOCKET_BINARY_MESSAGE_BUFFER_TYPE, "");
    /* Our fragments make one message (the server echoes it whole). */
    ok_u(WinHttpWebSocketSend(ws.socket, WINHTTP_WEB_SOCKET_UTF8_FRAGMENT_BUFFER_TYPE, (void *)"frag", 4), 0);
    ok_u(WinHttpWebSocketSend(ws.socket, WINHTTP_WEB_SOCKET_UTF8_FRAGMENT_BUFFER_TYPE, (void *)"men", 3), 0);
    ok_u(WinHttpWebSocketSend(ws.socket, WINHTTP_WEB_SOCKET_UTF8_MESSAGE_BUFFER_TYPE, (void *)"ted", 3), 0);
    ok_receive(ws.socket, WINHTTP_WEB_SOCKET_UTF8_MESSAGE_BUFFER_TYPE, "fragmented");
    /* A multi-byte character split between two fragments. */
    ok_u(WinHttpWebSocketSend(ws.socket, WINHTTP_WEB_SOCKET_UTF8_FRAGMENT_BUFFER_TYPE, (void *)"\xe2\x82", 2), 0);
    ok_u(WinHttpWebSocketSend(ws.socket, WINHTTP_WEB_SOCKET_UTF8_MESSAGE_BUFFER_TYPE, (void *)"\xac", 1), 0);
    ok_receive(ws.socket, WINHTTP_WEB_SOCKET_UTF8_MESSAGE_BUFFER_TYPE, "\xe2\x82\xac");

    error = WinHttpWebSocketQueryCloseStatus(ws.socket, &status, reason, sizeof(reason), &len);
    ok_u(error, ERROR_INVALID_OPERATION);
    ok_u(WinHttpWebSocketClose(ws.socket, WINHTTP_WEB_SOCKET_SUCCESS_CLOSE_STATUS, (void *)"bye", 3), 0);
    status = 0;
    error = WinHttpWebSocketQueryCloseStatus(ws.socket, &status, reason, sizeof(reason), &len);
    ok_u(error, 0);
    ok_u(status, 1000);
    ok(peer_wait_log("WINHTTP_TEST_WS_LOG", "REAL /echo messages=5 code=1000", 1, 3000) >= 1,
       "the server did not see 5 messages and our close\n");
    /* Nothing more after the closing handshake. */
    ok_u(WinHttpWebSocketSend(ws.socket, WINHTTP_WEB_SOCKET_UTF8_MESSAGE_BUFFER_TYPE, (void *)"x", 1),
         ERROR_INVALID_OPERATION);
    ok_u(receive(ws.socket, reason, sizeof(reason), &len, (WINHTTP_WEB_SOCKET_BUFFER_TYPE *)&error), ERROR_INVALID_OPERATION);
done:
    ws_free(&ws);
    WinHttpCloseHandle(session);
}

static BOOL check_pattern(const BYTE *buf, DWORD len)
{
    DWORD i;
    for (i = 0; i < len; i++) if (buf[i] != PEER_PATTERN_BYTE(i)) return FALSE;
    return TRUE;
}

/* A message larger than the buffer: fragments, then the message's end. */
static void big_messages(int port, BOOL secure)
{
    HINTERNET session = open_session(0);
    DWORD total = 0, len, error, fragments = 0, i;
    WINHTTP_WEB_SOCKET_BUFFER_TYPE type;
    BYTE *buf = malloc(1 << 20), *chunk = malloc(65536);
    struct ws ws;

    ws_open(&ws, session, port, secure, L"/big?n=1048576", NULL);
    ok(ws.socket != NULL, "no WebSocket: %lu\n", ws.upgrade_error);
    if (!ws.socket) goto done;
    do
    {
        error = receive(ws.socket, chunk, 65536, &len, &type);
        if (error || total + len > (1u << 20)) break;
        memcpy(buf + total, chunk, len);
        total += len;
        if (type == WINHTTP_WEB_SOCKET_BINARY_FRAGMENT_BUFFER_TYPE) fragments++;
    } while (type == WINHTTP_WEB_SOCKET_BINARY_FRAGMENT_BUFFER_TYPE);
    ok_u(error, 0);
    ok_u(type, WINHTTP_WEB_SOCKET_BINARY_MESSAGE_BUFFER_TYPE);
    ok_u(total, 1 << 20);
    ok(fragments >= 15, "only %lu fragments\n", fragments);
    ok(check_pattern(buf, total), "the message's bytes differ\n");

    /* And one of ours (a 64-bit length frame), echoed. */
    for (i = 0; i < (1u << 20); i++) buf[i] = PEER_PATTERN_BYTE(i);
    ok_u(WinHttpWebSocketSend(ws.socket, WINHTTP_WEB_SOCKET_BINARY_MESSAGE_BUFFER_TYPE, buf, 1 << 20), 0);
    memset(buf, 0, 1 << 20);
    total = 0;
    do
    {
        error = receive(ws.socket, buf + total, (1u << 20) - total, &len, &type);
        if (error) break;
        total += len;
    } while (type == WINHTTP_WEB_SOCKET_BINARY_FRAGMENT_BUFFER_TYPE && total < (1u << 20));
    ok_u(error, 0);
    ok_u(total, 1 << 20);
    ok(check_pattern(buf, total), "the echo differs\n");
    ok_u(WinHttpWebSocketClose(ws.socket, 1000, NULL, 0), 0);
done:
    ws_free(&ws);
    free(buf);
    free(chunk);
    WinHttpCloseHandle(session);
}

static void test_big_messages(void)
{
    big_messages(ws_port, FALSE);
    if (wss_port) big_messages(wss_port, TRUE);
}

static void test_server_fragments(void)
{
    HINTERNET session = open_session(0);
    WINHTTP_WEB_SOCKET_BUFFER_TYPE type;
    BYTE buf[256];
    DWORD len;
    struct ws ws;

    ws_open(&ws, session, ws_port, FALSE, L"/fragments", NULL);
    ok(ws.socket != NULL, "no WebSocket: %lu\n", ws.upgrade_error);
    if (!ws.socket) goto done;
    /* Each fragment the server sends is reported as such (python3-websockets
     * ends a fragmented message with an empty final frame). */
    ok_receive(ws.socket, WINHTTP_WEB_SOCKET_UTF8_FRAGMENT_BUFFER_TYPE, "one");
    ok_receive(ws.socket, WINHTTP_WEB_SOCKET_UTF8_FRAGMENT_BUFFER_TYPE, "two");
    ok_u(receive(ws.socket, buf, sizeof(buf), &len, &type), 0);
    ok(len == 5 && !memcmp(buf, "three", 5), "third fragment: %lu bytes\n", len);
    if (type == WINHTTP_WEB_SOCKET_UTF8_FRAGMENT_BUFFER_TYPE)
        ok_receive(ws.socket, WINHTTP_WEB_SOCKET_UTF8_MESSAGE_BUFFER_TYPE, "");
    else ok_u(type, WINHTTP_WEB_SOCKET_UTF8_MESSAGE_BUFFER_TYPE);
    ok_u(receive(ws.socket, buf, sizeof(buf), &len, &type), 0);
    ok_u(type, WINHTTP_WEB_SOCKET_BINARY_FRAGMENT_BUFFER_TYPE);
    ok_u(len, 128);
    ok_u(receive(ws.socket, buf + 128, 128, &len, &type), 0);
    ok_u(len, 128);
    if (type == WINHTTP_WEB_SOCKET_BINARY_FRAGMENT_BUFFER_TYPE)
        ok_receive(ws.socket, WINHTTP_WEB_SOCKET_BINARY_MESSAGE_BUFFER_TYPE, "");
    else ok_u(type, WINHTTP_WEB_SOCKET_BINARY_MESSAGE_BUFFER_TYPE);
    ok(buf[0] == 0 && buf[255] == 255, "binary fragments differ\n");
    ok_u(WinHttpWebSocketClose(ws.socket, 1000, NULL, 0), 0);
done:
    ws_free(&ws);
    WinHttpCloseHandle(session);
}

/* The server pings and waits for our pong before it says anything. */
static void test_ping(void)
{
    HINTERNET session = open_session(0);
    struct ws ws;

    ws_open(&ws, session, ws_port, FALSE, L"/ping", NULL);
    ok(ws.socket != NULL, "no WebSocket: %lu\n", ws.upgrade_error);
    if (!ws.socket) goto done;
    ok_receive(ws.socket, WINHTTP_WEB_SOCKET_UTF8_MESSAGE_BUFFER_TYPE, "pong received");
    ok_u(WinHttpWebSocketClose(ws.socket, 1000, NULL, 0), 0);
done:
    ws_free(&ws);
    WinHttpCloseHandle(session);
}

/* The server closes first: the receive reports it, QueryCloseStatus says why. */
static void test_close_from_server(void)
{
    HINTERNET session = open_session(0);
    WINHTTP_WEB_SOCKET_BUFFER_TYPE type;
    DWORD len;
    USHORT status = 0;
    char reason[128];
    struct ws ws;

    ws_open(&ws, session, ws_port, FALSE, L"/close?code=4001&reason=gone%20away", NULL);
    ok(ws.socket != NULL, "no WebSocket: %lu\n", ws.upgrade_error);
    if (!ws.socket) goto done;
    ok_u(receive(ws.socket, reason, sizeof(reason), &len, &type), 0);
    ok_u(type, WINHTTP_WEB_SOCKET_CLOSE_BUFFER_TYPE);
    ok_u(len, 0);
    ok_u(WinHttpWebSocketQueryCloseStatus(ws.socket, &status, reason, sizeof(reason), &len), 0);
    ok_u(status, 4001);
    ok(len == 9 && !memcmp(reason, "gone away", 9), "reason \"%.*s\"\n", (int)min(len, sizeof(reason)), reason);
    /* A reason buffer too small. */
    ok_u(WinHttpWebSocketQueryCloseStatus(ws.socket, &status, reason, 3, &len), ERROR_INSUFFICIENT_BUFFER);
    ok_u(len, 9);
    ok_u(receive(ws.socket, reason, sizeof(reason), &len, &type), ERROR_INVALID_OPERATION);
    ok_u(WinHttpWebSocketClose(ws.socket, 1000, NULL, 0), 0);
done:
    ws_free(&ws);
    WinHttpCloseHandle(session);
}

static void test_parameters(void)
{
    HINTERNET session = open_session(0), connect, request;
    WINHTTP_WEB_SOCKET_BUFFER_TYPE type;
    char buf[200];
    DWORD len, value;
    USHORT status;
    struct ws ws;

    memset(buf, 'r', sizeof(buf));
    /* No upgrade asked for: no WebSocket. */
    connect = WinHttpConnect(session, L"localhost", ws_port, 0);
    request = WinHttpOpenRequest(connect, L"GET", L"/echo", NULL, NULL, NULL, 0);
    ok_err(WinHttpWebSocketCompleteUpgrade(request, 0), ERROR_WINHTTP_INCORRECT_HANDLE_STATE);
    ok_err(WinHttpWebSocketCompleteUpgrade(connect, 0), ERROR_WINHTTP_INCORRECT_HANDLE_TYPE);
    ok_err(WinHttpWebSocketCompleteUpgrade(NULL, 0), ERROR_INVALID_HANDLE);
    ok_u(WinHttpWebSocketSend(request, WINHTTP_WEB_SOCKET_BINARY_MESSAGE_BUFFER_TYPE, buf, 1),
         ERROR_WINHTTP_INCORRECT_HANDLE_TYPE);
    ok_u(WinHttpWebSocketSend(NULL, WINHTTP_WEB_SOCKET_BINARY_MESSAGE_BUFFER_TYPE, buf, 1), ERROR_INVALID_HANDLE);
    ok_u(WinHttpWebSocketReceive((HINTERNET)(ULONG_PTR)0x7777, buf, 1, &len, &type), ERROR_INVALID_HANDLE);
    ok_u(WinHttpWebSocketClose(session, 1000, NULL, 0), ERROR_WINHTTP_INCORRECT_HANDLE_TYPE);
    WinHttpCloseHandle(request);
    WinHttpCloseHandle(connect);

    ws_open(&ws, session, ws_port, FALSE, L"/echo", NULL);
    ok(ws.socket != NULL, "no WebSocket: %lu\n", ws.upgrade_error);
    if (!ws.socket) goto done;

    ok_u(WinHttpWebSocketSend(ws.socket, WINHTTP_WEB_SOCKET_CLOSE_BUFFER_TYPE, buf, 1), ERROR_INVALID_PARAMETER);
    ok_u(WinHttpWebSocketSend(ws.socket, 77, buf, 1), ERROR_INVALID_PARAMETER);
    ok_u(WinHttpWebSocketSend(ws.socket, WINHTTP_WEB_SOCKET_BINARY_MESSAGE_BUFFER_TYPE, NULL, 1), ERROR_INVALID_PARAMETER);
    ok_u(WinHttpWebSocketReceive(ws.socket, NULL, 10, &len, &type), ERROR_INVALID_PARAMETER);
    ok_u(WinHttpWebSocketReceive(ws.socket, buf, 0, &len, &type), ERROR_INVALID_PARAMETER);
    ok_u(WinHttpWebSocketReceive(ws.socket, buf, 10, NULL, &type), ERROR_INVALID_PARAMETER);
    /* A fragmented message keeps its type. */
    ok_u(WinHttpWebSocketSend(ws.socket, WINHTTP_WEB_SOCKET_BINARY_FRAGMENT_BUFFER_TYPE, buf, 2), 0);
    ok_u(WinHttpWebSocketSend(ws.socket, WINHTTP_WEB_SOCKET_UTF8_MESSAGE_BUFFER_TYPE, buf, 2), ERROR_INVALID_PARAMETER);
    ok_u(WinHttpWebSocketSend(ws.socket, WINHTTP_WEB_SOCKET_UTF8_FRAGMENT_BUFFER_TYPE, buf, 2), ERROR_INVALID_PARAMETER);
    ok_u(WinHttpWebSocketSend(ws.socket, WINHTTP_WEB_SOCKET_BINARY_MESSAGE_BUFFER_TYPE, buf, 2), 0);
    ok_receive(ws.socket, WINHTTP_WEB_SOCKET_BINARY_MESSAGE_BUFFER_TYPE, "rrrr");

    /* Close status and reason. */
    ok_u(WinHttpWebSocketShutdown(ws.socket, 1000, buf, 124), ERROR_INVALID_PARAMETER);
    ok_u(WinHttpWebSocketShutdown(ws.socket, 1000, NULL, 3), ERROR_INVALID_PARAMETER);
    ok_u(WinHttpWebSocketShutdown(ws.socket, 1006, NULL, 0), ERROR_INVALID_PARAMETER);
    ok_u(WinHttpWebSocketShutdown(ws.socket, 999, NULL, 0), ERROR_INVALID_PARAMETER);
    ok_u(WinHttpWebSocketClose(ws.socket, 1015, NULL, 0), ERROR_INVALID_PARAMETER);
    ok_u(WinHttpWebSocketClose(ws.socket, 1000, buf, 124), ERROR_INVALID_PARAMETER);
    ok_u(WinHttpWebSocketQueryCloseStatus(ws.socket, NULL, buf, 10, &len), ERROR_INVALID_PARAMETER);
    ok_u(WinHttpWebSocketQueryCloseStatus(ws.socket, &status, buf, 10, NULL), ERROR_INVALID_PARAMETER);
    ok_u(WinHttpWebSocketQueryCloseStatus(ws.socket, &status, NULL, 10, &len), ERROR_INVALID_PARAMETER);

    /* The options of a WebSocket handle. */
    value = 5000;
    ok(WinHttpSetOption(ws.socket, WINHTTP_OPTION_WEB_SOCKET_CLOSE_TIMEOUT, &value, sizeof(value)), "close timeout\n");
    len = sizeof(value);
    value = 0;
    ok(WinHttpQueryOption(ws.socket, WINHTTP_OPTION_WEB_SOCKET_CLOSE_TIMEOUT, &value, &len), "close timeout\n");
    ok_u(value, 5000);
    value = 14999;
    ok_err(WinHttpSetOption(ws.socket, WINHTTP_OPTION_WEB_SOCKET_KEEPALIVE_INTERVAL, &value, sizeof(value)),
           ERROR_INVALID_PARAMETER);
    value = 15000;
    ok(WinHttpSetOption(ws.socket, WINHTTP_OPTION_WEB_SOCKET_KEEPALIVE_INTERVAL, &value, sizeof(value)), "keepalive\n");
    ok_err(WinHttpSetOption(ws.socket, WINHTTP_OPTION_WEB_SOCKET_SEND_BUFFER_SIZE, &value, sizeof(value)),
           ERROR_WINHTTP_INCORRECT_HANDLE_TYPE);
    len = sizeof(value);
    ok_err(WinHttpQueryOption(ws.socket, WINHTTP_OPTION_WEB_SOCKET_RECEIVE_BUFFER_SIZE, &value, &len),
           ERROR_WINHTTP_INCORRECT_HANDLE_TYPE);
    ok_err(WinHttpQueryHeaders(ws.socket, WINHTTP_QUERY_STATUS_CODE, NULL, buf, &len, NULL),
           ERROR_WINHTTP_INCORRECT_HANDLE_TYPE);

    /* After Shutdown nothing can be sent, but the server's frames still come. */
    ok_u(WinHttpWebSocketShutdown(ws.socket, 1001, (void *)"going", 5), 0);
    ok_u(WinHttpWebSocketShutdown(ws.socket, 1001, NULL, 0), ERROR_INVALID_OPERATION);
    ok_u(WinHttpWebSocketSend(ws.socket, WINHTTP_WEB_SOCKET_UTF8_MESSAGE_BUFFER_TYPE, buf, 1), ERROR_INVALID_OPERATION);
    ok_receive(ws.socket, WINHTTP_WEB_SOCKET_CLOSE_BUFFER_TYPE, "");
    ok_u(WinHttpWebSocketQueryCloseStatus(ws.socket, &status, buf, sizeof(buf), &len), 0);
    ok_u(status, 1001);
    ok_u(WinHttpWebSocketClose(ws.socket, 1000, NULL, 0), 0);
done:
    ws_free(&ws);
    WinHttpCloseHandle(session);
}

/* The send buffer must hold at least 16 bytes (Windows refuses to send). */
static void test_send_buffer_size(void)
{
    HINTERNET session = open_session(0), connect, request;
    DWORD value = 15;

    connect = WinHttpConnect(session, L"localhost", ws_port, 0);
    request = WinHttpOpenRequest(connect, L"GET", L"/echo", NULL, NULL, NULL, 0);
    ok(WinHttpSetOption(request, WINHTTP_OPTION_UPGRADE_TO_WEB_SOCKET, NULL, 0), "upgrade\n");
    ok(WinHttpSetOption(request, WINHTTP_OPTION_WEB_SOCKET_SEND_BUFFER_SIZE, &value, sizeof(value)), "buffer size\n");
    ok_err(WinHttpSendRequest(request, NULL, 0, NULL, 0, 0, 0), ERROR_NOT_ENOUGH_MEMORY);
    value = 16;
    ok(WinHttpSetOption(request, WINHTTP_OPTION_WEB_SOCKET_SEND_BUFFER_SIZE, &value, sizeof(value)), "buffer size\n");
    ok_u(send_request(request, NULL), HTTP_STATUS_SWITCH_PROTOCOLS);
    WinHttpCloseHandle(request);
    WinHttpCloseHandle(connect);
    WinHttpCloseHandle(session);
}

static void echo_once(HINTERNET session, int port, BOOL secure)
{
    struct ws ws;

    ws_open(&ws, session, port, secure, L"/greet", NULL);
    ok(ws.socket != NULL, "no WebSocket: %lu\n", ws.upgrade_error);
    if (!ws.socket) goto done;
    ok_receive(ws.socket, WINHTTP_WEB_SOCKET_UTF8_MESSAGE_BUFFER_TYPE, "hello");
    ok_u(WinHttpWebSocketSend(ws.socket, WINHTTP_WEB_SOCKET_UTF8_MESSAGE_BUFFER_TYPE, (void *)"over tls", 8), 0);
    ok_receive(ws.socket, WINHTTP_WEB_SOCKET_UTF8_MESSAGE_BUFFER_TYPE, "over tls");
    ok_u(WinHttpWebSocketClose(ws.socket, 1000, NULL, 0), 0);
done:
    ws_free(&ws);
}

static void test_wss(void)
{
    HINTERNET session;
    WCHAR proxy[64];

    if (!wss_port)
    {
        skip("no TLS WebSocket server (tls plugin)\n");
        return;
    }
    session = open_session(0);
    echo_once(session, wss_port, TRUE);
    WinHttpCloseHandle(session);

    if (!squid_port) return;
    /* Through an http proxy: a CONNECT tunnel, then TLS, then the upgrade. */
    swprintf(proxy, ARRAYSIZE(proxy), L"127.0.0.1:%d", squid_port);
    session = WinHttpOpen(L"winhttp-tests", WINHTTP_ACCESS_TYPE_NAMED_PROXY, proxy, L"<-loopback>", 0);
    echo_once(session, wss_port, TRUE);
    WinHttpCloseHandle(session);
}

/* Whatever the server does wrong ends in an error, never a crash or a hang. */
static void test_hostile(void)
{
    static const struct { const WCHAR *path; const char *log; DWORD error; } cases[] =
    {
        { L"/masked", "CLOSE /masked 1002", ERROR_WINHTTP_INVALID_SERVER_RESPONSE },
        { L"/rsv", "CLOSE /rsv 1002", ERROR_WINHTTP_INVALID_SERVER_RESPONSE },
        { L"/opcode", "CLOSE /opcode 1002", ERROR_WINHTTP_INVALID_SERVER_RESPONSE },
        { L"/bigping", "CLOSE /bigping 1002", ERROR_WINHTTP_INVALID_SERVER_RESPONSE },
        { L"/badutf8", "CLOSE /badutf8 1007", ERROR_WINHTTP_INVALID_SERVER_RESPONSE },
        { L"/badclose", "CLOSE /badclose 1007", ERROR_WINHTTP_INVALID_SERVER_RESPONSE },
        { L"/close1005", "CLOSE /close1005 1002", ERROR_WINHTTP_INVALID_SERVER_RESPONSE },
        { L"/huge", "CLOSE /huge 1002", ERROR_WINHTTP_INVALID_SERVER_RESPONSE },
        { L"/drop", "EOF /drop", ERROR_WINHTTP_CONNECTION_ERROR },
    };
    HINTERNET session = open_session(0);
    WINHTTP_WEB_SOCKET_BUFFER_TYPE type;
    DWORD len, value, start, i, error;
    char buf[256];
    struct ws ws;

    for (i = 0; i < ARRAYSIZE(cases); i++)
    {
        ws_open(&ws, session, hostile_port, FALSE, cases[i].path, NULL);
        ok(ws.socket != NULL, "%ls: no WebSocket: %lu\n", cases[i].path, ws.upgrade_error);
        if (!ws.socket) continue;
        /* What arrived of a frame cut short is data; then the error. */
        while (!(error = receive(ws.socket, buf, sizeof(buf), &len, &type)) && type != WINHTTP_WEB_SOCKET_CLOSE_BUFFER_TYPE);
        ok(error == cases[i].error, "%ls: expected error %lu, got %lu\n", cases[i].path, cases[i].error, error);
        /* The connection failed for good. */
        ok(receive(ws.socket, buf, sizeof(buf), &len, &type) != 0, "%ls: a receive after the failure worked\n",
           cases[i].path);
        ok(peer_wait_log("WINHTTP_TEST_WS_LOG", cases[i].log, 1, 3000) >= 1, "%ls: no \"%s\" in the log\n",
           cases[i].path, cases[i].log);
        ws_free(&ws);
    }

    /* A 101 that does not prove the server read our key. */
    ws_open(&ws, session, hostile_port, FALSE, L"/badaccept", NULL);
    ok(!ws.socket && ws.upgrade_error == ERROR_WINHTTP_INVALID_SERVER_RESPONSE, "bad accept: %lu\n", ws.upgrade_error);
    ws_free(&ws);
    /* No 101 at all. */
    ws_open(&ws, session, hostile_port, FALSE, L"/notws", NULL);
    ok_u(ws.status, 200);
    ok(!ws.socket && ws.upgrade_error == ERROR_WINHTTP_INCORRECT_HANDLE_STATE, "200: %lu\n", ws.upgrade_error);
    ws_free(&ws);

    /* Every frame we send is masked with its own key. */
    ws_open(&ws, session, hostile_port, FALSE, L"/checkmask", NULL);
    if (ws.socket)
    {
        for (i = 0; i < 4; i++)
            ok_u(WinHttpWebSocketSend(ws.socket, WINHTTP_WEB_SOCKET_BINARY_MESSAGE_BUFFER_TYPE, (void *)"same", 4), 0);
        ok_receive(ws.socket, WINHTTP_WEB_SOCKET_UTF8_MESSAGE_BUFFER_TYPE, "masked");
    }
    ws_free(&ws);

    /* A frame that came in the same packet as the 101 is not lost. */
    ws_open(&ws, session, hostile_port, FALSE, L"/leftover", NULL);
    if (ws.socket) ok_receive(ws.socket, WINHTTP_WEB_SOCKET_UTF8_MESSAGE_BUFFER_TYPE, "early");
    ws_free(&ws);

    /* A server that never answers our close: the close timeout ends it. */
    ws_open(&ws, session, hostile_port, FALSE, L"/noreply", NULL);
    if (ws.socket)
    {
        value = 1000;
        ok(WinHttpSetOption(ws.socket, WINHTTP_OPTION_WEB_SOCKET_CLOSE_TIMEOUT, &value, sizeof(value)), "timeout\n");
        start = GetTickCount();
        ok_u(WinHttpWebSocketClose(ws.socket, 1000, NULL, 0), ERROR_WINHTTP_TIMEOUT);
        ok(GetTickCount() - start < 5000, "the close took %lu ms\n", GetTickCount() - start);
    }
    ws_free(&ws);
    WinHttpCloseHandle(session);
}

struct blocked_receive
{
    HINTERNET socket;
    char buf[64];
    DWORD len, error;
    WINHTTP_WEB_SOCKET_BUFFER_TYPE type;
};

static DWORD CALLBACK receive_thread(void *arg)
{
    struct blocked_receive *r = arg;
    r->error = receive(r->socket, r->buf, sizeof(r->buf), &r->len, &r->type);
    return 0;
}

/* Synchronous mode: one thread blocked in a receive while another sends;
 * closing the handle wakes a blocked receive with ERROR_WINHTTP_OPERATION_CANCELLED. */
static void test_sync_threads(void)
{
    HINTERNET session = open_session(0), thread;
    struct blocked_receive r = {0};
    struct ws ws;

    ws_open(&ws, session, ws_port, FALSE, L"/echo", NULL);
    ok(ws.socket != NULL, "no WebSocket: %lu\n", ws.upgrade_error);
    if (!ws.socket) goto done;
    r.socket = ws.socket;
    thread = CreateThread(NULL, 0, receive_thread, &r, 0, NULL);
    ok(WaitForSingleObject(thread, 200) == WAIT_TIMEOUT, "the receive did not wait\n");
    ok_u(WinHttpWebSocketReceive(ws.socket, r.buf, sizeof(r.buf), &r.len, &r.type), ERROR_INVALID_OPERATION);
    ok_u(WinHttpWebSocketSend(ws.socket, WINHTTP_WEB_SOCKET_UTF8_MESSAGE_BUFFER_TYPE, (void *)"crossed", 7), 0);
    ok(WaitForSingleObject(thread, 5000) == WAIT_OBJECT_0, "the receive did not complete\n");
    CloseHandle(thread);
    ok(!r.error && r.len == 7 && !memcmp(r.buf, "crossed", 7), "receive: error %lu, %lu bytes\n", r.error, r.len);

    /* Close while another thread waits in a receive: that receive sees the
     * server's close frame. */
    thread = CreateThread(NULL, 0, receive_thread, &r, 0, NULL);
    ok(WaitForSingleObject(thread, 200) == WAIT_TIMEOUT, "the receive did not wait\n");
    ok_u(WinHttpWebSocketClose(ws.socket, 1000, NULL, 0), 0);
    ok(WaitForSingleObject(thread, 5000) == WAIT_OBJECT_0, "the receive did not complete\n");
    CloseHandle(thread);
    ok(!r.error && r.type == WINHTTP_WEB_SOCKET_CLOSE_BUFFER_TYPE, "receive: error %lu, type %u\n", r.error, r.type);
    ws_free(&ws);

    ws_open(&ws, session, ws_port, FALSE, L"/echo", NULL);
    ok(ws.socket != NULL, "no WebSocket: %lu\n", ws.upgrade_error);
    if (!ws.socket) goto done;
    r.socket = ws.socket;
    thread = CreateThread(NULL, 0, receive_thread, &r, 0, NULL);
    ok(WaitForSingleObject(thread, 200) == WAIT_TIMEOUT, "the receive did not wait\n");
    WinHttpCloseHandle(ws.socket);
    ws.socket = NULL;
    ok(WaitForSingleObject(thread, 5000) == WAIT_OBJECT_0, "closing the handle did not end the receive\n");
    CloseHandle(thread);
    ok_u(r.error, ERROR_WINHTTP_OPERATION_CANCELLED);
done:
    ws_free(&ws);
    WinHttpCloseHandle(session);
}

/* ------------------------------------------------------------------ */
/* asynchronous mode                                                    */

struct async_state
{
    HANDLE done[6];         /* write, read, shutdown, close, error, request step */
    WINHTTP_WEB_SOCKET_STATUS write, read;
    WINHTTP_WEB_SOCKET_ASYNC_RESULT error;
    DWORD read_thread, write_thread;
    HINTERNET socket;
    LONG closing_before_error;
    HANDLE closing_event;
};

static void CALLBACK async_callback(HINTERNET handle, DWORD_PTR context, DWORD status, void *info, DWORD len)
{
    struct async_state *st = (struct async_state *)context;

    if (!st) return;
    switch (status)
    {
    case WINHTTP_CALLBACK_STATUS_SENDREQUEST_COMPLETE:
    case WINHTTP_CALLBACK_STATUS_HEADERS_AVAILABLE:
        SetEvent(st->done[5]);
        break;
    case WINHTTP_CALLBACK_STATUS_WRITE_COMPLETE:
        if (len == sizeof(st->write)) memcpy(&st->write, info, len);
        st->write_thread = GetCurrentThreadId();
        SetEvent(st->done[0]);
        break;
    case WINHTTP_CALLBACK_STATUS_READ_COMPLETE:
        if (len == sizeof(st->read)) memcpy(&st->read, info, len);
        st->read_thread = GetCurrentThreadId();
        SetEvent(st->done[1]);
        break;
    case WINHTTP_CALLBACK_STATUS_SHUTDOWN_COMPLETE:
        SetEvent(st->done[2]);
        break;
    case WINHTTP_CALLBACK_STATUS_CLOSE_COMPLETE:
        SetEvent(st->done[3]);
        break;
    case WINHTTP_CALLBACK_STATUS_REQUEST_ERROR:
        if (len == sizeof(st->error)) memcpy(&st->error, info, len);
        SetEvent(st->done[4]);
        if (!st->socket) SetEvent(st->done[5]);
        break;
    case WINHTTP_CALLBACK_STATUS_HANDLE_CLOSING:
        if (handle != st->socket) break;
        if (!st->error.AsyncResult.dwError) InterlockedIncrement(&st->closing_before_error);
        SetEvent(st->closing_event);
        break;
    }
}

static BOOL wait_for(HANDLE event)
{
    return WaitForSingleObject(event, 10000) == WAIT_OBJECT_0;
}

static HINTERNET async_upgrade(HINTERNET session, struct async_state *st, int port, const WCHAR *path,
                               HINTERNET *request_out)
{
    HINTERNET connect, request, socket = NULL;

    st->socket = NULL;
    connect = WinHttpConnect(session, L"localhost", port, 0);
    request = WinHttpOpenRequest(connect, L"GET", path, NULL, NULL, NULL, 0);
    WinHttpCloseHandle(connect);
    WinHttpSetOption(request, WINHTTP_OPTION_UPGRADE_TO_WEB_SOCKET, NULL, 0);
    if (WinHttpSendRequest(request, NULL, 0, NULL, 0, 0, 0) && wait_for(st->done[5]) &&
        WinHttpReceiveResponse(request, NULL) && wait_for(st->done[5]) &&
        status_of(request) == HTTP_STATUS_SWITCH_PROTOCOLS)
        socket = WinHttpWebSocketCompleteUpgrade(request, (DWORD_PTR)st);
    st->socket = socket;
    *request_out = request;
    return socket;
}

static void test_async(void)
{
    HINTERNET session = open_session(WINHTTP_FLAG_ASYNC), request, socket;
    struct async_state st = {0};
    DWORD_PTR context = (DWORD_PTR)&st;
    char rbuf[64];
    DWORD i, start;

    for (i = 0; i < 6; i++) st.done[i] = CreateEventW(NULL, FALSE, FALSE, NULL);
    st.closing_event = CreateEventW(NULL, FALSE, FALSE, NULL);
    WinHttpSetStatusCallback(session, async_callback, WINHTTP_CALLBACK_FLAG_ALL_NOTIFICATIONS, 0);
    ok(WinHttpSetOption(session, WINHTTP_OPTION_CONTEXT_VALUE, &context, sizeof(context)), "context\n");

    socket = async_upgrade(session, &st, ws_port, L"/greet", &request);
    ok(socket != NULL, "no WebSocket: %lu\n", GetLastError());
    if (!socket) goto done;

    /* A receive completes on a worker thread with a WINHTTP_WEB_SOCKET_STATUS. */
    ok_u(WinHttpWebSocketReceive(socket, rbuf, sizeof(rbuf), NULL, NULL), 0);
    ok(wait_for(st.done[1]), "no READ_COMPLETE\n");
    ok_u(st.read.eBufferType, WINHTTP_WEB_SOCKET_UTF8_MESSAGE_BUFFER_TYPE);
    ok_u(st.read.dwBytesTransferred, 5);
    ok(!memcmp(rbuf, "hello", 5), "got %.5s\n", rbuf);

    /* A receive outstanding while a send goes out. */
    ok_u(WinHttpWebSocketReceive(socket, rbuf, sizeof(rbuf), NULL, NULL), 0);
    ok_u(WinHttpWebSocketReceive(socket, rbuf, sizeof(rbuf), NULL, NULL), ERROR_INVALID_OPERATION);
    ok_u(WinHttpWebSocketSend(socket, WINHTTP_WEB_SOCKET_BINARY_MESSAGE_BUFFER_TYPE, (void *)"async", 5), 0);
    ok(wait_for(st.done[0]), "no WRITE_COMPLETE\n");
    ok_u(st.write.dwBytesTransferred, 5);
    ok_u(st.write.eBufferType, WINHTTP_WEB_SOCKET_BINARY_MESSAGE_BUFFER_TYPE);
    ok(wait_for(st.done[1]), "no READ_COMPLETE for the echo\n");
    ok_u(st.read.dwBytesTransferred, 5);
    ok_u(st.read.eBufferType, WINHTTP_WEB_SOCKET_BINARY_MESSAGE_BUFFER_TYPE);
    ok(st.read_thread != GetCurrentThreadId(), "READ_COMPLETE on the caller's thread\n");

    /* Shutdown, then Close waits for the server's close frame. */
    ok_u(WinHttpWebSocketShutdown(socket, 1000, NULL, 0), 0);
    ok(wait_for(st.done[2]), "no SHUTDOWN_COMPLETE\n");
    ok_u(WinHttpWebSocketClose(socket, 1000, NULL, 0), 0);
    ok(wait_for(st.done[3]), "no CLOSE_COMPLETE\n");
    WinHttpCloseHandle(socket);
    ok(wait_for(st.closing_event), "no HANDLE_CLOSING\n");
    WinHttpCloseHandle(request);

    /* Closing the handle with a receive pending cancels it first. */
    socket = async_upgrade(session, &st, ws_port, L"/echo", &request);
    ok(socket != NULL, "no WebSocket: %lu\n", GetLastError());
    if (!socket) goto done;
    memset(&st.error, 0, sizeof(st.error));
    st.closing_before_error = 0;
    ResetEvent(st.done[4]);
    ok_u(WinHttpWebSocketReceive(socket, rbuf, sizeof(rbuf), NULL, NULL), 0);
    Sleep(100);
    WinHttpCloseHandle(socket);
    ok(wait_for(st.done[4]), "no REQUEST_ERROR\n");
    ok_u(st.error.Operation, WINHTTP_WEB_SOCKET_RECEIVE_OPERATION);
    ok_u(st.error.AsyncResult.dwError, ERROR_WINHTTP_OPERATION_CANCELLED);
    ok(wait_for(st.closing_event), "no HANDLE_CLOSING\n");
    ok_u(st.closing_before_error, 0);
    WinHttpCloseHandle(request);

    /* Close with a receive pending: the receive is cancelled inside the
     * call; a server that never answers the close runs into the close timeout. */
    socket = async_upgrade(session, &st, hostile_port, L"/noreply", &request);
    ok(socket != NULL, "no WebSocket: %lu\n", GetLastError());
    if (!socket) goto done;
    i = 1000;
    ok(WinHttpSetOption(socket, WINHTTP_OPTION_WEB_SOCKET_CLOSE_TIMEOUT, &i, sizeof(i)), "close timeout\n");
    memset(&st.error, 0, sizeof(st.error));
    ResetEvent(st.done[4]);
    ok_u(WinHttpWebSocketReceive(socket, rbuf, sizeof(rbuf), NULL, NULL), 0);
    Sleep(100);
    start = GetTickCount();
    ok_u(WinHttpWebSocketClose(socket, 1000, NULL, 0), 0);
    ok(WaitForSingleObject(st.done[4], 0) == WAIT_OBJECT_0, "the receive was not cancelled inside the call\n");
    ok_u(st.error.Operation, WINHTTP_WEB_SOCKET_RECEIVE_OPERATION);
    ok_u(st.error.AsyncResult.dwError, ERROR_WINHTTP_OPERATION_CANCELLED);
    ok(wait_for(st.done[4]), "no REQUEST_ERROR for the close\n");
    ok_u(st.error.Operation, WINHTTP_WEB_SOCKET_CLOSE_OPERATION);
    ok_u(st.error.AsyncResult.dwError, ERROR_WINHTTP_TIMEOUT);
    ok(GetTickCount() - start < 5000, "the close took %lu ms\n", GetTickCount() - start);
    WinHttpCloseHandle(socket);
    ok(wait_for(st.closing_event), "no HANDLE_CLOSING\n");
    WinHttpCloseHandle(request);

done:
    WinHttpCloseHandle(session);
    for (i = 0; i < 6; i++) CloseHandle(st.done[i]);
    CloseHandle(st.closing_event);
}

/* Many WebSockets at once on one asynchronous session, each with a receive
 * always outstanding (the next one started from READ_COMPLETE) while the
 * main thread sends: every message comes back, in order. */
#define MANY_SOCKETS 8
#define MANY_MESSAGES 100

struct many
{
    HINTERNET socket, request;
    char buf[64];
    LONG received;
    LONG bad;
    HANDLE step, written, all_received;
};

static void CALLBACK many_callback(HINTERNET handle, DWORD_PTR context, DWORD status, void *info, DWORD len)
{
    struct many *m = (struct many *)context;
    WINHTTP_WEB_SOCKET_STATUS *ws = info;
    char expect[32];
    LONG n;

    if (!m) return;
    switch (status)
    {
    case WINHTTP_CALLBACK_STATUS_SENDREQUEST_COMPLETE:
    case WINHTTP_CALLBACK_STATUS_HEADERS_AVAILABLE:
        SetEvent(m->step);
        break;
    case WINHTTP_CALLBACK_STATUS_REQUEST_ERROR:
        if (handle != m->socket) SetEvent(m->step);
        else InterlockedIncrement(&m->bad);
        break;
    case WINHTTP_CALLBACK_STATUS_WRITE_COMPLETE:
        SetEvent(m->written);
        break;
    case WINHTTP_CALLBACK_STATUS_READ_COMPLETE:
        n = m->received;
        sprintf(expect, "message %ld", n);
        if (ws->dwBytesTransferred != strlen(expect) || memcmp(m->buf, expect, ws->dwBytesTransferred))
            InterlockedIncrement(&m->bad);
        if (InterlockedIncrement(&m->received) == MANY_MESSAGES) SetEvent(m->all_received);
        else if (WinHttpWebSocketReceive(m->socket, m->buf, sizeof(m->buf), NULL, NULL)) InterlockedIncrement(&m->bad);
        break;
    }
}

static void test_async_many(void)
{
    HINTERNET session = open_session(WINHTTP_FLAG_ASYNC), connect;
    struct many m[MANY_SOCKETS];
    char msg[32];
    int i, j;

    WinHttpSetStatusCallback(session, many_callback, WINHTTP_CALLBACK_FLAG_ALL_NOTIFICATIONS, 0);
    memset(m, 0, sizeof(m));
    for (i = 0; i < MANY_SOCKETS; i++)
    {
        DWORD_PTR context = (DWORD_PTR)&m[i];
        m[i].step = CreateEventW(NULL, FALSE, FALSE, NULL);
        m[i].written = CreateEventW(NULL, FALSE, FALSE, NULL);
        m[i].all_received = CreateEventW(NULL, TRUE, FALSE, NULL);
        connect = WinHttpConnect(session, L"localhost", (i & 1) && wss_port ? wss_port : ws_port, 0);
        m[i].request = WinHttpOpenRequest(connect, L"GET", L"/echo", NULL, NULL, NULL,
                                          (i & 1) && wss_port ? WINHTTP_FLAG_SECURE : 0);
        WinHttpCloseHandle(connect);
        WinHttpSetOption(m[i].request, WINHTTP_OPTION_CONTEXT_VALUE, &context, sizeof(context));
        WinHttpSetOption(m[i].request, WINHTTP_OPTION_UPGRADE_TO_WEB_SOCKET, NULL, 0);
        if (WinHttpSendRequest(m[i].request, NULL, 0, NULL, 0, 0, 0) && wait_for(m[i].step) &&
            WinHttpReceiveResponse(m[i].request, NULL) && wait_for(m[i].step))
            m[i].socket = WinHttpWebSocketCompleteUpgrade(m[i].request, context);
        ok(m[i].socket != NULL, "socket %d: no WebSocket: %lu\n", i, GetLastError());
        if (m[i].socket) ok_u(WinHttpWebSocketReceive(m[i].socket, m[i].buf, sizeof(m[i].buf), NULL, NULL), 0);
    }
    for (j = 0; j < MANY_MESSAGES; j++)
        for (i = 0; i < MANY_SOCKETS; i++)
        {
            if (!m[i].socket) continue;
            sprintf(msg, "message %d", j);
            if (WinHttpWebSocketSend(m[i].socket, WINHTTP_WEB_SOCKET_UTF8_MESSAGE_BUFFER_TYPE, msg, strlen(msg)) ||
                !wait_for(m[i].written))
                InterlockedIncrement(&m[i].bad);
        }
    for (i = 0; i < MANY_SOCKETS; i++)
    {
        if (m[i].socket)
        {
            ok(wait_for(m[i].all_received), "socket %d: %ld of %d messages came back\n", i, m[i].received, MANY_MESSAGES);
            ok(!m[i].bad, "socket %d: %ld errors or wrong messages\n", i, m[i].bad);
            WinHttpCloseHandle(m[i].socket);
        }
        WinHttpCloseHandle(m[i].request);
        CloseHandle(m[i].step);
        CloseHandle(m[i].written);
        CloseHandle(m[i].all_received);
    }
    WinHttpCloseHandle(session);
}

int main(void)
{
    ws_port = peer_port("WINHTTP_TEST_WS_PORT");
    wss_port = peer_port("WINHTTP_TEST_WS_TLS_PORT");
    hostile_port = peer_port("WINHTTP_TEST_WS_HOSTILE_PORT");
    squid_port = peer_port("WINHTTP_TEST_SQUID_PORT");
    if (!ws_port || !hostile_port)
    {
        skip("no WebSocket peers (python3-websockets; run through tools/run-tests)\n");
        return test_summary();
    }
    run_test("echo", test_echo);
    run_test("big_messages", test_big_messages);
    run_test("server_fragments", test_server_fragments);
    run_test("ping", test_ping);
    run_test("close_from_server", test_close_from_server);
    run_test("parameters", test_parameters);
    run_test("send_buffer_size", test_send_buffer_size);
    run_test("wss", test_wss);
    run_test("hostile", test_hostile);
    run_test("sync_threads", test_sync_threads);
    run_test("async", test_async);
    run_test("async_many", test_async_many);
    return test_summary();
}
