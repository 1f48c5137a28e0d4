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
})();
