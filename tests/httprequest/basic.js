// WinHttp.WinHttpRequest.5.1 from JScript (Wine's cscript), against the
// peers: basic.js NGINX_PORT SCRIPTED_PORT CLOSED_PORT.
// Prints one line per failed check and "N passed, N failed" last.
var passed = 0, failed = 0;
function check(cond, what) {
    if (cond) passed++;
    else { failed++; WScript.Echo("basic.js: Test failed: " + what); }
}

var nginx = WScript.Arguments(0), scripted = WScript.Arguments(1), closed = WScript.Arguments(2);
var r = new ActiveXObject("WinHttp.WinHttpRequest.5.1");

r.Open("GET", "http://127.0.0.1:" + nginx + "/static/small.txt", false);
r.Send();
check(r.Status == 200, "Status " + r.Status);
check(r.ResponseText == "hello, winhttp\n", "ResponseText " + r.ResponseText);
check(r.GetResponseHeader("content-length") == "15", "Content-Length");

r.Open("PUT", "http://127.0.0.1:" + scripted + "/echo", false);
r.SetRequestHeader("Content-Type", "application/json");
r.Send("{\"a\":\"\u00e9\"}");
var text = r.ResponseText;
check(text.indexOf("PUT /echo HTTP/1.1\r\n") == 0, "request line " + text.substring(0, 30));
check(text.indexOf("Content-Type: application/json\r\n") > 0, "caller's Content-Type kept");
check(text.indexOf("Content-Length: 10\r\n") > 0, "UTF-8 length");

r.Open("GET", "http://127.0.0.1:" + scripted + "/status/404?reason=Gone%20Fishing&body=nope", true);
r.Send();
check(r.WaitForResponse(10) == true, "WaitForResponse");
check(r.Status == 404, "Status " + r.Status);
check(r.StatusText == "Gone Fishing", "StatusText " + r.StatusText);
check(r.ResponseText == "nope", "ResponseText " + r.ResponseText);

try {
    r.Open("GET", "http://127.0.0.1:" + closed + "/", false);
    r.Send();
    check(false, "Send to a closed port did not throw");
} catch (e) {
    check((e.number >>> 0) == 0x80072efd, "error number " + (e.number >>> 0).toString(16));
    check(e.description == "A connection with the server could not be established", "description " + e.description);
}

try {
    r.Open("GET", "nohost", false);
    check(false, "Open of a bad URL did not throw");
} catch (e) {
    check((e.number >>> 0) == 0x80072ee6, "bad scheme error " + (e.number >>> 0).toString(16));
}

WScript.Echo(passed + " passed, " + failed + " failed");
WScript.Quit(failed ? 1 : 0);
