package models

// InputStatus is where an input request stands.
type InputStatus string

// The states of an input request.
const (
	InputRequested        InputStatus = "requested"         // the mentee asked; the mentor has not drafted yet
	InputDrafted          InputStatus = "drafted"           // a draft waits for the mentee
	InputChangesRequested InputStatus = "changes_requested" // the mentee asked the mentor to change the draft
	InputApproved         InputStatus = "approved"          // the recipient reads the approved text
	InputRefused          InputStatus = "refused"           // the mentee refused the draft: nothing is shared
	InputWithdrawn        InputStatus = "withdrawn"         // the mentee withdrew the request before a draft
	InputRevoked          InputStatus = "revoked"           // the mentee ended the sharing
	InputExpired          InputStatus = "expired"           // the date passed
)

// InputAction is a step on an input request.
type InputAction string

// The steps, each taken by one party.
const (
	StepDraft      InputAction = "draft"       // mentor: send a (new) draft to the mentee
	StepAskChanges InputAction = "ask_changes" // mentee: ask for changes, with a comment
	StepApprove    InputAction = "approve"     // mentee: approve the exact draft; it is shared
	StepRefuse     InputAction = "refuse"      // mentee: refuse; nothing is shared
	StepWithdraw   InputAction = "withdraw"    // mentee: withdraw the request before a draft
	StepRevoke     InputAction = "revoke"      // mentee: end the sharing
	StepExpire     InputAction = "expire"      // the clock: the date passed
)

// InputParty is who takes a step.
type InputParty string

// The parties of an input request.
const (
	PartyMentee InputParty = "mentee"
	PartyMentor InputParty = "mentor"
	PartyClock  InputParty = "clock"
)

// inputTransition is one allowed step: who takes it and where it leads.
type inputTransition struct {
	By InputParty
	To InputStatus
}

// inputTransitions is the whole state machine; a step not listed is refused.
// A mentor who edits an approved text sends a new draft: the recipient sees
// nothing until the mentee approves that version.
var inputTransitions = map[InputStatus]map[InputAction]inputTransition{
	InputRequested: {
		StepDraft:    {PartyMentor, InputDrafted},
		StepWithdraw: {PartyMentee, InputWithdrawn},
	},
	InputDrafted: {
		StepDraft:      {PartyMentor, InputDrafted},
		StepAskChanges: {PartyMentee, InputChangesRequested},
		StepApprove:    {PartyMentee, InputApproved},
		StepRefuse:     {PartyMentee, InputRefused},
	},
	InputChangesRequested: {
		StepDraft:  {PartyMentor, InputDrafted},
		StepRefuse: {PartyMentee, InputRefused},
	},
	InputApproved: {
		StepDraft:  {PartyMentor, InputDrafted},
		StepRevoke: {PartyMentee, InputRevoked},
		StepExpire: {PartyClock, InputExpired},
	},
}

// NextInputStatus is the state after party takes step act in state from, or
// an error naming why the step is refused.
func NextInputStatus(from InputStatus, act InputAction, party InputParty) (InputStatus, error) {
	t, ok := inputTransitions[from][act]
	if !ok || t.By != party {
		return from, fieldErr("_form", "input_step_refused")
	}
	return t.To, nil
}

// Steps lists what party may do in state s, by the step's name, for the
// page's buttons.
func (s InputStatus) Steps(party InputParty) map[string]bool {
	out := map[string]bool{}
	for act, t := range inputTransitions[s] {
		if t.By == party {
			out[string(act)] = true
		}
	}
	return out
}

// Open reports whether the request is still under way (not approved, not ended).
func (s InputStatus) Open() bool {
	return s == InputRequested || s == InputDrafted || s == InputChangesRequested
}
