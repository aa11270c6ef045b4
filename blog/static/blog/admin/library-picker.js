// The featured-image picker (blog/library_picker.py): a button next to the plain list of
// library images opens the library's browse page in a dialog; choosing an image there selects
// it in the list, shows its thumbnail and fills in empty alt text. Without JavaScript the list
// alone does the job.
(function () {
  "use strict";

  function enhance(select) {
    var preview = select.parentElement.querySelector("[data-library-preview]");
    var button = document.createElement("button");
    button.type = "button";
    button.className = "button library-picker__open";
    button.textContent = "Browse the media library…";
    select.insertAdjacentElement("afterend", button);

    var dialog = document.createElement("dialog");
    dialog.className = "library-picker__dialog";
    dialog.setAttribute("aria-label", "Choose a featured image");
    var close = document.createElement("button");
    close.type = "button";
    close.className = "button library-picker__close";
    close.textContent = "Close";
    var frame = document.createElement("iframe");
    frame.className = "library-picker__frame";
    frame.title = "Media library";
    dialog.append(close, frame);
    document.body.append(dialog);

    button.addEventListener("click", function () {
      frame.src = select.dataset.libraryPicker;
      dialog.showModal();
    });
    close.addEventListener("click", function () {
      dialog.close();
    });

    window.addEventListener("message", function (event) {
      if (event.origin !== window.location.origin || event.source !== frame.contentWindow) return;
      var chosen = event.data || {};
      if (chosen.type !== "library-image-chosen") return;
      var option = select.querySelector('option[value="' + CSS.escape(String(chosen.id)) + '"]');
      if (!option) {
        option = new Option(chosen.label, chosen.id);
        select.add(option);
      }
      select.value = String(chosen.id);
      select.dispatchEvent(new Event("change", { bubbles: true }));
      if (preview) {
        var image = document.createElement("img");
        image.src = chosen.thumbnail;
        image.alt = "";
        image.width = 160;
        preview.replaceChildren(image);
      }
      var alt = document.getElementById("id_featured_image_alt");
      if (alt && !alt.value.trim() && chosen.alt) alt.value = chosen.alt;
      dialog.close();
      button.focus();
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("select[data-library-picker]").forEach(enhance);
  });
})();
