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

  // A request that fails (refused, a server error, no connection, too slow) must not look as if
  // it worked. Nothing on the page is replaced, so what was typed stays in the form; a message
  // beside the buttons says what happened.
  var NEW_TOKEN_HEADER = "X-New-CSRF-Token";
  var REASONS = {
    0: "the connection to the server failed",
    413: "the answers were too large to send",
    429: "there were too many requests in a short time; wait a moment",
  };

  function failureReason(xhr) {
    var status = xhr ? xhr.status : 0;
    if (status && xhr.responseText) {
      // The server may explain in a fragment; parsed, never inserted as HTML.
      var doc = new DOMParser().parseFromString(xhr.responseText, "text/html");
      var explained = doc.querySelector("[data-failure-reason]");
      if (explained && explained.textContent.trim()) return explained.textContent.trim();
    }
    if (REASONS[status]) return REASONS[status];
    if (status >= 500) return "the server had a problem";
    return "the server refused it (error " + status + ")";
  }

  // A refused CSRF check comes with a fresh token: use it for the next try.
  function renewCsrfToken(xhr) {
    var token = xhr && xhr.getResponseHeader(NEW_TOKEN_HEADER);
    if (!token) return;
    var headers = JSON.parse(document.body.getAttribute("hx-headers") || "{}");
    headers["X-CSRFToken"] = token;
    document.body.setAttribute("hx-headers", JSON.stringify(headers));
    document.querySelectorAll("input[name=csrfmiddlewaretoken]").forEach(function (input) {
      input.value = token;
    });
  }

  function failureMessage(event) {
    var elt = event.detail.elt;
    var verb = ((event.detail.requestConfig || {}).verb || "get").toLowerCase();
    var form = elt && elt.closest ? elt.closest("form") : null;
    var reason = failureReason(event.detail.xhr);
    if (form && verb !== "get") {
      return {
        near: form,
        text: "Not saved: " + reason + ". Your answers on this page are still here; try again.",
      };
    }
    var area = (elt && elt.closest && elt.closest("#wizard")) || document.getElementById("main");
    return { near: area, text: "That did not work: " + reason + ". Please try again." };
  }

  function showFailure(event) {
    renewCsrfToken(event.detail.xhr);
    var message = failureMessage(event);
    if (!message.near) return;
    var alert = message.near.querySelector(".request-failed");
    if (!alert) {
      alert = document.createElement("div");
      alert.className = "alert alert-danger request-failed";
      alert.setAttribute("role", "alert");
      var actions = message.near.querySelector(".wizard-actions");
      if (actions && actions.parentNode === message.near) {
        message.near.insertBefore(alert, actions);
      } else {
        message.near.insertBefore(alert, message.near.firstChild);
      }
    }
    alert.textContent = message.text;
  }

  // In debug mode django-htmx replaces the whole page with an htmx request's 403 to show
  // Django's error page, which would throw away what was typed. A refused CSRF check is handled
  // here instead (it carries a fresh token), so it is kept from that listener.
  document.addEventListener(
    "htmx:beforeOnLoad",
    function (event) {
      var xhr = event.detail.xhr;
      if (xhr && xhr.getResponseHeader(NEW_TOKEN_HEADER)) event.stopPropagation();
    },
    true
  );

  document.addEventListener("htmx:responseError", showFailure);
  document.addEventListener("htmx:sendError", showFailure);
  document.addEventListener("htmx:timeout", showFailure);

  // A new attempt clears the old message, so a second failure is announced again.
  document.addEventListener("htmx:beforeRequest", function (event) {
    var form = event.detail.elt && event.detail.elt.closest && event.detail.elt.closest("form");
    var old = form && form.querySelector(".request-failed");
    if (old) old.remove();
  });

  // A page restored from the back-forward cache carries an old revision number; fetch it again
  // so the next save is not refused as stale.
  window.addEventListener("pageshow", function (event) {
    if (event.persisted && document.querySelector("input[name=revision]")) {
      window.location.reload();
    }
  });

  // Forms whose answer takes a few seconds (running the engine, a re-run) say so while the
  // next page is on its way, and cannot be sent twice. htmx requests show the same state through
  // the htmx-request class on their indicator.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches("form[data-progress]") || event.defaultPrevented) return;
    if (form.getAttribute("aria-busy") === "true") {
      event.preventDefault();
      return;
    }
    form.setAttribute("aria-busy", "true");
    form.classList.add("is-working");
    var text = form.querySelector(".progress-status-text");
    if (text) text.textContent = form.dataset.progress;
  });

  // Back from the next page (back-forward cache): the form is idle again.
  window.addEventListener("pageshow", function () {
    document.querySelectorAll("form[data-progress][aria-busy]").forEach(function (form) {
      form.removeAttribute("aria-busy");
      form.classList.remove("is-working");
      var text = form.querySelector(".progress-status-text");
      if (text) text.textContent = "";
    });
  });

  // Confirm links (replace or turn off the share link, delete) fetch their question into a
  // modal dialog; without JavaScript they open the same question as a page.
  document.addEventListener("htmx:afterSwap", function (event) {
    var dialog = event.detail.target;
    if (!dialog || dialog.id !== "confirm-dialog") return;
    if (!dialog.open) dialog.showModal();
    var title = dialog.querySelector("#confirm-title");
    if (title) title.focus();
  });

  document.addEventListener("click", function (event) {
    var close = event.target.closest("[data-close-dialog]");
    if (close) close.closest("dialog").close();
  });

  document.addEventListener(
    "close",
    function (event) {
      if (event.target.id === "confirm-dialog") event.target.replaceChildren();
    },
    true
  );

  document.addEventListener("DOMContentLoaded", function () {
    showCopyButtons(document);
  });
})();
