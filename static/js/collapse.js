// A <details data-collapse-below="40em"> is a panel on wide screens (open, its summary hidden
// by convene.css) and a disclosure on narrow ones (closed until asked for, unless it carries
// data-keep-open: a filter in use stays in sight). A plain script, placed right after the
// panel, so that a phone never draws it open first; without JavaScript it simply stays open.
for (const details of document.querySelectorAll("details[data-collapse-below]:not([data-collapse-ready])")) {
  details.dataset.collapseReady = "";
  const wide = window.matchMedia(`(min-width: ${details.dataset.collapseBelow})`);
  const follow = () => {
    details.open = wide.matches || details.hasAttribute("data-keep-open");
  };
  follow();
  wide.addEventListener("change", follow);
}
