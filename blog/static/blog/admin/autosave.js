/*
 * Autosave for the post form (blog/autosave.py): a few seconds after the editor stops typing,
 * the post's text fields go to the server as an autosave, never as the post itself. Offers
 * the autosaved text back after a crash, and shows when someone else saved or is editing.
 */
(function () {
  "use strict";

  var box = document.getElementById("autosave");
  var form = box && box.closest("form");
  if (!form) return;

  var fields = box.dataset.fields.split(" ");
  var delay = Number(box.dataset.delay) || 3000;
  var status = box.querySelector("[data-autosave-status]");
  var conflict = box.querySelector("[data-autosave-conflict]");
  var offer = box.querySelector("[data-autosave-offer]");
  var timer = null;
  var dirty = false;
  var submitting = false;

  function editor() {
    return window.CKEDITOR && window.CKEDITOR.instances.id_body;
  }

  function say(text, isError) {
    status.textContent = text;
    status.classList.toggle("autosave__status--error", Boolean(isError));
  }

  function formData() {
    var body = editor();
    if (body) body.updateElement();
    var data = new FormData();
    data.append("csrfmiddlewaretoken", form.elements.csrfmiddlewaretoken.value);
    data.append("opened_version", form.elements.opened_version.value);
    fields.forEach(function (name) {
      var field = form.elements[name];
      if (field && typeof field.value === "string") data.append(name, field.value);
    });
    return data;
  }

  function showConflicts(notices) {
    conflict.replaceChildren();
    (notices || []).forEach(function (notice) {
      var paragraph = document.createElement("p");
      paragraph.textContent = notice;
      conflict.appendChild(paragraph);
    });
    conflict.hidden = !conflict.childElementCount;
  }

  function save() {
    timer = null;
    if (submitting || !dirty) return;
    dirty = false;
    say("Autosaving…");
    fetch(box.dataset.url, {
      method: "POST",
      body: formData(),
      credentials: "same-origin",
      headers: { Accept: "application/json" },
    })
      .then(function (response) {
        return response.json().then(function (answer) {
          if (!response.ok) throw new Error(answer.error || "The server refused it.");
          return answer;
        });
      })
      .then(function (answer) {
        if (submitting) return;
        say(answer.message);
        showConflicts(answer.conflicts);
      })
      .catch(function (problem) {
        dirty = true;
        say("Not autosaved (" + problem.message + "). Keep this page open and try Save.", true);
      });
  }

  function changed() {
    if (submitting) return;
    dirty = true;
    say("Unsaved changes");
    if (timer) window.clearTimeout(timer);
    timer = window.setTimeout(save, delay);
  }

  function watchEditor(instance) {
    if (instance.name === "id_body") instance.on("change", changed);
  }

  form.addEventListener("input", changed);
  form.addEventListener("change", changed);
  form.addEventListener("submit", function () {
    submitting = true;
    if (timer) window.clearTimeout(timer);
  });
  if (window.CKEDITOR) {
    Object.keys(window.CKEDITOR.instances).forEach(function (name) {
      watchEditor(window.CKEDITOR.instances[name]);
    });
    window.CKEDITOR.on("instanceCreated", function (event) {
      watchEditor(event.editor);
    });
  }
  // Closing the tab with changes not yet sent: send them on the way out.
  window.addEventListener("pagehide", function () {
    if (dirty && !submitting && navigator.sendBeacon) {
      navigator.sendBeacon(box.dataset.url, formData());
    }
  });

  function restore() {
    var saved = JSON.parse(document.getElementById("autosave-data").textContent);
    fields.forEach(function (name) {
      if (!(name in saved)) return;
      if (name === "body" && editor()) {
        editor().setData(saved.body);
      }
      var field = form.elements[name];
      if (field) field.value = saved[name];
    });
    offer.hidden = true;
    say("Your autosaved changes are back in the form. Save to keep them.");
  }

  function discard() {
    var data = new FormData();
    data.append("csrfmiddlewaretoken", form.elements.csrfmiddlewaretoken.value);
    fetch(box.dataset.discardUrl, { method: "POST", body: data, credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) throw new Error("status " + response.status);
        offer.hidden = true;
        say("Autosaved changes discarded.");
      })
      .catch(function (problem) {
        say("Could not discard them (" + problem.message + ").", true);
      });
  }

  if (offer) {
    offer.querySelector("[data-autosave-restore]").addEventListener("click", restore);
    offer.querySelector("[data-autosave-discard]").addEventListener("click", discard);
  }
})();
