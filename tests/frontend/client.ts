// A small typed client for planspor, written only against the types that
// openapi-typescript generates from openapi/openapi.json. It is type-checked
// (`tsc -p .`), never executed: it proves that a frontend can use the contract
// as-is. If a path, a schema or a field it uses changes, type-checking fails.

import type { components, paths } from "./generated/api";

type Schemas = components["schemas"];

export type OrganizationInput = Schemas["OrganizationInput"];
export type Organization = Schemas["Organization"];
export type PlanInput = Schemas["PlanInput"];
// What the API answers for a plan: its fields and the moves the caller may make.
export type Plan = Schemas["PlanView"];
export type PlanTree = Schemas["PlanTree"];
export type Problem = Schemas["Problem"];

// Types taken from `paths`, so that renaming one of these routes (or changing
// its status code, media type or body) breaks type-checking here.
type CreateOrganization = paths["/api/v1/organizations"]["post"];
type CreatePlan = paths["/api/v1/organizations/{organization_id}/plans"]["post"];
type GetPlan = paths["/api/v1/plans/{plan_id}"]["get"];
type GetPlanTree = paths["/api/v1/plans/{plan_id}/tree"]["get"];

type CreateOrganizationBody = CreateOrganization["requestBody"]["content"]["application/json"];
type CreateOrganizationResponse = CreateOrganization["responses"][201]["content"]["application/json"];
type CreatePlanBody = CreatePlan["requestBody"]["content"]["application/json"];
type CreatePlanResponse = CreatePlan["responses"][201]["content"]["application/json"];
type OrganizationIdParam = CreatePlan["parameters"]["path"]["organization_id"];
type PlanIdParam = GetPlan["parameters"]["path"]["plan_id"];
type GetPlanResponse = GetPlan["responses"][200]["content"]["application/json"];
type GetPlanTreeResponse = GetPlanTree["responses"][200]["content"]["application/json"];
type NotFoundBody = GetPlan["responses"][404]["content"]["application/problem+json"];
type UnauthorizedBody = GetPlan["responses"][401]["content"]["application/problem+json"];

// Compile-time checks that each operation uses the schema the client exposes.
type Equals<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
type Assert<T extends true> = T;
export type ContractChecks = [
  Assert<Equals<CreateOrganizationBody, OrganizationInput>>,
  Assert<Equals<CreateOrganizationResponse, Organization>>,
  Assert<Equals<CreatePlanBody, PlanInput>>,
  Assert<Equals<CreatePlanResponse, Plan>>,
  Assert<Equals<GetPlanResponse, Plan>>,
  Assert<Equals<GetPlanTreeResponse, PlanTree>>,
  Assert<Equals<NotFoundBody, Problem>>,
  Assert<Equals<UnauthorizedBody, Problem>>,
  Assert<Equals<OrganizationIdParam, Organization["id"]>>,
  Assert<Equals<PlanIdParam, Plan["id"]>>,
];

/** An error response from the API, carrying its RFC 9457 problem document. */
export class ProblemError extends Error {
  readonly problem: Problem;

  constructor(problem: Problem) {
    super(`${problem.status} ${problem.title}: ${problem.detail}`);
    this.name = "ProblemError";
    this.problem = problem;
  }

  get status(): number {
    return this.problem.status;
  }
}

function isProblem(value: unknown): value is Problem {
  if (typeof value !== "object" || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    typeof v["type"] === "string" &&
    typeof v["title"] === "string" &&
    typeof v["status"] === "number" &&
    typeof v["detail"] === "string"
  );
}

async function toProblem(response: Response): Promise<Problem> {
  const text = await response.text();
  const contentType = response.headers.get("Content-Type") ?? "";
  if (contentType.includes("json")) {
    try {
      const body: unknown = JSON.parse(text);
      if (isProblem(body)) return body;
    } catch {
      // Not JSON after all: fall through to a generic problem.
    }
  }
  // Not planspor's answer (a proxy or gateway in between): the closest kind.
  return {
    type: response.status >= 500 ? "/problems/unavailable" : "/problems/bad-request",
    title: response.statusText || "HTTP error",
    status: response.status,
    detail: text.slice(0, 500),
  };
}

/** Where the API is and the bearer token to call it with (`planspor admin issue-token`). */
export interface Api {
  baseUrl: string;
  token: string;
}

async function send<T>(
  api: Api,
  method: "GET" | "POST",
  path: string,
  body?: unknown,
): Promise<T> {
  const headers: Record<string, string> = {
    Accept: "application/json, application/problem+json",
    Authorization: `Bearer ${api.token}`,
  };
  const init: RequestInit = { method, headers };
  if (body !== undefined) {
    headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  const response = await fetch(new URL(path, api.baseUrl), init);
  if (!response.ok) {
    throw new ProblemError(await toProblem(response));
  }
  return (await response.json()) as T;
}

/** POST /api/v1/organizations */
export function createOrganization(
  api: Api,
  input: CreateOrganizationBody,
): Promise<CreateOrganizationResponse> {
  return send<CreateOrganizationResponse>(api, "POST", "/api/v1/organizations", input);
}

/** POST /api/v1/organizations/{organization_id}/plans — the new plan is a draft. */
export function createPlan(
  api: Api,
  organizationId: OrganizationIdParam,
  input: PlanInput,
): Promise<Plan> {
  const path = `/api/v1/organizations/${encodeURIComponent(organizationId)}/plans`;
  return send<CreatePlanResponse>(api, "POST", path, input);
}

/** GET /api/v1/plans/{plan_id} */
export function getPlan(api: Api, id: PlanIdParam): Promise<GetPlanResponse> {
  return send<GetPlanResponse>(api, "GET", `/api/v1/plans/${encodeURIComponent(id)}`);
}

/** GET /api/v1/plans/{plan_id}/tree — the plan with its focus areas, initiatives and indicators. */
export function getPlanTree(api: Api, id: PlanIdParam): Promise<GetPlanTreeResponse> {
  return send<GetPlanTreeResponse>(api, "GET", `/api/v1/plans/${encodeURIComponent(id)}/tree`);
}

/** Example use; only type-checked, never run. */
export async function main(token: string, baseUrl = "http://127.0.0.1:8080"): Promise<void> {
  const api: Api = { baseUrl, token };
  try {
    const organization = await createOrganization(api, {
      name: "Slagelse Kommune",
      kind: "municipality",
      municipality_code: "330",
    });

    const input: PlanInput = {
      title: "Udviklingsplan 2021–2023",
      description: "Udviklingsplan for myndighedsområdet, børn og unge",
      period_start: "2021-03-01",
      period_end: "2023-03-01",
    };
    const created = await createPlan(api, organization.id, input);
    if (created.status !== "draft") {
      throw new Error(`a new plan should be a draft, got ${created.status}`);
    }

    const plan = await getPlan(api, created.id);
    const tree = await getPlanTree(api, plan.id);

    console.log(`${organization.name} (${organization.municipality_code ?? "-"}): ${plan.title}`);
    console.log(`${plan.period_start}–${plan.period_end}, version ${plan.version}`);
    for (const area of tree.focus_areas) {
      console.log(`- focus area ${area.title}`);
    }
    console.log(`${tree.indicators.length} plan-level indicators`);
  } catch (error) {
    if (error instanceof ProblemError) {
      console.error(`${error.problem.title} (${error.status}): ${error.problem.detail}`);
      for (const field of error.problem.errors ?? []) {
        console.error(`  ${field.field}: ${field.message}`);
      }
      return;
    }
    throw error;
  }
}
