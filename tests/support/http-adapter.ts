// Moved to tooling/local/http-adapter.ts; this re-export keeps older imports working for now.
export * from "../../tooling/local/http-adapter";
