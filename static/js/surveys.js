/* The survey questionnaire (templates/surveys/_questionnaire.html), made easier where scripts run:
   items asked only after a given answer stay hidden (and are not sent) until it is given, and a
   "choose up to N" group stops at N. Without this script every item shows, and the server ignores
   the answers to hidden items and refuses more than N choices with a message. No dependencies. */
(function () {
  "use strict";

  // The one answer given to a question, or null; checkboxes (several answers) give none.
  function chosen(root, name) {
    var inputs = root.querySelectorAll("input");
    for (var i = 0; i < inputs.length; i++) {
      if (inputs[i].name === name && inputs[i].checked && inputs[i].type !== "checkbox") { return inputs[i].value; }
    }
    return null;
  }

  // The server's rule (surveys.models.Condition.met) applied to the data-shown-if/-value it rendered.
  function applyConditions(root) {
    root.querySelectorAll("[data-shown-if]").forEach(function (element) {
      var shown = chosen(root, element.getAttribute("data-shown-if")) === element.getAttribute("data-shown-value");
      element.hidden = !shown;
      element.querySelectorAll("input, textarea, select").forEach(function (input) { input.disabled = !shown; });
    });
  }

  function applyLimits(root) {
    root.querySelectorAll("[data-max-choices]").forEach(function (group) {
      if (group.hidden) { return; }
      var limit = parseInt(group.getAttribute("data-max-choices"), 10);
      var boxes = group.querySelectorAll('input[type="checkbox"]');
      var count = 0;
      boxes.forEach(function (box) { if (box.checked) { count += 1; } });
      boxes.forEach(function (box) { box.disabled = !box.checked && count >= limit; });
    });
  }

  function enhance(root) {
    function update() { applyConditions(root); applyLimits(root); }
    root.addEventListener("change", update);
    var form = root.closest("form");
    if (form) {
      // A reset (the kiosk clears the form after each answer) changes inputs without "change" events.
      form.addEventListener("reset", function () { window.setTimeout(update, 0); });
    }
    update();
  }

  document.querySelectorAll("[data-survey-questions]").forEach(enhance);

  // A refused answer: the page comes back at its top, so bring the message (and readers) to it.
  var error = document.getElementById("survey-error");
  if (error) { error.focus({ preventScroll: true }); error.scrollIntoView({ block: "start" }); }
})();
