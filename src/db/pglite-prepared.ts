import { type PGlite, parse, protocol } from "@electric-sql/pglite";

type Serializer = (value: unknown) => string;

/** Per PGlite instance, the statements prepared by name, with their parameters' serializers. */
const preparedOn = new WeakMap<PGlite, Map<string, (Serializer | undefined)[]>>();

const concat = (parts: Uint8Array[]) => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
};

/**
 * Runs a named statement on PGlite the way node-postgres does on a PostgreSQL connection: parsed (and planned,
 * as PostgreSQL's plan cache decides) once, then bound and executed in one protocol exchange. `PGlite.query`
 * parses, plans and describes every statement anew — for the conversion and fraud statements that was most of
 * an embedded install's cost per sale. Values are serialized, and rows parsed, exactly as `PGlite.query` does.
 *
 * The caller holds PGlite's locks as `PGlite.query` does (see rawQuery and rawTransaction). `syncToFs: false`
 * inside a transaction (its commit syncs); true on its own, as `PGlite.query` would.
 */
export async function pglitePrepared<T>(
  pg: PGlite,
  statement: { name: string; text: string },
  values: unknown[],
  options: { syncToFs: boolean },
): Promise<T[]> {
  let prepared = preparedOn.get(pg);
  if (!prepared) {
    prepared = new Map();
    preparedOn.set(pg, prepared);
  }
  let serializers = prepared.get(statement.name);
  if (!serializers) {
    const described = await pg.execProtocol(
      concat([
        protocol.serialize.parse({ name: statement.name, text: statement.text }),
        protocol.serialize.describe({ type: "S", name: statement.name }),
        protocol.serialize.sync(),
      ]),
      { syncToFs: false },
    );
    serializers = parse
      .parseDescribeStatementResults(described.messages)
      .map((type) => pg.serializers[type] as Serializer | undefined);
    prepared.set(statement.name, serializers);
  }
  const params = values.map((value, i) => {
    if (value === null || value === undefined) return null;
    const serialize = serializers[i];
    return serialize ? serialize(value) : String(value);
  });
  const result = await pg.execProtocol(
    concat([
      protocol.serialize.bind({ statement: statement.name, values: params }),
      protocol.serialize.describe({ type: "P" }),
      protocol.serialize.execute({}),
      protocol.serialize.sync(),
    ]),
    { syncToFs: options.syncToFs },
  );
  return (parse.parseResults(result.messages, pg.parsers)[0]?.rows ?? []) as T[];
}
