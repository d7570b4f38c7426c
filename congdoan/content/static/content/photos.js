// Photos for the studio's product form, shrunk in the browser before they go up a slow line.
// The form works without this file: the server shrinks every photo anyway (core.images).
// With it, each chosen image becomes a JPEG whose long side is at most 1600 px (a phone's
// 4000 × 3000 photo of 4–8 MB becomes 200–400 KB); the canvas keeps no EXIF (no GPS).
(function () {
  "use strict";
  var MAX_SIDE = 1600;
  var QUALITY = 0.82;

  // The decoded picture: createImageBitmap where there is one, otherwise an <img> from a data:
  // URL (the site's Content-Security-Policy allows data: images, not blob: ones).
  function decode(file) {
    if (window.createImageBitmap) {
      return createImageBitmap(file, { imageOrientation: "from-image" });
    }
    return new Promise(function (resolve, reject) {
      var reader = new FileReader();
      reader.onload = function () {
        var img = new Image();
        img.onload = function () { resolve(img); };
        img.onerror = reject;
        img.src = reader.result;
      };
      reader.onerror = reject;
      reader.readAsDataURL(file);
    });
  }

  function shrink(file) {
    if (!/^image\/(jpeg|png|webp)$/.test(file.type) || !document.createElement("canvas").toBlob) {
      return Promise.resolve(file);
    }
    return decode(file).then(function (picture) {
      var w = picture.naturalWidth || picture.width, h = picture.naturalHeight || picture.height;
      var scale = Math.min(1, MAX_SIDE / Math.max(w, h));
      var canvas = document.createElement("canvas");
      canvas.width = Math.round(w * scale);
      canvas.height = Math.round(h * scale);
      var ctx = canvas.getContext("2d");
      ctx.fillStyle = "#fff"; // a transparent PNG gets a white, not black, background
      ctx.fillRect(0, 0, canvas.width, canvas.height);
      ctx.drawImage(picture, 0, 0, canvas.width, canvas.height);
      if (picture.close) { picture.close(); }
      return new Promise(function (resolve) {
        canvas.toBlob(function (blob) {
          // A photo already small keeps its own file (the server re-encodes it anyway).
          if (!blob || (scale === 1 && blob.size >= file.size)) { resolve(file); return; }
          var name = file.name.replace(/\.[^.]*$/, "") + ".jpg";
          resolve(new File([blob], name, { type: "image/jpeg", lastModified: Date.now() }));
        }, "image/jpeg", QUALITY);
      });
    }).catch(function () { return file; }); // undecodable here (HEIC…): the server decides
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
