// As-you-type suggestions for the search box (optional: the site works without JavaScript).
// Accessible combobox: arrow keys move through the list, Enter chooses, Escape closes.
(function () {
  "use strict";
  var input = document.getElementById("q");
  if (!input || !window.fetch) { return; }
  var form = input.form;
  var list = document.createElement("ul");
  list.id = "suggestions";
  list.className = "suggestions";
  list.setAttribute("role", "listbox");
  list.setAttribute("aria-label", "Suggestions");
  list.hidden = true;
  input.parentNode.appendChild(list);
  input.setAttribute("role", "combobox");
  input.setAttribute("aria-autocomplete", "list");
  input.setAttribute("aria-controls", "suggestions");
  input.setAttribute("aria-expanded", "false");

  var timer = null;
  var active = -1;
  var items = [];

  function close() {
    list.hidden = true;
    list.textContent = "";
    items = [];
    active = -1;
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
  }

  function choose(item) {
    if (item.href) { window.location.href = item.href; return; }
    input.value = item.text;
    close();
    form.submit();
  }

  function show(data) {
    list.textContent = "";
    items = [];
    data.words.forEach(function (word) { items.push({ text: word, kind: "" }); });
    data.titles.forEach(function (title) {
      items.push({ text: title.title, kind: title.type || "document",
                   href: input.dataset.document + encodeURIComponent(title.id) });
    });
    items.forEach(function (item, index) {
      var li = document.createElement("li");
      li.id = "suggestion-" + index;
      li.setAttribute("role", "option");
      li.setAttribute("aria-selected", "false");
      li.textContent = item.text;
      if (item.kind) {
        var kind = document.createElement("span");
        kind.className = "kind";
        kind.textContent = item.kind;
        li.appendChild(kind);
      }
      li.addEventListener("mousedown", function (event) { event.preventDefault(); choose(item); });
      list.appendChild(li);
    });
    active = -1;
    list.hidden = items.length === 0;
    input.setAttribute("aria-expanded", items.length ? "true" : "false");
  }

  function highlight(index) {
    var options = list.querySelectorAll("[role=option]");
    options.forEach(function (option, i) { option.setAttribute("aria-selected", i === index ? "true" : "false"); });
    active = index;
    if (index >= 0) { input.setAttribute("aria-activedescendant", options[index].id); }
    else { input.removeAttribute("aria-activedescendant"); }
  }

  input.addEventListener("input", function () {
    window.clearTimeout(timer);
    var typed = input.value;
    if (typed.trim().length < 2) { close(); return; }
    timer = window.setTimeout(function () {
      fetch(input.dataset.suggest + "?q=" + encodeURIComponent(typed))
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (data) { if (data && input.value === typed) { show(data); } })
        .catch(close);
    }, 150);
  });

  input.addEventListener("keydown", function (event) {
    if (list.hidden) { return; }
    if (event.key === "ArrowDown") { event.preventDefault(); highlight((active + 1) % items.length); }
    else if (event.key === "ArrowUp") { event.preventDefault(); highlight(active <= 0 ? items.length - 1 : active - 1); }
    // Escape closes the list only: the text typed stays (a search box clears itself otherwise)
    else if (event.key === "Escape") { event.preventDefault(); close(); }
    else if (event.key === "Enter" && active >= 0) { event.preventDefault(); choose(items[active]); }
  });
  input.addEventListener("blur", function () { window.setTimeout(close, 100); });
}());
