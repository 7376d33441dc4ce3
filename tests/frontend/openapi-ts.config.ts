// @hey-api/openapi-ts: a fetch client and SDK from the contract, into
// generated/hey-api/. scripts/check-contract.sh sets OPENAPI_FILE to the
// contract it checks (an absolute path); alone, it reads openapi/openapi.json.
import { defineConfig } from "@hey-api/openapi-ts";

export default defineConfig({
  input: process.env["OPENAPI_FILE"] ?? "../../openapi/openapi.json",
  output: { path: "generated/hey-api" },
  // An error log, if any, goes beside the others (gitignored), not into tests/frontend/.
  logs: { path: "generated/logs" },
  plugins: ["@hey-api/client-fetch", "@hey-api/typescript", "@hey-api/sdk"],
});
