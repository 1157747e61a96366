// The screening page's input: pasted lines or an uploaded CSV, read into
// match queries that remember the line they came from, so every message
// about a bad row names its line. Values (dates, kinds, limits) are checked
// by the server, which owns those rules; this only reads the table.

/** One query to screen, as the GraphQL MatchQuery takes it, and where it came from. */
export interface ScreenQuery {
  key: string;
  kind?: string;
  names: string[];
  birthDate?: string;
  countries?: string[];
  identifiers?: string[];
  /** The line of the input the row starts on (1-based). */
  line: number;
  /** The row as written, for messages. */
  text: string;
}

export class InputError extends Error {
  constructor(message: string, readonly line: number | null) {
    super(message);
    this.name = 'InputError';
  }
}

/** Header names a CSV may use (the /api/match columns, and a few usual synonyms). */
const HEADER: Record<string, keyof Columns> = {
  key: 'key',
  kind: 'kind',
  name: 'names',
  names: 'names',
  birthdate: 'birthDate',
  'birth date': 'birthDate',
  dob: 'birthDate',
  country: 'countries',
  countries: 'countries',
  identifier: 'identifiers',
  identifiers: 'identifiers',
};

interface Columns {
  key?: number;
  kind?: number;
  names?: number;
  birthDate?: number;
  countries?: number;
  identifiers?: number;
}

/** Without a header row, the columns are these, in this order. */
export const POSITIONAL = ['name', 'birth date', 'country', 'identifier'];

interface Row {
  cells: string[];
  line: number;
  text: string;
}

/**
 * Splits text into rows of cells, CSV-style: a cell in double quotes may
 * hold the delimiter, newlines and doubled quotes. Blank lines are skipped.
 */
export function readRows(text: string, delimiter: string): Row[] {
  const rows: Row[] = [];
  const src = text.replace(/^\ufeff/, '');
  let line = 1;
  let i = 0;
  while (i < src.length) {
    const start = line;
    const from = i;
    const cells: string[] = [];
    let cell = '';
    let quoted = false;
    let wasQuoted = false;
    let done = false;
    while (i < src.length && !done) {
      const c = src[i];
      if (quoted) {
        if (c === '"') {
          if (src[i + 1] === '"') {
            cell += '"';
            i += 2;
            continue;
          }
          quoted = false;
          i++;
          continue;
        }
        if (c === '\n') line++;
        cell += c;
        i++;
        continue;
      }
      if (c === '"') {
        if (cell.trim() !== '' || wasQuoted) {
          throw new InputError(`Line ${line}: a stray quote (") inside a cell. Put the whole cell in quotes and double any quote in it.`, line);
        }
        cell = '';
        quoted = true;
        wasQuoted = true;
        i++;
        continue;
      }
      if (c === delimiter) {
        cells.push(wasQuoted ? cell : cell.trim());
        cell = '';
        wasQuoted = false;
        i++;
        continue;
      }
      if (c === '\r' || c === '\n') {
        i += c === '\r' && src[i + 1] === '\n' ? 2 : 1;
        line++;
        done = true;
        continue;
      }
      if (wasQuoted && c.trim() !== '') {
        throw new InputError(`Line ${line}: text after a closing quote. Put the whole cell in quotes and double any quote in it.`, line);
      }
      if (!wasQuoted) cell += c;
      i++;
    }
    if (quoted) throw new InputError(`Line ${start}: a quote (") opened here is never closed.`, start);
    cells.push(wasQuoted ? cell : cell.trim());
    const raw = src.slice(from, i).replace(/\r?\n$/, '');
    if (cells.some((c) => c !== '')) rows.push({ cells, line: start, text: raw.trim() });
  }
  return rows;
}

function list(cell: string | undefined): string[] | undefined {
  const out = (cell ?? '').split(';').map((s) => s.trim()).filter(Boolean);
  return out.length ? out : undefined;
}

function headerOf(cells: string[]): Columns | null {
  const cols: Columns = {};
  for (const [i, c] of cells.entries()) {
    const k = HEADER[c.trim().toLowerCase()];
    if (!k) return null;
    if (cols[k] !== undefined) throw new InputError(`Line 1: the column "${c.trim()}" is there twice.`, 1);
    cols[k] = i;
  }
  return cols;
}

/**
 * Reads pasted lines or a CSV into queries. A first row made only of
 * column names (name, birth date, country, identifier, key, kind; the
 * /api/match CSV's) is a header; without one each line is a name,
 * optionally followed by a birth date, a country and an identifier.
 * Cells are separated by tabs when the text has any (a spreadsheet's
 * paste), else by commas; a cell may list several values with ";".
 */
export function parseQueries(text: string, kind?: string): ScreenQuery[] {
  const delimiter = text.includes('\t') ? '\t' : ',';
  const rows = readRows(text, delimiter);
  if (rows.length === 0) throw new InputError('Nothing to screen: paste at least one name (one per line) or upload a CSV.', null);
  let cols = headerOf(rows[0].cells);
  let body = rows;
  if (cols) {
    if (cols.names === undefined) throw new InputError(`Line ${rows[0].line}: the header has no name column.`, rows[0].line);
    body = rows.slice(1);
    if (body.length === 0) throw new InputError('The CSV has a header row but no names under it.', null);
  } else {
    cols = { names: 0, birthDate: 1, countries: 2, identifiers: 3 };
  }
  const width = Math.max(...Object.values(cols).map((v) => (v ?? 0) + 1));
  return body.map((r) => {
    if (r.cells.length > width) {
      const what = rows === body ? POSITIONAL.join(', ') : 'the header\'s';
      throw new InputError(`Line ${r.line}: ${r.cells.length} cells, at most ${width} (${what}). A name with a comma goes in quotes: "Krasniqi, Burim".`, r.line);
    }
    const get = (i: number | undefined) => (i === undefined ? '' : (r.cells[i] ?? '').trim());
    const names = list(get(cols.names)) ?? [];
    if (names.length === 0) throw new InputError(`Line ${r.line}: no name.`, r.line);
    const q: ScreenQuery = { key: get(cols.key) || `line ${r.line}`, names, line: r.line, text: r.text };
    const k = get(cols.kind).toUpperCase() || kind;
    if (k) q.kind = k;
    const bd = get(cols.birthDate);
    if (bd) q.birthDate = bd;
    const cs = list(get(cols.countries));
    if (cs) q.countries = cs;
    const ids = list(get(cols.identifiers));
    if (ids) q.identifiers = ids;
    return q;
  });
}

/**
 * The server's message about query i, told by its line: "match: query 3:
 * birthDate: ..." becomes "Line 7 (...): birthDate: ...".
 */
export function lineMessage(message: string, queries: ScreenQuery[]): string {
  const m = /query (\d+): (.*)$/s.exec(message);
  if (!m) return message;
  const q = queries[Number(m[1])];
  if (!q) return message;
  const why = m[2].replace(/(: invalid input)+$/, '').replace(/: request too complex$/, '');
  const hint = /birthDate/.test(why) && q.text.includes(',') && !q.text.includes('"')
    ? ' A name with a comma goes in quotes: "Krasniqi, Burim".'
    : '';
  return `Line ${q.line} (${q.text}): ${why}.${hint}`;
}

/** The queries as a CSV with a header, the way POST /api/match takes it. */
export function queriesCsv(queries: ScreenQuery[]): string {
  const cell = (v: string) => (/[",\r\n;]/.test(v) || v !== v.trim() ? `"${v.replace(/"/g, '""')}"` : v);
  const join = (vs?: string[]) => (vs ?? []).join(';');
  const lines = ['key,kind,names,birthdate,countries,identifiers'];
  for (const q of queries) {
    lines.push([q.key, q.kind ?? '', join(q.names), q.birthDate ?? '', join(q.countries), join(q.identifiers)].map(cell).join(','));
  }
  return `${lines.join('\r\n')}\r\n`;
}
