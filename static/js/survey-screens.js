/* The citizens' questionnaire (templates/surveys/public/survey_form.html) one screen at a time, and its
 * answers kept in this browser until the portal has them. No library, no external file.
 *
 * The page holds the whole form, one <section data-survey-screen> a screen; without this script it is
 * one long page that works as well. Here only one screen shows, with its progress, Back and Next; Next
 * first asks for the required questions of the screen; the last screen's Send is the form's own
 * submit button.
 *
 * The answers (the questionnaire's inputs only, nothing else of the form) are written to localStorage
 * as they change, under the key the page gives (a keyed hash of its address, never the visit code), and
 * put back when the page comes again (a reload, a browser killed, a phone that slept), with a note and a
 * way to start over. On sending they are marked as sent; the thank-you page (or "already answered")
 * forgets them. A page the server sent back with a refusal already holds every answer: it is kept as it
 * is and saved again.
 */
(function () {
  "use strict";

  var PREFIX = "portal.survey.draft.";
  var DAY_MS = 24 * 60 * 60 * 1000;
  var DEFAULT_DAYS = 30;

  function store() {
    try {
      return window.localStorage; // null-ish or throwing when storage is refused (private mode, a setting)
    } catch (error) {
      return null;
    }
  }

  function parse(text) {
    try {
      var draft = JSON.parse(text);
      return draft && typeof draft === "object" && draft.answers && typeof draft.answers === "object" ? draft : null;
    } catch (error) {
      return null;
    }
  }

  function read(key) {
    var storage = store();
    return storage ? parse(storage.getItem(key)) : null;
  }

  function write(key, draft) {
    var storage = store();
    if (!storage) {
      return;
    }
    try {
      storage.setItem(key, JSON.stringify(draft));
    } catch (error) {
      // full or refused: the answers stay on the page, which is all the page ever had
    }
  }

  function forget(key) {
    var storage = store();
    if (storage) {
      storage.removeItem(key);
    }
  }

  // Drafts older than a visit code lives, or (on a page that says the answer went in) marked as sent.
  function prune(maxAge, sentToo) {
    var storage = store();
    if (!storage) {
      return;
    }
    var stale = [];
    for (var i = 0; i < storage.length; i += 1) {
      var key = storage.key(i);
      if (key && key.indexOf(PREFIX) === 0) {
        var draft = parse(storage.getItem(key));
        if (!draft || !(Date.now() - draft.saved <= maxAge) || (sentToo && draft.sent)) {
          stale.push(key);
        }
      }
    }
    stale.forEach(function (key) {
      storage.removeItem(key);
    });
  }

  if (document.querySelector("[data-survey-sent]")) {
    prune(DEFAULT_DAYS * DAY_MS, true);
    return;
  }

  var form = document.querySelector("form[data-survey-screens]");
  var questions = form && form.querySelector("[data-survey-questions]");
  var screens = questions ? Array.prototype.slice.call(questions.querySelectorAll("[data-survey-screen]")) : [];
  if (!screens.length) {
    return;
  }

  var key = PREFIX + form.getAttribute("data-draft-key");
  var maxAge = (Number(form.getAttribute("data-draft-days")) || DEFAULT_DAYS) * DAY_MS;
  var stepFormat = form.getAttribute("data-step-format") || "{step} / {total}";
  var refused = document.getElementById("survey-error"); // the server sent the answers back with a refusal
  var note = document.querySelector("[data-survey-restored]");
  var buttons = {
    back: form.querySelector("[data-survey-action=back]"),
    next: form.querySelector("[data-survey-action=next]"),
    send: form.querySelector("button[type=submit]"),
    restart: document.querySelector("[data-survey-action=restart]"),
  };
  var current = 0;
  var submitted = false;

  prune(maxAge, false);

  // --- Screens ---------------------------------------------------------------------------------------

  function items(screen) {
    return Array.prototype.slice.call(screen.querySelectorAll(".survey-item"));
  }

  // A screen whose every item is hidden by a condition (js/surveys.js) is skipped.
  function shownScreens() {
    var shown = [];
    screens.forEach(function (screen, index) {
      if (
        items(screen).some(function (item) {
          return !item.hidden;
        })
      ) {
        shown.push(index);
      }
    });
    return shown;
  }

  function screenOf(element) {
    return screens.indexOf(element.closest("[data-survey-screen]"));
  }

  function progress(screen, step, total) {
    var text = stepFormat.replace("{step}", step).replace("{total}", total);
    var bar = screen.querySelector("[role=progressbar]");
    screen.querySelector("[data-survey-step]").textContent = text;
    bar.setAttribute("aria-valuenow", String(step));
    bar.setAttribute("aria-valuemax", String(total));
    bar.setAttribute("aria-valuetext", text);
    // Through the CSSOM, which the Content-Security-Policy allows (a style="" attribute it would not).
    screen.querySelector("[data-survey-progress-fill]").style.width = (100 * step) / total + "%";
    screen.querySelector("[data-survey-progress]").hidden = false;
  }

  function show(index, moveFocus) {
    var shown = shownScreens();
    if (shown.indexOf(index) === -1) {
      index = shown.length ? shown[0] : 0;
    }
    current = index;
    var position = shown.indexOf(index);
    var last = position === shown.length - 1;
    screens.forEach(function (screen, at) {
      screen.hidden = at !== index;
    });
    progress(screens[index], position + 1, shown.length);
    buttons.back.hidden = position <= 0;
    buttons.next.hidden = last;
    buttons.send.hidden = !last;
    if (moveFocus) {
      screens[index].scrollIntoView({ block: "start" });
      screens[index].querySelector(".survey-screen__title").focus({ preventScroll: true });
    }
  }

  // --- Required questions ----------------------------------------------------------------------------

  function isAnswered(item) {
    return Array.prototype.some.call(item.querySelectorAll("input, textarea"), function (input) {
      if (input.type === "radio" || input.type === "checkbox") {
        return input.checked;
      }
      return input.value.trim() !== "";
    });
  }

  function missingOn(screen) {
    return items(screen).filter(function (item) {
      return !item.hidden && item.hasAttribute("data-required") && !isAnswered(item);
    });
  }

  // The element whose description carries the message: the group of choices, or the one field.
  function described(item) {
    return item.tagName === "FIELDSET" ? item : item.querySelector("input, textarea");
  }

  function describedBy(element, id, on) {
    var ids = (element.getAttribute("aria-describedby") || "").split(/\s+/).filter(function (token) {
      return token && token !== id;
    });
    if (on) {
      ids.push(id);
    }
    if (ids.length) {
      element.setAttribute("aria-describedby", ids.join(" "));
    } else {
      element.removeAttribute("aria-describedby");
    }
  }

  function flag(item, on) {
    var message = item.querySelector("[data-survey-missing]");
    if (!message || (!on && !item.hasAttribute("data-survey-flagged"))) {
      return;
    }
    message.hidden = !on;
    item.classList.toggle("survey-item--invalid", on);
    item.toggleAttribute("data-survey-flagged", on);
    describedBy(described(item), message.id, on);
    item.querySelectorAll("input, textarea").forEach(function (input) {
      if (on) {
        input.setAttribute("aria-invalid", "true");
      } else {
        input.removeAttribute("aria-invalid");
      }
    });
  }

  // Says which questions still need an answer and takes the reader to the first. False if none.
  function complain(screenIndex) {
    var missing = missingOn(screens[screenIndex]);
    if (!missing.length) {
      return false;
    }
    if (screenIndex !== current) {
      show(screenIndex, false);
    }
    missing.forEach(function (item) {
      flag(item, true);
    });
    missing[0].scrollIntoView({ block: "center" });
    missing[0].querySelector("input, textarea").focus({ preventScroll: true });
    return true;
  }

  function go(step) {
    var shown = shownScreens();
    var position = shown.indexOf(current);
    if (step > 0 && complain(current)) {
      return;
    }
    var target = shown[position + step];
    if (target !== undefined) {
      show(target, true);
      save();
    }
  }

  // --- The answers kept in this browser --------------------------------------------------------------

  function inputs() {
    return Array.prototype.slice.call(questions.querySelectorAll("input[name], textarea[name]"));
  }

  function collect() {
    var answers = {};
    inputs().forEach(function (input) {
      if (input.type === "radio") {
        if (input.checked) {
          answers[input.name] = input.value;
        }
      } else if (input.type === "checkbox") {
        if (input.checked) {
          (answers[input.name] = answers[input.name] || []).push(input.value);
        }
      } else if (input.value.trim() !== "") {
        answers[input.name] = input.value;
      }
    });
    return answers;
  }

  function save() {
    var answers = collect();
    if (!Object.keys(answers).length) {
      forget(key); // nothing worth keeping
      return;
    }
    write(key, {
      saved: Date.now(),
      screen: screens[current].getAttribute("data-survey-screen"),
      answers: answers,
      sent: submitted,
    });
  }

  // Puts the kept answers into the inputs they name; true if any was put back.
  function restore(answers) {
    var restored = false;
    inputs().forEach(function (input) {
      if (!Object.prototype.hasOwnProperty.call(answers, input.name)) {
        return;
      }
      var value = answers[input.name];
      if (input.type === "radio") {
        input.checked = typeof value === "string" && input.value === value;
      } else if (input.type === "checkbox") {
        input.checked = Array.isArray(value) && value.indexOf(input.value) !== -1;
      } else if (typeof value === "string") {
        input.value = value;
      }
      var choice = input.type === "radio" || input.type === "checkbox";
      restored = restored || (choice ? input.checked : input.value !== "");
    });
    return restored;
  }

  // js/surveys.js shows and hides the conditional items and the limits on a "change" of the questions.
  function changed() {
    questions.dispatchEvent(new Event("change", { bubbles: true }));
  }

  function startOver() {
    inputs().forEach(function (input) {
      if (input.type === "radio" || input.type === "checkbox") {
        input.checked = false;
      } else {
        input.value = "";
      }
    });
    items(questions).forEach(function (item) {
      flag(item, false);
    });
    forget(key);
    changed();
    if (note) {
      note.hidden = true;
    }
    show(shownScreens()[0], true);
  }

  // --- Events ----------------------------------------------------------------------------------------

  function answered(event) {
    var item = event.target.closest(".survey-item");
    if (item && isAnswered(item)) {
      flag(item, false);
    }
    show(current, false); // a condition may have added or removed a screen
    save();
  }

  questions.addEventListener("change", answered);
  questions.addEventListener("input", answered);

  buttons.back.addEventListener("click", function () {
    go(-1);
  });
  buttons.next.addEventListener("click", function () {
    go(1);
  });
  if (buttons.restart) {
    buttons.restart.addEventListener("click", startOver);
  }

  form.addEventListener("submit", function (event) {
    var shown = shownScreens();
    if (shown.indexOf(current) < shown.length - 1) {
      event.preventDefault(); // Enter in a field of an earlier screen: go on, do not send yet
      go(1);
      return;
    }
    for (var i = 0; i < shown.length; i += 1) {
      if (complain(shown[i])) {
        event.preventDefault();
        return;
      }
    }
    submitted = true;
    save();
  });

  // A link of the refusal ("Go to that question") to an item on another screen shows that screen first.
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest('a[href^="#"]');
    var target = link && document.getElementById(link.getAttribute("href").slice(1));
    if (target && questions.contains(target) && screenOf(target) !== current) {
      show(screenOf(target), false);
    }
  });

  window.addEventListener("pagehide", save);
  // Back to this page from the history after sending: if the portal took the answers (the thank-you
  // page forgot them), the page as the server has it now; otherwise the answers are not sent after all.
  window.addEventListener("pageshow", function (event) {
    if (!event.persisted || !submitted) {
      return;
    }
    if (!read(key)) {
      window.location.reload();
      return;
    }
    submitted = false;
    save();
  });

  // --- Start -----------------------------------------------------------------------------------------

  var start = shownScreens()[0];
  if (refused) {
    var invalid = questions.querySelector(".survey-item--invalid");
    var shown = shownScreens();
    start = invalid ? screenOf(invalid) : shown[shown.length - 1];
  } else {
    var draft = read(key);
    if (draft && restore(draft.answers)) {
      changed();
      var saved = screens.filter(function (screen) {
        return screen.getAttribute("data-survey-screen") === draft.screen;
      })[0];
      start = saved ? screens.indexOf(saved) : start;
      if (note) {
        note.hidden = false;
      }
    }
  }
  show(start, false);
  save();
})();
