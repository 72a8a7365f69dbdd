-- Why a run was returned (lib/core/outcomes.ts RETURN_REASONS): consent-declined, screened-out,
-- practice-failed or withdrawn; null for runs that were not returned.
ALTER TABLE "Run" ADD COLUMN "statusReason" TEXT;

-- Key of the study's pseudonymised participant ids in shareable exports (HMAC-SHA-256 of the
-- external id); set by the server on the first export, never exported itself.
ALTER TABLE "Study" ADD COLUMN "pseudonymSecret" TEXT;
