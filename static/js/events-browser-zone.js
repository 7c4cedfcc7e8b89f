// Tells a member when their browser's time zone differs from the one in their profile, since
// every time on the page is shown in the profile's zone.
const note = document.getElementById("browser-zone-note");
if (note) {
  const profileZone = note.dataset.profileZone;
  const browserZone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  if (profileZone && browserZone && profileZone !== browserZone) {
    note.textContent =
      `Your device is set to ${browserZone}; times here use your profile's zone, ` +
      `${profileZone}. You can change it in your profile.`;
    note.hidden = false;
  }
}
