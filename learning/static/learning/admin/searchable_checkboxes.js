// The 指定学员 list: typing in the search box hides the boxes whose data-search (name, username, phone,
// organisation) does not contain every typed word; ticked boxes always stay visible.
(function () {
  "use strict";

  function setUp(root) {
    var search = root.querySelector("[data-searchable-checkboxes-search]");
    var status = root.querySelector("[data-searchable-checkboxes-status]");
    var empty = root.querySelector("[data-searchable-checkboxes-empty]");
    var boxes = Array.prototype.slice.call(root.querySelectorAll("input[type=checkbox][data-search]"));

    function row(box) {
      return box.closest("label") ? box.closest("label").parentNode : box.parentNode;
    }

    function update() {
      var words = search.value.trim().toLowerCase().split(/\s+/).filter(Boolean);
      var shown = 0;
      var ticked = 0;
      boxes.forEach(function (box) {
        var text = box.getAttribute("data-search");
        var match = words.every(function (word) { return text.indexOf(word) >= 0; });
        var visible = box.checked || match;
        row(box).hidden = !visible;
        if (visible) { shown += 1; }
        if (box.checked) { ticked += 1; }
      });
      var text = root.getAttribute(words.length ? "data-text-found" : "data-text-all");  // translated in the template
      status.textContent = text.replace("{ticked}", ticked).replace("{shown}", shown).replace("{total}", boxes.length);
      empty.hidden = shown > 0;
    }

    search.addEventListener("input", update);
    search.addEventListener("keydown", function (event) {
      if (event.key === "Enter") { event.preventDefault(); }  // Enter would submit the whole form
    });
    root.addEventListener("change", update);
    update();
  }

  function init() {
    document.querySelectorAll("[data-searchable-checkboxes]").forEach(function (root) {
      if (!root.hasAttribute("data-ready")) {
        root.setAttribute("data-ready", "");
        setUp(root);
      }
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
