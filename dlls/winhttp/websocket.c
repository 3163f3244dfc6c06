/*
 * The WebSocket API (RFC 6455 over an upgraded request).  Lands with its own
 * issue; until then each call validates its handle and fails cleanly.
 */
#include "winhttp_private.h"

WINE_DEFAULT_DEBUG_CHANNEL(winhttp);

static DWORD websocket_unimplemented(HINTERNET handle, DWORD type)
{
    FIXME_ONCE("WebSocket support not implemented\n");
    if (!fail_unimplemented(handle, type)) return GetLastError();
    return ERROR_CALL_NOT_IMPLEMENTED;
}

HINTERNET WINAPI WinHttpWebSocketCompleteUpgrade(HINTERNET hrequest, DWORD_PTR context)
{
    TRACE("(%p, %#lx)\n", hrequest, context);
    websocket_unimplemented(hrequest, WINHTTP_HANDLE_TYPE_REQUEST);
    return NULL;
}

DWORD WINAPI WinHttpWebSocketSend(HINTERNET hsocket, WINHTTP_WEB_SOCKET_BUFFER_TYPE type, PVOID buffer, DWORD len)
{
    TRACE("(%p, %u, %p, %u)\n", hsocket, type, buffer, len);
    return websocket_unimplemented(hsocket, WINHTTP_HANDLE_TYPE_WEBSOCKET);
}

DWORD WINAPI WinHttpWebSocketReceive(HINTERNET hsocket, PVOID buffer, DWORD len, DWORD *read,
                                     WINHTTP_WEB_SOCKET_BUFFER_TYPE *type)
{
    TRACE("(%p, %p, %u, %p, %p)\n", hsocket, buffer, len, read, type);
    return websocket_unimplemented(hsocket, WINHTTP_HANDLE_TYPE_WEBSOCKET);
}

DWORD WINAPI WinHttpWebSocketShutdown(HINTERNET hsocket, USHORT status, PVOID reason, DWORD len)
{
    TRACE("(%p, %u, %p, %u)\n", hsocket, status, reason, len);
    return websocket_unimplemented(hsocket, WINHTTP_HANDLE_TYPE_WEBSOCKET);
}

DWORD WINAPI WinHttpWebSocketClose(HINTERNET hsocket, USHORT status, PVOID reason, DWORD len)
{
    TRACE("(%p, %u, %p, %u)\n", hsocket, status, reason, len);
    return websocket_unimplemented(hsocket, WINHTTP_HANDLE_TYPE_WEBSOCKET);
}

DWORD WINAPI WinHttpWebSocketQueryCloseStatus(HINTERNET hsocket, USHORT *status, PVOID reason, DWORD len,
                                              DWORD *consumed)
{
    TRACE("(%p, %p, %p, %u, %p)\n", hsocket, status, reason, len, consumed);
    return websocket_unimplemented(hsocket, WINHTTP_HANDLE_TYPE_WEBSOCKET);
}
