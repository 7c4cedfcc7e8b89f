// Moves the import's progress bar by polling its progress endpoint; reloads the page when the
// import is done so the full report (bad rows with their line numbers) is shown.
const bar = document.getElementById("import-progress");

async function poll() {
  const response = await fetch(bar.dataset.url, { headers: { Accept: "application/json" } });
  if (response.ok) {
    const state = await response.json();
    bar.value = state.percent;
    bar.textContent = `${state.percent}%`;
    document.getElementById("import-progress-text").textContent =
      `${state.processed} of ${state.total} rows`;
    if (state.done) {
      window.location.reload();
      return;
    }
  }
  setTimeout(poll, 1000);
}

if (bar && bar.dataset.running === "true") {
  setTimeout(poll, 1000);
}
