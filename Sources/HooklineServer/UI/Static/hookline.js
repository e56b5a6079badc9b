"use strict";
// A running replay's page reloads until the replay is done.
document.addEventListener("DOMContentLoaded", () => {
  const running = document.querySelector("[data-refresh]");
  if (running) setTimeout(() => window.location.reload(), Number(running.dataset.refresh) * 1000);
});

// Tokens page: rows whose name, category or description contain every word typed.
document.addEventListener("DOMContentLoaded", () => {
  const search = document.getElementById("token-search");
  if (!search) return;
  const count = document.getElementById("token-count");
  const filter = () => {
    const words = search.value.toLowerCase().split(/\s+/).filter(Boolean);
    let shown = 0;
    document.querySelectorAll(".token-category").forEach((section) => {
      let inSection = 0;
      section.querySelectorAll(".token-row").forEach((row) => {
        const match = words.every((word) => row.dataset.search.includes(word));
        row.hidden = !match;
        if (match) inSection += 1;
      });
      section.hidden = inSection === 0;
      shown += inSection;
    });
    count.textContent = words.length ? `${shown} tokens match` : "";
  };
  search.addEventListener("input", filter);
});

// The wizard: only the chosen way's fields, "+" adds a header row, other codes when asked.
document.addEventListener("DOMContentLoaded", () => {
  const wizard = document.getElementById("wizard");
  if (!wizard) return;
  const modes = wizard.querySelectorAll("input[name=mode]");
  const showMode = () => {
    const mode = wizard.querySelector("input[name=mode]:checked")?.value;
    wizard.querySelectorAll(".mode-existing").forEach((part) => { part.hidden = mode !== "existing"; });
    wizard.querySelectorAll(".mode-create").forEach((part) => { part.hidden = mode !== "create"; });
  };
  modes.forEach((radio) => radio.addEventListener("change", showMode));
  if (modes.length) showMode();
  const add = document.getElementById("add-header");
  if (add) add.addEventListener("click", (event) => {
    event.preventDefault();
    const rows = document.getElementById("header-rows");
    const row = rows.querySelector(".header-row").cloneNode(true);
    row.querySelectorAll("input").forEach((input) => { input.value = ""; });
    rows.appendChild(row);
    row.querySelector("input").focus();
  });
  const code = document.getElementById("success_code");
  const other = document.getElementById("success_other");
  if (code && other) {
    const showOther = () => { other.hidden = code.value !== "other"; };
    code.addEventListener("change", showOther);
    showOther();
  }
});
