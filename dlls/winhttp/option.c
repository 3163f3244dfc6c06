/*
 * WinHttpSetOption and WinHttpQueryOption.
 */
#include "winhttp_private.h"

WINE_DEFAULT_DEBUG_CHANNEL(winhttp);

BOOL WINAPI WinHttpQueryOption(HINTERNET handle, DWORD option, void *buffer, DWORD *size)
{
    TRACE("(%p, %u, %p, %p)\n", handle, option, buffer, size);
    FIXME_ONCE("not implemented\n");
    return fail_unimplemented(handle, 0);
}

BOOL WINAPI WinHttpSetOption(HINTERNET handle, DWORD option, void *buffer, DWORD size)
{
    TRACE("(%p, %u, %p, %u)\n", handle, option, buffer, size);
    FIXME_ONCE("not implemented\n");
    return fail_unimplemented(handle, 0);
}
