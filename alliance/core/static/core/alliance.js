// Alliance's few touches of script; every page works without them.

// The main menu folds behind its button on narrow screens. Without script the button stays hidden
// and the menu stays open, so every link is still reachable.
function setUpMenu() {
  const button = document.querySelector(".menu-toggle");
  const menu = button && document.getElementById(button.getAttribute("aria-controls"));
  if (!menu) return;
  const open = (expanded) => button.setAttribute("aria-expanded", String(expanded));
  open(false);
  button.hidden = false;
  button.addEventListener("click", () => open(button.getAttribute("aria-expanded") !== "true"));
  // Escape closes it from the button or from any entry, and leaves the focus on the button.
  button.parentElement.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && button.getAttribute("aria-expanded") === "true" && button.offsetParent !== null) {
      open(false);
      button.focus();
    }
  });
}

// After a failed submit the summary of errors takes focus, so a screen reader reads it and a
// keyboard user starts from its links to the fields.
function focusErrorSummary() {
  const summary = document.querySelector("[data-error-summary]");
  if (summary) summary.focus();
}

document.addEventListener("DOMContentLoaded", () => {
  setUpMenu();
  focusErrorSummary();
});
