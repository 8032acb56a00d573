/* The citizens' feedback form (templates/feedback/public/feedback_form.html), made easier where scripts
   run: the error summary takes the focus, "Use my location" fills the two hidden coordinates from the
   browser's geolocation (and can take them out again), and the consent box shows only once personal
   data are given. Without this script the place is said in words, the consent box is always shown with
   a line saying when it is needed, and the server checks everything the same way. No dependencies. */
(function () {
  "use strict";

  function focusErrorSummary() {
    var summary = document.querySelector("[data-error-summary]");
    if (summary && document.activeElement !== summary) { summary.focus(); }
  }

  function setUpLocation(form, onChange) {
    var box = form.querySelector("[data-location]");
    if (!box) { return; }
    var latitude = form.querySelector('input[name="latitude"]');
    var longitude = form.querySelector('input[name="longitude"]');
    var status = box.querySelector('[role="status"]');
    var use = box.querySelector("[data-location-use]");
    var remove = box.querySelector("[data-location-remove]");
    var help = box.querySelector("[data-location-help]");
    if (!latitude || !longitude || !status || !use || !remove) { return; }
    var available = "geolocation" in navigator;

    function show(hasLocation) {
      use.hidden = hasLocation || !available;
      if (help) { help.hidden = use.hidden; }
      remove.hidden = !hasLocation;
    }

    function say(text) { status.textContent = text || ""; }

    use.addEventListener("click", function () {
      use.disabled = true;
      say(box.getAttribute("data-finding"));
      navigator.geolocation.getCurrentPosition(function (position) {
        latitude.value = position.coords.latitude.toFixed(6);
        longitude.value = position.coords.longitude.toFixed(6);
        use.disabled = false;
        show(true);
        say(box.getAttribute("data-added"));
        remove.focus();
        onChange();
      }, function () {
        use.disabled = false;
        say(box.getAttribute("data-failed"));
      }, { enableHighAccuracy: true, timeout: 20000, maximumAge: 60000 });
    });

    remove.addEventListener("click", function () {
      latitude.value = "";
      longitude.value = "";
      show(false);
      say(box.getAttribute("data-removed"));
      (use.hidden ? box : use).focus();
      onChange();
    });

    show(latitude.value !== "" && longitude.value !== "");
  }

  function setUpConsent(form) {
    var block = form.querySelector("[data-consent]");
    if (!block) { return function () {}; }
    var always = block.hasAttribute("data-consent-always");
    var watched = ["contact_name", "contact_phone", "contact_email", "latitude"].map(function (name) {
      return form.querySelector('[name="' + name + '"]');
    }).filter(Boolean);

    function update() {
      var given = watched.some(function (input) { return input.value.trim() !== ""; });
      block.hidden = !(always || given);
    }

    watched.forEach(function (input) { input.addEventListener("input", update); });
    update();
    return update;
  }

  function start() {
    var form = document.querySelector("[data-feedback-form]");
    if (form) {
      var consentChanged = setUpConsent(form);
      setUpLocation(form, consentChanged);
    }
    focusErrorSummary();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
