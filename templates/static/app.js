// Asks for confirmation before destructive actions and moves focus to the
// first error summary, so keyboard and screen-reader users land on it.
document.addEventListener("submit", function (event) {
  var form = event.target;
  var question = form.getAttribute("data-confirm");
  if (question && !window.confirm(question)) {
    event.preventDefault();
  }
});
document.addEventListener("DOMContentLoaded", function () {
  var alert = document.querySelector("[data-focus]");
  if (alert) { alert.focus(); }
});
document.addEventListener("click", function (event) {
  if (event.target.closest("[data-print]")) { window.print(); }
});
