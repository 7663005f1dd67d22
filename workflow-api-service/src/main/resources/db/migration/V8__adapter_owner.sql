-- Who registered an adapter (the subject of its client's token): only they renew, use and remove
-- it (issue 15). Registrations from before have none and are taken by the next registration.
ALTER TABLE adapters ADD COLUMN registered_by text;
