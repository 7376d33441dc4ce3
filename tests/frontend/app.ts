// A small frontend-side program on planspor's contract: an openapi-fetch client
// typed only by what openapi-typescript generates from openapi/openapi.json
// (generated/openapi-typescript/api.d.ts). It takes no shortcut past the types:
// scripts/check-contract.sh refuses type assertions, non-null assertions and the
// unchecked type in this file, and it compiles under `strict`,
// `noUncheckedIndexedAccess` and `exactOptionalPropertyTypes`.
//
// Run against a live service (the token must be an administrator's, since it
// creates an organization):
//   PLANSPOR_BASE_URL=http://127.0.0.1:8080 PLANSPOR_TOKEN=... node out/app.js
// after `tsc -p tests/frontend` has compiled it to tests/frontend/out/.

import { writeFile } from "node:fs/promises";
import { pathToFileURL } from "node:url";

import createClient from "openapi-fetch";

import type { components, paths } from "./generated/openapi-typescript/api.js";

type Schemas = components["schemas"];
export type Problem = Schemas["Problem"];
export type PlanApi = ReturnType<typeof createClient<paths>>;

// --- Compile-time checks: each operation uses the schema a frontend expects --

type Equals<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
type Assert<T extends true> = T;
type Json<Op, Status extends number> = Op extends { responses: Record<Status, { content: { "application/json": infer B } }> }
  ? B
  : never;
type Body<Op> = Op extends { requestBody: { content: { "application/json": infer B } } } ? B : never;
type CreateOrganization = paths["/api/v1/organizations"]["post"];
type CreatePlan = paths["/api/v1/organizations/{organization_id}/plans"]["post"];
type GetPlan = paths["/api/v1/plans/{plan_id}"]["get"];
type ExportReportPdf = paths["/api/v1/status-reports/{status_report_id}/export/pdf"]["get"];
type GetInitiative = paths["/api/v1/initiatives/{initiative_id}"]["get"];
type CreateStatusReport = paths["/api/v1/plans/{plan_id}/status-reports"]["post"];
export type ContractChecks = [
  Assert<Equals<Body<CreateOrganization>, Schemas["OrganizationInput"]>>,
  Assert<Equals<Json<CreateOrganization, 201>, Schemas["Organization"]>>,
  Assert<Equals<Body<CreatePlan>, Schemas["PlanInput"]>>,
  Assert<Equals<Json<CreatePlan, 201>, Schemas["PlanView"]>>,
  Assert<Equals<Json<GetPlan, 200>, Schemas["PlanView"]>>,
  Assert<Equals<CreatePlan["parameters"]["path"]["organization_id"], Schemas["Organization"]["id"]>>,
  Assert<Equals<GetPlan["parameters"]["path"]["plan_id"], Schemas["PlanView"]["id"]>>,
  Assert<Equals<GetPlan["responses"][404]["content"]["application/problem+json"], Problem>>,
  Assert<Equals<keyof ExportReportPdf["responses"][200]["content"], "application/pdf">>,
  // The ETags this program sends back in If-Match are promised, not optional.
  Assert<Equals<GetInitiative["responses"][200]["headers"]["ETag"], string>>,
  Assert<Equals<CreateStatusReport["responses"][201]["headers"]["ETag"], string>>,
];

// --- Errors -------------------------------------------------------------------

function isProblem(value: unknown): value is Problem {
  return (
    typeof value === "object" &&
    value !== null &&
    "type" in value &&
    typeof value.type === "string" &&
    "title" in value &&
    typeof value.title === "string" &&
    "status" in value &&
    typeof value.status === "number" &&
    "detail" in value &&
    typeof value.detail === "string"
  );
}

/** A refused request: what was tried, the HTTP status and, from planspor, its RFC 9457 problem. */
export class ApiError extends Error {
  readonly status: number;
  readonly problem: Problem | null;

  constructor(what: string, response: Response, body: unknown) {
    const problem = isProblem(body) ? body : null;
    const summary = problem === null ? response.statusText : `${problem.title}: ${problem.detail}`;
    super(`${what}: ${response.status} ${summary}`);
    this.name = "ApiError";
    this.status = response.status;
    this.problem = problem;
  }
}

/** The body of a successful answer, or an ApiError with the problem of a failed one. */
function need<T>(
  what: string,
  result: { data: T; error?: never; response: Response } | { data?: never; error: unknown; response: Response },
): T {
  if (result.data === undefined) {
    throw new ApiError(what, result.response, result.error);
  }
  return result.data;
}

/** The ETag an answer carries; every single resource has one. */
function etagOf(what: string, response: Response): string {
  const etag = response.headers.get("ETag");
  if (etag === null) {
    throw new Error(`${what}: the answer has no ETag`);
  }
  return etag;
}

// --- The program --------------------------------------------------------------

export interface Settings {
  /** Where the service is, e.g. http://127.0.0.1:8080 (the paths carry /api/v1). */
  baseUrl: string;
  /** A bearer token (`planspor admin issue-token`), an administrator's. */
  token: string;
  /** Where to save the status report's PDF; not saved when null. */
  pdfPath: string | null;
}

/** Settings from PLANSPOR_BASE_URL (default http://127.0.0.1:8080), PLANSPOR_TOKEN and PLANSPOR_PDF. */
export function settingsFromEnv(env: NodeJS.ProcessEnv = process.env): Settings {
  const token = env["PLANSPOR_TOKEN"];
  if (token === undefined || token === "") {
    throw new Error("set PLANSPOR_TOKEN to an administrator's bearer token");
  }
  return {
    baseUrl: env["PLANSPOR_BASE_URL"] ?? "http://127.0.0.1:8080",
    token,
    pdfPath: env["PLANSPOR_PDF"] ?? null,
  };
}

export function connect(settings: Settings): PlanApi {
  return createClient<paths>({
    baseUrl: settings.baseUrl,
    headers: { Authorization: `Bearer ${settings.token}` },
  });
}

/** A three-digit municipality code no organization uses yet, from 999 down. */
async function freeMunicipalityCode(api: PlanApi): Promise<string> {
  const used = new Set<string>();
  let cursor: string | null = null;
  do {
    const query: { limit: number; cursor?: string } = cursor === null ? { limit: 500 } : { limit: 500, cursor };
    const page = need("list organizations", await api.GET("/api/v1/organizations", { params: { query } }));
    for (const organization of page.items) {
      if (organization.municipality_code !== null) used.add(organization.municipality_code);
    }
    cursor = page.next_cursor;
  } while (cursor !== null);
  for (let code = 999; code >= 100; code -= 1) {
    if (!used.has(String(code))) return String(code);
  }
  throw new Error("every municipality code from 100 to 999 is taken");
}

/** The cursor at the end of the event feed: what happened so far is skipped. */
async function endOfFeed(api: PlanApi): Promise<string | null> {
  let after: string | null = null;
  for (;;) {
    const query: { limit: number; after?: string } = after === null ? { limit: 500 } : { limit: 500, after };
    const page = need("read the event feed", await api.GET("/api/v1/events", { params: { query } }));
    after = page.next_cursor ?? after;
    if (!page.has_more) return after;
  }
}

/** Follows the feed after `after`, long-polling up to `wait` seconds, until `enough` events came or a poll is empty. */
async function follow(api: PlanApi, after: string | null, enough: number, wait: number): Promise<Schemas["Event"][]> {
  const seen: Schemas["Event"][] = [];
  let cursor = after;
  while (seen.length < enough) {
    const query: { limit: number; wait: number; after?: string } =
      cursor === null ? { limit: 500, wait } : { limit: 500, wait, after: cursor };
    const page = need("follow the event feed", await api.GET("/api/v1/events", { params: { query } }));
    if (page.items.length === 0) break;
    seen.push(...page.items);
    cursor = page.next_cursor ?? cursor;
  }
  return seen;
}

export async function main(settings: Settings = settingsFromEnv()): Promise<void> {
  const api = connect(settings);

  // The plans this token may read.
  const plans = need("list plans", await api.GET("/api/v1/plans", { params: { query: { limit: 10 } } }));
  console.log(`plans readable: ${plans.items.length}${plans.next_cursor === null ? "" : " and more"}`);
  for (const plan of plans.items) {
    console.log(`  ${plan.title} (${plan.status}, ${plan.period_start}–${plan.period_end})`);
  }

  // An organization and a draft plan in it.
  const code = await freeMunicipalityCode(api);
  const organization = need(
    "create an organization",
    await api.POST("/api/v1/organizations", {
      body: { name: `Kontraktkommune ${code}`, kind: "municipality", municipality_code: code },
    }),
  );
  const plan = need(
    "create a plan",
    await api.POST("/api/v1/organizations/{organization_id}/plans", {
      params: { path: { organization_id: organization.id } },
      body: {
        title: "Udviklingsplan for børn og unge",
        description: "Oprettet af kontrakttjekket i tests/frontend",
        period_start: "2021-03-01",
        period_end: "2023-03-01",
      },
    }),
  );
  console.log(`created ${organization.name} and plan ${plan.id} (${plan.status})`);

  // A focus area with an initiative.
  const focusArea = need(
    "create a focus area",
    await api.POST("/api/v1/plans/{plan_id}/focus-areas", {
      params: { path: { plan_id: plan.id } },
      body: {
        position: 6,
        title: "Børnefaglig undersøgelse",
        objective: "At børnefaglige undersøgelser afsluttes inden for 4 måneder",
        legal_reference: "Barnets Lov § 20, stk. 3",
      },
    }),
  );
  const initiative = need(
    "create an initiative",
    await api.POST("/api/v1/focus-areas/{focus_area_id}/initiatives", {
      params: { path: { focus_area_id: focusArea.id } },
      body: {
        title: "Fristoverblik for alle undersøgelser",
        owner: "Myndighedsafdelingen",
        start_date: "2021-04-01",
        due_date: "2021-12-31",
        status: "in_progress",
      },
    }),
  );

  // Read it, then change it with the ETag read: no one's edit is overwritten.
  const read = await api.GET("/api/v1/initiatives/{initiative_id}", {
    params: { path: { initiative_id: initiative.id } },
  });
  const current = need("read the initiative", read);
  const done = need(
    "mark the initiative done",
    await api.PATCH("/api/v1/initiatives/{initiative_id}", {
      params: {
        path: { initiative_id: current.id },
        header: { "If-Match": etagOf("read the initiative", read.response) },
      },
      body: { status: "done" },
    }),
  );
  console.log(`initiative "${done.title}": ${current.status} -> ${done.status} (version ${done.version})`);

  // An indicator to measure, then a quarter's values in one call while the feed is followed.
  const indicator = need(
    "create an indicator",
    await api.POST("/api/v1/plans/{plan_id}/indicators", {
      params: { path: { plan_id: plan.id } },
      body: {
        focus_area_id: focusArea.id,
        initiative_id: initiative.id,
        name: "Andel undersøgelser afsluttet inden for 4 måneder",
        unit: "percent",
        direction: "increase",
        baseline_value: 62.5,
        target_value: 95,
        frequency: "quarterly",
      },
    }),
  );
  const cursor = await endOfFeed(api);
  const batch = need(
    "record the quarter's measurements",
    await api.POST("/api/v1/plans/{plan_id}/measurements", {
      params: { path: { plan_id: plan.id } },
      body: {
        measurements: [
          { indicator_id: indicator.id, period_end: "2021-06-30", value: 71.5 },
          { indicator_id: indicator.id, period_end: "2021-09-30", value: 87.5, note: "Nyt fristoverblik i brug" },
        ],
      },
    }),
  );
  console.log(`measurements: ${batch.created} created, ${batch.updated} updated, ${batch.unchanged} unchanged`);
  const events = await follow(api, cursor, batch.created + batch.updated, 5);
  for (const event of events) {
    console.log(`  event ${event.action} ${event.entity_type} ${event.entity_id} (version ${event.version ?? "-"})`);
  }

  // A status report, published with the ETag it was created with, and its PDF.
  const created = await api.POST("/api/v1/plans/{plan_id}/status-reports", {
    params: { path: { plan_id: plan.id } },
    body: { title: "Status 3. kvartal 2021", as_of: "2021-10-01" },
  });
  const draft = need("create a status report", created);
  const published = need(
    "publish the status report",
    await api.POST("/api/v1/status-reports/{status_report_id}/publish", {
      params: {
        path: { status_report_id: draft.id },
        header: { "If-Match": etagOf("create a status report", created.response) },
      },
    }),
  );
  console.log(`status report "${published.title}" is ${published.state} (${published.published_at ?? "not yet"})`);

  const pdf: Blob = need(
    "download the report's PDF",
    await api.GET("/api/v1/status-reports/{status_report_id}/export/pdf", {
      params: { path: { status_report_id: published.id } },
      parseAs: "blob",
    }),
  );
  console.log(`PDF: ${pdf.size} bytes (${pdf.type})`);
  if (settings.pdfPath !== null) {
    await writeFile(settings.pdfPath, new Uint8Array(await pdf.arrayBuffer()));
    console.log(`saved to ${settings.pdfPath}`);
  }
}

// Runs main() when started with node (not when imported).
const started = process.argv[1];
if (started !== undefined && import.meta.url === pathToFileURL(started).href) {
  main().catch((error: unknown) => {
    if (error instanceof ApiError && error.problem !== null) {
      console.error(`${error.message}`);
      for (const field of error.problem.errors ?? []) {
        console.error(`  ${field.field} (${field.code}): ${field.message}`);
      }
    } else {
      console.error(error);
    }
    process.exitCode = 1;
  });
}
