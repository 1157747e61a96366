// Shapes returned by Skein's GraphQL API (see schema/*.graphql).

export type Kind = 'PERSON' | 'ORGANIZATION' | 'COMPANY' | (string & {});

export interface DocumentRef {
  id: string;
  title: string;
}

export interface SourceRef {
  document: DocumentRef | null;
  quote: string;
}

export interface Designation {
  regime: string;
  authority: string;
  listedOn: string | null;
  delistedOn?: string | null;
  measures: string[];
  reason: string | null;
  sources: SourceRef[];
}

/** What the chart needs to draw an entity. */
export interface EntityNode {
  id: string;
  kind: Kind;
  name: string;
  sanctioned: boolean;
  countries?: string[];
  /** Present on search results, to show which alias matched. */
  aliases?: string[];
}

/** What the chart needs to draw a link. */
export interface LinkEdge {
  id: string;
  type: string;
  role: string | null;
  /** Free and typed properties; the typed ones (percentage, amount, ...) under their FtM names, see the registry. */
  properties?: Property[];
  source: { id: string };
  target: { id: string };
  startDate?: string | null;
  endDate?: string | null;
}

export interface Subgraph {
  nodes: EntityNode[];
  links: LinkEdge[];
  truncated: boolean;
}

export interface Path {
  nodes: EntityNode[];
  links: LinkEdge[];
  length: number;
}

export interface Property {
  key: string;
  value: string;
}

export interface LinkDetail extends LinkEdge {
  description: string | null;
  source: { id: string; name: string; kind: Kind };
  target: { id: string; name: string; kind: Kind };
  sources: SourceRef[];
}

export interface EntityDetail extends EntityNode {
  aliases: string[];
  countries: string[];
  description: string | null;
  degree: number;
  properties?: Property[];
  sources: SourceRef[];
  designations: Designation[];
  links: LinkDetail[];
}

export interface SearchResult {
  nodes: EntityNode[];
  totalCount: number;
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

export interface EntityScore {
  entity: { id: string };
  score: number;
}

export interface Community {
  id: string;
  members: { id: string }[];
}
