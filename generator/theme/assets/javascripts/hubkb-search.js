// hubkb search page: queries the locale's Pagefind index (its shards merged), shows facets with counts, and keeps the query and
// the chosen facets in the URL (?q=…&type=…) so a view can be shared, bookmarked and reloaded.
// Pages edited since their shard was indexed are in a recent-edits bundle merged like a shard; the shard pages it
// replaces (hubkb-recent.json) are left out of results and counts (generator/indexing.py).
// Every string from the index is put into the page as text (textContent), never as HTML. A classic script, not
// a module, so that a page opened from disk (file://) still runs it and can say that search needs a web server.
(() => {
  "use strict";

  const root = document.getElementById("hubkb-search");
  const strings = JSON.parse(document.getElementById("hubkb-search-strings").textContent);
  const form = root.querySelector("form");
  const input = document.getElementById("hubkb-search-q");
  const facetsBox = document.getElementById("hubkb-search-facets");
  const statusLine = document.getElementById("hubkb-search-status");
  const list = document.getElementById("hubkb-search-results");
  const moreButton = document.getElementById("hubkb-search-more");

  const FACETS = strings.facets.map(([key]) => key);
  const FACET_NAMES = Object.fromEntries(strings.facets);
  const PAGE_SIZE = 20;
  const numbers = new Intl.NumberFormat(strings.lang, { numberingSystem: "latn" });
  const plurals = new Intl.PluralRules(strings.lang);
  const collator = new Intl.Collator(strings.lang);

  let pagefind = null;
  let superseded = new Map();
  let totals = {};
  let state = readUrl();
  let results = [];
  let shown = 0;
  let generation = 0;
  let typing = null;

  /** The query and the chosen facet values, as the URL holds them. */
  function readUrl() {
    const params = new URLSearchParams(location.search);
    const selected = {};
    for (const key of FACETS) selected[key] = params.getAll(key).filter(Boolean);
    return { q: (params.get("q") || "").trim(), selected };
  }

  /** Put the current state into the URL without adding a history entry for every keystroke. */
  function writeUrl() {
    const params = new URLSearchParams();
    if (state.q) params.set("q", state.q);
    for (const key of FACETS) for (const value of state.selected[key]) params.append(key, value);
    const query = params.toString();
    history.replaceState(null, "", query ? `?${query}` : location.pathname);
  }

  /** Pagefind filters: any of the chosen values within a facet, every facet at once (one may be left out). */
  function filtersWithout(skipped) {
    const filters = {};
    for (const key of FACETS) {
      if (key !== skipped && state.selected[key].length) filters[key] = { any: state.selected[key] };
    }
    return filters;
  }

  /** Take one page's filter values out of facet counts. */
  function subtract(counts, values) {
    for (const [key, list] of Object.entries(values)) {
      for (const value of list) if (counts[key]?.[value]) counts[key][value] -= 1;
    }
  }

  /** A search over every shard, without the shard pages the recent-edits bundle replaces (their results, and
   * their part of the facet counts: each count is of the results that carry the value). */
  async function search(term, options) {
    const response = await pagefind.search(term, options);
    if (!superseded.size) return response;
    const filters = structuredClone(response.filters || {});
    const results = response.results.filter((result) => {
      const old = superseded.get(result.id);
      if (old) subtract(filters, old);
      return !old;
    });
    return { ...response, results, filters };
  }

  /** Counts per value of every facet when that facet is left out, so ticking one more value adds to the results. */
  async function facetCounts(term, main) {
    const counts = {};
    for (const key of FACETS) {
      if (!state.selected[key].length) {
        counts[key] = main.filters?.[key] || {};
        continue;
      }
      const filters = filtersWithout(key);
      counts[key] = !term && !Object.keys(filters).length
        ? totals[key] || {}
        : (await search(term, { filters })).filters?.[key] || {};
    }
    return counts;
  }

  function make(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function format(template, count) {
    return template.replace("%(num)s", numbers.format(count));
  }

  /** Rebuild the facet groups; keyboard focus stays on the same checkbox. */
  function renderFacets(counts) {
    const focused = document.activeElement;
    const focusKey = focused?.closest?.("#hubkb-search-facets") ? focused.dataset.key : null;
    const focusValue = focusKey ? focused.value : null;
    facetsBox.replaceChildren();
    const anySelected = FACETS.some((key) => state.selected[key].length);
    if (anySelected) {
      const clear = make("button", "md-button hubkb-search__clear", strings.clear);
      clear.type = "button";
      clear.addEventListener("click", () => {
        for (const key of FACETS) state.selected[key] = [];
        update();
        input.focus();
      });
      facetsBox.append(clear);
    }
    for (const key of FACETS) {
      const chosen = state.selected[key];
      const values = Object.entries(counts[key] || {}).filter(([value, n]) => n > 0 || chosen.includes(value));
      for (const value of chosen) if (!values.some(([v]) => v === value)) values.push([value, 0]);
      if (!values.length) continue;
      values.sort(key === "year"
        ? (a, b) => Number(b[0]) - Number(a[0])
        : (a, b) => b[1] - a[1] || collator.compare(a[0], b[0]));
      const group = make("fieldset", "hubkb-facet");
      group.append(make("legend", "", FACET_NAMES[key]));
      const options = make("ul", "hubkb-facet__values");
      for (const [value, n] of values) {
        const box = make("input");
        box.type = "checkbox";
        box.name = key;
        box.value = value;
        box.checked = chosen.includes(value);
        box.dataset.key = key;
        const name = make("span", "", value);
        name.dir = "auto";
        const label = make("label");
        label.append(box, " ", name, " ", make("span", "hubkb-count", numbers.format(n)));
        const item = make("li");
        item.append(label);
        options.append(item);
        if (key === focusKey && value === focusValue) queueMicrotask(() => box.focus());
      }
      group.append(options);
      facetsBox.append(group);
    }
    facetsBox.hidden = !facetsBox.childElementCount;
  }

  function resultItem(data) {
    const item = make("li", "hubkb-entry hubkb-result");
    const link = make("a");
    const url = String(data.url || "");
    if (url.startsWith("/") && !url.startsWith("//")) link.href = url;
    const title = make("span", "", data.meta?.title || url);
    title.dir = "auto";
    if (data.meta?.title_lang) {
      title.lang = data.meta.title_lang;
      title.className = "hubkb-fallback";
    }
    link.append(title);
    item.append(link);
    for (const part of [data.meta?.type, data.meta?.year]) {
      if (part) item.append(" ", make("span", "hubkb-meta", `· ${part}`));
    }
    if (data.meta?.description) {
      const snippet = make("span", "hubkb-snippet", data.meta.description);
      snippet.dir = "auto";
      if (data.meta.description_lang) {
        snippet.lang = data.meta.description_lang;
        snippet.classList.add("hubkb-fallback");
      }
      item.append(make("br"), snippet);
    }
    return item;
  }

  /** Load and show the next page of results; returns the first new link, for keyboard focus. */
  async function showMore(mine) {
    const batch = await Promise.all(results.slice(shown, shown + PAGE_SIZE).map((r) => r.data()));
    if (mine !== generation) return null;
    const items = batch.map(resultItem);
    list.append(...items);
    shown += batch.length;
    moreButton.hidden = shown >= results.length;
    root.dataset.state = "ready";
    return items[0]?.querySelector("a") || null;
  }

  /** Run the query with the chosen facets and redraw everything; older runs that finish late are dropped. */
  async function update() {
    if (!pagefind) return; // main() runs the first update once the index is loaded, with whatever was typed.
    const mine = ++generation;
    root.dataset.state = "busy";
    writeUrl();
    const term = state.q || null;
    const anySelected = FACETS.some((key) => state.selected[key].length);
    if (!term && !anySelected) {
      results = [];
      shown = 0;
      list.replaceChildren();
      moreButton.hidden = true;
      renderFacets(totals);
      statusLine.textContent = strings.hint;
      root.dataset.state = "ready";
      return;
    }
    const main = await search(term, { filters: filtersWithout(null) });
    const counts = await facetCounts(term, main);
    if (mine !== generation) return;
    results = main.results;
    shown = 0;
    list.replaceChildren();
    renderFacets(counts);
    const template = strings.results[plurals.select(results.length)] || strings.results.other;
    statusLine.textContent = results.length ? format(template, results.length) : strings.none;
    await showMore(mine);
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    clearTimeout(typing);
    state.q = input.value.trim();
    update();
  });

  input.addEventListener("input", () => {
    clearTimeout(typing);
    if (pagefind && input.value.trim()) pagefind.preload(input.value.trim());
    typing = setTimeout(() => {
      state.q = input.value.trim();
      update();
    }, 250);
  });

  facetsBox.addEventListener("change", (event) => {
    const box = event.target;
    if (!box.dataset?.key) return;
    const chosen = state.selected[box.dataset.key];
    state.selected[box.dataset.key] = box.checked ? [...chosen, box.value] : chosen.filter((v) => v !== box.value);
    update();
  });

  moreButton.addEventListener("click", async () => {
    const first = await showMore(generation);
    if (first) first.focus();
  });

  async function main() {
    if (!input.value) input.value = state.q;
    try {
      // The locale's index is in shards, each a bundle of its own: the first brings Pagefind's runtime, the
      // others are merged into it (they share its WebAssembly; results and filter counts cover every shard).
      const bundle = new URL(root.dataset.bundle, location.href);
      const [first, ...others] = root.dataset.shards.split(" ").map((shard) => new URL(`${shard}/`, bundle).href);
      const [loaded, recent] = await Promise.all([
        import(new URL("pagefind.js", first).href),
        fetch(new URL("hubkb-recent.json", bundle), { cache: "no-cache" }).then((response) => {
          if (!response.ok) throw new Error(`hubkb-recent.json: HTTP ${response.status}`);
          return response.json();
        }),
      ]);
      if (recent.bundle) others.push(new URL(`${recent.bundle}/`, bundle).href);
      // Searching our small chunks is quick on the page itself; a worker would download a second Pagefind runtime.
      await loaded.options({ noWorker: true });
      await Promise.all(others.map((shard) => loaded.mergeIndex(shard)));
      superseded = new Map(Object.entries(recent.superseded || {}));
      totals = await loaded.filters();
      for (const old of superseded.values()) subtract(totals, old);
      pagefind = loaded;
    } catch (error) {
      statusLine.textContent = strings.failed;
      root.dataset.state = "failed";
      console.error("hubkb search:", error);
      return;
    }
    await update();
  }

  main();
})();
