//! Calendar invitations: an iCalendar object (RFC 5545) carrying an iTIP method (RFC 5546), which
//! Outlook, Gmail and Apple Calendar show with accept/decline buttons and put in the calendar.
//!
//! The rules that make a calendar replace an appointment rather than add a second one: every
//! version of one event (the invitation, each update, the cancellation) carries the same `UID`,
//! and a `SEQUENCE` higher than the version before. Times are written in UTC (`...Z`), so no
//! time-zone definition has to travel with them; `london` turns a UK wall-clock time into UTC.
//!
//! The text is produced by the `icalendar` crate, which escapes TEXT values (backslash, comma,
//! semicolon, newline), quotes parameter values and folds lines at 75 octets with CRLF endings.
//! What it does not guard against, this module does: carriage returns and other control
//! characters, and double quotes in parameter values (which cannot be quoted), are removed from
//! text before it goes in.

use chrono::{DateTime, LocalResult, NaiveDateTime, TimeZone, Utc};
use icalendar::{Calendar, Component, Event, EventLike, EventStatus, Property};

/// The iTIP method: what the receiving calendar should do with the event.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Method {
    /// Add the event, or replace the earlier version with the same UID.
    Request,
    /// Remove the event with this UID.
    Cancel,
}

impl Method {
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Request => "REQUEST",
            Method::Cancel => "CANCEL",
        }
    }
}

/// Someone taking part: the organiser or an attendee.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Person {
    pub name: Option<String>,
    pub email: String,
}

/// One version of an event to send.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Invitation {
    pub method: Method,
    /// Stable for the life of the event, e.g. `training-session-<uuid>@fostering-hub`. Calendars
    /// match updates and cancellations to the appointment by it.
    pub uid: String,
    /// Starts at 0 and goes up with each version sent (each update, and the cancellation), so a
    /// calendar knows which version is newest.
    pub sequence: u32,
    /// When this version was made (`DTSTAMP`).
    pub stamp: DateTime<Utc>,
    pub starts: DateTime<Utc>,
    pub ends: DateTime<Utc>,
    pub summary: String,
    pub location: Option<String>,
    pub description: Option<String>,
    pub organizer: Person,
    pub attendees: Vec<Person>,
}

/// The product identifier every calendar object carries.
const PRODID: &str = "-//Fostering Hub//Calendar invitations//EN";

impl Invitation {
    /// The cancellation of this event: same UID, the next SEQUENCE, made at `stamp`.
    pub fn cancellation(&self, stamp: DateTime<Utc>) -> Invitation {
        Invitation {
            method: Method::Cancel,
            sequence: self.sequence + 1,
            stamp,
            ..self.clone()
        }
    }

    /// The MIME type of the message part that carries it (the `multipart/alternative` sibling of
    /// the plain text).
    pub fn content_type(&self) -> String {
        format!(
            "text/calendar; method={}; charset=UTF-8",
            self.method.as_str()
        )
    }

    /// The iCalendar text: CRLF line endings, lines folded at 75 octets.
    pub fn to_ics(&self) -> String {
        calendar(self.method.as_str(), [self.event()])
    }

    fn event(&self) -> Event {
        let mut event = Event::new();
        event
            .uid(&clean_value(&self.uid))
            .sequence(self.sequence)
            .timestamp(self.stamp)
            .starts(self.starts)
            .ends(self.ends)
            .summary(&clean_text(&self.summary))
            .status(match self.method {
                Method::Request => EventStatus::Confirmed,
                Method::Cancel => EventStatus::Cancelled,
            });
        if let Some(location) = &self.location {
            event.location(&clean_text(location));
        }
        if let Some(description) = &self.description {
            event.description(&clean_text(description));
        }
        event.append_property(person("ORGANIZER", &self.organizer).done());
        for attendee in &self.attendees {
            let mut p = person("ATTENDEE", attendee);
            p.add_parameter("CUTYPE", "INDIVIDUAL")
                .add_parameter("ROLE", "REQ-PARTICIPANT")
                .add_parameter("PARTSTAT", "NEEDS-ACTION")
                // A reply is asked for an invitation, not for a cancellation.
                .add_parameter(
                    "RSVP",
                    if self.method == Method::Request {
                        "TRUE"
                    } else {
                        "FALSE"
                    },
                );
            event.append_multi_property(p.done());
        }
        event.done()
    }
}

/// Events to download and open rather than answer (`METHOD:PUBLISH`): a session's dates, each
/// with the UID and SEQUENCE of the invitation sent for it, so a calendar that already holds
/// the invitation keeps one appointment per date.
pub fn download(events: &[Invitation]) -> String {
    calendar("PUBLISH", events.iter().map(Invitation::event))
}

fn calendar(method: &str, events: impl IntoIterator<Item = Event>) -> String {
    let mut calendar = Calendar::empty();
    calendar
        .append_property(("PRODID", PRODID))
        .append_property(("VERSION", "2.0"))
        .append_property(("CALSCALE", "GREGORIAN"))
        .append_property(("METHOD", method));
    for e in events {
        calendar.push(e);
    }
    calendar.to_string()
}

/// A UK wall-clock time (Europe/London, so GMT or BST) as UTC. `None` for a time that does not
/// exist (the hour skipped when the clocks go forward); for the hour that happens twice when they
/// go back, the first.
pub fn london(wall_clock: NaiveDateTime) -> Option<DateTime<Utc>> {
    match chrono_tz::Europe::London.from_local_datetime(&wall_clock) {
        LocalResult::Single(t) => Some(t.with_timezone(&Utc)),
        LocalResult::Ambiguous(first, _) => Some(first.with_timezone(&Utc)),
        LocalResult::None => None,
    }
}

/// `ORGANIZER` / `ATTENDEE` with the person's name (CN) and address.
fn person(key: &str, p: &Person) -> Property {
    let mut property = Property::new(key, format!("mailto:{}", clean_address(&p.email)));
    if let Some(name) = p.name.as_deref().map(clean_parameter) {
        if !name.is_empty() {
            property.add_parameter("CN", &name);
        }
    }
    property
}

/// TEXT values: line breaks become `\n` (escaped by the crate); carriage returns and other
/// control characters, which would break the line structure, go.
fn clean_text(s: &str) -> String {
    s.replace("\r\n", "\n")
        .replace('\r', "\n")
        .chars()
        .filter(|c| *c == '\n' || *c == '\t' || !c.is_control())
        .collect()
}

/// Unescaped values (UID): no control characters at all.
fn clean_value(s: &str) -> String {
    s.chars().filter(|c| !c.is_control()).collect()
}

/// Parameter values cannot contain control characters or double quotes, even quoted.
fn clean_parameter(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .filter(|c| *c != '"')
        .collect::<String>()
        .trim()
        .to_string()
}

/// An address in a `mailto:` URI: no whitespace or control characters.
fn clean_address(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_control() && !c.is_whitespace())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn at(y: i32, m: u32, d: u32, h: u32, min: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(y, m, d)
            .unwrap()
            .and_hms_opt(h, min, 0)
            .unwrap()
    }

    fn utc(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
        Utc.from_utc_datetime(&at(y, m, d, h, min))
    }

    fn invitation() -> Invitation {
        Invitation {
            method: Method::Request,
            uid: "training-session-42@fostering-hub".into(),
            sequence: 0,
            stamp: utc(2026, 11, 23, 9, 30),
            starts: london(at(2026, 12, 3, 10, 0)).unwrap(),
            ends: london(at(2026, 12, 3, 13, 0)).unwrap(),
            summary: "Skills to Foster, day 1".into(),
            location: Some("Civic Offices, Guildhall Square, Portsmouth".into()),
            description: Some("Bring a pen.\nLunch is provided.".into()),
            organizer: Person {
                name: Some("Portsmouth Fostering Team".into()),
                email: "fostering.portsmouth@example.org".into(),
            },
            attendees: vec![Person {
                name: Some("Ann Smith".into()),
                email: "ann@example.org".into(),
            }],
        }
    }

    /// The content lines with folding undone (RFC 5545 3.1: CRLF followed by one space).
    fn unfolded(ics: &str) -> Vec<String> {
        ics.replace("\r\n ", "")
            .split("\r\n")
            .filter(|l| !l.is_empty())
            .map(str::to_string)
            .collect()
    }

    fn line<'a>(lines: &'a [String], name: &str) -> &'a str {
        lines
            .iter()
            .find(|l| {
                l.strip_prefix(name)
                    .is_some_and(|rest| rest.starts_with([':', ';']))
            })
            .unwrap_or_else(|| panic!("no {name} in {lines:#?}"))
    }

    #[test]
    fn an_invitation_is_a_request_with_its_uid_sequence_times_and_people() {
        let ics = invitation().to_ics();
        let lines = unfolded(&ics);
        assert_eq!(lines.first().unwrap(), "BEGIN:VCALENDAR");
        assert_eq!(lines.last().unwrap(), "END:VCALENDAR");
        assert_eq!(line(&lines, "METHOD"), "METHOD:REQUEST");
        assert_eq!(line(&lines, "VERSION"), "VERSION:2.0");
        assert!(line(&lines, "PRODID").contains("Fostering Hub"));
        assert!(lines.iter().any(|l| l == "BEGIN:VEVENT"));
        assert_eq!(line(&lines, "UID"), "UID:training-session-42@fostering-hub");
        assert_eq!(line(&lines, "SEQUENCE"), "SEQUENCE:0");
        assert_eq!(line(&lines, "DTSTAMP"), "DTSTAMP:20261123T093000Z");
        // December: GMT, so the UK time is the UTC time.
        assert_eq!(line(&lines, "DTSTART"), "DTSTART:20261203T100000Z");
        assert_eq!(line(&lines, "DTEND"), "DTEND:20261203T130000Z");
        assert_eq!(line(&lines, "STATUS"), "STATUS:CONFIRMED");
        assert_eq!(line(&lines, "SUMMARY"), "SUMMARY:Skills to Foster\\, day 1");
        assert_eq!(
            line(&lines, "DESCRIPTION"),
            "DESCRIPTION:Bring a pen.\\nLunch is provided."
        );
        assert_eq!(
            line(&lines, "ORGANIZER"),
            "ORGANIZER;CN=Portsmouth Fostering Team:mailto:fostering.portsmouth@example.org"
        );
        let attendee = line(&lines, "ATTENDEE");
        assert!(attendee.ends_with(":mailto:ann@example.org"), "{attendee}");
        for param in ["CN=Ann Smith", "RSVP=TRUE", "PARTSTAT=NEEDS-ACTION"] {
            assert!(attendee.contains(param), "{param} in {attendee}");
        }
        assert_eq!(
            invitation().content_type(),
            "text/calendar; method=REQUEST; charset=UTF-8"
        );
    }

    #[test]
    fn a_cancellation_keeps_the_uid_and_raises_the_sequence() {
        let mut updated = invitation();
        updated.sequence = 2; // sent twice before: the invitation and one update
        let cancel = updated.cancellation(utc(2026, 11, 30, 8, 0));
        assert_eq!((cancel.method, cancel.sequence), (Method::Cancel, 3));
        let lines = unfolded(&cancel.to_ics());
        assert_eq!(line(&lines, "METHOD"), "METHOD:CANCEL");
        assert_eq!(line(&lines, "UID"), "UID:training-session-42@fostering-hub");
        assert_eq!(line(&lines, "SEQUENCE"), "SEQUENCE:3");
        assert_eq!(line(&lines, "STATUS"), "STATUS:CANCELLED");
        assert_eq!(line(&lines, "DTSTAMP"), "DTSTAMP:20261130T080000Z");
        assert!(line(&lines, "ATTENDEE").contains("RSVP=FALSE"));
        assert_eq!(
            cancel.content_type(),
            "text/calendar; method=CANCEL; charset=UTF-8"
        );
    }

    #[test]
    fn every_line_ends_in_crlf_and_none_is_longer_than_75_octets() {
        let mut inv = invitation();
        inv.description = Some(format!(
            "{} Zoë’s café – £5 for lunch. {}",
            "A long description. ".repeat(10),
            "ü".repeat(80)
        ));
        inv.summary = "Ω".repeat(60);
        let ics = inv.to_ics();
        assert!(ics.ends_with("\r\n"));
        assert!(
            !ics.replace("\r\n", "").contains(['\r', '\n']),
            "bare CR or LF"
        );
        for l in ics.split("\r\n") {
            assert!(l.len() <= 75, "{} octets: {l}", l.len());
        }
        // Folding loses nothing.
        let lines = unfolded(&ics);
        assert!(line(&lines, "DESCRIPTION").ends_with(&"ü".repeat(80)));
        assert_eq!(
            line(&lines, "SUMMARY"),
            format!("SUMMARY:{}", "Ω".repeat(60))
        );
    }

    #[test]
    fn hostile_text_is_escaped_and_cannot_add_lines_or_parameters() {
        let mut inv = invitation();
        inv.summary = "Evil;\r\nMETHOD:CANCEL\rBEGIN:VEVENT, \\ end".into();
        inv.location = Some("Room 1; DTSTART:19700101T000000Z".into());
        inv.description = Some("a\u{0}b\u{7}c\r\nd".into());
        inv.organizer.name = Some("Boss\" ;RSVP=FALSE:mailto:x@evil.example".into());
        inv.attendees[0].name = Some("Ann\r\nATTENDEE:mailto:spy@evil.example".into());
        inv.attendees[0].email = "ann@example.org\r\nX-EVIL:1".into();
        let lines = unfolded(&inv.to_ics());

        assert_eq!(
            line(&lines, "SUMMARY"),
            "SUMMARY:Evil\\;\\nMETHOD:CANCEL\\nBEGIN:VEVENT\\, \\\\ end"
        );
        assert_eq!(
            line(&lines, "LOCATION"),
            "LOCATION:Room 1\\; DTSTART:19700101T000000Z"
        );
        assert_eq!(line(&lines, "DESCRIPTION"), "DESCRIPTION:abc\\nd");
        assert_eq!(
            line(&lines, "ORGANIZER"),
            "ORGANIZER;CN=\"Boss ;RSVP=FALSE:mailto:x@evil.example\":mailto:fostering.portsmouth@example.org"
        );
        let attendees: Vec<&String> = lines.iter().filter(|l| l.starts_with("ATTENDEE")).collect();
        assert_eq!(attendees.len(), 1, "{attendees:?}");
        assert!(attendees[0].ends_with(":mailto:ann@example.orgX-EVIL:1"));
        assert!(attendees[0].contains("CN=\"Ann  ATTENDEE:mailto:spy@evil.example\""));
        // Still exactly one calendar with one event, one method and one of each time.
        for name in ["METHOD", "DTSTART", "X-EVIL"] {
            let n = lines.iter().filter(|l| l.starts_with(name)).count();
            assert_eq!(n, usize::from(name != "X-EVIL"), "{name} lines: {lines:#?}");
        }
        assert_eq!(lines.iter().filter(|l| *l == "BEGIN:VEVENT").count(), 1);
    }

    #[test]
    fn uk_times_become_utc_on_either_side_of_the_clock_change() {
        // The clocks go forward on Sunday 29 March 2026 and back on Sunday 25 October 2026.
        assert_eq!(
            london(at(2026, 3, 28, 10, 0)),
            Some(utc(2026, 3, 28, 10, 0))
        );
        assert_eq!(london(at(2026, 3, 30, 10, 0)), Some(utc(2026, 3, 30, 9, 0)));
        assert_eq!(
            london(at(2026, 10, 24, 10, 0)),
            Some(utc(2026, 10, 24, 9, 0))
        );
        assert_eq!(
            london(at(2026, 10, 26, 10, 0)),
            Some(utc(2026, 10, 26, 10, 0))
        );
        // 01:30 does not happen on 29 March; it happens twice on 25 October (BST first).
        assert_eq!(london(at(2026, 3, 29, 1, 30)), None);
        assert_eq!(
            london(at(2026, 10, 25, 1, 30)),
            Some(utc(2026, 10, 25, 0, 30))
        );
    }

    #[test]
    fn an_event_across_the_clock_change_keeps_its_real_length() {
        // An overnight event from 10pm BST to 2am GMT lasts five hours, not four.
        let mut inv = invitation();
        inv.starts = london(at(2026, 10, 24, 22, 0)).unwrap();
        inv.ends = london(at(2026, 10, 25, 2, 0)).unwrap();
        assert_eq!((inv.ends - inv.starts).num_hours(), 5);
        let lines = unfolded(&inv.to_ics());
        assert_eq!(line(&lines, "DTSTART"), "DTSTART:20261024T210000Z");
        assert_eq!(line(&lines, "DTEND"), "DTEND:20261025T020000Z");
    }
}
