// Progressive enhancements only: every page works without this file.

// Newsletter sign-up: answer inline instead of loading a new page. Without this script the form
// posts normally and the server answers with a page.
document.querySelectorAll("form[data-signup-form]").forEach((form) => {
  const status = form.querySelector("[data-signup-status]");
  const button = form.querySelector("button[type=submit]");
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
      status.textContent = answer.message;
      status.classList.toggle("is-error", !answer.ok);
      form.email.setAttribute("aria-invalid", answer.ok ? "false" : "true");
      if (answer.ok) form.email.value = "";
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
