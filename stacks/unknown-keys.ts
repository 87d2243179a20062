import { closest, distance } from "fastest-levenshtein";
import { optionalSecretKeys, projectKeys } from "./keys";

/** Every key a stack may set in the project's namespace: those Pulumi.yaml declares and the optional secrets. */
export const knownProjectKeys: readonly string[] = [
  ...Object.keys(projectKeys),
  ...optionalSecretKeys,
];

/** The known key a mistyped one was most likely meant to be, when one is close enough to suggest. */
export function didYouMean(
  key: string,
  known: readonly string[] = knownProjectKeys,
): string | undefined {
  const lowerKnown = known.map((k) => k.toLowerCase());
  const nearest = closest(key.toLowerCase(), lowerKnown);
  // A plural or singular slip, a case slip, or a couple of typos in a longer name.
  const close = distance(key.toLowerCase(), nearest) <= Math.max(2, Math.floor(key.length / 4));
  return close ? known[lowerKnown.indexOf(nearest)] : undefined;
}

/** One problem per key in the project's namespace that the program does not read, with the key it was likely meant as. */
export function unknownKeyProblems(fullKeys: Iterable<string>, project: string): string[] {
  const problems: string[] = [];
  for (const fullKey of fullKeys) {
    if (!fullKey.startsWith(`${project}:`)) continue;
    const key = fullKey.slice(project.length + 1);
    if (knownProjectKeys.includes(key)) continue;
    const suggestion = didYouMean(key);
    problems.push(
      `${fullKey}: unknown key${suggestion ? `; did you mean ${project}:${suggestion}?` : ""} (the keys are declared in Pulumi.yaml; optional secrets: ${optionalSecretKeys.join(", ")})`,
    );
  }
  return problems;
}
