' WinHttp.WinHttpRequest.5.1 from VBScript (Wine's cscript), against the
' peers: basic.vbs NGINX_PORT SCRIPTED_PORT CLOSED_PORT.
' Prints one line per failed check and "N passed, N failed" last.
Option Explicit

Dim passed, failed
passed = 0
failed = 0

Sub Check(cond, what)
    If cond Then
        passed = passed + 1
    Else
        failed = failed + 1
        WScript.Echo "basic.vbs: Test failed: " & what
    End If
End Sub

Dim nginx, scripted, closed, r, text, bytes, e
nginx = WScript.Arguments(0)
scripted = WScript.Arguments(1)
closed = WScript.Arguments(2)

Set r = CreateObject("WinHttp.WinHttpRequest.5.1")
Check TypeName(r) = "IWinHttpRequest", "TypeName is " & TypeName(r)

' A synchronous GET.
r.Open "GET", "http://127.0.0.1:" & nginx & "/static/small.txt", False
r.Send
Check r.Status = 200, "Status " & r.Status
Check r.StatusText = "OK", "StatusText " & r.StatusText
Check r.ResponseText = "hello, winhttp" & vbLf, "ResponseText " & r.ResponseText
Check Len(r.ResponseText) = 15, "length of ResponseText " & Len(r.ResponseText)
Check r.GetResponseHeader("Content-Length") = "15", "Content-Length " & r.GetResponseHeader("Content-Length")
Check InStr(r.GetAllResponseHeaders(), "Content-Length: 15" & vbCrLf) > 0, "GetAllResponseHeaders"
bytes = r.ResponseBody
Check VarType(bytes) = vbArray + vbByte, "ResponseBody VarType " & VarType(bytes)

' Options by name, with coercion.
Check r.Option(2) = 65001, "URLCodePage " & r.Option(2)
r.Option(6) = False
Check r.Option(6) = False, "EnableRedirects"
r.Open "GET", "http://127.0.0.1:" & nginx & "/redirect/302", False
r.Send
Check r.Status = 302, "redirect not followed: " & r.Status
r.Option(6) = True

' A string body goes as UTF-8.
r.Open "POST", "http://127.0.0.1:" & scripted & "/echo", False
r.SetRequestHeader "X-From", "vbscript"
r.Send "caf" & Chr(233)
text = r.ResponseText
Check InStr(text, "X-From: vbscript" & vbCrLf) > 0, "request header"
Check InStr(text, "Content-Length: 5" & vbCrLf) > 0, "UTF-8 length"
Check InStr(text, "Content-Type: text/plain; Charset=UTF-8" & vbCrLf) > 0, "text Content-Type"

' Asynchronous, with WaitForResponse.
r.Open "GET", "http://127.0.0.1:" & scripted & "/delay?ms=800", True
r.Send
Check r.WaitForResponse(0) = False, "WaitForResponse(0) while in progress"
Check r.WaitForResponse(10) = True, "WaitForResponse(10)"
Check r.Status = 200, "async Status " & r.Status

' After Send, no more request headers.
On Error Resume Next
r.SetRequestHeader "X-Late", "1"
Check Err.Number = &H80072F46, "after-send error " & Hex(Err.Number)
Check Err.Description = "This method cannot be called after the Send method has been called", "text " & Err.Description
On Error GoTo 0

' Errors are raised with Windows' number and text.
On Error Resume Next
r.Open "GET", "http://127.0.0.1:" & closed & "/", False
r.Send
Check Err.Number = &H80072EFD, "connect error number " & Hex(Err.Number)
Check Err.Description = "A connection with the server could not be established", "description " & Err.Description
Err.Clear
r.SetTimeouts 0, 5000, 5000, 500
r.Open "GET", "http://127.0.0.1:" & scripted & "/delay?ms=3000", False
r.Send
Check Err.Number = &H80072EE2, "timeout " & Hex(Err.Number)
Check Err.Description = "The operation timed out", "timeout text " & Err.Description
On Error GoTo 0

WScript.Echo passed & " passed, " & failed & " failed"
If failed > 0 Then WScript.Quit 1
