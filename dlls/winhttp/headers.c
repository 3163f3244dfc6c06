/*
 * Request and response headers: WinHttpAddRequestHeaders(Ex) and
 * WinHttpQueryHeaders(Ex).
 */
#include "winhttp_private.h"

WINE_DEFAULT_DEBUG_CHANNEL(winhttp);

BOOL WINAPI WinHttpAddRequestHeaders(HINTERNET hrequest, LPCWSTR headers, DWORD len, DWORD flags)
{
    TRACE("(%p, %s, %u, %#x)\n", hrequest, debugstr_wn(headers, len == ~0u ? -1 : (int)len), len, flags);
    FIXME_ONCE("not implemented\n");
    return fail_unimplemented(hrequest, WINHTTP_HANDLE_TYPE_REQUEST);
}

DWORD WINAPI WinHttpAddRequestHeadersEx(HINTERNET hrequest, DWORD modifiers, ULONGLONG flags, ULONGLONG extra,
                                        DWORD count, WINHTTP_EXTENDED_HEADER *headers)
{
    TRACE("(%p, %#x, %s, %s, %u, %p)\n", hrequest, modifiers, wine_dbgstr_longlong(flags), wine_dbgstr_longlong(extra), count, headers);
    FIXME_ONCE("not implemented\n");
    fail_unimplemented(hrequest, WINHTTP_HANDLE_TYPE_REQUEST);
    return GetLastError();
}

BOOL WINAPI WinHttpQueryHeaders(HINTERNET hrequest, DWORD level, LPCWSTR name, LPVOID buffer, LPDWORD len,
                                LPDWORD index)
{
    TRACE("(%p, %#x, %s, %p, %p, %p)\n", hrequest, level, debugstr_w(name), buffer, len, index);
    FIXME_ONCE("not implemented\n");
    return fail_unimplemented(hrequest, WINHTTP_HANDLE_TYPE_REQUEST);
}

DWORD WINAPI WinHttpQueryHeadersEx(HINTERNET hrequest, DWORD level, ULONGLONG flags, UINT codepage, PDWORD index,
                                   PWINHTTP_HEADER_NAME name, PVOID buffer, PDWORD len,
                                   PWINHTTP_EXTENDED_HEADER *headers, PDWORD count)
{
    TRACE("(%p, %#x, %s, %u, %p, %p, %p, %p, %p, %p)\n", hrequest, level, wine_dbgstr_longlong(flags), codepage, index, name, buffer,
          len, headers, count);
    FIXME_ONCE("not implemented\n");
    fail_unimplemented(hrequest, WINHTTP_HANDLE_TYPE_REQUEST);
    return GetLastError();
}

/* ------------------------------------------------------------------ */
/* header lists (placeholders until the header engine lands) */

void headers_clear(struct header_list *list)
{
    size_t i;
    for (i = 0; i < list->count; i++)
    {
        free(list->items[i].name);
        free(list->items[i].value);
    }
    free(list->items);
    memset(list, 0, sizeof(*list));
}
