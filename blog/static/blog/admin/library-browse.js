// The media library's browse page (blog/library_views.py). Opened by CKEditor's image dialog
// ("Browse Server") in a window of its own, it hands the chosen image's address and alt text to
// the dialog; opened by the featured-image picker (library-picker.js) in a frame, it tells the
// post form which image was chosen.
(function () {
  "use strict";

  var params = new URLSearchParams(window.location.search);
  var funcNum = params.get("CKEditorFuncNum");

  function chooseForEditor(item) {
    var alt = item.dataset.alt;
    window.opener.CKEDITOR.tools.callFunction(funcNum, item.dataset.url, function () {
      var dialog = this.getDialog && this.getDialog();
      if (dialog && dialog.getName() === "image") {
        var altField = dialog.getContentElement("info", "txtAlt");
        if (altField && !altField.getValue()) altField.setValue(alt);
      }
    });
    window.close();
  }

  function chooseForPicker(item) {
    window.parent.postMessage(
      {
        type: "library-image-chosen",
        id: item.dataset.libraryImage,
        label: item.dataset.label,
        alt: item.dataset.alt,
        thumbnail: item.dataset.thumbnail,
        width: Number(item.dataset.width),
      },
      window.location.origin
    );
  }

  document.addEventListener("click", function (event) {
    var item = event.target.closest("[data-library-image]");
    if (!item) return;
    if (funcNum && window.opener && window.opener.CKEDITOR) {
      chooseForEditor(item);
    } else if (window.parent !== window) {
      chooseForPicker(item);
    }
  });
})();
