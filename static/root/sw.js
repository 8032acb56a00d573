/* The portal's service worker, at /sw.js so that its scope is the whole site (WhiteNoise serves
 * static/root/ at the root). Registered by static/js/offline.js. No library.
 *
 * What it does, and why:
 * - Pages (navigations): the network first, so a page is never staler than the portal; a page that
 *   came back whole is kept, and shown again when the network is gone (or the server fails). A page
 *   never kept shows the offline page (templates/offline.html), in the language of its address.
 * - Static files: content-hashed names (portal.3f2a1c9b8e7d.css) never change, so they come from the
 *   cache first; a name without a hash (a development server) goes to the network first.
 * - The public uploads (/media/) and the API's GETs (/api/v1/): the network first, the kept copy when
 *   it fails.
 * - POSTs are never kept: they go to the network untouched (a form posted while offline gets the
 *   offline page instead of the browser's error, and the scripts keep what was typed).
 * - Caches are named with VERSION: change it when this file's rules or the offline page change; the
 *   new worker fills its caches on install and deletes every older one on activate.
 *
 * Personal pages are never kept. The headers alone cannot tell them: every page of the portal is
 * "Vary: Cookie" (the menu reads the session), and the public pages served from the page cache are
 * "Cache-Control: private, no-cache" like any other (core/pagecache.py: the CSRF token and the
 * account menu are per visitor), while this worker cannot see cookies at all. So:
 * - "no-store" is obeyed (the pages that hold a token or a secret say so: kiosk, key links, exports);
 * - "private" is not a refusal here: it forbids shared caches, and this cache is the visitor's own;
 * - a page rendered for a signed-in account carries <meta name="portal-page" content="personal">
 *   (templates/includes/_offline_mark.html, a hole of the page cache, so rendered for every
 *   signed-in request): such a page is not kept, and while the last page seen was one, API answers
 *   are not kept either;
 * - addresses that are personal by nature are not kept whatever they say: staff areas, accounts,
 *   a visit code's survey (the code is never written to the device's storage in clear) and a
 *   feedback receipt (it holds the submitter's private link).
 */
"use strict";

var VERSION = "1";
var PREFIX = "portal-";
var CACHE = {
  shell: PREFIX + "shell-v" + VERSION, // the offline pages, the home page and their files; never trimmed
  pages: PREFIX + "pages-v" + VERSION,
  assets: PREFIX + "static-v" + VERSION,
  media: PREFIX + "media-v" + VERSION,
  api: PREFIX + "api-v" + VERSION,
  state: PREFIX + "state-v" + VERSION,
};
var LIMITS = { pages: 60, assets: 200, media: 80, api: 100 };
// The offline page of each language the portal speaks (portal/settings.py LANGUAGES; vi unprefixed).
var OFFLINE = { vi: "/offline/", en: "/en/offline/" };
var SHELL_PAGES = ["/", OFFLINE.vi, OFFLINE.en];
var SHELL_MAX_AGE_MS = 24 * 60 * 60 * 1000; // the shell is fetched again after a day, while online
var STATIC_PREFIX = "/static/";
var HASHED = /\.[0-9a-f]{12}\.[A-Za-z0-9]+$/; // ManifestStaticFilesStorage's names
var NEVER_KEPT = [
  /^(?:\/en)?\/(?:admin|accounts|workspace|manage|my|kiosk)(?:\/|$)/,
  /^(?:\/en)?\/survey\/(?!thanks\/)[^/]+\/$/,
  /^(?:\/en)?\/feedback\/[^/]+\/receipt\/$/,
  /^\/(?:_allauth|open311|api)\//,
];
var PERSONAL_MARK = /<meta\s+name="portal-page"\s+content="personal"/i;
var TITLE_HEADER = "X-Offline-Title";
var STATE_URL = "/__offline-state__";

// --- Install and activate -------------------------------------------------------------------------

// The shell as an anonymous visitor gets it (credentials omitted: a signed-in visitor's menu is never
// kept), with the stylesheets, scripts and images those pages name.
function shellFill() {
  return caches.open(CACHE.shell).then(function (cache) {
    return Promise.all(
      SHELL_PAGES.map(function (path) {
        return fetch(new Request(path, { credentials: "omit", cache: "no-cache" })).then(function (response) {
          if (!response.ok) {
            throw new Error("Offline shell: " + path + " answered " + response.status);
          }
          return response
            .clone()
            .text()
            .then(function (html) {
              return cache.put(path, response).then(function () {
                return assetsNamed(html);
              });
            });
        });
      })
    ).then(function (lists) {
      var assets = Array.from(new Set([].concat.apply([], lists)));
      return cache.addAll(assets);
    });
  });
}

function assetsNamed(html) {
  var found = [];
  var pattern = /(?:href|src)="(\/static\/[^"?#]+)"/g;
  var match;
  while ((match = pattern.exec(html))) {
    found.push(match[1]);
  }
  return found;
}

self.addEventListener("install", function (event) {
  event.waitUntil(
    shellFill().then(function () {
      return self.skipWaiting(); // the rules here hold for any page: no reason to wait
    })
  );
});

self.addEventListener("activate", function (event) {
  var current = Object.keys(CACHE).map(function (name) {
    return CACHE[name];
  });
  event.waitUntil(
    caches
      .keys()
      .then(function (names) {
        return Promise.all(
          names
            .filter(function (name) {
              return name.indexOf(PREFIX) === 0 && current.indexOf(name) === -1;
            })
            .map(function (name) {
              return caches.delete(name);
            })
        );
      })
      .then(function () {
        return self.clients.claim(); // the page that registered this worker is served by it at once
      })
  );
});

// --- Helpers --------------------------------------------------------------------------------------

function cacheControl(response) {
  return (response.headers.get("Cache-Control") || "").toLowerCase();
}

function storable(response) {
  return (
    response &&
    response.status === 200 &&
    response.type === "basic" &&
    !response.redirected &&
    cacheControl(response).indexOf("no-store") === -1 &&
    (response.headers.get("Vary") || "").indexOf("*") === -1
  );
}

function neverKept(url) {
  return NEVER_KEPT.some(function (pattern) {
    return pattern.test(url.pathname);
  });
}

// Keeps at most `limit` entries, the oldest put first out (a put moves an entry to the end).
function trim(cacheName, limit) {
  return caches.open(cacheName).then(function (cache) {
    return cache.keys().then(function (keys) {
      var excess = keys.length - limit;
      return Promise.all(
        keys.slice(0, Math.max(excess, 0)).map(function (key) {
          return cache.delete(key);
        })
      );
    });
  });
}

function put(cacheName, request, response, limit) {
  return caches
    .open(cacheName)
    .then(function (cache) {
      return cache.delete(request).then(function () {
        return cache.put(request, response);
      });
    })
    .then(function () {
      return limit ? trim(cacheName, limit) : null;
    })
    .catch(function () {}); // storage full or refused: the answer was given anyway
}

function match(cacheName, request) {
  return caches.open(cacheName).then(function (cache) {
    // Ignoring Vary: the worker's requests carry no cookie to compare, and the language is in the path.
    return cache.match(request, { ignoreVary: true });
  });
}

// Whether the last page seen was a signed-in one, kept across the worker's restarts.
var personal = null;

function personalRead() {
  if (personal !== null) {
    return Promise.resolve(personal);
  }
  return match(CACHE.state, STATE_URL).then(function (response) {
    personal = !!response && response.headers.get("X-Personal") === "1";
    return personal;
  });
}

function personalWrite(value) {
  if (personal === value) {
    return Promise.resolve();
  }
  personal = value;
  var response = new Response("", { headers: { "X-Personal": value ? "1" : "0" } });
  return put(CACHE.state, STATE_URL, response);
}

// --- Pages ----------------------------------------------------------------------------------------

function languageOf(url) {
  return /^\/en(?:\/|$)/.test(url.pathname) ? "en" : "vi";
}

function offlinePage(url) {
  return match(CACHE.shell, OFFLINE[languageOf(url)]).then(function (response) {
    return response || Response.error();
  });
}

function titleOf(html) {
  var found = /<title>([\s\S]*?)<\/title>/i.exec(html);
  var text = found ? found[1] : "";
  return text
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&#x27;|&#39;/g, "'")
    .replace(/&amp;/g, "&") // last: "&amp;lt;" is the text "&lt;"
    .replace(/\s+/g, " ")
    .trim();
}

// A page just received: kept unless it is personal. Its title goes in a header of the kept copy, for
// the list of saved pages on the offline page.
function pageKeep(request, response) {
  var url = new URL(request.url);
  if (!storable(response) || neverKept(url) || !/text\/html/.test(response.headers.get("Content-Type") || "")) {
    return Promise.resolve();
  }
  return response.text().then(function (html) {
    if (PERSONAL_MARK.test(html.slice(0, 16384))) {
      return personalWrite(true);
    }
    var headers = new Headers(response.headers);
    headers.delete("Content-Encoding"); // the text is decoded already
    headers.delete("Content-Length");
    headers.set(TITLE_HEADER, encodeURIComponent(titleOf(html)));
    headers.set("X-Offline-Saved", new Date().toISOString());
    var kept = new Response(html, { status: response.status, statusText: response.statusText, headers: headers });
    return Promise.all([personalWrite(false), put(CACHE.pages, url.href, kept, LIMITS.pages)]);
  });
}

function pageFromCache(request) {
  var url = new URL(request.url);
  return match(CACHE.pages, url.href).then(function (response) {
    return response || match(CACHE.shell, url.pathname + url.search);
  });
}

// Once a day, while pages come from the network, the shell is fetched again: the offline page then
// names the static files of the portal as deployed now.
function shellRefresh() {
  return match(CACHE.shell, OFFLINE.vi).then(function (response) {
    var saved = response ? Date.parse(response.headers.get("Date") || "") : 0;
    if (response && Date.now() - saved < SHELL_MAX_AGE_MS) {
      return null;
    }
    return shellFill().catch(function () {});
  });
}

function navigate(event) {
  var request = event.request;
  var url = new URL(request.url);
  if (request.method !== "GET") {
    return fetch(request).catch(function () {
      return offlinePage(url);
    });
  }
  return fetch(request).then(
    function (response) {
      if (response.status >= 500) {
        // The server is down behind its proxy: the kept copy is better than an error page.
        return pageFromCache(request).then(function (kept) {
          return kept || response;
        });
      }
      event.waitUntil(pageKeep(request, response.clone()).then(shellRefresh));
      return response;
    },
    function () {
      return pageFromCache(request).then(function (kept) {
        return kept || offlinePage(url);
      });
    }
  );
}

// --- Files and API answers --------------------------------------------------------------------------

// Any cache: a file the shell kept at install is as good as one kept since.
function matchAnywhere(request) {
  return caches.match(request, { ignoreVary: true });
}

function cacheFirst(event, cacheName, limit) {
  var request = event.request;
  return matchAnywhere(request).then(function (kept) {
    if (kept) {
      return kept;
    }
    return fetch(request).then(function (response) {
      if (storable(response)) {
        event.waitUntil(put(cacheName, request, response.clone(), limit));
      }
      return response;
    });
  });
}

function networkFirst(event, cacheName, limit, mayKeep) {
  var request = event.request;
  return fetch(request).then(
    function (response) {
      if (storable(response)) {
        var copy = response.clone();
        event.waitUntil(
          Promise.resolve(mayKeep ? mayKeep() : true).then(function (keep) {
            return keep ? put(cacheName, request, copy, limit) : null;
          })
        );
      }
      return response;
    },
    function (error) {
      return matchAnywhere(request).then(function (kept) {
        if (kept) {
          return kept;
        }
        throw error;
      });
    }
  );
}

// An app's own credentials (a token, an API key) make an answer that app's alone: never kept. A
// request with the session's cookie is kept only while the last page seen was not a signed-in one.
function apiMayKeep(request) {
  if (request.headers.has("Authorization") || request.headers.has("X-Session-Token") || request.headers.has("X-Api-Key")) {
    return function () {
      return false;
    };
  }
  if (request.credentials === "omit") {
    return null;
  }
  return function () {
    return personalRead().then(function (signedIn) {
      return !signedIn;
    });
  };
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) {
    return;
  }
  if (request.mode === "navigate") {
    event.respondWith(navigate(event));
    return;
  }
  if (request.method !== "GET") {
    return; // POSTs and the rest: the network, untouched, never kept
  }
  if (url.pathname.indexOf(STATIC_PREFIX) === 0) {
    event.respondWith(
      HASHED.test(url.pathname) ? cacheFirst(event, CACHE.assets, LIMITS.assets) : networkFirst(event, CACHE.assets, LIMITS.assets)
    );
  } else if (url.pathname.indexOf("/media/") === 0) {
    event.respondWith(networkFirst(event, CACHE.media, LIMITS.media));
  } else if (url.pathname.indexOf("/api/v1/") === 0) {
    var mayKeep = apiMayKeep(request);
    event.respondWith(networkFirst(event, CACHE.api, LIMITS.api, mayKeep));
  } else if (url.pathname === "/favicon.ico" || url.pathname.indexOf("/icons/") === 0) {
    event.respondWith(networkFirst(event, CACHE.assets, LIMITS.assets));
  }
});

// --- Messages from the pages (static/js/offline.js) -------------------------------------------------

self.addEventListener("message", function (event) {
  var data = event.data || {};
  var port = event.ports && event.ports[0];
  if (data.type === "keep-page" && typeof data.url === "string") {
    // The page the visitor opened before this worker served it: fetched again, to be kept as any other.
    var url = new URL(data.url, self.location.origin);
    if (url.origin !== self.location.origin) {
      return;
    }
    var request = new Request(url.href, { credentials: "same-origin" });
    event.waitUntil(
      fetch(request)
        .then(function (response) {
          return pageKeep(request, response);
        })
        .catch(function () {})
    );
  } else if (data.type === "saved-pages" && port) {
    event.waitUntil(
      savedPages().then(function (pages) {
        port.postMessage(pages);
      })
    );
  }
});

// The pages kept, newest first, with their titles: the offline page lists them.
function savedPages() {
  return caches.open(CACHE.pages).then(function (cache) {
    return cache.keys().then(function (keys) {
      return Promise.all(
        keys.map(function (key) {
          return cache.match(key).then(function (response) {
            var url = new URL(key.url);
            return {
              url: url.pathname + url.search,
              title: decodeURIComponent((response && response.headers.get(TITLE_HEADER)) || "") || url.pathname,
              saved: (response && response.headers.get("X-Offline-Saved")) || "",
            };
          });
        })
      ).then(function (pages) {
        return pages
          .filter(function (page) {
            return page.url !== OFFLINE.vi && page.url !== OFFLINE.en;
          })
          .reverse();
      });
    });
  });
}
