import {
  startRecordingServer,
  type RecordedRequest,
  type RecordingServer,
  type Reply,
} from "./slack-server";

/** A tagged resource as the stand-in holds it. */
export interface TaggedResource {
  readonly arn: string;
  readonly tags: Readonly<Record<string, string>>;
}

/** A stand-in for the Resource Groups Tagging API's GetResources (AWS JSON 1.1 protocol), on 127.0.0.1. */
export interface TaggingServer extends RecordingServer {
  /** The resources the account holds now; a test changes it between calls. */
  resources: TaggedResource[];
  /** An error type to answer every call with (AccessDeniedException, ThrottlingException, ...); undefined answers. */
  refuseWith?: string;
  /** The GetResources request bodies, in order. */
  readonly calls: ReadonlyArray<{
    TagFilters?: Array<{ Key: string; Values?: string[] }>;
    PaginationToken?: string;
    ResourcesPerPage?: number;
  }>;
}

const target = "ResourceGroupsTaggingAPI_20170126.GetResources";
const json = (status: number, value: unknown): Reply => ({
  status,
  headers: { "Content-Type": "application/x-amz-json-1.1" },
  body: JSON.stringify(value),
});

/**
 * Answers as AWS documents GetResources: resources matching every tag filter (a key and any of its values), at most
 * `pageSize` a page whatever ResourcesPerPage asks, and a PaginationToken while more remain ("" on the last page).
 */
export async function startTaggingServer(pageSize = 100): Promise<TaggingServer> {
  const state: { resources: TaggedResource[]; refuseWith?: string } = { resources: [] };
  const calls: TaggingServer["calls"][number][] = [];
  const answer = (request: RecordedRequest): Reply => {
    if (request.method !== "POST" || request.headers["x-amz-target"] !== target)
      return json(400, { __type: "UnknownOperationException" });
    if (!String(request.headers.authorization ?? "").startsWith("AWS4-HMAC-SHA256 "))
      return json(403, { __type: "MissingAuthenticationTokenException", message: "not signed" });
    if (state.refuseWith)
      return json(400, { __type: state.refuseWith, Message: `refused: ${state.refuseWith}` });
    const body = JSON.parse(request.body || "{}") as TaggingServer["calls"][number];
    calls.push(body);
    const matches = state.resources.filter((r) =>
      (body.TagFilters ?? []).every(
        (f) => f.Key in r.tags && (!f.Values?.length || f.Values.includes(r.tags[f.Key])),
      ),
    );
    const start = body.PaginationToken ? Number(body.PaginationToken.replace(/^page-/, "")) : 0;
    if (!Number.isInteger(start))
      return json(400, { __type: "InvalidParameterException", Message: "bad PaginationToken" });
    const size = Math.min(body.ResourcesPerPage ?? 100, pageSize);
    const page = matches.slice(start, start + size);
    return json(200, {
      PaginationToken: start + size < matches.length ? `page-${start + size}` : "",
      ResourceTagMappingList: page.map((r) => ({
        ResourceARN: r.arn,
        Tags: Object.entries(r.tags).map(([Key, Value]) => ({ Key, Value })),
      })),
    });
  };
  const server = await startRecordingServer(answer);
  // Accessors, not Object.assign: a test's later assignment must reach the state the handler reads.
  return Object.defineProperties(server, {
    resources: {
      get: () => state.resources,
      set: (value: TaggedResource[]) => void (state.resources = value),
    },
    refuseWith: {
      get: () => state.refuseWith,
      set: (value: string | undefined) => void (state.refuseWith = value),
    },
    calls: { value: calls },
  }) as TaggingServer;
}
