// Moved to tooling/mocks/invokes.ts; this re-export keeps older imports working for now.
export * from "../../tooling/mocks/invokes";
