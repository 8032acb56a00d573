/* The installable app's side in the pages: registers the service worker (/sw.js), lists the pages saved
 * on the device on the offline page, keeps what a citizen writes in the feedback form on the device,
 * and sends feedback written without a connection once the connection is back. No library.
 *
 * Without this script (or without a service worker, or storage) the portal works exactly as before:
 * everything here only adds to forms that post to the server as usual.
 *
 * The feedback form (templates/feedback/public/_offline_draft.html marks it): what is typed is written
 * to localStorage as it changes, under the commune, and put back when the form comes again, with a
 * note and a way to clear it; photos and the device's position are not kept (a file cannot be stored
 * there, and a position belongs to the place where one stands). Sent while online, the form posts as
 * always, and the receipt page forgets the draft. Sent while offline, the feedback goes into a queue on
 * the device with an id made here, and is posted to the API (POST /api/v1/feedback/, JSON, the id as
 * its Idempotency-Key, so a resend after a lost answer makes nothing twice) as soon as the browser is
 * online: on the "online" event, or on the next page of the portal opened. Its tracking code is then
 * shown. A refusal (a category closed meanwhile, say) puts the feedback back in its form, with the
 * reason, so nothing written is lost.
 *
 * The survey (templates/surveys/public/_offline_send.html marks it): js/survey-screens.js keeps the
 * answers; pressed "Send" offline, the answers stay on the page and go when the connection returns.
 */
(function () {
  "use strict";

  var script = document.currentScript || document.querySelector("script[data-service-worker]");
  var config = (script && script.dataset) || {};
  var QUEUE_KEY = "portal.feedback.queue";
  var SENT_KEY = "portal.feedback.sent";
  var SPENT_KEY = "portal.feedback.spent";
  var DRAFT_PREFIX = "portal.feedback.draft.";
  var DRAFT_DAYS = 30;
  var DAY_MS = 24 * 60 * 60 * 1000;
  // The fields a draft keeps and the API takes, by their names in the form (feedback.forms.SubmitForm).
  var TEXT_FIELDS = ["category", "title", "description", "address", "contact_name", "contact_phone", "contact_email"];
  var CSRF_COOKIE = "csrftoken"; // Django's default name (portal/settings.py sets no other)

  function format(text, values) {
    return String(text || "").replace(/%\((\w+)\)s/g, function (match, name) {
      return name in values ? String(values[name]) : match;
    });
  }

  // --- Storage: localStorage, or nothing (private mode, a setting): then the page works as before ---

  function storage() {
    try {
      var store = window.localStorage;
      var probe = "portal.probe";
      store.setItem(probe, "1");
      store.removeItem(probe);
      return store;
    } catch (error) {
      return null;
    }
  }

  var store = storage();

  function read(key, fallback) {
    if (!store) {
      return fallback;
    }
    try {
      var value = JSON.parse(store.getItem(key));
      return value === null || value === undefined ? fallback : value;
    } catch (error) {
      return fallback;
    }
  }

  function write(key, value) {
    if (!store) {
      return false;
    }
    try {
      store.setItem(key, JSON.stringify(value));
      return true;
    } catch (error) {
      return false; // full: the caller keeps the page as it is
    }
  }

  function forget(key) {
    if (store) {
      store.removeItem(key);
    }
  }

  // --- The service worker ------------------------------------------------------------------------

  var worker = "serviceWorker" in navigator && config.serviceWorker ? navigator.serviceWorker : null;

  if (worker) {
    worker.register(config.serviceWorker, { scope: "/" }).catch(function () {});
    // This page came before the worker served any: it asks the worker to keep it as it keeps the next.
    if (!worker.controller) {
      worker.ready.then(function (registration) {
        if (registration.active) {
          registration.active.postMessage({ type: "keep-page", url: window.location.href });
        }
      });
    }
  }

  // The offline page: the pages the worker kept, each a link that works without the network.
  function savedPagesList() {
    var section = document.querySelector("[data-saved-pages]");
    if (!section || !worker) {
      return;
    }
    var list = section.querySelector("[data-saved-pages-list]");
    var empty = section.querySelector("[data-saved-pages-empty]");
    worker.ready.then(function (registration) {
      var target = worker.controller || registration.active;
      if (!target || typeof MessageChannel !== "function") {
        return;
      }
      var channel = new MessageChannel();
      channel.port1.onmessage = function (event) {
        var pages = Array.isArray(event.data) ? event.data : [];
        list.textContent = "";
        pages.forEach(function (page) {
          var item = document.createElement("li");
          var link = document.createElement("a");
          var title = page.title || page.url;
          var at = title.lastIndexOf(" · "); // every title ends with the site's name: left out here
          link.href = page.url;
          link.textContent = at > 0 ? title.slice(0, at) : title;
          item.appendChild(link);
          list.appendChild(item);
        });
        list.hidden = !pages.length;
        empty.hidden = !!pages.length;
        section.hidden = false;
      };
      target.postMessage({ type: "saved-pages" }, [channel.port2]);
    });
  }

  // --- Notices: what the queue is doing, on any page -----------------------------------------------

  var noticeBox = null;

  function notices() {
    if (noticeBox) {
      return noticeBox;
    }
    noticeBox = document.querySelector("[data-offline-status]");
    if (!noticeBox) {
      var main = document.getElementById("main");
      if (!main) {
        return null;
      }
      noticeBox = document.createElement("div");
      noticeBox.className = "offline-notices";
      noticeBox.setAttribute("role", "status");
      noticeBox.tabIndex = -1;
      main.insertBefore(noticeBox, main.firstChild);
    }
    return noticeBox;
  }

  function notice(kind, text, link, linkText) {
    var box = document.createElement("div");
    box.className = "message " + (kind === "error" ? "message--error" : kind === "done" ? "message--success" : "");
    box.dataset.offlineNotice = kind;
    box.appendChild(document.createTextNode(text));
    if (link) {
      box.appendChild(document.createTextNode(" "));
      var anchor = document.createElement("a");
      anchor.href = link;
      anchor.textContent = linkText;
      box.appendChild(anchor);
    }
    return box;
  }

  // The queue's items still waiting or refused, and the feedback sent since the last page (once).
  function noticesShow(extra) {
    var box = notices();
    if (!box) {
      return;
    }
    box.textContent = "";
    (extra || []).forEach(function (element) {
      box.appendChild(element);
    });
    var sent = read(SENT_KEY, []);
    sent.forEach(function (item) {
      var text = format(config.msgSent, { title: item.title, code: item.code });
      box.appendChild(notice("done", text, item.url, config.msgFollow));
    });
    forget(SENT_KEY);
    queueLoad().forEach(function (item) {
      if (item.state === "refused") {
        var text = format(config.msgRefused, { title: item.title, message: item.message });
        box.appendChild(notice("error", text, item.form_url, config.msgCorrect));
      } else {
        box.appendChild(notice("waiting", format(config.msgWaiting, { title: item.title })));
      }
    });
    box.hidden = !box.childNodes.length;
  }

  // --- The queue of feedback written offline ----------------------------------------------------------

  function queueLoad() {
    var items = read(QUEUE_KEY, []);
    return Array.isArray(items) ? items : [];
  }

  function queueSave(items) {
    if (items.length) {
      write(QUEUE_KEY, items);
    } else {
      forget(QUEUE_KEY);
    }
  }

  function queueUpdate(id, change) {
    queueSave(
      queueLoad()
        .map(function (item) {
          return item.id === id ? change(item) : item;
        })
        .filter(Boolean)
    );
  }

  function cookie(name) {
    var found = document.cookie.split(";").filter(function (part) {
      return part.trim().indexOf(name + "=") === 0;
    })[0];
    return found ? decodeURIComponent(found.trim().slice(name.length + 1)) : "";
  }

  function refusal(body) {
    var parts = [body && body.message ? String(body.message) : ""];
    var fields = body && body.fields && typeof body.fields === "object" ? body.fields : {};
    Object.keys(fields).forEach(function (name) {
      [].concat(fields[name]).forEach(function (text) {
        parts.push(String(text));
      });
    });
    return parts.filter(Boolean).join(" ");
  }

  var REQUEST_TIMEOUT_MS = 30000;

  // "done", "refused" (will never go in as it is: back to its form), or "retry".
  function post(item) {
    var controller = typeof AbortController === "function" ? new AbortController() : null;
    var timeout = controller
      ? setTimeout(function () {
          controller.abort();
        }, REQUEST_TIMEOUT_MS)
      : null;
    return fetch(item.api, {
      method: "POST",
      headers: {
        "Content-Type": "application/json",
        Accept: "application/json",
        "Accept-Language": item.language,
        "Idempotency-Key": item.id,
        "X-CSRFToken": cookie(CSRF_COOKIE) || item.csrf,
      },
      body: JSON.stringify(item.body),
      credentials: "same-origin",
      cache: "no-store",
      signal: controller ? controller.signal : undefined,
    }).then(
      function (response) {
        clearTimeout(timeout);
        return response
          .json()
          .catch(function () {
            return {};
          })
          .then(function (body) {
            if (response.status === 200 || response.status === 201) {
              return { outcome: "done", body: body };
            }
            var busy = response.status === 409 && body.code === "idempotency-in-progress";
            if (response.status === 404 || response.status === 408 || response.status === 429 || response.status >= 500 || busy) {
              return { outcome: "retry" };
            }
            return { outcome: "refused", message: refusal(body) || response.statusText };
          });
      },
      function () {
        clearTimeout(timeout);
        return { outcome: "retry" };
      }
    );
  }

  function trackingLink(body) {
    var url = body.tracking_url || "";
    try {
      // The portal's address for it (the site's configured one), opened here on this origin.
      var parsed = new URL(url, window.location.href);
      url = parsed.pathname + parsed.search;
    } catch (error) {
      return url;
    }
    if (url && body.action_key) {
      // Opening the private link puts the key in this browser's session, as the receipt's link does:
      // the submitter may rate the answer later. The page then drops it from the address.
      url += (url.indexOf("?") === -1 ? "?" : "&") + "key=" + encodeURIComponent(body.action_key);
    }
    return url;
  }

  var sending = false;
  var retryDelay = 5000;
  var retryTimer = null;

  function sendNext() {
    var item = queueLoad().filter(function (entry) {
      return entry.state === "waiting";
    })[0];
    if (!item) {
      retryDelay = 5000;
      return Promise.resolve(false);
    }
    return post(item).then(function (result) {
      if (result.outcome === "done") {
        var sent = read(SENT_KEY, []);
        sent.push({ title: item.title, code: result.body.display_code || result.body.code, url: trackingLink(result.body) });
        write(SENT_KEY, sent);
        queueUpdate(item.id, function () {
          return null;
        });
        return true;
      }
      if (result.outcome === "refused") {
        queueUpdate(item.id, function (entry) {
          entry.state = "refused";
          entry.message = result.message;
          return entry;
        });
        return true;
      }
      return false;
    });
  }

  function flush() {
    if (sending || navigator.onLine === false || !queueLoad().length) {
      return;
    }
    clearTimeout(retryTimer);
    sending = true;
    function run() {
      return sendNext().then(function (more) {
        return more ? run() : null;
      });
    }
    function finish() {
      sending = false;
      noticesShow();
      var waiting = queueLoad().some(function (entry) {
        return entry.state === "waiting";
      });
      if (waiting) {
        retryTimer = setTimeout(flush, retryDelay);
        retryDelay = Math.min(retryDelay * 2, 5 * 60 * 1000);
      }
    }
    // One tab at a time sends (the Idempotency-Key would make a second one harmless, not useful).
    var locked =
      navigator.locks && typeof navigator.locks.request === "function"
        ? navigator.locks.request("portal-feedback-queue", { ifAvailable: true }, function (lock) {
            return lock ? run() : null;
          })
        : run();
    Promise.resolve(locked).then(finish, finish);
  }

  window.addEventListener("online", function () {
    retryDelay = 5000;
    flush();
  });

  // --- The feedback form ------------------------------------------------------------------------------

  function feedbackForm() {
    var form = document.querySelector("form[data-feedback-form]");
    var box = form && form.querySelector("[data-offline-draft]");
    if (!box || !store) {
      return;
    }
    var restoredNote = box.querySelector("[data-draft-restored]");
    var restoredText = box.querySelector("[data-draft-restored-text]");
    var keptNote = box.querySelector("[data-draft-note]");
    var status = box.querySelector("[data-offline-status]");
    var commune = box.dataset.commune;
    var key = DRAFT_PREFIX + commune;
    var bound = !!form.querySelector("[data-error-summary]"); // sent back by the server: its copy wins
    var tokenInput = form.querySelector('input[name="submission_token"]');

    function field(name) {
      return form.elements.namedItem(name);
    }

    function values() {
      var result = {};
      TEXT_FIELDS.forEach(function (name) {
        var input = field(name);
        if (input && input.value.trim() !== "") {
          result[name] = input.value;
        }
      });
      var consent = field("consent");
      if (consent && consent.checked) {
        result.consent = true;
      }
      return result;
    }

    // What the citizen typed: the fields that differ from the page as it came (a signed-in sender's name
    // and e-mail, filled in by the server, are no draft). A form the server sent back holds what was
    // typed as its own values: all of them are kept then.
    function typed() {
      var all = values();
      if (bound) {
        return all;
      }
      var result = {};
      Object.keys(all).forEach(function (name) {
        var input = field(name);
        var given = input.type === "checkbox" ? input.defaultChecked : defaultOf(input);
        if ((input.type === "checkbox" ? input.checked : input.value) !== given) {
          result[name] = all[name];
        }
      });
      return result;
    }

    function defaultOf(input) {
      if (input.tagName !== "SELECT") {
        return input.defaultValue;
      }
      var chosen = Array.prototype.filter.call(input.options, function (option) {
        return option.defaultSelected;
      })[0];
      return chosen ? chosen.value : input.options.length ? input.options[0].value : "";
    }

    function changed() {
      ["contact_name", "contact_phone", "contact_email"].forEach(function (name) {
        var input = field(name);
        if (input) {
          input.dispatchEvent(new Event("input", { bubbles: true })); // js/feedback-form.js: the consent box
        }
      });
    }

    function fill(kept) {
      TEXT_FIELDS.forEach(function (name) {
        var input = field(name);
        if (input && kept[name] !== undefined && kept[name] !== null) {
          input.value = String(kept[name]);
        }
      });
      var consent = field("consent");
      if (consent) {
        consent.checked = kept.consent === true;
      }
      changed();
    }

    function save() {
      var kept = typed();
      if (!Object.keys(kept).length) {
        forget(key);
        return;
      }
      write(key, { saved: Date.now(), fields: kept });
    }

    function clear() {
      TEXT_FIELDS.forEach(function (name) {
        var input = field(name);
        if (input) {
          input.value = input.defaultValue || ""; // a signed-in sender's name and e-mail come back
        }
      });
      var consent = field("consent");
      if (consent) {
        consent.checked = false;
      }
      var remove = form.querySelector("[data-location-remove]");
      if (remove && !remove.hidden) {
        remove.click(); // js/feedback-form.js takes the position out and says so
      }
      var photos = field("photos");
      if (photos && photos.value) {
        photos.value = "";
      }
      forget(key);
      changed();
    }

    function say(element, text) {
      status.textContent = "";
      if (element) {
        status.appendChild(element);
      } else if (text) {
        status.appendChild(notice("error", text));
      }
      status.hidden = !status.childNodes.length;
      status.focus({ preventScroll: true });
      status.scrollIntoView({ block: "center" });
    }

    // A copy of this form already sent (the worker's kept copy, or this page left and opened again)
    // carries a token the server took: a new one, or the server would answer with the earlier item.
    var spent = read(SPENT_KEY, []);
    if (tokenInput && spent.indexOf(tokenInput.value) !== -1 && !bound) {
      tokenInput.value = window.portalDeviceId().replace(/-/g, "");
    }

    // What to put back: feedback the API refused (with its reason), else the draft.
    var refused = queueLoad().filter(function (item) {
      return item.state === "refused" && item.commune === commune;
    })[0];
    var draft = read(key, null);
    if (draft && !(Date.now() - draft.saved <= DRAFT_DAYS * DAY_MS)) {
      forget(key);
      draft = null;
    }
    if (!bound && refused) {
      fill(refused.body);
      queueUpdate(refused.id, function () {
        return null;
      });
      restoredText.textContent = format(box.dataset.msgRefused, { message: refused.message });
      restoredNote.hidden = false;
      save();
    } else if (!bound && draft && draft.fields) {
      fill(draft.fields);
      restoredText.textContent = box.dataset.msgRestored;
      restoredNote.hidden = false;
    } else {
      save();
    }
    keptNote.hidden = false;

    form.addEventListener("input", save);
    form.addEventListener("change", save);
    box.querySelector("[data-draft-clear]").addEventListener("click", function () {
      clear();
      restoredNote.hidden = true;
      field("category").focus();
    });

    // Sent while offline: what the citizen checks on the form first, then into the queue.
    function problem(kept) {
      var checks = [
        ["category", box.dataset.msgCategory],
        ["title", box.dataset.msgTitle],
        ["description", box.dataset.msgDescription],
      ];
      for (var i = 0; i < checks.length; i += 1) {
        if (!kept[checks[i][0]]) {
          return { field: field(checks[i][0]), message: checks[i][1] };
        }
      }
      var latitude = field("latitude");
      var personal = kept.contact_name || kept.contact_phone || kept.contact_email || (latitude && latitude.value);
      var consent = field("consent");
      var signedIn = consent && consent.closest("[data-consent-always]");
      if ((personal || signedIn) && !kept.consent) {
        return { field: consent, message: box.dataset.msgConsent };
      }
      return null;
    }

    form.addEventListener("submit", function (event) {
      if (event.defaultPrevented) {
        return;
      }
      if (navigator.onLine !== false) {
        // Online: the form posts as always. Its token is spent; the receipt page forgets the draft.
        if (tokenInput) {
          write(SPENT_KEY, read(SPENT_KEY, []).concat([tokenInput.value]).slice(-20));
        }
        var kept = read(key, null);
        if (kept) {
          kept.sending = true;
          write(key, kept);
        }
        return;
      }
      event.preventDefault();
      var fields = values();
      var found = problem(fields);
      if (found) {
        say(null, found.message);
        if (found.field) {
          found.field.focus();
        }
        return;
      }
      var latitude = field("latitude");
      var longitude = field("longitude");
      var body = { commune: Number(commune) || commune, consent: fields.consent === true };
      TEXT_FIELDS.forEach(function (name) {
        body[name] = fields[name] || "";
      });
      body.category = Number(body.category) || body.category; // a select's value is text; the API's ids are numbers
      if (latitude && longitude && latitude.value && longitude.value) {
        body.latitude = latitude.value;
        body.longitude = longitude.value;
      }
      var photos = field("photos");
      var hadPhotos = !!(photos && photos.files && photos.files.length);
      var csrf = form.querySelector('input[name="csrfmiddlewaretoken"]');
      var item = {
        id: window.portalDeviceId(),
        state: "waiting",
        api: box.dataset.api,
        commune: commune,
        form_url: window.location.pathname + window.location.search,
        language: document.documentElement.lang || "vi",
        title: fields.title,
        body: body,
        csrf: csrf ? csrf.value : "",
        queued_at: new Date().toISOString(),
      };
      if (!write(QUEUE_KEY, queueLoad().concat([item]))) {
        say(null, box.dataset.msgNoStorage); // nothing kept: the form keeps everything as it is
        return;
      }
      clear();
      restoredNote.hidden = true;
      var text = box.dataset.msgQueued + (hadPhotos ? " " + box.dataset.msgPhotosDropped : "");
      say(notice("waiting", text));
    });
  }

  // The receipt: the feedback posted from the form went in, so its draft is not needed any more.
  function receiptSeen() {
    if (!store || !document.getElementById("tracking-code")) {
      return;
    }
    for (var i = store.length - 1; i >= 0; i -= 1) {
      var name = store.key(i);
      if (name && name.indexOf(DRAFT_PREFIX) === 0) {
        var draft = read(name, null);
        if (draft && draft.sending) {
          forget(name);
        }
      }
    }
  }

  // --- The survey -------------------------------------------------------------------------------------

  function surveyForm() {
    var form = document.querySelector("form[data-survey-screens]");
    var box = document.querySelector("[data-survey-offline]");
    if (!form || !box) {
      return;
    }
    var waiting = false;
    // Before js/survey-screens.js's own handler (on the form): offline, nothing is checked or marked
    // as sent; the answers it keeps stay as they are, and go when the connection is back.
    document.addEventListener(
      "submit",
      function (event) {
        var send = form.querySelector("button[type=submit]");
        if (event.target !== form || navigator.onLine !== false || (send && send.hidden)) {
          return; // online, or Enter on an earlier screen (js/survey-screens.js moves on)
        }
        event.preventDefault();
        event.stopPropagation();
        waiting = true;
        box.hidden = false;
        box.focus({ preventScroll: true });
        box.scrollIntoView({ block: "center" });
      },
      true
    );
    window.addEventListener("online", function () {
      if (waiting) {
        waiting = false;
        box.hidden = true;
        if (typeof form.requestSubmit === "function") {
          form.requestSubmit(form.querySelector("button[type=submit]"));
        } else {
          form.submit();
        }
      }
    });
  }

  function start() {
    savedPagesList();
    receiptSeen();
    feedbackForm();
    surveyForm();
    noticesShow();
    flush();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
