/* The survey kiosk: a tablet at the counter asks the questionnaire, one factor per screen, and starts
 * again by itself. No library (the id it gives each answer comes from static/js/device-id.js).
 *
 * An answer is written to a queue in localStorage, with an id made here, before anything is sent: the
 * next respondent never waits for the network, and an answer survives a lost connection or a reload.
 * A sender posts the queue oldest first with the kiosk's token. The server stores an id once, so a
 * resend after a lost reply is harmless (it answers "already received").
 */
(function () {
  "use strict";

  var root = document.getElementById("kiosk");
  if (!root) {
    return;
  }

  function readJSON(id) {
    var element = document.getElementById(id);
    if (!element) {
      return null;
    }
    try {
      return JSON.parse(element.textContent);
    } catch (error) {
      return null;
    }
  }

  var messages = readJSON("kiosk-messages") || {};
  var survey = readJSON("kiosk-questionnaire");
  var submitUrl = root.dataset.submitUrl;
  var token = root.dataset.token;
  var language = root.dataset.language || "vi";
  var THANKS_MS = (Number(root.dataset.thanksSeconds) || 8) * 1000;
  var IDLE_MS = (Number(root.dataset.idleSeconds) || 90) * 1000;
  var QUEUE_KEY = "portal.kiosk." + root.dataset.kiosk + ".queue";

  function format(text, values) {
    return String(text || "").replace(/%\((\w+)\)[sd]/g, function (match, name) {
      return name in values ? String(values[name]) : match;
    });
  }

  // --- The queue -----------------------------------------------------------------------------------
  // Kept in localStorage; if the browser refuses it (private mode, full), in memory for this page.

  var memoryQueue = [];
  var storageWorks = (function () {
    try {
      var probe = QUEUE_KEY + ".probe";
      window.localStorage.setItem(probe, "1");
      window.localStorage.removeItem(probe);
      return true;
    } catch (error) {
      return false;
    }
  })();

  function queueLoad() {
    if (!storageWorks) {
      return memoryQueue.slice();
    }
    try {
      var items = JSON.parse(window.localStorage.getItem(QUEUE_KEY) || "[]");
      return Array.isArray(items) ? items : [];
    } catch (error) {
      return [];
    }
  }

  function queueSave(items) {
    if (storageWorks) {
      try {
        window.localStorage.setItem(QUEUE_KEY, JSON.stringify(items));
        return;
      } catch (error) {
        storageWorks = false; // full: keep going in memory rather than lose the answer
      }
    }
    memoryQueue = items.slice();
  }

  function queueAdd(item) {
    var items = queueLoad();
    items.push(item);
    queueSave(items);
  }

  function queueRemove(clientId) {
    queueSave(
      queueLoad().filter(function (item) {
        return item.client_id !== clientId;
      })
    );
  }

  // --- The sender ----------------------------------------------------------------------------------

  var RETRY_MIN_MS = 2000;
  var RETRY_MAX_MS = 60000;
  var REQUEST_TIMEOUT_MS = 20000;
  var retryDelay = RETRY_MIN_MS;
  var retryTimer = null;
  var sending = false;
  var blocked = false;
  var queueStatus = root.querySelector("[data-queue-status]");
  var blockedStatus = root.querySelector("[data-blocked]");

  function showQueueStatus() {
    var count = queueLoad().length;
    if (queueStatus) {
      queueStatus.hidden = count === 0;
      queueStatus.textContent = count
        ? format(count === 1 ? messages.waiting_one : messages.waiting_other, { count: count })
        : "";
    }
    if (blockedStatus) {
      blockedStatus.hidden = !(blocked && count);
    }
  }

  // "done": stored now or before; "refused": will never be stored, drop it; "blocked": this tablet
  // may not send (retired kiosk, token changed), keep it for an officer; "retry": try again later.
  function post(item) {
    var controller = typeof AbortController === "function" ? new AbortController() : null;
    var timeout = controller
      ? setTimeout(function () {
          controller.abort();
        }, REQUEST_TIMEOUT_MS)
      : null;
    return fetch(submitUrl, {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-Kiosk-Token": token },
      body: JSON.stringify(item),
      credentials: "omit", // the token, not the officer's session, vouches for the answer
      cache: "no-store",
      signal: controller ? controller.signal : undefined,
    }).then(
      function (response) {
        clearTimeout(timeout);
        if (response.status === 201 || response.status === 200) {
          return "done";
        }
        if (response.status === 400 || response.status === 409 || response.status === 413) {
          return response
            .json()
            .catch(function () {
              return {};
            })
            .then(function (body) {
              console.warn("Kiosk: answer " + item.client_id + " refused (" + response.status + "): " + (body.message || ""));
              return "refused";
            });
        }
        if (response.status === 403 || response.status === 404) {
          return "blocked";
        }
        return "retry";
      },
      function () {
        clearTimeout(timeout);
        return "retry";
      }
    );
  }

  function scheduleRetry() {
    clearTimeout(retryTimer);
    var jitter = Math.random() * 0.25 * retryDelay;
    retryTimer = setTimeout(flush, retryDelay + jitter);
    retryDelay = Math.min(retryDelay * 2, RETRY_MAX_MS);
  }

  function flush() {
    if (sending || blocked) {
      return;
    }
    clearTimeout(retryTimer);
    retryTimer = null;
    var item = queueLoad()[0];
    if (!item) {
      retryDelay = RETRY_MIN_MS;
      showQueueStatus();
      return;
    }
    sending = true;
    post(item).then(function (outcome) {
      sending = false;
      if (outcome === "done" || outcome === "refused") {
        queueRemove(item.client_id);
        retryDelay = RETRY_MIN_MS;
        flush(); // the next one, straight away
        return;
      }
      if (outcome === "blocked") {
        blocked = true;
      } else {
        scheduleRetry();
      }
      showQueueStatus();
    });
  }

  window.addEventListener("online", function () {
    retryDelay = RETRY_MIN_MS;
    flush();
  });
  flush(); // answers left from before a reload

  // --- Full screen ---------------------------------------------------------------------------------

  var fullscreenButton = root.querySelector("[data-action=fullscreen]");
  var page = document.documentElement;
  var canFullscreen = !!(document.fullscreenEnabled || document.webkitFullscreenEnabled);

  // Full screen through the page's button, or already so: the browser started in kiosk mode or with
  // F11, or the portal opened as an installed app. The button is hidden then.
  var fullscreenMode = window.matchMedia ? window.matchMedia("(display-mode: fullscreen)") : null;

  function inFullscreen() {
    return !!(document.fullscreenElement || document.webkitFullscreenElement || (fullscreenMode && fullscreenMode.matches));
  }

  function showFullscreenButton() {
    if (fullscreenButton) {
      fullscreenButton.hidden = !canFullscreen || inFullscreen();
    }
  }

  var wakeLock = null;
  function keepScreenOn() {
    // The tablet must not go dark between visitors; browsers without the API just ignore this.
    if (wakeLock || !navigator.wakeLock || typeof navigator.wakeLock.request !== "function") {
      return;
    }
    navigator.wakeLock.request("screen").then(
      function (lock) {
        wakeLock = lock;
        lock.addEventListener("release", function () {
          wakeLock = null;
        });
      },
      function () {}
    );
  }

  if (fullscreenButton) {
    fullscreenButton.addEventListener("click", function () {
      var request = page.requestFullscreen || page.webkitRequestFullscreen;
      if (request) {
        var result = request.call(page);
        if (result && typeof result.catch === "function") {
          result.catch(function () {});
        }
      }
      keepScreenOn();
    });
    document.addEventListener("fullscreenchange", showFullscreenButton);
    document.addEventListener("webkitfullscreenchange", showFullscreenButton);
    if (fullscreenMode && typeof fullscreenMode.addEventListener === "function") {
      fullscreenMode.addEventListener("change", showFullscreenButton);
    }
    showFullscreenButton();
  }
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "visible" && inFullscreen()) {
      keepScreenOn();
    }
  });

  if (!survey) {
    return; // no survey running: the page only sends what is left in the queue
  }

  // --- The questionnaire ---------------------------------------------------------------------------

  var screens = {
    start: root.querySelector("[data-screen=start]"),
    questions: root.querySelector("[data-screen=questions]"),
    thanks: root.querySelector("[data-screen=thanks]"),
  };
  var titleElement = root.querySelector("[data-screen-title]");
  var questionsElement = root.querySelector("[data-questions]");
  var errorElement = root.querySelector("[data-error]");
  var progressText = root.querySelector("[data-progress-text]");
  var progressBar = root.querySelector("[data-progress]");
  var buttons = {
    start: root.querySelector("[data-action=start]"),
    back: root.querySelector("[data-action=back]"),
    next: root.querySelector("[data-action=next]"),
    send: root.querySelector("[data-action=send]"),
    restart: root.querySelector("[data-action=restart]"),
  };

  var questionsByCode = {};
  survey.questions.forEach(function (question) {
    questionsByCode[question.code] = question;
  });

  var answers = {};
  var current = 0; // index into survey.screens
  var startedAt = 0;
  var idleTimer = null;
  var thanksTimer = null;

  // The server's rule (surveys.models.Condition.met) applied to the condition it sent: shown once the
  // other question has that one answer; a list of choices never meets a condition.
  function isShown(question) {
    var condition = question.shown_if;
    if (!condition || !condition.question) {
      return true;
    }
    var value = answers[condition.question];
    return value !== undefined && value !== null && !Array.isArray(value) && String(value) === String(condition.value);
  }

  function screenQuestions(index) {
    return survey.screens[index].questions
      .map(function (code) {
        return questionsByCode[code];
      })
      .filter(Boolean);
  }

  // A screen all of whose questions are hidden by a condition is skipped.
  function visibleScreens() {
    var indexes = [];
    survey.screens.forEach(function (screen, index) {
      if (screenQuestions(index).some(isShown)) {
        indexes.push(index);
      }
    });
    return indexes;
  }

  function isAnswered(question) {
    var value = answers[question.code];
    if (Array.isArray(value)) {
      return value.length > 0;
    }
    return value !== undefined && value !== null && String(value).trim() !== "";
  }

  function show(name) {
    Object.keys(screens).forEach(function (key) {
      if (screens[key]) {
        screens[key].hidden = key !== name;
      }
    });
    window.scrollTo(0, 0);
  }

  // --- Building the questions ---

  function choiceButton(question, choice, onPick) {
    var button = document.createElement("button");
    button.type = "button";
    button.className = "kiosk-choice";
    if (question.kind === "scale") {
      button.classList.add("kiosk-choice--scale", "kiosk-choice--v" + choice.value);
    }
    button.dataset.value = choice.value;
    button.setAttribute("aria-pressed", "false");
    button.textContent = choice.label;
    button.addEventListener("click", function () {
      onPick(choice.value, button);
    });
    return button;
  }

  function refreshPressed(container, question) {
    var value = answers[question.code];
    var chosen = Array.isArray(value) ? value : value === undefined ? [] : [String(value)];
    var full = question.kind === "multiple" && question.max_choices && chosen.length >= question.max_choices;
    container.querySelectorAll(".kiosk-choice").forEach(function (button) {
      var pressed = chosen.indexOf(button.dataset.value) !== -1;
      button.setAttribute("aria-pressed", pressed ? "true" : "false");
      button.disabled = !!full && !pressed;
    });
  }

  function buildChoices(question, container) {
    var list = document.createElement("div");
    list.className = "kiosk-choices kiosk-choices--" + question.kind;
    list.setAttribute("role", "group");
    question.choices.forEach(function (choice) {
      list.appendChild(
        choiceButton(question, choice, function (value) {
          if (question.kind === "multiple") {
            var chosen = (answers[question.code] || []).slice();
            var at = chosen.indexOf(value);
            if (at === -1) {
              if (!question.max_choices || chosen.length < question.max_choices) {
                chosen.push(value);
              }
            } else {
              chosen.splice(at, 1);
            }
            if (chosen.length) {
              answers[question.code] = chosen;
            } else {
              delete answers[question.code];
            }
          } else if (answers[question.code] === value) {
            delete answers[question.code]; // a second tap takes the answer back
          } else {
            answers[question.code] = value;
          }
          refreshPressed(list, question);
          answered();
        })
      );
    });
    container.appendChild(list);
    refreshPressed(list, question);
  }

  function buildNumber(question, container) {
    var row = document.createElement("div");
    row.className = "kiosk-number";
    var input = document.createElement("input");
    input.type = "number";
    input.inputMode = "numeric";
    input.min = "0";
    input.max = "99";
    input.className = "kiosk-number__input";
    input.id = "kiosk-" + question.code;
    input.value = answers[question.code] === undefined ? "" : answers[question.code];
    function set(value) {
      if (value === "" || isNaN(value)) {
        delete answers[question.code];
        input.value = "";
      } else {
        value = Math.max(0, Math.min(99, Math.round(value)));
        answers[question.code] = String(value);
        input.value = value;
      }
      answered();
    }
    function step(delta, label) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "kiosk-button kiosk-button--secondary kiosk-number__step";
      button.textContent = label;
      button.setAttribute("aria-controls", input.id);
      button.addEventListener("click", function () {
        var now = input.value === "" ? (delta > 0 ? 0 : 1) : Number(input.value);
        set(now + delta);
      });
      return button;
    }
    input.addEventListener("input", function () {
      set(input.value === "" ? "" : Number(input.value));
    });
    row.appendChild(step(-1, "−"));
    row.appendChild(input);
    row.appendChild(step(1, "+"));
    container.appendChild(row);
    return input;
  }

  function buildText(question, container) {
    var area = document.createElement("textarea");
    area.className = "kiosk-text";
    area.id = "kiosk-" + question.code;
    area.rows = 4;
    area.maxLength = 2000;
    area.value = answers[question.code] || "";
    area.addEventListener("input", function () {
      if (area.value.trim()) {
        answers[question.code] = area.value;
      } else {
        delete answers[question.code];
      }
    });
    container.appendChild(area);
    return area;
  }

  function buildQuestion(question) {
    var block = document.createElement("fieldset");
    block.className = "kiosk-question";
    block.dataset.code = question.code;
    var legend = document.createElement("legend");
    legend.className = "kiosk-question__text";
    legend.textContent = question.text;
    if (question.required) {
      var mark = document.createElement("span");
      mark.className = "kiosk-question__required";
      mark.setAttribute("aria-hidden", "true");
      mark.textContent = " *";
      legend.appendChild(mark);
    }
    block.appendChild(legend);
    if (question.hint) {
      var hint = document.createElement("p");
      hint.className = "kiosk-question__hint";
      hint.textContent = question.hint;
      block.appendChild(hint);
    }
    if (question.kind === "number") {
      legend.id = "kiosk-legend-" + question.code;
      buildNumber(question, block).setAttribute("aria-labelledby", legend.id);
    } else if (question.kind === "text") {
      legend.id = "kiosk-legend-" + question.code;
      buildText(question, block).setAttribute("aria-labelledby", legend.id);
    } else {
      buildChoices(question, block);
    }
    return block;
  }

  // --- Moving between screens ---

  function refreshConditions() {
    questionsElement.querySelectorAll(".kiosk-question").forEach(function (block) {
      block.hidden = !isShown(questionsByCode[block.dataset.code]);
    });
  }

  function answered() {
    errorElement.hidden = true;
    questionsElement.querySelectorAll(".kiosk-question--missing").forEach(function (block) {
      block.classList.remove("kiosk-question--missing");
    });
    refreshConditions();
    updateNavigation();
  }

  function updateNavigation() {
    var order = visibleScreens();
    var position = order.indexOf(current);
    var last = position === order.length - 1;
    buttons.back.hidden = false;
    buttons.next.hidden = last;
    buttons.send.hidden = !last;
    progressText.textContent = format(messages.step, { step: position + 1, total: order.length });
    progressBar.max = order.length;
    progressBar.value = position + 1;
  }

  function renderScreen(index) {
    current = index;
    var screen = survey.screens[index];
    titleElement.textContent = screen.title;
    questionsElement.textContent = "";
    screenQuestions(index).forEach(function (question) {
      questionsElement.appendChild(buildQuestion(question));
    });
    errorElement.hidden = true;
    refreshConditions();
    updateNavigation();
    show("questions");
    titleElement.focus({ preventScroll: true });
  }

  function missingOnScreen() {
    return screenQuestions(current).filter(function (question) {
      return question.required && isShown(question) && !isAnswered(question);
    });
  }

  function complain(text, codes) {
    errorElement.textContent = text;
    errorElement.hidden = false;
    var first = null;
    (codes || []).forEach(function (code) {
      var block = questionsElement.querySelector('.kiosk-question[data-code="' + code + '"]');
      if (block) {
        block.classList.add("kiosk-question--missing");
        first = first || block;
      }
    });
    (first || errorElement).scrollIntoView({ block: "center", behavior: "smooth" });
  }

  function checkScreen() {
    var missing = missingOnScreen();
    if (missing.length) {
      complain(
        messages.required,
        missing.map(function (question) {
          return question.code;
        })
      );
      return false;
    }
    return true;
  }

  function go(delta) {
    var order = visibleScreens();
    var position = order.indexOf(current);
    if (delta < 0 && position <= 0) {
      resetToStart();
      return;
    }
    if (delta > 0 && !checkScreen()) {
      return;
    }
    var target = order[Math.max(0, Math.min(order.length - 1, position + delta))];
    renderScreen(target);
  }

  // The answers to send: only what is shown, in the form the server reads.
  function collect() {
    var result = {};
    survey.questions.forEach(function (question) {
      if (isShown(question) && isAnswered(question)) {
        var value = answers[question.code];
        result[question.code] = question.kind === "text" ? String(value).trim() : value;
      }
    });
    return result;
  }

  function someScaleAnswered(result) {
    return survey.questions.some(function (question) {
      return question.kind === "scale" && result[question.code] !== undefined && String(result[question.code]) !== "0";
    });
  }

  function today() {
    var now = new Date();
    function pad(number) {
      return (number < 10 ? "0" : "") + number;
    }
    return now.getFullYear() + "-" + pad(now.getMonth() + 1) + "-" + pad(now.getDate());
  }

  function send() {
    if (!checkScreen()) {
      return;
    }
    var result = collect();
    if (!someScaleAnswered(result)) {
      complain(messages.at_least_one);
      return;
    }
    queueAdd({
      client_id: window.portalDeviceId(),
      campaign: survey.campaign,
      answers: result,
      answered_on: today(),
      elapsed: Math.round((Date.now() - startedAt) / 1000),
      language: language,
    });
    thank();
    flush();
  }

  // --- Start, thanks, and starting again ---

  function clearTimers() {
    clearTimeout(idleTimer);
    clearTimeout(thanksTimer);
    idleTimer = thanksTimer = null;
  }

  function resetToStart() {
    clearTimers();
    answers = {};
    current = 0;
    questionsElement.textContent = "";
    show("start");
    if (buttons.start) {
      buttons.start.focus({ preventScroll: true });
    }
  }

  function thank() {
    clearTimers();
    answers = {};
    questionsElement.textContent = "";
    show("thanks");
    var heading = screens.thanks.querySelector("h1");
    if (heading) {
      heading.focus({ preventScroll: true });
    }
    thanksTimer = setTimeout(resetToStart, THANKS_MS);
  }

  function begin() {
    clearTimers();
    answers = {};
    startedAt = Date.now();
    var order = visibleScreens();
    renderScreen(order.length ? order[0] : 0);
    touched();
  }

  // Someone walked away half-way: after a while without a touch the next person finds the start.
  function touched() {
    if (screens.questions.hidden) {
      return;
    }
    clearTimeout(idleTimer);
    idleTimer = setTimeout(resetToStart, IDLE_MS);
  }

  ["pointerdown", "keydown", "input", "scroll"].forEach(function (type) {
    document.addEventListener(type, touched, { passive: true, capture: true });
  });

  buttons.start.addEventListener("click", begin);
  buttons.back.addEventListener("click", function () {
    go(-1);
  });
  buttons.next.addEventListener("click", function () {
    go(1);
  });
  buttons.send.addEventListener("click", send);
  buttons.restart.addEventListener("click", resetToStart);

  resetToStart();
})();
