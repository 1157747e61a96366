// A small GraphQL-over-HTTP client for Skein's /graphql endpoint.
import type {
  Community, EntityDetail, EntityNode, EntityScore, LinkDetail, LinkEdge, Path, SearchResult, Subgraph,
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

const NODE = 'id kind name sanctioned countries';
const EDGE = 'id type role source { id } target { id }';
const SOURCES = 'sources { quote document { id title } }';

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
    `query Search($q: String!, $first: Int, $after: String) {
      search(query: $q, first: $first, after: $after) { totalCount pageInfo { hasNextPage endCursor } nodes { ${NODE} } }
    }`,
    { q: query, first, after: after ?? null },
    signal,
  );
  return d.search;
}

/** The entity's direct neighbours (at most limit), and its degree for the truncation message. */
export async function neighborhood(id: string, limit: number): Promise<Subgraph & { degree: number | null }> {
  const d = await gql<{ neighborhood: Subgraph; entity: { degree: number } | null }>(
    `query Neighborhood($id: ID!, $limit: Int) {
      neighborhood(id: $id, depth: 1, limit: $limit) { truncated nodes { ${NODE} } links { ${EDGE} } }
      entity(id: $id) { degree }
    }`,
    { id, limit },
  );
  return { ...d.neighborhood, degree: d.entity?.degree ?? null };
}

export async function paths(from: string, to: string, maxHops: number): Promise<Path[]> {
  const d = await gql<{ paths: Path[] }>(
    `query Paths($from: ID!, $to: ID!, $maxHops: Int) {
      paths(from: $from, to: $to, maxHops: $maxHops, limit: 10) { length nodes { ${NODE} } links { ${EDGE} } }
    }`,
    { from, to, maxHops },
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
      `query Entities($ids: [ID!]!) { entities(ids: $ids) { ${NODE} links { ${EDGE} } } }`,
      { ids: ids.slice(i, i + BATCH) },
    );
    for (const { links, ...entity } of d.entities) out.push({ entity, links });
  }
  return out;
}

export async function entityDetail(id: string): Promise<EntityDetail | null> {
  const d = await gql<{ entity: EntityDetail | null }>(
    `query Entity($id: ID!) {
      entity(id: $id) {
        ${NODE} aliases description degree properties { key value }
        ${SOURCES}
        designations { regime authority listedOn measures reason ${SOURCES} }
        links {
          id type role description
          source { id name kind } target { id name kind }
          ${SOURCES}
        }
      }
    }`,
    { id },
  );
  return d.entity;
}

export async function linkDetail(id: string): Promise<LinkDetail | null> {
  const d = await gql<{ link: LinkDetail | null }>(
    `query Link($id: ID!) {
      link(id: $id) {
        id type role description startDate endDate
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
    `query Centrality($metric: CentralityMetric!, $ids: [ID!], $top: Int) {
      centrality(metric: $metric, ids: $ids, depth: 0, top: $top) { score entity { id } }
    }`,
    { metric, ids, top: Math.min(ids.length, 1000) }, // the server caps top at 1000
  );
  return d.centrality;
}

export async function communities(ids: string[]): Promise<Community[]> {
  const d = await gql<{ communities: Community[] }>(
    `query Communities($ids: [ID!]) { communities(ids: $ids, depth: 0) { id members { id } } }`,
    { ids },
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
