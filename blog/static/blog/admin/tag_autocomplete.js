// Suggest existing tags for the word being typed in a comma-separated tag field. The datalist
// holds every tag name; while typing we offer "earlier tags, <suggestion>" so that picking a
// suggestion keeps the tags already entered.
document.addEventListener("DOMContentLoaded", () => {
  for (const input of document.querySelectorAll("input[data-tag-autocomplete]")) {
    const list = document.getElementById(input.getAttribute("list"));
    const names = Array.from(list.options, (option) => option.value);
    input.addEventListener("input", () => {
      const parts = input.value.split(",");
      const typed = parts.pop().trim().toLowerCase();
      const chosen = new Set(parts.map((part) => part.trim().toLowerCase()));
      const prefix = parts.length ? parts.map((part) => part.trim()).join(", ") + ", " : "";
      const matches = typed
        ? names.filter((n) => n.toLowerCase().includes(typed) && !chosen.has(n.toLowerCase()))
        : [];
      list.replaceChildren(
        ...matches.slice(0, 20).map((n) => Object.assign(document.createElement("option"), { value: prefix + n })),
      );
    });
  }
});
