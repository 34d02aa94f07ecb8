// PLH Bilan, narrative editor: « Insérer » buttons beside each figure, and the live preview.
// The page works without this script: the figures can be copied, « Prévisualiser » renders the preview.
(function () {
  "use strict";
  var form = document.querySelector("form.editeur-recit");
  var text = document.getElementById("champ-texte");
  var preview = document.getElementById("apercu");
  if (!form || !text || !preview) { return; }

  // Inserts a figure's tag at the cursor (replacing the selection), then previews.
  function insert(tag) {
    var start = text.selectionStart, end = text.selectionEnd;
    text.setRangeText(tag, start, end, "end");
    text.focus();
    schedule();
  }
  var tags = document.querySelectorAll("code.balise");
  for (var i = 0; i < tags.length; i++) {
    (function (code) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "inserer";
      button.textContent = "Insérer";
      button.setAttribute("aria-label", "Insérer " + code.textContent + " dans le texte");
      button.addEventListener("click", function () { insert(code.textContent); });
      code.parentNode.appendChild(document.createTextNode(" "));
      code.parentNode.appendChild(button);
    })(tags[i]);
  }

  // After a pause in typing, the server renders the text as the bilan does; only the latest answer is shown.
  var timer = null, sent = 0;
  function schedule() {
    if (timer) { clearTimeout(timer); }
    timer = setTimeout(send, 400);
  }
  function send() {
    timer = null;
    var number = ++sent;
    var body = new URLSearchParams();
    body.append("csrf", form.elements["csrf"].value);
    body.append("version", form.elements["version"].value);
    body.append("texte", text.value);
    fetch(form.getAttribute("data-apercu"), { method: "POST", body: body, credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.text() : null; })
      .then(function (html) {
        // The HTML comes from the engine (cmark in safe mode), rendered on the server.
        if (html !== null && number === sent) { preview.innerHTML = html; }
      })
      .catch(function () {});
  }
  text.addEventListener("input", schedule);
})();
