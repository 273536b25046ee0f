// Keyboard moderation for the Agora queue: J/K or arrows move, A approves, R writes a reason, Esc leaves it.
// Everything also works without this file, through the plain forms.
(function () {
  "use strict";

  function items() {
    return Array.prototype.slice.call(document.querySelectorAll("article.item"));
  }

  function currentItem() {
    var active = document.activeElement;
    return active && active.closest ? active.closest("article.item") : null;
  }

  function move(step) {
    var list = items();
    if (!list.length) { return; }
    var index = list.indexOf(currentItem());
    if (index === -1) {
      index = step > 0 ? 0 : list.length - 1;
    } else {
      index = Math.min(list.length - 1, Math.max(0, index + step));
    }
    list[index].focus();
    list[index].scrollIntoView({ block: "nearest" });
  }

  function submit(form) {
    if (form.requestSubmit) { form.requestSubmit(); } else { form.submit(); }
  }

  document.addEventListener("keydown", function (event) {
    var field = event.target.closest && event.target.closest("textarea, input, select");
    if (field) {
      var item = field.closest("article.item");
      if (event.key === "Escape" && item) {
        field.blur();
        item.focus();
        event.preventDefault();
      } else if (event.key === "Enter" && (event.ctrlKey || event.metaKey) && field.form) {
        submit(field.form);
        event.preventDefault();
      }
      return;
    }
    if (event.ctrlKey || event.metaKey || event.altKey) { return; }
    var current = currentItem();
    switch (event.key.toLowerCase()) {
      case "j": case "arrowdown": move(1); break;
      case "k": case "arrowup": move(-1); break;
      case "a":
        if (!current) { return; }
        submit(current.querySelector("form.approve"));
        break;
      case "r":
        if (!current) { return; }
        current.querySelector("form.reject textarea").focus();
        break;
      default: return;
    }
    event.preventDefault();
  });

  // After each decision the page reloads; start again at the top so A, A, A works through the queue.
  if (!document.querySelector("[autofocus]")) {
    var first = items()[0];
    if (first) { first.focus(); }
  }
})();
