// The cases part of the GraphQL API (schema/case.graphql): list, read,
// save (version-checked) and delete saved investigations, and who we are.
import { gql } from './api';
import type { EntityNode } from './types';

export interface Me {
  id: string;
  role: string;
  canWrite: boolean;
  canAdmin: boolean;
}

export interface CaseNote {
  id: string;
  text: string;
  author: string;
  createdAt: string;
  updatedAt: string | null;
  updatedBy: string | null;
  entityId: string | null;
  linkId: string | null;
}

export interface CaseItem {
  entityId: string;
  missing: boolean;
  x: number | null;
  y: number | null;
  pinned: boolean;
  hidden: boolean;
  entity: EntityNode;
}

export interface CaseSummary {
  id: string;
  title: string;
  owner: string;
  createdAt: string;
  updatedAt: string;
  updatedBy: string | null;
  version: number;
}

export interface Case extends CaseSummary {
  description: string | null;
  asOf: string | null;
  view: string | null;
  items: CaseItem[];
  notes: CaseNote[];
}

export interface CaseItemInput {
  entity: string;
  x?: number;
  y?: number;
  pinned?: boolean;
  hidden?: boolean;
}

export interface CaseNoteInput {
  id?: string;
  text: string;
  entity?: string;
  link?: string;
}

export interface CaseInput {
  id?: string;
  version?: number;
  title?: string;
  description?: string;
  items?: CaseItemInput[];
  notes?: CaseNoteInput[];
  asOf?: string;
  view?: string;
}

const SUMMARY = 'id title owner createdAt updatedAt updatedBy version';
const FULL = `${SUMMARY} description asOf view
  items { entityId missing x y pinned hidden entity { id kind name sanctioned countries } }
  notes { id text author createdAt updatedAt updatedBy entityId linkId }`;

export async function me(): Promise<Me> {
  const d = await gql<{ me: Me }>('{ me { id role canWrite canAdmin } }');
  return d.me;
}

/** Every case, paging through the API's pages of at most 100. */
export async function listCases(): Promise<CaseSummary[]> {
  const out: CaseSummary[] = [];
  let after: string | null = null;
  for (;;) {
    const d: { cases: { nodes: CaseSummary[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } } } = await gql(
      `query Cases($after: String) { cases(first: 100, after: $after) { nodes { ${SUMMARY} } pageInfo { hasNextPage endCursor } } }`,
      { after },
    );
    out.push(...d.cases.nodes);
    if (!d.cases.pageInfo.hasNextPage || !d.cases.pageInfo.endCursor) return out;
    after = d.cases.pageInfo.endCursor;
  }
}

export async function getCase(id: string): Promise<Case> {
  const d = await gql<{ case: Case }>(`query Case($id: ID!) { case(id: $id) { ${FULL} } }`, { id });
  return d.case;
}

export async function saveCase(input: CaseInput): Promise<Case> {
  const d = await gql<{ saveCase: Case }>(`mutation Save($input: CaseInput!) { saveCase(input: $input) { ${FULL} } }`, { input });
  return d.saveCase;
}

export async function deleteCase(id: string): Promise<void> {
  await gql<{ deleteCase: boolean }>('mutation Delete($id: ID!) { deleteCase(id: $id) }', { id });
}
