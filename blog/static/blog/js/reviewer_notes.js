/*
 * On a previewed draft (a preview link), a click on a paragraph opens the note form under it,
 * with that paragraph chosen. Paragraphs are numbered as blog/review.py Paragraphs numbers
 * them: the <p> elements of the article's text, outside reusable snippets.
 */
(function () {
  "use strict";

  var form = document.getElementById("note-form");
  var article = document.querySelector(".article");
  if (!form || !article) return;
  var home = form.parentNode;
  var homeNext = form.nextSibling;
  var chooser = form.elements.paragraph;
  var paragraphs = Array.prototype.filter.call(
    article.querySelectorAll(".article__opening p, .article__rest p"),
    function (paragraph) {
      return !paragraph.closest(".snippet");
    }
  );
  var hint = document.querySelector(".reviewer-notes__js-hint");
  if (hint) hint.hidden = false;
  article.classList.add("reviewable");

  document.querySelectorAll(".reviewer-notes__note").forEach(function (note) {
    var paragraph = paragraphs[Number(note.dataset.paragraph) - 1];
    if (paragraph) paragraph.classList.add("has-notes");
  });

  function choose(number) {
    var paragraph = paragraphs[number - 1];
    paragraphs.forEach(function (other) {
      other.classList.toggle("is-noted", other === paragraph);
    });
    chooser.value = String(number);
    paragraph.insertAdjacentElement("afterend", form);
    form.elements.text.focus();
  }

  paragraphs.forEach(function (paragraph, index) {
    paragraph.tabIndex = 0;
    paragraph.title = "Leave a note on this paragraph";
    paragraph.addEventListener("click", function (event) {
      if (event.target.closest("a")) return;
      if (!form.contains(event.target)) choose(index + 1);
    });
    paragraph.addEventListener("keydown", function (event) {
      if (event.key === "Enter" && event.target === paragraph) {
        event.preventDefault();
        choose(index + 1);
      }
    });
  });

  // Choosing from the list moves the form back to the list's place, under the draft.
  chooser.addEventListener("change", function () {
    paragraphs.forEach(function (other) {
      other.classList.remove("is-noted");
    });
    if (form.parentNode !== home) home.insertBefore(form, homeNext);
  });
})();
