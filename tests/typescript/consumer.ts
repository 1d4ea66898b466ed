// A small TypeScript consumer of the published bundle: `make check-ts` generates types from
// dist/openapi.yaml with openapi-typescript and type-checks this file with tsc, so a spec
// change that breaks TypeScript generation, or these uses of it, fails CI before a release.
import type { components, operations, paths } from "../../build/ts/roma-connect";

type Page = components["schemas"]["ListInstancesResponse"];
type Instance = components["schemas"]["Instance"];
type ErrorBody = components["schemas"]["ErrorResponse"];
type Query = NonNullable<operations["listInstances"]["parameters"]["query"]>;
type Headers = operations["listInstances"]["parameters"]["header"];
type Ok = paths["/v2/{project_id}/instances"]["get"]["responses"][200]["content"]["application/json"];

export const query: Query = { status: "RUNNING", offset: 0, limit: 20 };
export const headers: Headers = { "X-Auth-Token": "token" };

export function runningNames(page: Ok): string[] {
  return page.instances.filter((i: Instance) => i.status === "RUNNING").map((i) => i.name);
}

export function describe(error: ErrorBody): string {
  return `${error.error_code}: ${error.error_msg} (${error.request_id ?? "no request id"})`;
}

export const page: Page = {
  total: 1,
  size: 1,
  instances: [{ id: "e34610ca", name: "roma-test", status: "RUNNING", flavor_type: "basic" }],
};

// The generated types must be precise enough to refuse these (tsc fails if they are accepted).
// @ts-expect-error "Basic" is not a documented flavor_type value
export const wrongFlavor: Instance["flavor_type"] = "Basic";
// @ts-expect-error total is an integer, not a string
export const wrongTotal: Page["total"] = "1";
// @ts-expect-error an instance needs its id, name and status
export const incomplete: Instance = { id: "x" };
