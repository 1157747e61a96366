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

export async function search(query: string, first: number, signal?: AbortSignal): Promise<SearchResult> {
  const d = await gql<{ search: SearchResult }>(
    `query Search($q: String!, $first: Int) {
      search(query: $q, first: $first) { totalCount pageInfo { hasNextPage endCursor } nodes { ${NODE} } }
    }`,
    { q: query, first },
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

/** Ids per aliased request, well under any sane query-size limit. */
const BATCH = 40;

/**
 * Entities with all their links, in one request (one aliased field per id).
 * Used to put entities on the chart together with the links among them.
 */
export async function entitiesWithLinks(ids: string[]): Promise<{ entity: EntityNode; links: LinkEdge[] }[]> {
  if (ids.length === 0) return [];
  if (ids.length > BATCH) {
    const parts: { entity: EntityNode; links: LinkEdge[] }[] = [];
    for (let i = 0; i < ids.length; i += BATCH) parts.push(...(await entitiesWithLinks(ids.slice(i, i + BATCH))));
    return parts;
  }
  const vars: Record<string, unknown> = {};
  const params: string[] = [];
  const fields: string[] = [];
  ids.forEach((id, i) => {
    vars[`id${i}`] = id;
    params.push(`$id${i}: ID!`);
    fields.push(`e${i}: entity(id: $id${i}) { ${NODE} links { ${EDGE} } }`);
  });
  const d = await gql<Record<string, (EntityNode & { links: LinkEdge[] }) | null>>(
    `query Entities(${params.join(', ')}) { ${fields.join(' ')} }`,
    vars,
  );
  const out: { entity: EntityNode; links: LinkEdge[] }[] = [];
  ids.forEach((_, i) => {
    const e = d[`e${i}`];
    if (e) {
      const { links, ...entity } = e;
      out.push({ entity, links });
    }
  });
  return out;
}

let propertiesSupported: boolean | null = null;

/** Whether the schema exposes Entity.properties (asked once, by introspection). */
async function hasProperties(): Promise<boolean> {
  if (propertiesSupported === null) {
    try {
      const d = await gql<{ __type: { fields: { name: string }[] } | null }>(
        `{ __type(name: "Person") { fields { name } } }`,
      );
      propertiesSupported = !!d.__type?.fields.some((f) => f.name === 'properties');
    } catch {
      propertiesSupported = false;
    }
  }
  return propertiesSupported;
}

export async function entityDetail(id: string): Promise<EntityDetail | null> {
  const props = (await hasProperties()) ? 'properties { key value }' : '';
  const d = await gql<{ entity: EntityDetail | null }>(
    `query Entity($id: ID!) {
      entity(id: $id) {
        ${NODE} aliases description degree ${props}
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

/** One link in full, found through its source entity's links. */
export async function linkDetail(sourceId: string, linkId: string): Promise<LinkDetail | null> {
  const e = await entityDetail(sourceId);
  return e?.links.find((l) => l.id === linkId) ?? null;
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
    { metric, ids, top: ids.length },
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

/** Export formats the server offers; falls back to the documented list. */
export const EXPORT_FORMATS: { id: string; label: string }[] = [
  { id: 'graphml', label: 'GraphML' },
  { id: 'gexf', label: 'GEXF (Gephi)' },
  { id: 'csv', label: 'CSV (zip)' },
  { id: 'ftm', label: 'FollowTheMoney JSON' },
  { id: 'cypher', label: 'Cypher' },
  { id: 'json', label: 'JSON' },
];
