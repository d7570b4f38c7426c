// The full version's editor: pell (npm, served from our static files) over the plain textarea.
// Without JavaScript, or where pell did not load, the textarea stays and takes simple marks
// (content/forms.py text_to_html). With it, the officer edits formatted text and the textarea
// carries the HTML, which content.services sanitises (nh3) like any other.
(function () {
  "use strict";
  if (!window.pell || !document.execCommand) return;

  function escapeHtml(text) {
    return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  }

  // Text typed before (no tags): paragraphs at blank lines, line breaks kept.
  function asHtml(value) {
    if (!value.trim() || /<[a-z][\s\S]*>/i.test(value)) return value;
    return value.trim().split(/\n\s*\n/).map(function (block) {
      return "<p>" + escapeHtml(block).replace(/\n/g, "<br>") + "</p>";
    }).join("");
  }

  function setUp(textarea) {
    var labels = document.getElementById("editor-labels");
    var say = function (name) { return (labels && labels.getAttribute("data-" + name)) || name; };
    var box = document.createElement("div");
    box.className = "editor";
    textarea.parentNode.insertBefore(box, textarea);
    var sync = function (html) { textarea.value = html; };
    var block = function (tag) { return function () { return window.pell.exec("formatBlock", "<" + tag + ">"); }; };
    window.pell.init({
      element: box,
      defaultParagraphSeparator: "p",
      onChange: sync,
      actions: [
        { name: "bold", title: say("bold") },
        { name: "italic", title: say("italic") },
        { name: "subheading", icon: "<b>H</b>", title: say("subheading"), result: block("h2") },
        { name: "paragraph", icon: "¶", title: say("paragraph"), result: block("p") },
        { name: "ulist", title: say("ulist") },
        { name: "olist", title: say("olist") },
        { name: "quote", title: say("quote") },
        {
          name: "link", icon: "\u2197", title: say("link"),
          result: function () {
            var url = window.prompt(say("link-prompt"), "https://");
            if (url && /^(https?:|mailto:|tel:)/i.test(url)) window.pell.exec("createLink", url);
          }
        }
      ]
    });
    var content = box.content;
    content.innerHTML = asHtml(textarea.value);
    content.setAttribute("role", "textbox");
    content.setAttribute("aria-multiline", "true");
    if (textarea.id) {
      var label = document.querySelector("label[for='" + textarea.id + "']");
      if (label) {
        label.id = label.id || textarea.id + "-label";
        content.setAttribute("aria-labelledby", label.id);
        label.addEventListener("click", function () { content.focus(); });
      }
    }
    textarea.hidden = true;
    var help = textarea.parentNode.querySelector(".field-help");
    if (help) help.hidden = true; // it explains the marks typed without the editor
    if (textarea.form) {
      textarea.form.addEventListener("submit", function () { sync(content.innerHTML); });
    }
  }

  document.querySelectorAll("textarea[data-editor]").forEach(setUp);
})();
