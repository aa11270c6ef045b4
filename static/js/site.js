// Progressive enhancements only: every page works without this file.

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
