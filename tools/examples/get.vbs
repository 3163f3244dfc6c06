' get.vbs URL: fetch URL with WinHttp.WinHttpRequest.5.1, print the status
' line and the body.  Run it under Wine with our winhttp.dll:
'
'     tools/winhttp-wine cscript //nologo tools/examples/get.vbs http://127.0.0.1:8080/
'
' The exit code is 0 for a 2xx status, 1 otherwise, 2 for a usage error.
Option Explicit

Dim request, url
If WScript.Arguments.Count < 1 Then
    WScript.Echo "usage: cscript //nologo get.vbs URL"
    WScript.Quit 2
End If
url = WScript.Arguments(0)

Set request = CreateObject("WinHttp.WinHttpRequest.5.1")
request.Open "GET", url, False
request.Send
WScript.Echo request.Status & " " & request.StatusText
WScript.Echo request.ResponseText
If request.Status >= 200 And request.Status < 300 Then
    WScript.Quit 0
End If
WScript.Quit 1
