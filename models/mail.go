package models

// Mail kinds: reminders derived from state, and notices of changes.
const (
	MailMeeting7d      = "meeting_7d"
	MailMeeting1d      = "meeting_1d"
	MailOneOnOne1d     = "one_on_one_1d"
	MailActionDue      = "action_due"
	MailMeetingChanged = "meeting_changed"
	MailMeetingCancel  = "meeting_cancelled"
	MailCallForCases   = "call_for_cases"
	MailPollWaiting    = "poll_waiting"
	MailSeriesEnding   = "series_ending"
	MailEvaluation     = "evaluation"
	MailMentorChanged  = "mentor_changed"
)

// ReminderKinds are the kinds a person can switch off.
var ReminderKinds = []string{MailMeeting7d, MailMeeting1d, MailOneOnOne1d, MailActionDue, MailMeetingChanged,
	MailCallForCases, MailPollWaiting, MailSeriesEnding, MailEvaluation}
