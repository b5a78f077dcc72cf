import { createQueryId, type Compilable, type Kysely, type QueryResult } from 'kysely';

/**
 * A query compiled once, with the places of its values among the parameters. Building and
 * compiling a Kysely query costs more than SQLite running it (measured with npm run bench), and
 * the queries of a button press have the same shape every time.
 */
interface Template {
  sql: string;
  query: ReturnType<Compilable['compile']>['query'];
  /** Per parameter: the index of the value that goes there, or a constant the query holds. */
  parameters: Array<{ value: number } | { constant: unknown }>;
}

/** Per database (its dialect adapter, shared by its transactions), as the SQL is the dialect's. */
const byDatabase = new WeakMap<object, Map<string, Template>>();

/**
 * Runs the query `build` makes from `values`, building and compiling it only the first time for
 * `key`. `build` is given stand-ins for the values and must use each one as a value as it is
 * (no arithmetic on it) and not change the query's shape by them: `key` must name everything
 * the shape depends on (transaction or not, column set).
 */
export async function executeReusable<O>(
  db: Kysely<any>,
  key: string,
  values: readonly unknown[],
  build: (stand: readonly any[]) => Compilable<O>,
): Promise<QueryResult<O>> {
  const adapter = db.getExecutor().adapter;
  let templates = byDatabase.get(adapter);
  if (!templates) byDatabase.set(adapter, (templates = new Map()));
  let template = templates.get(key);
  if (!template) {
    template = compileTemplate(values.length, build);
    // Keys are a fixed set of query shapes; the cap only guards against a caller's mistake.
    if (templates.size < 200) templates.set(key, template);
  }
  return db.executeQuery<O>({
    sql: template.sql,
    query: template.query,
    queryId: createQueryId(),
    parameters: template.parameters.map((parameter) =>
      'value' in parameter ? values[parameter.value] : parameter.constant,
    ),
  });
}

function compileTemplate<O>(
  count: number,
  build: (stand: readonly any[]) => Compilable<O>,
): Template {
  const stand = Array.from({ length: count }, (_, index) => `\u0000reusable-value-${index}\u0000`);
  const compiled = build(stand).compile();
  const used = new Set<number>();
  const parameters = compiled.parameters.map((parameter) => {
    const index = typeof parameter === 'string' ? stand.indexOf(parameter) : -1;
    if (index < 0) return { constant: parameter };
    used.add(index);
    return { value: index };
  });
  // A value not found among the parameters was changed or dropped: the query would be wrong.
  if (used.size !== count) throw new Error('executeReusable: a value was not used as a parameter');
  return { sql: compiled.sql, query: compiled.query, parameters };
}
