// The screening part of the GraphQL API (schema/screen.graphql): match
// names against the graph, candidate duplicate pairs (xref), and the
// judgements on them; and POST /api/match for the CSV download.
import { ApiError, gql } from './api';
import type { Designation, Kind, Property, SourceRef } from './types';
import { queriesCsv, type ScreenQuery } from './screenparse';

export interface MatchFeature {
  name: string;
  score: number;
  detail: string;
}

export interface ExposureHit {
  entity: { id: string; name: string; kind: Kind };
  designation: { regime: string; authority: string };
  path: { length: number };
}

export interface CandidateEntity {
  id: string;
  kind: Kind;
  name: string;
  sanctioned: boolean;
  aliases: string[];
  countries: string[];
  designations: Pick<Designation, 'regime' | 'authority' | 'listedOn'>[];
}

export interface MatchCandidate {
  entity: CandidateEntity;
  score: number;
  match: boolean;
  features: MatchFeature[];
  exposure: ExposureHit[];
}

export interface MatchResult {
  key: string | null;
  candidates: MatchCandidate[];
}

export interface MatchOptions {
  threshold?: number;
  limit?: number;
}

const CANDIDATE = `entity { id kind name sanctioned aliases countries designations { regime authority listedOn } }
  score match features { name score detail }
  exposure { entity { id name kind } designation { regime authority } path { length } }`;

function matchInput(q: ScreenQuery): Record<string, unknown> {
  return {
    key: q.key,
    kind: q.kind ?? null,
    names: q.names,
    birthDate: q.birthDate ?? null,
    countries: q.countries ?? null,
    identifiers: q.identifiers ?? null,
  };
}

export async function match(queries: ScreenQuery[], o: MatchOptions = {}): Promise<MatchResult[]> {
  // Only the options given are declared: graphql-go reads a declared but
  // absent variable as null, not as the argument's default.
  const { decl, args, vars } = optional({ threshold: ['Float', o.threshold], limit: ['Int', o.limit] });
  const d = await gql<{ match: MatchResult[] }>(
    `query Match($queries: [MatchQuery!]!${decl}) {
      match(queries: $queries${args}) { key candidates { ${CANDIDATE} } }
    }`,
    { queries: queries.map(matchInput), ...vars },
  );
  return d.match;
}

/** Variable declarations and arguments for the options that are set. */
function optional(opts: Record<string, [string, unknown]>): { decl: string; args: string; vars: Record<string, unknown> } {
  let decl = '';
  let args = '';
  const vars: Record<string, unknown> = {};
  for (const [name, [type, value]] of Object.entries(opts)) {
    if (value === undefined || value === null) continue;
    decl += `, $${name}: ${type}`;
    args += `, ${name}: $${name}`;
    vars[name] = value;
  }
  return { decl, args, vars };
}

/**
 * Whether this principal may screen: an empty match costs nothing and is
 * refused FORBIDDEN to a role without analysis rights (the server decides).
 */
export async function canScreen(): Promise<boolean> {
  try {
    await gql<{ match: unknown[] }>('{ match(queries: []) { key } }');
    return true;
  } catch (err) {
    if (err instanceof ApiError && (err.code === 'FORBIDDEN' || err.code === 'UNAUTHENTICATED')) return false;
    throw err;
  }
}

/** The screening answer as POST /api/match writes it in CSV (one row per candidate). */
export async function matchCsv(queries: ScreenQuery[], o: MatchOptions = {}): Promise<Blob> {
  const params = new URLSearchParams({ format: 'csv' });
  if (o.threshold !== undefined) params.set('threshold', String(o.threshold));
  if (o.limit !== undefined) params.set('limit', String(o.limit));
  let res: Response;
  try {
    res = await fetch(`/api/match?${params}`, { method: 'POST', headers: { 'Content-Type': 'text/csv' }, body: queriesCsv(queries) });
  } catch {
    throw new ApiError('The Skein server cannot be reached.', 'NETWORK');
  }
  if (!res.ok) {
    let msg = `The server answered ${res.status}.`;
    let code = 'HTTP';
    try {
      const b = (await res.json()) as { error?: string; message?: string; code?: string };
      msg = b.error ?? b.message ?? msg;
      code = b.code ?? code;
    } catch {
      // not JSON: keep the status
    }
    throw new ApiError(msg, code);
  }
  return res.blob();
}

/** The kinds and properties of entities (an entity's identity documents, for its identifiers). */
export async function entityProperties(ids: string[]): Promise<{ id: string; kind: Kind; properties: Property[] }[]> {
  const d = await gql<{ entities: { id: string; kind: Kind; properties: Property[] }[] }>(
    'query EntityProperties($ids: [ID!]!) { entities(ids: $ids) { id kind properties { key value } } }',
    { ids },
  );
  return d.entities;
}

// ---- duplicates ---------------------------------------------------------------

export type Verdict = 'SAME' | 'DIFFERENT' | 'UNSURE';

export interface PairEntity {
  id: string;
  kind: Kind;
  name: string;
  sanctioned: boolean;
  aliases: string[];
  countries: string[];
  description: string | null;
  properties: Property[];
  sources: SourceRef[];
  designations: Pick<Designation, 'regime' | 'authority' | 'listedOn'>[];
  degree: number | null;
}

export interface XrefPair {
  a: PairEntity;
  b: PairEntity;
  score: number;
  features: MatchFeature[];
  verdict: Verdict | null;
}

export interface Page<T> {
  nodes: T[];
  totalCount: number;
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

const PAIR_ENTITY = `id kind name sanctioned aliases countries description properties { key value }
  sources { quote document { id title } } designations { regime authority listedOn } degree`;

/** Candidate duplicate pairs: of the entities ids when given, else of the whole graph. */
export async function xref(first: number, after: string | null, threshold?: number, ids?: string[]): Promise<Page<XrefPair>> {
  const { decl, args, vars } = optional({ after: ['String', after], threshold: ['Float', threshold], ids: ['[ID!]', ids?.length ? ids : null] });
  const d = await gql<{ xref: Page<XrefPair> }>(
    `query Xref($first: Int!${decl}) {
      xref(first: $first${args}) {
        totalCount pageInfo { hasNextPage endCursor }
        nodes { score verdict features { name score detail } a { ${PAIR_ENTITY} } b { ${PAIR_ENTITY} } }
      }
    }`,
    { first, ...vars },
  );
  return d.xref;
}

export interface Judgement {
  a: { id: string; name: string; kind: Kind; sources?: SourceRef[] };
  b: { id: string; name: string; kind: Kind };
  verdict: Verdict;
  actor: string;
  at: string;
}

const JUDGEMENT = 'verdict actor at a { id name kind } b { id name kind }';

export async function judge(a: string, b: string, verdict: Verdict): Promise<Judgement> {
  const d = await gql<{ judge: Judgement }>(
    `mutation Judge($a: ID!, $b: ID!, $verdict: Verdict!) {
      judge(a: $a, b: $b, verdict: $verdict) { verdict actor at a { id name kind sources { quote document { id title } } } b { id name kind } }
    }`,
    { a, b, verdict },
  );
  return d.judge;
}

export async function judgements(first: number, after: string | null): Promise<Page<Judgement>> {
  const { decl, args, vars } = optional({ after: ['String', after] });
  const d = await gql<{ judgements: Page<Judgement> }>(
    `query Judgements($first: Int!${decl}) {
      judgements(first: $first${args}) { totalCount pageInfo { hasNextPage endCursor } nodes { ${JUDGEMENT} } }
    }`,
    { first, ...vars },
  );
  return d.judgements;
}
