/*
 * The request API surface: sending, receiving, headers and body data.
 * The HTTP/1.1 engine lands with its own issue; until then each entry point
 * validates its handle and fails with ERROR_CALL_NOT_IMPLEMENTED.
 */
#include "winhttp_private.h"

WINE_DEFAULT_DEBUG_CHANNEL(winhttp);

BOOL WINAPI WinHttpSendRequest(HINTERNET hrequest, LPCWSTR headers, DWORD headers_len, LPVOID optional,
                               DWORD optional_len, DWORD total_len, DWORD_PTR context)
{
    TRACE("(%p, %s, %#x, %p, %u, %u, %#lx)\n", hrequest, debugstr_wn(headers, headers_len == ~0u ? -1 : (int)headers_len),
          headers_len, optional, optional_len, total_len, context);
    FIXME_ONCE("not implemented\n");
    return fail_unimplemented(hrequest, WINHTTP_HANDLE_TYPE_REQUEST);
}

BOOL WINAPI WinHttpReceiveResponse(HINTERNET hrequest, LPVOID reserved)
{
    TRACE("(%p, %p)\n", hrequest, reserved);
    FIXME_ONCE("not implemented\n");
    return fail_unimplemented(hrequest, WINHTTP_HANDLE_TYPE_REQUEST);
}

BOOL WINAPI WinHttpQueryDataAvailable(HINTERNET hrequest, LPDWORD available)
{
    TRACE("(%p, %p)\n", hrequest, available);
    FIXME_ONCE("not implemented\n");
    return fail_unimplemented(hrequest, WINHTTP_HANDLE_TYPE_REQUEST);
}

BOOL WINAPI WinHttpReadData(HINTERNET hrequest, LPVOID buffer, DWORD to_read, LPDWORD read)
{
    TRACE("(%p, %p, %u, %p)\n", hrequest, buffer, to_read, read);
    FIXME_ONCE("not implemented\n");
    return fail_unimplemented(hrequest, WINHTTP_HANDLE_TYPE_REQUEST);
}

DWORD WINAPI WinHttpReadDataEx(HINTERNET hrequest, LPVOID buffer, DWORD to_read, LPDWORD read, ULONGLONG flags,
                               DWORD property_size, PVOID property)
{
    TRACE("(%p, %p, %u, %p, %s, %u, %p)\n", hrequest, buffer, to_read, read, wine_dbgstr_longlong(flags), property_size, property);
    FIXME_ONCE("not implemented\n");
    fail_unimplemented(hrequest, WINHTTP_HANDLE_TYPE_REQUEST);
    return GetLastError();
}

BOOL WINAPI WinHttpWriteData(HINTERNET hrequest, LPCVOID buffer, DWORD to_write, LPDWORD written)
{
    TRACE("(%p, %p, %u, %p)\n", hrequest, buffer, to_write, written);
    FIXME_ONCE("not implemented\n");
    return fail_unimplemented(hrequest, WINHTTP_HANDLE_TYPE_REQUEST);
}

void request_engine_free(struct request *request)
{
}

void request_engine_cancel(struct request *request)
{
}
