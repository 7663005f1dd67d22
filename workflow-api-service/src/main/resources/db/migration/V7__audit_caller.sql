-- Who is behind an audit record's actor name, when a request made it (issue 15): the token's
-- subject and the client it was issued to. Records written before have neither.
ALTER TABLE audit_log ADD COLUMN actor_subject text, ADD COLUMN actor_client_id text;
