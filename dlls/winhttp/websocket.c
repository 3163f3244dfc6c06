/*
 * The WebSocket API (RFC 6455 over an upgraded request).  Lands with its own
 * issue; until then each call validates its handle and fails cleanly.
 */
#include "winhttp_private.h"
#include "ntsecapi.h"
#include "ws_frame.h"

WINE_DEFAULT_DEBUG_CHANNEL(winhttp);

/* Windows refuses a send buffer below this (WinHttpSendRequest fails). */
#define MIN_SEND_BUFFER_SIZE 16

struct settings *websocket_settings(struct object *obj)
{
    return NULL;
}

/* ------------------------------------------------------------------ */
/* the handshake, as the HTTP engine sends it                          */

static const WCHAR upgradeW[] = L"Upgrade";
static const WCHAR keyW[] = L"Sec-WebSocket-Key";
static const WCHAR versionW[] = L"Sec-WebSocket-Version";

static void remove_generated(struct header_list *list, const WCHAR *name)
{
    size_t i;

    for (i = list->count; i > 0; i--)
        if (!list->items[i - 1].is_request_user && !strcmpiW(list->items[i - 1].name, name))
            headers_remove(list, i - 1);
}

static DWORD add_generated(struct header_list *list, const WCHAR *name, const WCHAR *value)
{
    if (headers_find(list, name, 0) >= 0) return ERROR_SUCCESS;   /* the application's own wins */
    return headers_add(list, name, value, WINHTTP_ADDREQ_FLAG_ADD, FALSE);
}

DWORD websocket_handshake_headers(struct request *request)
{
    struct header_list *list = &request->request_headers;
    BYTE nonce[16];
    char key[25];
    WCHAR keyW_value[25];
    DWORD res;
    int i;

    remove_generated(list, upgradeW);
    remove_generated(list, keyW);
    remove_generated(list, versionW);
    if (!request->upgrade_to_websocket) return ERROR_SUCCESS;

    /* RFC 6455 section 4.1: a fresh random 16-byte nonce for every handshake. */
    if (!RtlGenRandom(nonce, sizeof(nonce))) return ERROR_WINHTTP_INTERNAL_ERROR;
    ws_base64(nonce, sizeof(nonce), key);
    for (i = 0; i < 25; i++) keyW_value[i] = key[i];
    if ((res = add_generated(list, upgradeW, L"websocket"))) return res;
    if ((res = add_generated(list, keyW, keyW_value))) return res;
    return add_generated(list, versionW, L"13");
}

DWORD websocket_check_request(struct request *request)
{
    if (!request->upgrade_to_websocket) return ERROR_SUCCESS;
    if (request->settings.websocket_send_buffer_size < MIN_SEND_BUFFER_SIZE)
    {
        WARN("send buffer of %u bytes is too small for a WebSocket\n", request->settings.websocket_send_buffer_size);
        return ERROR_NOT_ENOUGH_MEMORY;
    }
    return ERROR_SUCCESS;
}


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
