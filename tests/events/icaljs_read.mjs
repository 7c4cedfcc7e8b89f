// Reads an iCalendar file on stdin with Mozilla's ical.js (Thunderbird's parser) and prints, as
// JSON, each event's start and end as Unix times worked out from the file's own VTIMEZONE
// rules (ical.js knows no zone by name), and the calendar's refresh properties.
import ICAL from "ical.js";
import { readFileSync } from "node:fs";

const calendar = new ICAL.Component(ICAL.parse(readFileSync(0, "utf8")));
for (const zone of calendar.getAllSubcomponents("vtimezone")) {
  ICAL.TimezoneService.register(zone);
}
const properties = {};
for (const name of ["method", "x-published-ttl", "refresh-interval"]) {
  const property = calendar.getFirstProperty(name);
  if (property) {
    const value = property.getFirstValue();
    properties[name] = {
      type: property.type,
      // ical.js types X-PUBLISHED-TTL as unknown text: read it as a duration if it is one.
      seconds: name === "method" ? null : ICAL.Duration.fromString(value.toString()).toSeconds(),
      text: value.toString(),
    };
  }
}
const events = calendar.getAllSubcomponents("vevent").map((component) => {
  const event = new ICAL.Event(component);
  return {
    uid: event.uid,
    summary: event.summary,
    sequence: event.sequence,
    status: component.getFirstPropertyValue("status"),
    tzid: event.startDate.zone ? event.startDate.zone.tzid : null,
    start: event.startDate.toUnixTime(),
    end: event.endDate.toUnixTime(),
  };
});
process.stdout.write(JSON.stringify({ properties, events }));
