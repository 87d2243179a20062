-- Sessions: one tasting event, on a cupping form. Limits match the API's validation (lambdas/cupping/session-input.ts).

-- True when the text has a character that is not whitespace: the characters of JavaScript's \s, so the database
-- and the API agree on what "blank" means whatever the server's locale.
CREATE FUNCTION has_text(value text) RETURNS boolean
  LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
  RETURN value ~ '[^\t\n\v\f\r \u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff]';

-- Keeps `updated` honest for any change made later, whoever makes it.
CREATE FUNCTION set_updated() RETURNS trigger
  LANGUAGE plpgsql AS $$
BEGIN
  NEW.updated := now();
  RETURN NEW;
END
$$;

CREATE TABLE sessions (
  id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  -- Millisecond precision: what JavaScript dates hold, so a value read back equals the value written.
  created timestamptz(3) NOT NULL DEFAULT now(),
  updated timestamptz(3) NOT NULL DEFAULT now(),
  name text NOT NULL CONSTRAINT sessions_name_length CHECK (char_length(name) <= 127 AND has_text(name)),
  form_name text NOT NULL CONSTRAINT sessions_form_name_length CHECK (char_length(form_name) <= 127 AND has_text(form_name)),
  account_id integer CONSTRAINT sessions_account_id_positive CHECK (account_id > 0),
  user_id integer CONSTRAINT sessions_user_id_positive CHECK (user_id > 0)
);

-- GET /session pages through sessions newest first.
CREATE INDEX sessions_newest_first ON sessions (created DESC, id DESC);

CREATE TRIGGER sessions_set_updated BEFORE UPDATE ON sessions FOR EACH ROW EXECUTE FUNCTION set_updated();
