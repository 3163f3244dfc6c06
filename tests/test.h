/*
 * A tiny conformance-test framework for the WinHTTP tests.
 *
 * Tests are Windows programs (mingw-w64) that run under Wine.  A check
 * that fails prints file:line with what was expected and what came back;
 * every program ends with the line "N passed, N failed" alone, which the
 * runner (tools/run-tests) adds up.  Tests read like a specification: one
 * function per behaviour, registered in main() through run_test().
 */
#ifndef WINHTTP_TEST_H
#define WINHTTP_TEST_H

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <windows.h>

static LONG test_passed, test_failed;
static const char *test_current = "";

static void test_vreport(int ok, const char *file, int line, const char *fmt, va_list args)
{
    if (ok)
    {
        InterlockedIncrement(&test_passed);
        return;
    }
    InterlockedIncrement(&test_failed);
    fprintf(stdout, "%s:%d: %s: Test failed: ", file, line, test_current);
    vfprintf(stdout, fmt, args);
    if (!*fmt || fmt[strlen(fmt) - 1] != '\n') fputc('\n', stdout);
    fflush(stdout);
}

static void test_report(int ok, const char *file, int line, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void test_report(int ok, const char *file, int line, const char *fmt, ...)
{
    va_list args;
    va_start(args, fmt);
    test_vreport(ok, file, line, fmt, args);
    va_end(args);
}

/* ok(condition, "expected X, got %u\n", value) */
#define ok(cond, ...) test_report(!!(cond), __FILE__, __LINE__, __VA_ARGS__)

/* Compare a DWORD-like value: prints both on failure. */
#define ok_u(got, expect) do { unsigned long long g_ = (unsigned long long)(got), e_ = (unsigned long long)(expect); \
    test_report(g_ == e_, __FILE__, __LINE__, "%s: expected %llu, got %llu", #got, e_, g_); } while (0)

/* A call that must fail with a given Win32 error (GetLastError). */
#define ok_err(call, expect_err) do { DWORD e_; BOOL r_; SetLastError(0xdeadbeef); r_ = (BOOL)!!(call); e_ = GetLastError(); \
    test_report(!r_ && e_ == (DWORD)(expect_err), __FILE__, __LINE__, "%s: expected failure with %lu, got ret %d error %lu", \
                #call, (unsigned long)(expect_err), r_, (unsigned long)e_); } while (0)

/* Wide-string equality; wstr_ok compares up to the terminator. */
static inline int test_wcs_eq(const WCHAR *a, const WCHAR *b)
{
    if (!a || !b) return a == b;
    return !lstrcmpW(a, b);
}
#define ok_wstr(got, expect) do { const WCHAR *g_ = (got), *e_ = (expect); \
    test_report(test_wcs_eq(g_, e_), __FILE__, __LINE__, "%s: expected %ls, got %ls", #got, \
                e_ ? (const wchar_t *)e_ : L"(null)", g_ ? (const wchar_t *)g_ : L"(null)"); } while (0)

/* Skip reason, e.g. a peer that is not available: counts as neither. */
#define skip(...) do { printf("%s:%d: %s: Tests skipped: ", __FILE__, __LINE__, test_current); printf(__VA_ARGS__); fflush(stdout); } while (0)
/* Informational trace. */
#define trace(...) do { printf("%s:%d: ", __FILE__, __LINE__); printf(__VA_ARGS__); fflush(stdout); } while (0)

static void run_test(const char *name, void (*func)(void))
{
    test_current = name;
    func();
    test_current = "";
}

/* Call at the end of main(); the exit code tells the runner whether all passed. */
static int test_summary(void)
{
    printf("%ld passed, %ld failed\n", (long)test_passed, (long)test_failed);
    fflush(stdout);
    return test_failed ? 1 : 0;
}

#endif /* WINHTTP_TEST_H */
