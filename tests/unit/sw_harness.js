// Runs the rendered service worker in Node with fake caches and network, replays the
// requests given as JSON, and prints what the worker did with each (as JSON).
// Used by tests/unit/test_service_worker.py; `node sw_harness.js sw.js scenario.json`.
"use strict";
const fs = require("fs");
const vm = require("vm");

const ORIGIN = "https://portal.test";
const [swPath, scenarioPath] = process.argv.slice(2);
const scenario = JSON.parse(fs.readFileSync(scenarioPath, "utf8"));

const listeners = {};
const calls = [];
const network = [];
let online = true;
const store = new Map(); // cache name -> Map(url -> body)
for (const name of scenario.existingCaches || []) store.set(name, new Map([["/x", "old"]]));

const abs = (input) => new URL(typeof input === "string" ? input : input.url, ORIGIN).href;

function cacheObject(name) {
  const entries = store.get(name);
  return {
    addAll: async (requests) => {
      for (const request of requests) {
        network.push({ url: abs(request), cache: request.cache || "default" });
        entries.set(abs(request), `cached ${new URL(abs(request)).pathname}`);
      }
    },
    put: async (request, response) => { entries.set(abs(request), await response.text()); },
    match: async (request) => {
      const body = entries.get(abs(request));
      return body === undefined ? undefined : new Response(body);
    },
  };
}

const caches = {
  open: async (name) => {
    if (!store.has(name)) store.set(name, new Map());
    return cacheObject(name);
  },
  keys: async () => [...store.keys()],
  delete: async (name) => store.delete(name),
  match: async (request, options = {}) => {
    const names = options.cacheName ? [options.cacheName] : [...store.keys()];
    for (const name of names) {
      const found = store.has(name) ? await cacheObject(name).match(request) : undefined;
      if (found) return found;
    }
    return undefined;
  },
};

async function fakeFetch(request) {
  network.push({ url: abs(request), cache: request.cache || "default" });
  if (!online) throw new TypeError("Failed to fetch");
  return new Response(`network ${new URL(abs(request)).pathname}`);
}

class SWRequest extends Request {
  constructor(input, init) {
    super(abs(input), init);
  }
}

const self = {
  location: new URL(`${ORIGIN}/sw.js`),
  registration: {},
  addEventListener: (type, fn) => { listeners[type] = fn; },
  skipWaiting: async () => { calls.push("skipWaiting"); },
  clients: { claim: async () => { calls.push("clients.claim"); } },
};

vm.runInNewContext(fs.readFileSync(swPath, "utf8"), {
  self, caches, fetch: fakeFetch, Request: SWRequest, Response, URL, console,
});

async function lifecycle(type) {
  let pending;
  listeners[type]({ waitUntil: (promise) => { pending = promise; } });
  await pending;
}

async function replay(step) {
  online = step.online !== false;
  const before = network.length;
  // A plain object: Node's Request cannot be built with mode "navigate".
  const request = { url: new URL(step.url, ORIGIN).href, method: step.method || "GET",
                    mode: step.mode || "cors", cache: "default" };
  let responded = null;
  listeners.fetch({ request, respondWith: (promise) => { responded = promise; } });
  const result = { url: step.url, method: request.method, mode: request.mode, online,
                   handled: responded !== null };
  if (responded !== null) {
    try {
      const response = await responded;
      result.body = response.type === "error" ? "<network error>" : await response.text();
    } catch (error) {
      result.body = `<rejected ${error}>`;
    }
  }
  result.network = network.slice(before).map((entry) => entry.url);
  return result;
}

(async () => {
  await lifecycle("install");
  const installNetwork = network.slice();
  await lifecycle("activate");
  const results = [];
  for (const step of scenario.requests) results.push(await replay(step));
  const cacheContents = {};
  for (const [name, entries] of store) cacheContents[name] = [...entries.keys()];
  process.stdout.write(JSON.stringify({
    listeners: Object.keys(listeners), calls, installNetwork, results, caches: cacheContents,
  }));
})().catch((error) => {
  process.stderr.write(String(error && error.stack || error));
  process.exit(1);
});
