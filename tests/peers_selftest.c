/*
 * The test peers are up and answer as documented (tools/testenv,
 * tests/peers/): one raw HTTP/1.1 exchange with each over Winsock, without
 * WinHTTP.  Run it as: tools/run-tests tests/peers_selftest.exe
 */
#include "test.h"
#include "peers.h"

static int nginx_port, scripted_port, squid_port;

static const char *show(const char *s)
{
    return s ? s : "(null)";
}

static int starts_with(const char *s, const char *prefix)
{
    return s && !strncmp(s, prefix, strlen(prefix));
}

/* A header's value in a response head (case-insensitive name), copied into BUF. */
static int header_value(const char *resp, const char *name, char *buf, size_t size)
{
    const char *line = resp ? strstr(resp, "\r\n") : NULL, *end = resp ? strstr(resp, "\r\n\r\n") : NULL;
    size_t n = strlen(name);
    while (line && line < end)
    {
        line += 2;
        if (!_strnicmp(line, name, n) && line[n] == ':')
        {
            const char *v = line + n + 1, *e = strstr(v, "\r\n");
            while (*v == ' ') v++;
            if ((size_t)(e - v) >= size) return 0;
            memcpy(buf, v, e - v);
            buf[e - v] = 0;
            return 1;
        }
        line = strstr(line, "\r\n");
    }
    return 0;
}

static void test_environment(void)
{
    char dir[MAX_PATH];
    ok(peers_available(), "WINHTTP_TESTENV_STARTED is not set: run through tools/run-tests\n");
    ok(nginx_port != 0, "WINHTTP_TEST_NGINX_PORT unset\n");
    ok(scripted_port != 0, "WINHTTP_TEST_SCRIPTED_PORT unset\n");
    ok(squid_port != 0, "WINHTTP_TEST_SQUID_PORT unset\n");
    ok(peer_port("WINHTTP_TEST_CLOSED_PORT") != 0, "WINHTTP_TEST_CLOSED_PORT unset\n");
    ok(peer_env("WINHTTP_TEST_PEERS_DIR", dir, sizeof(dir)) && dir[0] == '/', "WINHTTP_TEST_PEERS_DIR: %s\n", dir);
}

static void test_read_file(void)
{
    char dir[MAX_PATH], path[MAX_PATH + 32], *data;
    size_t len;

    if (!peer_env("WINHTTP_TEST_WWW_DIR", dir, sizeof(dir))) { skip("no WINHTTP_TEST_WWW_DIR\n"); return; }
    snprintf(path, sizeof(path), "%s/static/small.txt", dir);
    data = peer_read_file_len(path, &len);
    ok(data && len == PEER_SMALL_LEN && !strcmp(data, PEER_SMALL_TEXT), "small.txt: %s\n", show(data));
    free(data);
    snprintf(path, sizeof(path), "%s/static/pattern-1m.bin", dir);
    data = peer_read_file_len(path, &len);
    ok_u(len, PEER_PATTERN_LEN);
    ok(data && (unsigned char)data[1000] == PEER_PATTERN_BYTE(1000) && (unsigned char)data[len - 1] == PEER_PATTERN_BYTE(len - 1),
       "pattern-1m.bin content\n");
    free(data);
}

static void test_nginx(void)
{
    char *resp = NULL;
    int status;

    if (!nginx_port) { skip("no nginx\n"); return; }
    status = peer_http_get(nginx_port, "/static/small.txt?m=selftest-get", &resp);
    ok_u(status, 200);
    ok(starts_with(resp, "HTTP/1.1 200 OK\r\n"), "status line: %.40s\n", show(resp));
    ok(peer_body(resp) && !strcmp(peer_body(resp), PEER_SMALL_TEXT), "body: %s\n", show(peer_body(resp)));
    free(resp);
    ok_u(peer_nginx_connections("m=selftest-get ", 1), 1);

    status = peer_http_get(nginx_port, "/chunked", &resp);
    ok_u(status, 200);
    ok(resp && strstr(resp, "\r\nTransfer-Encoding: chunked\r\n") != NULL, "/chunked is not chunked: %.300s\n", show(resp));
    free(resp);

    status = peer_http_get(nginx_port, "/redirect/302", &resp);
    ok_u(status, 302);
    ok(resp && strstr(resp, "\r\nLocation: /static/small.txt\r\n") != NULL, "redirect: %.300s\n", show(resp));
    free(resp);

    ok_u(peer_http_get(nginx_port, "/status/404", NULL), 404);
}

static void test_nginx_keepalive(void)
{
    static const char req[] =
        "GET /static/small.txt?m=selftest-ka HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
        "GET /static/small.txt?m=selftest-ka HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
    char *resp;
    int status;

    if (!nginx_port) { skip("no nginx\n"); return; }
    status = peer_http("127.0.0.1", nginx_port, req, -1, &resp, NULL);
    ok_u(status, 200);
    ok(resp && strstr(resp + 1, "HTTP/1.1 200 OK\r\n") != NULL, "second response missing: %.600s\n", show(resp));
    free(resp);
    ok_u(peer_nginx_connections("m=selftest-ka ", 2), 1);
    ok_u(peer_wait_log("WINHTTP_TEST_NGINX_ACCESS_LOG", "m=selftest-ka ", 2, 0), 2);
}

static void test_nginx_ipv6(void)
{
    char req[256], *resp;
    int port = peer_port("WINHTTP_TEST_NGINX_PORT6"), status;

    if (!port) { skip("no IPv6 loopback\n"); return; }
    snprintf(req, sizeof(req), "GET /static/small.txt HTTP/1.1\r\nHost: [::1]:%d\r\nConnection: close\r\n\r\n", port);
    status = peer_http("::1", port, req, -1, &resp, NULL);
    ok_u(status, 200);
    ok(peer_body(resp) && !strcmp(peer_body(resp), PEER_SMALL_TEXT), "body: %s\n", show(peer_body(resp)));
    free(resp);
}

static void test_scripted_echo(void)
{
    static const char req[] =
        "POST /echo?x=1 HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Selftest: yes\r\nContent-Length: 5\r\nConnection: close\r\n\r\nhello";
    char *resp, value[64];
    int status, len;

    if (!scripted_port) { skip("no scripted server\n"); return; }
    status = peer_http("127.0.0.1", scripted_port, req, -1, &resp, &len);
    ok_u(status, 200);
    ok(starts_with(resp, "HTTP/1.1 200 OK\r\n"), "status line: %.40s\n", show(resp));
    ok(peer_body(resp) && !strcmp(peer_body(resp), req), "echo body: %s\n", show(peer_body(resp)));
    ok(header_value(resp, "X-Echo-Body-Framing", value, sizeof(value)) && !strcmp(value, "length"), "framing %s\n", value);
    ok(header_value(resp, "X-Connection-Request", value, sizeof(value)) && !strcmp(value, "1"), "request %s\n", value);
    free(resp);
}

static void test_scripted_count(void)
{
    int i;

    if (!scripted_port) { skip("no scripted server\n"); return; }
    ok(peer_scripted_count_reset(), "count reset\n");
    for (i = 0; i < 3; i++) ok_u(peer_http_get(scripted_port, "/echo?ctag=selftest", NULL), 200);
    ok_u(peer_scripted_count("selftest"), 3);
    ok_u(peer_scripted_count(NULL), 3);
}

static void test_scripted_raw(void)
{
    char *resp;
    int status;

    if (!scripted_port) { skip("no scripted server\n"); return; }
    status = peer_http_get(scripted_port, "/raw/no-reason", &resp);
    ok_u(status, 200);
    ok(starts_with(resp, "HTTP/1.1 200\r\n"), "status line: %.40s\n", show(resp));
    free(resp);
    ok_u(peer_http_get(scripted_port, "/no-such-endpoint", NULL), 404);
}

static void test_squid_forward(void)
{
    char req[512], *resp;
    int status;

    if (!squid_port || !nginx_port) { skip("no squid or nginx\n"); return; }
    snprintf(req, sizeof(req), "GET http://127.0.0.1:%d/static/small.txt?m=selftest-proxy HTTP/1.1\r\n"
             "Host: 127.0.0.1:%d\r\nConnection: close\r\n\r\n", nginx_port, nginx_port);
    status = peer_http("127.0.0.1", squid_port, req, -1, &resp, NULL);
    ok_u(status, 200);
    ok(starts_with(resp, "HTTP/1.1 200 OK\r\n"), "status line: %.40s\n", show(resp));
    ok(peer_body(resp) && !strcmp(peer_body(resp), PEER_SMALL_TEXT), "body: %s\n", show(peer_body(resp)));
    ok(resp && strstr(resp, "\r\nVia: ") != NULL, "no Via header from squid\n");
    free(resp);
    ok_u(peer_wait_log("WINHTTP_TEST_SQUID_ACCESS_LOG", "m=selftest-proxy", 1, 3000), 1);
}

static void test_squid_connect(void)
{
    char req[512], buf[4096];
    SOCKET s;
    int n, got = 0;

    if (!squid_port || !scripted_port) { skip("no squid or scripted server\n"); return; }
    s = peer_connect("127.0.0.1", squid_port);
    ok(s != INVALID_SOCKET, "connect to squid failed\n");
    if (s == INVALID_SOCKET) return;
    snprintf(req, sizeof(req), "CONNECT 127.0.0.1:%d HTTP/1.1\r\nHost: 127.0.0.1:%d\r\n\r\n", scripted_port, scripted_port);
    peer_send_all(s, req, (int)strlen(req));
    while (got < (int)sizeof(buf) - 1 && (n = recv(s, buf + got, sizeof(buf) - 1 - got, 0)) > 0)
    {
        got += n;
        buf[got] = 0;
        if (strstr(buf, "\r\n\r\n")) break;
    }
    buf[got] = 0;
    ok(starts_with(buf, "HTTP/1.1 200 "), "CONNECT reply: %.100s\n", buf);
    if (starts_with(buf, "HTTP/1.1 200 "))
    {
        char *resp;
        static const char inner[] = "GET /echo/tunnel HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
        peer_send_all(s, inner, (int)strlen(inner));
        resp = peer_recv_all(s, NULL);
        ok_u(peer_status_code(resp), 200);
        ok(peer_body(resp) && !strcmp(peer_body(resp), inner), "tunnelled echo: %s\n", show(resp));
        free(resp);
    }
    closesocket(s);
    ok_u(peer_wait_log("WINHTTP_TEST_SQUID_ACCESS_LOG", "CONNECT 127.0.0.1:", 1, 3000) >= 1, 1);
}

static void test_closed_port(void)
{
    int port = peer_port("WINHTTP_TEST_CLOSED_PORT"), err;
    SOCKET s;

    if (!port) { skip("no closed port\n"); return; }
    s = peer_connect_err("127.0.0.1", port, &err);
    ok(s == INVALID_SOCKET, "connected to the closed port %d\n", port);
    if (s != INVALID_SOCKET) closesocket(s);
    ok_u(err, WSAECONNREFUSED);
}

int main(void)
{
    nginx_port = peer_port("WINHTTP_TEST_NGINX_PORT");
    scripted_port = peer_port("WINHTTP_TEST_SCRIPTED_PORT");
    squid_port = peer_port("WINHTTP_TEST_SQUID_PORT");

    run_test("environment", test_environment);
    run_test("read_file", test_read_file);
    run_test("nginx", test_nginx);
    run_test("nginx_keepalive", test_nginx_keepalive);
    run_test("nginx_ipv6", test_nginx_ipv6);
    run_test("scripted_echo", test_scripted_echo);
    run_test("scripted_count", test_scripted_count);
    run_test("scripted_raw", test_scripted_raw);
    run_test("squid_forward", test_squid_forward);
    run_test("squid_connect", test_squid_connect);
    run_test("closed_port", test_closed_port);
    return test_summary();
}
