//! The right of reply: each attempt to reach the person a claim is about for comment
//! (when, how, by whom, what was asked), what they answered or that they had not
//! answered by a date, and the line the public page prints when the editor chooses to
//! publish it.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::domain::time::format_day;
use crate::domain::validation::{FieldError, Lines, check_characters};

/// How the claimant was contacted.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
#[schema(as = ReplyChannel)]
pub enum Channel {
    Email,
    Phone,
    Message,
    Social,
    InPerson,
    Letter,
    Other,
}

impl Channel {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Email => "email",
            Self::Phone => "phone",
            Self::Message => "message",
            Self::Social => "social",
            Self::InPerson => "in_person",
            Self::Letter => "letter",
            Self::Other => "other",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [
            Self::Email,
            Self::Phone,
            Self::Message,
            Self::Social,
            Self::InPerson,
            Self::Letter,
            Self::Other,
        ]
        .into_iter()
        .find(|c| c.as_str() == s)
    }
}

/// One attempt as it stands (after an edit, all of it).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Attempt {
    pub contacted_at: DateTime<Utc>,
    pub channel: Channel,
    /// Whom they asked when not the claimant ("the President's office").
    pub contact: Option<String>,
    pub asked: String,
    pub reply: Option<String>,
    pub replied_at: Option<DateTime<Utc>>,
    pub no_reply_by: Option<DateTime<Utc>>,
    pub publish: bool,
}

fn text(field: &str, value: &str, max: usize, lines: Lines) -> Result<String, FieldError> {
    check_characters(field, value, lines)?;
    if value.chars().count() > max {
        return Err(FieldError::new(
            field,
            format!("must be at most {max} characters"),
        ));
    }
    Ok(value.trim().to_string())
}

impl Attempt {
    /// Trims and checks an attempt, every mistake collected; `now` bounds the dates
    /// (an attempt or a reply cannot be logged ahead of time).
    pub fn validated(self, now: DateTime<Utc>) -> Result<Self, Vec<FieldError>> {
        let mut errors = Vec::new();
        let mut keep = |r: Result<String, FieldError>| r.map_err(|e| errors.push(e)).ok();
        let contact = self
            .contact
            .as_deref()
            .and_then(|c| keep(text("contact", c, 200, Lines::One)))
            .filter(|c| !c.is_empty());
        let asked = keep(text("asked", &self.asked, 5000, Lines::Many)).unwrap_or_default();
        let reply = self
            .reply
            .as_deref()
            .and_then(|r| keep(text("reply", r, 10_000, Lines::Many)))
            .filter(|r| !r.is_empty());
        if asked.is_empty() && errors.iter().all(|e| e.field != "asked") {
            errors.push(FieldError::new(
                "asked",
                "must say what the claimant was asked",
            ));
        }
        // A few minutes' grace for clocks that run ahead.
        let ahead = now + chrono::Duration::minutes(5);
        if self.contacted_at > ahead {
            errors.push(FieldError::new("contacted_at", "must not be in the future"));
        }
        match (&reply, self.replied_at) {
            (Some(_), None) => errors.push(FieldError::new(
                "replied_at",
                "is needed with a reply: when did it come?",
            )),
            (None, Some(_)) => errors.push(FieldError::new(
                "reply",
                "is needed with replied_at: what did they say?",
            )),
            (Some(_), Some(at)) if at < self.contacted_at => errors.push(FieldError::new(
                "replied_at",
                "must not be before contacted_at",
            )),
            (Some(_), Some(at)) if at > ahead => {
                errors.push(FieldError::new("replied_at", "must not be in the future"))
            }
            _ => {}
        }
        if let Some(by) = self.no_reply_by
            && by < self.contacted_at
        {
            errors.push(FieldError::new(
                "no_reply_by",
                "must not be before contacted_at",
            ));
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(Self {
            contact,
            asked,
            reply,
            ..self
        })
    }

    /// The public page's line: "We asked the President's office for comment on
    /// 3 December 2026; they replied: “…”" or "… and had not replied by 5 December
    /// 2026." `claimant` is the claim's; `as_of` is the day the page says no reply
    /// had come by when the desk set no deadline; days are in `time_zone`.
    pub fn public_line(
        &self,
        claimant: Option<&str>,
        as_of: DateTime<Utc>,
        time_zone: &str,
    ) -> String {
        let whom = self
            .contact
            .as_deref()
            .or(claimant)
            .unwrap_or("the claimant");
        let asked_on = format_day(self.contacted_at, time_zone);
        match (&self.reply, self.replied_at) {
            (Some(reply), Some(at)) => {
                let replied_on = format_day(at, time_zone);
                if replied_on == asked_on {
                    format!(
                        "We asked {whom} for comment on {asked_on}; they replied the same day: “{reply}”"
                    )
                } else {
                    format!(
                        "We asked {whom} for comment on {asked_on}; they replied on {replied_on}: “{reply}”"
                    )
                }
            }
            _ => {
                let by = format_day(self.no_reply_by.unwrap_or(as_of), time_zone);
                format!(
                    "We asked {whom} for comment on {asked_on} and had not received a reply by {by}."
                )
            }
        }
    }
}

/// The newsroom's rule that a claim is approved only after someone tried to reach the
/// claimant: the refusal names the claim.
pub fn may_approve(required: bool, attempts: i64, statement: &str) -> Result<(), String> {
    if required && attempts == 0 {
        let short: String = statement.chars().take(80).collect();
        let ellipsis = if statement.chars().count() > 80 {
            "…"
        } else {
            ""
        };
        return Err(format!(
            "“{short}{ellipsis}” cannot be approved yet: this newsroom asks for a logged attempt to reach the claimant for comment first (Right of reply)."
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    fn at(day: u32, hour: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 12, day, hour, 0, 0).unwrap()
    }

    fn attempt() -> Attempt {
        Attempt {
            contacted_at: at(1, 9),
            channel: Channel::Email,
            contact: None,
            asked: " Where does the 4% come from? ".into(),
            reply: None,
            replied_at: None,
            no_reply_by: None,
            publish: true,
        }
    }

    #[test]
    fn approval_waits_for_an_attempt_only_where_the_newsroom_asks() {
        assert!(may_approve(false, 0, "Ukraine started the war").is_ok());
        assert!(may_approve(true, 1, "Ukraine started the war").is_ok());
        let refusal = may_approve(true, 0, "Ukraine started the war").unwrap_err();
        assert!(refusal.starts_with("“Ukraine started the war” cannot be approved yet"));
    }

    #[test]
    fn an_attempt_is_checked_and_trimmed() {
        let ok = attempt().validated(at(2, 0)).unwrap();
        assert_eq!(ok.asked, "Where does the 4% come from?");
        let errors = Attempt {
            asked: "  ".into(),
            reply: Some("We stand by it".into()),
            contacted_at: at(3, 0),
            no_reply_by: Some(at(2, 0)),
            ..attempt()
        }
        .validated(at(2, 0))
        .unwrap_err();
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(
            fields,
            ["asked", "contacted_at", "replied_at", "no_reply_by"]
        );
        let early = Attempt {
            reply: Some("No".into()),
            replied_at: Some(at(1, 8)),
            ..attempt()
        }
        .validated(at(2, 0))
        .unwrap_err();
        assert_eq!(early[0].field, "replied_at");
    }

    #[test]
    fn the_public_line_says_what_came_back() {
        let replied = Attempt {
            reply: Some("The figure is from our own poll.".into()),
            replied_at: Some(at(2, 15)),
            ..attempt()
        };
        assert_eq!(
            replied.public_line(Some("Mr Smith"), at(5, 0), "Europe/Kyiv"),
            "We asked Mr Smith for comment on 1 December 2026; they replied on 2 December 2026: “The figure is from our own poll.”"
        );
        let silent = Attempt {
            contact: Some("his office".into()),
            no_reply_by: Some(at(3, 12)),
            ..attempt()
        };
        assert_eq!(
            silent.public_line(Some("Mr Smith"), at(5, 0), "Europe/Kyiv"),
            "We asked his office for comment on 1 December 2026 and had not received a reply by 3 December 2026."
        );
        // No deadline: as of the day the page was published.
        assert!(
            attempt()
                .public_line(None, at(5, 0), "UTC")
                .ends_with("the claimant for comment on 1 December 2026 and had not received a reply by 5 December 2026.")
        );
    }
}
