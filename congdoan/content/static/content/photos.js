// Photos for the studio's product form, shrunk in the browser before they go up a slow line.
// The form works without this file: the server shrinks every photo anyway (core.images).
// With it, each chosen image becomes a JPEG whose long side is at most 1600 px (a phone's
// 4000 × 3000 photo of 4–8 MB becomes 200–400 KB); the canvas keeps no EXIF (no GPS).
(function () {
  "use strict";
  var MAX_SIDE = 1600;
  var QUALITY = 0.82;

  function shrink(file) {
    return new Promise(function (resolve) {
      if (!/^image\/(jpeg|png|webp)$/.test(file.type) || !window.URL || !document.createElement("canvas").toBlob) {
        resolve(file);
        return;
      }
      var url = URL.createObjectURL(file);
      var img = new Image();
      img.onload = function () {
        var w = img.naturalWidth, h = img.naturalHeight;
        var scale = Math.min(1, MAX_SIDE / Math.max(w, h));
        var canvas = document.createElement("canvas");
        canvas.width = Math.round(w * scale);
        canvas.height = Math.round(h * scale);
        var ctx = canvas.getContext("2d");
        ctx.fillStyle = "#fff"; // a transparent PNG gets a white, not black, background
        ctx.fillRect(0, 0, canvas.width, canvas.height);
        ctx.drawImage(img, 0, 0, canvas.width, canvas.height); // browsers apply EXIF orientation
        URL.revokeObjectURL(url);
        canvas.toBlob(function (blob) {
          if (!blob || blob.size >= file.size) { resolve(file); return; }
          var name = file.name.replace(/\.[^.]*$/, "") + ".jpg";
          resolve(new File([blob], name, { type: "image/jpeg", lastModified: Date.now() }));
        }, "image/jpeg", QUALITY);
      };
      img.onerror = function () { URL.revokeObjectURL(url); resolve(file); };
      img.src = url;
    });
  }

  function onChange(event) {
    var input = event.target;
    if (!input.matches || !input.matches("input[type=file][data-shrink]") || !input.files.length) return;
    if (typeof DataTransfer !== "function") return; // an old browser: the server shrinks them
    var form = input.form;
    var status = form && form.querySelector("[data-shrink-status]");
    var buttons = form ? form.querySelectorAll("button[type=submit]") : [];
    buttons.forEach(function (b) { b.disabled = true; });
    if (status) { status.hidden = false; }
    Promise.all(Array.prototype.map.call(input.files, shrink)).then(function (files) {
      var dt = new DataTransfer();
      files.forEach(function (f) { dt.items.add(f); });
      input.files = dt.files;
      var total = files.reduce(function (n, f) { return n + f.size; }, 0);
      if (status) {
        status.textContent = status.getAttribute("data-done").replace("%s", (total / 1024 / 1024).toFixed(1).replace(".", ","));
      }
    }).finally(function () {
      buttons.forEach(function (b) { b.disabled = false; });
    });
  }

  document.addEventListener("change", onChange);
})();
