// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";

  // Copy buttons beside read-only links. The links stay selectable without JavaScript; the
  // buttons are hidden in the markup and shown here.
  function showCopyButtons(root) {
    root.querySelectorAll("[data-copy][hidden]").forEach(function (button) {
      button.hidden = false;
    });
  }

  function copyText(input) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(input.value);
    }
    input.select();
    return document.execCommand("copy") ? Promise.resolve() : Promise.reject(new Error("copy"));
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-copy]");
    if (!button) return;
    var input = document.getElementById(button.dataset.copy);
    var status = button.closest(".copy-field").querySelector(".copy-field-status");
    copyText(input).then(
      function () {
        if (status) status.textContent = "Copied.";
      },
      function () {
        input.select();
        if (status) status.textContent = "Press Ctrl+C (or ⌘C) to copy the selected link.";
      }
    );
  });

  document.addEventListener("focusin", function (event) {
    if (event.target.matches && event.target.matches(".copy-field-input")) event.target.select();
  });

  // After a step swaps in, move focus to its heading (or to the list of problems) so screen
  // readers announce the new step and keyboard users start from the top.
  function focusStep(root) {
    var target = root.querySelector("[data-focus]");
    if (target) target.focus({ preventScroll: true });
  }

  document.addEventListener("htmx:load", function (event) {
    showCopyButtons(event.detail.elt);
  });

  document.addEventListener("htmx:afterSettle", function (event) {
    var wizard = event.detail.elt;
    if (wizard && wizard.id === "wizard") focusStep(wizard);
  });

  // A stale save answers 409 with an explanation: show it instead of ignoring the response.
  document.addEventListener("htmx:beforeSwap", function (event) {
    if (event.detail.xhr.status === 409) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });

  // A page restored from the back-forward cache carries an old revision number; fetch it again
  // so the next save is not refused as stale.
  window.addEventListener("pageshow", function (event) {
    if (event.persisted && document.querySelector("input[name=revision]")) {
      window.location.reload();
    }
  });

  document.addEventListener("DOMContentLoaded", function () {
    showCopyButtons(document);
  });
})();
