// orval: a fetch client (no react-query) from the contract, into
// generated/orval/. scripts/check-contract.sh sets OPENAPI_FILE to the
// contract it checks (an absolute path); alone, it reads openapi/openapi.json.
import { defineConfig } from "orval";

export default defineConfig({
  planspor: {
    input: { target: process.env["OPENAPI_FILE"] ?? "../../openapi/openapi.json" },
    output: {
      target: "generated/orval/planspor.ts",
      schemas: "generated/orval/model",
      client: "fetch",
      mode: "split",
      clean: true,
      // Header parameters (If-Match, Idempotency-Key) become arguments.
      headers: true,
    },
  },
});
