-- A grievance's answer names the registry action it led to: a signed decision of the person concerned (a correction,
-- a resumption, a late approval whose back pay the next run pays), or a proposal still waiting for the decider (its
-- decision is found through decision.proposal_id once signed). The free-text reference stays for referrals and for
-- grievances about nobody in the registry.
ALTER TABLE grievance ADD COLUMN action_decision_id bigint REFERENCES decision (id);
ALTER TABLE grievance ADD COLUMN action_proposal_id bigint REFERENCES change_proposal (id);
ALTER TABLE grievance ADD CONSTRAINT grievance_one_action_link CHECK (action_decision_id IS NULL OR action_proposal_id IS NULL);
ALTER TABLE grievance ADD CONSTRAINT grievance_link_needs_person CHECK ((action_decision_id IS NULL AND action_proposal_id IS NULL) OR person_id IS NOT NULL);
