// The copy button of the recovery codes page: shown only where the browser can copy.
(function () {
  "use strict";
  var button = document.getElementById("copy-recovery-codes");
  var list = document.getElementById("recovery-codes");
  if (!button || !list || !navigator.clipboard) return;
  button.hidden = false;
  button.addEventListener("click", function () {
    var codes = Array.prototype.map.call(list.querySelectorAll("li"), function (item) {
      return item.textContent.trim();
    });
    navigator.clipboard.writeText(codes.join("\n")).then(function () {
      button.textContent = button.dataset.copied;
    });
  });
})();
