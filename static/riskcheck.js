// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";
  document.querySelectorAll(".js-print").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () { window.print(); });
  });
  // The Back link at the top keeps what was typed on this step, like the Back button.
  document.querySelectorAll("a[data-back]").forEach(function (link) {
    var form = document.getElementById("step-form");
    if (!form) { return; }
    link.addEventListener("click", function (event) {
      event.preventDefault();
      var back = form.querySelector("button[value='back']");
      if (back) { back.click(); } else { window.location = link.href; }
    });
  });
  // The YAML editor keeps unsaved text in this tab (sessionStorage: this origin and this tab
  // only), so an ended session or a closed page never loses a clinician's edits.
  var kept = document.querySelector("textarea[data-keep-for]");
  if (kept && window.sessionStorage) {
    var key = "riskcheck-draft:" + kept.getAttribute("data-keep-for");
    var stored = window.sessionStorage.getItem(key);
    if (kept.readOnly) {  // the "session ended" page: keep what was sent
      window.sessionStorage.setItem(key, kept.value);
    } else if (stored !== null && stored !== kept.value) {
      var notice = document.getElementById("restore-notice");
      var button = document.getElementById("restore-text");
      if (notice && button) {
        notice.hidden = false;
        button.addEventListener("click", function () {
          kept.value = stored;
          notice.hidden = true;
          kept.focus();
        });
      }
    } else {
      window.sessionStorage.removeItem(key);  // saved: nothing to keep
    }
    if (!kept.readOnly) {
      kept.addEventListener("input", function () {
        window.sessionStorage.setItem(key, kept.value);
      });
    }
  }
})();
