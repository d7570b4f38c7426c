// The attempt page with JavaScript: an answer is saved as soon as it is ticked (the form's
// POST still saves it when this fails), and the time left is counted down from the figure the
// server wrote. Nothing depends on this file: without it the page works the same.
(function () {
  "use strict";
  var form = document.getElementById("answer-form");
  var state = document.getElementById("save-state");
  var timer = document.getElementById("timer");

  function csrf() {
    var field = document.querySelector("input[name=csrfmiddlewaretoken]");
    return field ? field.value : "";
  }

  if (form && form.dataset.api && window.fetch) {
    form.addEventListener("change", function (event) {
      if (!event.target || event.target.name !== "option") { return; }
      var ids = Array.prototype.map.call(
        form.querySelectorAll("input[name=option]:checked"),
        function (input) { return parseInt(input.value, 10); }
      );
      if (!ids.length) { return; }
      if (state) { state.textContent = state.dataset.saving || "…"; }
      fetch(form.dataset.api, {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-CSRFToken": csrf() },
        body: JSON.stringify({ question: parseInt(form.dataset.question, 10), options: ids })
      }).then(function (response) {
        if (response.status === 409 || response.status === 410) {
          window.location.reload();  // the attempt is over: the server shows the result
          return;
        }
        if (response.ok) {
          if (state) { state.textContent = state.dataset.saved || "✓"; }
          var here = document.querySelector(".qnum.here");
          if (here) { here.classList.add("done"); }
          return;
        }
        return response.json().then(function (body) {
          if (state) { state.textContent = body && body.detail ? body.detail : state.dataset.failed || ""; }
        });
      }).catch(function () {
        if (state) { state.textContent = state.dataset.failed || ""; }  // the buttons save it
      });
    });
  }

  if (timer && timer.dataset.remaining) {
    var left = parseInt(timer.dataset.remaining, 10);
    var shown = timer.querySelector("strong");
    var end = Date.now() + left * 1000;
    var pad = function (n) { return (n < 10 ? "0" : "") + n; };
    var tick = function () {
      var s = Math.max(0, Math.round((end - Date.now()) / 1000));
      var h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), r = s % 60;
      if (shown) { shown.textContent = (h ? h + ":" + pad(m) : pad(m)) + ":" + pad(r); }
      if (s <= 60) { timer.classList.add("low"); }
      if (s === 0) {
        window.clearInterval(handle);
        window.location.reload();  // the server expires the attempt and shows the result
      }
    };
    var handle = window.setInterval(tick, 1000);
  }
})();
