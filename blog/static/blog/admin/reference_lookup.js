// "Look up" beside each source's DOI and PMID: asks the admin for the source's details
// (Crossref or PubMed, blog/reference_admin.py) and fills in the fields still empty, so
// nothing an editor typed is overwritten. Saving never waits for this.
(function () {
  "use strict";
  var FIELDS = ["title", "authors", "publisher", "year", "url", "doi", "pmid"];

  function rowPrefix(input) {
    return input.name.replace(/-(doi|pmid)$/, "");
  }

  function addButton(input) {
    if (input.name.indexOf("__prefix__") !== -1 || input.dataset.lookupReady) {
      return;
    }
    input.dataset.lookupReady = "1";
    var button = document.createElement("button");
    button.type = "button";
    button.className = "reference-lookup button";
    button.textContent = "Look up";
    button.setAttribute("aria-label", "Look up this source from its " + input.name.split("-").pop().toUpperCase());
    var status = document.createElement("span");
    status.className = "reference-lookup-status";
    status.setAttribute("role", "status");
    input.after(button, status);
    button.addEventListener("click", function () {
      lookUp(input, button, status);
    });
  }

  function field(form, prefix, name) {
    return form.querySelector('[name="' + prefix + "-" + name + '"]');
  }

  function lookUp(input, button, status) {
    var value = input.value.trim();
    if (!value) {
      status.textContent = "Paste a DOI or PMID first.";
      return;
    }
    var form = input.form;
    var prefix = rowPrefix(input);
    button.disabled = true;
    status.textContent = "Looking up…";
    fetch(input.dataset.lookupUrl + "?id=" + encodeURIComponent(value), {
      headers: { Accept: "application/json" },
      credentials: "same-origin",
    })
      .then(function (response) {
        return response.json();
      })
      .then(function (answer) {
        if (!answer.ok) {
          status.textContent = answer.message;
          return;
        }
        var filled = [];
        FIELDS.forEach(function (name) {
          var target = field(form, prefix, name);
          var found = answer.source[name];
          if (target && found && !target.value.trim()) {
            target.value = found;
            target.dispatchEvent(new Event("change", { bubbles: true }));
            filled.push(name);
          }
        });
        status.textContent = filled.length
          ? "Filled in: " + filled.join(", ") + ". Check them, then save."
          : "Found it; every field already had a value, so nothing was changed.";
      })
      .catch(function () {
        status.textContent = "The look-up could not be done (offline?). Fill in the fields by hand.";
      })
      .finally(function () {
        button.disabled = false;
      });
  }

  function setUp(root) {
    root.querySelectorAll("input.reference-id").forEach(addButton);
  }

  document.addEventListener("DOMContentLoaded", function () {
    setUp(document);
  });
  document.addEventListener("formset:added", function (event) {
    setUp(event.target);
  });
})();
