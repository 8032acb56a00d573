// The reader's text size: kept in this browser (localStorage), applied to <html> as soon as this file
// runs in <head>, so a page never flashes at the small size first. The header's buttons set it; without
// JavaScript they stay hidden and the browser's own zoom still works.
(function () {
  "use strict";
  var KEY = "portal:text-size";
  var SIZES = ["100", "115", "130"];

  function stored() {
    try {
      return window.localStorage.getItem(KEY);
    } catch (error) {
      return null; // storage refused (private mode, a strict setting): the normal size
    }
  }

  function apply(size) {
    var chosen = SIZES.indexOf(size) >= 0 ? size : SIZES[0];
    document.documentElement.setAttribute("data-text-size", chosen);
    return chosen;
  }

  var current = apply(stored());

  document.addEventListener("DOMContentLoaded", function () {
    var control = document.querySelector("[data-text-size-control]");
    if (!control) {
      return;
    }
    var buttons = control.querySelectorAll("button[data-size]");
    function mark() {
      buttons.forEach(function (button) {
        button.setAttribute("aria-pressed", String(button.getAttribute("data-size") === current));
      });
    }
    buttons.forEach(function (button) {
      button.addEventListener("click", function () {
        current = apply(button.getAttribute("data-size"));
        try {
          window.localStorage.setItem(KEY, current);
        } catch (error) {
          // kept for this page only
        }
        mark();
      });
    });
    mark();
    control.hidden = false;
  });
})();
