/*
 * Running a PAC script (pac_runner.h).
 *
 * A downloaded PAC script is untrusted code, so by default it runs in the
 * winhttp-pac helper, a native program of ours started for each evaluation
 * with limits on its CPU time and memory; we bound its wall time here and
 * kill it when that runs out.  Only when the helper cannot run at all (it is
 * missing, or died of something other than the limits) and the caller did
 * not ask for WINHTTP_AUTOPROXY_RUN_OUTPROCESS_ONLY do we fall back to the
 * same evaluator compiled into the DLL; WINHTTP_AUTOPROXY_RUN_INPROCESS asks
 * for that directly.  A script that ran into a limit is the script's fault
 * and never gets a second run in process, where nothing could stop it.
 *
 * The helper's protocol: stdin carries three netstrings ("<len>:<bytes>,"):
 * script, url, host; stdout one netstring, "OK <result>" or "ERR <NAME>".
 * Where the helper is: $WINHTTP_PAC_HELPER, else next to winhttp.dll.so,
 * else programs/winhttp-pac/ of the build tree the DLL sits in.
 *
 * Like net.c, this file talks to Linux directly (posix_spawn, poll).
 *
 * Copyright 2026 The winhttp-for-Wine authors
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Lesser General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>

#include "winhttp_private.h"
#include "pac_runner.h"
#include "pac_result.h"

WINE_DEFAULT_DEBUG_CHANNEL(winhttp);

extern char **environ;

/* The in-process evaluator (programs/winhttp-pac/pac_engine.c), linked into
 * the DLL where the build has duktape; weak, so a DLL without it (the
 * 32-bit one) still loads and simply has no in-process fallback. */
#include "pac_engine.h"
#pragma weak pac_evaluate
#pragma weak pac_status_name

/* The reply is "OK " + a result the helper already capped; allow for the prefix and framing. */
#define MAX_REPLY (PAC_RESULT_MAX_LEN + 64)

/* ------------------------------------------------------------------ */
/* Finding the helper                                                  */

static BOOL is_executable(const char *path)
{
    struct stat st;
    return !stat(path, &st) && S_ISREG(st.st_mode) && !access(path, X_OK);
}

static char *find_helper(void)
{
    static const char *const relative[] = { "winhttp-pac", "../../programs/winhttp-pac/winhttp-pac" };
    const char *env = getenv("WINHTTP_PAC_HELPER");
    Dl_info info;
    char *path = NULL, *slash, *real;
    size_t i, dirlen;

    if (env && *env) return is_executable(env) ? strdup(env) : NULL;
    if (!dladdr((void *)find_helper, &info) || !info.dli_fname) return NULL;
    /* A prefix's system32\winhttp.dll may be a symbolic link to the build
     * tree (tools/winhttp-wine): look where the file really is. */
    if (!(real = realpath(info.dli_fname, NULL)) || !(slash = strrchr(real, '/')))
    {
        free(real);
        return NULL;
    }
    dirlen = slash - real;
    for (i = 0; i < ARRAY_SIZE(relative); i++)
    {
        if (!(path = malloc(dirlen + strlen(relative[i]) + 2))) break;
        sprintf(path, "%.*s/%s", (int)dirlen, real, relative[i]);
        if (is_executable(path)) break;
        free(path);
        path = NULL;
    }
    free(real);
    return path;
}

/* ------------------------------------------------------------------ */
/* The out-of-process run                                              */

enum outcome
{
    RUN_DONE,           /* the helper answered (*error says how) */
    RUN_LIMIT,          /* it was stopped by a limit: the script's fault */
    RUN_FAILED,         /* it could not run or died otherwise: the fallback may try */
};

static ULONGLONG now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (ULONGLONG)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static BOOL append_netstring(char **buf, size_t *len, const char *data, size_t size)
{
    char prefix[32];
    int n = snprintf(prefix, sizeof(prefix), "%zu:", size);
    char *bigger = realloc(*buf, *len + n + size + 1);

    if (!bigger) return FALSE;
    memcpy(bigger + *len, prefix, n);
    memcpy(bigger + *len + n, data, size);
    bigger[*len + n + size] = ',';
    *buf = bigger;
    *len += n + size + 1;
    return TRUE;
}

/* A complete netstring in buf[0..len)?  1 yes (*payload, *payload_len), 0 not yet, -1 malformed. */
static int parse_netstring(const char *buf, size_t len, const char **payload, size_t *payload_len)
{
    size_t i, value = 0;

    for (i = 0; i < len && buf[i] >= '0' && buf[i] <= '9'; i++)
    {
        value = value * 10 + (buf[i] - '0');
        if (i > 8 || value > MAX_REPLY) return -1;
    }
    if (i == len) return 0;
    if (!i || buf[i] != ':') return -1;
    if (len < i + 1 + value + 1) return 0;
    if (buf[i + 1 + value] != ',') return -1;
    *payload = buf + i + 1;
    *payload_len = value;
    return 1;
}

static DWORD map_helper_error(const char *name, size_t len)
{
    static const char *const script_errors[] = { "SYNTAX", "NO_FUNCTION", "RUNTIME", "MEMORY", "BAD_RESULT", "TOOBIG" };
    size_t i;

    for (i = 0; i < ARRAY_SIZE(script_errors); i++)
        if (len == strlen(script_errors[i]) && !memcmp(name, script_errors[i], len))
            return ERROR_WINHTTP_BAD_AUTO_PROXY_SCRIPT;
    /* PROTOCOL: we sent something it did not understand. */
    ERR("the PAC helper answered %s\n", wine_dbgstr_an(name, (int)len));
    return ERROR_WINHTTP_AUTO_PROXY_SERVICE_ERROR;
}

/* Waits for the child; a child that does not exit promptly is killed. */
static int reap(pid_t pid, BOOL kill_now)
{
    int status = 0, i;

    if (kill_now) kill(pid, SIGKILL);
    for (i = 0; i < 200; i++)
    {
        pid_t ret = waitpid(pid, &status, WNOHANG);
        if (ret == pid) return status;
        if (ret < 0 && errno != EINTR) return -1;    /* reaped elsewhere (ECHILD) */
        if (i == 100) kill(pid, SIGKILL);
        usleep(ret == 0 && i < 100 ? 1000 : 10000);
    }
    ERR("PAC helper %d does not go away\n", (int)pid);
    return -1;
}

static enum outcome run_helper(const char *helper, const char *script, size_t script_len, const char *url,
                               const char *host, DWORD timeout_ms, char **result, DWORD *error)
{
    char cpu[16], mem[16], *request = NULL, *reply = NULL;
    char *argv[] = { (char *)helper, (char *)"--cpu-seconds", cpu, (char *)"--memory-mib", mem, NULL };
    posix_spawn_file_actions_t actions;
    size_t request_len = 0, sent = 0, reply_len = 0;
    ULONGLONG deadline;
    BOOL timed_out = FALSE, answered = FALSE;
    enum outcome outcome = RUN_FAILED;
    int fds[2], status, ret;
    pid_t pid;

    *error = ERROR_WINHTTP_AUTO_PROXY_SERVICE_ERROR;
    if (!append_netstring(&request, &request_len, script, script_len) ||
        !append_netstring(&request, &request_len, url, strlen(url)) ||
        !append_netstring(&request, &request_len, host, strlen(host)) ||
        !(reply = malloc(MAX_REPLY + 32)))
    {
        free(request);
        *error = ERROR_OUTOFMEMORY;
        return RUN_DONE;
    }
    snprintf(cpu, sizeof(cpu), "%u", (unsigned int)((timeout_ms + 999) / 1000));
    snprintf(mem, sizeof(mem), "%u", PAC_RUN_MEMORY_MIB);

    /* One socket for both directions: writing to a helper that died gives
     * EPIPE through MSG_NOSIGNAL instead of a SIGPIPE for the application. */
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds))
    {
        WARN("socketpair failed: %s\n", strerror(errno));
        goto done;
    }
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, fds[1], 0);
    posix_spawn_file_actions_adddup2(&actions, fds[1], 1);
    /* Wine's own descriptors (the wineserver socket among them) are not
     * all close-on-exec: the helper gets stdin, stdout and stderr only. */
    posix_spawn_file_actions_addclosefrom_np(&actions, 3);
    ret = posix_spawn(&pid, helper, &actions, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&actions);
    close(fds[1]);
    if (ret)
    {
        WARN("cannot start %s: %s\n", debugstr_a(helper), strerror(ret));
        close(fds[0]);
        goto done;
    }
    TRACE("PAC helper %d started, %zu bytes of script, limit %u ms\n", (int)pid, script_len, timeout_ms);
    fcntl(fds[0], F_SETFL, fcntl(fds[0], F_GETFL) | O_NONBLOCK);

    deadline = now_ms() + timeout_ms;
    for (;;)
    {
        struct pollfd pfd = { fds[0], POLLIN | (sent < request_len ? POLLOUT : 0), 0 };
        ULONGLONG now = now_ms();
        const char *payload;
        size_t payload_len;

        if (now >= deadline)
        {
            timed_out = TRUE;
            break;
        }
        ret = poll(&pfd, 1, (int)min(deadline - now, 1000));
        if (ret < 0 && errno != EINTR) break;
        if (ret <= 0) continue;
        if ((pfd.revents & POLLOUT) && sent < request_len)
        {
            ssize_t n = send(fds[0], request + sent, request_len - sent, MSG_NOSIGNAL);
            if (n < 0 && errno != EAGAIN && errno != EINTR)
            {
                /* It stopped reading: its answer (or its death) tells why. */
                sent = request_len;
                shutdown(fds[0], SHUT_WR);
            }
            else if (n > 0 && (sent += n) == request_len) shutdown(fds[0], SHUT_WR);
        }
        if (pfd.revents & (POLLIN | POLLHUP | POLLERR))
        {
            ssize_t n = recv(fds[0], reply + reply_len, MAX_REPLY + 32 - reply_len, 0);
            if (n < 0 && (errno == EAGAIN || errno == EINTR)) continue;
            if (n <= 0) break;     /* EOF without a complete reply */
            reply_len += n;
            if ((ret = parse_netstring(reply, reply_len, &payload, &payload_len)) < 0 || reply_len == MAX_REPLY + 32)
            {
                ERR("the PAC helper sent a malformed reply\n");
                break;
            }
            if (!ret) continue;
            answered = TRUE;
            outcome = RUN_DONE;
            if (payload_len >= 3 && !memcmp(payload, "OK ", 3))
            {
                if (!(*result = malloc(payload_len - 3 + 1))) *error = ERROR_OUTOFMEMORY;
                else
                {
                    memcpy(*result, payload + 3, payload_len - 3);
                    (*result)[payload_len - 3] = 0;
                    *error = ERROR_SUCCESS;
                }
            }
            else if (payload_len >= 4 && !memcmp(payload, "ERR ", 4))
            {
                TRACE("the script failed: %s\n", wine_dbgstr_an(payload + 4, (int)payload_len - 4));
                *error = map_helper_error(payload + 4, payload_len - 4);
            }
            else
            {
                ERR("the PAC helper sent a malformed reply\n");
                outcome = RUN_FAILED;
            }
            break;
        }
    }
    close(fds[0]);
    status = reap(pid, !answered);
    if (timed_out)
    {
        WARN("PAC helper %d ran out of time (%u ms): killed\n", (int)pid, timeout_ms);
        outcome = RUN_LIMIT;
    }
    else if (!answered && status != -1 && WIFSIGNALED(status) &&
             (WTERMSIG(status) == SIGXCPU || WTERMSIG(status) == SIGKILL))
    {
        WARN("PAC helper %d stopped by its CPU limit (signal %d)\n", (int)pid, WTERMSIG(status));
        outcome = RUN_LIMIT;
    }
    else if (!answered)
        WARN("PAC helper %d ended without an answer (status %#x)\n", (int)pid, status);
    if (outcome == RUN_LIMIT) *error = ERROR_WINHTTP_BAD_AUTO_PROXY_SCRIPT;

done:
    free(request);
    free(reply);
    return outcome;
}

/* ------------------------------------------------------------------ */
/* The in-process run                                                  */

/* One in-process evaluation, shared by the caller and the thread that runs
 * it: whoever is last frees it.  Our duktape has no execution-timeout hook,
 * so a script that never returns cannot be stopped; the caller stops waiting
 * after the wall time instead (documented error, no hang) and the thread
 * finishes, or spins, on its own. */
struct inproc_run
{
    LONG refs;
    char *script, *url, *host, *result;
    size_t len;
    enum pac_status status;
};

static void inproc_release(struct inproc_run *run)
{
    if (InterlockedDecrement(&run->refs)) return;
    free(run->script);
    free(run->url);
    free(run->host);
    free(run->result);
    free(run);
}

static DWORD CALLBACK inproc_thread(void *arg)
{
    struct inproc_run *run = arg;
    run->status = pac_evaluate(run->script, run->len, run->url, run->host, (size_t)PAC_RUN_MEMORY_MIB << 20,
                               &run->result);
    inproc_release(run);
    return 0;
}

static DWORD run_in_process(const char *script, size_t len, const char *url, const char *host, DWORD timeout_ms,
                            char **result)
{
    struct inproc_run *run;
    HANDLE thread;
    DWORD wait, err;

    if (!pac_evaluate)
    {
        WARN("this build has no in-process PAC evaluator\n");
        return ERROR_WINHTTP_AUTO_PROXY_SERVICE_ERROR;
    }
    TRACE("evaluating the script in process\n");
    if (!(run = calloc(1, sizeof(*run)))) return ERROR_OUTOFMEMORY;
    run->refs = 2;
    run->len = len;
    if (!(run->script = malloc(len + 1)) || !(run->url = strdup(url)) || !(run->host = strdup(host)))
    {
        run->refs = 1;
        inproc_release(run);
        return ERROR_OUTOFMEMORY;
    }
    memcpy(run->script, script, len);
    if (!(thread = CreateThread(NULL, 0, inproc_thread, run, 0, NULL)))
    {
        err = GetLastError();
        run->refs = 1;
        inproc_release(run);
        return err;
    }
    wait = WaitForSingleObject(thread, timeout_ms);
    CloseHandle(thread);
    if (wait != WAIT_OBJECT_0)
    {
        WARN("the script ran out of time in process (%u ms): left to itself\n", timeout_ms);
        err = ERROR_WINHTTP_BAD_AUTO_PROXY_SCRIPT;
    }
    else if (run->status == PAC_OK)
    {
        *result = run->result;
        run->result = NULL;
        err = ERROR_SUCCESS;
    }
    else
    {
        TRACE("the script failed in process: %s\n", pac_status_name(run->status));
        err = ERROR_WINHTTP_BAD_AUTO_PROXY_SCRIPT;
    }
    inproc_release(run);
    return err;
}

DWORD pac_run(const char *script, size_t len, const char *url, const char *host, DWORD flags, DWORD timeout_ms,
              char **result)
{
    DWORD error;
    char *helper;

    *result = NULL;
    if (!timeout_ms || timeout_ms > 600000) timeout_ms = 600000;   /* never unbounded */
    if (flags & WINHTTP_AUTOPROXY_RUN_INPROCESS) return run_in_process(script, len, url, host, timeout_ms, result);

    if (!(helper = find_helper())) WARN("the PAC helper winhttp-pac was not found\n");
    else
    {
        enum outcome outcome = run_helper(helper, script, len, url, host, timeout_ms, result, &error);
        free(helper);
        if (outcome != RUN_FAILED) return error;
    }
    if (flags & WINHTTP_AUTOPROXY_RUN_OUTPROCESS_ONLY) return ERROR_WINHTTP_AUTO_PROXY_SERVICE_ERROR;
    return run_in_process(script, len, url, host, timeout_ms, result);
}
