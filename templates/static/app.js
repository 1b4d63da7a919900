// Asks for confirmation before destructive actions and moves focus to the
// first error summary, so keyboard and screen-reader users land on it.
document.addEventListener("submit", function (event) {
  var form = event.target;
  var question = form.getAttribute("data-confirm") ||
    (event.submitter && event.submitter.getAttribute("data-confirm"));
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
// Email fields that choose a person suggest matching people as one types
// (two letters or more), from the admin-only /people/search.
document.addEventListener("input", function (event) {
  var input = event.target;
  var listID = input.getAttribute && input.getAttribute("data-people-search");
  if (!listID) { return; }
  window.clearTimeout(input.peopleTimer);
  input.peopleTimer = window.setTimeout(function () {
    var q = input.value.trim();
    if (q.length < 2) { return; }
    fetch("/people/search?q=" + encodeURIComponent(q), { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : []; })
      .then(function (people) {
        var list = document.getElementById(listID);
        if (!list) { return; }
        list.replaceChildren.apply(list, people.map(function (p) {
          var option = document.createElement("option");
          option.value = p.email;
          option.label = p.name + (p.discipline ? " (" + p.discipline + ")" : "");
          return option;
        }));
      })
      .catch(function () {});
  }, 200);
});
// The meeting form shows the method, work-visit and guest fields only for a
// meeting of that kind.
function showFieldsOfKind() {
  var kind = document.getElementById("kind");
  if (!kind) { return; }
  document.querySelectorAll("[data-kind]").forEach(function (set) {
    set.hidden = set.getAttribute("data-kind") !== kind.value;
  });
}
document.addEventListener("DOMContentLoaded", showFieldsOfKind);
document.addEventListener("change", function (event) {
  if (event.target.id === "kind") { showFieldsOfKind(); }
});
// The meeting page is one form: leaving it with typed text unsaved (a link,
// the language switch) asks first; saving it does not.
(function () {
  var form = null, dirty = false;
  document.addEventListener("DOMContentLoaded", function () { form = document.getElementById("meeting-form"); });
  document.addEventListener("input", function (event) {
    if (form && form.contains(event.target)) { dirty = true; }
  });
  document.addEventListener("submit", function (event) {
    if (event.target === form && !event.defaultPrevented) { dirty = false; }
  });
  window.addEventListener("beforeunload", function (event) {
    if (dirty) { event.preventDefault(); event.returnValue = ""; }
  });
})();
// The header's menu groups close on Escape (focus back on their summary) and
// when one clicks elsewhere; without JavaScript they open and close as usual.
document.addEventListener("keydown", function (event) {
  if (event.key !== "Escape") { return; }
  var open = document.querySelector(".menu-group[open]");
  if (!open) { return; }
  open.removeAttribute("open");
  open.querySelector("summary").focus();
});
document.addEventListener("click", function (event) {
  document.querySelectorAll(".menu-group[open]").forEach(function (group) {
    if (!group.contains(event.target)) { group.removeAttribute("open"); }
  });
});
// A table wider than the screen scrolls sideways in its frame; the frame
// then takes keyboard focus (arrow keys scroll it) and is named after the
// table, so keyboard and screen-reader users reach what is off to the side.
function focusableTableFrames() {
  document.querySelectorAll(".table-wrap").forEach(function (wrap) {
    if (wrap.getAttribute("role") === "region" && !wrap.hasAttribute("data-auto-region")) { return; }
    var wide = wrap.scrollWidth > wrap.clientWidth + 1;
    if (wide) {
      var caption = wrap.querySelector("caption");
      var heading = wrap.closest("section") && wrap.closest("section").querySelector("h2, h3");
      var name = (caption && caption.textContent.trim()) || (heading && heading.textContent.trim()) || document.title;
      wrap.setAttribute("tabindex", "0");
      wrap.setAttribute("role", "region");
      wrap.setAttribute("aria-label", name);
      wrap.setAttribute("data-auto-region", "");
    } else if (wrap.hasAttribute("data-auto-region")) {
      ["tabindex", "role", "aria-label", "data-auto-region"].forEach(function (a) { wrap.removeAttribute(a); });
    }
  });
}
document.addEventListener("DOMContentLoaded", focusableTableFrames);
window.addEventListener("resize", focusableTableFrames);
