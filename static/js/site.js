// Progressive enhancements only: every page works without this file.

// Newsletter sign-up: answer inline instead of loading a new page. Without this script the form
// posts normally and the server answers with a page.
//
// While the sign-up brake is on (newsletter/signup_brake.py) the server answers "challenge":
// then the ALTCHA widget (static/vendor/altcha/, its build for a strict CSP) is loaded from the
// form's data-altcha-* addresses, solves a proof of work in a worker, and the form is sent again
// with its answer in the "altcha" field.
function loadAltcha(form) {
  if (!loadAltcha.loading) {
    loadAltcha.loading = new Promise((resolve, reject) => {
      const styles = document.createElement("link");
      styles.rel = "stylesheet";
      styles.href = form.dataset.altchaCss;
      document.head.append(styles);
      const script = document.createElement("script");
      script.src = form.dataset.altchaScript;
      script.addEventListener("load", () => {
        // The CSP build bundles no worker: the one for our SHA-256 challenges is a static file.
        const worker = form.dataset.altchaWorker;
        window.$altcha.algorithms.set("SHA-256", () => new Worker(worker));
        resolve();
      });
      script.addEventListener("error", reject);
      document.head.append(script);
    });
  }
  return loadAltcha.loading;
}

async function showChallenge(form) {
  const box = form.querySelector("[data-signup-challenge]");
  const existing = box.querySelector("altcha-widget");
  if (existing) {
    existing.reset();
    existing.verify();
    return;
  }
  await loadAltcha(form);
  const widget = document.createElement("altcha-widget");
  widget.setAttribute("challenge", form.dataset.challengeUrl);
  widget.setAttribute("name", "altcha");
  widget.setAttribute("auto", "onload");
  widget.addEventListener("statechange", (event) => {
    if (event.detail.state === "verified") form.requestSubmit();
  });
  box.append(widget);
  box.hidden = false;
}

document.querySelectorAll("form[data-signup-form]").forEach((form) => {
  const status = form.querySelector("[data-signup-status]");
  const button = form.querySelector("button[type=submit]");
  if (form.hasAttribute("data-challenge-required")) showChallenge(form);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    button.disabled = true;
    status.classList.remove("is-error");
    status.textContent = "Sending…";
    try {
      const response = await fetch(form.action, {
        method: "POST",
        body: new FormData(form),
        headers: { Accept: "application/json" },
        credentials: "same-origin",
      });
      const answer = await response.json();
      if (answer.challenge) {
        status.textContent = "One moment: your browser is doing a quick check against bots…";
        showChallenge(form);
        return;
      }
      status.textContent = answer.message;
      status.classList.toggle("is-error", !answer.ok);
      form.email.setAttribute("aria-invalid", answer.ok ? "false" : "true");
      if (answer.ok) {
        form.email.value = "";
        // A solved challenge is good for one sign-up: the next one asks again if need be.
        const box = form.querySelector("[data-signup-challenge]");
        box.replaceChildren();
        box.hidden = true;
      }
    } catch {
      // No answer we can read (offline, proxy error page): let the browser post the form.
      HTMLFormElement.prototype.submit.call(form);
    } finally {
      button.disabled = false;
    }
  });
});

// Search: the header link becomes a button that opens the search dialog. showModal() makes the
// rest of the page inert and closes on Escape; focus goes to the input and back to the button.
(function () {
  const link = document.querySelector("[data-search-link]");
  const button = document.querySelector("[data-search-open]");
  const dialog = document.getElementById("search-dialog");
  if (!link || !button || !dialog || typeof dialog.showModal !== "function") return;
  const input = dialog.querySelector("input[name=q]");

  link.hidden = true;
  button.hidden = false;

  button.addEventListener("click", () => {
    dialog.showModal();
    input.focus();
    input.select();
  });
  dialog.querySelector("[data-search-close]").addEventListener("click", () => dialog.close());
  // A click on the backdrop (the dialog element itself, outside its form) closes it.
  dialog.addEventListener("click", (event) => {
    if (event.target === dialog) dialog.close();
  });
  dialog.addEventListener("close", () => button.focus());
})();

// Instant results: the best few articles as the reader types, in the WAI-ARIA combobox pattern
// (https://www.w3.org/WAI/ARIA/apg/patterns/combobox/). Focus stays in the input; ArrowDown and
// ArrowUp move through the options, Enter opens the highlighted one (else the form searches as
// without this script), Escape closes the list, then the dialog. Titles are text, never HTML.
(function () {
  const dialog = document.getElementById("search-dialog");
  const form = dialog && dialog.querySelector("form[data-suggest-url]");
  if (!form || !window.fetch || !window.AbortController) return;
  const input = form.querySelector("input[name=q]");
  const list = form.querySelector("[role=listbox]");
  const status = form.querySelector("[data-suggest-status]");
  const DELAY = 180; // ms without typing before asking: about one request per word.
  const MIN_LENGTH = 2;
  let timer, pending, active = -1;

  input.setAttribute("role", "combobox");
  input.setAttribute("aria-autocomplete", "list");
  input.setAttribute("aria-controls", list.id);
  input.setAttribute("aria-expanded", "false");

  const options = () => Array.from(list.children);

  function highlight(index) {
    options().forEach((option, n) => option.setAttribute("aria-selected", String(n === index)));
    active = index;
    if (index < 0) {
      input.removeAttribute("aria-activedescendant");
    } else {
      input.setAttribute("aria-activedescendant", options()[index].id);
      options()[index].scrollIntoView({ block: "nearest" });
    }
  }

  function close() {
    list.hidden = true;
    input.setAttribute("aria-expanded", "false");
    highlight(-1);
  }

  function show(answer) {
    list.replaceChildren(...answer.results.map((result, n) => {
      const option = document.createElement("li");
      option.id = `search-instant.${n}`; // blog/contents.py keeps headings off these ids.
      option.className = "search-instant__option";
      option.setAttribute("role", "option");
      option.setAttribute("aria-selected", "false");
      option.dataset.url = result.url;
      const title = document.createElement("span");
      title.className = "search-instant__title";
      title.textContent = result.title;
      const topic = document.createElement("span");
      topic.className = "search-instant__topic";
      topic.textContent = result.category;
      option.append(title, topic);
      return option;
    }));
    active = -1;
    input.removeAttribute("aria-activedescendant");
    const count = answer.results.length;
    const found = count === 1 ? "1 article found" : `${count || "No"} articles found`;
    status.textContent = answer.corrected_from ? `${found} for ${answer.query}` : found;
    list.hidden = count === 0;
    input.setAttribute("aria-expanded", String(count > 0));
  }

  async function ask(text) {
    if (pending) pending.abort(); // An answer for older words must not replace a newer one.
    pending = new AbortController();
    try {
      const url = `${form.dataset.suggestUrl}?${new URLSearchParams({ q: text })}`;
      const response = await fetch(url, { signal: pending.signal, headers: { Accept: "application/json" } });
      if (!response.ok) return close(); // Too fast (429) or too short: the form still works.
      show(await response.json());
    } catch (error) {
      if (error.name !== "AbortError") close();
    }
  }

  input.addEventListener("input", () => {
    clearTimeout(timer);
    const text = input.value.trim();
    if (text.length < MIN_LENGTH) {
      if (pending) pending.abort();
      status.textContent = "";
      return close();
    }
    timer = setTimeout(() => ask(text), DELAY);
  });

  input.addEventListener("keydown", (event) => {
    const count = options().length;
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      if (!count) return;
      event.preventDefault();
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
      const step = event.key === "ArrowDown" ? 1 : -1;
      highlight(active < 0 && step < 0 ? count - 1 : (active + step + count) % count);
    } else if (event.key === "Enter" && active >= 0 && !list.hidden) {
      event.preventDefault();
      window.location.assign(options()[active].dataset.url);
    } else if (event.key === "Escape" && !list.hidden) {
      event.preventDefault(); // Closes the list only; a second Escape closes the dialog.
      close();
    }
  });

  list.addEventListener("click", (event) => {
    const option = event.target.closest("[role=option]");
    if (option) window.location.assign(option.dataset.url);
  });
  dialog.addEventListener("close", close);
})();

// Contents: closed on phones, open where there is room for it.
document.querySelectorAll("details[data-contents]").forEach((details) => {
  if (window.matchMedia("(min-width: 48rem)").matches) details.open = true;
});

// Copying a link says so in a status line that screen readers announce.
let copiedStatus;
function copyLink(url) {
  return navigator.clipboard.writeText(url).then(() => {
    if (!copiedStatus) {
      copiedStatus = document.createElement("p");
      copiedStatus.className = "copied-status";
      copiedStatus.setAttribute("role", "status");
      document.body.append(copiedStatus);
    }
    copiedStatus.textContent = "Link copied";
    clearTimeout(copiedStatus.timer);
    copiedStatus.timer = setTimeout(() => { copiedStatus.textContent = ""; }, 2000);
  }, () => {});
}

// A heading's link copies its address as well as going there (the link works without this),
// and the share list's "Copy link" button, hidden without this script, copies the article's.
if (navigator.clipboard) {
  document.querySelectorAll("[data-copy-link]").forEach((button) => { button.hidden = false; });
  document.addEventListener("click", (event) => {
    const link = event.target.closest(".heading-anchor");
    if (link) copyLink(link.href);
    const button = event.target.closest("[data-copy-link]");
    if (button) copyLink(button.dataset.copyLink);
  });
}
