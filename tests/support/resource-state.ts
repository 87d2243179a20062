// Moved to tooling/mocks/resource-state.ts; this re-export keeps older imports working for now.
export * from "../../tooling/mocks/resource-state";
