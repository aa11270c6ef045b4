/*
 * CKEditor 4 plugin: a "Snippet" menu in the toolbar that inserts a reusable snippet's
 * shortcode, [snippet key], as its own paragraph (blog/snippets.py). The list comes from
 * the admin (config.snippetChoicesUrl).
 */
(function () {
  "use strict";

  var choices = null;

  function load(url) {
    if (choices || !url) return;
    choices = [];
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        return response.ok ? response.json() : { snippets: [] };
      })
      .then(function (answer) {
        choices = answer.snippets;
      })
      .catch(function () {
        choices = null;
      });
  }

  CKEDITOR.plugins.add("snippets", {
    requires: "richcombo",
    init: function (editor) {
      load(editor.config.snippetChoicesUrl);
      editor.ui.addRichCombo("Snippets", {
        label: "Snippet",
        title: "Insert a reusable snippet",
        toolbar: "insert",
        panel: {
          css: [CKEDITOR.skin.getPath("editor")].concat(editor.config.contentsCss),
          multiSelect: false,
          attributes: { "aria-label": "Reusable snippets" },
        },
        init: function () {
          var combo = this;
          if (!choices || !choices.length) {
            combo.startGroup("No snippets yet: add them under Blog › Snippets");
            return;
          }
          combo.startGroup("Reusable snippets");
          choices.forEach(function (choice) {
            combo.add(choice.key, CKEDITOR.tools.htmlEncode(choice.name), choice.name);
          });
        },
        onClick: function (key) {
          editor.focus();
          editor.fire("saveSnapshot");
          editor.insertHtml("<p>[snippet " + key + "]</p>");
          editor.fire("saveSnapshot");
        },
      });
    },
  });
})();
