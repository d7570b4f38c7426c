// Upload progress for the library's upload form (the form works without this file).
// HTMX sends the form (hx-post) and fires htmx:xhr:progress while the bytes go up.
document.addEventListener("htmx:xhr:progress", function (event) {
  var bar = document.getElementById("upload-progress");
  if (!bar || !event.detail.lengthComputable) return;
  bar.hidden = false;
  bar.value = Math.round((event.detail.loaded / event.detail.total) * 100);
});
document.addEventListener("htmx:afterRequest", function () {
  var bar = document.getElementById("upload-progress");
  if (bar) { bar.value = 100; }
});
// HTMX swaps no error answer by default: a form marked data-swap-client-errors shows the
// server's 4xx message (413 "too large", 400…) in its target like any other answer.
document.addEventListener("htmx:beforeSwap", function (event) {
  var status = event.detail.xhr.status;
  // htmx 2: requestConfig.elt is the form that sent the request (detail.elt is the target).
  var elt = (event.detail.requestConfig && event.detail.requestConfig.elt) || event.detail.elt;
  if (status >= 400 && status < 500 && elt && elt.closest && elt.closest("[data-swap-client-errors]")) {
    event.detail.shouldSwap = true;
    event.detail.isError = false;
  }
});
// No answer at all (the connection cut while a large file was still going up): say so.
document.addEventListener("htmx:sendError", function () {
  var message = document.getElementById("upload-send-error");
  if (message) { message.hidden = false; }
});
document.addEventListener("htmx:beforeRequest", function () {
  var message = document.getElementById("upload-send-error");
  if (message) { message.hidden = true; }
});
