/* The commune search box (templates/communes/public/_commune_search_form.html) suggests units as one
   types: a WAI-ARIA 1.2 combobox with a listbox popup (list autocomplete, manual selection). From the
   second character, a short pause after the last key asks the form's data-suggest-url for at most 8
   units; Up and Down move through them (aria-activedescendant: the focus stays in the box), Enter opens
   the one chosen, Escape closes the list and then clears the box, and a polite live region says how
   many there are. Nothing chosen, Enter submits the form to the results page as it does without
   JavaScript. Every text shown comes from the server (the answer, or the form's data-label-*
   attributes), so it is in the page's language; DOM nodes are built with textContent only. */
(function () {
  "use strict";

  var MIN_LENGTH = 2;
  var PAUSE_MS = 250;
  var counter = 0;

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text) { node.textContent = text; }
    return node;
  }

  function enhance(form) {
    var input = form.querySelector('input[name="q"]');
    var url = form.getAttribute("data-suggest-url");
    if (!input || !url || !window.fetch) { return; }
    counter += 1;
    var listId = (input.id || "commune-search-" + counter) + "-suggestions";

    var list = element("ul", "search-suggest");
    list.id = listId;
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", form.getAttribute("data-label-list") || "");
    list.hidden = true;
    var status = element("p", "search-suggest__status");
    status.setAttribute("role", "status");
    status.setAttribute("aria-live", "polite");
    var row = input.closest(".search-form__row") || input;
    row.insertAdjacentElement("afterend", status);
    row.insertAdjacentElement("afterend", list);

    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", listId);

    var results = [];
    var active = -1;
    var timer = null;
    var asked = "";
    var controller = null;

    function options() { return list.querySelectorAll('[role="option"]'); }

    function setActive(index) {
      var all = options();
      active = index;
      for (var i = 0; i < all.length; i++) {
        all[i].setAttribute("aria-selected", String(i === index));
      }
      if (index >= 0 && all[index]) {
        input.setAttribute("aria-activedescendant", all[index].id);
        if (all[index].scrollIntoView) { all[index].scrollIntoView({ block: "nearest" }); }
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    function isOpen() { return !list.hidden; }

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      setActive(-1);
    }

    function open() {
      if (!results.length) { return; }
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
    }

    function go(index) {
      var chosen = results[index];
      // Only a path of this site: the answer names the unit's own page.
      if (chosen && /^\/(?!\/)/.test(chosen.url)) { window.location.assign(chosen.url); }
    }

    function optionFor(result, index) {
      var option = element("li", "search-suggest__option");
      option.id = listId + "-" + index;
      option.setAttribute("role", "option");
      option.setAttribute("aria-selected", "false");
      option.appendChild(element("span", "search-suggest__name", result.name));
      // The name already says the type ("Phường Vân Hà"): where it is follows.
      var where = [result.district, result.province].filter(Boolean).join(" · ");
      option.appendChild(element("span", "search-suggest__meta", where));
      var notes = [];
      if (result.formerly && result.formerly.length) {
        notes.push(form.getAttribute("data-label-formerly") + " " + result.formerly.join("; "));
      }
      if (result.formed_from && result.formed_from.length) {
        notes.push(form.getAttribute("data-label-formed-from") + " " + result.formed_from.join("; "));
      }
      if (result.ended && result.successors_today.length) {
        var names = result.successors_today.map(function (other) { return other.name; });
        notes.push(form.getAttribute("data-label-merged") + " " + names.join(", "));
      }
      notes.forEach(function (note) {
        option.appendChild(element("span", "search-suggest__note" + (result.ended ? " search-suggest__note--ended" : ""), note));
      });
      option.addEventListener("click", function () { go(index); });
      return option;
    }

    function show(answer) {
      results = answer.results || [];
      list.textContent = "";
      results.forEach(function (result, index) { list.appendChild(optionFor(result, index)); });
      setActive(-1);
      status.textContent = answer.status || "";
      if (results.length && document.activeElement === input) { open(); } else { close(); }
    }

    function ask() {
      var query = input.value.trim();
      if (query.length < MIN_LENGTH) {
        asked = "";
        results = [];
        list.textContent = "";
        status.textContent = "";
        close();
        return;
      }
      if (query === asked) { open(); return; }
      asked = query;
      if (controller) { controller.abort(); }
      controller = window.AbortController ? new window.AbortController() : null;
      // Answers are public and briefly cacheable: the browser's own cache serves a query typed again.
      // The task the search was opened for (?task=feedback): the suggestions lead to its page.
      var task = form.querySelector("input[name=task]");
      var address = url + "?q=" + encodeURIComponent(query) + (task ? "&task=" + encodeURIComponent(task.value) : "");
      window.fetch(address, {
        headers: { Accept: "application/json" },
        signal: controller ? controller.signal : undefined,
      })
        .then(function (response) {
          if (!response.ok) { throw new Error(String(response.status)); }
          return response.json();
        })
        .then(function (answer) {
          if (query === input.value.trim()) { show(answer); }
        })
        .catch(function (error) {
          if (error && error.name === "AbortError") { return; }
          asked = "";
          results = [];
          list.textContent = "";
          close();
          status.textContent = form.getAttribute("data-label-failed") || "";
        });
    }

    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(ask, PAUSE_MS);
    });

    input.addEventListener("keydown", function (event) {
      var count = results.length;
      if (event.key === "ArrowDown" || event.key === "Down") {
        if (!count) { return; }
        event.preventDefault();
        if (!isOpen()) { open(); setActive(event.altKey ? -1 : 0); return; }
        if (!event.altKey) { setActive(active + 1 >= count ? 0 : active + 1); }
      } else if (event.key === "ArrowUp" || event.key === "Up") {
        if (!count) { return; }
        event.preventDefault();
        if (!isOpen()) { open(); setActive(count - 1); return; }
        setActive(active <= 0 ? count - 1 : active - 1);
      } else if (event.key === "Enter") {
        if (isOpen() && active >= 0) {
          event.preventDefault();
          go(active);
        }
      } else if (event.key === "Escape" || event.key === "Esc") {
        if (isOpen()) {
          event.preventDefault();
          close();
        } else if (input.value) {
          event.preventDefault();
          input.value = "";
          asked = "";
          results = [];
          list.textContent = "";
          status.textContent = "";
        }
      } else if (event.key === "Tab") {
        close();
      }
    });

    input.addEventListener("focus", function () {
      if (input.value.trim().length >= MIN_LENGTH && results.length) { open(); }
    });
    input.addEventListener("blur", function () { close(); });
    // A press on an option must not take the focus from the box (its blur would close the list first).
    list.addEventListener("mousedown", function (event) { event.preventDefault(); });
  }

  document.querySelectorAll("form[data-commune-search]").forEach(enhance);
})();
