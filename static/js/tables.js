/* Tables and folds on a phone (static/css/tables.css). Each scrolling table box (.table-scroll) is
   marked "is-overflowing" while its table is wider than the box and "is-at-end" once scrolled to its
   right edge, so the CSS shades the edge the table continues past; the hint before it (.table-hint)
   hides when the table fits. A link to a part of the page inside a closed fold (<details>) opens it.
   Without JavaScript the page works the same: the hint shows on every narrow screen and a fold opens
   when tapped. */
(function () {
  "use strict";

  function hintOf(box) {
    var previous = box.previousElementSibling;
    return previous && previous.classList.contains("table-hint") ? previous : null;
  }

  function measure(box) {
    var overflowing = box.scrollWidth > box.clientWidth + 1;
    box.classList.toggle("is-overflowing", overflowing);
    box.classList.toggle("is-at-end", box.scrollLeft + box.clientWidth >= box.scrollWidth - 1);
    var hint = hintOf(box);
    if (hint) { hint.classList.toggle("is-not-needed", !overflowing); }
  }

  function measureAll() {
    Array.prototype.forEach.call(document.querySelectorAll(".table-scroll"), measure);
  }

  function openTarget() {
    var id = decodeURIComponent(window.location.hash.slice(1));
    var target = id && document.getElementById(id);
    var fold = target && target.closest("details");
    if (fold && !fold.open) {
      fold.open = true;
      target.scrollIntoView();
    }
  }

  Array.prototype.forEach.call(document.querySelectorAll(".table-scroll"), function (box) {
    box.addEventListener("scroll", function () { measure(box); }, { passive: true });
  });
  // A fold that opens may hold a table to measure.
  document.addEventListener("toggle", function (event) {
    if (event.target.tagName === "DETAILS" && event.target.open) { measureAll(); }
  }, true);
  window.addEventListener("resize", measureAll);
  window.addEventListener("hashchange", openTarget);
  measureAll();
  openTarget();
}());
