// A small GraphQL-over-HTTP client for Skein's /graphql endpoint.
import { timeState } from './timestate';
import type {
  Community, EntityDetail, EntityNode, EntityScore, LinkDetail, LinkEdge, Path, SearchResult, SourceRef, Subgraph,
} from './types';

/** An error reported by the API, with its extensions.code when there is one. */
export class ApiError extends Error {
  readonly code: string;
  constructor(message: string, code: string) {
    super(message);
    this.name = 'ApiError';
    this.code = code;
  }
}

interface GraphQLResponse<T> {
  data?: T | null;
  errors?: { message: string; extensions?: { code?: string } }[];
}

// Every query that draws entities or links is asked as of the chart's date
// (timestate.ts): the links and designations in force then. A query using
// NODE declares $asOf and passes at(vars).
const NODE = 'id kind name sanctioned(asOf: $asOf) countries';
/** A link as the chart draws it; its properties hold the typed fields its label shows (kinds.ts linkSummary). */
const EDGE = 'id type role startDate endDate properties { key value } source { id } target { id }';
const SOURCES = 'sources { quote document { id title path } }';

/** The variables with the chart's as-of date (null: no date, every link). */
export function at(vars: Record<string, unknown>): Record<string, unknown> {
  return { ...vars, asOf: timeState().asOf };
}

export async function gql<T>(query: string, variables: Record<string, unknown> = {}, signal?: AbortSignal): Promise<T> {
  let res: Response;
  try {
    res = await fetch('/graphql', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify({ query, variables }),
      signal,
    });
  } catch (err) {
    if (err instanceof DOMException && err.name === 'AbortError') throw err;
    throw new ApiError('The Skein server cannot be reached.', 'NETWORK');
  }
  let body: GraphQLResponse<T>;
  try {
    body = (await res.json()) as GraphQLResponse<T>;
  } catch {
    throw new ApiError(`The server answered ${res.status} ${res.statusText}.`, 'HTTP');
  }
  if (body.errors && body.errors.length > 0) {
    const first = body.errors[0];
    throw new ApiError(first.message, first.extensions?.code ?? 'INTERNAL');
  }
  if (!body.data) throw new ApiError(`The server answered ${res.status} without data.`, 'HTTP');
  return body.data;
}

export async function search(query: string, first: number, signal?: AbortSignal, after?: string): Promise<SearchResult> {
  const d = await gql<{ search: SearchResult }>(
    `query Search($q: String!, $first: Int, $after: String, $asOf: Date) {
      search(query: $q, first: $first, after: $after) { totalCount pageInfo { hasNextPage endCursor } nodes { ${NODE} aliases } }
    }`,
    at({ q: query, first, after: after ?? null }),
    signal,
  );
  return d.search;
}

/** The entity's direct neighbours (at most limit), and its degree for the truncation message. */
export async function neighborhood(id: string, limit: number): Promise<Subgraph & { degree: number | null }> {
  const d = await gql<{ neighborhood: Subgraph; entity: { degree: number } | null }>(
    `query Neighborhood($id: ID!, $limit: Int, $asOf: Date) {
      neighborhood(id: $id, depth: 1, limit: $limit, asOf: $asOf) { truncated nodes { ${NODE} } links { ${EDGE} } }
      entity(id: $id) { degree(asOf: $asOf) }
    }`,
    at({ id, limit }),
  );
  return { ...d.neighborhood, degree: d.entity?.degree ?? null };
}

/**
 * The links of an entity (of types, when given) with both ends: what an
 * expansion pages through, so "next 25" brings neighbours not yet shown.
 */
export async function linksOf(id: string, types?: string[]): Promise<{ degree: number; links: (LinkEdge & { source: EntityNode; target: EntityNode })[] } | null> {
  const d = await gql<{ entity: { degree: number; links: (LinkEdge & { source: EntityNode; target: EntityNode })[] } | null }>(
    `query LinksOf($id: ID!, $types: [LinkType!], $asOf: Date) {
      entity(id: $id) { degree(asOf: $asOf) links(types: $types, asOf: $asOf) { id type role startDate endDate properties { key value } source { ${NODE} } target { ${NODE} } } }
    }`,
    at({ id, types: types ?? null }),
  );
  return d.entity;
}

/** How many links of each type an entity has. */
export async function linkTypeCounts(id: string): Promise<Map<string, number>> {
  const d = await gql<{ entity: { links: { type: string }[] } | null }>(
    `query LinkTypes($id: ID!, $asOf: Date) { entity(id: $id) { links(asOf: $asOf) { type } } }`,
    at({ id }),
  );
  const m = new Map<string, number>();
  for (const l of d.entity?.links ?? []) m.set(l.type, (m.get(l.type) ?? 0) + 1);
  return m;
}

export async function paths(from: string, to: string, maxHops: number): Promise<Path[]> {
  const d = await gql<{ paths: Path[] }>(
    `query Paths($from: ID!, $to: ID!, $maxHops: Int, $asOf: Date) {
      paths(from: $from, to: $to, maxHops: $maxHops, limit: 10, asOf: $asOf) { length nodes { ${NODE} } links { ${EDGE} } }
    }`,
    at({ from, to, maxHops }),
  );
  return d.paths;
}

/** Ids per request, so a big chart never makes one huge query. */
const BATCH = 200;

/**
 * Entities with all their links. Used to put entities on the chart
 * together with the links among them and what is already there.
 */
export async function entitiesWithLinks(ids: string[]): Promise<{ entity: EntityNode; links: LinkEdge[] }[]> {
  const out: { entity: EntityNode; links: LinkEdge[] }[] = [];
  for (let i = 0; i < ids.length; i += BATCH) {
    const d = await gql<{ entities: (EntityNode & { links: LinkEdge[] })[] }>(
      `query Entities($ids: [ID!]!, $asOf: Date) { entities(ids: $ids) { ${NODE} links(asOf: $asOf) { ${EDGE} } } }`,
      at({ ids: ids.slice(i, i + BATCH) }),
    );
    for (const { links, ...entity } of d.entities) out.push({ entity, links });
  }
  return out;
}

export async function entityDetail(id: string): Promise<EntityDetail | null> {
  const d = await gql<{ entity: EntityDetail | null }>(
    `query Entity($id: ID!, $asOf: Date) {
      entity(id: $id) {
        ${NODE} aliases description degree(asOf: $asOf) properties { key value }
        ${SOURCES}
        designations { regime authority listedOn delistedOn measures reason ${SOURCES} }
        links(asOf: $asOf) {
          id type role description startDate endDate properties { key value }
          source { id name kind } target { id name kind }
          ${SOURCES}
        }
      }
    }`,
    at({ id }),
  );
  return d.entity;
}

export async function linkDetail(id: string): Promise<LinkDetail | null> {
  const d = await gql<{ link: LinkDetail | null }>(
    `query Link($id: ID!) {
      link(id: $id) {
        id type role description startDate endDate properties { key value }
        source { id name kind } target { id name kind }
        ${SOURCES}
      }
    }`,
    { id },
  );
  return d.link;
}

export async function centralityMetrics(): Promise<string[]> {
  const d = await gql<{ __type: { enumValues: { name: string }[] } | null }>(
    `{ __type(name: "CentralityMetric") { enumValues { name } } }`,
  );
  return d.__type?.enumValues.map((v) => v.name) ?? [];
}

export async function centrality(metric: string, ids: string[]): Promise<EntityScore[]> {
  const d = await gql<{ centrality: EntityScore[] }>(
    `query Centrality($metric: CentralityMetric!, $ids: [ID!], $top: Int, $asOf: Date) {
      centrality(metric: $metric, ids: $ids, depth: 0, top: $top, asOf: $asOf) { score entity { id } }
    }`,
    at({ metric, ids, top: Math.min(ids.length, 1000) }), // the server caps top at 1000
  );
  return d.centrality;
}

export async function communities(ids: string[]): Promise<Community[]> {
  const d = await gql<{ communities: Community[] }>(
    `query Communities($ids: [ID!], $asOf: Date) { communities(ids: $ids, depth: 0, asOf: $asOf) { id members { id } } }`,
    at({ ids }),
  );
  return d.communities;
}

/** Subgraph formats of GET /api/export/{format}. */
export const EXPORT_FORMATS: { id: string; label: string }[] = [
  { id: 'graphml', label: 'GraphML' },
  { id: 'gexf', label: 'GEXF (Gephi)' },
  { id: 'csv', label: 'CSV (zip)' },
  { id: 'ftm', label: 'FollowTheMoney JSON' },
  { id: 'cypher', label: 'Cypher' },
  { id: 'json', label: 'JSON' },
  { id: 'anx', label: 'i2 Analyst’s Notebook (ANX)' },
];

export interface Brokers {
  articulationPoints: { id: string; name: string }[];
  bridges: { id: string; type: string; role: string | null; source: { id: string; name: string }; target: { id: string; name: string } }[];
}

/** Articulation points and bridges of the chart (depth 0: only these entities). */
export async function brokers(ids: string[]): Promise<Brokers> {
  const d = await gql<{ brokers: Brokers }>(
    `query Brokers($ids: [ID!], $asOf: Date) {
      brokers(ids: $ids, depth: 0, asOf: $asOf) { articulationPoints { id name } bridges { id type role source { id name } target { id name } } }
    }`,
    at({ ids }),
  );
  return d.brokers;
}

export interface ExposureLink extends LinkEdge {
  sources: SourceRef[];
}

export interface Exposure {
  entity: EntityNode;
  designation: { regime: string; authority: string; listedOn: string | null };
  path: { length: number; nodes: EntityNode[]; links: ExposureLink[] };
}

/** The nearest designated parties within maxHops, with a path and the quote of each hop. */
export async function sanctionsExposure(id: string, maxHops = 3): Promise<Exposure[]> {
  const d = await gql<{ sanctionsExposure: Exposure[] }>(
    `query Exposure($id: ID!, $maxHops: Int, $asOf: Date) {
      sanctionsExposure(id: $id, maxHops: $maxHops, asOf: $asOf) {
        entity { ${NODE} }
        designation { regime authority listedOn }
        path { length nodes { ${NODE} } links { ${EDGE} ${SOURCES} } }
      }
    }`,
    at({ id, maxHops }),
  );
  return d.sanctionsExposure;
}

export interface AuditEntry {
  seq: number;
  time: string;
  actor: string;
  role: string;
  kind: string;
  operation: string | null;
  target: string | null;
  status: number;
  outcome: string;
  durationMs: number;
}

/** One page of the audit log, newest first (admins only). */
export async function auditLog(opts: { first?: number; after?: string | null; since?: string | null; actor?: string | null }): Promise<{ nodes: AuditEntry[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } }> {
  const d = await gql<{ auditLog: { nodes: AuditEntry[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } } }>(
    `query Audit($first: Int, $after: String, $since: String, $actor: String) {
      auditLog(first: $first, after: $after, since: $since, actor: $actor) {
        nodes { seq time actor role kind operation target status outcome durationMs }
        pageInfo { hasNextPage endCursor }
      }
    }`,
    { first: opts.first ?? 50, after: opts.after ?? null, since: opts.since ?? null, actor: opts.actor ?? null },
  );
  return d.auditLog;
}

export interface TimelineBucket {
  start: string;
  count: number;
}

/**
 * The histogram of the dated events of these entities and the links among
 * them (depth 0): links starting and ending, designations and delistings,
 * births, incorporations, dissolutions; every period's count at each
 * precision, so the caller picks the one that fits.
 */
export async function timelineHistogram(ids: string[]): Promise<{ totalCount: number; YEAR: TimelineBucket[]; MONTH: TimelineBucket[]; DAY: TimelineBucket[] }> {
  const d = await gql<{ timeline: { totalCount: number; YEAR: TimelineBucket[]; MONTH: TimelineBucket[]; DAY: TimelineBucket[] } }>(
    `query TimelineHistogram($ids: [ID!]!) {
      timeline(ids: $ids, depth: 0, first: 1) {
        totalCount
        YEAR: histogram(by: YEAR) { start count }
        MONTH: histogram(by: MONTH) { start count }
        DAY: histogram(by: DAY) { start count }
      }
    }`,
    { ids },
  );
  return d.timeline;
}

/** A dated fact of an entity itself: born, incorporated, dissolved, designated, delisted. */
export interface EntityEvent {
  date: string;
  kind: 'BORN' | 'INCORPORATED' | 'DISSOLVED' | 'DESIGNATED' | 'DELISTED';
  designation: { regime: string; authority: string } | null;
}

/**
 * The entity's own dated facts: the server's timeline of it alone (depth
 * 0, so no link events), oldest first, every page.
 */
export async function entityEvents(id: string): Promise<EntityEvent[]> {
  const out: EntityEvent[] = [];
  let after: string | null = null;
  for (let page = 0; page < 50; page++) {
    const d: { timeline: { events: EntityEvent[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } } } = await gql(
      `query EntityEvents($ids: [ID!]!, $after: String) {
        timeline(ids: $ids, depth: 0, first: 100, after: $after) {
          events { date kind designation { regime authority } }
          pageInfo { hasNextPage endCursor }
        }
      }`,
      { ids: [id], after },
    );
    out.push(...d.timeline.events);
    if (!d.timeline.pageInfo.hasNextPage) break;
    after = d.timeline.pageInfo.endCursor;
  }
  return out;
}
