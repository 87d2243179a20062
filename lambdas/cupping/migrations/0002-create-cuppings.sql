-- Cuppings: one coffee tasted in a session. Limits match the API's validation (lambdas/cupping/session-input.ts).

-- True for a list (possibly empty) of non-blank texts of at most 64 characters each.
CREATE FUNCTION are_short_texts(items text[]) RETURNS boolean
  LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
  RETURN coalesce(array_ndims(items), 1) = 1
    AND (SELECT coalesce(bool_and(item IS NOT NULL AND char_length(item) <= 64 AND has_text(item)), true) FROM unnest(items) AS item);

-- True for a JSON object of at least one score: a non-blank name of at most 64 characters mapped to a number.
CREATE FUNCTION are_cupping_scores(scores jsonb) RETURNS boolean
  LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
  RETURN jsonb_typeof(scores) = 'object'
    AND scores <> '{}'::jsonb
    AND (SELECT bool_and(jsonb_typeof(entry.value) = 'number' AND char_length(entry.key) <= 64 AND has_text(entry.key))
         FROM jsonb_each(CASE WHEN jsonb_typeof(scores) = 'object' THEN scores ELSE '{}'::jsonb END) AS entry);

CREATE TABLE cuppings (
  id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  session_id integer NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
  created timestamptz(3) NOT NULL DEFAULT now(),
  updated timestamptz(3) NOT NULL DEFAULT now(),
  name text NOT NULL CONSTRAINT cuppings_name_length CHECK (char_length(name) <= 128 AND has_text(name)),
  scores jsonb NOT NULL CONSTRAINT cuppings_scores_valid CHECK (are_cupping_scores(scores)),
  -- Plain numeric, not numeric(4,1): a second decimal is refused rather than silently rounded.
  overall_score numeric NOT NULL
    CONSTRAINT cuppings_overall_score_range CHECK (overall_score BETWEEN 0 AND 100 AND overall_score = round(overall_score, 1)),
  descriptors text[] NOT NULL DEFAULT '{}' CONSTRAINT cuppings_descriptors_valid CHECK (are_short_texts(descriptors)),
  defects text[] NOT NULL DEFAULT '{}' CONSTRAINT cuppings_defects_valid CHECK (are_short_texts(defects)),
  notes text CONSTRAINT cuppings_notes_length CHECK (char_length(notes) <= 255),
  is_sample boolean NOT NULL DEFAULT false
);

-- Reading a session's cuppings, and the cascade when a session is deleted.
CREATE INDEX cuppings_session_id ON cuppings (session_id, id);

CREATE TRIGGER cuppings_set_updated BEFORE UPDATE ON cuppings FOR EACH ROW EXECUTE FUNCTION set_updated();
