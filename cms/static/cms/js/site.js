/* The public site's two controls, without inline script (the CSP forbids it).
   Loaded in <head>: the large-text choice (大字版), kept in this browser's
   localStorage, is applied to <html> before the page is drawn, so the stored
   public pages stay the same for everyone. Then, once the page is read, the
   large-text button and the menu button (phones) are shown and wired. */
(function () {
  "use strict";
  var KEY = "cms-large-text";
  var root = document.documentElement;
  var stored = null;
  try { stored = window.localStorage.getItem(KEY); } catch (e) { stored = null; }
  root.classList.add("js");
  if (stored === "1") root.classList.add("large-text");

  function setLarge(on) {
    root.classList.toggle("large-text", on);
    try { window.localStorage.setItem(KEY, on ? "1" : "0"); } catch (e) { /* private mode */ }
    document.querySelectorAll("[data-large-text]").forEach(function (b) {
      b.setAttribute("aria-pressed", on ? "true" : "false");
    });
    // The charts redraw their labels at the new size (cms/js/charts.js).
    window.dispatchEvent(new CustomEvent("cms:textsize"));
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-large-text]").forEach(function (button) {
      button.hidden = false;
      button.setAttribute("aria-pressed", root.classList.contains("large-text") ? "true" : "false");
      button.addEventListener("click", function () {
        setLarge(!root.classList.contains("large-text"));
      });
    });
    var toggle = document.querySelector(".mainnav__button");
    var list = document.getElementById("mainnav-list");
    if (toggle && list) {
      toggle.hidden = false;
      toggle.addEventListener("click", function () {
        var open = toggle.getAttribute("aria-expanded") !== "true";
        toggle.setAttribute("aria-expanded", open ? "true" : "false");
        list.classList.toggle("is-open", open);
      });
    }
  });
})();
